package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/saydo/saydo"
	sdcsv "github.com/saydo/saydo/csv"
	"github.com/saydo/saydo/jsonl"
	"github.com/saydo/saydo/ledger"
)

var ingestCommand = &command{
	name:  "ingest",
	args:  "observations|feedback|messages|contacts FILE...",
	short: "import evidence, customer feedback, messages or contacts (CSV or JSON Lines; - for stdin)",
	help: `Every row is accounted for: read = accepted + rejected + duplicates + replaced
(+ not stored, when --strict rolled the file back). Rejected rows go, with
their line number and reason, to a rejects file next to the input
(orders.csv -> orders.rejects.csv; for stdin, .saydo/rejects/stdin.rejects.csv). Importing the
same file twice changes nothing; an import killed part-way keeps what it
committed, and running it again completes it. Exit status 1 if any row was
rejected.

Observations need the columns metric, value and at (RFC 3339, YYYY-MM-DD,
"2015-02-24 11:35:52 -0800", RFC 1123 or Unix seconds); id and customer are
optional; every other column is an attribute usable in 'where' and --by. An
id is one observation of its metric: the same id again with another time or
value replaces it and is counted as replaced. Ids that grow with time
(numbers, ULIDs, UUIDv7) import fastest; random ones (UUIDv4) cost more.
Without an id a row is known by what it says: the same rows again, in any
order, or an export that overlaps the last one, add only what is new, and
two equal rows of one file stay two observations.

Contacts (what each department sent each customer, for saydo journeys) need
customer and at, and department, channel and intent (offer, reminder,
warning, survey, service, resolution) unless a message column names a
catalogue message whose front matter gives them; id is optional (with it,
a re-import adds nothing). Other columns are ignored.

Feedback needs at and either text or a score (nps 0-10, csat 1-5, ces 1-7,
rating 1-5); id, customer, channel, kind, lang and label are optional. Each
item is analysed as it is read (language, sentiment, anger, effort, the
promises it speaks of) and the per-day voice summaries are kept in the same
transactions. English messages to support (kind complaint, ticket, social or
call) have their sentiment read by a model learned from labelled support
tweets next to the rules; reviews, surveys, items of no kind and other
languages by the rules alone (docs/voice.md). An id seen before with other content replaces the stored item
and is counted as replaced (read = accepted + rejected + duplicates +
replaced). The same items give the same analyses and reports whatever the
order of their rows or how many files they come in.

Every kind goes through one importer: a field's column is found by name in
any case, a --map to a missing column, or a --map or --set of something
that is not a field, exits 2, and a --set value is used where a row has no
value of its own (attributes come from the file's columns).

Examples:
  saydo ingest observations data/calls.csv
  saydo ingest observations waits.jsonl --strict
  zcat big.csv.gz | saydo ingest observations - --format csv
  saydo ingest observations calls.csv --set metric=call_wait_seconds --map value=q_time --map at=q_start
  saydo ingest observations flights.csv --set metric=arrival_delay_minutes --map value=arr_delay \
      --set 'at={year}-{month}-{day}' --attrs carrier,origin,dest
                                          build a field from columns; keep three attributes
  saydo ingest observations export.csv --time-layout "02/01/2006 15:04"
  saydo ingest feedback complaints.csv --map text=body --map at=created
  saydo ingest messages crm-export.csv
  saydo ingest contacts crm-sends.csv --map customer=client_id --map at=sent_at
  saydo ingest contacts sms-log.csv --set channel=sms --set department=collections`,
	flags: func(fs *flag.FlagSet, o options) {
		o.defStr(fs, "format", "", "input format `csv|tsv|jsonl` (default: from the file extension)")
		o.defList(fs, "map", "read a field from another column: `FIELD=COLUMN` (repeatable)")
		o.defList(fs, "set", "give a field a value where the row has none, or build it from columns: `FIELD=VALUE`, at={year}-{month}-{day} (repeatable)")
		o.defStr(fs, "attrs", "", "keep only these columns as attributes: `COL,COL` (default: every column that is not a field)")
		o.defStr(fs, "time-layout", "", "Go time `LAYOUT` of the at column (default: detect common layouts)")
		o.defBool(fs, "strict", false, "all or nothing: store no row of a file if any row is rejected")
		o.defStr(fs, "rejects", "", "write rejected rows to `FILE` (default NAME.rejects.csv next to the input NAME.csv)")
		o.defStr(fs, "report", "text", "summary format `text|json`")
		o.defBool(fs, "quiet", false, "no progress on the terminal")
	},
	run: runIngest,
}

