// Package sqlite implements saydo.Store on an embedded SQLite file with the
// pure-Go driver modernc.org/sqlite, so the saydo binary needs no cgo and no
// server.
//
// The store keeps two database/sql pools on the same file: a writer with a
// single connection, which serialises every write of this process without
// lock contention, and a read pool whose connections are query-only. The
// file is in WAL mode, so readers never wait for the writer and the writer
// never waits for readers; busy_timeout covers other processes.
//
// One rule follows from the single writer: a goroutine holding an open
// ObservationTx or FeedbackTx must not call another writing method
// (PutSummaries, ClearDirty, PutMessage) before it commits or rolls back,
// or it waits for itself until its context ends.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/saydo/saydo/internal/migration"

	"github.com/saydo/saydo"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Tuning, measured in BENCH.md.
const (
	pageSize = 16384
	// cacheSizeKiB is per connection (negative cache_size means KiB). 64 MiB
	// made an import's memory grow to 420 MiB by 10M rows and was no faster
	// than 16 MiB, which holds it at 150 MiB (BENCH.md).
	cacheSizeKiB = 16384
	// mmapSize is for readers (the writer maps nothing); 1 GiB was tried
	// for the journeys check and reverted: a p99 within noise for up to
	// 460 MiB more RSS (BENCH.md).
	mmapSize    = 256 << 20
	busyTimeout = 30000 // ms
	// walAutocheckpoint is in pages: 4096 pages of 16 KiB is 64 MiB of WAL
	// between checkpoints, fewer and larger checkpoints while importing.
	walAutocheckpoint = 4096
	// segmentCacheLimit caps each in-memory segment map; a full map is
	// cleared, so memory stays flat however many segments there are.
	segmentCacheLimit = 100_000
)

// Store is saydo's embedded store: one SQLite file.
type Store struct {
	path string
	w    *sql.DB // one connection: every write goes through it
	r    *sql.DB // query-only connections for reads

	mu       sync.Mutex
	metrics  map[string]int64 // name → id, only committed ids
	segments map[string]int64 // canonical attrs → id, only committed ids
	attrs    map[int64]saydo.Attrs
	kinds    saydo.ContactKindCache // contact kinds → id, only committed ids

	// Prepared lookups of the check before a send (contact.go).
	contactsStmt, complaintsStmt, filterSeqStmt *sql.Stmt
	historyStmts                                [maxHistoryDays + 1]*sql.Stmt
	// filters are the contact days' customer filters, read once and
	// refreshed when an import changed them; filterLoad lets one reader
	// refresh them at a time.
	filters    saydo.ContactDayFilters
	filterLoad sync.Mutex

	// raw holds the import's insert statements, prepared on the writer's
	// driver connection and kept across transactions (observation.go).
	raw rawStmts
}

// OnUpgrade, when set, is called before a store that has data is brought
// up to date, with the migrations about to run: a large store can take a
// while, once (the command line says so on standard error).
var OnUpgrade func(pending []string)

var _ saydo.Store = (*Store)(nil)

// Open opens the store at path, creating the file and its parent directory
// when missing, and applies pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("open store: empty path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
	}
	common := []string{
		"busy_timeout(" + strconv.Itoa(busyTimeout) + ")",
		"synchronous(NORMAL)",
		"foreign_keys(1)",
		"cache_size(-" + strconv.Itoa(cacheSizeKiB) + ")",
		"temp_store(MEMORY)",
		"mmap_size(" + strconv.Itoa(mmapSize) + ")",
	}
	// The writer maps nothing: mapped pages count in the process's memory,
	// and an import would hold up to mmapSize of them however large the
	// file; imports read index pages through the page cache instead.
	writer := append(common[:len(common)-1:len(common)-1], "mmap_size(0)", "wal_autocheckpoint("+strconv.Itoa(walAutocheckpoint)+")")
	w, err := sql.Open("sqlite", dsn(path, writer, "&_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{
		path:     path,
		w:        w,
		metrics:  map[string]int64{},
		segments: map[string]int64{},
		attrs:    map[int64]saydo.Attrs{},
	}
	if err := s.init(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn(path, append(common, "query_only(1)"), ""))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s.r = r
	return s, nil
}

func dsn(path string, pragmas []string, extra string) string {
	var b strings.Builder
	b.WriteString("file:")
	b.WriteString((&url.URL{Path: path}).EscapedPath())
	for i, p := range pragmas {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString("_pragma=")
		b.WriteString(url.QueryEscape(p))
	}
	b.WriteString(extra)
	return b.String()
}

