package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/internal/migration"
)

const msPerDay = 86_400_000

// segmentCacheLimit caps each in-memory segment map; a full map is
// cleared, so memory stays flat however many segments there are.
const segmentCacheLimit = 100_000

func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// dayOf returns the UTC day (days since the Unix epoch) of a millisecond time.
func dayOf(ms int64) int64 {
	d := ms / msPerDay
	if ms%msPerDay < 0 {
		d--
	}
	return d
}

func dayTime(d int64) time.Time { return time.Unix(d*86400, 0).UTC() }

func dayNumber(t time.Time) int64 { return dayOf(t.UnixMilli()) }

// timeRange turns from, to (zero = unbounded) into millisecond bounds.
func timeRange(from, to time.Time) (lo, hi int64) {
	lo, hi = math.MinInt64, math.MaxInt64
	if !from.IsZero() {
		lo = millis(from)
	}
	if !to.IsZero() {
		hi = millis(to)
	}
	return lo, hi
}

// BeginObservations starts an import transaction holding the schema's
// write lock (see the package comment).
func (s *Store) BeginObservations(ctx context.Context) (saydo.ObservationTx, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin observations: %w", err)
	}
	if err := s.writeLock(ctx, tx); err != nil {
		tx.Rollback(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("begin observations: %w", err)
	}
	return &observationTx{
		s: s, ctx: ctx, tx: tx,
		metrics:  map[string]int64{},
		segments: map[string]int64{},
		marked:   map[[2]int64]bool{},
	}, nil
}

type observationTx struct {
	s   *Store
	ctx context.Context
	tx  pgx.Tx
	buf []byte

	metrics     map[string]int64
	segments    map[string]int64
	newMetrics  map[string]int64
	newSegments map[string]int64
	changed     bool // something to announce at commit

	seq    int64             // this transaction's dirty mark, 0 until needed
	marked map[[2]int64]bool // (metric, day) already marked with seq

	// column buffers for one statement
	mids, ats, keys, segs []int64
	vals                  []float64
	custs, srcs           []string
	order                 []int32
	// latest is the latest stored time per metric, once looked up.
	latest map[int64]int64

	replaced int       // stored observations replaced (identity.go)
	ids      idScratch // identities' scratch space, reused batch to batch
	// pending holds the summary days MergeSummaries merges, until
	// flushSummaries stores them.
	pending map[summaryDay]*saydo.Summary
	done    bool
	staged  bool
}

// Insert adds a batch and marks the days of its new rows dirty.
func (t *observationTx) Insert(batch []saydo.Observation) (int, error) {
	return t.InsertNew(batch, nil)
}

// InsertNew adds a batch and sets fresh[i] for every row it inserted: the
// statement returns exactly the rows it inserted, so no day is left for a
// later refresh.
func (t *observationTx) InsertNew(batch []saydo.Observation, fresh []bool) (int, error) {
	if t.done {
		return 0, errors.New("insert observations: transaction is closed")
	}
	if fresh != nil && len(fresh) != len(batch) {
		return 0, fmt.Errorf("insert observations: %d fresh flags for %d rows", len(fresh), len(batch))
	}
	// Superseded and pre-aggregated rows are settled first; the rest take
	// the bulk path, which checks the ids first unless it can trust them
	// to be new (identity.go).
	rest, inserted, err := t.identities(batch)
	if err == nil {
		unchecked := len(t.ids.recRows) > 0
		var n int
		n, err = t.insertRest(batch, rest, fresh, unchecked)
		if errors.Is(err, errCheckIDs) {
			var some bool
			if some, err = t.checkIDs(batch); err == nil {
				if some {
					rest = t.rest(batch, true)
				}
				n, err = t.insertRest(batch, rest, fresh, false)
			}
		}
		inserted += n
	}
	clear(t.ids.recIDs) // drop references to the batch's strings
	if err != nil {
		return inserted, fmt.Errorf("insert observations: %w", err)
	}
	return inserted, nil
}

