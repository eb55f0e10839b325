package csv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll reads every row, rendering each as "line: v1|v2" or "line: ERR msg".
func readAll(t testing.TB, r *Reader) []string {
	t.Helper()
	var out []string
	for {
		row, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if row.Err != nil {
			out = append(out, fmt.Sprintf("%d: ERR %v", row.Line, row.Err))
			continue
		}
		out = append(out, fmt.Sprintf("%d: %s", row.Line, strings.Join(row.Values, "|")))
	}
}

func TestReader(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		comma      rune
		maxLine    int64
		wantHeader string
		want       []string
	}{
		{
			name: "plain", in: "metric,value,at\ncalls,12,2026-01-01\ncalls,13,2026-01-02\n",
			wantHeader: "metric|value|at",
			want:       []string{"2: calls|12|2026-01-01", "3: calls|13|2026-01-02"},
		},
		{
			name: "bom crlf no final newline", in: "\uFEFFmetric,value\r\ncalls,1\r\ncalls,2",
			wantHeader: "metric|value",
			want:       []string{"2: calls|1", "3: calls|2"},
		},
		{
			name: "header names trimmed", in: " metric , value\ncalls,1\n",
			wantHeader: "metric|value",
			want:       []string{"2: calls|1"},
		},
		{
			name: "quoted newlines count as lines", in: "id,text\n1,\"two\nlines\"\n2,\"three\r\nline\nfield\"\n3,plain\n",
			wantHeader: "id|text",
			want:       []string{"2: 1|two\nlines", "4: 2|three\nline\nfield", "7: 3|plain"},
		},
		{
			name: "blank lines skipped", in: "a,b\n\n1,2\n\n\n3,4\n",
			wantHeader: "a|b",
			want:       []string{"3: 1|2", "6: 3|4"},
		},
		{
			name: "wrong column count", in: "a,b,c,d\n1,2,3,4\n1,2,3,4,5\n1,2\n5,6,7,8\n",
			wantHeader: "a|b|c|d",
			want: []string{"2: 1|2|3|4", "3: ERR line 3: 5 fields, header has 4",
				"4: ERR line 4: 2 fields, header has 4", "5: 5|6|7|8"},
		},
		{
			name: "invalid utf-8", in: "a,b\n1,\xff\xfe\n2,ok\n",
			wantHeader: "a|b",
			want:       []string{`2: ERR line 2: column "b": invalid UTF-8`, "3: 2|ok"},
		},
		{
			name: "bare quote then recovery", in: "a,b\n1,x\"y\n2,ok\n",
			wantHeader: "a|b",
			want:       []string{`2: ERR line 2: bare " in non-quoted-field`, "3: 2|ok"},
		},
		{
			name: "tsv", in: "a\tb\n1\tsays \"hi\"\n2\tx,y\n", comma: '\t',
			wantHeader: "a|b",
			want:       []string{`2: 1|says "hi"`, "3: 2|x,y"},
		},
		{
			name: "semicolon", in: "a;b\n1,5;2\n", comma: ';',
			wantHeader: "a|b",
			want:       []string{"2: 1,5|2"},
		},
		{
			name: "long line cut and skipped", maxLine: 20,
			in:         "a,b\n1,short\n2," + strings.Repeat("x", 50) + "\n3,after\n",
			wantHeader: "a|b",
			want:       []string{"2: 1|short", "3: ERR line 3: line longer than 20 bytes", "4: 3|after"},
		},
		{
			name: "long line at end of file", maxLine: 20,
			in:         "a,b\n1,short\n2," + strings.Repeat("x", 50),
			wantHeader: "a|b",
			want:       []string{"2: 1|short", "3: ERR line 3: line longer than 20 bytes"},
		},
		{
			name: "long quoted line then more", maxLine: 20,
			in:         "a,b\n1,\"" + strings.Repeat("y", 50) + "\"\n2,\"ok\nfine\"\n3,z\n",
			wantHeader: "a|b",
			want:       []string{"2: ERR line 2: line longer than 20 bytes", "3: 2|ok\nfine", "5: 3|z"},
		},
		{
			name: "several long lines in a row", maxLine: 10,
			in:         "a,b\n" + strings.Repeat(strings.Repeat("w", 30)+"\n", 3) + "1,2\n",
			wantHeader: "a|b",
			want: []string{"2: ERR line 2: line longer than 10 bytes", "3: ERR line 3: line longer than 10 bytes",
				"4: ERR line 4: line longer than 10 bytes", "5: 1|2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			comma, max := tt.comma, tt.maxLine
			if comma == 0 {
				comma = ','
			}
			if max == 0 {
				max = MaxLine
			}
			for _, mode := range []string{"whole", "one byte at a time"} {
				var src io.Reader = strings.NewReader(tt.in)
				if mode != "whole" {
					src = iotest.OneByteReader(src)
				}
				r, err := newReader(src, comma, max)
				if err != nil {
					t.Fatalf("%s: newReader: %v", mode, err)
				}
				if got := strings.Join(r.Header(), "|"); got != tt.wantHeader {
					t.Errorf("%s: Header() = %q, want %q", mode, got, tt.wantHeader)
				}
				got := readAll(t, r)
				if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
					t.Errorf("%s: rows:\ngot  %q\nwant %q", mode, got, tt.want)
				}
			}
		})
	}
}

