// Package jsonl reads observation and feedback exports in JSON Lines, one
// flat JSON object per line, one record at a time in constant memory, as
// saydo.Row values.
//
// A malformed line (invalid JSON, a nested value, invalid UTF-8, a line
// longer than MaxLine) comes back as a Row with Err set, and reading goes on
// with the next line: one bad row never stops an import.
package jsonl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/saydo/saydo"
)

// MaxLine is the longest line, in bytes, a Reader accepts; a longer line is
// a malformed record and the rest of it is skipped.
const MaxLine = 64 << 20

const bufSize = 64 << 10

// Reader reads JSON Lines as rows. It implements saydo.RowReader.
type Reader struct {
	br      *bufio.Reader
	max     int
	line    int64 // lines read so far
	buf     []byte
	names   []string
	values  []string
	started bool
}

// NewReader returns a reader of one JSON object per line. Blank lines are
// skipped, a UTF-8 byte order mark is dropped and CRLF line ends are fine.
func NewReader(r io.Reader) *Reader { return newReader(r, MaxLine) }

func newReader(r io.Reader, max int) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, bufSize), max: max}
}

// Next returns the next object, or io.EOF after the last. Row.Names are its
// keys in the order written and Row.Values their values as text: strings
// unescaped, numbers as written, true and false as "true" and "false", null
// as "". A nested object or array, invalid JSON, a repeated key or invalid
// UTF-8 make a Row with Err set and a nil error.
//
// Row.Names and Row.Values are reused by the following call to Next: copy
// the slices to keep them past that. The strings in them are never modified.
func (r *Reader) Next() (saydo.Row, error) {
	for {
		line, tooLong, err := r.readLine()
		if err == io.EOF {
			return saydo.Row{}, io.EOF
		}
		if err != nil {
			return saydo.Row{}, fmt.Errorf("jsonl: %w", err)
		}
		row := saydo.Row{Line: r.line}
		if tooLong {
			row.Err = fmt.Errorf("line %d: line longer than %s", r.line, size(r.max))
			return row, nil
		}
		if !r.started {
			r.started = true
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if !utf8.Valid(line) {
			row.Err = fmt.Errorf("line %d: invalid UTF-8", r.line)
			row.Raw = string(line)
			return row, nil
		}
		r.names, r.values = r.names[:0], r.values[:0]
		if err := r.parse(line); err != nil {
			row.Err = fmt.Errorf("line %d: %w", r.line, err)
			row.Raw = string(line)
			return row, nil
		}
		row.Names, row.Values = r.names, r.values
		return row, nil
	}
}

func size(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// readLine returns the next line without its line end. A line longer than
// max is skipped to its end and reported with tooLong.
func (r *Reader) readLine() (line []byte, tooLong bool, err error) {
	b, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.buf = append(r.buf[:0], b...)
		for err == bufio.ErrBufferFull {
			b, err = r.br.ReadSlice('\n')
			if len(r.buf)+len(b) > r.max+2 {
				tooLong = true
				r.buf = r.buf[:0]
				// Skip to the end of the line.
				for err == bufio.ErrBufferFull {
					_, err = r.br.ReadSlice('\n')
				}
				break
			}
			r.buf = append(r.buf, b...)
		}
		b = r.buf
	}
	if tooLong {
		r.line++
		return nil, true, nil
	}
	if len(b) == 0 && err != nil {
		return nil, false, err
	}
	r.line++
	b = bytes.TrimSuffix(b, []byte{'\n'})
	b = bytes.TrimSuffix(b, []byte{'\r'})
	if len(b) > r.max {
		return nil, true, nil
	}
	if err == io.EOF {
		err = nil
	}
	return b, false, err
}

// parse reads one flat JSON object into r.names and r.values.
func (r *Reader) parse(line []byte) error {
	// One string holds every plain key and value of the line.
	s := string(line)
	p := parser{s: s}
	p.space()
	if !p.eat('{') {
		return p.errorf("want a JSON object")
	}
	p.space()
	if p.eat('}') {
		return p.end()
	}
	for {
		p.space()
		keyAt := p.i
		key, err := p.str()
		if err != nil {
			return err
		}
		if r.has(key) {
			return fmt.Errorf("column %d: repeated key %q", keyAt+1, key)
		}
		p.space()
		if !p.eat(':') {
			return p.errorf("want ':' after key %q", key)
		}
		p.space()
		v, err := p.value(key)
		if err != nil {
			return err
		}
		r.names = append(r.names, key)
		r.values = append(r.values, v)
		p.space()
		if p.eat('}') {
			return p.end()
		}
		if !p.eat(',') {
			return p.errorf("want ',' or '}' after the value of %q", key)
		}
	}
}

func (r *Reader) has(key string) bool {
	for _, n := range r.names {
		if n == key {
			return true
		}
	}
	return false
}

type parser struct {
	s string
	i int
}

func (p *parser) errorf(format string, args ...any) error {
	if p.i >= len(p.s) {
		return fmt.Errorf("unexpected end of line: "+format, args...)
	}
	return fmt.Errorf("column %d: unexpected %q: "+format, append([]any{p.i + 1, rune(p.s[p.i])}, args...)...)
}

func (p *parser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\r' || p.s[p.i] == '\n') {
		p.i++
	}
}

