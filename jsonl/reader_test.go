package jsonl

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll reads every row, rendering each as "line: k=v k=v" or "line: ERR msg".
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
		var kv []string
		for i := range row.Names {
			kv = append(kv, row.Names[i]+"="+row.Values[i])
		}
		out = append(out, fmt.Sprintf("%d: %s", row.Line, strings.Join(kv, " ")))
	}
}

func TestReader(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		maxLine int
		want    []string
	}{
		{
			name: "types and key order",
			in:   `{"metric":"calls","value":12.50,"at":"2026-01-01","ok":true,"bad":false,"none":null,"big":-1.5e+10}` + "\n",
			want: []string{"1: metric=calls value=12.50 at=2026-01-01 ok=true bad=false none= big=-1.5e+10"},
		},
		{
			name: "bom crlf blank lines no final newline",
			in:   "\uFEFF{\"a\":1}\r\n\r\n   \n{\"a\":2}",
			want: []string{"1: a=1", "4: a=2"},
		},
		{
			name: "escapes",
			in:   `{"text":"line\nbreak \"quoted\" \u0103\u021b \ud83d\ude00","k\u00e9y":"v"}` + "\n",
			want: []string{"1: text=line\nbreak \"quoted\" ăț 😀 kéy=v"},
		},
		{
			name: "spaces around tokens",
			in:   "  { \"a\" : \"x\" , \"b\" : 2 }  \n",
			want: []string{"1: a=x b=2"},
		},
		{
			name: "empty object",
			in:   "{}\n",
			want: []string{"1: "},
		},
		{
			name: "nested object",
			in:   `{"a":1,"attrs":{"region":"north"}}` + "\n" + `{"a":2}` + "\n",
			want: []string{`1: ERR line 1: column 16: "attrs" is a nested object; want a flat object of strings, numbers, booleans and nulls`, "2: a=2"},
		},
		{
			name: "array",
			in:   `{"tags":["x"]}` + "\n",
			want: []string{`1: ERR line 1: column 9: "tags" is an array; want a flat object of strings, numbers, booleans and nulls`},
		},
		{
			name: "invalid json",
			in:   "{\"a\":1,}\n{\"a\" 1}\n{\"a\":01}\n{\"a\":tru}\n[1]\n{\"a\":\"open}\n{\"a\":1}{\"b\":2}\n{\"a\":1.}\n{\"a\":\"\\x\"}\n",
			want: []string{
				`1: ERR line 1: column 8: unexpected '}': want a string key`,
				`2: ERR line 2: column 6: unexpected '1': want ':' after key "a"`,
				`3: ERR line 3: column 7: unexpected '1': want ',' or '}' after the value of "a"`,
				`4: ERR line 4: column 6: unexpected 't': want a value for "a"`,
				`5: ERR line 5: column 1: unexpected '[': want a JSON object`,
				`6: ERR line 6: unexpected end of line: unterminated string`,
				`7: ERR line 7: column 8: unexpected '{': want the end of the line after the object (one object per line)`,
				`8: ERR line 8: column 8: unexpected '}': bad number for "a": want digits after '.'`,
				`9: ERR line 9: column 6: bad escape in string`,
			},
		},
		{
			name: "repeated key",
			in:   `{"a":1,"a":2}` + "\n",
			want: []string{`1: ERR line 1: column 8: repeated key "a"`},
		},
		{
			name: "invalid utf-8",
			in:   "{\"a\":\"\xff\"}\n{\"a\":\"ok\"}\n",
			want: []string{"1: ERR line 1: invalid UTF-8", "2: a=ok"},
		},
		{
			name: "control character in string",
			in:   "{\"a\":\"tab\there\"}\n",
			want: []string{`1: ERR line 1: column 10: unexpected '\t': control character in string`},
		},
		{
			name: "long line skipped", maxLine: 20,
			in:   `{"a":"` + strings.Repeat("x", 100) + `"}` + "\n" + `{"a":"short"}` + "\n",
			want: []string{"1: ERR line 1: line longer than 20 bytes", "2: a=short"},
		},
		{
			name: "long last line", maxLine: 20,
			in:   `{"a":"short"}` + "\n" + `{"a":"` + strings.Repeat("x", 100) + `"}`,
			want: []string{"1: a=short", "2: ERR line 2: line longer than 20 bytes"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			max := tt.maxLine
			if max == 0 {
				max = MaxLine
			}
			for _, mode := range []string{"whole", "one byte at a time"} {
				var src io.Reader = strings.NewReader(tt.in)
				if mode != "whole" {
					src = iotest.OneByteReader(src)
				}
				got := readAll(t, newReader(src, max))
				if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
					t.Errorf("%s: rows:\ngot  %q\nwant %q", mode, got, tt.want)
				}
			}
		})
	}
}

func TestReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	r := NewReader(io.MultiReader(strings.NewReader("{\"a\":1}\n"), iotest.ErrReader(boom)))
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
	src := io.MultiReader(
		strings.NewReader(`{"text":"`), &repeatReader{'a', 10 << 20}, strings.NewReader("\"}\n{\"text\":\""),
		&repeatReader{'b', MaxLine}, strings.NewReader("\"}\n{\"text\":\"end\"}\n"),
	)
	r := NewReader(src)
	var got []string
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if row.Err != nil {
			got = append(got, fmt.Sprintf("%d: ERR %v", row.Line, row.Err))
			continue
		}
		got = append(got, fmt.Sprintf("%d: %d", row.Line, len(row.Values[0])))
	}
	want := []string{"1: 10485760", "2: ERR line 2: line longer than 64 MiB", "3: 3"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\ngot  %q\nwant %q", got, want)
	}
}

// TestRawOfBrokenLines: a line that is not a flat JSON object keeps its
// text, so the rejects file can hold it to be fixed (issue 13 item 7).
func TestRawOfBrokenLines(t *testing.T) {
	in := "{\"a\":1}\n{\"a\":\"open\n{\"a\":{\"nested\":1}}\r\n{\"a\":\"\xff\"}\n"
	r := NewReader(strings.NewReader(in))
	var got []string
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if (row.Err != nil) != (row.Raw != "") {
			t.Errorf("line %d: Err %v with Raw %q: want Raw exactly when Err", row.Line, row.Err, row.Raw)
		}
		got = append(got, row.Raw)
	}
	want := []string{"", `{"a":"open`, `{"a":{"nested":1}}`, "{\"a\":\"\xff\"}"}
	if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
		t.Errorf("Raw: got %q, want %q", got, want)
	}
}

func FuzzJSONL(f *testing.F) {
	for _, s := range []string{
		`{"a":1,"b":"x"}` + "\n", "\uFEFF{}\r\n\n{\"a\":null}", `{"a":{"b":1}}`, `{"a":"\u00e9\"","b":-0.5e3}`,
		"{\"a\":\"\xff\"}\n", `{"a":` + strings.Repeat("1", 80) + "}\n{}\n",
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, limit uint8) {
		max := int(limit)
		if max == 0 {
			max = MaxLine
		}
		r := newReader(bytes.NewReader(data), max)
		var last int64
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
			if len(row.Names) != len(row.Values) {
				t.Fatalf("row %d: %d names, %d values", i, len(row.Names), len(row.Values))
			}
			if row.Raw != "" && (row.Err == nil || !bytes.Contains(data, []byte(row.Raw))) {
				t.Fatalf("row %d: Raw %q is not text of the input (Err %v)", i, row.Raw, row.Err)
			}
		}
		if n := int64(bytes.Count(data, []byte{'\n'})) + 1; last > n {
			t.Fatalf("last Line = %d, but input has only %d lines", last, n)
		}
	})
}

func BenchmarkReader(b *testing.B) {
	const rows = 1_000_000
	var buf bytes.Buffer
	for i := range rows {
		fmt.Fprintf(&buf, `{"metric":"call_wait_seconds","value":%d.%d,"at":"2026-03-%02dT%02d:%02d:00Z","id":"obs-%d","customer":"cust-%d","region":"north"}`+"\n",
			i%600, i%10, i%28+1, i%24, i%60, i, i%9973)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(bytes.NewReader(data))
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
