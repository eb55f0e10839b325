package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/saydo/saydo"
)

// Ids are identities, as in the SQLite store (sqlite/identity.go): an
// observation with a source id is one observation of its metric, wherever
// it is stored in time. observation_sources says where each one is, keyed
// by metric and the id's own text (migration 0023), so ids imported
// together are stored together: ids that follow time append at the end of
// each metric's key range. A row whose id is stored with the same time and
// value is a duplicate, and one with another time or value replaces the
// stored observation. Pre-aggregated rows live in pooled_observations,
// keyed by identity alone.
//
// identities runs before the bulk insert. It records the batch's ids first,
// in one INSERT … ON CONFLICT DO NOTHING: when every id was new (a first
// import) nothing more is needed. Only a batch with an id already stored is
// looked up, in one query, to settle its duplicates and corrections. It
// returns the indexes of the rows left for the bulk insert (nil when it is
// all of them). Rows it settled are left out of fresh; their days are
// marked dirty, so summaries follow at the next refresh.

// idScratch is identities' scratch space, kept across batches.
type idScratch struct {
	mids    []int64 // metric of each row
	rows    []int32 // rows with an identity, by metric and id
	settled []bool  // rows identities stored or dropped itself
	// the ids to record, as columns
	recMids, recAts, recKeys []int64
	recIDs                   []string
	recRows                  []int32
}

func (t *observationTx) identities(batch []saydo.Observation) (rest []int, inserted int, err error) {
	sc := &t.ids
	rows := sc.rows[:0]
	for i := range batch {
		if batch[i].HasIdentity() {
			rows = append(rows, int32(i))
		}
	}
	sc.rows = rows
	if len(rows) == 0 {
		return nil, 0, nil
	}
	mids := sc.mids[:0]
	for i := range batch {
		mid, err := t.metricID(batch[i].Metric)
		if err != nil {
			return nil, 0, err
		}
		mids = append(mids, mid)
	}
	sc.mids = mids
	settled := append(sc.settled[:0], make([]bool, len(batch))...)
	sc.settled = settled
	anySettled := false
	// By metric, then id (the key for pre-aggregated rows without one),
	// then position: the rows of one identity are neighbours, and the ids
	// go to the index in its order. Ids usually come in order already.
	compare := func(x, y int32) int {
		if c := cmp.Compare(mids[x], mids[y]); c != 0 {
			return c
		}
		a, b := &batch[x], &batch[y]
		if c := strings.Compare(a.SourceID, b.SourceID); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	}
	if !slices.IsSortedFunc(rows, compare) {
		slices.SortFunc(rows, compare)
	}
	sc.recMids, sc.recAts, sc.recKeys, sc.recIDs, sc.recRows = sc.recMids[:0], sc.recAts[:0], sc.recKeys[:0], sc.recIDs[:0], sc.recRows[:0]
	for j, i := range rows {
		o := &batch[i]
		// The last occurrence of an identity in the batch is the one that
		// counts; earlier ones with another time or value are replaced by
		// it.
		if j+1 < len(rows) {
			next := &batch[rows[j+1]]
			if mids[rows[j+1]] == mids[i] && next.Key == o.Key && next.SourceID == o.SourceID {
				if !o.SameAs(next) {
					t.replaced++
				}
				settled[i], anySettled = true, true
				continue
			}
		}
		if o.Count > 0 {
			n, err := t.putPooled(mids[i], o)
			if err != nil {
				return nil, inserted, err
			}
			inserted += n
			settled[i], anySettled = true, true
			continue
		}
		sc.recMids = append(sc.recMids, mids[i])
		sc.recIDs = append(sc.recIDs, o.SourceID)
		sc.recAts = append(sc.recAts, millis(o.At))
		sc.recKeys = append(sc.recKeys, int64(o.Key))
		sc.recRows = append(sc.recRows, i)
	}
	if len(sc.recRows) > 0 {
		some, err := t.recordIDs(batch)
		if err != nil {
			return nil, inserted, err
		}
		anySettled = anySettled || some
	}
	clear(sc.recIDs) // drop references to the batch's strings
	if !anySettled {
		return nil, inserted, nil
	}
	rest = make([]int, 0, len(batch))
	for i := range batch {
		if !settled[i] {
			rest = append(rest, i)
		}
	}
	return rest, inserted, nil
}

