package voice

import (
	"testing"

	"github.com/saydo/saydo"
)

// TestMappingWaitToReachAPerson: a wait to reach a person is a wait to be
// answered, whatever the words: "45 minutes to talk to a human" is about
// a promise to answer calls, though it shares no word with "We answer
// every call within 2 minutes". A talk with no wait, or a time that
// dates the talk rather than counting a wait, is not.
func TestMappingWaitToReachAPerson(t *testing.T) {
	promises := append(nordtelPromises(), saydo.Promise{ID: "first-call-resolution",
		Says: "We solve your problem in the first call.", Metric: "call_resolved_first"})
	a := New(promises, Options{})
	for _, tc := range []struct {
		name, text, want string
	}{
		{"en time to talk to a human", "why does it take almost an hour to talk to a human??", "answer-in-2-min"},
		{"en minutes to reach an agent", "It took 40 minutes to reach an agent.", "answer-in-2-min"},
		{"en waited before speaking to someone", "Waited ages before I could speak to someone.", "answer-in-2-min"},
		{"ro minute să vorbesc cu un om", "de ce durează 40 de minute să vorbesc cu un om??", "answer-in-2-min"},
		{"ro fără diacritice", "de ce dureaza peste jumatate de ora sa vorbesc cu un om??", "answer-in-2-min"},
		{"ro la coadă până am vorbit cu un operator", "Am stat la coadă până am putut vorbi cu un operator.", "answer-in-2-min"},
		{"en a talk dated, no wait", "I spoke to someone 10 minutes ago and nothing happened.", ""},
		{"en a talk wanted, no wait", "I want to talk to a human.", ""},
		{"ro a talk dated, no wait", "Am vorbit cu cineva acum 10 minute și nu s-a întâmplat nimic.", ""},
		{"ro a talk wanted, no wait", "Vreau să vorbesc cu un om.", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := a.Analyze(tc.text, "").Promises
			first := ""
			if len(got) > 0 {
				first = got[0].PromiseID
			}
			if first != tc.want {
				t.Errorf("Analyze(%q).Promises = %+v, want first %q", tc.text, got, tc.want)
			}
		})
	}
}
