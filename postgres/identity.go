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
// it is stored in time. A partial unique index on observations (metric_id,
// source_id) finds it and keeps an id to one observation (migration 0023);
// it is ordered by the id's own text, so ids imported together are stored
// together: ids that follow time append at the end of each metric's key
// range. A row whose id is stored with the same time and value is a
// duplicate, and one with another time or value replaces the stored
// observation. Pre-aggregated rows live in pooled_observations, keyed by
// identity alone.
//
// identities runs before the bulk insert: it keeps the last row of each
// identity in the batch and stores the pre-aggregated ones. The bulk insert
// then copies a batch later than everything stored straight into the
// table, under a savepoint, trusting that its ids are new (a first import):
// the index refuses the copy if one is not, and only then are the ids
// looked up (checkIDs), as they are first for any other batch, to settle
// duplicates and corrections. Rows settled are left out of fresh; their
// days are marked dirty, so summaries follow at the next refresh.

// idScratch is identities' scratch space, kept across batches.
type idScratch struct {
	mids    []int64 // metric of each row
	rows    []int32 // rows with an identity, by metric and id
	settled []bool  // rows identities stored or dropped itself
	// carried counts, for the last row of an identity, the rows it
	// superseded that said something else (counted replaced unless the
	// last row is a duplicate: saydo.LastOfIdentities)
	carried []int
	// the single rows with ids left for the bulk insert, as columns
	recMids []int64
	recIDs  []string
	recRows []int32
}

// identities settles the batch's superseded and pre-aggregated rows; rest
// lists the indexes of the rows for the bulk insert, nil meaning every row.
// The single rows with ids among them are listed in t.ids.rec*.
func (t *observationTx) identities(batch []saydo.Observation) (rest []int, inserted int, err error) {
	sc := &t.ids
	sc.recMids, sc.recIDs, sc.recRows = sc.recMids[:0], sc.recIDs[:0], sc.recRows[:0]
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
	// then position: the rows of one identity are neighbours. Ids usually
	// come in order already.
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
	carried := append(sc.carried[:0], make([]int, len(batch))...)
	sc.carried = carried
	last, replaced := saydo.LastOfIdentities(batch, rows, func(i, last int32, differs bool) {
		settled[i], anySettled = true, true
		if differs {
			carried[last]++
		}
	})
	t.replaced += replaced
	for _, i := range last {
		o := &batch[i]
		if o.Count > 0 {
			n, err := t.putPooled(mids[i], o, carried[i])
			if err != nil {
				return nil, inserted, err
			}
			inserted += n
			settled[i], anySettled = true, true
			continue
		}
		sc.recMids = append(sc.recMids, mids[i])
		sc.recIDs = append(sc.recIDs, o.SourceID)
		sc.recRows = append(sc.recRows, i)
	}
	return t.rest(batch, anySettled), inserted, nil
}

// rest lists the rows identities and checkIDs did not settle, nil when
// none was settled.
func (t *observationTx) rest(batch []saydo.Observation, anySettled bool) []int {
	if !anySettled {
		return nil
	}
	rest := make([]int, 0, len(batch))
	for i := range batch {
		if !t.ids.settled[i] {
			rest = append(rest, i)
		}
	}
	return rest
}

// errCheckIDs is the bulk insert's answer when the batch's ids must be
// looked up first: an id is stored already, or the batch cannot go
// straight into the table.
var errCheckIDs = errors.New("ids to check")

// sourceIndex is the index that keeps an id to one observation.
const sourceIndex = "observations_source"

// checkIDs looks up the stored observations of the single rows with ids
// listed in t.ids.rec* and settles each one found: a duplicate (the same
// time and value) is dropped, a correction replaces the stored row. The
// others are left to the bulk insert. It reports whether it settled any.
func (t *observationTx) checkIDs(batch []saydo.Observation) (settledAny bool, err error) {
	sc := &t.ids
	rows, err := t.tx.Query(t.ctx, `SELECT u.n, o.at, o.value
		FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS u(m, s, n)
		JOIN observations o ON o.metric_id = u.m AND o.source_id = u.s COLLATE "C"`, sc.recMids, sc.recIDs)
	if err != nil {
		return false, fmt.Errorf("look up ids: %w", err)
	}
	type stored struct {
		at    int64
		value float64
	}
	found := map[int]stored{}
	var (
		n, at int64
		v     *float64
	)
	if _, err := pgx.ForEachRow(rows, []any{&n, &at, &v}, func() error {
		if n < 1 || int(n) > len(sc.recRows) {
			return fmt.Errorf("row %d of %d", n, len(sc.recRows))
		}
		found[int(n-1)] = stored{at, nanIfNull(v)}
		return nil
	}); err != nil {
		return false, fmt.Errorf("look up ids: %w", err)
	}
	for j, r := range found {
		i := sc.recRows[j]
		settled, err := t.settleID(sc.recMids[j], &batch[i], sc.carried[i], r.at, r.value)
		if err != nil {
			return false, err
		}
		sc.settled[i] = settled
		settledAny = true
	}
	return settledAny, nil
}

// settleID handles a single row with a source id whose observation is
// stored at time at with value: a duplicate (the same time and value) or a
// correction, which replaces it.
func (t *observationTx) settleID(mid int64, o *saydo.Observation, carried int, at int64, value float64) (bool, error) {
	key := int64(o.Key)
	newAt := millis(o.At)
	if at == newAt && saydo.SameValue(value, o.Value) {
		t.replaced -= carried // the rows it superseded changed nothing either
		return true, nil      // a duplicate
	}
	sid, err := t.segmentID(o.Attrs)
	if err != nil {
		return false, err
	}
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM observations WHERE metric_id = $1 AND at = $2 AND key = $3`, mid, at, key)
	b.Queue(`INSERT INTO observations (metric_id, at, key, value, segment_id, customer, source_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		mid, newAt, key, nullFloat(o.Value), sid, nullString(o.Customer), nullString(o.SourceID))
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
func (t *observationTx) putPooled(mid int64, o *saydo.Observation, carried int) (int, error) {
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
			t.replaced -= carried // a duplicate: the rows it superseded changed nothing either
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
