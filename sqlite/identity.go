package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/saydo/saydo"
)

// Ids are identities (SPEC "Trustworthy verdicts"): an observation with a
// source id is one observation of its metric, wherever it is stored in
// time. Each metric's ids_N table says where each of its ids is stored,
// keyed by the id's own text (migration 0023; numbers in number order,
// idKey, migration 0024), so ids imported together are stored together:
// ids that follow time (auto-increment numbers,
// ticket numbers, ULIDs, UUIDv7, dated references) append at the end of
// the tree, as the observations do, and a file the importer sorted by time
// feeds them in that order too. Random ids (UUIDv4) still land all over
// the tree. A row whose id is stored with the same time and value is a
// duplicate, and one with another time or value replaces the stored
// observation. Pre-aggregated rows live in pooled_observations, keyed by
// identity alone.
//
// identities runs before the bulk insert. It records the batch's ids
// first, with INSERT OR IGNORE in chunks: a chunk whose every id was new
// (a first import) needs nothing more, so a new id costs one B-tree insert
// and no lookup. Only a chunk with an id already stored is looked up, to
// settle its duplicates and corrections. It returns the indexes of the
// rows left for the bulk insert (nil when it is all of them). Rows it
// settled are excluded from fresh; their days are marked dirty, so
// summaries follow at the next refresh.

// idChunk is how many ids one insert or lookup of an ids table takes.
const idChunk = 512

// idScratch is identities' scratch space, kept across batches.
type idScratch struct {
	mids    []int64 // metric of each row
	rows    []int32 // rows with an identity, by metric and id
	settled []bool  // rows identities stored or dropped itself
	// carried counts, for the last row of an identity, the rows it
	// superseded that said something else (counted replaced unless the
	// last row is a duplicate: saydo.LastOfIdentities)
	carried []int
	args    []driver.NamedValue
	keyBuf  []byte // recordIDs' keys, written end to end
	keyEnds []int  // where each key ends in keyBuf
}

// identities settles the special rows of batch; rest lists the indexes of
// the rows for the bulk insert, nil meaning every row.
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
	carried := append(sc.carried[:0], make([]int, len(batch))...)
	sc.carried = carried
	anySettled := false
	// By metric, then by id (the key for pre-aggregated rows without one),
	// then by position: the rows of one identity are then neighbours, and
	// the ids are recorded in the order of their tree. Each metric's ids
	// usually come in order already (they follow time), and then nothing
	// is sorted.
	groupByMetric(rows, mids)
	for lo := 0; lo < len(rows); {
		mid := mids[rows[lo]]
		hi := lo + 1
		for hi < len(rows) && mids[rows[hi]] == mid {
			hi++
		}
		part := rows[lo:hi]
		if !slices.IsSortedFunc(part, func(x, y int32) int { return compareIdentity(batch, x, y) }) {
			slices.SortFunc(part, func(x, y int32) int { return compareIdentity(batch, x, y) })
		}
		last, replaced := saydo.LastOfIdentities(batch, part, func(i, last int32, differs bool) {
			settled[i], anySettled = true, true
			if differs {
				carried[last]++
			}
		})
		t.replaced += replaced
		keep := last[:0]
		for _, i := range last {
			o := &batch[i]
			if o.Count > 0 {
				n, err := t.putPooled(mid, o, carried[i])
				if err != nil {
					return nil, inserted, err
				}
				inserted += n
				settled[i], anySettled = true, true
				continue
			}
			keep = append(keep, i)
		}
		for c := 0; c < len(keep); {
			chunk := keep[c : c+stmtRows(len(keep)-c, idChunk)]
			c += len(chunk)
			some, err := t.recordIDs(batch, mid, chunk)
			if err != nil {
				return nil, inserted, err
			}
			anySettled = anySettled || some
		}
		lo = hi
	}
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

