package yaml

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/saydo/saydo"
	yamlv3 "go.yaml.in/yaml/v3"
)

// MessagesDir is the folder of a workspace that holds its canned messages.
const MessagesDir = "messages"

// MessageExts are the file extensions LoadMessages reads as messages.
var MessageExts = []string{".txt", ".md", ".msg", ".sms"}

var (
	messageKeys     = []string{"id", "channel", "department", "stage", "lang", "trigger", "variables", "intent", "suppress"}
	messageIDRe     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)
	variableRe      = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
	defaultChannel  = "email"
	messageCSVNames = []string{"id", "channel", "department", "stage", "lang", "trigger", "variables", "body", "intent"}
)

// ParseMessage reads one message file: YAML front matter between --- lines
// (id, channel, department, stage, lang, trigger, variables; all optional,
// unknown keys are errors), then the body. A file with no front matter is
// a message too: its id is the file name without extension, its channel
// email, its language left empty for the linter to detect. BodyLine is the
// line of the file the body starts on. Problems come back as a
// saydo.ErrorList of *saydo.PosError.
func ParseMessage(path string, data []byte) (saydo.Message, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	m := saydo.Message{Path: path, Channel: defaultChannel, BodyLine: 1}
	base := filepath.Base(path)
	m.ID = strings.TrimSuffix(base, filepath.Ext(base))
	text := string(data)
	c := &checker{file: path, lines: strings.Split(text, "\n")}
	if !utf8.ValidString(text) {
		line := 1 + strings.Count(text[:firstInvalid(text)], "\n")
		c.errorAt(line, 1, "invalid UTF-8: save the file as UTF-8")
		return m, c.errs
	}
	body := text
	if firstLine(text) == "---" {
		end := -1
		for i := 1; i < len(c.lines); i++ {
			if l := strings.TrimRight(c.lines[i], " \r"); l == "---" || l == "..." {
				end = i
				break
			}
		}
		if end < 0 {
			c.errorAt(1, 1, "front matter is not closed: end it with a line ---")
			return m, c.errs
		}
		fm := strings.Join(c.lines[:end], "\n")
		c.frontMatter(fm, &m)
		m.BodyLine = end + 2
		body = strings.Join(c.lines[end+1:], "\n")
	}
	// Leading blank lines are not part of the body.
	for {
		nl := strings.IndexByte(body, '\n')
		if nl < 0 || strings.TrimSpace(body[:nl]) != "" {
			break
		}
		body = body[nl+1:]
		m.BodyLine++
	}
	m.Body = strings.TrimRight(body, " \t\r\n")
	if strings.TrimSpace(m.Body) == "" && len(c.errs) == 0 {
		c.errorAt(m.BodyLine, 1, "message %s has no body", m.ID)
	}
	if len(c.errs) > 0 {
		return m, c.errs
	}
	return m, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimRight(s, " \r")
}

func firstInvalid(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}

func (c *checker) frontMatter(fm string, m *saydo.Message) {
	if fastFrontMatter(fm, m) {
		return
	}
	c.yamlFrontMatter(fm, m)
}

// yamlFrontMatter reads front matter with the YAML parser, reporting every
// problem at its line and column.
func (c *checker) yamlFrontMatter(fm string, m *saydo.Message) {
	var doc yamlv3.Node
	if err := yamlv3.Unmarshal([]byte(fm), &doc); err != nil {
		c.syntaxError(err)
		return
	}
	if len(doc.Content) == 0 {
		return
	}
	root := resolve(doc.Content[0])
	if root.Kind == yamlv3.ScalarNode && root.Tag == "!!null" {
		return
	}
	fields := c.mapping(root, "front matter", messageKeys)
	if fields == nil {
		return
	}
	if f, ok := fields["id"]; ok {
		m.ID = c.str(f, "id")
		if !messageIDRe.MatchString(m.ID) {
			c.errorf(f.val, "id: want letters, digits, dots, dashes and underscores, got %q", m.ID)
		}
	}
	if f, ok := fields["channel"]; ok {
		m.Channel = c.str(f, "channel")
		if !contains(saydo.Channels, m.Channel) {
			c.errorf(f.val, "channel: unknown channel %q (want one of %s)", m.Channel, strings.Join(saydo.Channels, ", "))
		}
	}
	if f, ok := fields["department"]; ok {
		m.Department = c.str(f, "department")
	}
	if f, ok := fields["stage"]; ok {
		m.Stage = saydo.Stage(c.str(f, "stage"))
		c.stage(f.val, m.Stage)
	}
	if f, ok := fields["lang"]; ok {
		m.Lang = c.str(f, "lang")
		if m.Lang != "" && !isoLang(m.Lang) {
			c.errorf(f.val, "lang: %q is not an ISO 639-1 code (such as en, ro)", m.Lang)
		}
	}
	if f, ok := fields["trigger"]; ok {
		m.Trigger = c.str(f, "trigger")
	}
	if f, ok := fields["intent"]; ok {
		m.Intent = saydo.Intent(c.str(f, "intent"))
		c.intent(f.val, m.Intent)
	}
	if f, ok := fields["suppress"]; ok {
		m.Suppress = c.strList(f, "suppress")
		for i, v := range m.Suppress {
			if v != saydo.SuppressComplaint {
				c.errorf(itemNode(f.val, i), "suppress: unknown condition %q (want complaint: not sent while the customer has an open complaint)", v)
			}
		}
	}
	if f, ok := fields["variables"]; ok {
		m.Variables = c.strList(f, "variables")
		for i, v := range m.Variables {
			if !variableRe.MatchString(v) {
				c.errorf(itemNode(f.val, i), "variables: %q is not a variable name (letters, digits and _)", v)
			}
		}
	}
}

