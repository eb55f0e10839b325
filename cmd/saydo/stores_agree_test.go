package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo/postgres/pgtest"
)

// storesAgreeWorkspace has a promise of each kind of objective, one of
// them per region, and voice phrases, for TestStoresAgree.
const storesAgreeWorkspace = `company: Parity
departments:
  - id: marketing
    name: Marketing
  - id: care
    name: Customer care
  - id: billing
    name: Billing
promises:
  - id: answer-in-2-min
    says: "We answer every call within 2 minutes."
    owner: marketing
    delivered_by: [care]
    metric: call_wait_seconds
    objective: {at_most: 120, share: 0.9}
    period: week
    voice:
      en: ["on hold", "nobody answers"]
      ro: ["în așteptare", "nu răspunde nimeni"]
  - id: fuel
    says: "4.5 l/100 km."
    owner: marketing
    delivered_by: [care]
    metric: litres_per_100km
    objective: {mean_at_most: 4.5}
    period: month
  - id: correct-bills
    says: "Your bill is right."
    owner: marketing
    delivered_by: [billing]
    metric: bill_correct
    objective: {at_least: 1, share: 0.97}
    period: week
    where: {region: north}
    voice:
      en: ["wrong bill", "charged twice"]
      ro: ["factura greșită"]
`

// TestStoresAgree: the same random scenarios, imported file by file into
// SQLite and into PostgreSQL, give the same accounting for every file and
// the same gap, voice and journeys reports, whole, by region, by money and
// over ranges (figures equal within 1e-9). The
// scenarios mix what makes stores differ: ids repeated within and across
// files (duplicates, corrections of value and of time), rows without ids
// imported twice, files in time order and shuffled, pre-aggregated rows,
// rejected rows, customers, feedback in two languages, and contacts.
func TestStoresAgree(t *testing.T) {
	pgtest.DSN(t) // skips, saying how to run it, without a server
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			ws := newWorkspace(t, storesAgreeWorkspace)
			files := storesAgreeScenario(t, rand.New(rand.NewPCG(seed, 9)), ws)
			stores := []string{filepath.Join(t.TempDir(), "saydo.db"), pgtest.FreshDSN(t)}
			var got [2][]string
			for i, db := range stores {
				for _, f := range files {
					out, errs, code := runSaydo(t, "", "ingest", f.kind, f.path, "--workspace", ws, "--db", db, "--report", "json", "--quiet")
					if code > 1 {
						t.Fatalf("%s: ingest %s %s: exit %d: %s", storeName(i), f.kind, filepath.Base(f.path), code, errs)
					}
					got[i] = append(got[i], out)
				}
				for _, args := range [][]string{{"gap"}, {"gap", "--period", "month"}, {"gap", "--by", "region"},
					{"gap", "--period", "day", "--from", "2026-02-01", "--to", "2026-02-15"}, {"gap", "--sort", "money"},
					{"voice"}, {"voice", "--promise", "answer-in-2-min", "--from", "2026-02-01", "--to", "2026-03-01"},
					{"journeys"}, {"journeys", "--from", "2026-02-01", "--to", "2026-03-01"}} {
					out, errs, code := runSaydo(t, "", append(args, "--workspace", ws, "--db", db, "--format", "json")...)
					if code > 1 {
						t.Fatalf("%s: %s: exit %d: %s", storeName(i), strings.Join(args, " "), code, errs)
					}
					got[i] = append(got[i], out)
				}
			}
			for j := range got[0] {
				var a, b any
				if err := json.Unmarshal([]byte(got[0][j]), &a); err != nil {
					t.Fatalf("output %d is not JSON: %v\n%s", j, err, got[0][j])
				}
				if err := json.Unmarshal([]byte(got[1][j]), &b); err != nil {
					t.Fatalf("output %d is not JSON: %v\n%s", j, err, got[1][j])
				}
				if diff := jsonDiff("", a, b); diff != "" {
					t.Errorf("output %d differs between SQLite and PostgreSQL: %s", j, diff)
				}
			}
		})
	}
}

func storeName(i int) string { return [...]string{"SQLite", "PostgreSQL"}[i] }

type scenarioFile struct{ kind, path string }

