package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/saydo/saydo"
)

// FeedbackDirtyDays lists the days whose feedback changed since the last
// ClearFeedbackDirty, in day order, and the highest mark among them.
func (s *Store) FeedbackDirtyDays(ctx context.Context) ([]time.Time, int64, error) {
	days, mark, err := s.dirtyDays(ctx, `SELECT day, seq FROM feedback_dirty ORDER BY day`)
	if err != nil {
		return nil, 0, fmt.Errorf("feedback dirty days: %w", err)
	}
	return days, mark, nil
}

// ClearFeedbackDirty forgets the dirty days marked no later than mark.
func (s *Store) ClearFeedbackDirty(ctx context.Context, mark int64) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM feedback_dirty WHERE seq <= ?`, mark); err != nil {
		return fmt.Errorf("clear feedback dirty: %w", err)
	}
	return nil
}

// dayBounds turns [from, to) into whole day numbers [lo, hi): a day
// counts when its start is within the range.
func dayBounds(from, to time.Time) (lo, hi int64) {
	lo, hi = math.MinInt64, math.MaxInt64
	if !from.IsZero() {
		lo = dayNumber(from)
		if dayTime(lo).Before(from) {
			lo++
		}
	}
	if !to.IsZero() {
		hi = dayNumber(to)
		if dayTime(hi).Before(to) {
			hi++
		}
	}
	return lo, hi
}

// VoiceDays returns the stored voice summaries of a promise ("" for all
// items) with from <= Day < to, in day order, and their fingerprint.
func (s *Store) VoiceDays(ctx context.Context, promiseID string, from, to time.Time) (string, []saydo.VoiceDay, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return "", nil, fmt.Errorf("voice days: %w", err)
	}
	defer tx.Rollback()
	var fp string
	err = tx.QueryRowContext(ctx, `SELECT fingerprint FROM voice_fingerprints WHERE promise_id = ?`, promiseID).Scan(&fp)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", nil, fmt.Errorf("voice days: %w", err)
	}
	lo, hi := dayBounds(from, to)
	rows, err := tx.QueryContext(ctx, `SELECT day, summary FROM voice_days
		WHERE promise_id = ? AND day >= ? AND day < ? ORDER BY day`, promiseID, lo, hi)
	if err != nil {
		return "", nil, fmt.Errorf("voice days: %w", err)
	}
	defer rows.Close()
	var out []saydo.VoiceDay
	for rows.Next() {
		var (
			day  int64
			blob []byte
			d    saydo.VoiceDay
		)
		if err := rows.Scan(&day, &blob); err != nil {
			return "", nil, fmt.Errorf("voice days: %w", err)
		}
		if err := json.Unmarshal(blob, &d); err != nil {
			return "", nil, fmt.Errorf("voice days: %q day %d: %w", promiseID, day, err)
		}
		d.Day = dayTime(day)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return "", nil, fmt.Errorf("voice days: %w", err)
	}
	return fp, out, nil
}

// PutVoiceDays stores voice summaries of a promise under fingerprint in
// one transaction.
func (s *Store) PutVoiceDays(ctx context.Context, promiseID, fingerprint string, days []saydo.VoiceDay, replace bool) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("put voice days: %w", err)
	}
	defer tx.Rollback()
	if replace {
		if _, err := tx.ExecContext(ctx, `DELETE FROM voice_days WHERE promise_id = ?`, promiseID); err != nil {
			return fmt.Errorf("put voice days: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO voice_fingerprints (promise_id, fingerprint) VALUES (?, ?)
		ON CONFLICT (promise_id) DO UPDATE SET fingerprint = excluded.fingerprint`, promiseID, fingerprint); err != nil {
		return fmt.Errorf("put voice days: %w", err)
	}
	put, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO voice_days (promise_id, day, summary) VALUES (?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("put voice days: %w", err)
	}
	defer put.Close()
	del, err := tx.PrepareContext(ctx, `DELETE FROM voice_days WHERE promise_id = ? AND day = ?`)
	if err != nil {
		return fmt.Errorf("put voice days: %w", err)
	}
	defer del.Close()
	for i := range days {
		d := &days[i]
		day := dayNumber(d.Day)
		if d.Items == 0 {
			if _, err := del.ExecContext(ctx, promiseID, day); err != nil {
				return fmt.Errorf("put voice days: %w", err)
			}
			continue
		}
		blob, err := json.Marshal(d)
		if err != nil {
			return fmt.Errorf("put voice days: %w", err)
		}
		if _, err := put.ExecContext(ctx, promiseID, day, string(blob)); err != nil {
			return fmt.Errorf("put voice days: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("put voice days: %w", err)
	}
	return nil
}

// VoiceFingerprints returns the fingerprint of every promise id with stored
// voice summaries.
func (s *Store) VoiceFingerprints(ctx context.Context) (map[string]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT promise_id, fingerprint FROM voice_fingerprints`)
	if err != nil {
		return nil, fmt.Errorf("voice fingerprints: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, fp string
		if err := rows.Scan(&id, &fp); err != nil {
			return nil, fmt.Errorf("voice fingerprints: %w", err)
		}
		out[id] = fp
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("voice fingerprints: %w", err)
	}
	return out, nil
}

// DropVoice forgets the voice summaries of a promise.
func (s *Store) DropVoice(ctx context.Context, promiseID string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("drop voice: %w", err)
	}
	defer tx.Rollback()
	for _, q := range []string{`DELETE FROM voice_days WHERE promise_id = ?`, `DELETE FROM voice_fingerprints WHERE promise_id = ?`} {
		if _, err := tx.ExecContext(ctx, q, promiseID); err != nil {
			return fmt.Errorf("drop voice: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("drop voice: %w", err)
	}
	return nil
}

// UpdateAnalysis replaces the stored language and analysis of items by Key,
// in one transaction.
func (s *Store) UpdateAnalysis(ctx context.Context, batch []saydo.Feedback) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("update analysis: %w", err)
	}
	defer tx.Rollback()
	up, err := tx.PrepareContext(ctx, `UPDATE feedback SET lang = ?, sentiment = ?, sentiment_label = ?, anger = ?,
		effort = ?, promises = ?, target = ? WHERE key = ?`)
	if err != nil {
		return fmt.Errorf("update analysis: %w", err)
	}
	defer up.Close()
	for i := range batch {
		f := &batch[i]
		effort, err := encodeEffort(f.Analysis.Effort)
		if err != nil {
			return fmt.Errorf("update analysis: %w", err)
		}
		promises, err := encodeMentions(f.Analysis.Promises)
		if err != nil {
			return fmt.Errorf("update analysis: %w", err)
		}
		key := int64(f.Key)
		if _, err := up.ExecContext(ctx, nullString(f.Lang), nullFloat(f.Analysis.Sentiment), nullString(f.Analysis.Label),
			f.Analysis.Anger, effort, promises, isTarget(&f.Analysis), key); err != nil {
			return fmt.Errorf("update analysis: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("update analysis: %w", err)
	}
	return nil
}

// SampleFeedback calls fn for the items in range whose bucket (key >> 53,
// the key's top ten bits) is below buckets, among the target items or the
// others, in the order of the feedback_sample index (bucket, then key).
// Only Key, At, Text and Lang are read.
func (s *Store) SampleFeedback(ctx context.Context, from, to time.Time, target bool, buckets int, fn func(*saydo.Feedback) error) error {
	lo, hi := timeRange(from, to)
	rows, err := s.r.QueryContext(ctx, `SELECT key, at, text, lang FROM feedback INDEXED BY feedback_sample
		WHERE target = ? AND (key >> 53) < ? AND at >= ? AND at < ?`, target, buckets, lo, hi)
	if err != nil {
		return fmt.Errorf("sample feedback: %w", err)
	}
	defer rows.Close()
	var (
		f       saydo.Feedback
		key, at int64
		lang    sql.NullString
	)
	for rows.Next() {
		if err := rows.Scan(&key, &at, &f.Text, &lang); err != nil {
			return fmt.Errorf("sample feedback: %w", err)
		}
		f.Key, f.At, f.Lang = uint64(key), fromMillis(at), lang.String
		if err := fn(&f); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sample feedback: %w", err)
	}
	return nil
}

// ScanFeedbackTexts calls fn for the first n items in time order (then by
// key), reading only their key, time, text, language and kind.
func (s *Store) ScanFeedbackTexts(ctx context.Context, n int64, fn func(*saydo.Feedback) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT key, at, text, lang, kind FROM feedback ORDER BY at, key LIMIT ?`, n)
	if err != nil {
		return fmt.Errorf("scan feedback texts: %w", err)
	}
	defer rows.Close()
	var (
		f          saydo.Feedback
		key, at    int64
		lang, kind sql.NullString
	)
	for rows.Next() {
		if err := rows.Scan(&key, &at, &f.Text, &lang, &kind); err != nil {
			return fmt.Errorf("scan feedback texts: %w", err)
		}
		f.Key, f.At, f.Lang, f.Kind = uint64(key), fromMillis(at), lang.String, kind.String
		if err := fn(&f); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan feedback texts: %w", err)
	}
	return nil
}

