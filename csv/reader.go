// Package csv reads observation and feedback exports in CSV (or TSV, or any
// single-character delimiter) one record at a time, in constant memory, as
// saydo.Row values.
//
// A malformed record (wrong column count, bad quoting, invalid UTF-8, a line
// longer than MaxLine) comes back as a Row with Err set, and reading goes on
// with the next record: one bad row never stops an import.
package csv

import (
	"bufio"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/saydo/saydo"
)

// MaxLine is the longest line, in bytes, a Reader accepts; a longer line is
// a malformed record and the rest of it is skipped.
const MaxLine = 64 << 20

const bufSize = 64 << 10

// Reader reads CSV records as rows named by the header. It implements
// saydo.RowReader.
type Reader struct {
	lim    *limiter
	br     *bufio.Reader
	cr     *stdcsv.Reader
	comma  rune
	header []string
	// base is the number of lines before the current encoding/csv reader's
	// line 1, offBase the stream offset of its first byte; base is -1 until
	// known after a cut.
	base, offBase int64
}

// NewReader reads the header row of a comma-separated file. A UTF-8 byte
// order mark is dropped and CRLF line ends are fine. A header with an empty
// or repeated column name is an error naming the column.
func NewReader(r io.Reader) (*Reader, error) { return NewReaderComma(r, ',') }

// NewReaderComma is NewReader with another delimiter, such as '\t' for TSV
// or ';' for spreadsheets in locales where the comma is the decimal mark.
// With a tab, quotes inside fields are taken literally where unambiguous.
func NewReaderComma(r io.Reader, comma rune) (*Reader, error) {
	return newReader(r, comma, MaxLine)
}

func newReader(r io.Reader, comma rune, maxLine int64) (*Reader, error) {
	if comma == 0 || comma == '"' || comma == '\r' || comma == '\n' || comma == utf8.RuneError || !utf8.ValidRune(comma) {
		return nil, fmt.Errorf("csv: invalid delimiter %q", comma)
	}
	lim := &limiter{r: r, max: maxLine}
	rd := &Reader{lim: lim, br: bufio.NewReaderSize(lim, bufSize), comma: comma}
	if b, err := rd.br.Peek(3); err == nil && string(b) == "\uFEFF" {
		rd.br.Discard(3)
		rd.offBase = 3
	}
	rd.cr = rd.newCSV()
	row, err := rd.Next()
	switch {
	case err == io.EOF:
		return nil, errors.New("csv: empty file, want a header row")
	case err != nil:
		return nil, fmt.Errorf("csv: header: %w", err)
	case row.Err != nil:
		return nil, fmt.Errorf("csv: header: %w", row.Err)
	}
	header := make([]string, len(row.Values))
	seen := make(map[string]int, len(header))
	for i, v := range row.Values {
		name := strings.TrimSpace(v)
		switch {
		case name == "":
			return nil, fmt.Errorf("csv: header: column %d has no name", i+1)
		case !utf8.ValidString(name):
			return nil, fmt.Errorf("csv: header: column %d: invalid UTF-8", i+1)
		}
		if j, dup := seen[name]; dup {
			return nil, fmt.Errorf("csv: header: column %d %q repeats column %d", i+1, name, j+1)
		}
		seen[name] = i
		header[i] = name
	}
	rd.header = header
	return rd, nil
}

func (r *Reader) newCSV() *stdcsv.Reader {
	cr := stdcsv.NewReader(r.br) // shares br: it is a large enough *bufio.Reader
	cr.Comma = r.comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.LazyQuotes = r.comma == '\t'
	return cr
}

// Header returns the column names, trimmed of surrounding spaces. Every
// row's Names is this slice; do not modify it.
func (r *Reader) Header() []string { return r.header }

// Next returns the next record, or io.EOF after the last. Row.Line is the
// line where the record starts, counting the header as line 1 and quoted
// line breaks as lines. A malformed record has Row.Err set and a nil error.
//
// Row.Values is reused by the following call to Next: copy the slice to
// keep it past that. The strings in it are never modified.
func (r *Reader) Next() (saydo.Row, error) {
	r.lim.forget(r.lim.mark)
	recStart := r.lim.mark
	rec, err := r.cr.Read()
	if r.base < 0 && (err == nil || !errors.Is(err, errTooLong)) {
		r.base, r.offBase = r.lim.restartLines, r.lim.restart
	}
	if err == nil {
		line, _ := r.cr.FieldPos(0)
		row := saydo.Row{Line: r.base + int64(line), Names: r.header, Values: rec}
		r.lim.mark = r.offBase + r.cr.InputOffset()
		if r.header != nil && len(rec) != len(r.header) {
			row.Err = fmt.Errorf("line %d: %d fields, header has %d", row.Line, len(rec), len(r.header))
			return row, nil
		}
		for i, v := range rec {
			if !utf8.ValidString(v) {
				row.Err = fmt.Errorf("line %d: %s: invalid UTF-8", row.Line, r.column(i))
				return row, nil
			}
		}
		return row, nil
	}
	if err == io.EOF {
		return saydo.Row{}, io.EOF
	}
	var pe *stdcsv.ParseError
	if errors.As(err, &pe) && r.lim.tooLong && r.base >= 0 && r.base+int64(pe.Line) >= r.lim.badLine {
		// The syntax error is in the part of a line that was cut short.
		err = errTooLong
	}
	if errors.Is(err, errTooLong) {
		row := saydo.Row{Line: r.lim.badLine, Names: r.header}
		size := fmt.Sprintf("%d MiB", r.lim.max>>20)
		if r.lim.max < 1<<20 {
			size = fmt.Sprintf("%d bytes", r.lim.max)
		}
		if r.lim.multi {
			row.Err = fmt.Errorf("line %d: record longer than %s (an unclosed quote?)", row.Line, size)
		} else {
			row.Err = fmt.Errorf("line %d: line longer than %s", row.Line, size)
		}
		// Start afresh after the cut line, in a clean parser state.
		r.lim.resume()
		r.cr = r.newCSV()
		r.base = -1
		return row, nil
	}
	if errors.As(err, &pe) {
		r.lim.mark = r.offBase + r.cr.InputOffset()
		line := r.base + int64(pe.StartLine)
		msg := pe.Err.Error()
		if pe.Line != pe.StartLine {
			msg = fmt.Sprintf("%s (at line %d)", msg, r.base+int64(pe.Line))
		}
		raw := strings.TrimRight(r.lim.raw(recStart, r.lim.mark), "\r\n")
		return saydo.Row{Line: line, Names: r.header, Err: fmt.Errorf("line %d: %s", line, msg), Raw: raw}, nil
	}
	return saydo.Row{}, fmt.Errorf("csv: %w", err)
}

func (r *Reader) column(i int) string {
	if i < len(r.header) {
		return fmt.Sprintf("column %q", r.header[i])
	}
	return fmt.Sprintf("column %d", i+1)
}
