package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/saydo/saydo"
)

// lockMessage serialises review changes of one message across processes.
func (s *Store) lockMessage(ctx context.Context, tx pgx.Tx, messageID string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('saydo.review:' || $1 || ':' || $2))`, s.schema, messageID)
	return err
}

// SyncVersion starts review of a message's version when it is newer than
// the latest version review knows.
func (s *Store) SyncVersion(ctx context.Context, messageID string, version int, initial saydo.ReviewState, now time.Time) (saydo.Review, bool, error) {
	r, err := latestReview(ctx, s.pool, messageID)
	if err == nil && r.Version >= version {
		return r, false, nil // the common case: read only
	}
	if err != nil && !errors.Is(err, saydo.ErrNotFound) {
		return r, false, err
	}
	changed := false
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := s.lockMessage(ctx, tx, messageID); err != nil {
			return err
		}
		// Read again under the lock: another server may have made the
		// version since.
		r, err = latestReview(ctx, tx, messageID)
		switch {
		case err == nil && r.Version >= version:
			return nil
		case err != nil && !errors.Is(err, saydo.ErrNotFound):
			return err
		}
		detail := "first version"
		if r.Version > 0 {
			detail = "changed; version " + strconv.Itoa(r.Version) + " was " + string(r.State)
		}
		r = saydo.Review{MessageID: messageID, Version: version, State: initial, At: now.UTC(), Comment: detail}
		if _, err := tx.Exec(ctx, `INSERT INTO review_versions (message_id, version, state, created_at) VALUES ($1, $2, $3, $4)`,
			messageID, r.Version, string(initial), r.At); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO review_decisions (message_id, version, state, reviewer, comment, at) VALUES ($1, $2, $3, '', $4, $5)`,
			messageID, r.Version, string(initial), detail, r.At); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, saydo.AuditEntry{At: r.At, Actor: "saydo", Action: "new_version",
			Target: messageID + "@" + strconv.Itoa(r.Version), Detail: detail}); err != nil {
			return err
		}
		changed = true
		return s.notify(ctx, tx, "reviews")
	})
	if err != nil {
		return r, false, fmt.Errorf("sync message: %w", err)
	}
	return r, changed, nil
}

type queryer interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

const latestDecision = `LEFT JOIN LATERAL (SELECT reviewer, comment, at FROM review_decisions
	WHERE message_id = v.message_id AND version = v.version ORDER BY id DESC LIMIT 1) d ON true`

// latestReview returns the review of a message's latest version, with the
// last decision's reviewer and comment.
func latestReview(ctx context.Context, q queryer, messageID string) (saydo.Review, error) {
	r := saydo.Review{MessageID: messageID}
	var state string
	var reviewer, comment *string
	var at *time.Time
	err := q.QueryRow(ctx, `SELECT v.version, v.state, v.created_at, d.reviewer, d.comment, d.at
		FROM review_versions v `+latestDecision+`
		WHERE v.message_id = $1 ORDER BY v.version DESC LIMIT 1`, messageID).
		Scan(&r.Version, &state, &r.At, &reviewer, &comment, &at)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("message %q: %w", messageID, saydo.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("message %q: %w", messageID, err)
	}
	r.State, r.At = saydo.ReviewState(state), r.At.UTC()
	if at != nil {
		r.Reviewer, r.Comment, r.At = *reviewer, *comment, at.UTC()
	}
	return r, nil
}