// storesAgreeScenario writes a scenario's files into dir, in the order
// they are imported.
func storesAgreeScenario(t *testing.T, rng *rand.Rand, dir string) []scenarioFile {
	t.Helper()
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	span := int64(84 * 24 * time.Hour / time.Second) // twelve weeks
	at := func() time.Time { return start.Add(time.Duration(rng.Int64N(span)) * time.Second) }
	regions := []string{"north", "south"}
	type row struct {
		id, metric, value, region, customer string
		at                                  time.Time
		pooled                              string // n,met for a pre-aggregated row
	}
	value := func(metric string) string {
		switch metric {
		case "call_wait_seconds":
			return fmt.Sprint(rng.IntN(400))
		case "litres_per_100km":
			return fmt.Sprintf("%.2f", 3.5+2*rng.Float64())
		default:
			if rng.IntN(30) == 0 {
				return "0"
			}
			return "1"
		}
	}
	metrics := []string{"call_wait_seconds", "litres_per_100km", "bill_correct"}
	var stored []row // rows with ids written so far, to repeat or correct
	var files []scenarioFile
	nfiles := 3 + rng.IntN(3)
	for f := range nfiles {
		var rows []row
		for range 300 + rng.IntN(500) {
			m := metrics[rng.IntN(len(metrics))]
			r := row{metric: m, value: value(m), region: regions[rng.IntN(2)], at: at()}
			switch k := rng.IntN(10); {
			case k < 5:
				r.id = fmt.Sprintf("c-%d", rng.IntN(100000))
			case k == 5 && len(stored) > 0:
				// The same id again: as it was, with another value, or at
				// another time.
				r = stored[rng.IntN(len(stored))]
				switch rng.IntN(3) {
				case 1:
					r.value = value(r.metric)
				case 2:
					r.at = at()
				}
			case k == 6:
				r.customer = fmt.Sprintf("cust-%d", rng.IntN(50))
			}
			if rng.IntN(60) == 0 {
				n := 5 + rng.IntN(20)
				r.pooled = fmt.Sprintf("%d,%d", n, rng.IntN(n+1))
				r.value = ""
			}
			if r.id != "" && r.pooled == "" {
				stored = append(stored, r)
			}
			rows = append(rows, r)
		}
		if f%2 == 1 {
			rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		} else {
			slices.SortStableFunc(rows, func(a, b row) int { return a.at.Compare(b.at) })
		}
		var b strings.Builder
		b.WriteString("id,metric,value,at,region,customer,n,met\n")
		for i, r := range rows {
			v := r.value
			if i%97 == 13 {
				v = "not-a-number" // rejected on both
			}
			n, met := "", ""
			if r.pooled != "" {
				n, met, _ = strings.Cut(r.pooled, ",")
			}
			fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s,%s\n", r.id, r.metric, v, r.at.Format(time.RFC3339), r.region, r.customer, n, met)
		}
		files = append(files, scenarioFile{"observations", writeFile(t, dir, fmt.Sprintf("obs-%d.csv", f), b.String())})
		if f == 0 {
			// The first file again: every row a duplicate.
			files = append(files, files[0])
		}
	}
	texts := []string{
		"I was on hold for 40 minutes and nobody answers",
		"Wrong bill again, charged twice this month",
		"Thank you, the technician was great",
		"Am stat în așteptare o oră, nu răspunde nimeni",
		"Factura greșită din nou, bătaie de joc",
		"Cold coffee in the shop, nothing else to say",
		"How do I change my plan?",
		"Mulțumesc pentru ajutor, totul e rezolvat",
	}
	kinds := []string{"complaint", "social", "survey", ""}
	var b strings.Builder
	b.WriteString("id,text,at,customer,kind,nps\n")
	for i := range 400 {
		nps := ""
		if rng.IntN(3) == 0 {
			nps = fmt.Sprint(rng.IntN(11))
		}
		fmt.Fprintf(&b, "f-%d,%q,%s,cust-%d,%s,%s\n", rng.IntN(350), texts[rng.IntN(len(texts))], at().Format(time.RFC3339), rng.IntN(50), kinds[i%len(kinds)], nps)
	}
	files = append(files, scenarioFile{"feedback", writeFile(t, dir, "feedback.csv", b.String())})
	// What departments sent the same customers, some of it twice.
	depts := []string{"marketing", "care", "billing"}
	intents := []string{"offer", "reminder", "warning", "survey", "service", "resolution"}
	b.Reset()
	b.WriteString("id,customer,at,department,channel,intent\n")
	for range 600 {
		fmt.Fprintf(&b, "ct-%d,cust-%d,%s,%s,%s,%s\n", rng.IntN(500), rng.IntN(50), at().Format(time.RFC3339),
			depts[rng.IntN(len(depts))], []string{"sms", "email"}[rng.IntN(2)], intents[rng.IntN(len(intents))])
	}
	files = append(files, scenarioFile{"contacts", writeFile(t, dir, "contacts.csv", b.String())})
	return files
}

// jsonDiff describes the first difference between two decoded JSON values
// ("" when they agree): numbers agree within 1e-9 (relative, for large
// ones), and keys that time the run or name the moment it ran are left out.
func jsonDiff(path string, a, b any) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: %v against %v", path, a, b)
		}
		keys := map[string]bool{}
		for k := range x {
			keys[k] = true
		}
		for k := range y {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		slices.Sort(sorted)
		for _, k := range sorted {
			if k == "seconds" || k == "generated_at" {
				continue
			}
			if d := jsonDiff(path+"."+k, x[k], y[k]); d != "" {
				return d
			}
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return fmt.Sprintf("%s: %v against %v", path, a, b)
		}
		for i := range x {
			if d := jsonDiff(fmt.Sprintf("%s[%d]", path, i), x[i], y[i]); d != "" {
				return d
			}
		}
		return ""
	case float64:
		y, ok := b.(float64)
		if !ok || math.Abs(x-y) > 1e-9*math.Max(1, math.Abs(x)) {
			return fmt.Sprintf("%s: %v against %v", path, a, b)
		}
		return ""
	default:
		if a != b {
			return fmt.Sprintf("%s: %v against %v", path, a, b)
		}
		return ""
	}
}
