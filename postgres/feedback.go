package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/internal/migration"
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

// BeginFeedback starts a feedback import transaction holding the write
// lock: an import reads what is stored to choose between skipping,
// inserting and replacing, and marks days for the voice summaries.
func (s *Store) BeginFeedback(ctx context.Context) (saydo.FeedbackTx, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin feedback: %w", err)
	}
	if err := s.writeLock(ctx, tx); err != nil {
		tx.Rollback(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("begin feedback: %w", err)
	}
	return &feedbackTx{s: s, ctx: ctx, tx: tx, marked: map[int64]bool{}}, nil
}

type feedbackTx struct {
	s       *Store
	ctx     context.Context
	tx      pgx.Tx
	seq     int64          // this transaction's dirty mark, 0 until needed
	marked  map[int64]bool // days already marked with seq
	changed bool
	done    bool
}

// feedbackInsertColumns are the columns new items are copied into.
var feedbackInsertColumns = []string{"key", "at", "source_id", "text", "customer", "channel", "kind", "lang",
	"nps", "csat", "ces", "rating", "attrs", "label", "sentiment", "sentiment_label", "anger", "effort", "promises", "content", "target"}

const updateFeedbackSQL = `UPDATE feedback SET at = $2, source_id = $3, text = $4, customer = $5, channel = $6, kind = $7, lang = $8,
	nps = $9, csat = $10, ces = $11, rating = $12, attrs = $13, label = $14, sentiment = $15, sentiment_label = $16, anger = $17,
	effort = $18, promises = $19, content = $20, target = $21 WHERE key = $1`

// isTarget reports whether an item is one theme discovery reads: negative
// and matching no promise.
func isTarget(a *saydo.Analysis) bool { return a.Label == "negative" && len(a.Promises) == 0 }

// storedItem is what Insert needs to know of an item already stored.
type storedItem struct {
	content int64
	at      int64
}

// Insert adds the items whose Key is new and replaces those stored with
// other content, and marks their days dirty.
func (t *feedbackTx) Insert(batch []saydo.Feedback) (inserted, replaced int, err error) {
	return t.insertBatch(batch, nil)
}