// insertRest bulk-inserts the rows rest of batch (every row when nil).
func (t *observationTx) insertRest(batch []saydo.Observation, rest []int, fresh []bool, unchecked bool) (int, error) {
	if rest == nil {
		return t.insert(batch, fresh, unchecked)
	}
	sub := make([]saydo.Observation, len(rest))
	for j, i := range rest {
		sub[j] = batch[i]
	}
	var subFresh []bool
	if fresh != nil {
		subFresh = make([]bool, len(rest))
	}
	n, err := t.insert(sub, subFresh, unchecked)
	if err == nil && fresh != nil {
		for j, i := range rest {
			fresh[i] = subFresh[j]
		}
	}
	return n, err
}

// insert bulk-inserts batch. With unchecked, the batch holds rows with ids
// not looked up yet: it goes straight into the table if it can, and fails
// with errCheckIDs, having written nothing, if it cannot or if an id is
// stored already.
func (t *observationTx) insert(batch []saydo.Observation, fresh []bool, unchecked bool) (int, error) {
	if len(batch) == 0 {
		return 0, nil
	}
	t.mids, t.ats, t.keys, t.segs = t.mids[:0], t.ats[:0], t.keys[:0], t.segs[:0]
	t.vals, t.custs, t.srcs = t.vals[:0], t.custs[:0], t.srcs[:0]
	for i := range batch {
		o := &batch[i]
		mid, err := t.metricID(o.Metric)
		if err != nil {
			return 0, err
		}
		sid, err := t.segmentID(o.Attrs)
		if err != nil {
			return 0, err
		}
		t.mids = append(t.mids, mid)
		t.ats = append(t.ats, millis(o.At))
		t.keys = append(t.keys, int64(o.Key))
		t.vals = append(t.vals, o.Value)
		t.segs = append(t.segs, sid)
		t.custs = append(t.custs, o.Customer)
		t.srcs = append(t.srcs, o.SourceID)
	}
	if n, ok, err := t.appendBatch(fresh, unchecked); ok || err != nil {
		clear(t.custs)
		clear(t.srcs)
		return n, err
	}
	if unchecked {
		clear(t.custs)
		clear(t.srcs)
		return 0, errCheckIDs
	}
	rows, err := t.send()
	if err != nil {
		return 0, err
	}
	type rowKey struct{ mid, at, key int64 }
	var (
		got    []rowKey
		counts = map[int64]int64{}
		r      rowKey
	)
	_, err = pgx.ForEachRow(rows, []any{&r.mid, &r.at, &r.key}, func() error {
		got = append(got, r)
		counts[r.mid]++
		return nil
	})
	clear(t.custs) // drop references to the batch's strings
	clear(t.srcs)
	if err != nil {
		return 0, err
	}
	for _, k := range got {
		if last, ok := t.latest[k.mid]; ok && k.at > last {
			t.latest[k.mid] = k.at
		}
	}
	if len(got) == 0 {
		return 0, nil
	}
	t.changed = true
	if err := t.addCounts(counts); err != nil {
		return len(got), err
	}
	if fresh != nil {
		if len(got) == len(batch) {
			for i := range fresh {
				fresh[i] = true
			}
			return len(got), nil
		}
		index := make(map[rowKey]int, len(batch))
		for i := range batch {
			k := rowKey{t.mids[i], t.ats[i], t.keys[i]}
			if _, dup := index[k]; !dup {
				index[k] = i
			}
		}
		for _, k := range got {
			fresh[index[k]] = true
		}
		return len(got), nil
	}
	days := map[[2]int64]bool{}
	for _, k := range got {
		days[[2]int64{k.mid, dayOf(k.at)}] = true
	}
	return len(got), t.markDays(days)
}

// stageSQL is the per-connection staging table rows are copied into before
// they are inserted.
const stageSQL = `CREATE TEMP TABLE IF NOT EXISTS saydo_stage (
	m bigint, a bigint, k bigint, v float8, s bigint, c text, i text) ON COMMIT DELETE ROWS`

const insertStagedSQL = `INSERT INTO observations (metric_id, at, key, value, segment_id, customer, source_id)
SELECT m, a, k, NULLIF(v, 'NaN'::float8), s, NULLIF(c, ''), NULLIF(i, '') FROM saydo_stage
ORDER BY m, a, k
ON CONFLICT DO NOTHING
RETURNING metric_id, at, key`

