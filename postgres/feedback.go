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

// mentionJSON is a saydo.Mention whose NaN score is stored as null, which
// encoding/json cannot write as a number; the same text as the SQLite
// store's.
type mentionJSON struct {
	ID    string   `json:"id"`
	Score *float64 `json:"score"`
	Match string   `json:"match"`
}

func encodeMentions(ms []saydo.Mention) (any, error) {
	if len(ms) == 0 {
		return nil, nil
	}
	out := make([]mentionJSON, len(ms))
	for i, m := range ms {
		out[i] = mentionJSON{ID: m.PromiseID, Match: m.Match}
		if !math.IsNaN(m.Score) && !math.IsInf(m.Score, 0) {
			out[i].Score = &ms[i].Score
		}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func decodeMentions(s string) ([]saydo.Mention, error) {
	if s == "" {
		return nil, nil
	}
	var in []mentionJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	out := make([]saydo.Mention, len(in))
	for i, m := range in {
		out[i] = saydo.Mention{PromiseID: m.ID, Score: math.NaN(), Match: m.Match}
		if m.Score != nil {
			out[i].Score = *m.Score
		}
	}
	return out, nil
}

func encodeEffort(e []string) (any, error) {
	if len(e) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(e)
	return string(b), err
}

// BeginFeedback starts a feedback import transaction. Feedback inserts
// skip known keys with ON CONFLICT, so concurrent imports need no lock.
func (s *Store) BeginFeedback(ctx context.Context) (saydo.FeedbackTx, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin feedback: %w", err)
	}
	return &feedbackTx{s: s, ctx: ctx, tx: tx}, nil
}

type feedbackTx struct {
	s       *Store
	ctx     context.Context
	tx      pgx.Tx
	changed bool
	done    bool
}

const insertFeedbackSQL = `INSERT INTO feedback (key, at, source_id, text, customer, channel, kind, lang,
	nps, csat, ces, rating, attrs, label, sentiment, sentiment_label, anger, effort, promises)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
	ON CONFLICT (key) DO NOTHING`

// Insert adds the items whose Key is new, with one feedback_mentions row
// per promise each speaks of.
func (t *feedbackTx) Insert(batch []saydo.Feedback) (int, error) {
	if t.done {
		return 0, errors.New("insert feedback: transaction is closed")
	}
	b := &pgx.Batch{}
	for i := range batch {
		f := &batch[i]
		effort, err := encodeEffort(f.Analysis.Effort)
		if err != nil {
			return 0, fmt.Errorf("insert feedback: %w", err)
		}
		promises, err := encodeMentions(f.Analysis.Promises)
		if err != nil {
			return 0, fmt.Errorf("insert feedback: %w", err)
		}
		b.Queue(insertFeedbackSQL, int64(f.Key), millis(f.At), nullString(f.SourceID), f.Text,
			nullString(f.Customer), nullString(f.Channel), nullString(f.Kind), nullString(f.Lang),
			nullFloat(f.NPS), nullFloat(f.CSAT), nullFloat(f.CES), nullFloat(f.Rating),
			f.Attrs.Canonical(), nullString(f.Label),
			nullFloat(f.Analysis.Sentiment), nullString(f.Analysis.Label), f.Analysis.Anger, effort, promises)
	}
	br := t.tx.SendBatch(t.ctx, b)
	var added []int
	for i := range batch {
		tag, err := br.Exec()
		if err != nil {
			br.Close()
			return 0, fmt.Errorf("insert feedback: %w", err)
		}
		if tag.RowsAffected() > 0 {
			added = append(added, i)
		}
	}
	if err := br.Close(); err != nil {
		return 0, fmt.Errorf("insert feedback: %w", err)
	}
	mb := &pgx.Batch{}
	for _, i := range added {
		f := &batch[i]
		for _, m := range f.Analysis.Promises {
			mb.Queue(`INSERT INTO feedback_mentions (feedback_key, promise_id, score, match) VALUES ($1, $2, $3, $4)
				ON CONFLICT DO NOTHING`, int64(f.Key), m.PromiseID, nullFloat(m.Score), nullString(m.Match))
		}
	}
	if mb.Len() > 0 {
		if err := t.tx.SendBatch(t.ctx, mb).Close(); err != nil {
			return len(added), fmt.Errorf("insert feedback mention: %w", err)
		}
	}
	if len(added) > 0 {
		t.changed = true
	}
	return len(added), nil
}

// Commit makes the transaction's feedback visible and durable.
func (t *feedbackTx) Commit() error {
	if t.done {
		return errors.New("commit feedback: transaction is closed")
	}
	t.done = true
	ctx := context.WithoutCancel(t.ctx)
	if t.changed {
		if err := t.s.notify(ctx, t.tx, "feedback"); err != nil {
			t.tx.Rollback(ctx)
			return fmt.Errorf("commit feedback: %w", err)
		}
	}
	if err := t.tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit feedback: %w", err)
	}
	return nil
}

