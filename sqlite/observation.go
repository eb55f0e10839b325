package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/internal/migration"
)

// rowsPerInsert is how many observations one INSERT statement carries; see
// BENCH.md for 50/100/200.
const rowsPerInsert = 100

const msPerDay = 86_400_000

// millis converts a time to the stored Unix milliseconds; sub-millisecond
// precision is dropped.
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

// dayNumber returns the UTC day of t, days since the Unix epoch.
func dayNumber(t time.Time) int64 { return dayOf(t.UnixMilli()) }

// obsTable names the table holding one metric's observations. Each metric
// has its own, clustered by time: an import's rows then append to the end
// of their metric's B-tree, where SQLite splits pages cheaply, instead of
// landing in the middle of one shared tree (three times the work with 20
// metrics interleaved in a file; see BENCH.md).
func obsTable(metricID int64) string { return "obs_" + strconv.FormatInt(metricID, 10) }

// obsTableSQL creates a metric's observations table. at is Unix
// milliseconds (UTC); key is saydo.Observation.Key as a signed 64-bit
// integer.
func obsTableSQL(metricID int64) string {
	return `CREATE TABLE IF NOT EXISTS ` + obsTable(metricID) + ` (
	at         INTEGER NOT NULL,
	key        INTEGER NOT NULL,
	value      REAL,
	segment_id INTEGER NOT NULL,
	customer   TEXT,
	source_id  TEXT,
	PRIMARY KEY (at, key)
) WITHOUT ROWID`
}

// idsTable names the table that says where each of a metric's
// observations with a source id is stored (identity.go).
func idsTable(metricID int64) string { return "ids_" + strconv.FormatInt(metricID, 10) }

// idsTableSQL creates a metric's ids table. It is keyed by the id's own
// text (with its trailing digits counted, idKey, so numbers sort in number
// order), so ids that follow time (numbers, ULIDs, dated references)
// append at the end of the tree; at is where the observation is stored, Unix
// milliseconds; its key is saydo.ObservationKey of the metric and the id.
func idsTableSQL(metricID int64) string {
	return `CREATE TABLE IF NOT EXISTS ` + idsTable(metricID) + ` (
	source_id TEXT NOT NULL PRIMARY KEY,
	at        INTEGER NOT NULL
) WITHOUT ROWID`
}

// insertSQL is the insert of rows observations of a metric. The customer
// and source_id columns are left out of it (stored NULL) when cols says no
// row of the statement has one: each bound value costs the driver more
// than SQLite's own insert of it (see docs/performance.md).
func insertSQL(metricID int64, rows int, cols obsCols) string {
	var b strings.Builder
	b.WriteString("INSERT OR IGNORE INTO " + obsTable(metricID) + " (at, key, value, segment_id")
	row := "(?,?,?,?"
	if cols.customer {
		b.WriteString(", customer")
		row += ",?"
	}
	if cols.source {
		b.WriteString(", source_id")
		row += ",?"
	}
	row += ")"
	b.WriteString(") VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}

// obsCols says which optional columns an insert statement binds.
type obsCols struct{ customer, source bool }

// n is how many values a row of the statement binds.
func (c obsCols) n() int {
	n := 4
	if c.customer {
		n++
	}
	if c.source {
		n++
	}
	return n
}

// BeginObservations starts an import transaction on the writer connection.
// The transaction takes the write lock at once (BEGIN IMMEDIATE). It holds
// the connection itself rather than a *sql.Tx so that Insert can execute
// its prepared statements on the driver directly, without database/sql's
// per-argument conversion (see BENCH.md).
func (s *Store) BeginObservations(ctx context.Context) (saydo.ObservationTx, error) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin observations: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		conn.Close()
		return nil, fmt.Errorf("begin observations: %w", err)
	}
	return &observationTx{
		s:        s,
		ctx:      ctx,
		conn:     conn,
		metrics:  map[string]int64{},
		segments: map[string]int64{},
		marked:   map[[2]int64]bool{},
		counts:   map[int64]int64{},
	}, nil
}