// appendBatch stores the column buffers with COPY straight into the
// observations table when no row can already be stored: every row is later
// than the latest stored observation of its metric (the stores key rows by
// metric, time and key, so a later row cannot collide) and no two rows of
// the batch share a key. That is every batch of a first import of a sorted
// file (or of a file the importer sorted), and it skips the staging table
// and the conflict checks. ok is false when the batch needs the general
// path; then nothing was written.
//
// With unchecked, the copy runs under a savepoint: when the index of ids
// refuses it (an id of the batch is stored), it is undone and appendBatch
// fails with errCheckIDs.
func (t *observationTx) appendBatch(fresh []bool, unchecked bool) (n int, ok bool, err error) {
	if t.latest == nil {
		t.latest = map[int64]int64{}
	}
	lo := map[int64]int64{}
	for i, mid := range t.mids {
		if a, seen := lo[mid]; !seen || t.ats[i] < a {
			lo[mid] = t.ats[i]
		}
	}
	for mid, a := range lo {
		last, known := t.latest[mid]
		if !known {
			var max *int64
			if err := t.tx.QueryRow(t.ctx, `SELECT max(at) FROM observations WHERE metric_id = $1`, mid).Scan(&max); err != nil {
				return 0, false, err
			}
			last = math.MinInt64
			if max != nil {
				last = *max
			}
			t.latest[mid] = last
		}
		if a <= last {
			return 0, false, nil
		}
	}
	// Sorted by key, so the B-tree is filled in order and duplicates are
	// neighbours.
	order := t.order[:0]
	for i := range t.mids {
		order = append(order, int32(i))
	}
	t.order = order
	slices.SortFunc(order, func(x, y int32) int {
		if c := cmp.Compare(t.mids[x], t.mids[y]); c != 0 {
			return c
		}
		if c := cmp.Compare(t.ats[x], t.ats[y]); c != 0 {
			return c
		}
		return cmp.Compare(t.keys[x], t.keys[y])
	})
	for j := 1; j < len(order); j++ {
		x, y := order[j-1], order[j]
		if t.mids[x] == t.mids[y] && t.ats[x] == t.ats[y] && t.keys[x] == t.keys[y] {
			return 0, false, nil
		}
	}
	j := 0
	row := make([]any, 7)
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if j == len(order) {
			return nil, nil
		}
		i := order[j]
		j++
		row[0], row[1], row[2], row[4] = t.mids[i], t.ats[i], t.keys[i], t.segs[i]
		row[3], row[5], row[6] = nullFloat(t.vals[i]), nullString(t.custs[i]), nullString(t.srcs[i])
		return row, nil
	})
	if unchecked {
		if _, err := t.tx.Exec(t.ctx, `SAVEPOINT saydo_ids`); err != nil {
			return 0, true, err
		}
	}
	copied, err := t.tx.CopyFrom(t.ctx, pgx.Identifier{"observations"},
		[]string{"metric_id", "at", "key", "value", "segment_id", "customer", "source_id"}, src)
	if unchecked {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == sourceIndex {
			if _, err := t.tx.Exec(t.ctx, `ROLLBACK TO SAVEPOINT saydo_ids`); err != nil {
				return 0, true, err
			}
			return 0, true, errCheckIDs
		}
		if err == nil {
			_, err = t.tx.Exec(t.ctx, `RELEASE SAVEPOINT saydo_ids`)
		}
	}
	if err != nil {
		return 0, true, err
	}
	counts := map[int64]int64{}
	for i, mid := range t.mids {
		counts[mid]++
		t.latest[mid] = max(t.latest[mid], t.ats[i])
	}
	t.changed = true
	if err := t.addCounts(counts); err != nil {
		return int(copied), true, err
	}
	if fresh != nil {
		for i := range fresh {
			fresh[i] = true
		}
		return int(copied), true, nil
	}
	days := map[[2]int64]bool{}
	for i, mid := range t.mids {
		days[[2]int64{mid, dayOf(t.ats[i])}] = true
	}
	return int(copied), true, t.markDays(days)
}

