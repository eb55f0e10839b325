package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
)

// rekeyFeedbackRows are feedback items of every kind a store keeps
// without a source id (text, scores alone, a customer, a channel and kind,
// attributes, equal to each other), one with an id, and five equal
// score-only answers in one millisecond, so a store reading a few rows at
// a time meets a millisecond longer than its page.
var rekeyFeedbackRows = []string{
	`,2026-01-05T08:00:00Z,"I was on hold for an hour, nobody answers",c1,phone,complaint,2,,north`,
	`,2026-01-05T08:00:00Z,"I was on hold for an hour, nobody answers",c1,phone,complaint,2,,north`,
	`,2026-01-05T08:00:00Z,"I was on hold for an hour, nobody answers",c2,phone,complaint,2,,north`,
	`,2026-01-05T08:00:00.123Z,"Refund still not here",,,,,,`,
	`,2026-01-05T08:00:00.123Z,"Refund still not here",,,,,1,`,
	`f1,2026-01-05T09:00:00Z,"Quick and polite, thanks",c3,email,survey,10,5,south`,
	`,2026-01-06,,,,survey,9,,`,
	`,2026-01-06,,,,survey,9,,`,
	`,2026-01-06,,,,survey,9,,`,
	`,2026-01-06,,,,survey,9,,`,
	`,2026-01-06,,,,survey,9,,`,
	`,2026-01-06,,,,survey,3,,`,
	`,2026-01-07T10:00:00Z,"Nu răspunde nimeni la telefon",c4,phone,complaint,,,south`,
}

func rekeyFeedbackImport(t *testing.T, st saydo.Store, rows []string) *ledger.IngestResult {
	t.Helper()
	ws := &saydo.Workspace{Company: "Test", Promises: []saydo.Promise{
		{ID: "answer", Says: "We answer every call within 2 minutes.", Metric: "call_wait_seconds", Voice: map[string][]string{"en": {"on hold"}}},
		{ID: "refund", Says: "Refunds reach your account within 5 days.", Metric: "refund_days"},
	}}
	return ingestCSV(t, "id,at,text,customer,channel,kind,nps,csat,region", rows, func(rr saydo.RowReader) (*ledger.IngestResult, error) {
		return ledger.IngestFeedback(context.Background(), st, ws, rr, ledger.IngestOptions{})
	})
}

// storedFeedback lists the stored items' keys with their time and text.
func storedFeedback(t *testing.T, st saydo.Store) []string {
	t.Helper()
	var out []string
	if err := st.ScanFeedback(context.Background(), time.Time{}, time.Time{}, func(f *saydo.Feedback) error {
		out = append(out, fmt.Sprintf("%016x %s %q", f.Key, f.At.Format(time.RFC3339Nano), f.Text))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// RunFeedbackRekey checks migration 0072 (feedback) on a store, as
// runRekey says.
func RunFeedbackRekey(t *testing.T, st saydo.Store, unkey func(t *testing.T), reopen func(t *testing.T) saydo.Store) {
	runRekey(t, rekeyCase{rows: rekeyFeedbackRows, extra: rekeyFeedbackRows[6], ingest: rekeyFeedbackImport, stored: storedFeedback}, st, unkey, reopen)
}
