package main

import (
	"context"
	"fmt"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
)

// ingestFeedback imports feedback files through the same importer as
// observations and contacts (ledger.IngestFeedback: every row analysed and
// accounted for, rejects with line and reason, idempotent, crash-safe,
// --map/--set/--strict, progress), then brings the voice summaries and the
// outcomes up to date for the next report.
func ingestFeedback(ctx context.Context, e *env, o options, paths []string) error {
	opts, err := ingestOptions(e, o)
	if err != nil {
		return usageError{err.Error()}
	}
	ws, st, err := openWorkspace(ctx, e, o)
	if err != nil {
		return err
	}
	defer st.Close()
	rejected, err := ingestFiles(e, o, paths, opts, func(rr saydo.RowReader, opts ledger.IngestOptions) (*ledger.IngestResult, error) {
		return ledger.IngestFeedback(ctx, st, ws, rr, opts)
	}, auditImport(ctx, e, st, "feedback"))
	if err != nil {
		return err
	}
	if _, err := ledger.RefreshVoice(ctx, st, ws); err != nil {
		return fmt.Errorf("refresh voice: %w", err)
	}
	// Outcomes join feedback with experiences: compute them now, so the
	// next report reads them back.
	if err := ledger.RefreshOutcomes(ctx, st, ws, e.now()); err != nil {
		return fmt.Errorf("refresh outcomes: %w", err)
	}
	if rejected > 0 {
		return problems("%d %s rejected", rejected, plural(int(rejected), "row", "rows"))
	}
	return nil
}
