package voice

import "github.com/saydo/saydo"

// Summary is what customers say over a set of feedback: per promise, the
// unmet expectations and the iceberg.
type Summary struct {
	// Items is how many feedback items were read.
	Items int64
	// Negative is how many of them are negative.
	Negative int64
	// Unmapped is how many negative items match no promise.
	Unmapped int64
	// Languages counts items per language.
	Languages map[string]int64
	// Promises holds what customers say about each promise they mention.
	Promises map[string]*saydo.PromiseVoice
	// Unmet are the recurring themes of negative feedback matching no
	// promise.
	Unmet []saydo.Theme
	// Iceberg estimates dissatisfied customers from complaints seen.
	Iceberg saydo.Iceberg
	// Learned is true when a classifier learned from labelled items.
	Learned bool
	// SelfTrained is how many items' texts the mapping learned from
	// without labels (SelfTrain), 0 when it did not.
	SelfTrained int64
	// ThemeSample is how many negative unmatched items the themes were
	// found in; less than Unmapped when they were found in a uniform
	// sample (counts are then estimates for the whole).
	ThemeSample int64
	// ThemesNeed is how many more negative unmatched items are needed
	// before a recurring theme could stand out (0: enough).
	ThemesNeed int64
}

// SummaryOptions tune Summarize; the zero value is the default.
type SummaryOptions struct {
	// Analyzer options; a Classifier given here is used as is.
	Options Options
	// Themes caps the unmet expectations listed (default 8); MinTheme is
	// the fewest items a theme needs (default 5).
	Themes, MinTheme int
	// Rates are the complaint rates of the iceberg (default
	// DefaultComplaintRates).
	Rates ComplaintRates
	// MinLabelled is how many items must carry a label naming a promise
	// before a classifier is trained on them (default 20).
	MinLabelled int
}

// Summarize reads feedback through scan, which calls fn for every item (a
// store's scan, a file, a slice), and analyses each item through the
// current promises: stored analyses were made with the promises of their
// import day. When enough items carry labels naming promises, a first pass
// trains a classifier that adds to the zero-shot mapping. Items passed to
// fn may be reused by scan after fn returns.
func Summarize(promises []saydo.Promise, scan func(fn func(*saydo.Feedback) error) error, opts SummaryOptions) (*Summary, error) {
	if opts.Themes <= 0 {
		opts.Themes = 8
	}
	if opts.MinTheme <= 0 {
		opts.MinTheme = 5
	}
	if opts.MinLabelled <= 0 {
		opts.MinLabelled = 20
	}
	sum := &Summary{Languages: map[string]int64{}}
	if opts.Options.Classifier == nil {
		ids := map[string]bool{}
		for _, p := range promises {
			ids[p.ID] = true
		}
		var ex []Example
		named := 0
		err := scan(func(f *saydo.Feedback) error {
			if f.Label != "" && f.Text != "" {
				ex = append(ex, Example{Text: f.Text, Lang: f.Lang, Label: f.Label})
				if ids[f.Label] {
					named++
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if named >= opts.MinLabelled {
			opts.Options.Classifier = Train(ex, TrainOptions{})
			sum.Learned = true
		}
	} else {
		sum.Learned = true
	}
	an := New(promises, opts.Options)
	tally := NewTally()
	if opts.Rates != nil {
		tally.Rates = opts.Rates
	}
	themes := NewThemeFinder()
	err := scan(func(f *saydo.Feedback) error {
		if f.Text != "" {
			an.AnalyzeFeedback(f)
		}
		if f.Lang == "" {
			f.Lang = Undetermined
		}
		sum.Items++
		sum.Languages[f.Lang]++
		if f.Analysis.Label == "negative" {
			sum.Negative++
			if len(f.Analysis.Promises) == 0 {
				sum.Unmapped++
			}
		}
		tally.Add(f)
		themes.Add(f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sum.Promises = tally.Voices()
	sum.Unmet = themes.Themes(opts.Themes, opts.MinTheme)
	if sum.Unmet == nil {
		sum.Unmet = []saydo.Theme{}
	}
	sum.ThemeSample = sum.Unmapped
	if len(sum.Unmet) == 0 {
		sum.ThemesNeed = ThemesNeed(sum.Unmapped, sum.Items-sum.Unmapped, opts.MinTheme)
	}
	sum.Iceberg = tally.Iceberg()
	return sum, nil
}
