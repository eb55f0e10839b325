package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lintFixture is a workspace with good and bad messages, style rules and
// promises, shared with the lint package's tests.
var lintFixture = filepath.Join("..", "..", "lint", "testdata", "workspace")

func lintGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("..", "..", "lint", "testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestLintGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"lint.text", []string{"lint", "--workspace", lintFixture}, 1},
		{"lint.json", []string{"lint", "--workspace", lintFixture, "--format", "json"}, 1},
		{"lint.clean", []string{"lint", "--workspace", lintFixture, filepath.Join(lintFixture, "messages", "collections", "reminder-ro.txt")}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runSaydo(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit status %d, want %d; stderr: %s", code, tt.code, errOut)
			}
			lintGolden(t, tt.name, out)
		})
	}
}

func TestLintCouldNotRun(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "style"), 0o755)
	os.MkdirAll(filepath.Join(dir, "messages"), 0o755)
	writeFile(t, dir, "messages/a.txt", "Hello.")
	writeFile(t, dir, "style/bad.yaml", "id: x.Y\nkind: forbid\npatterns: ['(']\n")
	tests := []struct {
		name, want string
		args       []string
	}{
		{"bad rule", "style/bad.yaml:3:12: rule x.Y: patterns: \"(\": invalid regular expression", []string{"lint", "--workspace", dir}},
		{"missing path", "no such file", []string{"lint", "--workspace", lintFixture, "nope.txt"}},
		{"bad format", "--format \"xml\"", []string{"lint", "--workspace", lintFixture, "--format", "xml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runSaydo(t, "", tt.args...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("got %d %q, want 2 and %q", code, errOut, tt.want)
			}
		})
	}
}

func TestLintSummary(t *testing.T) {
	ws, err := lintWorkspace(nil, lintFixture)
	if err != nil {
		t.Fatal(err)
	}
	s, errs, err := lintSummary(ws, "")
	if err != nil {
		t.Fatal(err)
	}
	if errs == 0 || !strings.Contains(s, "overdue-balance-sms") || !strings.HasPrefix(s, "Message review: 6 messages") {
		t.Errorf("got %d errors and\n%s\nwant the overdue SMS among 6 messages", errs, s)
	}
}

func TestIngestMessages(t *testing.T) {
	dir := newWorkspace(t, testWorkspace)
	csv := "id,channel,lang,body\nhello,sms,en,Hello {{name}}.\nbad,fax,en,x\n"
	p := writeFile(t, dir, "export.csv", csv)
	out, errOut, code := runSaydo(t, "", "ingest", "messages", p, "--workspace", dir)
	if code != 1 || !strings.Contains(out, "2 messages read: 1 new, 0 new versions, 0 unchanged, 1 rejected") || !strings.Contains(errOut, "export.csv:3:5: unknown channel") {
		t.Errorf("first import: got %d %q %q", code, out, errOut)
	}
	writeFile(t, dir, "export.csv", "id,channel,lang,body\nhello,sms,en,Hello again {{name}}.\n")
	out, _, code = runSaydo(t, "", "ingest", "messages", p, "--workspace", dir)
	if code != 0 || !strings.Contains(out, "1 message read: 0 new, 1 new version, 0 unchanged") {
		t.Errorf("changed body: got %d %q, want a new version", code, out)
	}
	out, _, _ = runSaydo(t, "", "ingest", "messages", p, "--workspace", dir)
	if !strings.Contains(out, "0 new, 0 new versions, 1 unchanged") {
		t.Errorf("same file again: got %q, want nothing changed", out)
	}
}
