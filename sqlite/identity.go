package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
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

// special reports whether a row needs identities' handling.
func special(o *saydo.Observation) bool { return o.SourceID != "" || o.Count > 0 }

// identities settles the special rows of batch; rest lists the indexes of
// the rows for the bulk insert, nil meaning every row.
func (t *observationTx) identities(batch []saydo.Observation) (rest []int, inserted int, err error) {
	any := false
	for i := range batch {
		if special(&batch[i]) {
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
		if special(&batch[i]) {
			k := [2]int64{mid, int64(batch[i].Key)}
			if j, ok := last[k]; ok && !sameObservation(&batch[j], &batch[i]) {
				t.replaced++
			}
			last[k] = i
		}
	}
	rest = make([]int, 0, len(batch))
	var ids []int // single rows with an id, for the bulk path and observation_ids
	for i := range batch {
		o := &batch[i]
		if !special(o) {
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
		settled, err := t.settleID(mids[i], o)
		if err != nil {
			return nil, inserted, err
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

// recordIDs stores where the rows with ids of the last bulk insert are.
func (t *observationTx) recordIDs() error {
	for _, e := range t.pendingIDs {
		if _, err := t.conn.ExecContext(t.ctx, `INSERT OR IGNORE INTO observation_ids (metric_id, key, at) VALUES (?, ?, ?)`,
			e.mid, e.key, e.at); err != nil {
			return fmt.Errorf("record ids: %w", err)
		}
	}
	t.pendingIDs = t.pendingIDs[:0]
	return nil
}

// sameObservation reports whether two rows with one id say the same: the
// same time and the same value (or counts).
func sameObservation(a, b *saydo.Observation) bool {
	return millis(a.At) == millis(b.At) && sameFloat(a.Value, b.Value) && a.Count == b.Count && a.Met == b.Met && sameFloat(a.SD, b.SD)
}

func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// settleID handles a single row with a source id whose id is already
// stored: a duplicate (same time and value) or a correction, which
// replaces the stored row. It reports false when the id is new, leaving
// the row to the bulk insert.
func (t *observationTx) settleID(mid int64, o *saydo.Observation) (bool, error) {
	key := int64(o.Key)
	var at int64
	err := t.conn.QueryRowContext(t.ctx, `SELECT at FROM observation_ids WHERE metric_id = ? AND key = ?`, mid, key).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up id: %w", err)
	}
	table := obsTable(mid)
	var old sql.NullFloat64
	err = t.conn.QueryRowContext(t.ctx, `SELECT value FROM `+table+` WHERE at = ? AND key = ?`, at, key).Scan(&old)
	if errors.Is(err, sql.ErrNoRows) {
		// The id's row is gone (never stored by this version): store anew.
		if _, err := t.conn.ExecContext(t.ctx, `DELETE FROM observation_ids WHERE metric_id = ? AND key = ?`, mid, key); err != nil {
			return false, fmt.Errorf("look up id: %w", err)
		}
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up id: %w", err)
	}
	oldValue := math.NaN()
	if old.Valid {
		oldValue = old.Float64
	}
	newAt := millis(o.At)
	if at == newAt && sameFloat(oldValue, o.Value) {
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
		if sameObservation(&stored, o) {
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