// InsertNew is Insert that sets fresh[i] for every item it inserted and
// leaves their days to the caller (MergeVoiceDays): the store knows exactly
// which items were new. Days of replaced items are marked dirty.
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
	if len(batch) == 0 {
		return 0, 0, nil
	}
	keys := make([]int64, len(batch))
	for i := range batch {
		keys[i] = int64(batch[i].Key)
	}
	rows, err := t.tx.Query(t.ctx, `SELECT key, content, at FROM feedback WHERE key = ANY($1)`, keys)
	if err != nil {
		return 0, 0, fmt.Errorf("insert feedback: %w", err)
	}
	old := map[int64]storedItem{}
	var (
		k  int64
		it storedItem
	)
	if _, err := pgx.ForEachRow(rows, []any{&k, &it.content, &it.at}, func() error {
		old[k] = it
		return nil
	}); err != nil {
		return 0, 0, fmt.Errorf("insert feedback: %w", err)
	}
	var (
		newRows [][]any // rows to copy in
		b       = &pgx.Batch{}
		days    []int64
		isFresh = fresh
		newIn   = map[int64]int{} // keys this batch inserts, by row
	)
	for i := range batch {
		f := &batch[i]
		effort, err := encodeEffort(f.Analysis.Effort)
		if err != nil {
			return 0, 0, fmt.Errorf("insert feedback: %w", err)
		}
		promises, err := encodeMentions(f.Analysis.Promises)
		if err != nil {
			return 0, 0, fmt.Errorf("insert feedback: %w", err)
		}
		key := int64(f.Key)
		content := int64(saydo.FeedbackContent(f))
		at := millis(f.At)
		prev, stored := old[key]
		if stored && (prev.content == content || prev.content == 0) {
			continue // a duplicate
		}
		args := []any{key, at, nullString(f.SourceID), f.Text,
			nullString(f.Customer), nullString(f.Channel), nullString(f.Kind), nullString(f.Lang),
			nullFloat(f.NPS), nullFloat(f.CSAT), nullFloat(f.CES), nullFloat(f.Rating),
			f.Attrs.Canonical(), nullString(f.Label),
			nullFloat(f.Analysis.Sentiment), nullString(f.Analysis.Label), f.Analysis.Anger, effort, promises,
			content, isTarget(&f.Analysis)}
		if stored {
			// Replacements are rare: one statement each, after the copy
			// (the item may be one this batch inserts).
			b.Queue(updateFeedbackSQL, args...)
			days = append(days, dayOf(prev.at), dayOf(at))
			replaced++
			if j, ok := newIn[key]; ok && isFresh != nil {
				// Inserted by this batch, then replaced: its first day is
				// summarised by nobody, so both are marked.
				isFresh[j] = false
			}
		} else {
			newRows = append(newRows, args)
			inserted++
			if isFresh != nil {
				isFresh[i] = true
				newIn[key] = i
			} else {
				days = append(days, dayOf(at))
			}
		}
		old[key] = storedItem{content: content, at: at}
	}
	if len(newRows) == 0 && b.Len() == 0 {
		return 0, 0, nil
	}
	if len(newRows) > 0 {
		if _, err := t.tx.CopyFrom(t.ctx, pgx.Identifier{"feedback"}, feedbackInsertColumns, pgx.CopyFromRows(newRows)); err != nil {
			return 0, 0, fmt.Errorf("insert feedback: %w", err)
		}
	}
	if b.Len() > 0 {
		if err := t.tx.SendBatch(t.ctx, b).Close(); err != nil {
			return 0, 0, fmt.Errorf("replace feedback: %w", err)
		}
	}
	if err := t.markDirty(days); err != nil {
		return inserted, replaced, err
	}
	t.changed = true
	return inserted, replaced, nil
}

