package sqlite

import (
	"os"
	"testing"
	"time"
)

// TestCheckpointerCopiesBulkCommits: an observation commit far below the
// writer's backstop reaches the database file (not only the WAL) by the
// checkpointer's hand, and Close reports no failed checkpoint.
func TestCheckpointerCopiesBulkCommits(t *testing.T) {
	s := openTest(t)
	before, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	data := benchObservations(50_000)
	tx, err := s.BeginObservations(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Insert(data); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.ckpt.done.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if s.ckpt.done.Load() == 0 {
		t.Fatal("no checkpoint within 10 s of a bulk commit")
	}
	after, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if grew := after.Size() - before.Size(); grew < 1<<20 {
		t.Errorf("database file grew by %d bytes after a checkpointed commit of %d rows, want at least 1 MiB", grew, len(data))
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}