func runIngest(ctx context.Context, e *env, o options, args []string) error {
	if len(args) < 2 {
		return usageError{"want what to import (observations, feedback, messages or contacts) and at least one FILE"}
	}
	kind, paths := args[0], args[1:]
	switch kind {
	case "observations", "observation", "obs":
	case "feedback":
		return ingestFeedback(ctx, e, o, paths)
	case "messages", "message":
		return ingestMessages(ctx, e, o, paths)
	case "contacts", "contact":
		return ingestContacts(ctx, e, o, paths)
	default:
		return usageError{fmt.Sprintf("cannot import %q: want observations, feedback, messages or contacts", kind)}
	}
	opts, err := ingestOptions(e, o)
	if err != nil {
		return usageError{err.Error()}
	}
	ws, st, err := openWorkspace(ctx, e, o)
	if err != nil {
		return err
	}
	defer st.Close()
	rejected, err := ingestFiles(e, o, paths, opts, observationImporter(ctx, st, ws), auditImport(ctx, e, st, "observations"))
	if err != nil {
		return err
	}
	if err := refreshWithProgress(ctx, e, o, st, ws); err != nil {
		return err
	}
	if rejected > 0 {
		return problems("%d %s rejected", rejected, plural(int(rejected), "row", "rows"))
	}
	return nil
}

func refreshWithProgress(ctx context.Context, e *env, o options, st saydo.Store, ws *saydo.Workspace) error {
	showing := e.interactive && !o.boolean("quiet")
	if showing {
		fmt.Fprint(e.stderr, "summarising by promise and day…")
	}
	err := ledger.Refresh(ctx, st, ws)
	if err == nil {
		// Outcomes (customers who experienced a miss against the others)
		// for the next report to read back.
		err = ledger.RefreshOutcomes(ctx, st, ws, e.now())
	}
	if showing {
		fmt.Fprintf(e.stderr, "\r\033[K")
	}
	return err
}

// ingestOptions reads the flags shared by every kind of import, and
// takes the command's clock (the demo's, when it runs) as the import's,
// against which future dates are rejected.
func ingestOptions(e *env, o options) (ledger.IngestOptions, error) {
	opts := ledger.IngestOptions{Map: map[string]string{}, Set: map[string]string{}, TimeLayout: o.str("time-layout"), Strict: o.boolean("strict"), Now: e.now()}
	if a := strings.TrimSpace(o.str("attrs")); a != "" {
		for _, c := range strings.Split(a, ",") {
			if c = strings.TrimSpace(c); c != "" {
				opts.Attrs = append(opts.Attrs, c)
			}
		}
	}
	for _, m := range o.list("map") {
		field, col, ok := strings.Cut(m, "=")
		if !ok || field == "" || col == "" {
			return opts, fmt.Errorf("--map %q: want FIELD=COLUMN, e.g. --map value=q_time", m)
		}
		opts.Map[field] = col
	}
	for _, m := range o.list("set") {
		field, v, ok := strings.Cut(m, "=")
		if !ok || field == "" {
			return opts, fmt.Errorf("--set %q: want FIELD=VALUE, e.g. --set metric=call_wait_seconds", m)
		}
		opts.Set[field] = v
	}
	switch o.str("report") {
	case "text", "json":
	default:
		return opts, fmt.Errorf("--report %q: want text or json", o.str("report"))
	}
	return opts, nil
}

// fileResult is the accounting of one imported file.
type fileResult struct {
	name string // as typed, or "stdin"
	*ledger.IngestResult
	rejectsPath string // "" when no row was rejected
}

func displayName(path string) string {
	if path == "-" {
		return "stdin"
	}
	return path
}

