package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/saydo/saydo"
)

// Ids are identities (SPEC "Trustworthy verdicts"): an observation with a
// source id is one observation of its metric, wherever it is stored in
// time. observation_ids says where each one is; a row whose id is stored
// with the same time and value is a duplicate, and one with another time
// or value replaces the stored observation. Pre-aggregated rows live in
// pooled_observations, keyed by identity alone.
//
// identities runs before the bulk insert: it takes the rows that need more
// than INSERT OR IGNORE (rows with an id, pre-aggregated rows) and settles
// them, and returns the indexes of the rows left for the bulk path (nil
// when it is all of them). Rows it settled are excluded from fresh; their
// days are marked dirty, so summaries follow at the next refresh.

// identities settles the special rows of batch; rest lists the indexes of
// the rows for the bulk insert, nil meaning every row.
func (t *observationTx) identities(batch []saydo.Observation) (rest []int, inserted int, err error) {
	any := false
	for i := range batch {
		if batch[i].HasIdentity() {
			any = true
			break
		}
	}
	if !any {
		return nil, 0, nil
	}
	// The last occurrence of an id in the batch is the one that counts;
	// earlier ones with another time or value are replaced by it.
	last := map[[2]int64]int{}
	mids := make([]int64, len(batch))
	for i := range batch {
		mid, err := t.metricID(batch[i].Metric)
		if err != nil {
			return nil, 0, err
		}
		mids[i] = mid
		if batch[i].HasIdentity() {
			k := [2]int64{mid, int64(batch[i].Key)}
			if j, ok := last[k]; ok && !batch[j].SameAs(&batch[i]) {
				t.replaced++
			}
			last[k] = i
		}
	}
	stored, err := t.storedIDs(batch, mids, last)
	if err != nil {
		return nil, 0, err
	}
	rest = make([]int, 0, len(batch))
	var ids []int // single rows with an id, for the bulk path and observation_ids
	for i := range batch {
		o := &batch[i]
		if !o.HasIdentity() {
			rest = append(rest, i)
			continue
		}
		if last[[2]int64{mids[i], int64(o.Key)}] != i {
			continue // superseded within the batch
		}
		if o.Count > 0 {
			n, err := t.putPooled(mids[i], o)
			if err != nil {
				return nil, inserted, err
			}
			inserted += n
			continue
		}
		settled := false
		if r, ok := stored[[2]int64{mids[i], int64(o.Key)}]; ok {
			if settled, err = t.settleID(mids[i], o, r); err != nil {
				return nil, inserted, err
			}
		}
		if !settled {
			rest = append(rest, i)
			ids = append(ids, i)
		}
	}
	t.pendingIDs = t.pendingIDs[:0]
	for _, i := range ids {
		t.pendingIDs = append(t.pendingIDs, idEntry{mids[i], int64(batch[i].Key), millis(batch[i].At)})
	}
	return rest, inserted, nil
}

// idEntry is a row of observation_ids to record after the bulk insert.
type idEntry struct{ mid, key, at int64 }

// idChunk is how many keys one lookup or insert of observation_ids takes.
const idChunk = 500

// storedRow is where and with what value an id's observation is stored.
type storedRow struct {
	at    int64
	value float64
	found bool // the row itself was found (not only its id)
}

// storedIDs looks up, in chunks, where the batch's single rows with ids
// (the last occurrence of each) are stored and with what value.
func (t *observationTx) storedIDs(batch []saydo.Observation, mids []int64, last map[[2]int64]int) (map[[2]int64]storedRow, error) {
	out := map[[2]int64]storedRow{}
	byMetric := map[int64][]any{}
	for i := range batch {
		o := &batch[i]
		if o.SourceID == "" || o.Count > 0 || last[[2]int64{mids[i], int64(o.Key)}] != i {
			continue
		}
		byMetric[mids[i]] = append(byMetric[mids[i]], int64(o.Key))
	}
	for mid, keys := range byMetric {
		if !t.hasIDs(mid) {
			continue // no id of this metric is stored yet: all are new
		}
		slices.SortFunc(keys, func(a, b any) int { return cmp.Compare(a.(int64), b.(int64)) })
		for lo := 0; lo < len(keys); lo += idChunk {
			hi := min(lo+idChunk, len(keys))
			args := append([]any{mid}, keys[lo:hi]...)
			q, err := t.prepared(`SELECT key, at FROM observation_ids WHERE metric_id = ? AND key IN (?` + strings.Repeat(",?", hi-lo-1) + `)`)
			if err != nil {
				return nil, fmt.Errorf("look up ids: %w", err)
			}
			rows, err := q.QueryContext(t.ctx, args...)
			if err != nil {
				return nil, fmt.Errorf("look up ids: %w", err)
			}
			for rows.Next() {
				var k, at int64
				if err := rows.Scan(&k, &at); err != nil {
					rows.Close()
					return nil, fmt.Errorf("look up ids: %w", err)
				}
				out[[2]int64{mid, k}] = storedRow{at: at}
			}
			if err := rows.Close(); err != nil {
				return nil, fmt.Errorf("look up ids: %w", err)
			}
		}
	}
	// The stored values of the ids found, by (at, key).
	var found [][3]int64
	for k, r := range out {
		found = append(found, [3]int64{k[0], r.at, k[1]})
	}
	slices.SortFunc(found, func(a, b [3]int64) int { return cmp.Compare(a[0], b[0]) })
	for lo := 0; lo < len(found); {
		mid := found[lo][0]
		hi := lo
		var args []any
		for hi < len(found) && hi-lo < idChunk && found[hi][0] == mid {
			args = append(args, found[hi][1], found[hi][2])
			hi++
		}
		q, err := t.prepared(`SELECT at, key, value FROM ` + obsTable(mid) + ` WHERE (at, key) IN (VALUES (?,?)` +
			strings.Repeat(",(?,?)", hi-lo-1) + `)`)
		if err != nil {
			return nil, fmt.Errorf("look up ids: %w", err)
		}
		rows, err := q.QueryContext(t.ctx, args...)
		if err != nil {
			return nil, fmt.Errorf("look up ids: %w", err)
		}
		for rows.Next() {
			var at, k int64
			var v sql.NullFloat64
			if err := rows.Scan(&at, &k, &v); err != nil {
				rows.Close()
				return nil, fmt.Errorf("look up ids: %w", err)
			}
			r := storedRow{at: at, value: math.NaN(), found: true}
			if v.Valid {
				r.value = v.Float64
			}
			out[[2]int64{mid, k}] = r
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("look up ids: %w", err)
		}
		lo = hi
	}
	return out, nil
}