type observationTx struct {
	s    *Store
	ctx  context.Context
	conn *sql.Conn // in a transaction begun with BEGIN IMMEDIATE
	args []driver.NamedValue
	buf  []byte

	// ids known to this transaction; newMetrics and newSegments were created
	// by it and reach the store's caches only on Commit.
	metrics     map[string]int64
	segments    map[string]int64
	newMetrics  map[string]int64
	newSegments map[string]int64
	lastMetric  string
	lastID      int64

	fresh  []bool             // InsertNew's out flags, nil for Insert
	byRef  map[attrsRef]int64 // segment ids of shared attribute slices
	seq    int64              // this transaction's dirty mark, 0 until needed
	marked map[[2]int64]bool  // (metric, day) already marked with seq
	counts map[int64]int64    // rows inserted per metric, not yet added to metrics.n
	days   map[[2]int64]bool  // scratch: days touched by one statement
	mids   []int64            // scratch: metric id per row of a batch
	order  []int32            // scratch: row indexes grouped by metric
	done   bool

	replaced   int       // stored observations replaced (identity.go)
	ids        idScratch // identities' scratch space, reused batch to batch
	sqlStmts   map[string]*sql.Stmt
	summaryIDs map[string]bool // ids MergeSummaries registered in this transaction
	sub        []saydo.Observation
	subFresh   []bool
}

// stmtKey names a statement prepared on the driver connection: an insert
// of rows rows into a metric's observations or ids table.
type stmtKey struct {
	ids  bool // ids_N rather than obs_N
	mid  int64
	rows int
	cols obsCols // obs_N: the optional columns bound
}

// exec runs the multi-row insert of len(t.args)/cols.n() rows of metric
// mid on the driver connection and returns how many rows it inserted.
func (t *observationTx) exec(mid int64, cols obsCols) (n int64, err error) {
	rows := len(t.args) / cols.n()
	return t.execRaw(stmtKey{mid: mid, rows: rows, cols: cols}, func() string { return insertSQL(mid, rows, cols) }, t.args)
}

// execRaw runs the statement k (its text from query the first time) with
// args on the driver connection and returns how many rows it changed.
func (t *observationTx) execRaw(k stmtKey, query func() string, args []driver.NamedValue) (n int64, err error) {
	// The statements run under a context that is never done: given a
	// cancellable one, the driver starts a watcher goroutine and a progress
	// handler for every statement (about a third of the insert rate, see
	// BENCH.md). A statement takes well under a millisecond, so checking
	// the context between statements cancels as promptly.
	if err := t.ctx.Err(); err != nil {
		return 0, err
	}
	bg := context.Background()
	err = t.conn.Raw(func(dc any) error {
		st, err := t.s.raw.get(dc, k, query)
		if err != nil {
			return err
		}
		ex, ok := st.(driver.StmtExecContext)
		if !ok {
			return errors.New("driver cannot execute with a context")
		}
		res, err := ex.ExecContext(bg, args)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// maxRawStmts bounds the statements kept: a few sizes of two inserts per
// metric (see stmtRows).
const maxRawStmts = 1024

// rawStmts keeps the import's insert statements prepared on the writer's
// driver connection across transactions: an import commits every batch,
// and preparing a 500-row statement again for each cost about 5% of it.
// SQLite re-prepares a kept statement by itself after a schema change.
type rawStmts struct {
	mu    sync.Mutex
	conn  any // the driver connection they were prepared on
	stmts map[stmtKey]driver.Stmt
}

// get returns statement k prepared on the driver connection dc.
func (r *rawStmts) get(dc any, k stmtKey, query func() string) (driver.Stmt, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.conn != dc {
		// A new connection (the last one was discarded): the statements
		// went with it.
		r.conn, r.stmts = dc, map[stmtKey]driver.Stmt{}
	}
	if st, ok := r.stmts[k]; ok {
		return st, nil
	}
	if len(r.stmts) >= maxRawStmts {
		for _, st := range r.stmts {
			st.Close()
		}
		clear(r.stmts)
	}
	p, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return nil, errors.New("driver cannot prepare with a context")
	}
	st, err := p.PrepareContext(context.Background(), query())
	if err != nil {
		return nil, err
	}
	r.stmts[k] = st
	return st, nil
}

// close finalizes the statements on the writer pool's connection, before
// the pool is closed (a connection closed with statements open is not
// checkpointed).
func (r *rawStmts) close(w *sql.DB) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.stmts) == 0 {
		return nil
	}
	conn, err := w.Conn(context.Background())
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		if dc == r.conn {
			for _, st := range r.stmts {
				st.Close()
			}
		}
		r.conn, r.stmts = nil, nil
		return nil
	})
}

