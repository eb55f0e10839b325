package lint

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/saydo/saydo"
)

// sharedData is the team's folder of real public data sets, beside the
// repository; a user's clone does not have it.
var sharedData = filepath.Join("..", "..", "shared", "data", "twcs_customer_support_twitter")

// readReplies reads the text column of a brand's replies.
func readReplies(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedData, name))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s is absent: the evaluation on real brand replies needs ../shared/data", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "text" {
			col = i
		}
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[col])
	}
	return out
}

// TestEvaluateBrandReplies lints Delta's and AmazonHelp's real support
// tweets as social replies and reports the share with error-level
// findings, the findings per rule and a sample to read by hand
// (go test -run TestEvaluateBrandReplies -v ./lint/).
func TestEvaluateBrandReplies(t *testing.T) {
	l := mustLinter(t, nil, nil)
	for _, name := range []string{"delta_customer_service_tweets_oct2015.csv", "amazonhelp_tweets_jul2016.utf8.csv"} {
		replies := readReplies(t, name)
		withErr, withWarn := 0, 0
		byRule := map[string]int{}
		var flagged []string
		for i, text := range replies {
			m := saydo.Message{ID: fmt.Sprint(i), Channel: "social", Body: text}
			fs := l.Lint(&m)
			e, w := false, false
			for _, f := range fs {
				byRule[string(f.Level)+" "+f.Rule]++
				e = e || f.Level == saydo.LevelError
				w = w || f.Level == saydo.LevelWarning
				if f.Level == saydo.LevelError {
					t.Logf("  error: %s %q in %q", f.Rule, f.Match, text)
				}
				if f.Level != saydo.LevelSuggestion {
					flagged = append(flagged, fmt.Sprintf("%s %s %q in %q", f.Level, f.Rule, f.Match, text))
				}
			}
			if e {
				withErr++
			}
			if w {
				withWarn++
			}
		}
		t.Logf("%s: %d replies, %.1f%% with error-level findings, %.1f%% with warnings", name, len(replies),
			100*float64(withErr)/float64(len(replies)), 100*float64(withWarn)/float64(len(replies)))
		var keys []string
		for k := range byRule {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.Logf("  %-32s %d", k, byRule[k])
		}
		r := rand.New(rand.NewPCG(7, 7))
		r.Shuffle(len(flagged), func(i, j int) { flagged[i], flagged[j] = flagged[j], flagged[i] })
		for _, s := range flagged[:min(12, len(flagged))] {
			t.Logf("  sample: %s", s)
		}
	}
}
