package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/saydo/saydo"
)

// mentionJSON is a saydo.Mention whose NaN score is stored as null, which
// encoding/json cannot write as a number.
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

// BeginFeedback starts a feedback import transaction on the writer
// connection.
func (s *Store) BeginFeedback(ctx context.Context) (saydo.FeedbackTx, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin feedback: %w", err)
	}
	return &feedbackTx{ctx: ctx, tx: tx}, nil
}

type feedbackTx struct {
	ctx     context.Context
	tx      *sql.Tx
	item    *sql.Stmt
	mention *sql.Stmt
	done    bool
	// replaced counts items whose source id was stored with another time
	// or content.
	replaced int
}

// Replaced returns how many stored items this transaction replaced.
func (t *feedbackTx) Replaced() int { return t.replaced }

// replaceChanged deletes the stored item with f's key when f, which has a
// source id, says something else (time, text, scores, customer, channel,
// kind, attributes), so that the insert stores the correction; it reports
// whether it did. An identical item stays, and the insert skips it.
func (t *feedbackTx) replaceChanged(f *saydo.Feedback) (bool, error) {
	var (
		at                      int64
		text, attrs             string
		customer, channel, kind sql.NullString
		nps, csat, ces, rating  sql.NullFloat64
	)
	err := t.tx.QueryRowContext(t.ctx, `SELECT at, text, customer, channel, kind, nps, csat, ces, rating, attrs
		FROM feedback WHERE key = ?`, int64(f.Key)).Scan(&at, &text, &customer, &channel, &kind, &nps, &csat, &ces, &rating, &attrs)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	same := at == millis(f.At) && text == f.Text && customer.String == f.Customer && channel.String == f.Channel &&
		kind.String == f.Kind && attrs == f.Attrs.Canonical() &&
		sameScore(nps, f.NPS) && sameScore(csat, f.CSAT) && sameScore(ces, f.CES) && sameScore(rating, f.Rating)
	if same {
		return false, nil
	}
	if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM feedback_mentions WHERE feedback_key = ?`, int64(f.Key)); err != nil {
		return false, err
	}
	if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM feedback WHERE key = ?`, int64(f.Key)); err != nil {
		return false, err
	}
	return true, nil
}

func sameScore(stored sql.NullFloat64, v float64) bool {
	if !stored.Valid {
		return math.IsNaN(v)
	}
	return stored.Float64 == v
}

