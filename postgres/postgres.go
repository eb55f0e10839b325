// Package postgres implements saydo.Store, saydo.AccessStore and
// saydo.ReviewStore on PostgreSQL with pgx, so several saydo processes
// (commands and servers on many machines) share one store.
//
// The schema is the SQLite store's, translated: the migrations under
// migrations/ have the same file names as sqlite/migrations, and times of
// observations, summaries and feedback are the same Unix milliseconds and
// day numbers, so `saydo store copy` moves rows between the stores exactly.
//
// Writes that read what they then change (an import merging day
// summaries, a summary rebuild, clearing dirty days) take one advisory lock
// per schema for the length of their transaction, so imports through
// different processes run one after another and none loses or double-counts
// another's rows; readers never wait for them. Every committed change is
// announced with NOTIFY on one channel per schema; WatchChanges listens.
//
// A DSN may name a schema with search_path (postgres://…/db?search_path=acme);
// Open creates it when missing, so one database can hold several workspaces.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/saydo/saydo/internal/migration"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/saydo/saydo"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is saydo's store on a PostgreSQL database (one schema of it).
type Store struct {
	pool    *pgxpool.Pool
	schema  string
	channel string // NOTIFY channel of this schema
	dsn     string

	mu       sync.Mutex
	metrics  map[string]int64 // name → id, only committed ids
	segments map[string]int64 // canonical attrs → id, only committed ids
	attrs    map[int64]saydo.Attrs
	kinds    saydo.ContactKindCache // contact kinds → id, only committed ids

	// filters are the contact days' customer filters, read once and
	// refreshed when an import changed them (contact.go); filterLoad lets
	// one reader refresh them at a time.
	filters    saydo.ContactDayFilters
	filterLoad sync.Mutex
}

var (
	_ saydo.Store         = (*Store)(nil)
	_ saydo.AccessStore   = (*Store)(nil)
	_ saydo.ReviewStore   = (*Store)(nil)
	_ saydo.ChangeWatcher = (*Store)(nil)
)

// OnUpgrade, when set, is called before a store that has data is brought
// up to date, with the migrations about to run: a large store can take a
// while, once (the command line says so on standard error).
var OnUpgrade func(pending []string)

// IsDSN reports whether s names a PostgreSQL database (a postgres:// or
// postgresql:// URL) rather than a SQLite file.
func IsDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// connectReason is why a connection failed, in one line: the server's
// own message (a wrong password, a missing database) or the network's
// (connection refused), not pgx's list of every address tried.
func connectReason(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Message
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Error()
	}
	return err.Error()
}

// Open connects to the database named by dsn (a postgres:// URL; pool
// settings such as pool_max_conns go in its query), creates the schema of
// its search_path when missing, and applies pending migrations.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		// Servers answer many readers at once; pgx's default is 4 on 2 cores.
		cfg.MaxConns = 16
	}
	schema := "public"
	if sp := cfg.ConnConfig.RuntimeParams["search_path"]; sp != "" {
		schema, _, _ = strings.Cut(sp, ",")
		schema = strings.Trim(strings.TrimSpace(schema), `"`)
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "saydo"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store %s: cannot connect: %s", Redact(dsn), connectReason(err))
	}
	s := &Store{
		pool: pool, schema: schema, channel: "saydo_changes:" + schema, dsn: dsn,
		metrics: map[string]int64{}, segments: map[string]int64{}, attrs: map[int64]saydo.Attrs{},
	}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store %s: %w", Redact(dsn), err)
	}
	if err := s.buildContactFilters(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store %s: %w", Redact(dsn), err)
	}
	if err := s.buildContactPacks(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store %s: %w", Redact(dsn), err)
	}
	return s, nil
}

// Redact returns dsn without its password, for messages.
func Redact(dsn string) string {
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil || cfg.Password == "" {
		return dsn
	}
	return strings.Replace(dsn, ":"+cfg.Password+"@", ":xxxxx@", 1)
}

// Close closes the store's connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

func migrations() ([]migration.Migration, error) {
	return migration.Load(migrationFiles, "migrations")
}

// MigrationNames lists the embedded migrations' file names in order.
func MigrationNames() ([]string, error) {
	ms, err := migrations()
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name
	}
	return names, nil
}

// migrate applies every migration not recorded yet, in one transaction
// under an advisory lock, so processes starting at once apply each once.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('saydo.migrate:' || $1))`, s.schema); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{s.schema}.Sanitize()); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	done := map[int]bool{}
	rows, err := tx.Query(ctx, `SELECT version FROM schema_migrations`)
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
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	migration.Announce(ms, done, OnUpgrade)
	for _, m := range ms {
		if done[m.Version] {
			continue
		}
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
			return fmt.Errorf("migrate %s: %w", m.Name, err)
		}
	}
	if err := s.rekeyContent(ctx, tx); err != nil {
		return err
	}
	if err := s.rekeyFeedback(ctx, tx); err != nil {
		return err
	}
	if err := s.rekeyContacts(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// takeMark deletes, in tx, the mark a migration left (a counter named
// mark, asking Go for what SQL cannot do: keys are hashes computed in Go)
// and reports whether it was set. Taken in the migrating transaction, the
// work it asks for is done there, exactly once.
func takeMark(ctx context.Context, tx pgx.Tx, mark string) (bool, error) {
	tag, err := tx.Exec(ctx, `DELETE FROM counters WHERE name = $1`, mark)
	if err != nil {
		return false, fmt.Errorf("migration mark %s: %w", mark, err)
	}
	return tag.RowsAffected() > 0, nil
}

// writeLock takes the schema's write lock until tx ends: imports, summary
// rebuilds and dirty-day clearing run one at a time across every process.
func (s *Store) writeLock(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('saydo.write:' || $1))`, s.schema)
	return err
}

// notify announces a change of what inside tx; listeners hear it when tx
// commits, and not at all if it rolls back.
func (s *Store) notify(ctx context.Context, tx pgx.Tx, what string) error {
	_, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, s.channel, what)
	return err
}

// WatchChanges calls fn with what changed ("observations", "feedback",
// "summaries", "messages", "access", "reviews") each time another
// connection commits a change to this schema, until ctx ends. When the
// listening connection is lost it reconnects and calls fn("reconnect"),
// since changes may have been missed meanwhile. It returns ctx's error.
func (s *Store) WatchChanges(ctx context.Context, fn func(what string)) error {
	backoff := 100 * time.Millisecond
	first := true
	for {
		err := s.listen(ctx, fn, !first)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		first = false
		_ = err // logged by nobody: the caller sees the "reconnect" call
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func (s *Store) listen(ctx context.Context, fn func(string), reconnected bool) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The connection carries LISTEN state: never give it back to the pool.
	c := conn.Hijack()
	defer c.Close(context.WithoutCancel(ctx))
	if _, err := c.Exec(ctx, `LISTEN `+pgx.Identifier{s.channel}.Sanitize()); err != nil {
		return err
	}
	if reconnected {
		fn("reconnect")
	}
	for {
		n, err := c.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		fn(n.Payload)
	}
}

func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

var _ saydo.Exclusive = (*Store)(nil)

// Exclusively runs fn holding a session advisory lock named for the job
// and the schema, unless another connection holds it.
func (s *Store) Exclusively(ctx context.Context, name string, fn func(context.Context) error) (bool, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Release()
	key := "saydo.job:" + s.schema + ":" + name
	var ok bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtext($1))`, key).Scan(&ok); err != nil {
		return false, err
	}
	if !ok {
		return false, nil
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext($1))`, key)
	return true, fn(ctx)
}