// send copies the column buffers into the staging table (COPY, binary)
// and inserts them from there, sorted by key so the B-tree is walked in
// order, returning the rows it inserted. NaN values and empty strings are
// stored as NULL, as in the SQLite store.
func (t *observationTx) send() (pgx.Rows, error) {
	if !t.staged {
		if _, err := t.tx.Exec(t.ctx, stageSQL); err != nil {
			return nil, err
		}
		t.staged = true
	} else if _, err := t.tx.Exec(t.ctx, `TRUNCATE saydo_stage`); err != nil {
		return nil, err
	}
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(t.mids) {
			return nil, nil
		}
		row := []any{t.mids[i], t.ats[i], t.keys[i], t.vals[i], t.segs[i], t.custs[i], t.srcs[i]}
		i++
		return row, nil
	})
	if _, err := t.tx.CopyFrom(t.ctx, pgx.Identifier{"saydo_stage"}, []string{"m", "a", "k", "v", "s", "c", "i"}, src); err != nil {
		return nil, err
	}
	return t.tx.Query(t.ctx, insertStagedSQL)
}

func (t *observationTx) addCounts(counts map[int64]int64) error {
	ids := make([]int64, 0, len(counts))
	ns := make([]int64, 0, len(counts))
	for id, n := range counts {
		ids = append(ids, id)
		ns = append(ns, n)
	}
	_, err := t.tx.Exec(t.ctx, `UPDATE metrics AS m SET n = m.n + u.n
		FROM unnest($1::bigint[], $2::bigint[]) AS u(id, n) WHERE m.id = u.id`, ids, ns)
	if err != nil {
		return fmt.Errorf("count observations: %w", err)
	}
	return nil
}

func (t *observationTx) markDays(days map[[2]int64]bool) error {
	var mids, ds []int64
	for k := range days {
		if !t.marked[k] {
			mids = append(mids, k[0])
			ds = append(ds, k[1])
			t.marked[k] = true
		}
	}
	if len(mids) == 0 {
		return nil
	}
	if t.seq == 0 {
		err := t.tx.QueryRow(t.ctx, `UPDATE counters SET value = value + 1 WHERE name = 'dirty' RETURNING value`).Scan(&t.seq)
		if err != nil {
			return fmt.Errorf("next dirty mark: %w", err)
		}
	}
	_, err := t.tx.Exec(t.ctx, `INSERT INTO dirty (metric_id, day, seq)
		SELECT m, d, $3 FROM unnest($1::bigint[], $2::bigint[]) AS u(m, d)
		ON CONFLICT (metric_id, day) DO UPDATE SET seq = excluded.seq`, mids, ds, t.seq)
	if err != nil {
		return fmt.Errorf("mark dirty: %w", err)
	}
	return nil
}

// metricID returns the id of a metric, creating it inside the transaction.
func (t *observationTx) metricID(name string) (int64, error) {
	if id, ok := t.metrics[name]; ok {
		return id, nil
	}
	if name == "" {
		return 0, errors.New("observation without a metric")
	}
	t.s.mu.Lock()
	id, ok := t.s.metrics[name]
	t.s.mu.Unlock()
	if !ok {
		err := t.tx.QueryRow(t.ctx, `SELECT id FROM metrics WHERE name = $1`, name).Scan(&id)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			if err := t.tx.QueryRow(t.ctx, `INSERT INTO metrics (name) VALUES ($1) RETURNING id`, name).Scan(&id); err != nil {
				return 0, err
			}
			if t.newMetrics == nil {
				t.newMetrics = map[string]int64{}
			}
			t.newMetrics[name] = id
		case err != nil:
			return 0, err
		default:
			t.s.cacheMetric(name, id)
		}
	}
	t.metrics[name] = id
	return id, nil
}

// appendCanonical appends what a.Canonical() returns, without allocating.
func appendCanonical(b []byte, a saydo.Attrs) []byte {
	for i, x := range a {
		if i > 0 {
			b = append(b, 0x1f)
		}
		b = append(b, x.Name...)
		b = append(b, '=')
		b = append(b, x.Value...)
	}
	return b
}

