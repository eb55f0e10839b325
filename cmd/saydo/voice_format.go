package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/saydo/saydo"
)

func langSummary(langs map[string]int64) string {
	type lc struct {
		l string
		n int64
	}
	var ls []lc
	for l, n := range langs {
		ls = append(ls, lc{l, n})
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i].n > ls[j].n || ls[i].n == ls[j].n && ls[i].l < ls[j].l })
	var parts []string
	for _, x := range ls {
		parts = append(parts, fmt.Sprintf("%s %s", x.l, thousands(x.n)))
	}
	return strings.Join(parts, ", ")
}

func pct(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) }

// pct1 is pct to a tenth, as the intervals under it are: a share of 98.7%
// is not shown as 99% above its interval 98.4–98.9%.
func pct1(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// intervalsLine gives a promise's voice figures their 95% intervals and
// answer counts, as in the demo: "95% CI: negative 98.4–98.9% · angry
// 1.2–1.7% · NPS -94 to -86 (440 answers) · CSAT 1–4% (488) · CES 5.6–6.0
// (185)"; "" without mentions.
func intervalsLine(v *saydo.PromiseVoice) string {
	var parts []string
	if c := v.NegativeCI; c != nil {
		parts = append(parts, fmt.Sprintf("negative %.1f–%.1f%%", 100*c[0], 100*c[1]))
	}
	if c := v.AngryCI; c != nil {
		parts = append(parts, fmt.Sprintf("angry %.1f–%.1f%%", 100*c[0], 100*c[1]))
	}
	answers := func(n int64, first bool) string {
		if first {
			return fmt.Sprintf(" (%s answers)", thousands(n))
		}
		return fmt.Sprintf(" (%s)", thousands(n))
	}
	first := true
	if c := v.NPSCI; c != nil {
		parts = append(parts, fmt.Sprintf("NPS %+.0f to %+.0f%s", c[0], c[1], answers(v.NPSN, first)))
		first = false
	}
	if c := v.CSATCI; c != nil {
		parts = append(parts, fmt.Sprintf("CSAT %.0f–%.0f%%%s", c[0], c[1], answers(v.CSATN, first)))
		first = false
	}
	if c := v.CESCI; c != nil {
		parts = append(parts, fmt.Sprintf("CES %.1f–%.1f%s", c[0], c[1], answers(v.CESN, first)))
	}
	if len(parts) == 0 {
		return ""
	}
	return "95% CI: " + strings.Join(parts, " · ")
}

func optNum(p *float64, format string) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf(format, *p)
}