// markDirty marks days' feedback as changed, each once per transaction.
func (t *feedbackTx) markDirty(days []int64) error {
	var todo []int64
	for _, d := range days {
		if !t.marked[d] {
			t.marked[d] = true
			todo = append(todo, d)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	if t.seq == 0 {
		if err := t.tx.QueryRow(t.ctx, `UPDATE counters SET value = value + 1 WHERE name = 'feedback_dirty' RETURNING value`).Scan(&t.seq); err != nil {
			return fmt.Errorf("mark dirty: %w", err)
		}
	}
	if _, err := t.tx.Exec(t.ctx, `INSERT INTO feedback_dirty (day, seq) SELECT d, $2 FROM unnest($1::bigint[]) AS u(d)
		ON CONFLICT (day) DO UPDATE SET seq = excluded.seq`, todo, t.seq); err != nil {
		return fmt.Errorf("mark dirty: %w", err)
	}
	return nil
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

const feedbackColumnsSQL = `key, at, source_id, text, customer, channel, kind, lang,
	nps, csat, ces, rating, attrs, label, sentiment, sentiment_label, anger, effort, promises`

// ScanFeedback calls fn for every item with from <= At < to (zero times are
// unbounded), in time order (then by key). The Feedback is reused between
// calls.
func (s *Store) ScanFeedback(ctx context.Context, from, to time.Time, fn func(*saydo.Feedback) error) error {
	lo, hi := timeRange(from, to)
	rows, err := s.pool.Query(ctx, `SELECT `+feedbackColumnsSQL+`
		FROM feedback WHERE at >= $1 AND at < $2 ORDER BY at, key`, lo, hi)
	if err != nil {
		return fmt.Errorf("scan feedback: %w", err)
	}
	if err := scanFeedbackRows(rows, fn); err != nil {
		return fmt.Errorf("scan feedback: %w", err)
	}
	return nil
}

// ScanLabelledFeedback calls fn for every item with text and a label, in
// time order (then by key), through the partial index of labelled items.
func (s *Store) ScanLabelledFeedback(ctx context.Context, fn func(*saydo.Feedback) error) error {
	rows, err := s.pool.Query(ctx, `SELECT `+feedbackColumnsSQL+`
		FROM feedback WHERE label IS NOT NULL AND label <> '' AND text <> '' ORDER BY at, key`)
	if err != nil {
		return fmt.Errorf("scan labelled feedback: %w", err)
	}
	if err := scanFeedbackRows(rows, fn); err != nil {
		return fmt.Errorf("scan labelled feedback: %w", err)
	}
	return nil
}

// scanFeedbackRows decodes rows of feedbackColumnsSQL and calls fn with
// each, reusing one Feedback.
func scanFeedbackRows(rows pgx.Rows, fn func(*saydo.Feedback) error) error {
	defer rows.Close()
	var (
		f                                            saydo.Feedback
		key, at                                      int64
		source, customer, channel, kind, lang, label *string
		sentLabel, effort, promises                  *string
		nps, csat, ces, rating, sentiment            *float64
		attrs                                        string
		err                                          error
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
			return err
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
				return fmt.Errorf("feedback %d: effort: %w", f.Key, err)
			}
		}
		if f.Analysis.Promises, err = saydo.ParseMentionsText(str(promises)); err != nil {
			return fmt.Errorf("feedback %d: promises: %w", f.Key, err)
		}
		if err := fn(&f); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CountFeedback returns how many feedback items are stored.
func (s *Store) CountFeedback(ctx context.Context) (int64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM feedback`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count feedback: %w", err)
	}
	return n, nil
}

// MergeVoiceDays adds days to the stored voice days of a promise inside
// the import transaction, so new items and their summaries commit together.
func (t *feedbackTx) MergeVoiceDays(promiseID string, days []saydo.VoiceDay) error {
	if t.done {
		return errors.New("merge voice days: transaction is closed")
	}
	var nums []int64
	for i := range days {
		if days[i].Items > 0 {
			nums = append(nums, dayNumber(days[i].Day))
		}
	}
	if len(nums) == 0 {
		return nil
	}
	rows, err := t.tx.Query(t.ctx, `SELECT day, summary FROM voice_days WHERE promise_id = $1 AND day = ANY($2)`, promiseID, nums)
	if err != nil {
		return fmt.Errorf("merge voice days: %w", err)
	}
	stored := map[int64]*saydo.VoiceDay{}
	var (
		day  int64
		blob string
	)
	if _, err := pgx.ForEachRow(rows, []any{&day, &blob}, func() error {
		var d saydo.VoiceDay
		if err := json.Unmarshal([]byte(blob), &d); err != nil {
			return fmt.Errorf("%q day %d: %w", promiseID, day, err)
		}
		stored[day] = &d
		return nil
	}); err != nil {
		return fmt.Errorf("merge voice days: %w", err)
	}
	b := &pgx.Batch{}
	for i := range days {
		d := &days[i]
		if d.Items == 0 {
			continue
		}
		num := dayNumber(d.Day)
		old := stored[num]
		if old == nil {
			old = &saydo.VoiceDay{}
			stored[num] = old
		}
		old.Merge(d)
		out, err := json.Marshal(old)
		if err != nil {
			return fmt.Errorf("merge voice days: %w", err)
		}
		b.Queue(`INSERT INTO voice_days (promise_id, day, summary) VALUES ($1, $2, $3)
			ON CONFLICT (promise_id, day) DO UPDATE SET summary = excluded.summary`, promiseID, num, string(out))
	}
	if err := t.tx.SendBatch(t.ctx, b).Close(); err != nil {
		return fmt.Errorf("merge voice days: %w", err)
	}
	t.changed = true
	return nil
}

// FeedbackByKeys returns the stored items with these keys, in time order
// (then by key).
func (s *Store) FeedbackByKeys(ctx context.Context, keys []uint64) ([]saydo.Feedback, error) {
	ks := make([]int64, len(keys))
	for i, k := range keys {
		ks[i] = int64(k)
	}
	rows, err := s.pool.Query(ctx, `SELECT `+feedbackColumnsSQL+` FROM feedback WHERE key = ANY($1) ORDER BY at, key`, ks)
	if err != nil {
		return nil, fmt.Errorf("feedback by keys: %w", err)
	}
	var out []saydo.Feedback
	if err := scanFeedbackRows(rows, func(f *saydo.Feedback) error {
		c := *f
		c.Attrs = slices.Clone(f.Attrs)
		c.Analysis.Effort = slices.Clone(f.Analysis.Effort)
		c.Analysis.Promises = slices.Clone(f.Analysis.Promises)
		out = append(out, c)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("feedback by keys: %w", err)
	}
	return out, nil
}

// rekeyFeedback gives the stored feedback without a source id the keys
// saydo.FeedbackKey gives it now (what it says and its occurrence), once,
// while migration 0072's mark is set; it runs in the migrating
// transaction, which clears the mark. The days of the items it re-keys
// are marked changed, so the next refresh sums them again and learns the
// mapping again from the items in their new order (time, then key), as a
// store imported anew would.
func (s *Store) rekeyFeedback(ctx context.Context, tx pgx.Tx) error {
	if set, err := takeMark(ctx, tx, "feedback_rekey"); err != nil || !set {
		return err // or done before
	}
	read := func(query string, args ...any) ([]saydo.Feedback, error) {
		rows, err := tx.Query(ctx, `SELECT `+feedbackColumnsSQL+` FROM feedback WHERE source_id IS NULL AND `+query, args...)
		if err != nil {
			return nil, err
		}
		var out []saydo.Feedback
		err = scanFeedbackRows(rows, func(f *saydo.Feedback) error {
			out = append(out, saydo.Feedback{Key: f.Key, At: f.At, Text: f.Text, Customer: f.Customer, Channel: f.Channel,
				Kind: f.Kind, NPS: f.NPS, CSAT: f.CSAT, CES: f.CES, Rating: f.Rating, Attrs: f.Attrs})
			return nil
		})
		return out, err
	}
	dirty := &feedbackTx{s: s, ctx: ctx, tx: tx, marked: map[int64]bool{}}
	var occ saydo.Occurrences
	rekeyed := false
	err := migration.TimePages(rekeyPage, func(f *saydo.Feedback) int64 { return millis(f.At) },
		func(from int64, limit int) ([]saydo.Feedback, error) {
			return read(`at >= $1 ORDER BY at, key LIMIT $2`, from, limit)
		},
		func(ms int64) ([]saydo.Feedback, error) { return read(`at = $1 ORDER BY key`, ms) },
		func(page []saydo.Feedback) error {
			var old, keys, days []int64
			for i := range page {
				f := &page[i]
				at := millis(f.At)
				if key := occ.Next(at, saydo.FeedbackIdentity(f)); key != f.Key {
					old, keys = append(old, int64(f.Key)), append(keys, int64(key))
					if d := dayOf(at); len(days) == 0 || days[len(days)-1] != d {
						days = append(days, d)
					}
				}
			}
			if len(old) == 0 {
				return nil
			}
			rekeyed = true
			if _, err := tx.Exec(ctx, `UPDATE feedback SET key = u.new FROM unnest($1::bigint[], $2::bigint[]) AS u(old, new)
				WHERE feedback.key = u.old`, old, keys); err != nil {
				return err
			}
			return dirty.markDirty(days)
		})
	if err != nil {
		return fmt.Errorf("re-key feedback: %w", err)
	}
	if rekeyed {
		if _, err := tx.Exec(ctx, `UPDATE counters SET value = value + 1 WHERE name = 'feedback'`); err != nil {
			return fmt.Errorf("re-key feedback: %w", err)
		}
	}
	return nil
}