// segmentID returns the id of a set of attributes, creating it inside the
// transaction.
func (t *observationTx) segmentID(a saydo.Attrs) (int64, error) {
	t.buf = appendCanonical(t.buf[:0], a)
	if id, ok := t.segments[string(t.buf)]; ok {
		return id, nil
	}
	key := string(t.buf)
	t.s.mu.Lock()
	id, ok := t.s.segments[key]
	t.s.mu.Unlock()
	if !ok {
		err := t.tx.QueryRow(t.ctx, `SELECT id FROM segments WHERE attrs = $1`, key).Scan(&id)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			if err := t.tx.QueryRow(t.ctx, `INSERT INTO segments (attrs) VALUES ($1) RETURNING id`, key).Scan(&id); err != nil {
				return 0, err
			}
			if t.newSegments == nil {
				t.newSegments = map[string]int64{}
			}
			t.newSegments[key] = id
		case err != nil:
			return 0, err
		default:
			t.s.cacheSegment(key, id)
		}
	}
	if len(t.segments) >= segmentCacheLimit {
		clear(t.segments)
	}
	t.segments[key] = id
	return id, nil
}

// Commit makes the transaction's observations, summaries and dirty days
// visible and durable, and announces them to other processes.
func (t *observationTx) Commit() error {
	if t.done {
		return errors.New("commit observations: transaction is closed")
	}
	if err := t.flushSummaries(); err != nil {
		t.done = true
		t.tx.Rollback(context.WithoutCancel(t.ctx))
		return fmt.Errorf("commit observations: %w", err)
	}
	t.done = true
	ctx := context.WithoutCancel(t.ctx)
	if t.changed {
		if err := t.s.notify(ctx, t.tx, "observations"); err != nil {
			t.tx.Rollback(ctx)
			return fmt.Errorf("commit observations: %w", err)
		}
	}
	if err := t.tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit observations: %w", err)
	}
	for k, v := range t.newMetrics {
		t.s.cacheMetric(k, v)
	}
	for k, v := range t.newSegments {
		t.s.cacheSegment(k, v)
	}
	return nil
}

// Rollback discards the transaction; it is a no-op after Commit.
func (t *observationTx) Rollback() error {
	if t.done {
		return nil
	}
	t.done = true
	if err := t.tx.Rollback(context.WithoutCancel(t.ctx)); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
		return fmt.Errorf("rollback observations: %w", err)
	}
	return nil
}

func (s *Store) cacheMetric(name string, id int64) {
	s.mu.Lock()
	s.metrics[name] = id
	s.mu.Unlock()
}

func (s *Store) cacheSegment(key string, id int64) {
	s.mu.Lock()
	if len(s.segments) >= segmentCacheLimit {
		clear(s.segments)
	}
	s.segments[key] = id
	s.mu.Unlock()
}

// lookupMetric returns the id of a committed metric; ok is false when the
// metric has no observations yet.
func (s *Store) lookupMetric(ctx context.Context, name string) (id int64, ok bool, err error) {
	s.mu.Lock()
	id, ok = s.metrics[name]
	s.mu.Unlock()
	if ok {
		return id, true, nil
	}
	err = s.pool.QueryRow(ctx, `SELECT id FROM metrics WHERE name = $1`, name).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	s.cacheMetric(name, id)
	return id, true, nil
}

// parsedAttrs returns the parsed attributes of a segment, from the cache
// when it holds them. The slice is shared: callers must not modify it.
func (s *Store) parsedAttrs(id int64, canon string) saydo.Attrs {
	s.mu.Lock()
	a, ok := s.attrs[id]
	s.mu.Unlock()
	if ok {
		return a
	}
	a = saydo.ParseAttrs(canon)
	s.mu.Lock()
	if len(s.attrs) >= segmentCacheLimit {
		clear(s.attrs)
	}
	s.attrs[id] = a
	s.mu.Unlock()
	return a
}

