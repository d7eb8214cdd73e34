// Package pgtest gives tests a fresh PostgreSQL database each. The server
// comes from the environment: GRANTD_TEST_POSTGRES holds a DSN of a role
// that may create databases (the repository's test script starts a
// throwaway server and sets it). Without it the tests skip, unless
// GRANTD_REQUIRE_POSTGRES=1, as in CI, where a missing server fails them.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// DSN creates an empty database for t and returns its DSN; the database is
// dropped when t ends.
func DSN(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("GRANTD_TEST_POSTGRES")
	if admin == "" {
		if os.Getenv("GRANTD_REQUIRE_POSTGRES") == "1" {
			t.Fatal("GRANTD_TEST_POSTGRES is not set but GRANTD_REQUIRE_POSTGRES=1: run the tests through scripts/test.sh")
		}
		t.Skip("PostgreSQL tests need GRANTD_TEST_POSTGRES (scripts/test.sh sets it)")
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("GRANTD_TEST_POSTGRES: %v", err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "grantd_test_" + hex.EncodeToString(b[:])
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u.Path = "/" + name
	return u.String()
}
