package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/saydo/saydo"
)

var _ saydo.ReviewStore = (*Store)(nil)

// SyncVersion starts review of a message's version when it is newer than
// the latest version review knows.
func (s *Store) SyncVersion(ctx context.Context, messageID string, version int, initial saydo.ReviewState, now time.Time) (saydo.Review, bool, error) {
	r, err := s.latestReview(ctx, s.r, messageID)
	if err == nil && r.Version >= version {
		return r, false, nil // the common case: read only
	}
	if err != nil && !errors.Is(err, saydo.ErrNotFound) {
		return r, false, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return r, false, fmt.Errorf("sync message: %w", err)
	}
	defer tx.Rollback()
	// Read again inside the write transaction: another request may have
	// made the version since.
	r, err = s.latestReview(ctx, tx, messageID)
	switch {
	case err == nil && r.Version >= version:
		return r, false, nil
	case err != nil && !errors.Is(err, saydo.ErrNotFound):
		return r, false, err
	}
	detail := "first version"
	if r.Version > 0 {
		detail = "changed; version " + strconv.Itoa(r.Version) + " was " + string(r.State)
	}
	r = saydo.Review{MessageID: messageID, Version: version, State: initial, At: now.UTC()}
	if _, err := tx.ExecContext(ctx, `INSERT INTO review_versions (message_id, version, state, created_at) VALUES (?, ?, ?, ?)`,
		messageID, r.Version, string(initial), timeText(r.At)); err != nil {
		return r, false, fmt.Errorf("sync message: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO review_decisions (message_id, version, state, reviewer, comment, at) VALUES (?, ?, ?, '', ?, ?)`,
		messageID, r.Version, string(initial), detail, timeText(r.At)); err != nil {
		return r, false, fmt.Errorf("sync message: %w", err)
	}
	if err := appendAudit(ctx, tx, saydo.AuditEntry{At: r.At, Actor: "saydo", Action: "new_version",
		Target: messageID + "@" + strconv.Itoa(r.Version), Detail: detail}); err != nil {
		return r, false, err
	}
	if err := tx.Commit(); err != nil {
		return r, false, fmt.Errorf("sync message: %w", err)
	}
	r.Comment = detail
	return r, true, nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// latestReview returns the review of a message's latest version, with the
// last decision's reviewer and comment.
func (s *Store) latestReview(ctx context.Context, q queryer, messageID string) (saydo.Review, error) {
	r := saydo.Review{MessageID: messageID}
	var state, created string
	var reviewer, comment, at sql.NullString
	err := q.QueryRowContext(ctx, `SELECT v.version, v.state, v.created_at, d.reviewer, d.comment, d.at
		FROM review_versions v
		LEFT JOIN review_decisions d ON d.id = (SELECT MAX(id) FROM review_decisions WHERE message_id = v.message_id AND version = v.version)
		WHERE v.message_id = ? ORDER BY v.version DESC LIMIT 1`, messageID).
		Scan(&r.Version, &state, &created, &reviewer, &comment, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("message %q: %w", messageID, saydo.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("message %q: %w", messageID, err)
	}
	r.State, r.At = saydo.ReviewState(state), parseTimeText(created)
	if at.Valid {
		r.Reviewer, r.Comment, r.At = reviewer.String, comment.String, parseTimeText(at.String)
	}
	return r, nil
}

// CurrentReviews returns the review of every message's latest version.
func (s *Store) CurrentReviews(ctx context.Context) (map[string]saydo.Review, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT v.message_id, v.version, v.state, v.created_at, d.reviewer, d.comment, d.at
		FROM review_versions v
		LEFT JOIN review_decisions d ON d.id = (SELECT MAX(id) FROM review_decisions WHERE message_id = v.message_id AND version = v.version)
		WHERE v.version = (SELECT MAX(version) FROM review_versions WHERE message_id = v.message_id)`)
	if err != nil {
		return nil, fmt.Errorf("reviews: %w", err)
	}
	defer rows.Close()
	out := map[string]saydo.Review{}
	for rows.Next() {
		var r saydo.Review
		var state, created string
		var reviewer, comment, at sql.NullString
		if err := rows.Scan(&r.MessageID, &r.Version, &state, &created, &reviewer, &comment, &at); err != nil {
			return nil, fmt.Errorf("reviews: %w", err)
		}
		r.State, r.At = saydo.ReviewState(state), parseTimeText(created)
		if at.Valid {
			r.Reviewer, r.Comment, r.At = reviewer.String, comment.String, parseTimeText(at.String)
		}
		out[r.MessageID] = r
	}
	return out, rows.Err()
}

// ReviewHistory returns every version's creation (with no reviewer) and
// every decision on a message, oldest first.
func (s *Store) ReviewHistory(ctx context.Context, messageID string) ([]saydo.Review, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT version, state, reviewer, comment, at FROM review_decisions WHERE message_id = ? ORDER BY id`, messageID)
	if err != nil {
		return nil, fmt.Errorf("review history: %w", err)
	}
	defer rows.Close()
	var out []saydo.Review
	for rows.Next() {
		r := saydo.Review{MessageID: messageID}
		var state, at string
		if err := rows.Scan(&r.Version, &state, &r.Reviewer, &r.Comment, &at); err != nil {
			return nil, fmt.Errorf("review history: %w", err)
		}
		r.State, r.At = saydo.ReviewState(state), parseTimeText(at)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("review history: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("message %q: %w", messageID, saydo.ErrNotFound)
	}
	return out, nil
}

// Decide applies a reviewer's action to the latest version of a message.
func (s *Store) Decide(ctx context.Context, messageID string, version int, action saydo.ReviewAction, reviewer, comment, auditDetail string, now time.Time) (saydo.Review, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return saydo.Review{}, fmt.Errorf("decide: %w", err)
	}
	defer tx.Rollback()
	cur, err := s.latestReview(ctx, tx, messageID)
	if err != nil {
		return cur, err
	}
	if version != cur.Version {
		return cur, fmt.Errorf("message %q is at version %d, not %d: %w", messageID, cur.Version, version, saydo.ErrConflict)
	}
	next, err := cur.State.Next(action)
	if err != nil {
		return cur, err
	}
	if action == saydo.ActionApprove {
		var submitted bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM review_decisions d
			WHERE d.message_id = ? AND d.version = ? AND d.reviewer = ? AND d.state = ?)`,
			messageID, version, reviewer, string(saydo.InReview)).Scan(&submitted); err != nil {
			return cur, fmt.Errorf("decide: %w", err)
		}
		if submitted {
			return cur, fmt.Errorf("%s submitted %s@%d: %w", reviewer, messageID, version, saydo.ErrSelfApproval)
		}
	}
	if auditDetail == "" {
		auditDetail = comment
	}
	r := saydo.Review{MessageID: messageID, Version: version, State: next, Reviewer: reviewer, Comment: comment, At: now.UTC()}
	if _, err := tx.ExecContext(ctx, `UPDATE review_versions SET state = ? WHERE message_id = ? AND version = ?`, string(next), messageID, version); err != nil {
		return r, fmt.Errorf("decide: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO review_decisions (message_id, version, state, reviewer, comment, at) VALUES (?, ?, ?, ?, ?, ?)`,
		messageID, version, string(next), reviewer, comment, timeText(r.At)); err != nil {
		return r, fmt.Errorf("decide: %w", err)
	}
	if err := appendAudit(ctx, tx, saydo.AuditEntry{At: r.At, Actor: reviewer, Action: string(action),
		Target: messageID + "@" + strconv.Itoa(version), Detail: auditDetail}); err != nil {
		return r, err
	}
	if err := tx.Commit(); err != nil {
		return r, fmt.Errorf("decide: %w", err)
	}
	return r, nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func appendAudit(ctx context.Context, x execer, e saydo.AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	if _, err := x.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)`,
		timeText(e.At), e.Actor, e.Action, e.Target, e.Detail); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AppendAudit records an entry.
func (s *Store) AppendAudit(ctx context.Context, e saydo.AuditEntry) error {
	return appendAudit(ctx, s.w, e)
}

// Audit returns up to limit entries older than before, newest first.
func (s *Store) Audit(ctx context.Context, before int64, limit int) ([]saydo.AuditEntry, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, at, actor, action, target, detail FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	var out []saydo.AuditEntry
	for rows.Next() {
		var e saydo.AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		e.At = parseTimeText(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
