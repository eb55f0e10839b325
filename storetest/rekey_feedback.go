package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/csv"
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
	rr, err := csv.NewReader(strings.NewReader("id,at,text,customer,channel,kind,nps,csat,region\n" + strings.Join(rows, "\n") + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := ledger.IngestFeedback(context.Background(), st, ws, rr, ledger.IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rejected != 0 {
		t.Fatalf("%d rows of the fixture rejected: %+v", res.Rejected, res.FirstRejects)
	}
	return res
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

// RunFeedbackRekey checks migration 0072 on a store. st is a fresh store;
// unkey gives its items without a source id other keys, as a store from
// before the migration has, sets the migration's mark and closes st;
// reopen opens the same store again. After reopening, the store holds the
// keys an import gives the same items, so importing them again in another
// order adds nothing, and one more equal item adds one; opening it once
// more changes nothing.
func RunFeedbackRekey(t *testing.T, st saydo.Store, unkey func(t *testing.T), reopen func(t *testing.T) saydo.Store) {
	if res := rekeyFeedbackImport(t, st, rekeyFeedbackRows); res.Accepted != int64(len(rekeyFeedbackRows)) {
		t.Fatalf("first import: %d accepted of %d", res.Accepted, len(rekeyFeedbackRows))
	}
	want := storedFeedback(t, st)
	unkey(t)
	st = reopen(t)
	if got := storedFeedback(t, st); !slices.Equal(got, want) {
		t.Errorf("items after re-keying differ from the importer's:\n got %q\nwant %q", got, want)
	}
	reversed := slices.Clone(rekeyFeedbackRows)
	slices.Reverse(reversed)
	if res := rekeyFeedbackImport(t, st, reversed); res.Accepted != 0 || res.Replaced != 0 {
		t.Errorf("the same items reversed after re-keying: %d accepted, %d replaced; want 0", res.Accepted, res.Replaced)
	}
	if res := rekeyFeedbackImport(t, st, append(slices.Clone(rekeyFeedbackRows), rekeyFeedbackRows[6])); res.Accepted != 1 {
		t.Errorf("one equal item more: %d accepted, want 1", res.Accepted)
	}
	want = storedFeedback(t, st)
	st.Close()
	st = reopen(t)
	defer st.Close()
	if got := storedFeedback(t, st); !slices.Equal(got, want) {
		t.Errorf("a second opening changed the keys")
	}
}