func (p *parser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *parser) end() error {
	p.space()
	if p.i < len(p.s) {
		return p.errorf("want the end of the line after the object (one object per line)")
	}
	return nil
}

// str reads a JSON string starting at p.i.
func (p *parser) str() (string, error) {
	if !p.eat('"') {
		return "", p.errorf("want a string key")
	}
	start := p.i
	escaped := false
	for p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == '"':
			p.i++
			if !escaped {
				return p.s[start : p.i-1], nil
			}
			var out string
			if err := json.Unmarshal([]byte(p.s[start-1:p.i]), &out); err != nil {
				return "", fmt.Errorf("column %d: bad escape in string", start)
			}
			return out, nil
		case c == '\\':
			escaped = true
			p.i += 2
		case c < 0x20:
			return "", p.errorf("control character in string")
		default:
			p.i++
		}
	}
	p.i = len(p.s)
	return "", p.errorf("unterminated string")
}

func (p *parser) value(key string) (string, error) {
	if p.i >= len(p.s) {
		return "", p.errorf("want a value for %q", key)
	}
	switch c := p.s[p.i]; {
	case c == '"':
		return p.str()
	case c == '{':
		return "", fmt.Errorf("column %d: %q is a nested object; want a flat object of strings, numbers, booleans and nulls", p.i+1, key)
	case c == '[':
		return "", fmt.Errorf("column %d: %q is an array; want a flat object of strings, numbers, booleans and nulls", p.i+1, key)
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(key)
	}
	for _, lit := range [...]struct{ word, value string }{{"true", "true"}, {"false", "false"}, {"null", ""}} {
		if len(p.s)-p.i >= len(lit.word) && p.s[p.i:p.i+len(lit.word)] == lit.word {
			p.i += len(lit.word)
			return lit.value, nil
		}
	}
	return "", p.errorf("want a value for %q", key)
}

// number reads a JSON number and returns it as written.
func (p *parser) number(key string) (string, error) {
	start := p.i
	p.eat('-')
	digits := func() int {
		n := 0
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	switch {
	case p.eat('0'):
	case digits() == 0:
		return "", p.errorf("bad number for %q", key)
	}
	if p.eat('.') && digits() == 0 {
		return "", p.errorf("bad number for %q: want digits after '.'", key)
	}
	if p.eat('e') || p.eat('E') {
		if !p.eat('+') {
			p.eat('-')
		}
		if digits() == 0 {
			return "", p.errorf("bad number for %q: want digits in the exponent", key)
		}
	}
	return p.s[start:p.i], nil
}
