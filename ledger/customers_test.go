package ledger_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/ledger"
)

// TestCustomerStateMatchesScan imports evidence in several pieces
// (overlapping files, re-imports, feedback in between, observations added
// behind the ledger's back, a changed threshold) and checks after each
// step that the outcome joined from the state kept at import equals the
// outcome computed by reading every observation and feedback item (the
// path a report over an explicit range takes).
func TestCustomerStateMatchesScan(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	ws := &saydo.Workspace{
		Company:     "Test",
		Departments: []saydo.Department{{ID: "care"}},
		Promises: []saydo.Promise{
			{ID: "answer", Metric: "wait", Owner: "care", Period: saydo.Week, Objective: saydo.Objective{Kind: saydo.AtMost, Value: 120, Share: 0.9}},
			{ID: "answer-north", Metric: "wait", Owner: "care", Period: saydo.Week, Where: map[string]string{"region": "north"},
				Objective: saydo.Objective{Kind: saydo.AtMost, Value: 100, Share: 0.9}},
			{ID: "fix", Metric: "fix_hours", Owner: "care", Period: saydo.Week, Objective: saydo.Objective{Kind: saydo.MeanAtMost, Value: 4}},
		},
	}
	rng := rand.New(rand.NewPCG(21, 22))
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	obsFile := func(n, customers int, metric string) string {
		var b strings.Builder
		b.WriteString("id,metric,value,at,customer,region\n")
		for range n {
			id := rng.IntN(1 << 30)
			cust := ""
			if rng.IntN(10) > 0 {
				cust = fmt.Sprintf("c%d", rng.IntN(customers))
			}
			v := rng.ExpFloat64() * 60
			if metric == "fix_hours" {
				v = rng.ExpFloat64() * 4
			}
			fmt.Fprintf(&b, "%s-%d,%s,%.1f,%s,%s,%s\n", metric, id, metric, v, start.Add(time.Duration(rng.IntN(20*7*24))*time.Hour).Format(time.RFC3339),
				cust, []string{"north", "south"}[rng.IntN(2)])
		}
		return b.String()
	}
	folded, merged := 0, 0
	feedback := func(n, customers int) {
		nan := math.NaN()
		var fb []saydo.Feedback
		for range n {
			f := saydo.Feedback{Key: rng.Uint64() >> 2, At: start.Add(time.Duration(rng.IntN(20*7*24))*time.Hour + time.Duration(rng.IntN(3600))*time.Second), Customer: fmt.Sprintf("c%d", rng.IntN(customers)),
				NPS: nan, CSAT: nan, CES: nan, Rating: nan, Analysis: saydo.Analysis{Sentiment: nan}}
			switch rng.IntN(4) {
			case 0:
				f.Kind, f.Text = "complaint", "slow"
			case 1:
				f.Kind, f.Text = "churn", "gone"
			default:
				f.Kind, f.NPS, f.CSAT = "survey", float64(rng.IntN(11)), float64(1+rng.IntN(5))
			}
			fb = append(fb, f)
		}
		// As saydo ingest feedback does: the voices are folded in at the
		// end of the import, not reread.
		vi, err := ledger.StartVoiceImport(ctx, st, ws)
		if err != nil {
			t.Fatal(err)
		}
		tracked := vi.Track(st)
		half := len(fb) / 2
		tx, err := tracked.BeginFeedback(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := tx.Insert(fb[:half]); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		tx, err = tracked.BeginFeedback(ctx) // a batch rolled back: not counted
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := tx.Insert([]saydo.Feedback{{Key: 1 << 40, At: start, Customer: "rolled-back", Kind: "churn", Text: "x",
			NPS: nan, CSAT: nan, CES: nan, Rating: nan, Analysis: saydo.Analysis{Sentiment: nan}}}); err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		tx, err = tracked.BeginFeedback(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := tx.InsertNew(fb[half:], make([]bool, len(fb)-half)); err != nil { // as saydo ingest feedback stores
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := vi.Finish(ctx, st); err != nil {
			t.Fatal(err)
		}
		folded++
		if v, _, _ := st.CachedReport(ctx, "state|voices"); v != "" {
			fv, _ := st.FeedbackVersion(ctx)
			if strings.Contains(v, fmt.Sprintf("|%d#", fv)) {
				merged++
			}
		}
	}
	defer func() {
		// The first import finds no voices yet and the last a replaced
		// customer index: both leave them to be rebuilt; the second folds.
		if merged != 1 {
			t.Errorf("the voices were folded in at %d of %d feedback imports, want 1 (the second)", merged, folded)
		}
	}()
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	check := func(step string) {
		t.Helper()
		full, err := ledger.GapReport(ctx, st, ws, ledger.GapQuery{}, now)
		if err != nil {
			t.Fatal(err)
		}
		ranged, err := ledger.GapReport(ctx, st, ws, ledger.GapQuery{From: start.AddDate(0, 0, -7), To: start.AddDate(0, 0, 22*7)}, now)
		if err != nil {
			t.Fatal(err)
		}
		for i := range full.Promises {
			a, b := full.Promises[i].Outcome, ranged.Promises[i].Outcome
			if a == nil || b == nil {
				t.Fatalf("%s: %s: outcome %v / %v", step, full.Promises[i].ID, a, b)
			}
			if !reflect.DeepEqual(counts(a), counts(b)) {
				t.Errorf("%s: %s: state gives %+v, scan gives %+v", step, full.Promises[i].ID, counts(a), counts(b))
			}
			if full.Promises[i].Impact.CustomersAffected != ranged.Promises[i].Impact.CustomersAffected {
				t.Errorf("%s: %s: affected %d vs %d", step, full.Promises[i].ID, full.Promises[i].Impact.CustomersAffected, ranged.Promises[i].Impact.CustomersAffected)
			}
		}
	}
	first := obsFile(3000, 400, "wait")
	ingest(t, st, ws, first, ledger.IngestOptions{})
	ingest(t, st, ws, obsFile(2000, 400, "fix_hours"), ledger.IngestOptions{})
	feedback(800, 450)
	check("first imports")
	ingest(t, st, ws, first, ledger.IngestOptions{}) // the same file again
	ingest(t, st, ws, obsFile(1500, 600, "wait"), ledger.IngestOptions{BatchSize: 100})
	check("re-import and new customers")
	feedback(300, 650)
	check("more feedback")
	// Another process stored its own customer index over ours (a lost
	// update): every state built against ours must notice and rebuild.
	h := uint64(14695981039346656037) // ledger's FNV-1a mix of "zzz", so the index is valid
	for _, c := range []byte("zzz") {
		h = (h ^ uint64(c)) * 1099511628211
	}
	h *= 1099511628211
	if err := st.PutCachedReport(ctx, "state|customers", fmt.Sprintf("1:%x", h), []byte("\x03zzz")); err != nil {
		t.Fatal(err)
	}
	feedback(10, 700)
	check("a replaced customer index")
	ingest(t, st, ws, obsFile(200, 700, "wait"), ledger.IngestOptions{})
	check("an import after a replaced customer index")
	// Observations stored without the ledger (another process, a crash
	// before the state was merged): the state must notice.
	tx, err := st.BeginObservations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Insert([]saydo.Observation{{Key: 1, Metric: "wait", Value: 999, At: start.AddDate(0, 0, 10), Customer: "late-comer"}}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	check("an observation behind the ledger's back")
	ws.Promises[0].Objective.Value = 60 // a stricter threshold: more customers missed
	check("changed threshold")
}

func counts(o *saydo.Outcome) [10]float64 {
	return [10]float64{float64(o.CustomersMissed), float64(o.CustomersKept), float64(o.NPSAnswersMissed), float64(o.NPSAnswersKept),
		nz(o.NPSMissed), nz(o.NPSKept), nz(o.ComplaintRateMissed), nz(o.ComplaintRateKept), nz(o.ChurnMissed), nz(o.CSATMissed)}
}

func nz(f float64) float64 {
	if math.IsNaN(f) {
		return -1e9
	}
	return math.Round(f*1e9) / 1e9
}
