package storetest

import (
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// serverStore is what saydo serve needs: a store that also keeps users,
// tokens, sessions, reviews and the audit log.
type serverStore interface {
	saydo.Store
	saydo.AccessStore
	saydo.ReviewStore
}

// asServerStore returns s as a serverStore or skips the test.
func asServerStore(t *testing.T, s saydo.Store) serverStore {
	t.Helper()
	ss, ok := s.(serverStore)
	if !ok {
		t.Skipf("%T does not keep users and reviews", s)
	}
	return ss
}

func testUsersTokensSessions(t *testing.T, st serverStore) {
	ctx := t.Context()
	u, err := st.CreateUser(ctx, "ana", saydo.RoleApprover, "$argon2id$x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, "ana", saydo.RoleViewer, "h"); !errors.Is(err, saydo.ErrExists) {
		t.Errorf("second ana: got %v, want ErrExists", err)
	}
	got, hash, err := st.UserByName(ctx, "ana")
	if err != nil || got.ID != u.ID || got.Role != saydo.RoleApprover || hash != "$argon2id$x" {
		t.Errorf("UserByName = %+v, %q, %v; want id %d approver $argon2id$x", got, hash, err, u.ID)
	}
	if _, _, err := st.UserByName(ctx, "bob"); !errors.Is(err, saydo.ErrNotFound) {
		t.Errorf("bob: got %v, want ErrNotFound", err)
	}

	now := time.Now()
	secret := sha256.Sum256([]byte("tok"))
	tok, err := st.CreateToken(ctx, "ci", saydo.RoleAnalyst, secret)
	if err != nil {
		t.Fatal(err)
	}
	gotTok, err := st.TokenByHash(ctx, secret, now)
	if err != nil || gotTok.ID != tok.ID || gotTok.Role != saydo.RoleAnalyst || gotTok.LastUsed.IsZero() {
		t.Errorf("TokenByHash = %+v, %v", gotTok, err)
	}
	if _, err := st.TokenByHash(ctx, sha256.Sum256([]byte("other")), now); !errors.Is(err, saydo.ErrNotFound) {
		t.Errorf("unknown token: got %v, want ErrNotFound", err)
	}
	if err := st.DeleteToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.TokenByHash(ctx, secret, now); !errors.Is(err, saydo.ErrNotFound) {
		t.Errorf("revoked token: got %v, want ErrNotFound", err)
	}

	sh := sha256.Sum256([]byte("cookie"))
	if err := st.CreateSession(ctx, sh, saydo.Session{UserID: u.ID, CSRF: "c", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	sess, su, err := st.SessionByHash(ctx, sh, now)
	if err != nil || su.Name != "ana" || sess.CSRF != "c" {
		t.Errorf("SessionByHash = %+v, %+v, %v", sess, su, err)
	}
	if _, _, err := st.SessionByHash(ctx, sh, now.Add(2*time.Hour)); !errors.Is(err, saydo.ErrNotFound) {
		t.Errorf("expired session: got %v, want ErrNotFound", err)
	}
	if err := st.SetPassword(ctx, "ana", "new"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.SessionByHash(ctx, sh, now); !errors.Is(err, saydo.ErrNotFound) {
		t.Errorf("session after password change: got %v, want ErrNotFound", err)
	}
}

func testReviewWorkflow(t *testing.T, st serverStore) {
	ctx := t.Context()
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
		got, err := st.Decide(ctx, "sms", s.version, s.action, "user:ana", "ok", now)
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
	if _, err := st.Decide(ctx, "nope", 1, saydo.ActionApprove, "user:ana", "", now); !errors.Is(err, saydo.ErrNotFound) {
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