// sparkline draws counts per month as block characters.
func sparkline(ms []saydo.MonthCount) string {
	if len(ms) == 0 {
		return ""
	}
	bars := []rune("▁▂▃▄▅▆▇█")
	var mx int64
	for _, m := range ms {
		mx = max(mx, m.Count)
	}
	var b strings.Builder
	for _, m := range ms {
		i := int(float64(m.Count) / float64(mx) * float64(len(bars)-1))
		b.WriteRune(bars[i])
	}
	return fmt.Sprintf("%s %s %s", ms[0].Month, b.String(), ms[len(ms)-1].Month)
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func writeVoiceTable(w io.Writer, ws *saydo.Workspace, rep *voiceReport) {
	if rep.Items == 0 {
		if rep.From != "" || rep.To != "" {
			fmt.Fprintf(w, "Voice of the customer: no feedback in the range asked (%s); without --from and --to the report reads all of it.\n", rangeText(rep.From, rep.To, false))
			return
		}
		fmt.Fprintln(w, "Voice of the customer: no feedback stored yet; import some with 'saydo ingest feedback FILE'.")
		return
	}
	fmt.Fprintf(w, "Voice of the customer: %s items (%s), %s negative\n", thousands(rep.Items), langSummary(rep.Langs), thousands(rep.Negative))
	if rep.Learned {
		fmt.Fprintln(w, "Mapping: promise wording plus a classifier learned from labelled feedback.")
	} else if rep.SelfTrained > 0 {
		fmt.Fprintf(w, "Mapping: promise wording plus what it learned, without labels, from %s of your items.\n", thousands(rep.SelfTrained))
	} else if rep.SelfTrainOff {
		fmt.Fprintln(w, "Mapping: promise wording and voice phrases alone (saydo.yaml: voice: self_train: false).")
	}
	fmt.Fprintf(w, "\n%-28s %8s %6s %6s %7s %8s %6s %5s %7s %6s %5s\n", "PROMISE", "MENTIONS", "NEG", "ANGRY", "REPEAT", "TRANSFER", "HOLD", "LOOP", "NPS", "CSAT", "CES")
	for _, p := range rep.Promises {
		v := p.PromiseVoice
		fmt.Fprintf(w, "%-28s %8s %6s %6s %7d %8d %6d %5d %7s %6s %5s\n", shorten(p.ID, 28), thousands(v.Mentions),
			pct1(v.ShareNegative), pct1(v.ShareAngry), v.Effort["repeat_contact"], v.Effort["transfer"], v.Effort["long_hold"], v.Effort["hold_loop"],
			optNum(v.NPS, "%+.0f"), optNum(v.CSAT, "%.0f%%"), optNum(v.CES, "%.1f"))
		if line := intervalsLine(v); line != "" {
			fmt.Fprintf(w, "    %s\n", line)
		}
		for _, q := range v.Quotes {
			fmt.Fprintf(w, "    “%s”\n", shorten(q, 110))
		}
	}
	fmt.Fprintf(w, "\nUnmet expectations: what %s negative items matching no promise keep raising\n", thousands(rep.Unmapped))
	if len(rep.Unmet) == 0 {
		fmt.Fprintln(w, "  (no recurring theme stands out)")
	}
	if note := themeNote(rep); note != "" {
		fmt.Fprintf(w, "  %s\n", note)
	}
	for i, t := range rep.Unmet {
		fmt.Fprintf(w, "  %d. %s — %s (%s)  %s\n", i+1, themeTitle(t), themeCount(t), pct(t.Share), sparkline(t.Months))
		fmt.Fprintf(w, "       words: %s\n", strings.Join(t.Terms, ", "))
		for _, q := range t.Quotes {
			fmt.Fprintf(w, "       “%s”\n", shorten(q, 100))
		}
	}
	writeIceberg(w, rep.Iceberg, "\n")
}

// themeCount is "495 items", or, for themes found in a sample, "about 495
// items, 95% CI 460–530".
func themeCount(t saydo.Theme) string {
	if c := t.CountCI; c != nil {
		return fmt.Sprintf("about %s items, 95%% CI %s–%s", thousands(t.Count), thousands(c[0]), thousands(c[1]))
	}
	return thousands(t.Count) + " items"
}

// themeTitle is a theme's label, with its wording in the other languages
// its items are written in: “no message about the appointment” / “nu am
// primit niciun mesaj”.
func themeTitle(t saydo.Theme) string {
	out := "“" + t.Label + "”"
	langs := make([]string, 0, len(t.Phrases))
	for l := range t.Phrases {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		if p := t.Phrases[l]; p != t.Label {
			out += " / “" + p + "”"
		}
	}
	return out
}

// themeNote says when themes are estimated from a sample, or how much more
// feedback they need.
func themeNote(rep *voiceReport) string {
	switch {
	case rep.ThemesNeed > 0:
		return fmt.Sprintf("Too little to go on: about %s more negative items matching no promise are needed before a theme raised by one in ten of them can stand out.", thousands(rep.ThemesNeed))
	case rep.ThemeSample > 0 && rep.ThemeSample < rep.Unmapped:
		return fmt.Sprintf("Themes found in a uniform sample of %s of the %s items; counts are estimates.", thousands(rep.ThemeSample), thousands(rep.Unmapped))
	}
	return ""
}

func writeIceberg(w io.Writer, ib saydo.Iceberg, lead string) {
	fmt.Fprintf(w, "%sThe iceberg: %s complaints seen → about %s dissatisfied customers\n", lead, thousands(ib.Complaints), thousands(ib.Dissatisfied))
	for _, l := range ib.Levels {
		fmt.Fprintf(w, "  %-8s %s complaints ÷ %.0f%% who complain = %s  (%s)\n", l.Severity, thousands(l.Complaints), 100*l.Rate, thousands(l.Dissatisfied), l.Source)
	}
	fmt.Fprintf(w, "  %s\n", ib.Assumption)
}

func writeVoiceMarkdown(w io.Writer, rep *voiceReport) {
	fmt.Fprintf(w, "# Voice of the customer\n\n%s items (%s), %s negative.\n\n", thousands(rep.Items), langSummary(rep.Langs), thousands(rep.Negative))
	fmt.Fprintln(w, "| promise | mentions | negative | angry | repeat contact | transfer | long hold | hold loop | NPS | CSAT | CES |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, p := range rep.Promises {
		v := p.PromiseVoice
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %d | %d | %d | %d | %s | %s | %s |\n", p.ID, thousands(v.Mentions), pct1(v.ShareNegative), pct1(v.ShareAngry),
			v.Effort["repeat_contact"], v.Effort["transfer"], v.Effort["long_hold"], v.Effort["hold_loop"],
			optNum(v.NPS, "%+.0f"), optNum(v.CSAT, "%.0f%%"), optNum(v.CES, "%.1f"))
	}
	for _, p := range rep.Promises {
		line := intervalsLine(p.PromiseVoice)
		if len(p.Quotes) == 0 && line == "" {
			continue
		}
		fmt.Fprintf(w, "\n**%s** — %s\n\n", p.ID, p.Says)
		if line != "" {
			fmt.Fprintf(w, "%s\n\n", line)
		}
		for _, q := range p.Quotes {
			fmt.Fprintf(w, "> %s\n>\n", shorten(q, 200))
		}
	}
	fmt.Fprintf(w, "\n## Unmet expectations\n\n%s negative items match no promise. %s\n\n", thousands(rep.Unmapped), themeNote(rep))
	for _, t := range rep.Unmet {
		fmt.Fprintf(w, "- **%s**: %s (%s) %s; words: %s\n", themeTitle(t), themeCount(t), pct(t.Share), sparkline(t.Months), strings.Join(t.Terms, ", "))
		for _, q := range t.Quotes {
			fmt.Fprintf(w, "  - “%s”\n", shorten(q, 160))
		}
	}
	fmt.Fprintln(w, "\n## The iceberg")
	writeIceberg(w, rep.Iceberg, "\n")
}