// CurrentReviews returns the review of every message's latest version.
func (s *Store) CurrentReviews(ctx context.Context) (map[string]saydo.Review, error) {
	rows, err := s.pool.Query(ctx, `SELECT v.message_id, v.version, v.state, v.created_at, d.reviewer, d.comment, d.at
		FROM (SELECT DISTINCT ON (message_id) * FROM review_versions ORDER BY message_id, version DESC) v `+latestDecision)
	if err != nil {
		return nil, fmt.Errorf("reviews: %w", err)
	}
	out := map[string]saydo.Review{}
	var (
		r                 saydo.Review
		state             string
		reviewer, comment *string
		at                *time.Time
	)
	_, err = pgx.ForEachRow(rows, []any{&r.MessageID, &r.Version, &state, &r.At, &reviewer, &comment, &at}, func() error {
		rv := r
		rv.State, rv.At = saydo.ReviewState(state), r.At.UTC()
		if at != nil {
			rv.Reviewer, rv.Comment, rv.At = *reviewer, *comment, at.UTC()
		}
		out[rv.MessageID] = rv
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reviews: %w", err)
	}
	return out, nil
}

// ReviewHistory returns every version's creation (with no reviewer) and
// every decision on a message, oldest first.
func (s *Store) ReviewHistory(ctx context.Context, messageID string) ([]saydo.Review, error) {
	rows, err := s.pool.Query(ctx, `SELECT version, state, reviewer, comment, at FROM review_decisions WHERE message_id = $1 ORDER BY id`, messageID)
	if err != nil {
		return nil, fmt.Errorf("review history: %w", err)
	}
	var (
		out   []saydo.Review
		r     = saydo.Review{MessageID: messageID}
		state string
	)
	_, err = pgx.ForEachRow(rows, []any{&r.Version, &state, &r.Reviewer, &r.Comment, &r.At}, func() error {
		rv := r
		rv.State, rv.At = saydo.ReviewState(state), r.At.UTC()
		out = append(out, rv)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("review history: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("message %q: %w", messageID, saydo.ErrNotFound)
	}
	return out, nil
}

// Decide applies a reviewer's action to the latest version of a message.
func (s *Store) Decide(ctx context.Context, messageID string, version int, action saydo.ReviewAction, reviewer, comment, auditDetail string, now time.Time) (saydo.Review, error) {
	var r saydo.Review
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := s.lockMessage(ctx, tx, messageID); err != nil {
			return err
		}
		cur, err := latestReview(ctx, tx, messageID)
		if err != nil {
			r = cur
			return err
		}
		if version != cur.Version {
			r = cur
			return fmt.Errorf("message %q is at version %d, not %d: %w", messageID, cur.Version, version, saydo.ErrConflict)
		}
		next, err := cur.State.Next(action)
		if err != nil {
			r = cur
			return err
		}
		if action == saydo.ActionApprove {
			var submitted bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM review_decisions d
				WHERE d.message_id = $1 AND d.version = $2 AND d.reviewer = $3 AND d.state = $4)`,
				messageID, version, reviewer, string(saydo.InReview)).Scan(&submitted); err != nil {
				return err
			}
			if submitted {
				r = cur
				return fmt.Errorf("%s submitted %s@%d: %w", reviewer, messageID, version, saydo.ErrSelfApproval)
			}
		}
		if auditDetail == "" {
			auditDetail = comment
		}
		r = saydo.Review{MessageID: messageID, Version: version, State: next, Reviewer: reviewer, Comment: comment, At: now.UTC()}
		if _, err := tx.Exec(ctx, `UPDATE review_versions SET state = $1 WHERE message_id = $2 AND version = $3`, string(next), messageID, version); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO review_decisions (message_id, version, state, reviewer, comment, at) VALUES ($1, $2, $3, $4, $5, $6)`,
			messageID, version, string(next), reviewer, comment, r.At); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, saydo.AuditEntry{At: r.At, Actor: reviewer, Action: string(action),
			Target: messageID + "@" + strconv.Itoa(version), Detail: auditDetail}); err != nil {
			return err
		}
		return s.notify(ctx, tx, "reviews")
	})
	if err != nil {
		if errors.Is(err, saydo.ErrConflict) || errors.Is(err, saydo.ErrNotFound) || errors.Is(err, saydo.ErrSelfApproval) {
			return r, err
		}
		return r, fmt.Errorf("decide: %w", err)
	}
	return r, nil
}

type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func appendAudit(ctx context.Context, x execer, e saydo.AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	if _, err := x.Exec(ctx, `INSERT INTO audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)`,
		e.At.UTC(), e.Actor, e.Action, e.Target, e.Detail); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AppendAudit records an entry.
func (s *Store) AppendAudit(ctx context.Context, e saydo.AuditEntry) error {
	return appendAudit(ctx, s.pool, e)
}

// Audit returns up to limit entries older than before, newest first.
func (s *Store) Audit(ctx context.Context, before int64, limit int) ([]saydo.AuditEntry, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.pool.Query(ctx, `SELECT id, at, actor, action, target, detail FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	var (
		out []saydo.AuditEntry
		e   saydo.AuditEntry
	)
	_, err = pgx.ForEachRow(rows, []any{&e.ID, &e.At, &e.Actor, &e.Action, &e.Target, &e.Detail}, func() error {
		e.At = e.At.UTC()
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return out, nil
}
