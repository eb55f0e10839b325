package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/saydo/saydo"
)

// CreateUser stores a user; saydo.ErrExists when the name is taken.
func (s *Store) CreateUser(ctx context.Context, name string, role saydo.Role, passwordHash string) (saydo.User, error) {
	u := saydo.User{Name: name, Role: role, CreatedAt: time.Now().UTC().Truncate(time.Second)}
	err := s.pool.QueryRow(ctx, `INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		name, string(role), passwordHash, u.CreatedAt).Scan(&u.ID)
	if isUnique(err) {
		return u, fmt.Errorf("user %q: %w", name, saydo.ErrExists)
	}
	if err != nil {
		return u, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// UserByName returns a user and its password hash.
func (s *Store) UserByName(ctx context.Context, name string) (saydo.User, string, error) {
	var u saydo.User
	var role, hash string
	err := s.pool.QueryRow(ctx, `SELECT id, name, role, password_hash, created_at FROM users WHERE name = $1`, name).
		Scan(&u.ID, &u.Name, &role, &hash, &u.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, "", fmt.Errorf("user %q: %w", name, saydo.ErrNotFound)
	}
	if err != nil {
		return u, "", fmt.Errorf("user %q: %w", name, err)
	}
	u.Role, u.CreatedAt = saydo.Role(role), u.CreatedAt.UTC()
	return u, hash, nil
}

// SetPassword replaces a user's password hash and ends its sessions.
func (s *Store) SetPassword(ctx context.Context, name, passwordHash string) error {
	return s.userUpdate(ctx, name, "set password", `UPDATE users SET password_hash = $1 WHERE name = $2 RETURNING id`, passwordHash, name)
}

// SetRole changes a user's role and ends its sessions.
func (s *Store) SetRole(ctx context.Context, name string, role saydo.Role) error {
	return s.userUpdate(ctx, name, "set role", `UPDATE users SET role = $1 WHERE name = $2 RETURNING id`, string(role), name)
}

// DeleteUser removes a user and its sessions.
func (s *Store) DeleteUser(ctx context.Context, name string) error {
	return s.userUpdate(ctx, name, "remove user", `DELETE FROM users WHERE name = $1 RETURNING id`, name)
}

// userUpdate runs a statement that changes or removes one user and
// returns its id, ends the user's sessions in the same transaction, and
// tells the other servers.
func (s *Store) userUpdate(ctx context.Context, name, what, query string, args ...any) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, query, args...).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("user %q: %w", name, saydo.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return err
		}
		return s.notify(ctx, tx, "access")
	})
	if errors.Is(err, saydo.ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// EndSessions signs a user out everywhere.
func (s *Store) EndSessions(ctx context.Context, name string) (int, error) {
	var n int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM users WHERE name = $1`, name).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("user %q: %w", name, saydo.ErrNotFound)
		}
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		return s.notify(ctx, tx, "access")
	})
	if errors.Is(err, saydo.ErrNotFound) {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("end sessions: %w", err)
	}
	return int(n), nil
}

