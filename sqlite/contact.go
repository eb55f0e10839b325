package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/saydo/saydo"
)

func insertContactsSQL(rows int) string {
	var b strings.Builder
	b.WriteString("INSERT OR IGNORE INTO contacts (day, customer, at, key, kind, source_id) VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?)")
	}
	return b.String()
}

// BeginContacts starts a contacts import transaction on the writer
// connection (BEGIN IMMEDIATE); like observations, its statements run on
// the driver directly.
func (s *Store) BeginContacts(ctx context.Context) (saydo.ContactTx, error) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin contacts: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		conn.Close()
		return nil, fmt.Errorf("begin contacts: %w", err)
	}
	t := &contactTx{s: s, ctx: ctx, conn: conn, stmts: map[int]driver.Stmt{}, filters: map[int64][]uint64{}, packs: saydo.NewContactPackQueue(0)}
	t.kinds = saydo.NewContactKindIDs(&s.kinds, func(k saydo.PackedKind) (int64, error) { return storeKind(ctx, conn, k) })
	return t, nil
}

type contactTx struct {
	s     *Store
	ctx   context.Context
	conn  *sql.Conn
	stmts map[int]driver.Stmt // by rows per statement; used only inside conn.Raw
	args  []driver.NamedValue
	done  bool
	// filters holds, by day, the saydo.CustomerHash of the customers of
	// the statements that inserted contacts, for the day's filter at
	// commit.
	filters map[int64][]uint64
	// packs packs the contacts of the statements that inserted some, on a
	// goroutine of its own, for the contact packs written when it is full
	// and at commit.
	packs *saydo.ContactPackQueue
	// kinds gives the rows their kind ids, adding new kinds.
	kinds   *saydo.ContactKindIDs
	kindBuf []int64
}

// Insert adds the contacts whose (day, customer, At, Key) is new.
func (t *contactTx) Insert(batch []saydo.Contact) (int, error) {
	if t.done {
		return 0, errors.New("insert contacts: transaction is closed")
	}
	inserted := 0
	for off := 0; off < len(batch); off += rowsPerInsert {
		end := min(off+rowsPerInsert, len(batch))
		n, err := t.insertRows(batch[off:end])
		inserted += n
		if err != nil {
			return inserted, fmt.Errorf("insert contacts: %w", err)
		}
	}
	return inserted, nil
}