// groupByMetric reorders rows (indexes into mids) so that the rows of each
// metric are together, metrics in order of first appearance, rows of a
// metric in their order.
func groupByMetric(rows []int32, mids []int64) {
	first := mids[rows[0]]
	mixed := false
	for _, i := range rows {
		if mids[i] != first {
			mixed = true
			break
		}
	}
	if !mixed {
		return
	}
	var seen []int64
	for _, i := range rows {
		if !containsID(seen, mids[i]) {
			seen = append(seen, mids[i])
		}
	}
	out := make([]int32, 0, len(rows))
	for _, m := range seen {
		for _, i := range rows {
			if mids[i] == m {
				out = append(out, i)
			}
		}
	}
	copy(rows, out)
}

// compareIdentity orders two rows of one metric by id, then key (which
// tells apart pre-aggregated rows without an id), then position.
func compareIdentity(batch []saydo.Observation, x, y int32) int {
	a, b := &batch[x], &batch[y]
	if c := strings.Compare(a.SourceID, b.SourceID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Key, b.Key); c != 0 {
		return c
	}
	return cmp.Compare(x, y)
}

// recordIDs records where the rows chunk of batch (single rows with ids,
// all of metric mid, in id order) will be stored. When an id was stored
// already, the chunk is looked up and each such row settled: a duplicate,
// or a correction that replaces the stored row.
func (t *observationTx) recordIDs(batch []saydo.Observation, mid int64, chunk []int32) (settledAny bool, err error) {
	sc := &t.ids
	// The chunk's keys are written into one buffer and made one string,
	// which each row's key is a slice of: one allocation per chunk instead
	// of one per id.
	buf, ends := sc.keyBuf[:0], sc.keyEnds[:0]
	for _, i := range chunk {
		buf = appendIDKey(buf, batch[i].SourceID)
		ends = append(ends, len(buf))
	}
	keys := string(buf)
	sc.keyBuf, sc.keyEnds = buf, ends
	args := sc.args[:0]
	start := 0
	for j, i := range chunk {
		args = append(args, driver.NamedValue{Ordinal: len(args) + 1, Value: keys[start:ends[j]]},
			driver.NamedValue{Ordinal: len(args) + 2, Value: millis(batch[i].At)})
		start = ends[j]
	}
	sc.args = args
	n := len(chunk)
	added, err := t.execRaw(stmtKey{ids: true, mid: mid, rows: n}, func() string {
		return `INSERT OR IGNORE INTO ` + idsTable(mid) + ` (source_id, at) VALUES (?,?)` + strings.Repeat(",(?,?)", n-1)
	}, args)
	clear(args) // drop references to the batch's strings
	if err != nil {
		return false, fmt.Errorf("record ids: %w", err)
	}
	if int(added) == n {
		return false, nil // every id is new
	}
	return t.settleIDs(batch, mid, chunk)
}

// storedRow is an observation found where its id says it is stored.
type storedRow struct {
	value float64
}

