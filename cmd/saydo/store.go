package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/saydo/saydo/ledger"
	"github.com/saydo/saydo/postgres"
)

var storeCommand = &command{
	name:  "store",
	args:  "copy --from DSN --to DSN",
	short: "move a workspace's store between SQLite and PostgreSQL",
	help: `'saydo store copy' copies everything a store keeps into another store, SQLite
to PostgreSQL or back (or between two of the same kind), then counts both
sides and says whether they agree (exit status 1 when they do not).

What is copied: observations (with their ids, customers and attributes, and
pre-aggregated rows), feedback with its analysis, the voice summaries and
the mapping learned from the feedback (so the copy's voice reports are the
source's from the first one on), contacts, every version of every message,
their review history (versions and decisions, with who decided and when),
users with their password hashes, the audit log, and the alert states and
delivery log. Not copied: observation summaries (a cache; the next report
rebuilds them from the copied observations), sign-in sessions (users
sign in again) and API tokens (the store keeps only their hashes and does not
hand them out: create new ones with 'saydo token create').

A copy is resumable, not all-or-nothing: rows go over in batches, each
committed, and everything is keyed, so running the same copy again after an
interruption copies only what is missing and counts nothing twice. Copy into
an empty store, or into one filled by an earlier copy from the same source;
stop the servers writing to the source first.

Examples:
  saydo store copy --from .saydo/saydo.db --to postgres://saydo@db.internal/saydo
  saydo store copy --from "postgres://saydo@db.internal/saydo?search_path=acme" --to /tmp/acme.db`,
	flags: func(fs *flag.FlagSet, o options) {
		o.defStr(fs, "from", "", "the store to copy from: a SQLite file or a postgres:// URL (default: --db)")
		o.defStr(fs, "to", "", "the store to copy into: a SQLite file or a postgres:// URL")
	},
	run: runStore,
}

func init() { extraCommands = append(extraCommands, storeCommand) }

func runStore(ctx context.Context, e *env, o options, args []string) error {
	if len(args) != 1 || args[0] != "copy" {
		return usageError{"want a subcommand: saydo store copy --from DSN --to DSN"}
	}
	from, to := o.str("from"), o.str("to")
	if from == "" {
		from = dbPath(e, o)
	}
	if to == "" {
		return usageError{"--to: name the store to copy into (a SQLite file or a postgres:// URL)"}
	}
	if from == to {
		return usageError{"--from and --to name the same store"}
	}
	src, err := openDSN(ctx, from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openDSN(ctx, to)
	if err != nil {
		return err
	}
	defer dst.Close()
	fmt.Fprintf(e.stderr, "Copying %s to %s\n", redact(from), redact(to))
	c := ledger.NewStoreCopy(src, dst)
	c.Progress = func(what string, n int64, elapsed time.Duration) {
		fmt.Fprintf(e.stderr, "  %-18s %12s copied in %.1fs\n", what, thousands(n), elapsed.Seconds())
	}
	if err := c.Run(ctx); err != nil {
		return err
	}
	counts, err := c.Verify(ctx)
	if err != nil {
		return err
	}
	bad := 0
	fmt.Fprintf(e.stdout, "%-40s %14s %14s\n", "what", "from", "to")
	for _, k := range counts {
		mark := ""
		if k.From != k.To {
			mark = "  DIFFERENT"
			bad++
		}
		fmt.Fprintf(e.stdout, "%-40s %14s %14s%s\n", k.What, thousands(k.From), thousands(k.To), mark)
	}
	for _, n := range c.Notes {
		fmt.Fprintln(e.stdout, n)
	}
	if bad > 0 {
		return problems("%d %s differ between the stores (was the destination empty, and the source idle?)", bad, plural(bad, "count", "counts"))
	}
	fmt.Fprintf(e.stdout, "The stores agree. Point saydo at the copy with --db or SAYDO_DB=%s\n", redact(to))
	return nil
}

func redact(dsn string) string {
	if postgres.IsDSN(dsn) {
		return postgres.Redact(dsn)
	}
	return dsn
}

// openDSN opens a store by DSN, as --db does.
func openDSN(ctx context.Context, dsn string) (serverStore, error) {
	o := options{"db": &dsn, "workspace": new(string)}
	return openServerStore(ctx, &env{getenv: func(string) string { return "" }}, o)
}