func (t *contactTx) insertRows(rows []saydo.Contact) (int, error) {
	if err := t.ctx.Err(); err != nil {
		return 0, err
	}
	ids, err := t.kinds.IDs(rows, t.kindBuf[:0])
	if err != nil {
		return 0, err
	}
	t.kindBuf = ids
	args := t.args[:0]
	add := func(v any) {
		args = append(args, driver.NamedValue{Ordinal: len(args) + 1, Value: v})
	}
	for i := range rows {
		c := &rows[i]
		at := millis(c.At)
		add(dayOf(at))
		add(c.Customer)
		add(at)
		add(int64(c.Key))
		add(ids[i])
		add(nullString(c.SourceID))
	}
	t.args = args
	defer clear(args) // drop references to the batch's strings
	var n int64
	// A never-done context, as for observations: a cancellable one costs a
	// watcher per statement; the context is checked between statements.
	bg := context.Background()
	err = t.conn.Raw(func(dc any) error {
		st, ok := t.stmts[len(rows)]
		if !ok {
			p, ok := dc.(driver.ConnPrepareContext)
			if !ok {
				return errors.New("driver cannot prepare with a context")
			}
			var err error
			if st, err = p.PrepareContext(bg, insertContactsSQL(len(rows))); err != nil {
				return err
			}
			t.stmts[len(rows)] = st
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
	if err == nil && n > 0 {
		// A statement that inserted nothing (a file imported again) adds
		// nobody to the filters; one that inserted some adds all its
		// customers (those there already change nothing).
		for i := range rows {
			d := dayOf(millis(rows[i].At))
			t.filters[d] = append(t.filters[d], saydo.CustomerHash(rows[i].Customer))
		}
		// All of the statement's rows, as for the filters: readers of the
		// packs keep the first of a repeated contact, as the table did.
		t.packs.Add(rows, ids)
		if t.packs.Full() {
			err = t.writePacks(t.ctx)
		}
	}
	return int(n), err
}

// writePacks writes the contact packs the transaction holds.
func (t *contactTx) writePacks(ctx context.Context) error {
	return t.packs.Flush(func(bucket int, month int64, pack []byte) error {
		if _, err := t.conn.ExecContext(ctx, `INSERT INTO contact_packs (bucket, month, pack) VALUES (?, ?, ?)`, bucket, month, pack); err != nil {
			return fmt.Errorf("contact packs: %w", err)
		}
		return nil
	})
}

// writeFilters adds the customers of the transaction's new contacts to
// their days' filters, marked with the next value of the counter
// 'contact_filters'.
func (t *contactTx) writeFilters(ctx context.Context) error {
	if len(t.filters) == 0 {
		return nil
	}
	var seq int64
	if err := t.conn.QueryRowContext(ctx, `UPDATE counters SET value = value + 1 WHERE name = 'contact_filters' RETURNING value`).Scan(&seq); err != nil {
		return fmt.Errorf("contact filters: %w", err)
	}
	return writeContactFilters(ctx, t.conn, seq, t.filters)
}

// storeKind returns the id of a contact kind, adding it when new.
func storeKind(ctx context.Context, db execQueryer, k saydo.PackedKind) (int64, error) {
	// An upsert that changes nothing returns the stored row's id.
	var id int64
	err := db.QueryRowContext(ctx, `INSERT INTO contact_kinds (department, channel, intent, message) VALUES (?, ?, ?, ?)
		ON CONFLICT (department, channel, intent, message) DO UPDATE SET department = excluded.department RETURNING id`,
		k.Department, k.Channel, string(k.Intent), k.Message).Scan(&id)
	return id, err
}

// kindOf returns the contact kind with an id, from the store's cache.
func (s *Store) kindOf(ctx context.Context, id int64) (*saydo.PackedKind, error) {
	k, err := s.kinds.Kind(id, func() (map[int64]*saydo.PackedKind, error) { return s.ContactKinds(ctx) })
	if err != nil {
		return nil, fmt.Errorf("contact kinds: %w", err)
	}
	return k, nil
}

// ContactKinds returns the kinds the contact packs name, by id.
func (s *Store) ContactKinds(ctx context.Context) (map[int64]*saydo.PackedKind, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, department, channel, intent, message FROM contact_kinds`)
	if err != nil {
		return nil, fmt.Errorf("contact kinds: %w", err)
	}
	defer rows.Close()
	out := map[int64]*saydo.PackedKind{}
	for rows.Next() {
		var id int64
		var k saydo.PackedKind
		if err := rows.Scan(&id, &k.Department, &k.Channel, &k.Intent, &k.Message); err != nil {
			return nil, fmt.Errorf("contact kinds: %w", err)
		}
		out[id] = &k
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("contact kinds: %w", err)
	}
	return out, nil
}

// execQueryer is what writeContactFilters needs of a connection or a
// transaction.
type execQueryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// writeContactFilters adds hashes, by day, to the days' filters and marks
// them with seq.
func writeContactFilters(ctx context.Context, db execQueryer, seq int64, hashes map[int64][]uint64) error {
	for day, hs := range hashes {
		var old []byte
		if err := db.QueryRowContext(ctx, `SELECT bits FROM contact_filters WHERE day = ?`, day).Scan(&old); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("contact filters: %w", err)
		}
		b, err := saydo.AddToCustomerFilter(old, hs)
		if err != nil {
			return fmt.Errorf("contact filters: day %d: %w", day, err)
		}
		if _, err := db.ExecContext(ctx, `INSERT OR REPLACE INTO contact_filters (day, seq, bits) VALUES (?, ?, ?)`, day, seq, b); err != nil {
			return fmt.Errorf("contact filters: %w", err)
		}
	}
	return nil
}

func (t *contactTx) close() {
	t.done = true
	t.packs.Close()
	t.conn.Raw(func(any) error {
		for _, st := range t.stmts {
			st.Close()
		}
		return nil
	})
	t.stmts = nil
}

// Commit makes the transaction's contacts visible and durable.
func (t *contactTx) Commit() error {
	if t.done {
		return errors.New("commit contacts: transaction is closed")
	}
	err := t.writePacks(context.Background())
	t.close()
	defer t.conn.Close()
	if err == nil {
		err = t.writeFilters(context.Background())
	}
	if err != nil {
		t.conn.ExecContext(context.Background(), "ROLLBACK")
		return fmt.Errorf("commit contacts: %w", err)
	}
	if _, err := t.conn.ExecContext(context.Background(), "COMMIT"); err != nil {
		t.conn.ExecContext(context.Background(), "ROLLBACK")
		return fmt.Errorf("commit contacts: %w", err)
	}
	t.kinds.Committed()
	return nil
}

// Rollback discards the transaction; it is a no-op after Commit.
func (t *contactTx) Rollback() error {
	if t.done {
		return nil
	}
	t.close()
	defer t.conn.Close()
	if _, err := t.conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		return fmt.Errorf("rollback contacts: %w", err)
	}
	return nil
}

// dayRange turns from, to (zero = unbounded) into day bounds for the
// contacts' clustering key, inclusive.
func dayRange(lo, hi int64) (int64, int64) {
	dlo, dhi := dayOf(lo), dayOf(hi)
	return dlo, dhi
}

// ScanContacts calls fn for every contact with from <= At < to, in the
// table's order: by day, then customer, then At and Key, so each
// customer's contacts come in time order. The Contact is reused. The rows
// are read on the driver directly: a report reads millions, and
// database/sql's per-value conversion is a third of the cost.
func (s *Store) ScanContacts(ctx context.Context, from, to time.Time, fn func(*saydo.Contact) error) error {
	lo, hi := timeRange(from, to)
	dlo, dhi := dayRange(lo, hi)
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return fmt.Errorf("scan contacts: %w", err)
	}
	defer conn.Close()
	var fnErr error
	err = conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return errors.New("driver cannot query with a context")
		}
		rows, err := q.QueryContext(ctx, `SELECT c.customer, c.at, c.key, k.department, k.channel, k.intent, k.message, c.source_id
			FROM contacts c JOIN contact_kinds k ON k.id = c.kind
			WHERE c.day >= ? AND c.day <= ? AND c.at >= ? AND c.at < ? ORDER BY c.day, c.customer, c.at, c.key`,
			[]driver.NamedValue{{Ordinal: 1, Value: dlo}, {Ordinal: 2, Value: dhi}, {Ordinal: 3, Value: lo}, {Ordinal: 4, Value: hi}})
		if err != nil {
			return err
		}
		defer rows.Close()
		dest := make([]driver.Value, 8)
		var c saydo.Contact
		str := func(v driver.Value) string {
			switch v := v.(type) {
			case string:
				return v
			case []byte:
				return string(v)
			}
			return ""
		}
		// Departments, channels, intents and messages are few: one string
		// each, shared by the contacts a reader keeps, instead of one per
		// row for the garbage collector to trace.
		interned := map[string]string{}
		intern := func(v driver.Value) string {
			s := str(v)
			if t, ok := interned[s]; ok {
				return t
			}
			if len(interned) < 4096 {
				interned[s] = s
			}
			return s
		}
		for {
			if err := rows.Next(dest); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			at, _ := dest[1].(int64)
			key, _ := dest[2].(int64)
			c = saydo.Contact{Customer: str(dest[0]), At: fromMillis(at), Key: uint64(key), Department: intern(dest[3]),
				Channel: intern(dest[4]), Intent: saydo.Intent(intern(dest[5])), Message: intern(dest[6]), SourceID: str(dest[7])}
			if err := fn(&c); err != nil {
				fnErr = err
				return nil
			}
		}
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("scan contacts: %w", err)
	}
	return nil
}

// ScanContactPacks calls fn with the contact packs of each bucket and
// month with fromMonth <= month <= toMonth, by bucket then month, a
// bucket's month's packs in the order they were written. The packs are
// fn's to keep.
func (s *Store) ScanContactPacks(ctx context.Context, fromMonth, toMonth int64, fn func(bucket int, month int64, packs [][]byte) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT bucket, month, pack FROM contact_packs WHERE month >= ? AND month <= ? ORDER BY bucket, month, id`, fromMonth, toMonth)
	if err != nil {
		return fmt.Errorf("scan contact packs: %w", err)
	}
	defer rows.Close()
	return saydo.ScanPackRows(rows, fn)
}

func scanContact(rows *sql.Rows, c *saydo.Contact) error {
	var (
		at, key         int64
		intent          string
		message, source sql.NullString
	)
	if err := rows.Scan(&c.Customer, &at, &key, &c.Department, &c.Channel, &intent, &message, &source); err != nil {
		return err
	}
	c.At = fromMillis(at)
	c.Key = uint64(key)
	c.Intent = saydo.Intent(intent)
	c.Message, c.SourceID = message.String, source.String
	return nil
}

// CustomerContacts returns one customer's contacts with from <= At < to,
// in (At, Key) order. It reads only the days whose customer filter may
// hold the customer (the days it was contacted, and about one in a
// hundred of the others), one primary-key range read each, so its cost
// follows the customer's contacts, not the log's.
func (s *Store) CustomerContacts(ctx context.Context, customer string, from, to time.Time) ([]saydo.Contact, error) {
	// A few short primary-key reads: a cancellable context would cost the
	// driver a goroutine per statement.
	ctx = context.WithoutCancel(ctx)
	lo, hi := timeRange(from, to)
	if err := s.freshFilters(ctx); err != nil {
		return nil, fmt.Errorf("customer contacts: %w", err)
	}
	var buf [32]int64
	days := s.filters.Days(customer, dayOf(lo), dayOf(hi), buf[:0])
	if len(days) == 0 {
		return nil, nil
	}
	st, err := s.customerContactsStmt(ctx)
	if err != nil {
		return nil, fmt.Errorf("customer contacts: %w", err)
	}
	var out []saydo.Contact
	for _, day := range days {
		rows, err := st.QueryContext(ctx, day, customer, lo, hi)
		if err != nil {
			return nil, fmt.Errorf("customer contacts: %w", err)
		}
		for rows.Next() {
			var c saydo.Contact
			if err := scanContact(rows, &c); err != nil {
				rows.Close()
				return nil, fmt.Errorf("customer contacts: %w", err)
			}
			out = append(out, c)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("customer contacts: %w", err)
		}
	}
	return out, nil
}

// maxHistoryDays is how many days CustomerHistory reads in its one
// statement; a customer with contacts on more days of the span is read by
// CustomerContacts and CustomerComplaints.
const maxHistoryDays = 8

// CustomerHistory returns one customer's contacts and complaints, as
// CustomerContacts and CustomerComplaints do, in one statement that also
// reads the filters' counter: the days are chosen with the filters held
// in memory, and only when the counter says they were stale are they
// refreshed and the read made again.
func (s *Store) CustomerHistory(ctx context.Context, customer string, contactsFrom, complaintsFrom, to time.Time) ([]saydo.Contact, []saydo.Complaint, error) {
	ctx = context.WithoutCancel(ctx) // as CustomerContacts
	lo, hi := timeRange(contactsFrom, to)
	klo, _ := timeRange(complaintsFrom, to)
	for attempt := 0; ; attempt++ {
		since := s.filters.Since()
		var buf [maxHistoryDays + 1]int64
		days := s.filters.Days(customer, dayOf(lo), dayOf(hi), buf[:0])
		if since < 0 || len(days) > maxHistoryDays || attempt > 0 {
			cs, err := s.CustomerContacts(ctx, customer, contactsFrom, to)
			if err != nil {
				return nil, nil, err
			}
			ks, err := s.CustomerComplaints(ctx, customer, complaintsFrom, to)
			return cs, ks, err
		}
		st, err := s.preparedHistory(ctx, len(days))
		if err != nil {
			return nil, nil, fmt.Errorf("customer history: %w", err)
		}
		args := make([]any, 0, len(days)+6)
		for _, d := range days {
			args = append(args, d)
		}
		if len(days) > 0 {
			args = append(args, customer, lo, hi)
		}
		args = append(args, customer, klo, hi)
		cs, ks, seq, err := s.readHistory(ctx, st, args)
		if err != nil {
			return nil, nil, fmt.Errorf("customer history: %w", err)
		}
		if seq == since {
			return cs, ks, nil
		}
		// An import changed the filters since they were read: read them
		// again, then everything.
		if err := s.freshFilters(ctx); err != nil {
			return nil, nil, fmt.Errorf("customer history: %w", err)
		}
	}
}

// readHistory runs a statement of historySQL.
func (s *Store) readHistory(ctx context.Context, st *sql.Stmt, args []any) ([]saydo.Contact, []saydo.Complaint, int64, error) {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, nil, 0, err
	}
	defer rows.Close()
	var (
		cs    []saydo.Contact
		ks    []saydo.Complaint
		kk    []int64 // the complaints' keys, to order ties
		kinds []int64 // the contacts' kinds
		seq   int64   = -1
		part  int
		a, b  int64
		c     [6]sql.NullString
	)
	for rows.Next() {
		if err := rows.Scan(&part, &a, &b, &c[0], &c[1], &c[2], &c[3], &c[4], &c[5]); err != nil {
			return nil, nil, 0, err
		}
		switch part {
		case 0:
			seq = a
		case 1:
			id, err := strconv.ParseInt(c[1].String, 10, 64)
			if err != nil {
				return nil, nil, 0, fmt.Errorf("contact kind %q: %w", c[1].String, err)
			}
			cs = append(cs, saydo.Contact{Customer: c[0].String, At: fromMillis(a), Key: uint64(b), SourceID: c[5].String})
			kinds = append(kinds, id)
		case 2:
			k := saydo.Complaint{ID: c[1].String, Customer: c[0].String, At: fromMillis(a), Channel: c[2].String}
			if k.ID == "" {
				k.ID = strconv.FormatUint(uint64(b), 10)
			}
			k.Department, _ = saydo.ParseAttrs(c[3].String).Get("department")
			ks = append(ks, k)
			kk = append(kk, b)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, 0, err
	}
	// The kinds once the rows are closed: a reload of the kinds takes a
	// connection of the pool this read holds one of.
	rows.Close()
	for i, id := range kinds {
		k, err := s.kindOf(ctx, id)
		if err != nil {
			return nil, nil, 0, err
		}
		c := &cs[i]
		c.Department, c.Channel, c.Intent, c.Message = k.Department, k.Channel, k.Intent, k.Message
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if !cs[i].At.Equal(cs[j].At) {
			return cs[i].At.Before(cs[j].At)
		}
		return cs[i].Key < cs[j].Key
	})
	if len(ks) > 1 {
		// In (At, key) order, as CustomerComplaints reads them.
		idx := make([]int, len(ks))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(i, j int) bool {
			a, b := idx[i], idx[j]
			if !ks[a].At.Equal(ks[b].At) {
				return ks[a].At.Before(ks[b].At)
			}
			return kk[a] < kk[b]
		})
		sorted := make([]saydo.Complaint, len(ks))
		for i, j := range idx {
			sorted[i] = ks[j]
		}
		ks = sorted
	}
	return cs, ks, seq, nil
}

