// Package postgres opens grantd's metadata store on PostgreSQL through pgx.
// Several grantd nodes may share one database: every read goes to the
// database, and the change feed tells each node's caches what others wrote.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/grantd/grantd/internal/meta/sqlstore"
)

// Options configure Open.
type Options struct {
	// DSN is a postgres:// URL or key=value connection string.
	DSN string
	// Now is the store's clock; nil means time.Now.
	Now func() time.Time
}

// Open connects and migrates.
func Open(ctx context.Context, o Options) (*sqlstore.DB, error) {
	pool, err := sql.Open("pgx", o.DSN)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(16)
	pool.SetMaxIdleConns(16)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect postgres: %w", err)
	}
	db, err := sqlstore.New(ctx, sqlstore.Options{Writer: pool, Dialect: Dialect, Now: o.Now})
	if err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// Dialect is PostgreSQL's SQL dialect.
var Dialect = sqlstore.Dialect{
	Name:     "postgres",
	Numbered: true,
	IsUnique: func(err error) bool { return pgCode(err) == "23505" },
	IsBusy: func(err error) bool {
		c := pgCode(err)
		return c == "40001" || c == "40P01"
	},
	DDL: map[string]string{
		"serial": "BIGSERIAL PRIMARY KEY",
		// The "C" collation compares bytes whatever the database's locale.
		"text_bytes":     `TEXT COLLATE "C"`,
		"migration_lock": "SELECT pg_advisory_xact_lock(4242001)",
	},
	SerializeCommits: "SELECT pg_advisory_xact_lock(4242002)",
}

func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