const insertFeedbackSQL = `INSERT OR IGNORE INTO feedback (key, at, source_id, text, customer, channel, kind, lang,
	nps, csat, ces, rating, attrs, label, sentiment, sentiment_label, anger, effort, promises)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// Insert adds the items whose Key is new, with one feedback_mentions row
// per promise each speaks of.
func (t *feedbackTx) Insert(batch []saydo.Feedback) (int, error) {
	if t.done {
		return 0, errors.New("insert feedback: transaction is closed")
	}
	if t.item == nil {
		var err error
		if t.item, err = t.tx.PrepareContext(t.ctx, insertFeedbackSQL); err != nil {
			return 0, fmt.Errorf("insert feedback: %w", err)
		}
		if t.mention, err = t.tx.PrepareContext(t.ctx, `INSERT OR IGNORE INTO feedback_mentions
			(feedback_key, promise_id, score, match) VALUES (?, ?, ?, ?)`); err != nil {
			return 0, fmt.Errorf("insert feedback: %w", err)
		}
	}
	inserted := 0
	for i := range batch {
		f := &batch[i]
		effort, err := encodeEffort(f.Analysis.Effort)
		if err != nil {
			return inserted, fmt.Errorf("insert feedback: %w", err)
		}
		promises, err := encodeMentions(f.Analysis.Promises)
		if err != nil {
			return inserted, fmt.Errorf("insert feedback: %w", err)
		}
		key := int64(f.Key)
		replacing := false
		if f.SourceID != "" {
			if replacing, err = t.replaceChanged(f); err != nil {
				return inserted, fmt.Errorf("insert feedback: %w", err)
			}
		}
		res, err := t.item.ExecContext(t.ctx, key, millis(f.At), nullString(f.SourceID), f.Text,
			nullString(f.Customer), nullString(f.Channel), nullString(f.Kind), nullString(f.Lang),
			nullFloat(f.NPS), nullFloat(f.CSAT), nullFloat(f.CES), nullFloat(f.Rating),
			f.Attrs.Canonical(), nullString(f.Label),
			nullFloat(f.Analysis.Sentiment), nullString(f.Analysis.Label), f.Analysis.Anger, effort, promises)
		if err != nil {
			return inserted, fmt.Errorf("insert feedback: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return inserted, fmt.Errorf("insert feedback: %w", err)
		} else if n == 0 {
			continue
		}
		if replacing {
			t.replaced++
		} else {
			inserted++
		}
		for _, m := range f.Analysis.Promises {
			if _, err := t.mention.ExecContext(t.ctx, key, m.PromiseID, nullFloat(m.Score), nullString(m.Match)); err != nil {
				return inserted, fmt.Errorf("insert feedback mention: %w", err)
			}
		}
	}
	return inserted, nil
}

func (t *feedbackTx) close() {
	t.done = true
	if t.item != nil {
		t.item.Close()
		t.mention.Close()
	}
}

// Commit makes the transaction's feedback visible and durable.
func (t *feedbackTx) Commit() error {
	if t.done {
		return errors.New("commit feedback: transaction is closed")
	}
	t.close()
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("commit feedback: %w", err)
	}
	return nil
}

// Rollback discards the transaction; it is a no-op after Commit.
func (t *feedbackTx) Rollback() error {
	if t.done {
		return nil
	}
	t.close()
	if err := t.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("rollback feedback: %w", err)
	}
	return nil
}

// ScanFeedback calls fn for every item with from <= At < to (zero times are
// unbounded), in time order (then by key). The Feedback is reused between
// calls.
func (s *Store) ScanFeedback(ctx context.Context, from, to time.Time, fn func(*saydo.Feedback) error) error {
	lo, hi := timeRange(from, to)
	rows, err := s.r.QueryContext(ctx, `SELECT key, at, source_id, text, customer, channel, kind, lang,
		nps, csat, ces, rating, attrs, label, sentiment, sentiment_label, anger, effort, promises
		FROM feedback WHERE at >= ? AND at < ? ORDER BY at, key`, lo, hi)
	if err != nil {
		return fmt.Errorf("scan feedback: %w", err)
	}
	defer rows.Close()
	var (
		f                                            saydo.Feedback
		key, at                                      int64
		source, customer, channel, kind, lang, label sql.NullString
		sentLabel, effort, promises                  sql.NullString
		nps, csat, ces, rating, sentiment            sql.NullFloat64
		attrs                                        string
	)
	for rows.Next() {
		if err := rows.Scan(&key, &at, &source, &f.Text, &customer, &channel, &kind, &lang,
			&nps, &csat, &ces, &rating, &attrs, &label, &sentiment, &sentLabel, &f.Analysis.Anger, &effort, &promises); err != nil {
			return fmt.Errorf("scan feedback: %w", err)
		}
		f.Key = uint64(key)
		f.At = fromMillis(at)
		f.SourceID, f.Customer, f.Channel, f.Kind, f.Lang, f.Label =
			source.String, customer.String, channel.String, kind.String, lang.String, label.String
		f.NPS, f.CSAT, f.CES, f.Rating = nanIfNull(nps), nanIfNull(csat), nanIfNull(ces), nanIfNull(rating)
		f.Attrs = saydo.ParseAttrs(attrs)
		f.Analysis.Sentiment = nanIfNull(sentiment)
		f.Analysis.Label = sentLabel.String
		f.Analysis.Effort = nil
		if effort.Valid {
			if err := json.Unmarshal([]byte(effort.String), &f.Analysis.Effort); err != nil {
				return fmt.Errorf("scan feedback %d: effort: %w", f.Key, err)
			}
		}
		if f.Analysis.Promises, err = decodeMentions(promises.String); err != nil {
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
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM feedback`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count feedback: %w", err)
	}
	return n, nil
}
