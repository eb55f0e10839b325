package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
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
	t := &contactTx{s: s, ctx: ctx, tx: tx, filters: map[int64][]uint64{}, packs: saydo.NewContactPackQueue(0)}
	// New kinds commit at once, outside the import's transaction: two
	// imports adding kinds in crossed order would otherwise wait for each
	// other's commit (a deadlock). A kind no contact names is harmless.
	t.kinds = saydo.NewContactKindIDs(&s.kinds, func(k saydo.PackedKind) (int64, error) { return storeKind(ctx, s.pool, k) })
	return t, nil
}

type contactTx struct {
	s      *Store
	ctx    context.Context
	tx     pgx.Tx
	staged bool // the connection's staging table exists
	done   bool
	// filters holds, by day, the saydo.CustomerHash of the customers of
	// the batches that inserted contacts, for the day's filter at commit.
	filters map[int64][]uint64
	// packs packs the contacts of the batches that inserted some, on a
	// goroutine of its own, for the contact packs written when it is full
	// and at commit.
	packs *saydo.ContactPackQueue
	// kinds gives the rows their kind ids, adding new kinds.
	kinds   *saydo.ContactKindIDs
	kindBuf []int64
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
	ids, err := t.kinds.IDs(batch, t.kindBuf[:0])
	if err != nil {
		return 0, fmt.Errorf("insert contacts: %w", err)
	}
	t.kindBuf = ids
	i := 0
	row := make([]any, 6)
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(batch) {
			return nil, nil
		}
		c := &batch[i]
		at := millis(c.At)
		row[0], row[1], row[2], row[3], row[4], row[5] = dayOf(at), c.Customer, at, int64(c.Key), ids[i], nullString(c.SourceID)
		i++
		return row, nil
	})
	if _, err := t.tx.CopyFrom(t.ctx, pgx.Identifier{"saydo_contacts_stage"},
		[]string{"day", "customer", "at", "key", "kind", "source_id"}, src); err != nil {
		return 0, fmt.Errorf("insert contacts: %w", err)
	}
	tag, err := t.tx.Exec(t.ctx, `INSERT INTO contacts SELECT * FROM saydo_contacts_stage
		ORDER BY day, customer, at, key ON CONFLICT DO NOTHING`)
	if err != nil {
		return 0, fmt.Errorf("insert contacts: %w", err)
	}
	if tag.RowsAffected() > 0 {
		for i := range batch {
			d := dayOf(millis(batch[i].At))
			t.filters[d] = append(t.filters[d], saydo.CustomerHash(batch[i].Customer))
		}
		// All of the batch's rows, as for the filters: readers of the packs
		// keep the first of a repeated contact, as the table did.
		t.packs.Add(batch, ids)
		if t.packs.Full() {
			if err := writePacks(t.ctx, t.tx, t.packs); err != nil {
				return 0, fmt.Errorf("insert contacts: %w", err)
			}
		}
	}
	return int(tag.RowsAffected()), nil
}

// writePacks writes the contact packs p holds (a ContactPacker or a
// ContactPackQueue).
func writePacks(ctx context.Context, tx pgx.Tx, p interface {
	Flush(write func(bucket int, month int64, pack []byte) error) error
}) error {
	var b pgx.Batch
	if err := p.Flush(func(bucket int, month int64, pack []byte) error {
		b.Queue(`INSERT INTO contact_packs (bucket, month, pack) VALUES ($1, $2, $3)`, bucket, month, pack)
		return nil
	}); err != nil {
		return err
	}
	if b.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, &b).Close(); err != nil {
		return fmt.Errorf("contact packs: %w", err)
	}
	return nil
}

// storeKind returns the id of a contact kind, adding it when new.
func storeKind(ctx context.Context, db interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, k saydo.PackedKind) (int64, error) {
	var id int64
	if err := db.QueryRow(ctx, `INSERT INTO contact_kinds (department, channel, intent, message) VALUES ($1, $2, $3, $4)
		ON CONFLICT (department, channel, intent, message) DO UPDATE SET department = excluded.department RETURNING id`,
		k.Department, k.Channel, string(k.Intent), k.Message).Scan(&id); err != nil {
		return 0, err
	}
	return id, nil
}