// settleIDs looks up the ids of chunk (recorded, some of them before this
// batch) and the observations they point to, in one query, and settles
// each row whose observation is stored: a duplicate (the same time and
// value) is dropped, a correction replaces the stored row. The others are
// left to the bulk insert, with their id pointing at their time.
func (t *observationTx) settleIDs(batch []saydo.Observation, mid int64, chunk []int32) (settledAny bool, err error) {
	if err := t.ctx.Err(); err != nil {
		return false, err
	}
	args := make([]any, 0, 3*len(chunk))
	for j, i := range chunk {
		args = append(args, j, idKey(batch[i].SourceID), int64(batch[i].Key))
	}
	q, err := t.prepared(`WITH u(n, s, k) AS (VALUES (?,?,?)` + strings.Repeat(",(?,?,?)", len(chunk)-1) + `)
		SELECT u.n, i.at, o.at IS NOT NULL, o.value FROM u
		JOIN ` + idsTable(mid) + ` i ON i.source_id = u.s
		LEFT JOIN ` + obsTable(mid) + ` o ON o.at = i.at AND o.key = u.k`)
	if err != nil {
		return false, fmt.Errorf("look up ids: %w", err)
	}
	// Under a context that is never done, as the inserts (execRaw): the
	// query is bounded by the chunk, and the caller's was checked above.
	rows, err := q.QueryContext(context.WithoutCancel(t.ctx), args...)
	if err != nil {
		return false, fmt.Errorf("look up ids: %w", err)
	}
	type recorded struct {
		at    int64
		found bool
		row   storedRow
		seen  bool
	}
	got := make([]recorded, len(chunk))
	for rows.Next() {
		var (
			n, at int64
			found bool
			v     sql.NullFloat64
		)
		if err := rows.Scan(&n, &at, &found, &v); err != nil {
			rows.Close()
			return false, fmt.Errorf("look up ids: %w", err)
		}
		if n < 0 || int(n) >= len(got) {
			rows.Close()
			return false, fmt.Errorf("look up ids: row %d of %d", n, len(got))
		}
		r := recorded{at: at, found: found, row: storedRow{value: math.NaN()}, seen: true}
		if v.Valid {
			r.row.value = v.Float64
		}
		got[n] = r
	}
	if err := rows.Close(); err != nil {
		return false, fmt.Errorf("look up ids: %w", err)
	}
	for j, i := range chunk {
		o := &batch[i]
		r := got[j]
		if !r.seen {
			return false, fmt.Errorf("look up ids: id %q of metric %d is not recorded", o.SourceID, mid)
		}
		settled, err := t.settleID(mid, o, t.ids.carried[i], r.at, r.row, r.found)
		if err != nil {
			return false, err
		}
		t.ids.settled[i] = settled
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
func (t *observationTx) settleID(mid int64, o *saydo.Observation, carried int, at int64, r storedRow, found bool) (bool, error) {
	key := int64(o.Key)
	newAt := millis(o.At)
	if !found {
		if at != newAt {
			if _, err := t.conn.ExecContext(t.ctx, `UPDATE `+idsTable(mid)+` SET at = ? WHERE source_id = ?`, newAt, idKey(o.SourceID)); err != nil {
				return false, fmt.Errorf("record id: %w", err)
			}
		}
		return false, nil
	}
	if at == newAt && saydo.SameValue(r.value, o.Value) {
		t.replaced -= carried // the rows it superseded changed nothing either
		return true, nil      // a duplicate
	}
	sid, err := t.segmentID(o.Attrs)
	if err != nil {
		return false, err
	}
	table := obsTable(mid)
	if _, err := t.conn.ExecContext(t.ctx, `DELETE FROM `+table+` WHERE at = ? AND key = ?`, at, key); err != nil {
		return false, fmt.Errorf("replace observation: %w", err)
	}
	if _, err := t.conn.ExecContext(t.ctx, `INSERT INTO `+table+` (at, key, value, segment_id, customer, source_id) VALUES (?, ?, ?, ?, ?, ?)`,
		newAt, key, nullFloat(o.Value), sid, nullString(o.Customer), nullString(o.SourceID)); err != nil {
		return false, fmt.Errorf("replace observation: %w", err)
	}
	if at != newAt {
		if _, err := t.conn.ExecContext(t.ctx, `UPDATE `+idsTable(mid)+` SET at = ? WHERE source_id = ?`, newAt, idKey(o.SourceID)); err != nil {
			return false, fmt.Errorf("replace observation: %w", err)
		}
	}
	t.replaced++
	return true, t.markDirty(mid, dayOf(at), dayOf(newAt))
}

// putPooled stores a pre-aggregated row: new (1), a duplicate (0), or a
// correction replacing the stored row with its key (0, counted as
// replaced). Its days are marked for new summaries.
func (t *observationTx) putPooled(mid int64, o *saydo.Observation, carried int) (int, error) {
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

// moveIdentities moves the ids recorded by migration 0022 (one table for
// every metric, keyed by a hash of the id; renamed by 0023) into each
// metric's ids table, taking each id's text from the observation it points
// to, and drops the old table, in one transaction. It does nothing when
// there is nothing to move.
func moveIdentities(ctx context.Context, conn *sql.Conn) error {
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'observation_ids_0022'`).Scan(&n); err != nil {
		return fmt.Errorf("move ids: %w", err)
	}
	if n == 0 {
		return nil
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("move ids: %w", err)
	}
	defer tx.Rollback()
	ids, err := metricIDs(ctx, tx)
	if err != nil {
		return fmt.Errorf("move ids: %w", err)
	}
	for _, id := range ids {
		// An entry whose observation is gone is dropped: the next row with
		// its id is stored anew, as before.
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO `+idsTable(id)+` (source_id, at)
			SELECT `+idKeySQL("o.source_id")+`, i.at FROM observation_ids_0022 i JOIN `+obsTable(id)+` o ON o.at = i.at AND o.key = i.key
			WHERE i.metric_id = ? AND o.source_id IS NOT NULL ORDER BY 1`, id); err != nil {
			return fmt.Errorf("move ids: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE observation_ids_0022`); err != nil {
		return fmt.Errorf("move ids: %w", err)
	}
	return tx.Commit()
}

// idKey is the key of an id in its metric's ids table: the id itself,
// except that a run of trailing digits (1 to 94 of them) is prefixed by
// "\x01" and a byte that counts them, so that ids numbered without
// padding sort in number order: "obs-9" < "obs-10" < "obs-100000", where
// their text sorts "obs-10" < "obs-100000" < "obs-9". A file's numbered
// ids then append at the end of the tree instead of landing all over it
// (about half the cost of recording them; migration 0024). Distinct ids
// have distinct keys: no id holds "\x01" (saydo.CheckAttr refuses control
// characters), so a key with one is an encoded id, decoded by its count.
// idKeySQL computes the same key in SQL.
func idKey(id string) string {
	n := trailingDigits(id)
	if n == 0 {
		return id
	}
	return string(appendIDKey(make([]byte, 0, len(id)+2), id))
}

// appendIDKey appends idKey(id) to b.
func appendIDKey(b []byte, id string) []byte {
	n := trailingDigits(id)
	if n == 0 {
		return append(b, id...)
	}
	p := len(id) - n
	b = append(b, id[:p]...)
	b = append(b, 0x01, byte(' '+n))
	return append(b, id[p:]...)
}

// trailingDigits returns how many digits end id, 0 when they are none or
// more than maxKeyDigits.
func trailingDigits(id string) int {
	n := len(id)
	for n > 0 && id[n-1] >= '0' && id[n-1] <= '9' {
		n--
	}
	if d := len(id) - n; d <= maxKeyDigits {
		return d
	}
	return 0
}

// maxKeyDigits is the longest run of trailing digits idKey counts, in
// one byte from ' '+1 to '~'.
const maxKeyDigits = '~' - ' '

// idKeySQL is the SQL expression of idKey(col), for keys computed inside
// the store (migrations). rtrim strips the trailing digits, and length
// counts characters, of which each digit is one.
func idKeySQL(col string) string {
	prefix := "rtrim(" + col + ", '0123456789')"
	digits := "(length(" + col + ") - length(" + prefix + "))"
	return "(CASE WHEN " + digits + " BETWEEN 1 AND " + strconv.Itoa(maxKeyDigits) +
		" THEN " + prefix + " || char(1) || char(32 + " + digits + ") || substr(" + col + ", length(" + prefix + ") + 1)" +
		" ELSE " + col + " END)"
}

// rekeyIDs re-keys the ids a store recorded before migration 0024 by
// their text (idKey), while that migration's mark is set, and clears the
// mark, in one transaction. It does nothing once the mark is gone. It
// runs before anything else records ids when a store is opened.
func rekeyIDs(ctx context.Context, conn *sql.Conn) error {
	return onceMarked(ctx, conn, "ids_rekey", "re-key ids", func(tx *sql.Tx) error {
		ids, err := metricIDs(ctx, tx)
		if err != nil {
			return err
		}
		for _, id := range ids {
			// No key collides with another id during the update: an id that
			// changes gains a "\x01", which no stored id has.
			if _, err := tx.ExecContext(ctx, `UPDATE `+idsTable(id)+` SET source_id = `+idKeySQL("source_id")+
				` WHERE source_id GLOB '*[0-9]'`); err != nil {
				return err
			}
		}
		return nil
	})
}