// stmtRows is how many of n remaining rows the next statement of at most
// full rows takes: full, or the largest power of two up to n, so a few
// statement sizes serve every batch and stay prepared.
func stmtRows(n, full int) int {
	if n >= full {
		return full
	}
	return 1 << (bits.Len(uint(n)) - 1)
}

// metricID returns the id of a metric, creating it inside the transaction.
func (t *observationTx) metricID(name string) (int64, error) {
	if name == t.lastMetric && t.lastID != 0 {
		return t.lastID, nil
	}
	id, ok := t.metrics[name]
	if !ok {
		t.s.mu.Lock()
		id, ok = t.s.metrics[name]
		t.s.mu.Unlock()
	}
	if !ok {
		if name == "" {
			return 0, errors.New("observation without a metric")
		}
		err := t.conn.QueryRowContext(t.ctx, `SELECT id FROM metrics WHERE name = ?`, name).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res, err := t.conn.ExecContext(t.ctx, `INSERT INTO metrics (name) VALUES (?)`, name)
			if err != nil {
				return 0, err
			}
			if id, err = res.LastInsertId(); err != nil {
				return 0, err
			}
			// The metric's tables are created with it, in this transaction.
			if _, err := t.conn.ExecContext(t.ctx, obsTableSQL(id)); err != nil {
				return 0, err
			}
			if _, err := t.conn.ExecContext(t.ctx, idsTableSQL(id)); err != nil {
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
	t.lastMetric, t.lastID = name, id
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
	// Importers share one slice among rows with the same attributes: know
	// it by its address before reading its strings, which may be cold in
	// this core's cache.
	var ref attrsRef
	if len(a) > 0 {
		ref = attrsRef{&a[0], len(a)}
		if id, ok := t.byRef[ref]; ok {
			return id, nil
		}
	}
	id, err := t.segmentIDByText(a)
	if err == nil && ref.first != nil && len(t.byRef) < maxRefs {
		if t.byRef == nil {
			t.byRef = map[attrsRef]int64{}
		}
		t.byRef[ref] = id
	}
	return id, err
}

// attrsRef identifies an attribute slice by its first element's address
// and its length. The transaction's map keeps the slice alive, so the
// address cannot be reused for other attributes while it is a key.
type attrsRef struct {
	first *saydo.Attr
	n     int
}

// maxRefs caps the per-transaction identity map: rows whose attributes
// are not shared would otherwise add one entry each.
const maxRefs = 4096

func (t *observationTx) segmentIDByText(a saydo.Attrs) (int64, error) {
	t.buf = appendCanonical(t.buf[:0], a)
	if id, ok := t.segments[string(t.buf)]; ok {
		return id, nil
	}
	key := string(t.buf)
	t.s.mu.Lock()
	id, ok := t.s.segments[key]
	t.s.mu.Unlock()
	if !ok {
		err := t.conn.QueryRowContext(t.ctx, `SELECT id FROM segments WHERE attrs = ?`, key).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res, err := t.conn.ExecContext(t.ctx, `INSERT INTO segments (attrs) VALUES (?)`, key)
			if err != nil {
				return 0, err
			}
			if id, err = res.LastInsertId(); err != nil {
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

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullFloat(v float64) any {
	if math.IsNaN(v) {
		return nil
	}
	return v
}

// Insert adds a batch. Rows are grouped by metric (keeping their order
// within a metric) and sent rowsPerInsert to a statement, so each
// statement's RowsAffected counts one metric's new rows; the days of
// statements that inserted anything are marked dirty.
func (t *observationTx) Insert(batch []saydo.Observation) (int, error) {
	return t.InsertNew(batch, nil)
}

// InsertNew is Insert that reports in fresh the rows of every statement
// that inserted all its rows; those rows' days are left for the caller to
// summarise with MergeSummaries. A statement that inserted some but not
// all of its rows cannot say which, so its days are marked dirty.
func (t *observationTx) InsertNew(batch []saydo.Observation, fresh []bool) (int, error) {
	if t.done {
		return 0, errors.New("insert observations: transaction is closed")
	}
	if fresh != nil && len(fresh) != len(batch) {
		return 0, fmt.Errorf("insert observations: %d fresh flags for %d rows", len(fresh), len(batch))
	}
	// Rows with ids and pre-aggregated rows are settled first; the rest
	// take the bulk path.
	rest, inserted, err := t.identities(batch)
	if err == nil {
		if rest == nil {
			t.fresh = fresh
			var n int
			n, err = t.insert(batch)
			inserted += n
		} else {
			t.sub = t.sub[:0]
			for _, i := range rest {
				t.sub = append(t.sub, batch[i])
			}
			if fresh != nil {
				t.subFresh = append(t.subFresh[:0], make([]bool, len(rest))...)
				t.fresh = t.subFresh
			}
			var n int
			n, err = t.insert(t.sub)
			inserted += n
			if fresh != nil {
				for j, i := range rest {
					fresh[i] = t.subFresh[j]
				}
			}
			clear(t.sub) // drop references to the batch's strings
		}
	}
	t.fresh = nil
	if err == nil {
		err = t.flushCounts()
	}
	if err != nil {
		return inserted, fmt.Errorf("insert observations: %w", err)
	}
	return inserted, nil
}

func (t *observationTx) insert(batch []saydo.Observation) (int, error) {
	if len(batch) == 0 {
		return 0, nil
	}
	mids := t.mids[:0]
	mixed := false
	for i := range batch {
		id, err := t.metricID(batch[i].Metric)
		if err != nil {
			return 0, err
		}
		mids = append(mids, id)
		if id != mids[0] {
			mixed = true
		}
	}
	t.mids = mids
	inserted := 0
	if !mixed {
		for off := 0; off < len(batch); {
			end := off + stmtRows(len(batch)-off, rowsPerInsert)
			n, err := t.insertRows(mids[0], batch, nil, off, end)
			off = end
			inserted += n
			if err != nil {
				return inserted, err
			}
		}
		return inserted, nil
	}
	// Group row indexes by metric, metrics in order of first appearance.
	order := t.order[:0]
	var seen []int64
	for _, id := range mids {
		if !containsID(seen, id) {
			seen = append(seen, id)
		}
	}
	for _, id := range seen {
		startIdx := len(order)
		for i, m := range mids {
			if m == id {
				order = append(order, int32(i))
			}
		}
		for off := startIdx; off < len(order); {
			end := off + stmtRows(len(order)-off, rowsPerInsert)
			n, err := t.insertRows(id, batch, order, off, end)
			off = end
			inserted += n
			if err != nil {
				t.order = order
				return inserted, err
			}
		}
	}
	t.order = order
	return inserted, nil
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// insertRows inserts rows off..end of batch (of order, when not nil), all
// of metric mid, in one statement.
func (t *observationTx) insertRows(mid int64, batch []saydo.Observation, order []int32, off, end int) (int, error) {
	if t.days == nil {
		t.days = map[[2]int64]bool{}
	}
	clear(t.days)
	lastDay := int64(math.MinInt64)
	args := t.args[:0]
	add := func(v any) {
		args = append(args, driver.NamedValue{Ordinal: len(args) + 1, Value: v})
	}
	var cols obsCols
	for j := off; j < end; j++ {
		i := j
		if order != nil {
			i = int(order[j])
		}
		cols.customer = cols.customer || batch[i].Customer != ""
		cols.source = cols.source || batch[i].SourceID != ""
	}
	for j := off; j < end; j++ {
		i := j
		if order != nil {
			i = int(order[j])
		}
		o := &batch[i]
		sid, err := t.segmentID(o.Attrs)
		if err != nil {
			return 0, err
		}
		at := millis(o.At)
		if d := dayOf(at); d != lastDay {
			lastDay = d
			t.days[[2]int64{mid, d}] = true
		}
		add(at)
		add(int64(o.Key))
		add(nullFloat(o.Value))
		add(sid)
		if cols.customer {
			add(nullString(o.Customer))
		}
		if cols.source {
			add(nullString(o.SourceID))
		}
	}
	t.args = args
	n, err := t.exec(mid, cols)
	clear(args) // drop references to the batch's strings
	if err != nil || n == 0 {
		return 0, err
	}
	t.counts[mid] += n
	if t.fresh != nil && int(n) == end-off {
		// Every row is new: the caller summarises them.
		for j := off; j < end; j++ {
			i := j
			if order != nil {
				i = int(order[j])
			}
			t.fresh[i] = true
		}
		return int(n), nil
	}
	if err := t.markDays(); err != nil {
		return int(n), err
	}
	return int(n), nil
}

func (t *observationTx) markDays() error {
	for k := range t.days {
		if t.marked[k] {
			continue
		}
		if t.seq == 0 {
			err := t.conn.QueryRowContext(t.ctx, `UPDATE counters SET value = value + 1 WHERE name = 'dirty' RETURNING value`).Scan(&t.seq)
			if err != nil {
				return fmt.Errorf("next dirty mark: %w", err)
			}
		}
		_, err := t.conn.ExecContext(t.ctx, `INSERT INTO dirty (metric_id, day, seq) VALUES (?, ?, ?)
			ON CONFLICT (metric_id, day) DO UPDATE SET seq = excluded.seq`, k[0], k[1], t.seq)
		if err != nil {
			return fmt.Errorf("mark dirty: %w", err)
		}
		t.marked[k] = true
	}
	return nil
}

// flushCounts adds the inserted counts to metrics.n.
func (t *observationTx) flushCounts() error {
	for id, n := range t.counts {
		var err error
		if n > 0 {
			_, err = t.conn.ExecContext(t.ctx, `UPDATE metrics SET n = n + ? WHERE id = ?`, n, id)
		}
		if err != nil {
			return fmt.Errorf("count observations: %w", err)
		}
	}
	clear(t.counts)
	return nil
}

// finish ends the transaction with COMMIT or ROLLBACK and returns the
// connection to the pool; a connection whose transaction could not be
// ended is discarded rather than reused.
func (t *observationTx) finish(stmt string) error {
	t.done = true
	ctx := context.WithoutCancel(t.ctx)
	for _, st := range t.sqlStmts {
		st.Close()
	}
	_, err := t.conn.ExecContext(ctx, stmt)
	if err != nil && stmt == "COMMIT" {
		if _, rerr := t.conn.ExecContext(ctx, "ROLLBACK"); rerr == nil {
			t.conn.Close()
			return err
		}
	}
	if err != nil {
		t.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	t.conn.Close()
	return err
}

// Commit makes the transaction's observations and dirty days visible and
// durable.
func (t *observationTx) Commit() error {
	if t.done {
		return errors.New("commit observations: transaction is closed")
	}
	if err := t.finish("COMMIT"); err != nil {
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
	if err := t.finish("ROLLBACK"); err != nil {
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
	err = s.r.QueryRowContext(ctx, `SELECT id FROM metrics WHERE name = ?`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	s.cacheMetric(name, id)
	return id, true, nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// segmentAttrs returns the attributes of a segment, reading a cache miss
// through q. The slice is shared: callers must not modify it.
func (s *Store) segmentAttrs(ctx context.Context, q queryRower, id int64) (saydo.Attrs, error) {
	s.mu.Lock()
	a, ok := s.attrs[id]
	s.mu.Unlock()
	if ok {
		return a, nil
	}
	var canon string
	if err := q.QueryRowContext(ctx, `SELECT attrs FROM segments WHERE id = ?`, id).Scan(&canon); err != nil {
		return nil, fmt.Errorf("segment %d: %w", id, err)
	}
	a = saydo.ParseAttrs(canon)
	s.mu.Lock()
	if len(s.attrs) >= segmentCacheLimit {
		clear(s.attrs)
	}
	s.attrs[id] = a
	s.mu.Unlock()
	return a, nil
}

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
	// Segment lookups go through the scan's own connection: taking a
	// second one from the pool while holding the first could wait forever
	// when every connection is held by a scan.
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return fmt.Errorf("scan observations: %w", err)
	}
	defer conn.Close()
	pooled, err := s.scanPooled(ctx, conn, id, lo, hi)
	if err != nil {
		return fmt.Errorf("scan observations: %w", err)
	}
	rows, err := conn.QueryContext(ctx, `SELECT at, key, value, segment_id, customer, source_id
		FROM `+obsTable(id)+` WHERE at >= ? AND at < ? ORDER BY at, key`, lo, hi)
	if err != nil {
		return fmt.Errorf("scan observations: %w", err)
	}
	defer rows.Close()
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
	var (
		o        = saydo.Observation{Metric: metric}
		at, key  int64
		seg      int64
		lastSeg  int64 = -1
		value    sql.NullFloat64
		customer sql.NullString
		source   sql.NullString
	)
	for rows.Next() {
		if err := rows.Scan(&at, &key, &value, &seg, &customer, &source); err != nil {
			return fmt.Errorf("scan observations: %w", err)
		}
		if seg != lastSeg {
			a, err := s.segmentAttrs(ctx, conn, seg)
			if err != nil {
				return fmt.Errorf("scan observations: %w", err)
			}
			o.Attrs, lastSeg = a, seg
		}
		if len(pooled) > 0 {
			if err := emitPooled(at, uint64(key), false); err != nil {
				return err
			}
		}
		o.Key = uint64(key)
		o.At = fromMillis(at)
		o.Value = math.NaN()
		if value.Valid {
			o.Value = value.Float64
		}
		o.Customer = customer.String
		o.SourceID = source.String
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
	var lo, hi sql.NullInt64
	err = s.r.QueryRowContext(ctx, `SELECT
		(SELECT MIN(at) FROM `+obsTable(id)+`),
		(SELECT MAX(at) FROM `+obsTable(id)+`),
		(SELECT n FROM metrics WHERE id = ?1)`, id).Scan(&lo, &hi, &n)
	if err != nil {
		return first, last, 0, fmt.Errorf("observation span: %w", err)
	}
	pf, pl, ok, err := s.pooledSpan(ctx, id)
	if err != nil {
		return first, last, 0, fmt.Errorf("observation span: %w", err)
	}
	if !lo.Valid {
		if ok {
			return pf, pl, n, nil
		}
		return first, last, 0, nil
	}
	first, last = fromMillis(lo.Int64), fromMillis(hi.Int64)
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
	rows, err := s.r.QueryContext(ctx, `SELECT name FROM metrics ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("metrics: %w", err)
		}
		out = append(out, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	return out, nil
}

// rekeyPage is how many rows rekeyContent reads at a time.
var rekeyPage = 50000

// rekeyContent gives the stored observations without a source id the keys
// saydo.ObservationKey gives them now (content and occurrence), once,
// while migration 0071's mark is set, in one transaction that clears it.
func (s *Store) rekeyContent(ctx context.Context, conn *sql.Conn) error {
	return onceMarked(ctx, conn, "content_rekey", "re-key observations", func(tx *sql.Tx) error {
		metrics, err := metricNames(ctx, tx)
		if err != nil {
			return err
		}
		for id, name := range metrics {
			if err := s.rekeyMetric(ctx, tx, id, name); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		return nil
	})
}

// metricNames maps every metric's id to its name.
func metricNames(ctx context.Context, tx *sql.Tx) (map[int64]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM metrics`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// rekeyRow is a stored row being re-keyed.
type rekeyRow struct {
	o   saydo.Observation
	old int64
	seg int64
}

// rekeyMetric re-keys one metric's rows without a source id: its single
// observations a page at a time (migration.TimePages), then its
// pre-aggregated rows.
func (s *Store) rekeyMetric(ctx context.Context, tx *sql.Tx, id int64, metric string) error {
	read := func(query string, args ...any) ([]rekeyRow, error) {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []rekeyRow
		for rows.Next() {
			var (
				r        = rekeyRow{o: saydo.Observation{Metric: metric, Met: -1, SD: math.NaN()}}
				at       int64
				value    sql.NullFloat64
				customer sql.NullString
				met      sql.NullInt64
				sd       sql.NullFloat64
			)
			if err := rows.Scan(&at, &r.old, &value, &r.seg, &customer, &r.o.Count, &met, &sd); err != nil {
				return nil, err
			}
			r.o.At, r.o.Value, r.o.Customer = fromMillis(at), math.NaN(), customer.String
			if value.Valid {
				r.o.Value = value.Float64
			}
			if met.Valid {
				r.o.Met = met.Int64
			}
			if sd.Valid {
				r.o.SD = sd.Float64
			}
			out = append(out, r)
		}
		return out, rows.Err()
	}
	update := func(page []rekeyRow, query string, occ *saydo.Occurrences) error {
		stmt, err := tx.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := range page {
			r := &page[i]
			if r.o.Attrs, err = s.segmentAttrs(ctx, tx, r.seg); err != nil {
				return err
			}
			if _, err := stmt.ExecContext(ctx, int64(occ.Key(&r.o)), millis(r.o.At), r.old); err != nil {
				return err
			}
		}
		return nil
	}
	single := `SELECT at, key, value, segment_id, customer, 0, NULL, NULL FROM ` + obsTable(id) + ` WHERE source_id IS NULL`
	var occ saydo.Occurrences
	err := migration.TimePages(rekeyPage, func(r *rekeyRow) int64 { return millis(r.o.At) },
		func(from int64, limit int) ([]rekeyRow, error) {
			return read(single+` AND at >= ? ORDER BY at, key LIMIT ?`, from, limit)
		},
		func(ms int64) ([]rekeyRow, error) { return read(single+` AND at = ? ORDER BY key`, ms) },
		func(page []rekeyRow) error {
			return update(page, `UPDATE `+obsTable(id)+` SET key = ? WHERE at = ? AND key = ?`, &occ)
		})
	if err != nil {
		return err
	}
	pooled, err := read(`SELECT at, key, mean, segment_id, customer, n, met, sd FROM pooled_observations
		WHERE metric_id = ? AND source_id IS NULL ORDER BY at, key`, id)
	if err != nil {
		return err
	}
	var pocc saydo.Occurrences
	return update(pooled, `UPDATE pooled_observations SET key = ? WHERE metric_id = `+strconv.FormatInt(id, 10)+` AND at = ? AND key = ?`, &pocc)
}
