package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
	"github.com/saydo/saydo/yaml"
)

// ingestContacts imports outbound contacts through the same importer as
// observations (every row accounted for, rejects with line and reason,
// idempotent, crash-safe, --map/--set/--strict, progress).
func ingestContacts(ctx context.Context, e *env, o options, paths []string) error {
	opts, err := ingestOptions(e, o)
	if err != nil {
		return usageError{err.Error()}
	}
	ws, st, err := openWorkspace(ctx, e, o)
	if err != nil {
		return err
	}
	defer st.Close()
	catalogue, err := messageCatalogue(ctx, st, ws)
	if err != nil {
		return err
	}
	rejected, err := ingestFiles(e, o, paths, opts, func(rr saydo.RowReader, opts ledger.IngestOptions) (*ledger.IngestResult, error) {
		return ledger.IngestContacts(ctx, st, ws, catalogue, rr, opts)
	}, auditImport(ctx, e, st, "contacts"))
	if err != nil {
		return err
	}
	if rejected > 0 {
		return problems("%d %s rejected", rejected, plural(int(rejected), "row", "rows"))
	}
	return nil
}

// messageCatalogue returns the messages contacts may name: those imported
// into the store, overridden by the workspace's messages/ files. A message
// file with errors is left out (saydo lint reports it).
func messageCatalogue(ctx context.Context, st saydo.Store, ws *saydo.Workspace) ([]saydo.Message, error) {
	stored, err := st.Messages(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]int{}
	out := append([]saydo.Message(nil), stored...)
	for i, m := range out {
		byID[m.ID] = i
	}
	dir := filepath.Join(ws.Dir, "messages")
	if _, err := os.Stat(dir); err == nil {
		files, _ := yaml.LoadMessages(dir)
		for _, m := range files {
			if i, ok := byID[m.ID]; ok {
				out[i] = m
				continue
			}
			byID[m.ID] = len(out)
			out = append(out, m)
		}
	}
	return out, nil
}