// ContactKinds returns the kinds the contact packs name, by id.
func (s *Store) ContactKinds(ctx context.Context) (map[int64]*saydo.PackedKind, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, department, channel, intent, message FROM contact_kinds`)
	if err != nil {
		return nil, fmt.Errorf("contact kinds: %w", err)
	}
	out := map[int64]*saydo.PackedKind{}
	var (
		id                int64
		dept, ch, in, msg string
	)
	if _, err := pgx.ForEachRow(rows, []any{&id, &dept, &ch, &in, &msg}, func() error {
		out[id] = &saydo.PackedKind{Department: dept, Channel: ch, Intent: saydo.Intent(in), Message: msg}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("contact kinds: %w", err)
	}
	return out, nil
}

// nextFilterSeq returns the next value of the counter 'contact_filters'.
// It locks the counter's row until the transaction ends, so two
// transactions never update a day's filter from the same old one.
func nextFilterSeq(ctx context.Context, tx pgx.Tx) (int64, error) {
	var seq int64
	if err := tx.QueryRow(ctx, `UPDATE counters SET value = value + 1 WHERE name = 'contact_filters' RETURNING value`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("contact filters: %w", err)
	}
	return seq, nil
}

// writeContactFilters adds hashes, by day, to the days' filters and marks
// them with seq (from nextFilterSeq in the same transaction).
func writeContactFilters(ctx context.Context, tx pgx.Tx, seq int64, hashes map[int64][]uint64) error {
	days := make([]int64, 0, len(hashes))
	for d := range hashes {
		days = append(days, d)
	}
	old := map[int64][]byte{}
	rows, err := tx.Query(ctx, `SELECT day, bits FROM contact_filters WHERE day = ANY($1)`, days)
	if err != nil {
		return fmt.Errorf("contact filters: %w", err)
	}
	var day int64
	var bits []byte
	if _, err := pgx.ForEachRow(rows, []any{&day, &bits}, func() error {
		old[day] = append([]byte(nil), bits...)
		return nil
	}); err != nil {
		return fmt.Errorf("contact filters: %w", err)
	}
	var b pgx.Batch
	for d, hs := range hashes {
		enc, err := saydo.AddToCustomerFilter(old[d], hs)
		if err != nil {
			return fmt.Errorf("contact filters: day %d: %w", d, err)
		}
		b.Queue(`INSERT INTO contact_filters (day, seq, bits) VALUES ($1, $2, $3)
			ON CONFLICT (day) DO UPDATE SET seq = excluded.seq, bits = excluded.bits`, d, seq, enc)
	}
	if err := tx.SendBatch(ctx, &b).Close(); err != nil {
		return fmt.Errorf("contact filters: %w", err)
	}
	return nil
}

// Commit makes the transaction's contacts visible and durable, and
// announces them to other processes.
func (t *contactTx) Commit() error {
	if t.done {
		return errors.New("commit contacts: transaction is closed")
	}
	t.done = true
	defer t.packs.Close()
	ctx := context.WithoutCancel(t.ctx)
	if len(t.filters) > 0 {
		err := writePacks(ctx, t.tx, t.packs)
		var seq int64
		if err == nil {
			seq, err = nextFilterSeq(ctx, t.tx)
		}
		if err == nil {
			err = writeContactFilters(ctx, t.tx, seq, t.filters)
		}
		if err == nil {
			err = t.s.notify(ctx, t.tx, "contacts")
		}
		if err != nil {
			t.tx.Rollback(ctx)
			return fmt.Errorf("commit contacts: %w", err)
		}
	}
	if err := t.tx.Commit(ctx); err != nil {
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
	t.done = true
	t.packs.Close()
	if err := t.tx.Rollback(context.WithoutCancel(t.ctx)); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
		return fmt.Errorf("rollback contacts: %w", err)
	}
	return nil
}

const contactSelect = `SELECT c.customer, c.at, c.key, k.department, k.channel, k.intent, k.message, c.source_id
	FROM contacts c JOIN contact_kinds k ON k.id = c.kind`

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

// CustomerContacts returns one customer's contacts with from <= At < to,
// in (At, Key) order. It reads only the days whose customer filter may
// hold the customer, one primary-key range read each, as the SQLite store
// does.
func (s *Store) CustomerContacts(ctx context.Context, customer string, from, to time.Time) ([]saydo.Contact, error) {
	lo, hi := timeRange(from, to)
	if err := s.freshFilters(ctx); err != nil {
		return nil, fmt.Errorf("customer contacts: %w", err)
	}
	var buf [32]int64
	days := s.filters.Days(customer, dayOf(lo), dayOf(hi), buf[:0])
	if len(days) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, contactSelect+` WHERE day = ANY($1) AND customer = $2 AND at >= $3 AND at < $4 ORDER BY at, key`,
		days, customer, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("customer contacts: %w", err)
	}
	var out []saydo.Contact
	if err := scanContacts(rows, func(c *saydo.Contact) error { out = append(out, *c); return nil }); err != nil {
		return nil, fmt.Errorf("customer contacts: %w", err)
	}
	return out, nil
}

// CustomerHistory returns one customer's contacts and complaints, as
// CustomerContacts and CustomerComplaints do.
func (s *Store) CustomerHistory(ctx context.Context, customer string, contactsFrom, complaintsFrom, to time.Time) ([]saydo.Contact, []saydo.Complaint, error) {
	cs, err := s.CustomerContacts(ctx, customer, contactsFrom, to)
	if err != nil {
		return nil, nil, err
	}
	ks, err := s.CustomerComplaints(ctx, customer, complaintsFrom, to)
	return cs, ks, err
}

// freshFilters brings the store's copy of the contact filters up to date
// with the counter 'contact_filters': it rereads the days changed since.
func (s *Store) freshFilters(ctx context.Context) error {
	var seq int64
	if err := s.pool.QueryRow(ctx, `SELECT value FROM counters WHERE name = 'contact_filters'`).Scan(&seq); err != nil {
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
	rows, err := s.pool.Query(ctx, `SELECT day, bits FROM contact_filters WHERE seq > $1`, s.filters.Since())
	if err != nil {
		return fmt.Errorf("contact filters: %w", err)
	}
	changed := map[int64][]byte{}
	var day int64
	var bits []byte
	if _, err := pgx.ForEachRow(rows, []any{&day, &bits}, func() error {
		changed[day] = append([]byte(nil), bits...)
		return nil
	}); err != nil {
		return fmt.Errorf("contact filters: %w", err)
	}
	return s.filters.Update(seq, changed)
}

// buildContactFilters gives every day of contacts its customer filter,
// once, on a store whose contacts are older than the filters (migration
// 0043): a store with contacts and no filters.
func (s *Store) buildContactFilters(ctx context.Context) error {
	var need bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM contacts) AND NOT EXISTS (SELECT 1 FROM contact_filters)`).Scan(&need); err != nil {
		return fmt.Errorf("build contact filters: %w", err)
	}
	if !need {
		return nil
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("build contact filters: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// With the counter locked no import commits contacts until this ends,
	// and those committed before are all read below.
	seq, err := nextFilterSeq(ctx, tx)
	if err != nil {
		return fmt.Errorf("build contact filters: %w", err)
	}
	var built bool // by another store opened at the same time
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM contact_filters)`).Scan(&built); err != nil || built {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT day, customer FROM contacts`)
	if err != nil {
		return fmt.Errorf("build contact filters: %w", err)
	}
	hashes := map[int64][]uint64{}
	var day int64
	var customer string
	if _, err := pgx.ForEachRow(rows, []any{&day, &customer}, func() error {
		hashes[day] = append(hashes[day], saydo.CustomerHash(customer))
		return nil
	}); err != nil {
		return fmt.Errorf("build contact filters: %w", err)
	}
	if err := writeContactFilters(ctx, tx, seq, hashes); err != nil {
		return fmt.Errorf("build contact filters: %w", err)
	}
	return tx.Commit(ctx)
}

