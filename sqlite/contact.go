package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/saydo/saydo"
)

func insertContactsSQL(rows int) string {
	var b strings.Builder
	b.WriteString("INSERT OR IGNORE INTO contacts (day, customer, at, key, department, channel, intent, message, source_id) VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?)")
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
	return &contactTx{ctx: ctx, conn: conn, stmts: map[int]driver.Stmt{}}, nil
}

type contactTx struct {
	ctx   context.Context
	conn  *sql.Conn
	stmts map[int]driver.Stmt // by rows per statement; used only inside conn.Raw
	args  []driver.NamedValue
	done  bool
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
		add(c.Department)
		add(c.Channel)
		add(string(c.Intent))
		add(nullString(c.Message))
		add(nullString(c.SourceID))
	}
	t.args = args
	defer clear(args) // drop references to the batch's strings
	var n int64
	// A never-done context, as for observations: a cancellable one costs a
	// watcher per statement; the context is checked between statements.
	bg := context.Background()
	err := t.conn.Raw(func(dc any) error {
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
	return int(n), err
}

func (t *contactTx) close() {
	t.done = true
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
	t.close()
	defer t.conn.Close()
	if _, err := t.conn.ExecContext(context.Background(), "COMMIT"); err != nil {
		t.conn.ExecContext(context.Background(), "ROLLBACK")
		return fmt.Errorf("commit contacts: %w", err)
	}
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
		rows, err := q.QueryContext(ctx, `SELECT customer, at, key, department, channel, intent, message, source_id
			FROM contacts WHERE day >= ? AND day <= ? AND at >= ? AND at < ? ORDER BY day, customer, at, key`,
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
		for {
			if err := rows.Next(dest); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			at, _ := dest[1].(int64)
			key, _ := dest[2].(int64)
			c = saydo.Contact{Customer: str(dest[0]), At: fromMillis(at), Key: uint64(key), Department: str(dest[3]),
				Channel: str(dest[4]), Intent: saydo.Intent(str(dest[5])), Message: str(dest[6]), SourceID: str(dest[7])}
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

// customerContactsSQL reads one customer's contacts day by day: one
// primary-key range read per day of the clustering key, in one statement
// whose text never changes, so it is prepared once per connection.
const customerContactsSQL = `WITH RECURSIVE d(x) AS (SELECT ? UNION ALL SELECT x + 1 FROM d WHERE x < ?)
	SELECT customer, at, key, department, channel, intent, message, source_id
	FROM d CROSS JOIN contacts ON contacts.day = d.x
	WHERE customer = ? AND at >= ? AND at < ? ORDER BY at, key`

// maxDaysPerLookup bounds the days one customer lookup reads day by day;
// a longer or unbounded range scans the table for the customer instead.
const maxDaysPerLookup = 400

// CustomerContacts returns one customer's contacts with from <= At < to,
// in (At, Key) order.
func (s *Store) CustomerContacts(ctx context.Context, customer string, from, to time.Time) ([]saydo.Contact, error) {
	lo, hi := timeRange(from, to)
	dlo, dhi := dayRange(lo, hi)
	var rows *sql.Rows
	var err error
	if from.IsZero() || to.IsZero() || dhi-dlo > maxDaysPerLookup {
		rows, err = s.r.QueryContext(ctx, `SELECT customer, at, key, department, channel, intent, message, source_id FROM contacts
			WHERE customer = ? AND at >= ? AND at < ? ORDER BY at, key`, customer, lo, hi)
	} else {
		var st *sql.Stmt
		if st, err = s.customerContactsStmt(ctx); err == nil {
			rows, err = st.QueryContext(ctx, dlo, dhi, customer, lo, hi)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("customer contacts: %w", err)
	}
	defer rows.Close()
	var out []saydo.Contact
	for rows.Next() {
		var c saydo.Contact
		if err := scanContact(rows, &c); err != nil {
			return nil, fmt.Errorf("customer contacts: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("customer contacts: %w", err)
	}
	return out, nil
}

// customerContactsStmt prepares customerContactsSQL on the read pool once.
func (s *Store) customerContactsStmt(ctx context.Context) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.contactsStmt != nil {
		return s.contactsStmt, nil
	}
	st, err := s.r.PrepareContext(ctx, customerContactsSQL)
	if err != nil {
		return nil, err
	}
	s.contactsStmt = st
	return st, nil
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
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.complaintsStmt != nil {
		return s.complaintsStmt, nil
	}
	st, err := s.r.PrepareContext(ctx, complaintSelect+` AND customer = ? AND at >= ? AND at < ? ORDER BY at, key`)
	if err != nil {
		return nil, err
	}
	s.complaintsStmt = st
	return st, nil
}
