package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

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
	err := s.write(ctx, "", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM feedback_dirty WHERE seq <= $1`, mark)
		return err
	})
	if err != nil {
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
	var (
		fp  string
		out []saydo.VoiceDay
	)
	lo, hi := dayBounds(from, to)
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT fingerprint FROM voice_fingerprints WHERE promise_id = $1`, promiseID).Scan(&fp)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT day, summary FROM voice_days
			WHERE promise_id = $1 AND day >= $2 AND day < $3 ORDER BY day`, promiseID, lo, hi)
		if err != nil {
			return err
		}
		var (
			day  int64
			blob string
		)
		_, err = pgx.ForEachRow(rows, []any{&day, &blob}, func() error {
			var d saydo.VoiceDay
			if err := json.Unmarshal([]byte(blob), &d); err != nil {
				return fmt.Errorf("%q day %d: %w", promiseID, day, err)
			}
			d.Day = dayTime(day)
			out = append(out, d)
			return nil
		})
		return err
	})
	if err != nil {
		return "", nil, fmt.Errorf("voice days: %w", err)
	}
	return fp, out, nil
}

// PutVoiceDays stores voice summaries of a promise under fingerprint in
// one transaction.
func (s *Store) PutVoiceDays(ctx context.Context, promiseID, fingerprint string, days []saydo.VoiceDay, replace bool) error {
	err := s.write(ctx, "", func(tx pgx.Tx) error {
		if replace {
			if _, err := tx.Exec(ctx, `DELETE FROM voice_days WHERE promise_id = $1`, promiseID); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO voice_fingerprints (promise_id, fingerprint) VALUES ($1, $2)
			ON CONFLICT (promise_id) DO UPDATE SET fingerprint = excluded.fingerprint`, promiseID, fingerprint); err != nil {
			return err
		}
		b := &pgx.Batch{}
		for i := range days {
			d := &days[i]
			day := dayNumber(d.Day)
			if d.Items == 0 {
				b.Queue(`DELETE FROM voice_days WHERE promise_id = $1 AND day = $2`, promiseID, day)
				continue
			}
			blob, err := json.Marshal(d)
			if err != nil {
				return err
			}
			b.Queue(`INSERT INTO voice_days (promise_id, day, summary) VALUES ($1, $2, $3)
				ON CONFLICT (promise_id, day) DO UPDATE SET summary = excluded.summary`, promiseID, day, string(blob))
		}
		if b.Len() == 0 {
			return nil
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("put voice days: %w", err)
	}
	return nil
}

// VoiceFingerprints returns the fingerprint of every promise id with stored
// voice summaries.
func (s *Store) VoiceFingerprints(ctx context.Context) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT promise_id, fingerprint FROM voice_fingerprints`)
	if err != nil {
		return nil, fmt.Errorf("voice fingerprints: %w", err)
	}
	out := map[string]string{}
	var id, fp string
	if _, err := pgx.ForEachRow(rows, []any{&id, &fp}, func() error {
		out[id] = fp
		return nil
	}); err != nil {
		return nil, fmt.Errorf("voice fingerprints: %w", err)
	}
	return out, nil
}

// DropVoice forgets the voice summaries of a promise.
func (s *Store) DropVoice(ctx context.Context, promiseID string) error {
	err := s.write(ctx, "", func(tx pgx.Tx) error {
		for _, q := range []string{`DELETE FROM voice_days WHERE promise_id = $1`, `DELETE FROM voice_fingerprints WHERE promise_id = $1`} {
			if _, err := tx.Exec(ctx, q, promiseID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("drop voice: %w", err)
	}
	return nil
}

// UpdateAnalysis replaces the stored language and analysis of items by Key,
// in one transaction.
func (s *Store) UpdateAnalysis(ctx context.Context, batch []saydo.Feedback) error {
	err := s.write(ctx, "feedback", func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for i := range batch {
			f := &batch[i]
			effort, err := encodeEffort(f.Analysis.Effort)
			if err != nil {
				return err
			}
			promises, err := encodeMentions(f.Analysis.Promises)
			if err != nil {
				return err
			}
			key := int64(f.Key)
			b.Queue(`UPDATE feedback SET lang = $1, sentiment = $2, sentiment_label = $3, anger = $4,
				effort = $5, promises = $6, target = $7 WHERE key = $8`, nullString(f.Lang), nullFloat(f.Analysis.Sentiment),
				nullString(f.Analysis.Label), f.Analysis.Anger, effort, promises, isTarget(&f.Analysis), key)
		}
		if b.Len() == 0 {
			return nil
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("update analysis: %w", err)
	}
	return nil
}

// SampleFeedback calls fn for the items in range whose bucket (key >> 53,
// the key's top ten bits) is below buckets, among the target items or the
// others, in key order. Only Key, At, Text and Lang are read.
func (s *Store) SampleFeedback(ctx context.Context, from, to time.Time, target bool, buckets int, fn func(*saydo.Feedback) error) error {
	lo, hi := timeRange(from, to)
	rows, err := s.pool.Query(ctx, `SELECT key, at, text, lang FROM feedback
		WHERE target = $1 AND (key >> 53) < $2 AND at >= $3 AND at < $4 ORDER BY key`, target, buckets, lo, hi)
	if err != nil {
		return fmt.Errorf("sample feedback: %w", err)
	}
	var (
		f       saydo.Feedback
		key, at int64
		lang    *string
	)
	_, err = pgx.ForEachRow(rows, []any{&key, &at, &f.Text, &lang}, func() error {
		f.Key, f.At, f.Lang = uint64(key), fromMillis(at), ""
		if lang != nil {
			f.Lang = *lang
		}
		return fn(&f)
	})
	if err != nil {
		return fmt.Errorf("sample feedback: %w", err)
	}
	return nil
}

// ScanFeedbackTexts calls fn for the first n items in time order (then by
// key), reading only their key, time, text, language and kind.
func (s *Store) ScanFeedbackTexts(ctx context.Context, n int64, fn func(*saydo.Feedback) error) error {
	rows, err := s.pool.Query(ctx, `SELECT key, at, text, lang, kind FROM feedback ORDER BY at, key LIMIT $1`, n)
	if err != nil {
		return fmt.Errorf("scan feedback texts: %w", err)
	}
	var (
		f          saydo.Feedback
		key, at    int64
		lang, kind *string
	)
	_, err = pgx.ForEachRow(rows, []any{&key, &at, &f.Text, &lang, &kind}, func() error {
		f.Key, f.At, f.Lang, f.Kind = uint64(key), fromMillis(at), "", ""
		if lang != nil {
			f.Lang = *lang
		}
		if kind != nil {
			f.Kind = *kind
		}
		return fn(&f)
	})
	if err != nil {
		return fmt.Errorf("scan feedback texts: %w", err)
	}
	return nil
}