// buildContactPacks packs every stored contact, once, on a store whose
// contacts are older than the packs (migration 0044).
func (s *Store) buildContactPacks(ctx context.Context) error {
	var need bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM contacts) AND NOT EXISTS (SELECT 1 FROM contact_packs)`).Scan(&need); err != nil {
		return fmt.Errorf("build contact packs: %w", err)
	}
	if !need {
		return nil
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("build contact packs: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// As for the filters: with the counter locked no import commits
	// contacts until this ends.
	if _, err := nextFilterSeq(ctx, tx); err != nil {
		return fmt.Errorf("build contact packs: %w", err)
	}
	var built bool // by another store opened at the same time
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM contact_packs)`).Scan(&built); err != nil || built {
		return err
	}
	var lo, hi int64
	if err := tx.QueryRow(ctx, `SELECT min(day), max(day) FROM contacts`).Scan(&lo, &hi); err != nil {
		return fmt.Errorf("build contact packs: %w", err)
	}
	// A week of contacts at a time: one connection cannot read and write
	// at once, and the packer holds what it read.
	p := saydo.NewContactPacker(math.MaxInt)
	for d := lo; d <= hi; d += 7 {
		rows, err := tx.Query(ctx, `SELECT customer, at, key, kind, source_id FROM contacts
			WHERE day >= $1 AND day < $2 ORDER BY day, customer, at, key`, d, d+7)
		if err != nil {
			return fmt.Errorf("build contact packs: %w", err)
		}
		var (
			batch        []saydo.Contact
			kinds        []int64
			c            saydo.Contact
			at, key, knd int64
			source       *string
		)
		if _, err := pgx.ForEachRow(rows, []any{&c.Customer, &at, &key, &knd, &source}, func() error {
			c.At, c.Key, c.SourceID = fromMillis(at), uint64(key), ""
			if source != nil {
				c.SourceID = *source
			}
			batch = append(batch, c)
			kinds = append(kinds, knd)
			return nil
		}); err != nil {
			return fmt.Errorf("build contact packs: %w", err)
		}
		p.Add(batch, kinds)
		if err := writePacks(ctx, tx, p); err != nil {
			return fmt.Errorf("build contact packs: %w", err)
		}
	}
	return tx.Commit(ctx)
}

