package yaml

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/bad")

// TestBad checks every file in testdata/bad against its .golden file of
// expected errors.
func TestBad(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ws, err := ParseWorkspace(name, data)
			if err == nil {
				t.Fatalf("ParseWorkspace(%s) = %+v, nil; want errors", name, ws)
			}
			if ws != nil {
				t.Errorf("ParseWorkspace(%s) returned a workspace with errors", name)
			}
			var list saydo.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, want saydo.ErrorList", err)
			}
			lines := strings.Split(string(data), "\n")
			var got strings.Builder
			for _, e := range list {
				var pe *saydo.PosError
				if !errors.As(e, &pe) {
					t.Fatalf("error %v is %T, want *saydo.PosError", e, e)
				}
				if pe.File != name || pe.Line < 1 || pe.Col < 1 {
					t.Errorf("error %q: position %v, want %s:line:col with line, col >= 1", pe, pe.Pos, name)
				}
				if pe.Line <= len(lines) && pe.Source != strings.TrimSuffix(lines[pe.Line-1], "\r") {
					t.Errorf("error %q: Source = %q, want line %d %q", pe, pe.Source, pe.Line, lines[pe.Line-1])
				}
				got.WriteString(pe.Error() + "\n")
			}
			golden := strings.TrimSuffix(path, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got.String() != string(want) {
				t.Errorf("errors:\ngot:\n%s\nwant:\n%s", got.String(), want)
			}
		})
	}
}

func TestGood(t *testing.T) {
	ws, err := LoadWorkspace("testdata/good")
	if err != nil {
		t.Fatalf("LoadWorkspace: %v", err)
	}
	pos := func(line, col int) saydo.Pos {
		return saydo.Pos{File: filepath.Join("testdata/good", "saydo.yaml"), Line: line, Col: col}
	}
	day := func(s string) time.Time {
		t, _ := time.Parse(time.DateOnly, s)
		return t
	}
	want := &saydo.Workspace{
		Dir:     "testdata/good",
		Company: "Nordtel",
		Statement: "We keep every promise we make. We explain ourselves, we warn before we act, " +
			"and we treat every customer like family.",
		Departments: []saydo.Department{
			{ID: "marketing", Name: "Marketing", Pos: pos(6, 5),
				Behaviors: []string{"Promise only what the company can deliver, in words customers can check."}},
			{ID: "care", Name: "Customer care", Pos: pos(10, 5),
				Behaviors: []string{"Answer every call within two minutes.", "Solve the problem in the first call."}},
			{ID: "collections", Name: "Collections", Pos: pos(15, 5),
				Behaviors: []string{"Remind politely and early; never threaten before a personal reminder."}},
		},
		Promises: []saydo.Promise{
			{
				ID:          "answer-in-2-min",
				Says:        "We answer every call within 2 minutes.",
				MadeIn:      []string{"tv-spring-2026", "website"},
				Owner:       "marketing",
				DeliveredBy: []string{"care"},
				Stage:       "support",
				Metric:      "call_wait_seconds",
				Objective:   saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.95},
				Period:      saydo.Week,
				Since:       day("2026-01-01"),
				Until:       day("2026-12-31"),
				Where:       map[string]string{"region": "north"},
				Voice: map[string][]string{
					"en": {"on hold", "nobody answers", "waited for ages"},
					"ro": {"în așteptare", "nu răspunde nimeni"},
				},
				Pos: pos(20, 5),
			},
			{
				ID:          "polite-reminders",
				Says:        "We remind you before anything happens.",
				Owner:       "collections",
				DeliveredBy: []string{"collections"},
				Stage:       "billing",
				Metric:      "reminder.before_action",
				Objective:   saydo.Objective{Kind: saydo.MeanAtLeast, Value: 0.99},
				Period:      saydo.Month,
				Where:       map[string]string{"channel": "sms", "tier": "2"},
				Pos:         pos(40, 5),
			},
		},
	}
	if ws.Company != want.Company || ws.Statement != want.Statement || ws.Dir != want.Dir {
		t.Errorf("workspace = %q, %q, %q; want %q, %q, %q", ws.Company, ws.Statement, ws.Dir, want.Company, want.Statement, want.Dir)
	}
	if !reflect.DeepEqual(ws.Departments, want.Departments) {
		t.Errorf("departments:\ngot  %+v\nwant %+v", ws.Departments, want.Departments)
	}
	if len(ws.Promises) != len(want.Promises) {
		t.Fatalf("got %d promises, want %d", len(ws.Promises), len(want.Promises))
	}
	for i := range want.Promises {
		if got, want := ws.Promises[i], want.Promises[i]; !reflect.DeepEqual(got, want) {
			t.Errorf("promise %d:\ngot  %+v\nwant %+v", i, got, want)
		}
	}
}

