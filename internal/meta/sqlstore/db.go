// Package sqlstore implements meta.Store once, in SQL that SQLite and
// PostgreSQL both accept. The drivers meta/sqlite and meta/postgres open the
// database and supply a Dialect: how placeholders are written, how the
// driver reports a unique-key violation, and the few DDL words that differ.
//
// Every exported method runs in one transaction; unexported helpers take
// (ctx, tx, …) so that methods compose them.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grantd/grantd/internal/meta"
)

// Dialect is what differs between the SQL engines.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// Numbered placeholders ($1, $2…) instead of ?.
	Numbered bool
	// IsUnique reports whether err is a unique or primary-key violation.
	IsUnique func(error) bool
	// IsBusy reports whether err is a transient lock conflict worth retrying.
	IsBusy func(error) bool
	// DDL replaces {{name}} tokens in migrations.
	DDL map[string]string
	// SerializeCommits is run in each writing transaction just before the
	// change-feed row is inserted; it makes commit order equal Seq order
	// (PostgreSQL assigns sequence values before commit). Empty for SQLite,
	// whose writers are serialized anyway.
	SerializeCommits string
}

// DB is a meta.Store on a SQL database.
type DB struct {
	w, r *sql.DB // writer and reader pools; the same pool for PostgreSQL
	d    Dialect
	now  func() time.Time

	mu       sync.RWMutex
	rebound  map[string]string
	onCommit []func([]meta.Change)
}

// Options configure New.
type Options struct {
	// Writer runs writing transactions. For SQLite it should hold a single
	// connection that begins transactions with BEGIN IMMEDIATE.
	Writer *sql.DB
	// Reader runs reads; nil means Writer.
	Reader  *sql.DB
	Dialect Dialect
	// Now is the clock for timestamps the store sets itself; nil means time.Now.
	Now func() time.Time
}

// OnCommit registers fn to be called with the change-feed entries of each
// transaction this handle commits, right after the commit. Caches of the
// same node use it to see their own node's writes at once.
func (db *DB) OnCommit(fn func([]meta.Change)) {
	db.mu.Lock()
	db.onCommit = append(db.onCommit, fn)
	db.mu.Unlock()
}

// New wraps opened pools and applies pending migrations.
func New(ctx context.Context, o Options) (*DB, error) {
	db := &DB{w: o.Writer, r: o.Reader, d: o.Dialect, now: o.Now, rebound: map[string]string{}}
	if db.r == nil {
		db.r = db.w
	}
	if db.now == nil {
		db.now = time.Now
	}
	if err := db.migrate(ctx); err != nil {
		return nil, fmt.Errorf("migrate %s store: %w", db.d.Name, err)
	}
	return db, nil
}

// Dialect returns the store's dialect name.
func (db *DB) Dialect() string { return db.d.Name }

// Ping implements meta.Store.
func (db *DB) Ping(ctx context.Context) error { return db.w.PingContext(ctx) }

// Close implements meta.Store.
func (db *DB) Close() error {
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// q rewrites a query written with ? placeholders for the dialect. Queries
// are constants, so the rewrite is cached.
func (db *DB) q(query string) string {
	if !db.d.Numbered {
		return query
	}
	db.mu.RLock()
	out, ok := db.rebound[query]
	db.mu.RUnlock()
	if ok {
		return out
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	out = b.String()
	db.mu.Lock()
	db.rebound[query] = out
	db.mu.Unlock()
	return out
}

// tx is a transaction with the dialect's query rewriting.
type tx struct {
	db *DB
	tx *sql.Tx
	// changed collects change-feed entries written at commit.
	changes []meta.Change
}

func (t *tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.db.q(query), args...)
}

func (t *tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.db.q(query), args...)
}

func (t *tx) row(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.db.q(query), args...)
}

// changed records that key of topic changed; the entry is written to the
// feed when the transaction commits.
func (t *tx) changed(topic, key string) {
	t.changes = append(t.changes, meta.Change{Topic: topic, Key: key})
}

// write runs fn in a writing transaction and commits it with its change-feed
// entries. Transient lock conflicts are retried.
func (db *DB) write(ctx context.Context, fn func(*tx) error) error {
	for attempt := 0; ; attempt++ {
		err := db.writeOnce(ctx, fn)
		if err == nil || db.d.IsBusy == nil || !db.d.IsBusy(err) || attempt >= 5 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 10 * time.Millisecond):
		}
	}
}

func (db *DB) writeOnce(ctx context.Context, fn func(*tx) error) error {
	sqltx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &tx{db: db, tx: sqltx}
	if err := fn(t); err != nil {
		sqltx.Rollback()
		return err
	}
	if err := t.flushChanges(ctx); err != nil {
		sqltx.Rollback()
		return err
	}
	if err := sqltx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if len(t.changes) > 0 {
		db.mu.RLock()
		hooks := db.onCommit
		db.mu.RUnlock()
		for _, fn := range hooks {
			fn(t.changes)
		}
	}
	return nil
}

func (t *tx) flushChanges(ctx context.Context) error {
	if len(t.changes) == 0 {
		return nil
	}
	if s := t.db.d.SerializeCommits; s != "" {
		if _, err := t.exec(ctx, s); err != nil {
			return fmt.Errorf("serialize commit: %w", err)
		}
	}
	at := t.db.now().UnixNano()
	for _, c := range t.changes {
		if _, err := t.exec(ctx, `INSERT INTO changes (topic, key, at) VALUES (?, ?, ?)`, c.Topic, c.Key, at); err != nil {
			return fmt.Errorf("record change: %w", err)
		}
	}
	return nil
}

// read runs fn in a read-only transaction, so multi-statement reads see one
// snapshot.
func (db *DB) read(ctx context.Context, fn func(*tx) error) error {
	sqltx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: db.d.Name == "postgres"})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer sqltx.Rollback()
	return fn(&tx{db: db, tx: sqltx})
}

// notFound maps sql.ErrNoRows to meta.ErrNotFound, wrapping what was sought.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, meta.ErrNotFound)
	}
	return err
}

// exists maps a unique violation to meta.ErrExists.
func (db *DB) exists(err error, what string) error {
	if err != nil && db.d.IsUnique(err) {
		return fmt.Errorf("%s: %w", what, meta.ErrExists)
	}
	return err
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func limit(p meta.Page, def, max int) int {
	if p.Limit <= 0 {
		return def
	}
	if p.Limit > max {
		return max
	}
	return p.Limit
}

var _ meta.Store = (*DB)(nil)
