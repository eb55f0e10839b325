package postgres

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// TestSummaryIDsAfterUpgrade: a store from before migration 0070 has
// segment days merged by imports without a row in summary_fingerprints;
// the migration registers them, so SummaryIDs (which now reads only that
// table) still lists every segment and a report still sees them.
func TestSummaryIDsAfterUpgrade(t *testing.T) {
	s := openTest(t)
	defer s.Close()
	ctx := context.Background()
	merged := []string{saydo.SegmentSummaryID("p", "region", "north"), saydo.SegmentSummaryID("p", "region", "südost")}
	stored := saydo.SegmentSummaryID("p", "channel", "app")
	d := saydo.Summary{Day: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}
	d.Add(1, true)
	if err := s.PutSummaries(ctx, stored, "fp", []saydo.Summary{d}, true); err != nil {
		t.Fatal(err)
	}
	// What an import merged before 0070 left: days, no registered id.
	for _, id := range merged {
		if _, err := s.pool.Exec(ctx, `INSERT INTO summaries (promise_id, day, n, met) VALUES ($1, 20000, 1, 1)`, id); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := s.SummaryIDs(ctx, saydo.SegmentPrefix("p")); slices.Contains(got, merged[0]) {
		t.Fatalf("the simulated old store already lists %q: the test sets up nothing", merged[0])
	}
	sql, err := migrationFiles.ReadFile("migrations/0070_summary_ids.sql")
	if err != nil {
		t.Fatal(err)
	}
	// The index exists already (the store is migrated): run the backfill.
	backfill, _, ok := strings.Cut(string(sql), "CREATE INDEX")
	if !ok {
		t.Fatal("0070 has no CREATE INDEX to leave out")
	}
	if _, err := s.pool.Exec(ctx, backfill); err != nil {
		t.Fatal(err)
	}
	got, err := s.SummaryIDs(ctx, saydo.SegmentPrefix("p"))
	if err != nil {
		t.Fatal(err)
	}
	want := append([]string{stored}, merged...)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("SummaryIDs after the upgrade = %q, want %q", got, want)
	}
	far := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	if fp, _, _ := s.Summaries(ctx, stored, far, far); fp != "fp" {
		t.Errorf("the backfill changed a stored fingerprint to %q", fp)
	}
	// The prefix is a range in byte order: a longer promise id that
	// starts the same is not listed.
	other := saydo.SegmentSummaryID("p2", "region", "north")
	if err := s.PutSummaries(ctx, other, "fp", []saydo.Summary{d}, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SummaryIDs(ctx, saydo.SegmentPrefix("p")); slices.Contains(got, other) {
		t.Errorf("SummaryIDs of p lists %q", other)
	}
}
