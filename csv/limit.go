package csv

import (
	"bytes"
	"errors"
	"io"
)

// errTooLong is returned by limiter when a line or record grows past the
// limit. It is sticky until resume, so encoding/csv cannot read on into the
// next line and glue it to the record it abandoned.
var errTooLong = errors.New("too long")

// recordSlack is how far the limiter may read past the end of a record
// whose end it has not yet been told about (the bufio read-ahead, twice).
const recordSlack = 2 * bufSize

// limiter sits between the source and encoding/csv and cuts any line longer
// than max bytes, or any record (an unclosed quote swallowing the rest of
// the file) longer than max plus read-ahead, so one absurd record cannot
// take all memory. The bytes after a cut, up to the next newline, are
// dropped; reading resumes on the following line.
type limiter struct {
	r   io.Reader
	max int64

	pending []byte // bytes read from r but not yet passed on
	err     error  // error from r to return once pending is drained

	pos    int64 // stream offset of the next byte to pass on
	mark   int64 // stream offset where the record being read starts
	lines  int64 // newlines passed on or skipped
	lastNL int64 // stream offset just past the last newline

	tooLong bool  // errTooLong is pending, until resume
	badLine int64 // the 1-based line holding the cut
	multi   bool  // the cut record spans several lines
	skip    bool  // dropping bytes up to the next newline
	restart int64 // stream offset where reading resumed after a cut
	// restartLines counts the lines before restart.
	restartLines int64

	// rec holds the bytes passed on from stream offset recStart, so the
	// text of a record encoding/csv cannot split can be given back (Raw).
	// Bytes before the current record are dropped as reading goes on.
	rec      []byte
	recStart int64
}

// recordKeep is how many bytes before the current record rec may hold
// before they are dropped: compacting in large steps keeps the cost at one
// copy per byte.
const recordKeep = 1 << 20

// raw returns the bytes passed on in [from, to), or "" when they are no
// longer held.
func (l *limiter) raw(from, to int64) string {
	if from < l.recStart || to > l.recStart+int64(len(l.rec)) || from > to {
		return ""
	}
	return string(l.rec[from-l.recStart : to-l.recStart])
}

// forget drops held bytes before stream offset off, in large steps.
func (l *limiter) forget(off int64) {
	if d := off - l.recStart; d > recordKeep && d <= int64(len(l.rec)) {
		n := copy(l.rec, l.rec[d:])
		l.rec = l.rec[:n]
		l.recStart = off
	}
}

// resume clears errTooLong; the rest of the cut line is skipped by the next
// Read.
func (l *limiter) resume() { l.tooLong = false }

func (l *limiter) fill(p []byte) (int, error) {
	if len(l.pending) > 0 {
		n := copy(p, l.pending)
		l.pending = l.pending[n:]
		return n, nil
	}
	if l.err != nil {
		return 0, l.err
	}
	return l.r.Read(p)
}

func (l *limiter) Read(p []byte) (int, error) {
	n, err := l.read(p)
	if n > 0 {
		// The n bytes passed on are the stream's [pos-n, pos).
		if start := l.pos - int64(n); start != l.recStart+int64(len(l.rec)) {
			l.rec, l.recStart = l.rec[:0], start // a cut line's rest was skipped
		}
		l.rec = append(l.rec, p[:n]...)
	}
	return n, err
}

func (l *limiter) read(p []byte) (int, error) {
	if l.tooLong {
		return 0, errTooLong
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := l.fill(p)
		if l.skip {
			i := bytes.IndexByte(p[:n], '\n')
			if i < 0 {
				l.pos += int64(n)
				if err != nil {
					return 0, err
				}
				continue
			}
			l.skip = false
			l.pos += int64(i + 1)
			l.lines++
			l.lastNL, l.mark, l.restart = l.pos, l.pos, l.pos
			l.restartLines = l.lines
			n = copy(p, p[i+1:n])
			if n == 0 {
				if err != nil {
					return 0, err
				}
				continue
			}
		}
		if n == 0 {
			return 0, err
		}
		data := p[:n]
		// The record limit, then the line limit, in stream order.
		cut := n
		if room := l.mark + l.max + recordSlack - l.pos; room < int64(n) {
			cut = int(max(room, 0))
			l.multi = true
		}
		if cut == n && int64(n) <= l.max {
			// No line wholly inside data can be too long; only the one
			// continuing from before it can.
			first := bytes.IndexByte(data[:cut], '\n')
			end := first
			if first < 0 {
				end = cut
			}
			if l.pos+int64(end)-l.lastNL <= l.max {
				if first >= 0 {
					l.lines += int64(bytes.Count(data[first:], []byte{'\n'}))
					l.lastNL = l.pos + int64(bytes.LastIndexByte(data, '\n')) + 1
				}
				l.pos += int64(n)
				return n, err
			}
		}
		start := 0
		for start <= cut {
			i := bytes.IndexByte(data[start:cut], '\n')
			end := cut
			if i >= 0 {
				end = start + i
			}
			if l.pos+int64(end)-l.lastNL > l.max {
				cut = int(l.lastNL + l.max - l.pos)
				l.multi = false
				break
			}
			if i < 0 {
				break
			}
			l.lines++
			l.lastNL = l.pos + int64(end) + 1
			start = end + 1
		}
		if cut == n {
			l.pos += int64(n)
			return n, err
		}
		// Keep the bytes after the cut for the skip, and the error for later.
		rest := make([]byte, 0, n-cut+len(l.pending))
		l.pending = append(append(rest, data[cut:]...), l.pending...)
		if err != nil {
			l.err = err
		}
		l.pos += int64(cut)
		l.badLine = l.lines + 1
		l.tooLong, l.skip = true, true
		if cut == 0 {
			return 0, errTooLong
		}
		return cut, nil
	}
}