func TestDefaults(t *testing.T) {
	ws, err := ParseWorkspace("saydo.yaml", []byte("company: X\npromises:\n  - id: p\n    says: S.\n    metric: m\n    objective: {mean_at_most: 1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := ws.Promises[0]
	if p.Period != saydo.Week || !p.Since.IsZero() || !p.Until.IsZero() || p.Where != nil || p.Owner != "" {
		t.Errorf("promise = %+v, want period week and no bounds, filter or owner", p)
	}
	if ws.Dir != "." {
		t.Errorf("Dir = %q, want %q", ws.Dir, ".")
	}
}

func TestLoadWorkspaceMissing(t *testing.T) {
	_, err := LoadWorkspace(t.TempDir())
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadWorkspace(empty dir) error = %v, want fs.ErrNotExist", err)
	}
}

func TestScaffold(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	files, err := Scaffold(dir)
	if err != nil {
		t.Fatalf("Scaffold: %v", err)
	}
	want := []string{
		filepath.Join(dir, "saydo.yaml"),
		filepath.Join(dir, "style", "README.md"),
		filepath.Join(dir, "messages", "care", "missed-call-sms.txt"),
	}
	if !reflect.DeepEqual(files, want) {
		t.Errorf("Scaffold files = %q, want %q", files, want)
	}
	ws, err := LoadWorkspace(dir)
	if err != nil {
		t.Fatalf("the scaffolded saydo.yaml does not load: %v", err)
	}
	kinds := map[saydo.ObjectiveKind]bool{}
	for _, p := range ws.Promises {
		kinds[p.Objective.Kind] = true
	}
	if len(ws.Promises) < 3 || len(kinds) < 3 {
		t.Errorf("scaffold has %d promises with %d objective forms, want examples of each", len(ws.Promises), len(kinds))
	}
	msg, err := os.ReadFile(want[2])
	if err != nil || !strings.HasPrefix(string(msg), "---\nid: ") {
		t.Errorf("example message = %q, %v; want front matter", msg, err)
	}
	if _, err := Scaffold(dir); !errors.Is(err, fs.ErrExist) {
		t.Errorf("second Scaffold error = %v, want fs.ErrExist", err)
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ownr", "owner"},
		{"deliveredBy", "delivered_by"},
		{"Metric", "metric"},
		{"objectve", "objective"},
		{"colour", ""},
		{"x", ""},
	}
	for _, tt := range tests {
		if got := saydo.Suggest(tt.in, promiseKeys); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseWorkspace(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.yaml")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("promises:\n  - &p {id: a}\n  - *p\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ws, err := ParseWorkspace("saydo.yaml", data)
		if err == nil {
			if ws == nil {
				t.Fatal("nil workspace and nil error")
			}
			return
		}
		var list saydo.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error %v is %T, want a non-empty saydo.ErrorList", err, err)
		}
		for _, e := range list {
			var pe *saydo.PosError
			if !errors.As(e, &pe) {
				t.Fatalf("error %v is %T, want *saydo.PosError", e, e)
			}
			if pe.Line < 1 || pe.Col < 1 {
				t.Fatalf("error %q has position %d:%d, want >= 1", pe, pe.Line, pe.Col)
			}
		}
	})
}

func TestMetrics(t *testing.T) {
	src := "company: X\nmetrics:\n  - id: wait\n    unit: sec\n    description: time on hold\n  - id: fee\n    unit: boolean\n    description: hidden fee\n  - id: fuel\n    unit: litres/100 km\npromises:\n  - id: p\n    says: S.\n    metric: wait\n    objective: {at_most: 120, share: 0.9}\n  - id: q\n    says: S.\n    metric: fee\n    objective: {at_most: 0, share: 0.98}\n"
	ws, err := ParseWorkspace("saydo.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ metric, obj, want string }{
		{"wait", "p", "≤ 2 min for 90%"},
		{"fee", "q", "no hidden fee for 98%"},
	} {
		p, _ := ws.Promise(c.obj)
		if got := ws.MetricInfo(c.metric).Phrase(p.Objective); got != c.want {
			t.Errorf("%s: phrase %q, want %q", c.metric, got, c.want)
		}
	}
	if u := ws.MetricInfo("fuel").Unit; u != "litres/100 km" {
		t.Errorf("free-text unit %q, want litres/100 km", u)
	}
	bad := []struct{ src, want string }{
		{"company: X\nmetrics:\n  - id: wait\n    unit: secnds\npromises:\n  - {id: p, says: S., metric: wait, objective: {at_most: 1, share: 0.9}}\n", `saydo.yaml:4:11: unit: "secnds" is not a unit saydo knows (did you mean "seconds"?)`},
		{"company: X\nmetrics:\n  - id: wait\n  - id: wait\npromises:\n  - {id: p, says: S., metric: wait, objective: {at_most: 1, share: 0.9}}\n", `saydo.yaml:4:9: id: duplicate metric "wait" (first at line 3)`},
		{"company: X\nmetrics:\n  - id: wait\n    units: seconds\npromises:\n  - {id: p, says: S., metric: wait, objective: {at_most: 1, share: 0.9}}\n", `saydo.yaml:4:5: unknown key "units" in metric "wait" (did you mean "unit"?)`},
		// Objectives no evidence can keep or break, for the metric's unit.
		{"company: X\nmetrics:\n  - {id: up, unit: percent}\npromises:\n  - {id: p, says: S., metric: up, objective: {mean_at_least: 150}}\n", `saydo.yaml:5:62: objective: mean_at_least: 150 is outside 0–100, and up's values are percentages`},
		{"company: X\nmetrics:\n  - {id: ok, unit: boolean}\npromises:\n  - {id: p, says: S., metric: ok, objective: {at_least: 2, share: 0.5}}\n", `saydo.yaml:5:57: objective: at_least: 2 is outside 0–1, and ok is a yes/no metric`},
		{"company: X\nmetrics:\n  - {id: wait, unit: seconds}\npromises:\n  - {id: p, says: S., metric: wait, objective: {at_most: -5, share: 0.9}}\n", `saydo.yaml:5:58: objective: at_most: -5 is negative, and wait counts seconds`},
		{"company: X\npromises:\n  - {id: p, says: S., metric: errors, objective: {mean_at_most: 0}}\n", `saydo.yaml:3:65: objective: mean_at_most: 0 leaves no target to measure the gap against`},
	}
	for _, b := range bad {
		_, err := ParseWorkspace("saydo.yaml", []byte(b.src))
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("error %v, want it to contain %q", err, b.want)
		}
	}
}