// ScanContactPacks calls fn with the contact packs of each bucket and
// month with fromMonth <= month <= toMonth, by bucket then month, a
// bucket's month's packs in the order they were written. The packs are
// fn's to keep.
func (s *Store) ScanContactPacks(ctx context.Context, fromMonth, toMonth int64, fn func(bucket int, month int64, packs [][]byte) error) error {
	rows, err := s.pool.Query(ctx, `SELECT bucket, month, pack FROM contact_packs WHERE month >= $1 AND month <= $2 ORDER BY bucket, month, id`, fromMonth, toMonth)
	if err != nil {
		return fmt.Errorf("scan contact packs: %w", err)
	}
	defer rows.Close()
	return saydo.ScanPackRows(rows, fn)
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

// rekeyContacts gives the stored contacts without a source id the keys
// saydo.ContactKey gives them now (what they were and their occurrence),
// once, while migration 0073's mark is set; it runs in the migrating
// transaction, which clears the mark, a week at a time in the table's
// order (equal contacts share their day, customer and time, so they are
// neighbours). The packs, which hold the keys, are dropped with it;
// buildContactPacks packs every contact again.
func (s *Store) rekeyContacts(ctx context.Context, tx pgx.Tx) error {
	if set, err := takeMark(ctx, tx, "contact_rekey"); err != nil || !set {
		return err // or done before
	}
	var lo, hi *int64
	if err := tx.QueryRow(ctx, `SELECT min(day), max(day) FROM contacts`).Scan(&lo, &hi); err != nil {
		return fmt.Errorf("re-key contacts: %w", err)
	}
	if lo == nil {
		return nil
	}
	var (
		occ     saydo.Occurrences
		rekeyed bool
	)
	for d := *lo; d <= *hi; d += 7 {
		rows, err := tx.Query(ctx, `SELECT c.day, c.customer, c.at, c.key, k.department, k.channel, k.intent, k.message
			FROM contacts c JOIN contact_kinds k ON k.id = c.kind
			WHERE c.day >= $1 AND c.day < $2 AND c.source_id IS NULL ORDER BY c.day, c.customer, c.at, c.key`, d, d+7)
		if err != nil {
			return fmt.Errorf("re-key contacts: %w", err)
		}
		var (
			days, ats, old, keys []int64
			customers            []string
			c                    saydo.Contact
			day, at, key         int64
			intent               string
		)
		if _, err := pgx.ForEachRow(rows, []any{&day, &c.Customer, &at, &key, &c.Department, &c.Channel, &intent, &c.Message}, func() error {
			c.At, c.Intent = fromMillis(at), saydo.Intent(intent)
			if k := int64(occ.Next(at, saydo.ContactIdentity(&c))); k != key {
				days, customers, ats, old, keys = append(days, day), append(customers, c.Customer), append(ats, at), append(old, key), append(keys, k)
			}
			return nil
		}); err != nil {
			return fmt.Errorf("re-key contacts: %w", err)
		}
		if len(old) == 0 {
			continue
		}
		rekeyed = true
		if _, err := tx.Exec(ctx, `UPDATE contacts c SET key = u.new
			FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[]) AS u(day, customer, at, old, new)
			WHERE c.day = u.day AND c.customer = u.customer AND c.at = u.at AND c.key = u.old`, days, customers, ats, old, keys); err != nil {
			return fmt.Errorf("re-key contacts: %w", err)
		}
	}
	if rekeyed {
		if _, err := tx.Exec(ctx, `DELETE FROM contact_packs`); err != nil {
			return fmt.Errorf("re-key contacts: %w", err)
		}
	}
	return nil
}
