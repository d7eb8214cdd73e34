// Package sqlite opens grantd's embedded metadata store: SQLite through the
// pure-Go modernc.org/sqlite driver, in WAL mode with full fsync on every
// commit, so an acknowledged write survives kill -9 and power loss.
//
// Writes go through a single connection that begins transactions with
// BEGIN IMMEDIATE, which serializes writers inside the process without
// SQLITE_BUSY storms; other processes on the same file (grantd accounts
// create next to a running server) wait on the busy timeout. Reads use a
// separate pool and run concurrently with the writer under WAL.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/grantd/grantd/internal/meta/sqlstore"
)

// Options configure Open.
type Options struct {
	// Path is the database file; its directory is created if missing.
	Path string
	// Now is the store's clock; nil means time.Now.
	Now func() time.Time
}

// Open opens (creating if needed) and migrates the database at o.Path.
func Open(ctx context.Context, o Options) (*sqlstore.DB, error) {
	if strings.ContainsAny(o.Path, "?#") {
		return nil, fmt.Errorf("sqlite path %q: must not contain ? or #", o.Path)
	}
	if err := os.MkdirAll(filepath.Dir(o.Path), 0o700); err != nil {
		return nil, fmt.Errorf("create store directory: %w", err)
	}
	pragmas := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(ON)"} {
		pragmas.Add("_pragma", p)
	}
	base := "file:" + o.Path + "?" + pragmas.Encode()
	w, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", o.Path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", base)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", o.Path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	db, err := sqlstore.New(ctx, sqlstore.Options{Writer: w, Reader: r, Dialect: Dialect, Now: o.Now})
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	return db, nil
}

// Dialect is SQLite's SQL dialect.
var Dialect = sqlstore.Dialect{
	Name:     "sqlite",
	IsUnique: isUnique,
	IsBusy:   isBusy,
	DDL: map[string]string{
		"serial": "INTEGER PRIMARY KEY AUTOINCREMENT",
		// SQLite's default BINARY collation compares bytes.
		"text_bytes": "TEXT",
	},
}

func code(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

func isUnique(err error) bool {
	c := code(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

func isBusy(err error) bool {
	c := code(err) & 0xff
	return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
}
