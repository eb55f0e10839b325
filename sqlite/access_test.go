package sqlite

import (
	"context"
	"crypto/sha256"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/saydo/saydo"
)

func openAccessStore(t *testing.T) *Store {
	t.Helper()
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "saydo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestUsersTokensSessions(t *testing.T) {
	ctx := context.Background()
	st := openAccessStore(t)
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