// LoadMessages reads every message file under dir (MessageExts, hidden
// files and folders skipped), sorted by path. A message whose front matter
// names no department takes the name of its first folder under dir:
// messages/collections/overdue.txt is a collections message. Ids must be
// unique. Problems come back as a saydo.ErrorList; a missing dir is an
// error that errors.Is(err, fs.ErrNotExist) recognises.
func LoadMessages(dir string) ([]saydo.Message, error) {
	ms, _, err := LoadMessagesAndBroken(dir)
	return ms, err
}

// LoadMessagesAndBroken is LoadMessages that also returns, in broken,
// what could be read of each file with problems (its id, department,
// body), so a check can report every problem of a file and not only its
// first: an unknown key does not hide an unknown department or a broken
// placeholder below it. Broken messages take part in the duplicate-id
// check.
func LoadMessagesAndBroken(dir string) (ms, broken []saydo.Message, err error) {
	var paths []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if path != dir && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && contains(MessageExts, strings.ToLower(filepath.Ext(name))) {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("load messages: %w", err)
	}
	// Reading and parsing thousands of small files is the cost of linting
	// a catalogue: do it on every core, keeping the files' order.
	type result struct {
		m    saydo.Message
		errs saydo.ErrorList
		err  error
	}
	results := make([]result, len(paths))
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range min(runtime.GOMAXPROCS(0), max(1, len(paths)/64)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(paths) {
					return
				}
				r := &results[i]
				data, err := os.ReadFile(paths[i])
				if err != nil {
					r.err = err
					continue
				}
				m, err := ParseMessage(paths[i], data)
				var list saydo.ErrorList
				switch {
				case errors.As(err, &list):
					r.errs = list
				case err != nil:
					r.err = err
					continue
				}
				if m.Department == "" {
					if rel, err := filepath.Rel(dir, paths[i]); err == nil {
						if parts := strings.Split(filepath.ToSlash(rel), "/"); len(parts) > 1 {
							m.Department = parts[0]
						}
					}
				}
				r.m = m
			}
		}()
	}
	wg.Wait()
	var out []saydo.Message
	var errs saydo.ErrorList
	for _, r := range results {
		switch {
		case r.err != nil:
			return nil, nil, fmt.Errorf("load messages: %w", r.err)
		case r.errs != nil:
			errs = append(errs, r.errs...)
			broken = append(broken, r.m)
		default:
			out = append(out, r.m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	all := append(slices.Clone(out), broken...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].Path < all[j].Path })
	seen := map[string]string{}
	for _, m := range all {
		if p, dup := seen[m.ID]; dup {
			errs = append(errs, &saydo.PosError{Pos: saydo.Pos{File: m.Path, Line: 1, Col: 1}, Msg: fmt.Sprintf("duplicate message id %q (also %s)", m.ID, p)})
			continue
		}
		seen[m.ID] = m.Path
	}
	if len(errs) > 0 {
		return out, broken, errs
	}
	return out, broken, nil
}

