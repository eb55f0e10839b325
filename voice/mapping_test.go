package voice

import (
	"slices"
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

// TestMappingTechnicianIsNoInstallation: a technician is not an
// installation. With both in one concept, "waiting for the installer"
// (a voice phrase of the installation promise) matched "Waited all day
// for the technician" surely, and a technician's word was no word of the
// technician promise's own (it was the installation promise's too), so
// a self-trained label for it could not stand on it.
func TestMappingTechnicianIsNoInstallation(t *testing.T) {
	a := New([]saydo.Promise{
		{ID: "install-in-3-days", Says: "Your internet installed within 3 days.", Metric: "install_days",
			Voice: map[string][]string{"en": {"waiting for the installer"}, "ro": {"aștept instalatorul"}}},
		{ID: "technician-on-time", Says: "Our technician arrives on time, in the slot you booked.", Metric: "technician_late_minutes"},
	}, Options{})
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"en technician waited for", "Waited all day for the technician. No-show, no call.", nil},
		{"ro tehnician așteptat", "Aștept tehnicianul toată ziua, nu a venit nimeni.", []string{"technician-on-time"}},
		{"en technician late", "The technician arrived two hours late.", []string{"technician-on-time"}},
		{"en installer waited for", "Still waiting for the installer.", []string{"install-in-3-days"}},
		{"ro instalator", "Aștept instalatorul de o săptămână.", []string{"install-in-3-days"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, m := range a.Analyze(tc.text, "").Promises {
				got = append(got, m.PromiseID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Analyze(%q) mentions %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}