// FeedbackByKeys returns the stored items with these keys, in time order.
func (s *Store) FeedbackByKeys(ctx context.Context, keys []uint64) ([]saydo.Feedback, error) {
	var out []saydo.Feedback
	const chunk = 500
	args := make([]any, 0, chunk)
	for lo := 0; lo < len(keys); lo += chunk {
		hi := min(lo+chunk, len(keys))
		args = args[:0]
		for _, k := range keys[lo:hi] {
			args = append(args, int64(k))
		}
		rows, err := s.r.QueryContext(ctx, `SELECT `+feedbackColumnsSQL+` FROM feedback WHERE key IN (?`+
			strings.Repeat(", ?", hi-lo-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("feedback by keys: %w", err)
		}
		err = scanFeedbackRows(rows, func(f *saydo.Feedback) error {
			c := *f
			c.Attrs = slices.Clone(f.Attrs)
			c.Analysis.Effort = slices.Clone(f.Analysis.Effort)
			c.Analysis.Promises = slices.Clone(f.Analysis.Promises)
			out = append(out, c)
			return nil
		})
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("feedback by keys: %w", err)
		}
	}
	slices.SortFunc(out, func(a, b saydo.Feedback) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out, nil
}

// MergeVoiceDays adds days to the stored voice days of a promise inside
// the import transaction, so new items and their summaries commit together.
func (t *feedbackTx) MergeVoiceDays(promiseID string, days []saydo.VoiceDay) error {
	if t.done {
		return errors.New("merge voice days: transaction is closed")
	}
	for i := range days {
		d := &days[i]
		if d.Items == 0 {
			continue
		}
		day := dayNumber(d.Day)
		var old saydo.VoiceDay
		var blob []byte
		err := t.tx.QueryRowContext(t.ctx, `SELECT summary FROM voice_days WHERE promise_id = ? AND day = ?`, promiseID, day).Scan(&blob)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("merge voice days: %w", err)
		default:
			if err := json.Unmarshal(blob, &old); err != nil {
				return fmt.Errorf("merge voice days: %q day %d: %w", promiseID, day, err)
			}
		}
		old.Merge(d)
		out, err := json.Marshal(&old)
		if err != nil {
			return fmt.Errorf("merge voice days: %w", err)
		}
		if _, err := t.tx.ExecContext(t.ctx, `INSERT OR REPLACE INTO voice_days (promise_id, day, summary) VALUES (?, ?, ?)`,
			promiseID, day, string(out)); err != nil {
			return fmt.Errorf("merge voice days: %w", err)
		}
	}
	return nil
}
