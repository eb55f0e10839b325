package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/saydo/saydo"
	"github.com/saydo/saydo/postgres"
	"github.com/saydo/saydo/sqlite"
	"github.com/saydo/saydo/yaml"
)

// loadWorkspace reads the workspace's saydo.yaml. An invalid workspace is
// printed error by error and returned as a problem (exit status 1).
func loadWorkspace(e *env, o options) (*saydo.Workspace, error) {
	dir := workspaceDir(o)
	if _, err := os.Stat(filepath.Join(dir, "saydo.yaml")); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no saydo.yaml in %s: run 'saydo init %s' to start a workspace, or pass --workspace DIR", dir, o.str("workspace"))
	}
	// Errors name the file as the user would: saydo.yaml, or nordtel/saydo.yaml.
	ws, err := yaml.LoadWorkspace(filepath.Clean(o.str("workspace")))
	if err != nil {
		n := printPosErrors(e.stderr, err)
		if n == 0 {
			return nil, err
		}
		return nil, problems("%s is invalid: %d %s", filepath.Join(o.str("workspace"), "saydo.yaml"), n, plural(n, "error", "errors"))
	}
	return ws, nil
}

// printPosErrors prints every error in err, with the offending line and a
// caret under the column when known, and returns how many it printed.
func printPosErrors(w io.Writer, err error) int {
	var list saydo.ErrorList
	if !errors.As(err, &list) {
		list = saydo.ErrorList{err}
	}
	for _, e := range list {
		fmt.Fprintln(w, e.Error())
		var pe *saydo.PosError
		if errors.As(e, &pe) && pe.Source != "" && pe.Line > 0 {
			src := strings.ReplaceAll(pe.Source, "\t", " ")
			fmt.Fprintf(w, "  %4d | %s\n", pe.Line, src)
			if pe.Col > 0 {
				fmt.Fprintf(w, "       | %s^\n", strings.Repeat(" ", pe.Col-1))
			}
		}
	}
	return len(list)
}

// openWorkspace loads the workspace and opens its store, what most
// commands start with; the caller closes the store.
func openWorkspace(ctx context.Context, e *env, o options) (*saydo.Workspace, saydo.Store, error) {
	ws, err := loadWorkspace(e, o)
	if err != nil {
		return nil, nil, err
	}
	st, err := openStore(ctx, e, o)
	if err != nil {
		return nil, nil, err
	}
	return ws, st, nil
}

// openStore opens the store the flags and environment name.
func openStore(ctx context.Context, e *env, o options) (saydo.Store, error) {
	dsn := dbPath(e, o)
	if postgres.IsDSN(dsn) {
		st, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		return st, nil
	}
	if i := strings.Index(dsn, "://"); i > 0 && !strings.HasPrefix(dsn, "sqlite://") {
		// mysql://x would otherwise become a SQLite file named "mysql:/x".
		// The URL is not echoed: it may hold a password.
		return nil, usageError{fmt.Sprintf("store: unknown kind %s://; want a SQLite file path (or sqlite://PATH) or a postgres:// URL", dsn[:i])}
	}
	dsn = strings.TrimPrefix(dsn, "sqlite://")
	st, err := sqlite.Open(ctx, dsn) // its errors name the file
	if err != nil {
		return nil, err
	}
	return st, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
