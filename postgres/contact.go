package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/saydo/saydo"
)

// BeginContacts starts a contacts import transaction. Contacts derive
// nothing and skip known keys with ON CONFLICT, so imports need no lock.
func (s *Store) BeginContacts(ctx context.Context) (saydo.ContactTx, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin contacts: %w", err)
	}
	return &contactTx{ctx: ctx, tx: tx}, nil
}

type contactTx struct {
	ctx    context.Context
	tx     pgx.Tx
	staged bool // the connection's staging table exists
	done   bool
}

// Insert adds the contacts whose (day, customer, At, Key) is new: the
// batch is copied into a staging table and inserted from there in key
// order.
func (t *contactTx) Insert(batch []saydo.Contact) (int, error) {
	if t.done {
		return 0, errors.New("insert contacts: transaction is closed")
	}
	if len(batch) == 0 {
		return 0, nil
	}
	if !t.staged {
		if _, err := t.tx.Exec(t.ctx, `CREATE TEMP TABLE IF NOT EXISTS saydo_contacts_stage
			(LIKE contacts INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`); err != nil {
			return 0, fmt.Errorf("insert contacts: %w", err)
		}
		t.staged = true
	} else if _, err := t.tx.Exec(t.ctx, `TRUNCATE saydo_contacts_stage`); err != nil {
		return 0, fmt.Errorf("insert contacts: %w", err)
	}
	i := 0
	row := make([]any, 9)
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(batch) {
			return nil, nil
		}
		c := &batch[i]
		i++
		at := millis(c.At)
		row[0], row[1], row[2], row[3] = dayOf(at), c.Customer, at, int64(c.Key)
		row[4], row[5], row[6], row[7], row[8] = c.Department, c.Channel, string(c.Intent), nullString(c.Message), nullString(c.SourceID)
		return row, nil
	})
	if _, err := t.tx.CopyFrom(t.ctx, pgx.Identifier{"saydo_contacts_stage"},
		[]string{"day", "customer", "at", "key", "department", "channel", "intent", "message", "source_id"}, src); err != nil {
		return 0, fmt.Errorf("insert contacts: %w", err)
	}
	tag, err := t.tx.Exec(t.ctx, `INSERT INTO contacts SELECT * FROM saydo_contacts_stage
		ORDER BY day, customer, at, key ON CONFLICT DO NOTHING`)
	if err != nil {
		return 0, fmt.Errorf("insert contacts: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// Commit makes the transaction's contacts visible and durable.
func (t *contactTx) Commit() error {
	if t.done {
		return errors.New("commit contacts: transaction is closed")
	}
	t.done = true
	if err := t.tx.Commit(context.WithoutCancel(t.ctx)); err != nil {
		return fmt.Errorf("commit contacts: %w", err)
	}
	return nil
}

// Rollback discards the transaction; it is a no-op after Commit.
func (t *contactTx) Rollback() error {
	if t.done {
		return nil
	}
	t.done = true
	if err := t.tx.Rollback(context.WithoutCancel(t.ctx)); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
		return fmt.Errorf("rollback contacts: %w", err)
	}
	return nil
}

const contactSelect = `SELECT customer, at, key, department, channel, intent, message, source_id FROM contacts`

func scanContacts(rows pgx.Rows, fn func(*saydo.Contact) error) error {
	var (
		c               saydo.Contact
		at, key         int64
		intent          string
		message, source *string
	)
	_, err := pgx.ForEachRow(rows, []any{&c.Customer, &at, &key, &c.Department, &c.Channel, &intent, &message, &source}, func() error {
		c.At, c.Key, c.Intent = fromMillis(at), uint64(key), saydo.Intent(intent)
		c.Message, c.SourceID = "", ""
		if message != nil {
			c.Message = *message
		}
		if source != nil {
			c.SourceID = *source
		}
		return fn(&c)
	})
	return err
}

// ScanContacts calls fn for every contact with from <= At < to, by day,
// then customer, then At and Key, so each customer's contacts come in time
// order. The Contact is reused.
func (s *Store) ScanContacts(ctx context.Context, from, to time.Time, fn func(*saydo.Contact) error) error {
	lo, hi := timeRange(from, to)
	rows, err := s.pool.Query(ctx, contactSelect+` WHERE day >= $1 AND day <= $2 AND at >= $3 AND at < $4
		ORDER BY day, customer, at, key`, dayOf(lo), dayOf(hi), lo, hi)
	if err != nil {
		return fmt.Errorf("scan contacts: %w", err)
	}
	if err := scanContacts(rows, fn); err != nil {
		return fmt.Errorf("scan contacts: %w", err)
	}
	return nil
}

// maxDaysPerLookup bounds the days one customer lookup reads day by day;
// a longer or unbounded range scans the table for the customer instead.
const maxDaysPerLookup = 400

// CustomerContacts returns one customer's contacts with from <= At < to,
// in (At, Key) order: one primary-key range read per day, as the SQLite
// store does.
func (s *Store) CustomerContacts(ctx context.Context, customer string, from, to time.Time) ([]saydo.Contact, error) {
	lo, hi := timeRange(from, to)
	var (
		rows pgx.Rows
		err  error
	)
	if dlo, dhi := dayOf(lo), dayOf(hi); from.IsZero() || to.IsZero() || dhi-dlo > maxDaysPerLookup {
		rows, err = s.pool.Query(ctx, contactSelect+` WHERE customer = $1 AND at >= $2 AND at < $3 ORDER BY at, key`, customer, lo, hi)
	} else {
		rows, err = s.pool.Query(ctx, `SELECT c.customer, c.at, c.key, c.department, c.channel, c.intent, c.message, c.source_id
			FROM generate_series($1::bigint, $2::bigint) AS d(x) JOIN contacts c ON c.day = d.x AND c.customer = $3
			WHERE c.at >= $4 AND c.at < $5 ORDER BY c.at, c.key`, dlo, dhi, customer, lo, hi)
	}
	if err != nil {
		return nil, fmt.Errorf("customer contacts: %w", err)
	}
	var out []saydo.Contact
	if err := scanContacts(rows, func(c *saydo.Contact) error { out = append(out, *c); return nil }); err != nil {
		return nil, fmt.Errorf("customer contacts: %w", err)
	}
	return out, nil
}

// CountContacts returns how many contacts are stored.
func (s *Store) CountContacts(ctx context.Context) (int64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM contacts`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count contacts: %w", err)
	}
	return n, nil
}

const complaintSelect = `SELECT key, source_id, customer, at, channel, attrs FROM feedback
	WHERE kind = 'complaint' AND customer IS NOT NULL`

func scanComplaints(rows pgx.Rows, fn func(*saydo.Complaint) error) error {
	var (
		c               saydo.Complaint
		key, at         int64
		source, channel *string
		attrs           string
	)
	_, err := pgx.ForEachRow(rows, []any{&key, &source, &c.Customer, &at, &channel, &attrs}, func() error {
		c.ID = ""
		if source != nil {
			c.ID = *source
		}
		if c.ID == "" {
			c.ID = strconv.FormatUint(uint64(key), 10)
		}
		c.At = fromMillis(at)
		c.Channel = ""
		if channel != nil {
			c.Channel = *channel
		}
		c.Department, _ = saydo.ParseAttrs(attrs).Get("department")
		return fn(&c)
	})
	return err
}

// ScanComplaints calls fn for every complaint with from <= At < to, in
// (Customer, At) order. The Complaint is reused.
func (s *Store) ScanComplaints(ctx context.Context, from, to time.Time, fn func(*saydo.Complaint) error) error {
	lo, hi := timeRange(from, to)
	rows, err := s.pool.Query(ctx, complaintSelect+` AND at >= $1 AND at < $2 ORDER BY customer, at, key`, lo, hi)
	if err != nil {
		return fmt.Errorf("scan complaints: %w", err)
	}
	if err := scanComplaints(rows, fn); err != nil {
		return fmt.Errorf("scan complaints: %w", err)
	}
	return nil
}

// CustomerComplaints returns one customer's complaints with from <= At <
// to, in At order.
func (s *Store) CustomerComplaints(ctx context.Context, customer string, from, to time.Time) ([]saydo.Complaint, error) {
	lo, hi := timeRange(from, to)
	rows, err := s.pool.Query(ctx, complaintSelect+` AND customer = $1 AND at >= $2 AND at < $3 ORDER BY at, key`, customer, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("customer complaints: %w", err)
	}
	var out []saydo.Complaint
	if err := scanComplaints(rows, func(c *saydo.Complaint) error { out = append(out, *c); return nil }); err != nil {
		return nil, fmt.Errorf("customer complaints: %w", err)
	}
	return out, nil
}