// Rollback discards the transaction; it is a no-op after Commit.
func (t *feedbackTx) Rollback() error {
	if t.done {
		return nil
	}
	t.done = true
	if err := t.tx.Rollback(context.WithoutCancel(t.ctx)); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
		return fmt.Errorf("rollback feedback: %w", err)
	}
	return nil
}

// ScanFeedback calls fn for every item with from <= At < to (zero times are
// unbounded), in time order (then by key). The Feedback is reused between
// calls.
func (s *Store) ScanFeedback(ctx context.Context, from, to time.Time, fn func(*saydo.Feedback) error) error {
	lo, hi := timeRange(from, to)
	rows, err := s.pool.Query(ctx, `SELECT key, at, source_id, text, customer, channel, kind, lang,
		nps, csat, ces, rating, attrs, label, sentiment, sentiment_label, anger, effort, promises
		FROM feedback WHERE at >= $1 AND at < $2 ORDER BY at, key`, lo, hi)
	if err != nil {
		return fmt.Errorf("scan feedback: %w", err)
	}
	defer rows.Close()
	var (
		f                                            saydo.Feedback
		key, at                                      int64
		source, customer, channel, kind, lang, label *string
		sentLabel, effort, promises                  *string
		nps, csat, ces, rating, sentiment            *float64
		attrs                                        string
	)
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	for rows.Next() {
		if err := rows.Scan(&key, &at, &source, &f.Text, &customer, &channel, &kind, &lang,
			&nps, &csat, &ces, &rating, &attrs, &label, &sentiment, &sentLabel, &f.Analysis.Anger, &effort, &promises); err != nil {
			return fmt.Errorf("scan feedback: %w", err)
		}
		f.Key = uint64(key)
		f.At = fromMillis(at)
		f.SourceID, f.Customer, f.Channel, f.Kind, f.Lang, f.Label =
			str(source), str(customer), str(channel), str(kind), str(lang), str(label)
		f.NPS, f.CSAT, f.CES, f.Rating = nanIfNull(nps), nanIfNull(csat), nanIfNull(ces), nanIfNull(rating)
		f.Attrs = saydo.ParseAttrs(attrs)
		f.Analysis.Sentiment = nanIfNull(sentiment)
		f.Analysis.Label = str(sentLabel)
		f.Analysis.Effort = nil
		if effort != nil {
			if err := json.Unmarshal([]byte(*effort), &f.Analysis.Effort); err != nil {
				return fmt.Errorf("scan feedback %d: effort: %w", f.Key, err)
			}
		}
		if f.Analysis.Promises, err = decodeMentions(str(promises)); err != nil {
			return fmt.Errorf("scan feedback %d: promises: %w", f.Key, err)
		}
		if err := fn(&f); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan feedback: %w", err)
	}
	return nil
}

// CountFeedback returns how many feedback items are stored.
func (s *Store) CountFeedback(ctx context.Context) (int64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM feedback`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count feedback: %w", err)
	}
	return n, nil
}