// historySQL reads, in one statement, the filters' counter (part 0), a
// customer's contacts of some days (part 1) and its complaints (part 2).
func historySQL(days int) string {
	var b strings.Builder
	b.WriteString(`SELECT 0, value, 0, NULL, NULL, NULL, NULL, NULL, NULL FROM counters WHERE name = 'contact_filters'`)
	if days > 0 {
		b.WriteString(` UNION ALL SELECT 1, at, key, customer, kind, NULL, NULL, NULL, source_id FROM contacts WHERE day IN (`)
		for i := range days {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('?')
		}
		b.WriteString(`) AND customer = ? AND at >= ? AND at < ?`)
	}
	b.WriteString(` UNION ALL SELECT 2, at, key, customer, source_id, channel, attrs, NULL, NULL FROM feedback INDEXED BY feedback_complaints
		WHERE kind = 'complaint' AND customer IS NOT NULL AND customer = ? AND at >= ? AND at < ?`)
	// No ORDER BY: a compound one would sort every answer through a
	// temporary b-tree; readHistory orders the few rows.
	return b.String()
}

// preparedHistory prepares historySQL(days) on the read pool once.
func (s *Store) preparedHistory(ctx context.Context, days int) (*sql.Stmt, error) {
	s.mu.Lock()
	st := s.historyStmts[days]
	s.mu.Unlock()
	if st != nil {
		return st, nil
	}
	return s.preparedRead(ctx, &s.historyStmts[days], historySQL(days))
}