func TestUnclosedQuoteIsCut(t *testing.T) {
	// An unclosed quote would swallow the file; the record limit stops it.
	in := "a,b\n1,\"open\n" + strings.Repeat("line of text\n", 100000) + "2,x\n"
	r, err := newReader(strings.NewReader(in), ',', 1000)
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	if len(rows) == 0 || !strings.Contains(rows[0], "ERR") || !strings.Contains(rows[0], "unclosed quote") {
		t.Fatalf("first row = %q, want a record-too-long error", rows[:min(len(rows), 1)])
	}
	if got, want := rows[len(rows)-1], "100003: 2|x"; got != want {
		t.Errorf("last row = %q, want %q", got, want)
	}
}

// TestRawOfUnsplittableRecords: a record encoding/csv cannot split keeps
// its text, so the rejects file can hold it to be fixed (issue 13 item 7).
func TestRawOfUnsplittableRecords(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // Raw of each row, "-" for a row that was split
	}{
		{"the fuzzer's open quote", "id,BodY\n\"0", []string{`"0`}},
		{"bare quote mid-file", "a,b\n1,2\n3,x\"y\"z\n4,5\n", []string{"-", `3,x"y"z`, "-"}},
		{"quote runs over lines", "a,b\n1,\"two\nlines\" tail\n4,5\r\n", []string{"1,\"two\nlines\" tail", "-"}},
		{"wrong field count is split", "a,b\n1,2,3\n", []string{"-"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for {
				row, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if row.Raw == "" {
					got = append(got, "-")
				} else {
					got = append(got, row.Raw)
				}
			}
			if strings.Join(got, "\x00") != strings.Join(tt.want, "\x00") {
				t.Errorf("Raw: got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRawBufferIsBounded: keeping the text for Raw must not keep the file.
func TestRawBufferIsBounded(t *testing.T) {
	in := "a,b\n" + strings.Repeat("123456789,abcdefghijklmnopqrstuvwxyz\n", 200000) // 7 MB
	r, err := NewReader(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	if len(rows) != 200000 {
		t.Fatalf("read %d rows, want 200000", len(rows))
	}
	if n := cap(r.lim.rec); n > 3*recordKeep {
		t.Errorf("held %d bytes after reading 7 MB, want at most %d", n, 3*recordKeep)
	}
}

func TestNewReaderErrors(t *testing.T) {
	tests := []struct {
		name, in string
		comma    rune
		want     string
	}{
		{"empty", "", ',', "empty file"},
		{"only blank lines", "\n\n", ',', "empty file"},
		{"empty name", "a,,c\n", ',', "header: column 2 has no name"},
		{"blank name", "a, ,c\n", ',', "header: column 2 has no name"},
		{"duplicate", "metric,at,value,at\n", ',', `header: column 4 "at" repeats column 2`},
		{"invalid utf-8", "a,\xff\n", ',', "header: line 1: column 2: invalid UTF-8"},
		{"bad quote", "a,\"b\n", ',', "header: line 1"},
		{"bad delimiter", "a\n", '"', "invalid delimiter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewReaderComma(strings.NewReader(tt.in), tt.comma)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewReaderComma(%q) error = %v, want it to contain %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	r, err := NewReader(io.MultiReader(strings.NewReader("a,b\n1,2\n"), iotest.ErrReader(boom)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatalf("first Next: %v", err)
	}
	if _, err := r.Next(); !errors.Is(err, boom) {
		t.Errorf("second Next error = %v, want %v", err, boom)
	}
}

// repeatReader yields n bytes of c without holding them in memory.
type repeatReader struct {
	c byte
	n int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), r.n)
	for i := range p[:k] {
		p[i] = r.c
	}
	r.n -= k
	return int(k), nil
}

func TestHugeLines(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 75 MB")
	}
	// A 10 MB field is fine; a line over 64 MiB is a rejected row, and the
	// next line is read.
	src := io.MultiReader(
		strings.NewReader("id,text\n1,"), &repeatReader{'a', 10 << 20}, strings.NewReader("\n2,"),
		&repeatReader{'b', MaxLine + 1}, strings.NewReader("\n3,end\n"),
	)
	r, err := NewReader(src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case row.Err != nil:
			got = append(got, fmt.Sprintf("%d: ERR %v", row.Line, row.Err))
		default:
			got = append(got, fmt.Sprintf("%d: %s %d", row.Line, row.Values[0], len(row.Values[1])))
		}
	}
	want := []string{"2: 1 10485760", "3: ERR line 3: line longer than 64 MiB", "4: 3 3"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\ngot  %q\nwant %q", got, want)
	}
}

func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n", "a,b\r\n\"x\ny\",2\r\n", "\uFEFFa\n\"", "a,b\n1\n1,2,3\n", "a,b\n\xff,1\n",
		"a,b\n" + strings.Repeat("z", 100) + "\n1,2\n", "a\n\"open\n\n\nx\n",
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, limit uint8) {
		max := int64(limit)
		if max == 0 {
			max = MaxLine
		}
		r, err := newReader(bytes.NewReader(data), ',', max)
		if err != nil {
			return
		}
		last := int64(1)
		for i := 0; ; i++ {
			row, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Next: unexpected error %v", err)
			}
			if row.Line <= last {
				t.Fatalf("row %d: Line = %d, want > %d (previous)", i, row.Line, last)
			}
			last = row.Line
			if row.Raw != "" && (row.Err == nil || !bytes.Contains(data, []byte(row.Raw))) {
				t.Fatalf("row %d: Raw %q is not text of the input (Err %v)", i, row.Raw, row.Err)
			}
			if row.Err == nil && len(row.Values) != len(r.Header()) {
				t.Fatalf("row %d: %d values without error, header has %d", i, len(row.Values), len(r.Header()))
			}
		}
		if n := int64(bytes.Count(data, []byte{'\n'})) + 1; last > n {
			t.Fatalf("last Line = %d, but input has only %d lines", last, n)
		}
	})
}

// benchCSV is a 1M-row, 6-column observations export.
func benchCSV(rows int) []byte {
	var b bytes.Buffer
	b.WriteString("metric,value,at,id,customer,region\n")
	regions := []string{"north", "south", "east", "west"}
	for i := range rows {
		fmt.Fprintf(&b, "call_wait_seconds,%d.%d,2026-03-%02dT%02d:%02d:00Z,obs-%d,cust-%d,%s\n",
			i%600, i%10, i%28+1, i%24, i%60, i, i%9973, regions[i%4])
	}
	return b.Bytes()
}

func BenchmarkReader(b *testing.B) {
	const rows = 1_000_000
	data := benchCSV(rows)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			row, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil || row.Err != nil {
				b.Fatal(err, row.Err)
			}
			n++
		}
		if n != rows {
			b.Fatalf("read %d rows, want %d", n, rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkStdlib is the baseline: encoding/csv alone on the same file.
func BenchmarkStdlib(b *testing.B) {
	const rows = 1_000_000
	data := benchCSV(rows)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := stdcsvReader(bytes.NewReader(data))
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