// ReadMessagesCSV reads a CRM export of messages: a header row naming
// columns id and body, and any of channel, department, stage, lang,
// trigger, variables (separated by spaces, commas or semicolons); other
// columns are ignored. name is the file name used in positions. Rows that
// cannot be messages (a missing id or body, an unknown channel or stage, a
// duplicate id, a wrong column count, invalid UTF-8) are returned in
// rejected, each a *saydo.PosError with its line, and the good rows in
// msgs; err is for a file that cannot be read at all (no header, no id or
// body column). BodyLine is the line where the row's body field starts.
func ReadMessagesCSV(r io.Reader, name string) (msgs []saydo.Message, rejected saydo.ErrorList, err error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, fmt.Errorf("%s: empty file: want a header row with id and body", name)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if contains(messageCSVNames, h) {
			if _, dup := col[h]; dup {
				return nil, nil, fmt.Errorf("%s:1: column %q appears twice", name, h)
			}
			col[h] = i
		}
	}
	for _, need := range []string{"id", "body"} {
		if _, ok := col[need]; !ok {
			return nil, nil, fmt.Errorf("%s:1: missing column %q (want %s)", name, need, strings.Join(messageCSVNames, ","))
		}
	}
	seen := map[string]int{}
	reject := func(line, c int, format string, a ...any) {
		rejected = append(rejected, &saydo.PosError{Pos: saydo.Pos{File: name, Line: line, Col: c}, Msg: fmt.Sprintf(format, a...)})
	}
	lastLine := -1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if pe.StartLine == lastLine {
				break // no progress: the rest of the file is one broken field
			}
			lastLine = pe.StartLine
			reject(pe.StartLine, pe.Column, "unreadable row: %v", pe.Err)
			continue
		}
		if err != nil {
			return msgs, rejected, fmt.Errorf("%s: %w", name, err)
		}
		// Only now: FieldPos panics when the read failed with no field.
		line, _ := cr.FieldPos(0)
		lastLine = line
		if len(rec) != len(header) {
			reject(line, 1, "%d columns where the header has %d", len(rec), len(header))
			continue
		}
		get := func(k string) string {
			if i, ok := col[k]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		bad := false
		for i, v := range rec {
			if !utf8.ValidString(v) {
				l, c := cr.FieldPos(i)
				reject(l, c, "invalid UTF-8 in column %q", header[i])
				bad = true
				break
			}
		}
		if bad {
			continue
		}
		bodyLine, _ := cr.FieldPos(col["body"])
		m := saydo.Message{
			ID: get("id"), Path: name, Channel: get("channel"), Department: get("department"),
			Stage: saydo.Stage(get("stage")), Lang: strings.ToLower(get("lang")), Trigger: get("trigger"), Intent: saydo.Intent(strings.ToLower(get("intent"))),
			Body: strings.TrimRight(rec[col["body"]], " \t\r\n"), BodyLine: bodyLine,
		}
		if v := get("variables"); v != "" {
			m.Variables = strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '|' })
		}
		if m.Channel == "" {
			m.Channel = defaultChannel
		}
		cpos := func(k string) int {
			_, c := cr.FieldPos(col[k])
			return c
		}
		switch {
		case m.ID == "":
			reject(line, cpos("id"), "missing id")
		case !messageIDRe.MatchString(m.ID):
			reject(line, cpos("id"), "id %q: want letters, digits, dots, dashes and underscores", m.ID)
		case strings.TrimSpace(m.Body) == "":
			reject(line, cpos("body"), "message %s has no body", m.ID)
		case !contains(saydo.Channels, m.Channel):
			reject(line, cpos("channel"), "unknown channel %q (want one of %s)", m.Channel, strings.Join(saydo.Channels, ", "))
		case m.Stage != "" && !validStage(m.Stage):
			reject(line, cpos("stage"), "unknown stage %q", m.Stage)
		case m.Lang != "" && !isoLang(m.Lang):
			reject(line, cpos("lang"), "lang %q is not an ISO 639-1 code", m.Lang)
		case m.Intent != "" && !saydo.ValidIntent(string(m.Intent)):
			reject(line, cpos("intent"), "unknown intent %q (want offer, reminder, warning, survey, service or resolution)", m.Intent)
		case seen[m.ID] > 0:
			reject(line, cpos("id"), "duplicate id %q (first on line %d)", m.ID, seen[m.ID])
		default:
			for _, v := range m.Variables {
				if !variableRe.MatchString(v) {
					reject(line, cpos("variables"), "variables: %q is not a variable name", v)
					bad = true
					break
				}
			}
			if bad {
				continue
			}
			seen[m.ID] = line
			msgs = append(msgs, m)
		}
	}
	return msgs, rejected, nil
}

func validStage(s saydo.Stage) bool {
	for _, st := range saydo.Stages {
		if st == s {
			return true
		}
	}
	return false
}