// freshFilters brings the store's copy of the contact filters up to date
// with the counter 'contact_filters': it rereads the days changed since.
func (s *Store) freshFilters(ctx context.Context) error {
	st, err := s.preparedRead(ctx, &s.filterSeqStmt, `SELECT value FROM counters WHERE name = 'contact_filters'`)
	if err != nil {
		return err
	}
	var seq int64
	if err := st.QueryRowContext(ctx).Scan(&seq); err != nil {
		return fmt.Errorf("contact filters: %w", err)
	}
	if s.filters.Fresh(seq) {
		return nil
	}
	s.filterLoad.Lock()
	defer s.filterLoad.Unlock()
	if s.filters.Fresh(seq) {
		return nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT day, bits FROM contact_filters WHERE seq > ?`, s.filters.Since())
	if err != nil {
		return fmt.Errorf("contact filters: %w", err)
	}
	defer rows.Close()
	changed := map[int64][]byte{}
	for rows.Next() {
		var day int64
		var b []byte
		if err := rows.Scan(&day, &b); err != nil {
			return fmt.Errorf("contact filters: %w", err)
		}
		changed[day] = b
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("contact filters: %w", err)
	}
	return s.filters.Update(seq, changed)
}

// customerContactsStmt prepares the read of one customer's contacts of
// some days on the read pool once.
func (s *Store) customerContactsStmt(ctx context.Context) (*sql.Stmt, error) {
	return s.preparedRead(ctx, &s.contactsStmt, `SELECT c.customer, c.at, c.key, k.department, k.channel, k.intent, k.message, c.source_id
		FROM contacts c JOIN contact_kinds k ON k.id = c.kind WHERE c.day = ? AND c.customer = ? AND c.at >= ? AND c.at < ? ORDER BY c.at, c.key`)
}

// preparedRead prepares query on the read pool once, into *st.
func (s *Store) preparedRead(ctx context.Context, st **sql.Stmt, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if *st != nil {
		return *st, nil
	}
	p, err := s.r.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	*st = p
	return p, nil
}

// CountContacts returns how many contacts are stored.
func (s *Store) CountContacts(ctx context.Context) (int64, error) {
	var n int64
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM contacts`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count contacts: %w", err)
	}
	return n, nil
}

