package migration

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadAndAnnounce(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0002_b.sql": {Data: []byte("B")},
		"m/0001_a.sql": {Data: []byte("A")},
		"m/0010_c.sql": {Data: []byte("C")},
	}
	ms, err := Load(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	if want := []string{"0001_a.sql", "0002_b.sql", "0010_c.sql"}; !slices.Equal(names, want) || ms[2].Version != 10 || ms[0].SQL != "A" {
		t.Errorf("Load = %+v, want %v in number order", ms, want)
	}
	var got []string
	Announce(ms, map[int]bool{1: true}, func(p []string) { got = p })
	if want := []string{"0002_b.sql", "0010_c.sql"}; !slices.Equal(got, want) {
		t.Errorf("Announce on a store with 0001 = %v, want %v", got, want)
	}
	called := false
	Announce(ms, map[int]bool{}, func([]string) { called = true })
	Announce(ms, map[int]bool{1: true, 2: true, 10: true}, func([]string) { called = true })
	if called {
		t.Error("Announce called for a new store or an up-to-date one")
	}
	for name, fsys := range map[string]fstest.MapFS{
		"bad name":     {"m/x.sql": {Data: []byte("")}},
		"shared num":   {"m/0001_a.sql": {Data: []byte("")}, "m/0001_b.sql": {Data: []byte("")}},
		"not sql file": {"m/0001_a.txt": {Data: []byte("")}},
	} {
		if _, err := Load(fsys, "m"); err == nil || !strings.Contains(err.Error(), "migration") {
			t.Errorf("%s: Load err = %v, want an error naming the migration", name, err)
		}
	}
}

// TestTimePages walks rows with milliseconds longer than a page and finds
// every row once, in order, each page ending at a whole millisecond.
func TestTimePages(t *testing.T) {
	rows := []int64{1, 1, 2, 3, 3, 3, 3, 3, 4, 5, 5, 6} // a row is its millisecond
	at := func(r *int64) int64 { return *r }
	read := func(from int64, limit int) ([]int64, error) {
		var out []int64
		for _, r := range rows {
			if r >= from && len(out) < limit {
				out = append(out, r)
			}
		}
		return out, nil
	}
	readAt := func(ms int64) ([]int64, error) {
		var out []int64
		for _, r := range rows {
			if r == ms {
				out = append(out, r)
			}
		}
		return out, nil
	}
	for limit := 1; limit <= len(rows)+1; limit++ {
		var seen []int64
		err := TimePages(limit, at, read, readAt, func(page []int64) error {
			if len(page) > 0 && len(seen) > 0 && page[0] == seen[len(seen)-1] {
				t.Errorf("limit %d: millisecond %d split between pages", limit, page[0])
			}
			seen = append(seen, page...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(seen, rows) {
			t.Errorf("limit %d: walked %v, want %v", limit, seen, rows)
		}
	}
}
