package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/saydo/saydo"
)

// DirtyDays lists the days of metric marked by imports since the last
// ClearDirty, in day order, and the highest mark among them (0 when none).
func (s *Store) DirtyDays(ctx context.Context, metric string) ([]time.Time, int64, error) {
	id, ok, err := s.lookupMetric(ctx, metric)
	if err != nil {
		return nil, 0, fmt.Errorf("dirty days: %w", err)
	}
	if !ok {
		return nil, 0, nil
	}
	days, mark, err := s.dirtyDays(ctx, `SELECT day, seq FROM dirty WHERE metric_id = ? ORDER BY day`, id)
	if err != nil {
		return nil, 0, fmt.Errorf("dirty days: %w", err)
	}
	return days, mark, nil
}

// dirtyDays runs a query of (day, seq) rows of a dirty-days table (the
// observations' dirty, feedback_dirty), in day order, and returns the days
// and the highest mark among them.
func (s *Store) dirtyDays(ctx context.Context, query string, args ...any) ([]time.Time, int64, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var (
		days []time.Time
		mark int64
	)
	for rows.Next() {
		var day, seq int64
		if err := rows.Scan(&day, &seq); err != nil {
			return nil, 0, err
		}
		days = append(days, dayTime(day))
		mark = max(mark, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return days, mark, nil
}

// ClearDirty forgets the dirty days of metric marked no later than mark.
func (s *Store) ClearDirty(ctx context.Context, metric string, mark int64) error {
	id, ok, err := s.lookupMetric(ctx, metric)
	if err != nil {
		return fmt.Errorf("clear dirty: %w", err)
	}
	if !ok {
		return nil
	}
	if _, err := s.w.ExecContext(ctx, `DELETE FROM dirty WHERE metric_id = ? AND seq <= ?`, id, mark); err != nil {
		return fmt.Errorf("clear dirty: %w", err)
	}
	return nil
}

// Summaries returns the stored summaries of a promise with from <= Day < to
// (zero times are unbounded), in day order, and the fingerprint last stored
// with PutSummaries ("" when none was).
func (s *Store) Summaries(ctx context.Context, promiseID string, from, to time.Time) (string, []saydo.Summary, error) {
	// One read transaction, so the fingerprint and the days agree.
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return "", nil, fmt.Errorf("summaries: %w", err)
	}
	defer tx.Rollback()
	var fp string
	err = tx.QueryRowContext(ctx, `SELECT fingerprint FROM summary_fingerprints WHERE promise_id = ?`, promiseID).Scan(&fp)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", nil, fmt.Errorf("summaries: %w", err)
	}
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !from.IsZero() {
		lo = dayNumber(from)
		if dayTime(lo).Before(from) {
			lo++ // Day >= from for a from inside a day
		}
	}
	if !to.IsZero() {
		hi = dayNumber(to)
		if dayTime(hi).Before(to) {
			hi++
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT day, n, met, mean, m2, min, max, sketch, counted, pooled
		FROM summaries WHERE promise_id = ? AND day >= ? AND day < ? ORDER BY day`, promiseID, lo, hi)
	if err != nil {
		return "", nil, fmt.Errorf("summaries: %w", err)
	}
	defer rows.Close()
	var out []saydo.Summary
	for rows.Next() {
		var (
			day              int64
			sum              saydo.Summary
			mean, m2, mn, mx sql.NullFloat64
			sketch           []byte
		)
		if err := rows.Scan(&day, &sum.N, &sum.Met, &mean, &m2, &mn, &mx, &sketch, &sum.Counted, &sum.Pooled); err != nil {
			return "", nil, fmt.Errorf("summaries: %w", err)
		}
		sum.Day = dayTime(day)
		sum.Mean, sum.M2, sum.Min, sum.Max = nanIfNull(mean), nanIfNull(m2), nanIfNull(mn), nanIfNull(mx)
		if err := sum.Values.UnmarshalBinary(sketch); err != nil {
			return "", nil, fmt.Errorf("summaries: %s day %s: %w", promiseID, sum.Day.Format(time.DateOnly), err)
		}
		out = append(out, sum)
	}
	if err := rows.Err(); err != nil {
		return "", nil, fmt.Errorf("summaries: %w", err)
	}
	return fp, out, nil
}

func nanIfNull(v sql.NullFloat64) float64 {
	if !v.Valid {
		return math.NaN()
	}
	return v.Float64
}

// PutSummaries stores summaries of a promise under fingerprint in one
// transaction. Each Day is truncated to its UTC day. With replace, no days
// and an empty fingerprint, it forgets the id entirely.
func (s *Store) PutSummaries(ctx context.Context, promiseID, fingerprint string, days []saydo.Summary, replace bool) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("put summaries: %w", err)
	}
	defer tx.Rollback()
	if replace {
		if _, err := tx.ExecContext(ctx, `DELETE FROM summaries WHERE promise_id = ?`, promiseID); err != nil {
			return fmt.Errorf("put summaries: %w", err)
		}
	}
	if replace && fingerprint == "" && len(days) == 0 {
		// Forget the id entirely (a segment that no longer exists).
		if _, err := tx.ExecContext(ctx, `DELETE FROM summary_fingerprints WHERE promise_id = ?`, promiseID); err != nil {
			return fmt.Errorf("put summaries: %w", err)
		}
		return tx.Commit()
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO summary_fingerprints (promise_id, fingerprint) VALUES (?, ?)
		ON CONFLICT (promise_id) DO UPDATE SET fingerprint = excluded.fingerprint`, promiseID, fingerprint); err != nil {
		return fmt.Errorf("put summaries: %w", err)
	}
	put, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO summaries (promise_id, day, n, met, mean, m2, min, max, sketch, counted, pooled)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("put summaries: %w", err)
	}
	defer put.Close()
	del, err := tx.PrepareContext(ctx, `DELETE FROM summaries WHERE promise_id = ? AND day = ?`)
	if err != nil {
		return fmt.Errorf("put summaries: %w", err)
	}
	defer del.Close()
	for i := range days {
		d := &days[i]
		day := dayNumber(d.Day)
		if d.N == 0 {
			if _, err := del.ExecContext(ctx, promiseID, day); err != nil {
				return fmt.Errorf("put summaries: %w", err)
			}
			continue
		}
		sketch, err := d.Values.MarshalBinary()
		if err != nil {
			return fmt.Errorf("put summaries: %w", err)
		}
		if _, err := put.ExecContext(ctx, promiseID, day, d.N, d.Met,
			nullFloat(d.Mean), nullFloat(d.M2), nullFloat(d.Min), nullFloat(d.Max), sketch, d.Counted, d.Pooled); err != nil {
			return fmt.Errorf("put summaries: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("put summaries: %w", err)
	}
	return nil
}

// MergeSummaries adds days to the stored summaries of a promise inside the
// import transaction, so new rows and their summaries commit together. It
// reads the stored days of the batch's span in one query and writes the
// merged ones mergeRows to a statement.
func (t *observationTx) MergeSummaries(promiseID string, days []saydo.Summary) error {
	if t.done {
		return errors.New("merge summaries: transaction is closed")
	}
	if !t.summaryIDs[promiseID] {
		// The id is listed by SummaryIDs from summary_fingerprints; a day
		// merged under an id with none (a segment) registers it, with no
		// fingerprint.
		reg, err := t.prepared(`INSERT OR IGNORE INTO summary_fingerprints (promise_id, fingerprint) VALUES (?, '')`)
		if err != nil {
			return fmt.Errorf("merge summaries: %w", err)
		}
		if _, err := reg.ExecContext(t.ctx, promiseID); err != nil {
			return fmt.Errorf("merge summaries: %w", err)
		}
		if t.summaryIDs == nil {
			t.summaryIDs = map[string]bool{}
		}
		t.summaryIDs[promiseID] = true
	}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for i := range days {
		if days[i].N == 0 {
			continue
		}
		d := dayNumber(days[i].Day)
		lo, hi = min(lo, d), max(hi, d)
	}
	if lo > hi {
		return nil
	}
	get, err := t.prepared(`SELECT day, n, met, mean, m2, min, max, sketch, counted, pooled FROM summaries
		WHERE promise_id = ? AND day >= ? AND day <= ?`)
	if err != nil {
		return fmt.Errorf("merge summaries: %w", err)
	}
	rows, err := get.QueryContext(t.ctx, promiseID, lo, hi)
	if err != nil {
		return fmt.Errorf("merge summaries: %w", err)
	}
	stored := map[int64]*saydo.Summary{}
	for rows.Next() {
		var (
			day              int64
			old              saydo.Summary
			mean, m2, mn, mx sql.NullFloat64
			sketch           []byte
		)
		if err := rows.Scan(&day, &old.N, &old.Met, &mean, &m2, &mn, &mx, &sketch, &old.Counted, &old.Pooled); err != nil {
			rows.Close()
			return fmt.Errorf("merge summaries: %w", err)
		}
		old.Mean, old.M2, old.Min, old.Max = nanIfNull(mean), nanIfNull(m2), nanIfNull(mn), nanIfNull(mx)
		if err := old.Values.UnmarshalBinary(sketch); err != nil {
			rows.Close()
			return fmt.Errorf("merge summaries: %s day %d: %w", promiseID, day, err)
		}
		old.Day = dayTime(day)
		stored[day] = &old
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("merge summaries: %w", err)
	}
	args := make([]any, 0, mergeRows*11)
	flush := func(n int) error {
		if n == 0 {
			return nil
		}
		put, err := t.prepared(`INSERT OR REPLACE INTO summaries (promise_id, day, n, met, mean, m2, min, max, sketch, counted, pooled)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)` + strings.Repeat(", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", n-1))
		if err != nil {
			return err
		}
		_, err = put.ExecContext(t.ctx, args...)
		args = args[:0]
		return err
	}
	n := 0
	for i := range days {
		d := &days[i]
		if d.N == 0 {
			continue
		}
		day := dayNumber(d.Day)
		old := stored[day]
		if old == nil {
			old = &saydo.Summary{}
			stored[day] = old
		}
		old.Day = dayTime(day)
		old.Merge(d)
		blob, err := old.Values.MarshalBinary()
		if err != nil {
			return fmt.Errorf("merge summaries: %w", err)
		}
		args = append(args, promiseID, day, old.N, old.Met,
			nullFloat(old.Mean), nullFloat(old.M2), nullFloat(old.Min), nullFloat(old.Max), blob, old.Counted, old.Pooled)
		if n++; n == mergeRows {
			if err := flush(n); err != nil {
				return fmt.Errorf("merge summaries: %w", err)
			}
			n = 0
		}
	}
	if err := flush(n); err != nil {
		return fmt.Errorf("merge summaries: %w", err)
	}
	return nil
}

// mergeRows is how many summary days one INSERT of MergeSummaries writes.
const mergeRows = 32

// SummaryIDs lists the summary ids starting with prefix, sorted: every id
// PutSummaries stored, and every id MergeSummaries merged days into (it
// registers them with an empty fingerprint).
func (s *Store) SummaryIDs(ctx context.Context, prefix string) ([]string, error) {
	// A range on the primary key: prefix <= id < prefix + U+10FFFF.
	rows, err := s.r.QueryContext(ctx, `SELECT promise_id FROM summary_fingerprints WHERE promise_id >= ? AND promise_id < ?
		ORDER BY promise_id`, prefix, prefix+"\U0010FFFF")
	if err != nil {
		return nil, fmt.Errorf("summary ids: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("summary ids: %w", err)
		}
		if strings.HasPrefix(id, prefix) {
			out = append(out, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("summary ids: %w", err)
	}
	return out, nil
}
