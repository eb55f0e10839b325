package yaml

import (
	"strings"
	"testing"
)

func TestVoiceSettings(t *testing.T) {
	base := `company: Nordtel
departments:
  - {id: care, name: Care}
promises:
  - id: answer-in-2-min
    says: "We answer every call within 2 minutes."
    owner: care
    metric: call_wait_seconds
    objective: {at_most: 120, share: 0.95}
`
	for _, tc := range []struct {
		voice   string
		off     bool
		wantErr string
	}{
		{"", false, ""},
		{"voice:\n", false, ""},
		{"voice:\n  self_train: true\n", false, ""},
		{"voice:\n  self_train: false\n", true, ""},
		{"voice: {self_train: False}\n", true, ""},
		{"voice:\n  self_train: maybe\n", false, `saydo.yaml:11:15: voice.self_train: want true (learn from your own feedback too, the default) or false (the promises' words and voice phrases alone), got "maybe"`},
		{"voice:\n  self_training: false\n", false, `saydo.yaml:11:3: unknown key "self_training" in voice`},
	} {
		ws, err := ParseWorkspace("saydo.yaml", []byte(base+tc.voice))
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: got %v, want an error containing %q", tc.voice, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.voice, err)
			continue
		}
		if ws.Voice.NoSelfTrain != tc.off {
			t.Errorf("%q: NoSelfTrain = %v, want %v", tc.voice, ws.Voice.NoSelfTrain, tc.off)
		}
	}
}
