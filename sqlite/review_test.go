package sqlite

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

func TestReviewWorkflow(t *testing.T) {
	ctx := context.Background()
	st := openAccessStore(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	r, changed, err := st.SyncVersion(ctx, "sms", 1, saydo.InReview, now)
	if err != nil || !changed || r.Version != 1 || r.State != saydo.InReview {
		t.Fatalf("first sync = %+v, %v, %v; want version 1 in_review, changed", r, changed, err)
	}
	if _, changed, _ := st.SyncVersion(ctx, "sms", 1, saydo.InReview, now); changed {
		t.Errorf("same version again: changed = true, want false")
	}
	steps := []struct {
		name    string
		version int
		action  saydo.ReviewAction
		want    saydo.ReviewState
		wantErr error
	}{
		{"stale version", 2, saydo.ActionApprove, "", saydo.ErrConflict},
		{"approve", 1, saydo.ActionApprove, saydo.Approved, nil},
		{"approve twice", 1, saydo.ActionApprove, "", saydo.ErrConflict},
		{"send back", 1, saydo.ActionRequestChanges, saydo.ChangesRequested, nil},
	}
	for _, s := range steps {
		got, err := st.Decide(ctx, "sms", s.version, s.action, "user:ana", "ok", "", now)
		if s.wantErr != nil {
			if !errors.Is(err, s.wantErr) {
				t.Errorf("%s: got error %v, want %v", s.name, err, s.wantErr)
			}
			continue
		}
		if err != nil || got.State != s.want {
			t.Errorf("%s: got %+v, %v; want %s", s.name, got, err, s.want)
		}
	}
	if _, err := st.Decide(ctx, "nope", 1, saydo.ActionApprove, "user:ana", "", "", now); !errors.Is(err, saydo.ErrNotFound) {
		t.Errorf("unknown message: got %v, want ErrNotFound", err)
	}
	r, changed, err = st.SyncVersion(ctx, "sms", 2, saydo.InReview, now)
	if err != nil || !changed || r.Version != 2 || r.State != saydo.InReview {
		t.Errorf("changed body = %+v, %v, %v; want version 2 back in review", r, changed, err)
	}
	cur, err := st.CurrentReviews(ctx)
	if err != nil || cur["sms"].Version != 2 || cur["sms"].State != saydo.InReview {
		t.Errorf("CurrentReviews = %+v, %v", cur, err)
	}
	hist, err := st.ReviewHistory(ctx, "sms")
	if err != nil || len(hist) != 4 {
		t.Errorf("history = %+v, %v; want 4 entries", hist, err)
	}
	audit, err := st.Audit(ctx, 0, 10)
	if err != nil || len(audit) != 4 || audit[0].Action != "new_version" || audit[1].Action != "request_changes" {
		t.Errorf("audit = %+v, %v", audit, err)
	}
}
