package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/saydo/saydo"
)

// Ids are identities, as in the SQLite store (sqlite/identity.go): an
// observation with a source id is one observation of its metric, wherever
// it is stored in time. observation_ids says where each one is; a row
// whose id is stored with the same time and value is a duplicate, and one
// with another time or value replaces the stored observation.
// Pre-aggregated rows live in pooled_observations, keyed by identity alone.
//
// identities runs before the bulk insert: it settles the rows that need
// more than the bulk insert (rows with an id, pre-aggregated rows) and
// returns the indexes of the rows left for it (nil when it is all of
// them). Rows it settled are left out of fresh; their days are marked
// dirty, so summaries follow at the next refresh.

// idEntry is a row of observation_ids to record after the bulk insert.
type idEntry struct{ mid, key, at int64 }

// storedRow is where and with what value an id's observation is stored.
type storedRow struct {
	at    int64
	value float64
	found bool // the row itself was found (not only its id)
}

func (t *observationTx) identities(batch []saydo.Observation) (rest []int, inserted int, err error) {
	anySpecial := false
	for i := range batch {
		if batch[i].HasIdentity() {
			anySpecial = true
			break
		}
	}
	if !anySpecial {
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
	var ids []int
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

// storedIDs looks up where the batch's single rows with ids (the last
// occurrence of each) are stored and with what value: one query per
// metric for the ids, one for the rows.
func (t *observationTx) storedIDs(batch []saydo.Observation, mids []int64, last map[[2]int64]int) (map[[2]int64]storedRow, error) {
	out := map[[2]int64]storedRow{}
	byMetric := map[int64][]int64{}
	for i := range batch {
		o := &batch[i]
		if o.SourceID == "" || o.Count > 0 || last[[2]int64{mids[i], int64(o.Key)}] != i {
			continue
		}
		byMetric[mids[i]] = append(byMetric[mids[i]], int64(o.Key))
	}
	for mid, keys := range byMetric {
		has, err := t.hasIDs(mid)
		if err != nil {
			return nil, fmt.Errorf("look up ids: %w", err)
		}
		if !has {
			continue // no id of this metric is stored yet: all are new
		}
		rows, err := t.tx.Query(t.ctx, `SELECT key, at FROM observation_ids WHERE metric_id = $1 AND key = ANY($2)`, mid, keys)
		if err != nil {
			return nil, fmt.Errorf("look up ids: %w", err)
		}
		var (
			k, at     int64
			ats, ks   []int64
			foundKeys = map[int64]int64{}
		)
		if _, err := pgx.ForEachRow(rows, []any{&k, &at}, func() error {
			foundKeys[k] = at
			return nil
		}); err != nil {
			return nil, fmt.Errorf("look up ids: %w", err)
		}
		for k, at := range foundKeys {
			out[[2]int64{mid, k}] = storedRow{at: at}
			ats, ks = append(ats, at), append(ks, k)
		}
		if len(ks) == 0 {
			continue
		}
		rows, err = t.tx.Query(t.ctx, `SELECT o.at, o.key, o.value FROM unnest($2::bigint[], $3::bigint[]) AS u(a, k)
			JOIN observations o ON o.metric_id = $1 AND o.at = u.a AND o.key = u.k`, mid, ats, ks)
		if err != nil {
			return nil, fmt.Errorf("look up ids: %w", err)
		}
		var v *float64
		if _, err := pgx.ForEachRow(rows, []any{&at, &k, &v}, func() error {
			r := storedRow{at: at, value: math.NaN(), found: true}
			if v != nil {
				r.value = *v
			}
			out[[2]int64{mid, k}] = r
			return nil
		}); err != nil {
			return nil, fmt.Errorf("look up ids: %w", err)
		}
	}
	return out, nil
}

// hasIDs reports whether any observation of the metric with an id is
// stored (committed, or inserted by this transaction).
func (t *observationTx) hasIDs(mid int64) (bool, error) {
	if t.withIDs[mid] {
		return true, nil
	}
	var has bool
	err := t.tx.QueryRow(t.ctx, `SELECT EXISTS (SELECT 1 FROM observation_ids WHERE metric_id = $1)`, mid).Scan(&has)
	return has, err
}

// recordIDs stores where the rows with ids of the last bulk insert are.
func (t *observationTx) recordIDs() error {
	if len(t.pendingIDs) == 0 {
		return nil
	}
	mids := make([]int64, len(t.pendingIDs))
	keys := make([]int64, len(t.pendingIDs))
	ats := make([]int64, len(t.pendingIDs))
	for i, e := range t.pendingIDs {
		mids[i], keys[i], ats[i] = e.mid, e.key, e.at
		if t.withIDs == nil {
			t.withIDs = map[int64]bool{}
		}
		t.withIDs[e.mid] = true
	}
	if _, err := t.tx.Exec(t.ctx, `INSERT INTO observation_ids (metric_id, key, at)
		SELECT m, k, a FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS u(m, k, a)
		ORDER BY m, k ON CONFLICT DO NOTHING`, mids, keys, ats); err != nil {
		return fmt.Errorf("record ids: %w", err)
	}
	t.pendingIDs = t.pendingIDs[:0]
	return nil
}

// settleID handles a single row with a source id whose id is already
// stored: a duplicate (same time and value) or a correction, which
// replaces the stored row. It reports false when the stored row is gone,
// leaving the row to the bulk insert.
func (t *observationTx) settleID(mid int64, o *saydo.Observation, r storedRow) (bool, error) {
	key := int64(o.Key)
	if !r.found {
		if _, err := t.tx.Exec(t.ctx, `DELETE FROM observation_ids WHERE metric_id = $1 AND key = $2`, mid, key); err != nil {
			return false, fmt.Errorf("look up id: %w", err)
		}
		return false, nil
	}
	newAt := millis(o.At)
	if r.at == newAt && saydo.SameValue(r.value, o.Value) {
		return true, nil // a duplicate
	}
	sid, err := t.segmentID(o.Attrs)
	if err != nil {
		return false, err
	}
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM observations WHERE metric_id = $1 AND at = $2 AND key = $3`, mid, r.at, key)
	b.Queue(`INSERT INTO observations (metric_id, at, key, value, segment_id, customer, source_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		mid, newAt, key, nullFloat(o.Value), sid, nullString(o.Customer), nullString(o.SourceID))
	b.Queue(`UPDATE observation_ids SET at = $1 WHERE metric_id = $2 AND key = $3`, newAt, mid, key)
	if err := t.tx.SendBatch(t.ctx, b).Close(); err != nil {
		return false, fmt.Errorf("replace observation: %w", err)
	}
	if last, ok := t.latest[mid]; ok && newAt > last {
		t.latest[mid] = newAt
	}
	t.replaced++
	t.changed = true
	return true, t.markDays(map[[2]int64]bool{{mid, dayOf(r.at)}: true, {mid, dayOf(newAt)}: true})
}

// putPooled stores a pre-aggregated row: new (1), a duplicate (0), or a
// correction replacing the stored row with its key (0, counted as
// replaced). Its days are marked for new summaries.
func (t *observationTx) putPooled(mid int64, o *saydo.Observation) (int, error) {
	key := int64(o.Key)
	var (
		at, n    int64
		met      *int64
		mean, sd *float64
	)
	err := t.tx.QueryRow(t.ctx, `SELECT at, n, met, mean, sd FROM pooled_observations WHERE metric_id = $1 AND key = $2`,
		mid, key).Scan(&at, &n, &met, &mean, &sd)
	found := err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("insert pooled observation: %w", err)
	}
	if found {
		stored := saydo.Observation{At: fromMillis(at), Count: n, Met: -1, Value: nanIfNull(mean), SD: nanIfNull(sd)}
		if met != nil {
			stored.Met = *met
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
	if _, err := t.tx.Exec(t.ctx, `INSERT INTO pooled_observations
		(metric_id, key, at, n, met, mean, sd, segment_id, customer, source_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (metric_id, key) DO UPDATE SET at = excluded.at, n = excluded.n, met = excluded.met, mean = excluded.mean,
			sd = excluded.sd, segment_id = excluded.segment_id, customer = excluded.customer, source_id = excluded.source_id`,
		mid, key, newAt, o.Count, metArg, nullFloat(o.Value), nullFloat(o.SD), sid, nullString(o.Customer), nullString(o.SourceID)); err != nil {
		return 0, fmt.Errorf("insert pooled observation: %w", err)
	}
	t.changed = true
	if found {
		t.replaced++
		return 0, t.markDays(map[[2]int64]bool{{mid, dayOf(at)}: true, {mid, dayOf(newAt)}: true})
	}
	if err := t.addCounts(map[int64]int64{mid: 1}); err != nil {
		return 0, err
	}
	return 1, t.markDays(map[[2]int64]bool{{mid, dayOf(newAt)}: true})
}

// Replaced returns how many stored observations this transaction replaced.
func (t *observationTx) Replaced() int { return t.replaced }

// scanPooled reads the pre-aggregated rows of a metric with lo <= at < hi
// (milliseconds), in time order.
func (s *Store) scanPooled(ctx context.Context, mid, lo, hi int64) ([]saydo.Observation, error) {
	rows, err := s.pool.Query(ctx, `SELECT p.at, p.key, p.n, p.met, p.mean, p.sd, p.segment_id, g.attrs, p.customer, p.source_id
		FROM pooled_observations p JOIN segments g ON g.id = p.segment_id
		WHERE p.metric_id = $1 AND p.at >= $2 AND p.at < $3 ORDER BY p.at, p.key`, mid, lo, hi)
	if err != nil {
		return nil, err
	}
	var (
		out              []saydo.Observation
		at, key, seg, n  int64
		met              *int64
		mean, sd         *float64
		canon            string
		customer, source *string
	)
	_, err = pgx.ForEachRow(rows, []any{&at, &key, &n, &met, &mean, &sd, &seg, &canon, &customer, &source}, func() error {
		o := saydo.Observation{At: fromMillis(at), Key: uint64(key), Count: n, Met: -1, Value: nanIfNull(mean), SD: nanIfNull(sd)}
		if met != nil {
			o.Met = *met
		}
		if customer != nil {
			o.Customer = *customer
		}
		if source != nil {
			o.SourceID = *source
		}
		o.Attrs = s.parsedAttrs(seg, canon)
		out = append(out, o)
		return nil
	})
	return out, err
}

// pooledSpan returns the first and last time of a metric's pre-aggregated
// rows; ok is false when it has none.
func (s *Store) pooledSpan(ctx context.Context, mid int64) (first, last time.Time, ok bool, err error) {
	var lo, hi *int64
	err = s.pool.QueryRow(ctx, `SELECT min(at), max(at) FROM pooled_observations WHERE metric_id = $1`, mid).Scan(&lo, &hi)
	if err != nil || lo == nil {
		return first, last, false, err
	}
	return fromMillis(*lo), fromMillis(*hi), true, nil
}
