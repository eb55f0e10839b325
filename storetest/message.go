package storetest

import (
	"errors"
	"slices"
	"testing"

	"github.com/saydo/saydo"
)

func sameMessage(a, b saydo.Message) bool {
	return a.ID == b.ID && a.Path == b.Path && a.Channel == b.Channel && a.Department == b.Department &&
		a.Stage == b.Stage && a.Lang == b.Lang && a.Trigger == b.Trigger &&
		slices.Equal(a.Variables, b.Variables) && a.Body == b.Body && a.BodyLine == b.BodyLine && a.Version == b.Version
}

func checkMessages(t *testing.T, what string, got, want []saydo.Message) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %d messages, want %d", what, len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if !sameMessage(got[i], want[i]) {
			t.Errorf("%s %d:\ngot  %+v\nwant %+v", what, i, got[i], want[i])
		}
	}
}

func withVersion(m saydo.Message, v int) saydo.Message {
	m.Version = v
	return m
}

func testMessages(t *testing.T, s saydo.Store) {
	ctx := t.Context()
	sms := saydo.Message{
		ID: "overdue-balance-sms", Path: "messages/collections/overdue.txt", Channel: "sms",
		Department: "collections", Stage: "billing", Lang: "ro", Trigger: "Card balance unpaid on the due date",
		Variables: []string{"client_code", "date", "amount"},
		Body:      "Cod IDclient {{client_code}}: La {{date}} suma datorata este {{amount}} RON.", BodyLine: 9,
	}
	reworded := sms
	reworded.Body = "Bună ziua! La {{date}} suma de {{amount}} RON este restantă. Sunați-ne la 1234."
	retagged := reworded
	retagged.Variables = []string{"date", "amount"}
	moved := retagged
	moved.Path, moved.BodyLine = "messages/billing/overdue.txt", 11
	welcome := saydo.Message{ID: "a-welcome", Channel: "email", Body: "Hello {{name}}", Variables: []string{"name"}}

	steps := []struct {
		name        string
		put         saydo.Message
		wantVersion int
		wantChanged bool
	}{
		{"first version", sms, 1, true},
		{"same again is a no-op", sms, 1, false},
		{"new body", reworded, 2, true},
		{"new metadata", retagged, 3, true},
		{"moved file is not a change", moved, 3, false},
		{"another message", welcome, 1, true},
	}
	for _, st := range steps {
		v, changed, err := s.PutMessage(ctx, st.put)
		if err != nil {
			t.Fatalf("%s: PutMessage: %v", st.name, err)
		}
		if v != st.wantVersion || changed != st.wantChanged {
			t.Errorf("%s: PutMessage: got version %d changed %v, want %d %v", st.name, v, changed, st.wantVersion, st.wantChanged)
		}
	}

	got, err := s.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkMessages(t, "latest", got, []saydo.Message{withVersion(welcome, 1), withVersion(moved, 3)})

	versions, err := s.MessageVersions(ctx, sms.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkMessages(t, "version", versions, []saydo.Message{withVersion(sms, 1), withVersion(reworded, 2), withVersion(moved, 3)})

	if _, err := s.MessageVersions(ctx, "missing"); !errors.Is(err, saydo.ErrNotFound) {
		t.Errorf("MessageVersions(missing): got %v, want ErrNotFound", err)
	}
	if ms, err := s.Messages(ctx); err != nil || len(ms) != 2 {
		t.Errorf("Messages after reads: got %d, %v, want 2, nil", len(ms), err)
	}
}

func testMessagesEmpty(t *testing.T, s saydo.Store) {
	ms, err := s.Messages(t.Context())
	if err != nil || len(ms) != 0 {
		t.Errorf("Messages on an empty store: got %v, %v, want none", ms, err)
	}
	// A message with no variables round-trips as none.
	m := saydo.Message{ID: "plain", Body: "Thank you."}
	if _, _, err := s.PutMessage(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	if v, changed, err := s.PutMessage(t.Context(), saydo.Message{ID: "plain", Body: "Thank you.", Variables: []string{}}); err != nil || changed || v != 1 {
		t.Errorf("empty vs nil variables: got version %d changed %v err %v, want 1 false nil", v, changed, err)
	}
}
