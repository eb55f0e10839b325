package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/saydo/saydo"
)

// encodeMentions is an item's mentions for the mentions column: NULL for
// none.
func encodeMentions(ms []saydo.Mention) (any, error) {
	if len(ms) == 0 {
		return nil, nil
	}
	return saydo.MentionsText(ms)
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
	ctx    context.Context
	tx     *sql.Tx
	insert map[int]*sql.Stmt // multi-row inserts by row count
	update *sql.Stmt
	seq    int64          // this transaction's dirty mark, 0 until needed
	marked map[int64]bool // days already marked with seq
	wrote  bool           // a row was inserted or replaced
	done   bool
}

// bumpFeedbackVersion moves the 'feedback' counter (report caches compare
// it) once for a transaction that inserted or replaced feedback, instead of
// migration 0060's per-row triggers (three times the cost of an import;
// migration 0063 drops them). Re-analysis does not move it.
func bumpFeedbackVersion(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE counters SET value = value + 1 WHERE name = 'feedback'`); err != nil {
		return fmt.Errorf("feedback version: %w", err)
	}
	return nil
}

const feedbackInsertColumns = `(key, at, source_id, text, customer, channel, kind, lang,
	nps, csat, ces, rating, attrs, label, sentiment, sentiment_label, anger, effort, promises, content, target)`

const feedbackInsertRow = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const feedbackInsertArgs = 21

// feedbackRowsPerInsert is how many items one INSERT statement carries: one
// statement per row costs twice the time in database/sql and the driver.
const feedbackRowsPerInsert = 50

const updateFeedbackSQL = `UPDATE feedback SET at = ?, source_id = ?, text = ?, customer = ?, channel = ?, kind = ?, lang = ?,
	nps = ?, csat = ?, ces = ?, rating = ?, attrs = ?, label = ?, sentiment = ?, sentiment_label = ?, anger = ?,
	effort = ?, promises = ?, content = ?, target = ? WHERE key = ?`

// isTarget reports whether an item is one theme discovery reads: negative
// and matching no promise.
func isTarget(a *saydo.Analysis) bool { return a.Label == "negative" && len(a.Promises) == 0 }

// feedbackArgs appends the insert arguments of f.
func feedbackArgs(args []any, f *saydo.Feedback) ([]any, error) {
	effort, err := encodeEffort(f.Analysis.Effort)
	if err != nil {
		return args, err
	}
	promises, err := encodeMentions(f.Analysis.Promises)
	if err != nil {
		return args, err
	}
	return append(args, int64(f.Key), millis(f.At), nullString(f.SourceID), f.Text,
		nullString(f.Customer), nullString(f.Channel), nullString(f.Kind), nullString(f.Lang),
		nullFloat(f.NPS), nullFloat(f.CSAT), nullFloat(f.CES), nullFloat(f.Rating),
		f.Attrs.Canonical(), nullString(f.Label),
		nullFloat(f.Analysis.Sentiment), nullString(f.Analysis.Label), f.Analysis.Anger, effort, promises,
		int64(saydo.FeedbackContent(f)), isTarget(&f.Analysis)), nil
}

// insertStmt returns the prepared INSERT OR IGNORE of n rows. OR IGNORE
// (rather than ON CONFLICT DO NOTHING) means no constraint can abort the
// statement, so SQLite keeps no statement journal for it.
func (t *feedbackTx) insertStmt(n int) (*sql.Stmt, error) {
	if st := t.insert[n]; st != nil {
		return st, nil
	}
	q := `INSERT OR IGNORE INTO feedback ` + feedbackInsertColumns + ` VALUES ` + feedbackInsertRow +
		strings.Repeat(", "+feedbackInsertRow, n-1)
	st, err := t.tx.PrepareContext(t.ctx, q)
	if err != nil {
		return nil, err
	}
	if t.insert == nil {
		t.insert = map[int]*sql.Stmt{}
	}
	t.insert[n] = st
	return st, nil
}

// markDirty marks a day's feedback as changed, once per transaction.
func (t *feedbackTx) markDirty(atMillis int64) error {
	day := dayOf(atMillis)
	if t.marked[day] {
		return nil
	}
	if t.seq == 0 {
		if err := t.tx.QueryRowContext(t.ctx, `UPDATE counters SET value = value + 1 WHERE name = 'feedback_dirty' RETURNING value`).Scan(&t.seq); err != nil {
			return fmt.Errorf("mark dirty: %w", err)
		}
		t.marked = map[int64]bool{}
	}
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO feedback_dirty (day, seq) VALUES (?, ?)
		ON CONFLICT (day) DO UPDATE SET seq = excluded.seq`, day, t.seq); err != nil {
		return fmt.Errorf("mark dirty: %w", err)
	}
	t.marked[day] = true
	return nil
}

// Insert adds the items whose Key is new, in statements of up to
// feedbackRowsPerInsert rows. When a statement stores fewer rows than it
// carries, some keys were stored already (or repeat in the batch): each
// of its items whose stored content differs replaces the stored item. The
// days of new and replaced items are marked dirty.
func (t *feedbackTx) Insert(batch []saydo.Feedback) (inserted, replaced int, err error) {
	return t.insertBatch(batch, nil)
}