// hasIDs reports whether any observation of the metric with an id is
// stored (committed, or inserted by this transaction).
func (t *observationTx) hasIDs(mid int64) bool {
	if t.withIDs[mid] {
		return true
	}
	var one int
	err := t.conn.QueryRowContext(t.ctx, `SELECT 1 FROM observation_ids WHERE metric_id = ? LIMIT 1`, mid).Scan(&one)
	return err == nil
}

// recordIDs stores where the rows with ids of the last bulk insert are,
// idChunk rows per statement.
func (t *observationTx) recordIDs() error {
	// In key order, so the inserts walk the index instead of jumping.
	slices.SortFunc(t.pendingIDs, func(a, b idEntry) int {
		if c := cmp.Compare(a.mid, b.mid); c != 0 {
			return c
		}
		return cmp.Compare(a.key, b.key)
	})
	for lo := 0; lo < len(t.pendingIDs); lo += idChunk {
		hi := min(lo+idChunk, len(t.pendingIDs))
		args := make([]any, 0, 3*(hi-lo))
		for _, e := range t.pendingIDs[lo:hi] {
			args = append(args, e.mid, e.key, e.at)
			if t.withIDs == nil {
				t.withIDs = map[int64]bool{}
			}
			t.withIDs[e.mid] = true
		}
		q, err := t.prepared(`INSERT OR IGNORE INTO observation_ids (metric_id, key, at) VALUES (?,?,?)` + strings.Repeat(",(?,?,?)", hi-lo-1))
		if err != nil {
			return fmt.Errorf("record ids: %w", err)
		}
		if _, err := q.ExecContext(t.ctx, args...); err != nil {
			return fmt.Errorf("record ids: %w", err)
		}
	}
	t.pendingIDs = t.pendingIDs[:0]
	return nil
}

// settleID handles a single row with a source id whose id is already
// stored at time at: a duplicate (same time and value) or a correction,
// which replaces the stored row. It reports false when the stored row is
// gone, leaving the row to the bulk insert.
func (t *observationTx) settleID(mid int64, o *saydo.Observation, r storedRow) (bool, error) {
	key := int64(o.Key)
	table := obsTable(mid)
	at := r.at
	if !r.found {
		// The id's row is gone: store it anew.
		if _, err := t.conn.ExecContext(t.ctx, `DELETE FROM observation_ids WHERE metric_id = ? AND key = ?`, mid, key); err != nil {
			return false, fmt.Errorf("look up id: %w", err)
		}
		return false, nil
	}
	oldValue := r.value
	newAt := millis(o.At)
	if at == newAt && saydo.SameValue(oldValue, o.Value) {
		return true, nil // a duplicate
	}
	sid, err := t.segmentID(o.Attrs)
	if err != nil {
		return false, err
	}
	if _, err := t.conn.ExecContext(t.ctx, `DELETE FROM `+table+` WHERE at = ? AND key = ?`, at, key); err != nil {
		return false, fmt.Errorf("replace observation: %w", err)
	}
	if _, err := t.conn.ExecContext(t.ctx, `INSERT INTO `+table+` (at, key, value, segment_id, customer, source_id) VALUES (?, ?, ?, ?, ?, ?)`,
		newAt, key, nullFloat(o.Value), sid, nullString(o.Customer), nullString(o.SourceID)); err != nil {
		return false, fmt.Errorf("replace observation: %w", err)
	}
	if _, err := t.conn.ExecContext(t.ctx, `UPDATE observation_ids SET at = ? WHERE metric_id = ? AND key = ?`, newAt, mid, key); err != nil {
		return false, fmt.Errorf("replace observation: %w", err)
	}
	t.replaced++
	return true, t.markDirty(mid, dayOf(at), dayOf(newAt))
}