// openInput opens a file or stdin, counting the bytes read for progress.
func openInput(e *env, path string) (io.ReadCloser, int64, error) {
	if path == "-" {
		return io.NopCloser(e.stdin), -1, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	size := int64(-1)
	if fi, err := f.Stat(); err == nil {
		if fi.IsDir() {
			f.Close()
			return nil, 0, fmt.Errorf("is a directory")
		}
		size = fi.Size()
	}
	return f, size, nil
}

// inputFormat picks csv, tsv or jsonl from --format or the extension.
func inputFormat(o options, path string) (string, error) {
	if f := o.str("format"); f != "" {
		switch f {
		case "csv", "tsv", "jsonl":
			return f, nil
		}
		return "", fmt.Errorf("--format %q: want csv, tsv or jsonl", f)
	}
	switch strings.ToLower(filepath.Ext(strings.TrimSuffix(path, ".gz"))) {
	case ".csv":
		return "csv", nil
	case ".tsv", ".tab":
		return "tsv", nil
	case ".jsonl", ".ndjson", ".json":
		return "jsonl", nil
	}
	if path == "-" {
		return "", fmt.Errorf("reading stdin: say --format csv or --format jsonl")
	}
	return "", fmt.Errorf("cannot tell the format from the name; say --format csv or --format jsonl")
}

// newRowReader opens the reader for a format.
func newRowReader(format string, r io.Reader) (saydo.RowReader, error) {
	switch format {
	case "tsv":
		return sdcsv.NewReaderComma(r, '\t')
	case "jsonl":
		return jsonl.NewReader(r), nil
	}
	return sdcsv.NewReader(r)
}

// countingReader counts bytes for the progress line.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// progress prints a one-line progress report on a terminal.
type progress struct {
	w     io.Writer
	name  string
	size  int64
	in    *countingReader
	start time.Time
	last  time.Time
}

func (p *progress) update(rows int64) {
	now := time.Now()
	if now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	rate := float64(rows) / now.Sub(p.start).Seconds()
	if p.size > 0 {
		frac := float64(p.in.n.Load()) / float64(p.size)
		bar := int(frac * 24)
		fmt.Fprintf(p.w, "\r\033[K%s [%s%s] %3.0f%% %s rows, %s rows/s", p.name,
			strings.Repeat("█", bar), strings.Repeat("░", 24-bar), frac*100, thousands(rows), thousands(int64(rate)))
		return
	}
	fmt.Fprintf(p.w, "\r\033[K%s %s rows, %s rows/s", p.name, thousands(rows), thousands(int64(rate)))
}

func (p *progress) done() { fmt.Fprint(p.w, "\r\033[K") }

// importer imports the rows of one file with the options of the command.
type importer func(rr saydo.RowReader, opts ledger.IngestOptions) (*ledger.IngestResult, error)

// ingestFile opens one input (a path or - for stdin), reads it as CSV, TSV
// or JSON Lines, shows progress on a terminal, and runs imp with a rejects
// file beside the input. Observations and feedback both come through here.
func ingestFile(e *env, o options, path string, opts ledger.IngestOptions, imp importer) (*fileResult, error) {
	format, err := inputFormat(o, path)
	if err != nil {
		return nil, err
	}
	in, size, err := openInput(e, path)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	cr := &countingReader{r: in}
	rr, err := newRowReader(format, bufio.NewReaderSize(cr, 1<<20))
	if err != nil {
		return nil, err
	}
	rejectsPath := o.str("rejects")
	if rejectsPath == "" {
		rejectsPath = defaultRejectsPath(o, path, format)
	}
	rw := &rejectsFile{path: rejectsPath, jsonl: format == "jsonl"}
	if o.str("rejects") == "" && path != "-" {
		// Beside the input when its folder is writable; in the workspace
		// when not (a shared, read-only data folder).
		rw.fallback = filepath.Join(workspaceDir(o), ".saydo", "rejects", filepath.Base(rejectsPath))
	}
	defer rw.close()
	opts.Rejects = rw
	if e.interactive && !o.boolean("quiet") {
		p := &progress{w: e.stderr, name: displayName(path), size: size, in: cr, start: time.Now()}
		opts.Progress = p.update
		defer p.done()
	}
	r, err := imp(rr, opts)
	if errors.Is(err, context.Canceled) && r != nil {
		return nil, interrupted(fmt.Sprintf("%s rows stored; run the same command again to finish (they will count as duplicates)", thousands(r.Accepted)))
	}
	if err != nil {
		return nil, err
	}
	if err := rw.close(); err != nil {
		return nil, err
	}
	res := &fileResult{name: displayName(path), IngestResult: r}
	if rw.n > 0 {
		res.rejectsPath = rw.path
	} else {
		os.Remove(rejectsPath) // a stale file from an earlier run would mislead
	}
	return res, nil
}

// ingestFiles imports every path with imp, printing each file's accounting
// (text) or all of them at the end (--report json), and returns how many
// rows were rejected in all.
//
// audit is called for every file imported, so that command-line imports
// are in the audit log as the server's are (see auditImport).
func ingestFiles(e *env, o options, paths []string, opts ledger.IngestOptions, imp importer, audit func(file string, r *ledger.IngestResult)) (int64, error) {
	var rejected int64
	var results []*fileResult
	for _, path := range paths {
		r, err := ingestFile(e, o, path, opts, imp)
		if err != nil {
			return rejected, fmt.Errorf("%s: %w", displayName(path), err)
		}
		audit(displayName(path), r.IngestResult)
		rejected += r.Rejected
		results = append(results, r)
		if o.str("report") == "text" {
			printIngestResult(e.stdout, displayName(path), r.IngestResult, r.rejectsPath)
		}
	}
	if o.str("report") == "json" {
		printIngestJSON(e.stdout, results)
	}
	return rejected, nil
}

// auditImport returns the audit hook of ingestFiles: it records each file
// imported as the server records its imports (action ingest_KIND, the
// counts in the detail), with "cli" as the actor. A store without an audit
// log records nothing; a failed write is a warning, not a failed import
// (the rows are stored).
func auditImport(ctx context.Context, e *env, st saydo.Store, kind string) func(string, *ledger.IngestResult) {
	rs, ok := st.(saydo.ReviewStore)
	return func(file string, r *ledger.IngestResult) {
		if !ok {
			return
		}
		detail := fmt.Sprintf("%s: read %d, accepted %d, rejected %d, duplicates %d", file, r.Read, r.Accepted, r.Rejected, r.Duplicates)
		if !r.Committed {
			detail += "; --strict: nothing stored"
		}
		err := rs.AppendAudit(ctx, saydo.AuditEntry{At: e.now().UTC(), Actor: "cli", Action: "ingest_" + kind, Target: kind, Detail: detail})
		if err != nil {
			fmt.Fprintf(e.stderr, "saydo ingest: warning: the audit log was not written: %v\n", err)
		}
	}
}

func observationImporter(ctx context.Context, st saydo.Store, ws *saydo.Workspace) importer {
	return func(rr saydo.RowReader, opts ledger.IngestOptions) (*ledger.IngestResult, error) {
		return ledger.IngestObservations(ctx, st, ws, rr, opts)
	}
}

// defaultRejectsPath puts rejects beside the input, in the input's format:
// data.csv -> data.rejects.csv, data.jsonl -> data.rejects.jsonl.
func defaultRejectsPath(o options, path, format string) string {
	ext := ".rejects.csv"
	if format == "jsonl" {
		ext = ".rejects.jsonl"
	}
	if path == "-" {
		return filepath.Join(workspaceDir(o), ".saydo", "rejects", "stdin"+ext)
	}
	return strings.TrimSuffix(path, filepath.Ext(path)) + ext
}

// rejectsFile writes rejected rows, created only when the first row is
// rejected. From CSV: line, reason, then the row's own columns. From JSON
// Lines: one object per row with "_line" and "_reason" before its fields.
type rejectsFile struct {
	path string
	// fallback is used when path cannot be created (a read-only folder).
	fallback string
	jsonl    bool
	f        *os.File
	w        *csv.Writer
	bw       *bufio.Writer
	header   string
	n        int64
}

func (r *rejectsFile) Reject(row *saydo.Row, reason string) error {
	if r.f == nil {
		f, err := createFile(r.path)
		if err != nil && r.fallback != "" {
			var ferr error
			if f, ferr = createFile(r.fallback); ferr == nil {
				r.path, err = r.fallback, nil
			}
		}
		if err != nil {
			return err
		}
		r.f = f
		if r.jsonl {
			r.bw = bufio.NewWriter(f)
		} else {
			r.w = csv.NewWriter(f)
		}
	}
	if r.jsonl {
		r.n++
		return writeRejectJSON(r.bw, row, reason)
	}
	if row.Raw != "" {
		// A record the reader could not split: its text, as read, in the
		// first column after reason, to be fixed and imported again.
		if r.n == 0 {
			r.header = strings.Join(row.Names, "\x00")
			if err := r.w.Write(append([]string{"line", "reason"}, row.Names...)); err != nil {
				return err
			}
		}
		r.n++
		return r.w.Write([]string{fmt.Sprint(row.Line), reason, strings.ToValidUTF8(row.Raw, "\uFFFD")})
	}
	if h := strings.Join(row.Names, "\x00"); r.n == 0 || h != r.header {
		r.header = h
		if err := r.w.Write(append([]string{"line", "reason"}, row.Names...)); err != nil {
			return err
		}
	}
	r.n++
	vals := make([]string, 0, len(row.Values)+2)
	vals = append(vals, fmt.Sprint(row.Line), reason)
	for _, v := range row.Values {
		vals = append(vals, strings.ToValidUTF8(v, "\uFFFD"))
	}
	return r.w.Write(vals)
}

func (r *rejectsFile) close() error {
	if r.f == nil {
		return nil
	}
	var err error
	if r.jsonl {
		err = r.bw.Flush()
	} else {
		r.w.Flush()
		err = r.w.Error()
	}
	f := r.f
	r.f = nil
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// interrupted is an import stopped by Ctrl-C: it says what was kept, and is
// a context.Canceled for the exit status.
type interrupted string

func (i interrupted) Error() string { return string(i) }
func (i interrupted) Unwrap() error { return context.Canceled }

// createFile creates a file and the folders above it.
func createFile(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	return os.Create(path)
}

// writeRejectJSON writes one rejected JSON Lines row as an object, fields
// in their original order.
func writeRejectJSON(w *bufio.Writer, row *saydo.Row, reason string) error {
	w.WriteString(`{"_line":`)
	w.WriteString(fmt.Sprint(row.Line))
	w.WriteString(`,"_reason":`)
	b, _ := json.Marshal(reason)
	w.Write(b)
	if row.Raw != "" {
		// A line the reader could not split: its text, to fix and re-import.
		w.WriteString(`,"_raw":`)
		b, _ = json.Marshal(strings.ToValidUTF8(row.Raw, "\uFFFD"))
		w.Write(b)
	}
	for i, name := range row.Names {
		if i >= len(row.Values) {
			break
		}
		k, _ := json.Marshal(strings.ToValidUTF8(name, "\uFFFD"))
		v, _ := json.Marshal(strings.ToValidUTF8(row.Values[i], "\uFFFD"))
		w.WriteByte(',')
		w.Write(k)
		w.WriteByte(':')
		w.Write(v)
	}
	_, err := w.WriteString("}\n")
	return err
}

func printIngestResult(w io.Writer, name string, r *ledger.IngestResult, rejectsPath string) {
	rate := ""
	if s := r.Elapsed.Seconds(); s > 0 && r.Read > 0 {
		rate = fmt.Sprintf(" in %.1fs (%s rows/s)", s, thousands(int64(float64(r.Read)/s)))
	}
	replaced := ""
	if r.Replaced > 0 {
		replaced = fmt.Sprintf(" + %s replaced", thousands(r.Replaced))
	}
	if r.NotStored > 0 {
		replaced += fmt.Sprintf(" + %s not stored", thousands(r.NotStored))
	}
	fmt.Fprintf(w, "%s: %s read = %s accepted + %s rejected + %s duplicates%s%s\n", name,
		thousands(r.Read), thousands(r.Accepted), thousands(r.Rejected), thousands(r.Duplicates), replaced, rate)
	if !r.Committed {
		fmt.Fprintf(w, "  --strict: nothing stored because %s %s rejected\n", thousands(r.Rejected), plural(int(r.Rejected), "row was", "rows were"))
	}
	if r.Rejected > 0 {
		for _, rj := range r.FirstRejects {
			fmt.Fprintf(w, "  line %d: %s\n", rj.Line, rj.Reason)
		}
		if r.Rejected > int64(len(r.FirstRejects)) {
			fmt.Fprintf(w, "  … and %s more\n", thousands(r.Rejected-int64(len(r.FirstRejects))))
		}
		if rejectsPath != "" {
			fmt.Fprintf(w, "  every rejected row, with its line and reason: %s\n", rejectsPath)
		}
	}
}

func printIngestJSON(w io.Writer, results []*fileResult) {
	type file struct {
		File       string             `json:"file"`
		Read       int64              `json:"read"`
		Accepted   int64              `json:"accepted"`
		Rejected   int64              `json:"rejected"`
		Duplicates int64              `json:"duplicates"`
		Replaced   int64              `json:"replaced"`
		Committed  bool               `json:"committed"`
		NotStored  int64              `json:"not_stored"`
		Rejects    string             `json:"rejects_file,omitempty"`
		First      []ledger.Rejection `json:"first_rejects,omitempty"`
		Seconds    float64            `json:"seconds"`
	}
	var out struct {
		Files []file `json:"files"`
	}
	for _, fr := range results {
		out.Files = append(out.Files, file{fr.name, fr.Read, fr.Accepted, fr.Rejected, fr.Duplicates, fr.Replaced, fr.Committed, fr.NotStored, fr.rejectsPath, fr.FirstRejects, fr.Elapsed.Seconds()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}

// thousands formats n with thin separators: 1,234,567.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