// recordIDs records where the single rows with ids in t.ids.rec* will be
// stored. When some id was stored already, they are looked up and each
// such row settled: a duplicate, or a correction that replaces the stored
// row.
func (t *observationTx) recordIDs(batch []saydo.Observation) (settledAny bool, err error) {
	sc := &t.ids
	tag, err := t.tx.Exec(t.ctx, `INSERT INTO observation_sources (metric_id, source_id, at)
		SELECT m, s, a FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS u(m, s, a)
		ON CONFLICT DO NOTHING`, sc.recMids, sc.recIDs, sc.recAts)
	if err != nil {
		return false, fmt.Errorf("record ids: %w", err)
	}
	if int(tag.RowsAffected()) == len(sc.recRows) {
		return false, nil // every id is new
	}
	// Where each id is recorded (this batch's time for a new one), and the
	// observation stored there, if any.
	rows, err := t.tx.Query(t.ctx, `SELECT u.n, o.at, x.at IS NOT NULL, x.value
		FROM unnest($1::bigint[], $2::text[], $3::bigint[]) WITH ORDINALITY AS u(m, s, k, n)
		JOIN observation_sources o ON o.metric_id = u.m AND o.source_id = u.s
		LEFT JOIN observations x ON x.metric_id = u.m AND x.at = o.at AND x.key = u.k`, sc.recMids, sc.recIDs, sc.recKeys)
	if err != nil {
		return false, fmt.Errorf("look up ids: %w", err)
	}
	type recorded struct {
		at    int64
		found bool
		value float64
	}
	got := make([]recorded, len(sc.recRows))
	seen := make([]bool, len(sc.recRows))
	var (
		n, at int64
		found bool
		v     *float64
	)
	if _, err := pgx.ForEachRow(rows, []any{&n, &at, &found, &v}, func() error {
		if n < 1 || int(n) > len(got) {
			return fmt.Errorf("row %d of %d", n, len(got))
		}
		got[n-1] = recorded{at: at, found: found, value: nanIfNull(v)}
		seen[n-1] = true
		return nil
	}); err != nil {
		return false, fmt.Errorf("look up ids: %w", err)
	}
	for j, i := range sc.recRows {
		o := &batch[i]
		if !seen[j] {
			return false, fmt.Errorf("look up ids: id %q of metric %d is not recorded", o.SourceID, sc.recMids[j])
		}
		r := got[j]
		settled, err := t.settleID(sc.recMids[j], o, r.at, r.value, r.found)
		if err != nil {
			return false, err
		}
		sc.settled[i] = settled
		settledAny = settledAny || settled
	}
	return settledAny, nil
}

// settleID handles a single row with a source id recorded at time at
// (this batch's time when the id is new): a duplicate of its stored row
// (the same time and value) or a correction, which replaces it. When no
// row is stored there (a new id, or one whose row is gone) it points the
// id at the row's time and reports false, leaving the row to the bulk
// insert.
func (t *observationTx) settleID(mid int64, o *saydo.Observation, at int64, value float64, found bool) (bool, error) {
	key := int64(o.Key)
	newAt := millis(o.At)
	if !found {
		if at != newAt {
			if _, err := t.tx.Exec(t.ctx, `UPDATE observation_sources SET at = $1 WHERE metric_id = $2 AND source_id = $3`, newAt, mid, o.SourceID); err != nil {
				return false, fmt.Errorf("record id: %w", err)
			}
		}
		return false, nil
	}
	if at == newAt && saydo.SameValue(value, o.Value) {
		return true, nil // a duplicate
	}
	sid, err := t.segmentID(o.Attrs)
	if err != nil {
		return false, err
	}
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM observations WHERE metric_id = $1 AND at = $2 AND key = $3`, mid, at, key)
	b.Queue(`INSERT INTO observations (metric_id, at, key, value, segment_id, customer, source_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		mid, newAt, key, nullFloat(o.Value), sid, nullString(o.Customer), nullString(o.SourceID))
	if at != newAt {
		b.Queue(`UPDATE observation_sources SET at = $1 WHERE metric_id = $2 AND source_id = $3`, newAt, mid, o.SourceID)
	}
	if err := t.tx.SendBatch(t.ctx, b).Close(); err != nil {
		return false, fmt.Errorf("replace observation: %w", err)
	}
	if last, ok := t.latest[mid]; ok && newAt > last {
		t.latest[mid] = newAt
	}
	t.replaced++
	t.changed = true
	return true, t.markDays(map[[2]int64]bool{{mid, dayOf(at)}: true, {mid, dayOf(newAt)}: true})
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
