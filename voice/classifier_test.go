package voice

import (
	"bytes"
	"testing"
)

func TestClassifierBinaryRoundTrip(t *testing.T) {
	ex := []Example{
		{Text: "still waiting for my refund", Label: "refund"},
		{Text: "refund not received after two weeks", Label: "refund"},
		{Text: "Rambursarea nu a venit", Lang: "ro", Label: "refund"},
		{Text: "on hold for an hour again", Label: "answer"},
		{Text: "nobody answers the phone", Label: "answer"},
		{Text: "nu răspunde nimeni la telefon", Lang: "ro", Label: "answer"},
		{Text: "the technician never came", Label: "visit"},
		{Text: "technician was late for the appointment", Label: "visit"},
	}
	probe := []string{"where is my refund", "I was on hold", "nu a venit tehnicianul", "nothing in common here"}
	for _, model := range []string{"logistic", "bayes", "complement"} {
		t.Run(model, func(t *testing.T) {
			c := Train(ex, TrainOptions{Model: model})
			b, err := c.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			again, _ := Train(ex, TrainOptions{Model: model}).MarshalBinary()
			if !bytes.Equal(b, again) {
				t.Errorf("two trainings on the same examples encode differently")
			}
			var d Classifier
			if err := d.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			for _, p := range probe {
				gl, gp := d.Predict(p, "")
				wl, wp := c.Predict(p, "")
				if gl != wl || gp != wp {
					t.Errorf("decoded Predict(%q) = %s %v, want %s %v", p, gl, gp, wl, wp)
				}
			}
			b2, _ := d.MarshalBinary()
			if !bytes.Equal(b, b2) {
				t.Errorf("decoded classifier encodes differently")
			}
			for _, n := range []int{0, 5, len(classifierMagic) + 3, len(b) / 2, len(b) - 1} {
				if err := new(Classifier).UnmarshalBinary(b[:n]); err == nil {
					t.Errorf("UnmarshalBinary of the first %d of %d bytes: no error", n, len(b))
				}
			}
			if err := new(Classifier).UnmarshalBinary(append(append([]byte(nil), b...), 0)); err == nil {
				t.Errorf("UnmarshalBinary with a trailing byte: no error")
			}
		})
	}
}

func FuzzClassifierUnmarshal(f *testing.F) {
	c := Train([]Example{{Text: "refund late", Label: "a"}, {Text: "on hold", Label: "b"}}, TrainOptions{})
	b, _ := c.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Classifier
		if d.UnmarshalBinary(b) == nil {
			d.Predict("refund on hold", "")
		}
	})
}
