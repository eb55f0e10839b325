package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/saydo/saydo"
)

var _ saydo.AccessStore = (*Store)(nil)

// timeText is how the access and review tables store times.
func timeText(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTimeText(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// CreateUser stores a user; saydo.ErrExists when the name is taken.
func (s *Store) CreateUser(ctx context.Context, name string, role saydo.Role, passwordHash string) (saydo.User, error) {
	u := saydo.User{Name: name, Role: role, CreatedAt: time.Now().UTC().Truncate(time.Second)}
	res, err := s.w.ExecContext(ctx, `INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)`,
		name, string(role), passwordHash, timeText(u.CreatedAt))
	if isUnique(err) {
		return u, fmt.Errorf("user %q: %w", name, saydo.ErrExists)
	}
	if err != nil {
		return u, fmt.Errorf("create user: %w", err)
	}
	u.ID, err = res.LastInsertId()
	return u, err
}

// UserByName returns a user and its password hash.
func (s *Store) UserByName(ctx context.Context, name string) (saydo.User, string, error) {
	var u saydo.User
	var role, hash, created string
	err := s.r.QueryRowContext(ctx, `SELECT id, name, role, password_hash, created_at FROM users WHERE name = ?`, name).
		Scan(&u.ID, &u.Name, &role, &hash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return u, "", fmt.Errorf("user %q: %w", name, saydo.ErrNotFound)
	}
	if err != nil {
		return u, "", fmt.Errorf("user %q: %w", name, err)
	}
	u.Role, u.CreatedAt = saydo.Role(role), parseTimeText(created)
	return u, hash, nil
}

// SetPassword replaces a user's password hash and ends its sessions.
func (s *Store) SetPassword(ctx context.Context, name, passwordHash string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	defer tx.Rollback()
	var id int64
	if err := tx.QueryRowContext(ctx, `UPDATE users SET password_hash = ? WHERE name = ? RETURNING id`, passwordHash, name).Scan(&id); errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("user %q: %w", name, saydo.ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return tx.Commit()
}

// SetRole changes a user's role and ends its sessions.
func (s *Store) SetRole(ctx context.Context, name string, role saydo.Role) error {
	return s.userUpdate(ctx, name, "set role", `UPDATE users SET role = ? WHERE name = ? RETURNING id`, string(role), name)
}

// DeleteUser removes a user and its sessions.
func (s *Store) DeleteUser(ctx context.Context, name string) error {
	return s.userUpdate(ctx, name, "remove user", `DELETE FROM users WHERE name = ? RETURNING id`, name)
}

// userUpdate runs a statement that changes or removes one user and
// returns its id, and ends the user's sessions in the same transaction.
func (s *Store) userUpdate(ctx context.Context, name, what, query string, args ...any) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	var id int64
	if err := tx.QueryRowContext(ctx, query, args...).Scan(&id); errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("user %q: %w", name, saydo.ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return tx.Commit()
}

// EndSessions signs a user out everywhere.
func (s *Store) EndSessions(ctx context.Context, name string) (int, error) {
	var id int64
	err := s.w.QueryRowContext(ctx, `SELECT id FROM users WHERE name = ?`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("user %q: %w", name, saydo.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("end sessions: %w", err)
	}
	res, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id)
	if err != nil {
		return 0, fmt.Errorf("end sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Users lists every user by name.
func (s *Store) Users(ctx context.Context) ([]saydo.User, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, role, created_at FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer rows.Close()
	var out []saydo.User
	for rows.Next() {
		var u saydo.User
		var role, created string
		if err := rows.Scan(&u.ID, &u.Name, &role, &created); err != nil {
			return nil, fmt.Errorf("users: %w", err)
		}
		u.Role, u.CreatedAt = saydo.Role(role), parseTimeText(created)
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateToken stores a token by the hash of its secret.
func (s *Store) CreateToken(ctx context.Context, name string, role saydo.Role, hash [32]byte, expires time.Time) (saydo.Token, error) {
	t := saydo.Token{Name: name, Role: role, CreatedAt: time.Now().UTC().Truncate(time.Second)}
	var exp sql.NullString
	if !expires.IsZero() {
		t.ExpiresAt = expires.UTC()
		exp = sql.NullString{String: timeText(t.ExpiresAt), Valid: true}
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO api_tokens (name, role, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		name, string(role), hash[:], timeText(t.CreatedAt), exp)
	if isUnique(err) {
		return t, fmt.Errorf("token: %w", saydo.ErrExists)
	}
	if err != nil {
		return t, fmt.Errorf("create token: %w", err)
	}
	t.ID, err = res.LastInsertId()
	return t, err
}

// tokenUseResolution is how stale LastUsed may get: updating it on every
// request would put a write on every read.
const tokenUseResolution = time.Minute

// TokenByHash finds an unexpired token by the hash of its secret and
// records its use at most once a minute.
func (s *Store) TokenByHash(ctx context.Context, hash [32]byte, now time.Time) (saydo.Token, error) {
	var t saydo.Token
	var role, created string
	var used, expires sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT id, name, role, created_at, last_used, expires_at FROM api_tokens WHERE hash = ?`, hash[:]).
		Scan(&t.ID, &t.Name, &role, &created, &used, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("token: %w", saydo.ErrNotFound)
	}
	if err != nil {
		return t, fmt.Errorf("token: %w", err)
	}
	t.Role, t.CreatedAt = saydo.Role(role), parseTimeText(created)
	if used.Valid {
		t.LastUsed = parseTimeText(used.String)
	}
	if expires.Valid {
		t.ExpiresAt = parseTimeText(expires.String)
	}
	if t.Expired(now) {
		return saydo.Token{}, fmt.Errorf("token expired: %w", saydo.ErrNotFound)
	}
	if now.Sub(t.LastUsed) >= tokenUseResolution {
		t.LastUsed = now.UTC()
		if _, err := s.w.ExecContext(ctx, `UPDATE api_tokens SET last_used = ? WHERE id = ?`, timeText(t.LastUsed), t.ID); err != nil {
			return t, fmt.Errorf("token: %w", err)
		}
	}
	return t, nil
}

// Tokens lists every token, newest first.
func (s *Store) Tokens(ctx context.Context) ([]saydo.Token, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, role, created_at, last_used, expires_at FROM api_tokens ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	defer rows.Close()
	var out []saydo.Token
	for rows.Next() {
		var t saydo.Token
		var role, created string
		var used, expires sql.NullString
		if err := rows.Scan(&t.ID, &t.Name, &role, &created, &used, &expires); err != nil {
			return nil, fmt.Errorf("tokens: %w", err)
		}
		t.Role, t.CreatedAt = saydo.Role(role), parseTimeText(created)
		if used.Valid {
			t.LastUsed = parseTimeText(used.String)
		}
		if expires.Valid {
			t.ExpiresAt = parseTimeText(expires.String)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteToken revokes a token.
func (s *Store) DeleteToken(ctx context.Context, id int64) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM api_tokens WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("token %d: %w", id, saydo.ErrNotFound)
	}
	return nil
}

// CreateSession stores a session and drops expired ones.
func (s *Store) CreateSession(ctx context.Context, hash [32]byte, sess saydo.Session) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ?`, timeText(sess.CreatedAt)); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		hash[:], sess.UserID, sess.CSRF, timeText(sess.CreatedAt), timeText(sess.ExpiresAt)); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return tx.Commit()
}

// SessionByHash returns an unexpired session and its user.
func (s *Store) SessionByHash(ctx context.Context, hash [32]byte, now time.Time) (saydo.Session, saydo.User, error) {
	var sess saydo.Session
	var u saydo.User
	var role, uCreated, created, expires string
	err := s.r.QueryRowContext(ctx, `SELECT s.user_id, s.csrf, s.created_at, s.expires_at, u.name, u.role, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ?`, hash[:]).
		Scan(&sess.UserID, &sess.CSRF, &created, &expires, &u.Name, &role, &uCreated)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, u, fmt.Errorf("session: %w", saydo.ErrNotFound)
	}
	if err != nil {
		return sess, u, fmt.Errorf("session: %w", err)
	}
	sess.CreatedAt, sess.ExpiresAt = parseTimeText(created), parseTimeText(expires)
	if !now.Before(sess.ExpiresAt) {
		return sess, u, fmt.Errorf("session expired: %w", saydo.ErrNotFound)
	}
	u.ID, u.Role, u.CreatedAt = sess.UserID, saydo.Role(role), parseTimeText(uCreated)
	return sess, u, nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, hash [32]byte) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, hash[:]); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// signInFailureRetention is how long failed sign-ins are kept for the
// throttle; the audit log keeps them for good.
const signInFailureRetention = 24 * time.Hour

// RecordSignInFailure notes a failed sign-in and prunes old ones.
func (s *Store) RecordSignInFailure(ctx context.Context, name, address string, at time.Time) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record sign-in failure: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_failures WHERE at < ?`, at.Add(-signInFailureRetention).UnixNano()); err != nil {
		return fmt.Errorf("record sign-in failure: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sign_in_failures (at, name, address) VALUES (?, ?, ?)`, at.UnixNano(), name, address); err != nil {
		return fmt.Errorf("record sign-in failure: %w", err)
	}
	return tx.Commit()
}

// SignInFailures returns recent failed sign-ins by name and by address.
func (s *Store) SignInFailures(ctx context.Context, name, address string, since time.Time) (byName, byAddress []time.Time, err error) {
	list := func(column, v string) ([]time.Time, error) {
		// column is one of two constants, never user input.
		rows, err := s.r.QueryContext(ctx, `SELECT at FROM (SELECT at FROM sign_in_failures WHERE `+column+` = ? AND at >= ? ORDER BY at DESC LIMIT 100) ORDER BY at`,
			v, since.UnixNano())
		if err != nil {
			return nil, fmt.Errorf("sign-in failures: %w", err)
		}
		defer rows.Close()
		var out []time.Time
		for rows.Next() {
			var at int64
			if err := rows.Scan(&at); err != nil {
				return nil, fmt.Errorf("sign-in failures: %w", err)
			}
			out = append(out, time.Unix(0, at).UTC())
		}
		return out, rows.Err()
	}
	if byName, err = list("name", name); err != nil {
		return nil, nil, err
	}
	if byAddress, err = list("address", address); err != nil {
		return nil, nil, err
	}
	return byName, byAddress, nil
}