// ScanObservations calls fn for every observation of metric with
// from <= At < to (a zero time is unbounded), in time order (then by key).
// The Observation is reused between calls, and its Attrs are shared with
// the store's cache: copy what you keep, modify nothing.
func (s *Store) ScanObservations(ctx context.Context, metric string, from, to time.Time, fn func(*saydo.Observation) error) error {
	id, ok, err := s.lookupMetric(ctx, metric)
	if err != nil {
		return fmt.Errorf("scan observations: %w", err)
	}
	if !ok {
		return nil
	}
	lo, hi := timeRange(from, to)
	pooled, err := s.scanPooled(ctx, id, lo, hi)
	if err != nil {
		return fmt.Errorf("scan observations: %w", err)
	}
	// Pre-aggregated rows go in between, in time order.
	emitPooled := func(beforeAt int64, beforeKey uint64, all bool) error {
		for len(pooled) > 0 {
			p := &pooled[0]
			pa := millis(p.At)
			if !all && (pa > beforeAt || (pa == beforeAt && p.Key > beforeKey)) {
				return nil
			}
			p.Metric = metric
			if err := fn(p); err != nil {
				return err
			}
			pooled = pooled[1:]
		}
		return nil
	}
	// The segment's text comes with each row (a join on a small table):
	// a second query per new segment would need a second connection while
	// this one streams, which a busy pool might never hand out.
	rows, err := s.pool.Query(ctx, `SELECT o.at, o.key, o.value, o.segment_id, g.attrs, o.customer, o.source_id
		FROM observations o JOIN segments g ON g.id = o.segment_id
		WHERE o.metric_id = $1 AND o.at >= $2 AND o.at < $3 ORDER BY o.at, o.key`, id, lo, hi)
	if err != nil {
		return fmt.Errorf("scan observations: %w", err)
	}
	defer rows.Close()
	var (
		o        = saydo.Observation{Metric: metric}
		at, key  int64
		seg      int64
		lastSeg  int64 = -1
		canon    string
		value    *float64
		customer *string
		source   *string
	)
	for rows.Next() {
		if err := rows.Scan(&at, &key, &value, &seg, &canon, &customer, &source); err != nil {
			return fmt.Errorf("scan observations: %w", err)
		}
		if seg != lastSeg {
			o.Attrs, lastSeg = s.parsedAttrs(seg, canon), seg
		}
		if len(pooled) > 0 {
			if err := emitPooled(at, uint64(key), false); err != nil {
				return err
			}
		}
		o.Key = uint64(key)
		o.At = fromMillis(at)
		o.Value = math.NaN()
		if value != nil {
			o.Value = *value
		}
		o.Customer, o.SourceID = "", ""
		if customer != nil {
			o.Customer = *customer
		}
		if source != nil {
			o.SourceID = *source
		}
		if err := fn(&o); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan observations: %w", err)
	}
	return emitPooled(0, 0, true)
}

// ObservationSpan returns the first and last observation time of a metric
// and how many observations it has; zero values when it has none.
func (s *Store) ObservationSpan(ctx context.Context, metric string) (first, last time.Time, n int64, err error) {
	id, ok, err := s.lookupMetric(ctx, metric)
	if err != nil || !ok {
		if err != nil {
			err = fmt.Errorf("observation span: %w", err)
		}
		return first, last, 0, err
	}
	var lo, hi *int64
	err = s.pool.QueryRow(ctx, `SELECT
		(SELECT min(at) FROM observations WHERE metric_id = $1),
		(SELECT max(at) FROM observations WHERE metric_id = $1),
		(SELECT n FROM metrics WHERE id = $1)`, id).Scan(&lo, &hi, &n)
	if err != nil {
		return first, last, 0, fmt.Errorf("observation span: %w", err)
	}
	pf, pl, ok, err := s.pooledSpan(ctx, id)
	if err != nil {
		return first, last, 0, fmt.Errorf("observation span: %w", err)
	}
	if lo == nil {
		if ok {
			return pf, pl, n, nil
		}
		return first, last, 0, nil
	}
	first, last = fromMillis(*lo), fromMillis(*hi)
	if ok {
		if pf.Before(first) {
			first = pf
		}
		if pl.After(last) {
			last = pl
		}
	}
	return first, last, n, nil
}

// Metrics lists, by name, every metric that has had observations.
func (s *Store) Metrics(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT name FROM metrics ORDER BY name COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	return out, nil
}

