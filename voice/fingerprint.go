package voice

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"

	"github.com/saydo/saydo"
)

// Version names the analysis: bump it whenever a change to the lexicons,
// rules or mapping would change what a stored item's analysis says, so
// stored analyses and voice summaries are rebuilt.
const Version = "voice-2026-12-01.voiceacc-2.map-3.sent-1.sent-2.demo-1.sent-3.demo-2.smodel-1.smodel-2.map-4.map-5.map-6.vci-1.map-7.map-8.map-9"

// sentimentModelSum is the start of sentiment_model.txt's SHA-256: a
// regenerated model changes analyses, so TestSentimentModelVersion fails
// until Version is bumped and this updated.
const sentimentModelSum = "a8272ea96487"

// Fingerprint identifies everything an item's analysis depends on besides
// its own text: this package's Version, every promise's says, metric and
// voice phrases (term weights are shared between promises, so a change to
// one can move another's mentions), and the labelled examples (a digest
// such as the one saydo.VoiceDay keeps; "" when no classifier is
// trained). Objectives, periods and owners do not change what customers
// said, and are left out.
func Fingerprint(promises []saydo.Promise, labels string) string {
	ps := make([]*saydo.Promise, len(promises))
	for i := range promises {
		ps[i] = &promises[i]
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
	h := sha256.New()
	put := func(s string) { fmt.Fprintf(h, "%d:%s", len(s), s) }
	put(Version)
	put(labels)
	for _, p := range ps {
		put(p.ID)
		put(p.Says)
		put(p.Metric)
		langs := make([]string, 0, len(p.Voice))
		for l := range p.Voice {
			langs = append(langs, l)
		}
		sort.Strings(langs)
		for _, l := range langs {
			put(l)
			for _, ph := range p.Voice[l] {
				put(ph)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
