package storetest

import (
	"crypto/sha256"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

// AccessStore is what the server keeps besides evidence: users, tokens,
// sessions, sign-in failures, reviews and the audit log.
type AccessStore interface {
	saydo.AccessStore
	saydo.ReviewStore
	io.Closer
}

// RunAccess runs the conformance suite of the access and review stores.
// open must return a new, empty store for each call; RunAccess closes it
// when the subtest ends.
func RunAccess(t *testing.T, open func(t *testing.T) AccessStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s AccessStore)
	}{
		{"UserLifeCycle", testUserLifeCycle},
		{"TokenExpiry", testTokenExpiry},
		{"SignInFailures", testSignInFailures},
		{"SeparationOfDuties", testSeparationOfDuties},
		{"UsersTokensSessions", testUsersTokensSessions},
		{"ReviewWorkflow", testReviewWorkflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tt.fn(t, s)
		})
	}
}

// session starts a session for a user and returns its hash.
func session(t *testing.T, s AccessStore, u saydo.User, cookie string, now time.Time) [32]byte {
	t.Helper()
	h := sha256.Sum256([]byte(cookie))
	if err := s.CreateSession(t.Context(), h, saydo.Session{UserID: u.ID, CSRF: "c-" + cookie, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return h
}

func sessionAlive(t *testing.T, s AccessStore, h [32]byte, now time.Time) bool {
	t.Helper()
	_, _, err := s.SessionByHash(t.Context(), h, now)
	if err != nil && !errors.Is(err, saydo.ErrNotFound) {
		t.Fatalf("SessionByHash: %v", err)
	}
	return err == nil
}

// testUserLifeCycle: a role change, a password reset and a removal each end
// the user's sessions at once, and only that user's.
func testUserLifeCycle(t *testing.T, s AccessStore) {
	ctx := t.Context()
	now := time.Now().UTC()
	ana, err := s.CreateUser(ctx, "ana", saydo.RoleAdmin, "h1")
	if err != nil {
		t.Fatal(err)
	}
	bob, err := s.CreateUser(ctx, "bob", saydo.RoleViewer, "h2")
	if err != nil {
		t.Fatal(err)
	}
	bobSession := session(t, s, bob, "bob-1", now)

	a1 := session(t, s, ana, "ana-1", now)
	if err := s.SetRole(ctx, "ana", saydo.RoleApprover); err != nil {
		t.Fatalf("SetRole: %v", err)
	}
	if sessionAlive(t, s, a1, now) {
		t.Error("session after a role change: alive, want ended")
	}
	if u, _, err := s.UserByName(ctx, "ana"); err != nil || u.Role != saydo.RoleApprover {
		t.Errorf("after SetRole: %+v, %v; want role approver", u, err)
	}

	a2 := session(t, s, ana, "ana-2", now)
	if err := s.SetPassword(ctx, "ana", "h3"); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	if sessionAlive(t, s, a2, now) {
		t.Error("session after a password reset: alive, want ended")
	}

	a3, a4 := session(t, s, ana, "ana-3", now), session(t, s, ana, "ana-4", now)
	if n, err := s.EndSessions(ctx, "ana"); err != nil || n != 2 {
		t.Errorf("EndSessions = %d, %v; want 2", n, err)
	}
	if sessionAlive(t, s, a3, now) || sessionAlive(t, s, a4, now) {
		t.Error("sessions after EndSessions: alive, want ended")
	}

	a5 := session(t, s, ana, "ana-5", now)
	if err := s.DeleteUser(ctx, "ana"); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	if sessionAlive(t, s, a5, now) {
		t.Error("session after removal: alive, want ended")
	}
	if _, _, err := s.UserByName(ctx, "ana"); !errors.Is(err, saydo.ErrNotFound) {
		t.Errorf("removed user: got %v, want ErrNotFound", err)
	}
	if !sessionAlive(t, s, bobSession, now) {
		t.Error("another user's session ended too")
	}
	users, err := s.Users(ctx)
	if err != nil || len(users) != 1 || users[0].Name != "bob" {
		t.Errorf("Users = %+v, %v; want bob alone", users, err)
	}
	// The name can be taken again, by a new user with no old sessions.
	if _, err := s.CreateUser(ctx, "ana", saydo.RoleViewer, "h4"); err != nil {
		t.Errorf("re-create a removed name: %v", err)
	}

	for name, fn := range map[string]func() error{
		"SetRole":     func() error { return s.SetRole(ctx, "zed", saydo.RoleAdmin) },
		"SetPassword": func() error { return s.SetPassword(ctx, "zed", "h") },
		"DeleteUser":  func() error { return s.DeleteUser(ctx, "zed") },
		"EndSessions": func() error { _, err := s.EndSessions(ctx, "zed"); return err },
	} {
		if err := fn(); !errors.Is(err, saydo.ErrNotFound) {
			t.Errorf("%s of an unknown user: got %v, want ErrNotFound", name, err)
		}
	}
}

func testTokenExpiry(t *testing.T, s AccessStore) {
	ctx := t.Context()
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	forever, soon := sha256.Sum256([]byte("forever")), sha256.Sum256([]byte("soon"))
	if _, err := s.CreateToken(ctx, "ci", saydo.RoleAnalyst, forever, time.Time{}); err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateToken(ctx, "contractor", saydo.RoleViewer, soon, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !tok.ExpiresAt.Equal(now.Add(time.Hour)) {
		t.Errorf("CreateToken ExpiresAt = %v, want %v", tok.ExpiresAt, now.Add(time.Hour))
	}
	if got, err := s.TokenByHash(ctx, soon, now.Add(59*time.Minute)); err != nil || got.Name != "contractor" || !got.ExpiresAt.Equal(now.Add(time.Hour)) {
		t.Errorf("before expiry: %+v, %v", got, err)
	}
	if _, err := s.TokenByHash(ctx, soon, now.Add(time.Hour)); !errors.Is(err, saydo.ErrNotFound) {
		t.Errorf("at expiry: got %v, want ErrNotFound", err)
	}
	if _, err := s.TokenByHash(ctx, forever, now.AddDate(100, 0, 0)); err != nil {
		t.Errorf("token without expiry a century later: %v", err)
	}
	toks, err := s.Tokens(ctx)
	if err != nil || len(toks) != 2 {
		t.Fatalf("Tokens = %+v, %v", toks, err)
	}
	for _, tk := range toks {
		if want := tk.Name == "contractor"; tk.ExpiresAt.IsZero() == want {
			t.Errorf("Tokens: %s ExpiresAt = %v", tk.Name, tk.ExpiresAt)
		}
	}
}

func testSignInFailures(t *testing.T, s AccessStore) {
	ctx := t.Context()
	t0 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	for i := range 5 {
		if err := s.RecordSignInFailure(ctx, "ana", "10.0.0.1", t0.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordSignInFailure(ctx, "bob", "10.0.0.1", t0.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordSignInFailure(ctx, "ana", "10.0.0.2", t0.Add(11*time.Minute)); err != nil {
		t.Fatal(err)
	}
	byName, byAddr, err := s.SignInFailures(ctx, "ana", "10.0.0.1", t0.Add(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	// ana at 2, 3, 4 (from .1) and 11 (from .2); .1 at 2, 3, 4 (ana) and 10 (bob).
	wantName := []time.Time{t0.Add(2 * time.Minute), t0.Add(3 * time.Minute), t0.Add(4 * time.Minute), t0.Add(11 * time.Minute)}
	wantAddr := []time.Time{t0.Add(2 * time.Minute), t0.Add(3 * time.Minute), t0.Add(4 * time.Minute), t0.Add(10 * time.Minute)}
	checkTimes(t, "by name", byName, wantName)
	checkTimes(t, "by address", byAddr, wantAddr)

	// At most the newest 100 of each, oldest first.
	for i := range 120 {
		if err := s.RecordSignInFailure(ctx, "eve", "10.0.0.9", t0.Add(time.Hour+time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	byName, byAddr, err = s.SignInFailures(ctx, "eve", "10.0.0.9", t0)
	if err != nil || len(byName) != 100 || len(byAddr) != 100 {
		t.Fatalf("120 failures: got %d by name, %d by address, %v; want 100 each", len(byName), len(byAddr), err)
	}
	if want := t0.Add(time.Hour + 20*time.Second); !byName[0].Equal(want) {
		t.Errorf("oldest of the newest 100 = %v, want %v", byName[0], want)
	}
	// Sub-second times keep their order (a text column of RFC 3339 times
	// without fixed-width fractions would not).
	for _, d := range []time.Duration{2*time.Hour + time.Second, 2*time.Hour + 1500*time.Millisecond, 2*time.Hour + 2*time.Second} {
		if err := s.RecordSignInFailure(ctx, "fay", "10.0.0.7", t0.Add(d)); err != nil {
			t.Fatal(err)
		}
	}
	byName, _, err = s.SignInFailures(ctx, "fay", "10.0.0.7", t0.Add(2*time.Hour+1200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	checkTimes(t, "sub-second", byName, []time.Time{t0.Add(2*time.Hour + 1500*time.Millisecond), t0.Add(2*time.Hour + 2*time.Second)})
	if n, a, err := s.SignInFailures(ctx, "nobody", "10.9.9.9", t0); err != nil || len(n)+len(a) != 0 {
		t.Errorf("unknown name and address: %v, %v, %v; want none", n, a, err)
	}
}

func checkTimes(t *testing.T, what string, got, want []time.Time) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		ok = got[i].Equal(want[i])
	}
	if !ok {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

// testSeparationOfDuties: whoever submitted a version cannot approve it;
// someone else can, and an override detail goes to the audit log.
func testSeparationOfDuties(t *testing.T, s AccessStore) {
	ctx := t.Context()
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	if _, _, err := s.SyncVersion(ctx, "sms", 1, saydo.Draft, now); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		action   saydo.ReviewAction
		reviewer string
		wantErr  error
	}{
		{saydo.ActionSubmit, "user:ana", nil},
		{saydo.ActionRequestChanges, "user:ana", nil},
		{saydo.ActionSubmit, "user:bob", nil},
		// ana submitted this version once, before changes were asked for:
		// still its submitter.
		{saydo.ActionApprove, "user:ana", saydo.ErrSelfApproval},
		{saydo.ActionApprove, "user:bob", saydo.ErrSelfApproval},
		{saydo.ActionApprove, "token:ci", nil},
	}
	for i, st := range steps {
		detail := ""
		if st.action == saydo.ActionApprove {
			detail = "override: 2 lint errors; reason: legal signed off"
		}
		_, err := s.Decide(ctx, "sms", 1, st.action, st.reviewer, "ok", detail, now.Add(time.Duration(i)*time.Minute))
		if !errors.Is(err, st.wantErr) {
			t.Errorf("step %d: %s by %s: got %v, want %v", i, st.action, st.reviewer, err, st.wantErr)
		}
	}
	cur, err := s.CurrentReviews(ctx)
	if err != nil || cur["sms"].State != saydo.Approved || cur["sms"].Reviewer != "token:ci" {
		t.Errorf("CurrentReviews = %+v, %v; want approved by token:ci", cur["sms"], err)
	}
	audit, err := s.Audit(ctx, 0, 1)
	if err != nil || len(audit) != 1 || audit[0].Action != "approve" || !strings.Contains(audit[0].Detail, "override") {
		t.Errorf("latest audit entry = %+v, %v; want the approval with its override", audit, err)
	}
}

// testUsersTokensSessions: users, tokens and sessions, found, refused and
// ended.
func testUsersTokensSessions(t *testing.T, st AccessStore) {
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
	tok, err := st.CreateToken(ctx, "ci", saydo.RoleAnalyst, secret, time.Time{})
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

// testReviewWorkflow: versions, decisions, conflicts, history and audit.
func testReviewWorkflow(t *testing.T, st AccessStore) {
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