// Users lists every user by name.
func (s *Store) Users(ctx context.Context) ([]saydo.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, name, role, created_at FROM users ORDER BY name COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	var (
		out  []saydo.User
		u    saydo.User
		role string
	)
	_, err = pgx.ForEachRow(rows, []any{&u.ID, &u.Name, &role, &u.CreatedAt}, func() error {
		u.Role, u.CreatedAt = saydo.Role(role), u.CreatedAt.UTC()
		out = append(out, u)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return out, nil
}

// CreateToken stores a token by the hash of its secret.
func (s *Store) CreateToken(ctx context.Context, name string, role saydo.Role, hash [32]byte, expires time.Time) (saydo.Token, error) {
	t := saydo.Token{Name: name, Role: role, CreatedAt: time.Now().UTC().Truncate(time.Second)}
	var exp *time.Time
	if !expires.IsZero() {
		t.ExpiresAt = expires.UTC()
		exp = &t.ExpiresAt
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO api_tokens (name, role, hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		name, string(role), hash[:], t.CreatedAt, exp).Scan(&t.ID)
	if isUnique(err) {
		return t, fmt.Errorf("token: %w", saydo.ErrExists)
	}
	if err != nil {
		return t, fmt.Errorf("create token: %w", err)
	}
	return t, nil
}

// tokenUseResolution is how stale LastUsed may get: updating it on every
// request would put a write on every read.
const tokenUseResolution = time.Minute

// TokenByHash finds a token by the hash of its secret and records its use
// at most once a minute.
func (s *Store) TokenByHash(ctx context.Context, hash [32]byte, now time.Time) (saydo.Token, error) {
	var t saydo.Token
	var role string
	var used, expires *time.Time
	err := s.pool.QueryRow(ctx, `SELECT id, name, role, created_at, last_used, expires_at FROM api_tokens WHERE hash = $1`, hash[:]).
		Scan(&t.ID, &t.Name, &role, &t.CreatedAt, &used, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, fmt.Errorf("token: %w", saydo.ErrNotFound)
	}
	if err != nil {
		return t, fmt.Errorf("token: %w", err)
	}
	t.Role, t.CreatedAt = saydo.Role(role), t.CreatedAt.UTC()
	if used != nil {
		t.LastUsed = used.UTC()
	}
	if expires != nil {
		t.ExpiresAt = expires.UTC()
	}
	if t.Expired(now) {
		return saydo.Token{}, fmt.Errorf("token expired: %w", saydo.ErrNotFound)
	}
	if now.Sub(t.LastUsed) >= tokenUseResolution {
		t.LastUsed = now.UTC()
		if _, err := s.pool.Exec(ctx, `UPDATE api_tokens SET last_used = $1 WHERE id = $2`, t.LastUsed, t.ID); err != nil {
			return t, fmt.Errorf("token: %w", err)
		}
	}
	return t, nil
}

// Tokens lists every token, newest first.
func (s *Store) Tokens(ctx context.Context) ([]saydo.Token, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, name, role, created_at, last_used, expires_at FROM api_tokens ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	var (
		out           []saydo.Token
		t             saydo.Token
		role          string
		used, expires *time.Time
	)
	_, err = pgx.ForEachRow(rows, []any{&t.ID, &t.Name, &role, &t.CreatedAt, &used, &expires}, func() error {
		t.Role, t.CreatedAt, t.LastUsed, t.ExpiresAt = saydo.Role(role), t.CreatedAt.UTC(), time.Time{}, time.Time{}
		if used != nil {
			t.LastUsed = used.UTC()
		}
		if expires != nil {
			t.ExpiresAt = expires.UTC()
		}
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	return out, nil
}

// DeleteToken revokes a token and tells the other servers at once.
func (s *Store) DeleteToken(ctx context.Context, id int64) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM api_tokens WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("token %d: %w", id, saydo.ErrNotFound)
		}
		return s.notify(ctx, tx, "access")
	})
	if err != nil {
		return fmt.Errorf("delete token: %w", err)
	}
	return nil
}

// CreateSession stores a session and drops expired ones.
func (s *Store) CreateSession(ctx context.Context, hash [32]byte, sess saydo.Session) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at < $1`, sess.CreatedAt); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			hash[:], sess.UserID, sess.CSRF, sess.CreatedAt, sess.ExpiresAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByHash returns an unexpired session and its user.
func (s *Store) SessionByHash(ctx context.Context, hash [32]byte, now time.Time) (saydo.Session, saydo.User, error) {
	var sess saydo.Session
	var u saydo.User
	var role string
	err := s.pool.QueryRow(ctx, `SELECT s.user_id, s.csrf, s.created_at, s.expires_at, u.name, u.role, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = $1`, hash[:]).
		Scan(&sess.UserID, &sess.CSRF, &sess.CreatedAt, &sess.ExpiresAt, &u.Name, &role, &u.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return sess, u, fmt.Errorf("session: %w", saydo.ErrNotFound)
	}
	if err != nil {
		return sess, u, fmt.Errorf("session: %w", err)
	}
	sess.CreatedAt, sess.ExpiresAt = sess.CreatedAt.UTC(), sess.ExpiresAt.UTC()
	if !now.Before(sess.ExpiresAt) {
		return sess, u, fmt.Errorf("session expired: %w", saydo.ErrNotFound)
	}
	u.ID, u.Role, u.CreatedAt = sess.UserID, saydo.Role(role), u.CreatedAt.UTC()
	return sess, u, nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, hash [32]byte) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE hash = $1`, hash[:]); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// signInFailureRetention is how long failed sign-ins are kept for the
// throttle; the audit log keeps them for good.
const signInFailureRetention = 24 * time.Hour

// RecordSignInFailure notes a failed sign-in and prunes old ones. Every
// server counts the same failures: the throttle holds across them.
func (s *Store) RecordSignInFailure(ctx context.Context, name, address string, at time.Time) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sign_in_failures WHERE at < $1`, at.Add(-signInFailureRetention).UnixNano()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO sign_in_failures (at, name, address) VALUES ($1, $2, $3)`, at.UnixNano(), name, address)
		return err
	})
	if err != nil {
		return fmt.Errorf("record sign-in failure: %w", err)
	}
	return nil
}

// SignInFailures returns recent failed sign-ins by name and by address.
func (s *Store) SignInFailures(ctx context.Context, name, address string, since time.Time) (byName, byAddress []time.Time, err error) {
	list := func(column, v string) ([]time.Time, error) {
		// column is one of two constants, never user input.
		rows, err := s.pool.Query(ctx, `SELECT at FROM (SELECT at FROM sign_in_failures WHERE `+column+` = $1 AND at >= $2
			ORDER BY at DESC LIMIT 100) AS f ORDER BY at`, v, since.UnixNano())
		if err != nil {
			return nil, fmt.Errorf("sign-in failures: %w", err)
		}
		var (
			out []time.Time
			at  int64
		)
		_, err = pgx.ForEachRow(rows, []any{&at}, func() error {
			out = append(out, time.Unix(0, at).UTC())
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("sign-in failures: %w", err)
		}
		return out, nil
	}
	if byName, err = list("name", name); err != nil {
		return nil, nil, err
	}
	if byAddress, err = list("address", address); err != nil {
		return nil, nil, err
	}
	return byName, byAddress, nil
}