const complaintSelect = `SELECT key, source_id, customer, at, channel, attrs FROM feedback INDEXED BY feedback_complaints
	WHERE kind = 'complaint' AND customer IS NOT NULL`

// ScanComplaints calls fn for every complaint with from <= At < to, in
// (Customer, At) order. The Complaint is reused.
func (s *Store) ScanComplaints(ctx context.Context, from, to time.Time, fn func(*saydo.Complaint) error) error {
	lo, hi := timeRange(from, to)
	rows, err := s.r.QueryContext(ctx, complaintSelect+` AND at >= ? AND at < ? ORDER BY customer, at, key`, lo, hi)
	if err != nil {
		return fmt.Errorf("scan complaints: %w", err)
	}
	defer rows.Close()
	var c saydo.Complaint
	for rows.Next() {
		if err := scanComplaint(rows, &c); err != nil {
			return fmt.Errorf("scan complaints: %w", err)
		}
		if err := fn(&c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan complaints: %w", err)
	}
	return nil
}

func scanComplaint(rows *sql.Rows, c *saydo.Complaint) error {
	var (
		key, at         int64
		source, channel sql.NullString
		attrs           string
	)
	if err := rows.Scan(&key, &source, &c.Customer, &at, &channel, &attrs); err != nil {
		return err
	}
	c.ID = source.String
	if c.ID == "" {
		c.ID = strconv.FormatUint(uint64(key), 10)
	}
	c.At = fromMillis(at)
	c.Channel = channel.String
	c.Department, _ = saydo.ParseAttrs(attrs).Get("department")
	return nil
}

// CustomerComplaints returns one customer's complaints with from <= At <
// to, in At order.
func (s *Store) CustomerComplaints(ctx context.Context, customer string, from, to time.Time) ([]saydo.Complaint, error) {
	ctx = context.WithoutCancel(ctx) // an index read: as CustomerContacts
	lo, hi := timeRange(from, to)
	st, err := s.customerComplaintsStmt(ctx)
	if err != nil {
		return nil, fmt.Errorf("customer complaints: %w", err)
	}
	rows, err := st.QueryContext(ctx, customer, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("customer complaints: %w", err)
	}
	defer rows.Close()
	var out []saydo.Complaint
	for rows.Next() {
		var c saydo.Complaint
		if err := scanComplaint(rows, &c); err != nil {
			return nil, fmt.Errorf("customer complaints: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("customer complaints: %w", err)
	}
	return out, nil
}

// customerComplaintsStmt prepares the complaints lookup on the read pool
// once.
func (s *Store) customerComplaintsStmt(ctx context.Context) (*sql.Stmt, error) {
	return s.preparedRead(ctx, &s.complaintsStmt, complaintSelect+` AND customer = ? AND at >= ? AND at < ? ORDER BY at, key`)
}

// buildContactPacks packs every stored contact, once, on a store whose
// contacts are older than the packs (migration 0044): a store with
// contacts and no packs.
func buildContactPacks(ctx context.Context, conn *sql.Conn) error {
	var need int
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM contacts) AND NOT EXISTS (SELECT 1 FROM contact_packs)`).Scan(&need); err != nil {
		return fmt.Errorf("build contact packs: %w", err)
	}
	if need == 0 {
		return nil
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("build contact packs: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT customer, at, key, kind, source_id FROM contacts ORDER BY day, customer, at, key`)
	if err != nil {
		return fmt.Errorf("build contact packs: %w", err)
	}
	packer := saydo.NewContactPacker(0)
	write := func(bucket int, month int64, pack []byte) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO contact_packs (bucket, month, pack) VALUES (?, ?, ?)`, bucket, month, pack)
		return err
	}
	batch := make([]saydo.Contact, 0, 1024)
	kinds := make([]int64, 0, 1024)
	for rows.Next() {
		var (
			c       saydo.Contact
			at, key int64
			kind    int64
			source  sql.NullString
		)
		if err := rows.Scan(&c.Customer, &at, &key, &kind, &source); err != nil {
			rows.Close()
			return fmt.Errorf("build contact packs: %w", err)
		}
		c.At, c.Key, c.SourceID = fromMillis(at), uint64(key), source.String
		batch = append(batch, c)
		kinds = append(kinds, kind)
		if len(batch) == cap(batch) {
			packer.Add(batch, kinds)
			batch, kinds = batch[:0], kinds[:0]
			if packer.Full() {
				if err := packer.Flush(write); err != nil {
					rows.Close()
					return fmt.Errorf("build contact packs: %w", err)
				}
			}
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return fmt.Errorf("build contact packs: %w", err)
	}
	packer.Add(batch, kinds)
	if err := packer.Flush(write); err != nil {
		return fmt.Errorf("build contact packs: %w", err)
	}
	return tx.Commit()
}

// buildContactFilters gives every day of contacts its customer filter,
// once, on a store whose contacts are older than the filters (migration
// 0043): a store with contacts and no filters.
func buildContactFilters(ctx context.Context, conn *sql.Conn) error {
	var need int
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM contacts) AND NOT EXISTS (SELECT 1 FROM contact_filters)`).Scan(&need); err != nil {
		return fmt.Errorf("build contact filters: %w", err)
	}
	if need == 0 {
		return nil
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("build contact filters: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE counters SET value = value + 1 WHERE name = 'contact_filters'`); err != nil {
		return fmt.Errorf("build contact filters: %w", err)
	}
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'contact_filters'`).Scan(&seq); err != nil {
		return fmt.Errorf("build contact filters: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT day, customer FROM contacts ORDER BY day, customer`)
	if err != nil {
		return fmt.Errorf("build contact filters: %w", err)
	}
	hashes := map[int64][]uint64{}
	var last string
	for rows.Next() {
		var day int64
		var customer string
		if err := rows.Scan(&day, &customer); err != nil {
			rows.Close()
			return fmt.Errorf("build contact filters: %w", err)
		}
		if customer != last || len(hashes[day]) == 0 {
			hashes[day] = append(hashes[day], saydo.CustomerHash(customer))
			last = customer
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return fmt.Errorf("build contact filters: %w", err)
	}
	if err := writeContactFilters(ctx, tx, seq, hashes); err != nil {
		return fmt.Errorf("build contact filters: %w", err)
	}
	return tx.Commit()
}

// rekeyContacts gives the stored contacts without a source id the keys
// saydo.ContactKey gives them now (what they were and their occurrence),
// once, while migration 0073's mark is set, in one transaction that
// clears it, a day at a time in the table's order (equal contacts share
// their day, customer and time, so they are neighbours). The packs, which
// hold the keys, are dropped with it; buildContactPacks packs every
// contact again.
func (s *Store) rekeyContacts(ctx context.Context, conn *sql.Conn) error {
	return onceMarked(ctx, conn, "contact_rekey", "re-key contacts", func(tx *sql.Tx) error {
		var lo, hi sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT min(day), max(day) FROM contacts`).Scan(&lo, &hi); err != nil {
			return err
		}
		update, err := tx.PrepareContext(ctx, `UPDATE contacts SET key = ? WHERE day = ? AND customer = ? AND at = ? AND key = ?`)
		if err != nil {
			return err
		}
		defer update.Close()
		type change struct {
			c        saydo.Contact
			old, key int64
		}
		var (
			changes []change
			occ     saydo.Occurrences
			rekeyed bool
		)
		for day := lo.Int64; lo.Valid && day <= hi.Int64; day++ {
			rows, err := tx.QueryContext(ctx, `SELECT c.customer, c.at, c.key, k.department, k.channel, k.intent, k.message
			FROM contacts c JOIN contact_kinds k ON k.id = c.kind
			WHERE c.day = ? AND c.source_id IS NULL ORDER BY c.customer, c.at, c.key`, day)
			if err != nil {
				return err
			}
			changes = changes[:0]
			for rows.Next() {
				var (
					ch     change
					at     int64
					intent string
				)
				if err := rows.Scan(&ch.c.Customer, &at, &ch.old, &ch.c.Department, &ch.c.Channel, &intent, &ch.c.Message); err != nil {
					rows.Close()
					return err
				}
				ch.c.At, ch.c.Intent = fromMillis(at), saydo.Intent(intent)
				if ch.key = int64(occ.Next(at, saydo.ContactIdentity(&ch.c))); ch.key != ch.old {
					changes = append(changes, ch)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, ch := range changes {
				if _, err := update.ExecContext(ctx, ch.key, day, ch.c.Customer, millis(ch.c.At), ch.old); err != nil {
					return err
				}
				rekeyed = true
			}
		}
		if rekeyed {
			if _, err := tx.ExecContext(ctx, `DELETE FROM contact_packs`); err != nil {
				return err
			}
		}
		return nil
	})
}