// rekeyPage is how many rows rekeyContent reads at a time.
var rekeyPage = 50000

// rekeyContent gives the stored observations without a source id the keys
// saydo.ObservationKey gives them now (content and occurrence), once,
// while migration 0071's mark is set; it runs in the migrating
// transaction, which clears the mark.
func (s *Store) rekeyContent(ctx context.Context, tx pgx.Tx) error {
	if set, err := takeMark(ctx, tx, "content_rekey"); err != nil || !set {
		return err // or done before
	}
	rows, err := tx.Query(ctx, `SELECT id, name FROM metrics`)
	if err != nil {
		return fmt.Errorf("re-key observations: %w", err)
	}
	metrics := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return fmt.Errorf("re-key observations: %w", err)
		}
		metrics[id] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("re-key observations: %w", err)
	}
	for id, name := range metrics {
		if err := s.rekeyMetric(ctx, tx, id, name); err != nil {
			return fmt.Errorf("re-key observations of %s: %w", name, err)
		}
	}
	return nil
}

// rekeyRow is a stored row being re-keyed.
type rekeyRow struct {
	o   saydo.Observation
	old int64
}

// rekeyMetric re-keys one metric's rows without a source id: its single
// observations a page at a time (migration.TimePages), then its
// pre-aggregated rows.
func (s *Store) rekeyMetric(ctx context.Context, tx pgx.Tx, id int64, metric string) error {
	read := func(query string, args ...any) ([]rekeyRow, error) {
		rows, err := tx.Query(ctx, query, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []rekeyRow
		for rows.Next() {
			var (
				r        = rekeyRow{o: saydo.Observation{Metric: metric, Met: -1, SD: math.NaN()}}
				at       int64
				value    *float64
				customer *string
				met      *int64
				sd       *float64
				seg      int64
				canon    string
			)
			if err := rows.Scan(&at, &r.old, &value, &seg, &canon, &customer, &r.o.Count, &met, &sd); err != nil {
				return nil, err
			}
			r.o.Attrs = s.parsedAttrs(seg, canon)
			r.o.At, r.o.Value = fromMillis(at), math.NaN()
			if value != nil {
				r.o.Value = *value
			}
			if customer != nil {
				r.o.Customer = *customer
			}
			if met != nil {
				r.o.Met = *met
			}
			if sd != nil {
				r.o.SD = *sd
			}
			out = append(out, r)
		}
		return out, rows.Err()
	}
	update := func(page []rekeyRow, query string, occ *saydo.Occurrences) error {
		var b pgx.Batch
		for i := range page {
			r := &page[i]
			b.Queue(query, id, int64(occ.Key(&r.o)), millis(r.o.At), r.old)
		}
		return tx.SendBatch(ctx, &b).Close()
	}
	single := `SELECT at, key, value, segment_id, g.attrs, customer, 0::bigint, NULL::bigint, NULL::double precision
		FROM observations JOIN segments g ON g.id = segment_id WHERE metric_id = $1 AND source_id IS NULL`
	var occ saydo.Occurrences
	err := migration.TimePages(rekeyPage, func(r *rekeyRow) int64 { return millis(r.o.At) },
		func(from int64, limit int) ([]rekeyRow, error) {
			return read(single+` AND at >= $2 ORDER BY at, key LIMIT $3`, id, from, limit)
		},
		func(ms int64) ([]rekeyRow, error) { return read(single+` AND at = $2 ORDER BY key`, id, ms) },
		func(page []rekeyRow) error {
			return update(page, `UPDATE observations SET key = $2 WHERE metric_id = $1 AND at = $3 AND key = $4`, &occ)
		})
	if err != nil {
		return err
	}
	pooled, err := read(`SELECT at, key, mean, segment_id, g.attrs, customer, n, met, sd
		FROM pooled_observations JOIN segments g ON g.id = segment_id
		WHERE metric_id = $1 AND source_id IS NULL ORDER BY at, key`, id)
	if err != nil {
		return err
	}
	var pocc saydo.Occurrences
	return update(pooled, `UPDATE pooled_observations SET key = $2 WHERE metric_id = $1 AND at = $3 AND key = $4`, &pocc)
}