// init sets the file-level settings (page size before the first table, WAL)
// and applies migrations.
func (s *Store) init(ctx context.Context) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, p := range []string{
		"PRAGMA page_size = " + strconv.Itoa(pageSize), // no-op once the file has tables
		"PRAGMA journal_mode = WAL",
	} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	if err := migrate(ctx, conn); err != nil {
		return err
	}
	if err := splitObservations(ctx, conn); err != nil {
		return err
	}
	if err := rekeyIDs(ctx, conn); err != nil {
		return err
	}
	if err := s.rekeyContent(ctx, conn); err != nil {
		return err
	}
	if err := s.rekeyFeedback(ctx, conn); err != nil {
		return err
	}
	if err := s.rekeyContacts(ctx, conn); err != nil {
		return err
	}
	if err := moveIdentities(ctx, conn); err != nil {
		return err
	}
	if err := recordStoredIDs(ctx, conn); err != nil {
		return err
	}
	if err := buildContactFilters(ctx, conn); err != nil {
		return err
	}
	return buildContactPacks(ctx, conn)
}

// recordStoredIDs records the rows with a source id that a store from
// before ids were identities (migration 0022) holds, once, so that a
// correction of one of them replaces it instead of adding a second one.
// The counter 'ids' marks it done.
func recordStoredIDs(ctx context.Context, conn *sql.Conn) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record stored ids: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO counters (name, value) VALUES ('ids', 1)`)
	if err != nil {
		return fmt.Errorf("record stored ids: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err // done before
	}
	ids, err := metricIDs(ctx, tx)
	if err != nil {
		return fmt.Errorf("record stored ids: %w", err)
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO `+idsTable(id)+` (source_id, at)
			SELECT `+idKeySQL("source_id")+`, at FROM `+obsTable(id)+` WHERE source_id IS NOT NULL ORDER BY 1`); err != nil {
			return fmt.Errorf("record stored ids: %w", err)
		}
	}
	return tx.Commit()
}

// metricIDs lists the ids of every metric.
func metricIDs(ctx context.Context, tx *sql.Tx) ([]int64, error) {
	names, err := metricNames(ctx, tx)
	return slices.Sorted(maps.Keys(names)), err
}

// splitObservations gives every metric its own observations table and
// moves there any rows an earlier version kept in the shared observations
// table (migration 0001), in one transaction. It does nothing on a store
// that is already split.
func splitObservations(ctx context.Context, conn *sql.Conn) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("split observations: %w", err)
	}
	defer tx.Rollback()
	ids, err := metricIDs(ctx, tx)
	if err != nil {
		return fmt.Errorf("split observations: %w", err)
	}
	var shared int
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM observations)`).Scan(&shared); err != nil {
		return fmt.Errorf("split observations: %w", err)
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, obsTableSQL(id)); err != nil {
			return fmt.Errorf("split observations: %w", err)
		}
		if _, err := tx.ExecContext(ctx, idsTableSQL(id)); err != nil {
			return fmt.Errorf("split observations: %w", err)
		}
		if shared == 1 {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO `+obsTable(id)+` (at, key, value, segment_id, customer, source_id)
				SELECT at, key, value, segment_id, customer, source_id FROM observations WHERE metric_id = ? ORDER BY at, key`, id); err != nil {
				return fmt.Errorf("split observations: %w", err)
			}
		}
	}
	if shared == 1 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM observations`); err != nil {
			return fmt.Errorf("split observations: %w", err)
		}
	}
	return tx.Commit()
}

func migrations() ([]migration.Migration, error) {
	return migration.Load(migrationFiles, "migrations")
}

// onceMarked runs work in one transaction on conn when a migration left
// its mark, a counter named mark that asks Go for what SQL cannot do
// (keys are hashes computed in Go), and clears the mark in the same
// transaction: the work is done exactly once, and again after a crash.
// what names the work in errors.
func onceMarked(ctx context.Context, conn *sql.Conn, mark, what string, work func(tx *sql.Tx) error) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM counters WHERE name = ?`, mark)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err // done before
	}
	if err := work(tx); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return tx.Commit()
}

// migrate applies pending migrations in one immediate transaction, so two
// processes opening a new file at once do not both apply them.
func migrate(ctx context.Context, conn *sql.Conn) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
	)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// Apply every migration not recorded yet, not only those above the
	// highest: packages number their files in separate ranges.
	done := map[int]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("migrate: %w", err)
		}
		done[v] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	rows.Close()
	applied := false
	migration.Announce(ms, done, OnUpgrade)
	for _, m := range ms {
		if done[m.Version] {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.Version, m.Name); err != nil {
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		applied = true
	}
	if !applied {
		return nil
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Close closes the store's connections; it checkpoints the WAL.
func (s *Store) Close() error {
	var errs []error
	errs = append(errs, s.raw.close(s.w))
	for _, st := range append([]*sql.Stmt{s.contactsStmt, s.complaintsStmt, s.filterSeqStmt}, s.historyStmts[:]...) {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	errs = append(errs, s.w.Close())
	return errors.Join(errs...)
}

// Path returns the file the store was opened on.
func (s *Store) Path() string { return s.path }

// IntegrityCheck runs SQLite's integrity_check and returns nil when the file
// is sound.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.r.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check: %s", strings.Join(problems, "; "))
	}
	return nil
}
