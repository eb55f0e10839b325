package voice

import (
	"math"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

func TestSummarize(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	texts := []string{
		"Nobody answers the phone, I was on hold for an hour!!",
		"Nu răspunde nimeni la telefon, bătaie de joc.",
		"Great service, thank you.",
		"Roaming charges abroad are a scandal, roaming is too expensive.",
	}
	var items []saydo.Feedback
	for i := 0; i < 5; i++ {
		for _, x := range texts {
			items = append(items, saydo.Feedback{Text: x, At: at, NPS: math.NaN(), CSAT: math.NaN(), CES: math.NaN(), Rating: math.NaN()})
		}
	}
	scan := func(fn func(*saydo.Feedback) error) error {
		for i := range items {
			f := items[i] // a copy, as a store hands out reused items
			if err := fn(&f); err != nil {
				return err
			}
		}
		return nil
	}
	sum, err := Summarize(nordtelPromises(), scan, SummaryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v := sum.Promises["answer-in-2-min"]
	if sum.Items != 20 || v == nil || v.Mentions != 10 || v.ShareNegative != 1 || v.Effort["long_hold"] != 5 {
		t.Errorf("Summarize = %+v, answer-in-2-min %+v; want 20 items, 10 negative mentions, 5 long holds", sum, v)
	}
	if sum.Languages["ro"] != 5 || sum.Languages["en"] != 15 {
		t.Errorf("languages = %v, want ro 5, en 15", sum.Languages)
	}
	if len(sum.Unmet) != 1 || sum.Unmet[0].Count != 5 {
		t.Errorf("unmet = %+v, want one theme (roaming) of 5 items", sum.Unmet)
	}
	if sum.Iceberg.Complaints != 15 || sum.Learned {
		t.Errorf("iceberg %+v learned %v; want 15 complaints, nothing learned", sum.Iceberg, sum.Learned)
	}
}
