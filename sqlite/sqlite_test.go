package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/storetest"
)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "sub", "saydo.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) saydo.Store { return openTest(t) })
}
