// Package pgtest gives tests a PostgreSQL schema of their own.
//
// Tests that need PostgreSQL call FreshDSN, which skips the test unless
// $SAYDO_TEST_POSTGRES names a database (.ci/run starts a throwaway server
// and sets it).
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Env is the variable naming the test database.
const Env = "SAYDO_TEST_POSTGRES"

// DSN returns $SAYDO_TEST_POSTGRES or skips the test, saying how to run it.
func DSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(Env)
	if dsn == "" {
		t.Skip("needs PostgreSQL: set " + Env + "=postgres://USER@127.0.0.1:PORT/DB?sslmode=disable (.ci/run starts a throwaway server)")
	}
	return dsn
}

// FreshDSN returns a DSN of a new, empty schema of the test database,
// dropped when the test ends, so tests never see each other's rows.
func FreshDSN(t testing.TB) string {
	t.Helper()
	dsn := DSN(t)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "saydo_test_" + hex.EncodeToString(b)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	t.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return u.String()
}
