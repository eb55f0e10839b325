package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/saydo/saydo"
)

var (
	_ saydo.AlertStore = (*Store)(nil)
	_ saydo.CacheStore = (*Store)(nil)
)

// FeedbackVersion returns the feedback change counter that migration
// 0060's trigger keeps.
func (s *Store) FeedbackVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.pool.QueryRow(ctx, `SELECT value FROM counters WHERE name = 'feedback'`).Scan(&v); err != nil {
		return 0, fmt.Errorf("feedback version: %w", err)
	}
	return v, nil
}

// CachedReport returns a cached report and its version, "" when none.
func (s *Store) CachedReport(ctx context.Context, name string) (string, []byte, error) {
	var version string
	var body []byte
	err := s.pool.QueryRow(ctx, `SELECT version, body FROM report_cache WHERE name = $1`, name).Scan(&version, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("cached report %s: %w", name, err)
	}
	return version, body, nil
}

// PutCachedReport stores a report under version.
func (s *Store) PutCachedReport(ctx context.Context, name, version string, body []byte) error {
	if body == nil {
		body = []byte{}
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO report_cache (name, version, body) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET version = excluded.version, body = excluded.body`, name, version, body)
	if err != nil {
		return fmt.Errorf("cache report %s: %w", name, err)
	}
	return nil
}

// AlertStates returns the stored alert states by subject.
func (s *Store) AlertStates(ctx context.Context) (map[string]saydo.AlertState, error) {
	rows, err := s.pool.Query(ctx, `SELECT subject, status, direction, conflicts, at FROM alert_states`)
	if err != nil {
		return nil, fmt.Errorf("alert states: %w", err)
	}
	out := map[string]saydo.AlertState{}
	var (
		a                 saydo.AlertState
		status, direction string
		at                int64
	)
	if _, err := pgx.ForEachRow(rows, []any{&a.Subject, &status, &direction, &a.Conflicts, &at}, func() error {
		a.Status, a.Direction, a.At = saydo.Status(status), saydo.Direction(direction), fromMillis(at)
		out[a.Subject] = a
		return nil
	}); err != nil {
		return nil, fmt.Errorf("alert states: %w", err)
	}
	return out, nil
}

// PutAlertState stores the state of a subject. Servers sharing the store
// share the states, so an alert is sent once, not once per server.
func (s *Store) PutAlertState(ctx context.Context, a saydo.AlertState) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO alert_states (subject, status, direction, conflicts, at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (subject) DO UPDATE SET status = excluded.status, direction = excluded.direction,
			conflicts = excluded.conflicts, at = excluded.at`,
		a.Subject, string(a.Status), string(a.Direction), a.Conflicts, millis(a.At))
	if err != nil {
		return fmt.Errorf("put alert state %s: %w", a.Subject, err)
	}
	return nil
}

// LogDelivery records a delivery attempt.
func (s *Store) LogDelivery(ctx context.Context, d saydo.Delivery) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO alert_deliveries
		(message_id, event, subject, url, attempt, at, status, error, duration_ms, body)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		d.MessageID, d.Event, d.Subject, d.URL, d.Attempt, millis(d.At), d.Status, d.Error, d.Duration.Milliseconds(), d.Body)
	if err != nil {
		return fmt.Errorf("log delivery: %w", err)
	}
	return nil
}

// Deliveries returns the latest attempts, newest first.
func (s *Store) Deliveries(ctx context.Context, limit int) ([]saydo.Delivery, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.pool.Query(ctx, `SELECT message_id, event, subject, url, attempt, at, status, error, duration_ms, body
		FROM alert_deliveries ORDER BY at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	var (
		out    []saydo.Delivery
		d      saydo.Delivery
		at, ms int64
	)
	if _, err := pgx.ForEachRow(rows, []any{&d.MessageID, &d.Event, &d.Subject, &d.URL, &d.Attempt, &at, &d.Status, &d.Error, &ms, &d.Body}, func() error {
		d.At = fromMillis(at)
		d.Duration = time.Duration(ms) * time.Millisecond
		out = append(out, d)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	return out, nil
}