// InsertNew is Insert that reports the items it knows it inserted in
// fresh, without marking their days.
func (t *feedbackTx) InsertNew(batch []saydo.Feedback, fresh []bool) (inserted, replaced int, err error) {
	if len(fresh) != len(batch) {
		return 0, 0, errors.New("insert feedback: len(fresh) != len(batch)")
	}
	clear(fresh)
	return t.insertBatch(batch, fresh)
}

func (t *feedbackTx) insertBatch(batch []saydo.Feedback, fresh []bool) (inserted, replaced int, err error) {
	if t.done {
		return 0, 0, errors.New("insert feedback: transaction is closed")
	}
	args := make([]any, 0, feedbackRowsPerInsert*feedbackInsertArgs)
	for lo := 0; lo < len(batch); lo += feedbackRowsPerInsert {
		hi := min(lo+feedbackRowsPerInsert, len(batch))
		args = args[:0]
		for i := lo; i < hi; i++ {
			if args, err = feedbackArgs(args, &batch[i]); err != nil {
				return inserted, replaced, fmt.Errorf("insert feedback: %w", err)
			}
		}
		st, err := t.insertStmt(hi - lo)
		if err != nil {
			return inserted, replaced, fmt.Errorf("insert feedback: %w", err)
		}
		res, err := st.ExecContext(t.ctx, args...)
		if err != nil {
			return inserted, replaced, fmt.Errorf("insert feedback: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return inserted, replaced, fmt.Errorf("insert feedback: %w", err)
		}
		inserted += int(n)
		if n > 0 {
			t.wrote = true
		}
		if fresh != nil && int(n) == hi-lo {
			for i := lo; i < hi; i++ {
				fresh[i] = true
			}
			continue
		}
		for i := lo; i < hi; i++ {
			if int(n) < hi-lo {
				ok, err := t.replace(&batch[i])
				if err != nil {
					return inserted, replaced, err
				}
				if ok {
					replaced++ // replace marked its days
					continue
				}
				if n == 0 {
					continue // a duplicate: nothing changed
				}
				// Inserted or a duplicate, which the count cannot tell
				// apart: marking its day costs at most a day's refresh.
			}
			if err := t.markDirty(millis(batch[i].At)); err != nil {
				return inserted, replaced, err
			}
		}
	}
	return inserted, replaced, nil
}

// replace stores f over the stored item with its key when their content
// differs (an item stored before content was recorded counts as the
// same), and reports whether it did.
func (t *feedbackTx) replace(f *saydo.Feedback) (bool, error) {
	key := int64(f.Key)
	var content, at int64
	if err := t.tx.QueryRowContext(t.ctx, `SELECT content, at FROM feedback WHERE key = ?`, key).Scan(&content, &at); err != nil {
		return false, fmt.Errorf("replace feedback: %w", err)
	}
	if content == 0 || content == int64(saydo.FeedbackContent(f)) {
		return false, nil
	}
	if t.update == nil {
		var err error
		if t.update, err = t.tx.PrepareContext(t.ctx, updateFeedbackSQL); err != nil {
			return false, fmt.Errorf("replace feedback: %w", err)
		}
	}
	args, err := feedbackArgs(nil, f)
	if err != nil {
		return false, fmt.Errorf("replace feedback: %w", err)
	}
	if _, err := t.update.ExecContext(t.ctx, append(args[1:], key)...); err != nil {
		return false, fmt.Errorf("replace feedback: %w", err)
	}
	if err := t.markDirty(at); err != nil {
		return false, err
	}
	if err := t.markDirty(millis(f.At)); err != nil {
		return false, err
	}
	t.wrote = true
	return true, nil
}

func (t *feedbackTx) close() {
	t.done = true
	for _, st := range t.insert {
		st.Close()
	}
	if t.update != nil {
		t.update.Close()
	}
}

// Commit makes the transaction's feedback visible and durable.
func (t *feedbackTx) Commit() error {
	if t.done {
		return errors.New("commit feedback: transaction is closed")
	}
	if t.wrote {
		if err := bumpFeedbackVersion(t.ctx, t.tx); err != nil {
			t.Rollback()
			return fmt.Errorf("commit feedback: %w", err)
		}
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
	rows, err := s.r.QueryContext(ctx, `SELECT `+feedbackColumnsSQL+`
		FROM feedback WHERE at >= ? AND at < ? ORDER BY at, key`, lo, hi)
	if err != nil {
		return fmt.Errorf("scan feedback: %w", err)
	}
	defer rows.Close()
	return scanFeedbackRows(rows, fn)
}

// ScanLabelledFeedback calls fn for every item with text and a label, in
// time order (then by key), through the partial index of labelled items.
func (s *Store) ScanLabelledFeedback(ctx context.Context, fn func(*saydo.Feedback) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT `+feedbackColumnsSQL+`
		FROM feedback INDEXED BY feedback_labelled WHERE label IS NOT NULL AND label <> '' AND text <> '' ORDER BY at, key`)
	if err != nil {
		return fmt.Errorf("scan labelled feedback: %w", err)
	}
	defer rows.Close()
	return scanFeedbackRows(rows, fn)
}

const feedbackColumnsSQL = `key, at, source_id, text, customer, channel, kind, lang,
	nps, csat, ces, rating, attrs, label, sentiment, sentiment_label, anger, effort, promises`

// scanFeedbackRows decodes rows of feedbackColumnsSQL and calls fn with
// each, reusing one Feedback.
func scanFeedbackRows(rows *sql.Rows, fn func(*saydo.Feedback) error) error {
	var err error
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
		if f.Analysis.Promises, err = saydo.ParseMentionsText(promises.String); err != nil {
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

// rekeyFeedback gives the stored feedback without a source id the keys
// saydo.FeedbackKey gives it now (what it says and its occurrence), once,
// while migration 0072's mark is set, in one transaction that clears it.
// The days of the items it re-keys are marked changed, so the next
// refresh sums them again and learns the mapping again from the items in
// their new order (time, then key), as a store imported anew would.
//
// The new keys are found in one pass in time order and held (16 bytes an
// item), then written in the table's own order with the indexes that
// hold the key dropped and built again after: updating them row by row
// in time order, at random places in the table and its indexes, took
// 11 s for 200,000 items.
func (s *Store) rekeyFeedback(ctx context.Context, conn *sql.Conn) error {
	return onceMarked(ctx, conn, "feedback_rekey", "re-key feedback", func(tx *sql.Tx) error {
		type change struct{ seq, key int64 }
		var (
			changes []change
			days    []int64
			occ     saydo.Occurrences
		)
		rows, err := tx.QueryContext(ctx, `SELECT seq, key, at, text, customer, channel, kind, nps, csat, ces, rating, attrs
		FROM feedback INDEXED BY feedback_at WHERE source_id IS NULL ORDER BY at, key`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var (
				seq, key, at                   int64
				f                              saydo.Feedback
				customer, channel, kind, attrs sql.NullString
				nps, csat, ces, rating         sql.NullFloat64
			)
			if err := rows.Scan(&seq, &key, &at, &f.Text, &customer, &channel, &kind, &nps, &csat, &ces, &rating, &attrs); err != nil {
				rows.Close()
				return err
			}
			f.At, f.Customer, f.Channel, f.Kind, f.Attrs = fromMillis(at), customer.String, channel.String, kind.String, saydo.ParseAttrs(attrs.String)
			f.NPS, f.CSAT, f.CES, f.Rating = nanIfNull(nps), nanIfNull(csat), nanIfNull(ces), nanIfNull(rating)
			if k := int64(occ.Next(at, saydo.FeedbackIdentity(&f))); k != key {
				changes = append(changes, change{seq, k})
				if d := dayOf(at); len(days) == 0 || days[len(days)-1] != d {
					days = append(days, d)
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(changes) == 0 {
			return nil
		}
		slices.SortFunc(changes, func(a, b change) int { return cmp.Compare(a.seq, b.seq) })
		indexes, err := feedbackIndexes(ctx, tx)
		if err != nil {
			return err
		}
		for _, ix := range indexes {
			if _, err := tx.ExecContext(ctx, `DROP INDEX `+ix.name); err != nil {
				return err
			}
		}
		update, err := tx.PrepareContext(ctx, `UPDATE feedback SET key = ? WHERE seq = ?`)
		if err != nil {
			return err
		}
		defer update.Close()
		for _, c := range changes {
			if _, err := update.ExecContext(ctx, c.key, c.seq); err != nil {
				return err
			}
		}
		for _, ix := range indexes {
			if _, err := tx.ExecContext(ctx, ix.sql); err != nil {
				return err
			}
		}
		dirty := &feedbackTx{ctx: ctx, tx: tx}
		for _, d := range days {
			if err := dirty.markDirty(d * msPerDay); err != nil {
				return err
			}
		}
		if err := bumpFeedbackVersion(ctx, tx); err != nil {
			return err
		}
		return nil
	})
}

// feedbackIndexes returns the feedback table's indexes created by name
// that hold its key (not the one of its UNIQUE key, nor feedback_complaints,
// which a re-key leaves as it is), with the statements that create them.
// indexesKey matches a CREATE INDEX whose columns or expressions name key.
var indexesKey = regexp.MustCompile(`\bkey\b`)

func feedbackIndexes(ctx context.Context, tx *sql.Tx) ([]struct{ name, sql string }, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master
		WHERE type = 'index' AND tbl_name = 'feedback' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []struct{ name, sql string }
	for rows.Next() {
		var ix struct{ name, sql string }
		if err := rows.Scan(&ix.name, &ix.sql); err != nil {
			return nil, err
		}
		if indexesKey.MatchString(ix.sql) {
			out = append(out, ix)
		}
	}
	return out, rows.Err()
}