// putPooled stores a pre-aggregated row: new (1), a duplicate (0), or a
// correction replacing the stored row with its key (0, counted as
// replaced). Its days are marked for new summaries.
func (t *observationTx) putPooled(mid int64, o *saydo.Observation) (int, error) {
	key := int64(o.Key)
	var (
		at, n    int64
		met      sql.NullInt64
		mean, sd sql.NullFloat64
	)
	err := t.conn.QueryRowContext(t.ctx, `SELECT at, n, met, mean, sd FROM pooled_observations WHERE metric_id = ? AND key = ?`,
		mid, key).Scan(&at, &n, &met, &mean, &sd)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("insert pooled observation: %w", err)
	}
	if found {
		stored := saydo.Observation{At: fromMillis(at), Count: n, Met: -1, Value: math.NaN(), SD: math.NaN()}
		if met.Valid {
			stored.Met = met.Int64
		}
		if mean.Valid {
			stored.Value = mean.Float64
		}
		if sd.Valid {
			stored.SD = sd.Float64
		}
		if stored.SameAs(o) {
			return 0, nil
		}
	}
	sid, err := t.segmentID(o.Attrs)
	if err != nil {
		return 0, err
	}
	var metArg any
	if o.Met >= 0 {
		metArg = o.Met
	}
	newAt := millis(o.At)
	if _, err := t.conn.ExecContext(t.ctx, `INSERT OR REPLACE INTO pooled_observations
		(metric_id, key, at, n, met, mean, sd, segment_id, customer, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		mid, key, newAt, o.Count, metArg, nullFloat(o.Value), nullFloat(o.SD), sid, nullString(o.Customer), nullString(o.SourceID)); err != nil {
		return 0, fmt.Errorf("insert pooled observation: %w", err)
	}
	if found {
		t.replaced++
		return 0, t.markDirty(mid, dayOf(at), dayOf(newAt))
	}
	t.counts[mid]++
	return 1, t.markDirty(mid, dayOf(newAt))
}

// markDirty marks days of a metric as needing new summaries.
func (t *observationTx) markDirty(mid int64, days ...int64) error {
	if t.days == nil {
		t.days = map[[2]int64]bool{}
	}
	clear(t.days)
	for _, d := range days {
		t.days[[2]int64{mid, d}] = true
	}
	return t.markDays()
}

// prepared returns a statement prepared on the transaction's connection,
// kept until the transaction ends.
func (t *observationTx) prepared(query string) (*sql.Stmt, error) {
	if st, ok := t.sqlStmts[query]; ok {
		return st, nil
	}
	st, err := t.conn.PrepareContext(t.ctx, query)
	if err != nil {
		return nil, err
	}
	if t.sqlStmts == nil {
		t.sqlStmts = map[string]*sql.Stmt{}
	}
	t.sqlStmts[query] = st
	return st, nil
}

// Replaced returns how many stored observations this transaction replaced.
func (t *observationTx) Replaced() int { return t.replaced }

// scanPooled reads the pre-aggregated rows of a metric with lo <= at < hi
// (milliseconds), in time order.
func (s *Store) scanPooled(ctx context.Context, conn *sql.Conn, mid, lo, hi int64) ([]saydo.Observation, error) {
	rows, err := conn.QueryContext(ctx, `SELECT at, key, n, met, mean, sd, segment_id, customer, source_id
		FROM pooled_observations WHERE metric_id = ? AND at >= ? AND at < ? ORDER BY at, key`, mid, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []saydo.Observation
	for rows.Next() {
		var (
			o                saydo.Observation
			at, key, seg     int64
			met              sql.NullInt64
			mean, sd         sql.NullFloat64
			customer, source sql.NullString
		)
		if err := rows.Scan(&at, &key, &o.Count, &met, &mean, &sd, &seg, &customer, &source); err != nil {
			return nil, err
		}
		o.At, o.Key = fromMillis(at), uint64(key)
		o.Met, o.Value, o.SD = -1, math.NaN(), math.NaN()
		if met.Valid {
			o.Met = met.Int64
		}
		if mean.Valid {
			o.Value = mean.Float64
		}
		if sd.Valid {
			o.SD = sd.Float64
		}
		o.Customer, o.SourceID = customer.String, source.String
		a, err := s.segmentAttrs(ctx, conn, seg)
		if err != nil {
			return nil, err
		}
		o.Attrs = a
		out = append(out, o)
	}
	return out, rows.Err()
}

// pooledSpan returns the first and last time of a metric's pre-aggregated
// rows; ok is false when it has none.
func (s *Store) pooledSpan(ctx context.Context, mid int64) (first, last time.Time, ok bool, err error) {
	var lo, hi sql.NullInt64
	err = s.r.QueryRowContext(ctx, `SELECT MIN(at), MAX(at) FROM pooled_observations WHERE metric_id = ?`, mid).Scan(&lo, &hi)
	if err != nil || !lo.Valid {
		return first, last, false, err
	}
	return fromMillis(lo.Int64), fromMillis(hi.Int64), true, nil
}
