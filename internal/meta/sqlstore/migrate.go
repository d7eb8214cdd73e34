package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Migrations are embedded SQL files named NNNN_name.sql, applied in version
// order, each in its own transaction together with its schema_migrations row.
// {{token}} words are replaced from Dialect.DDL. Version ranges are kept per
// area (0001–0099 core, 0100 IAM, 0200 S3, 0300 access grants…) so areas
// can add migrations independently.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration file %q: want NNNN_name.sql", e.Name())
		}
		body, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("two migrations with version %d", ms[i].version)
		}
	}
	return ms, nil
}

// statements splits a migration into statements: each ends with a
// semicolon at the end of a line.
func (db *DB) statements(sql string) []string {
	for k, v := range db.d.DDL {
		sql = strings.ReplaceAll(sql, "{{"+k+"}}", v)
	}
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, cur.String())
	}
	return out
}

func (db *DB) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	// Concurrent starters (several nodes on one PostgreSQL) serialize on
	// the dialect's migration lock, taken first in every transaction here.
	err = db.writeOnce(ctx, func(t *tx) error {
		if err := t.lockMigrations(ctx); err != nil {
			return err
		}
		_, err := t.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`)
		return err
	})
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, m := range ms {
		if err := db.apply(ctx, m); err != nil {
			return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
		}
	}
	return nil
}

func (db *DB) apply(ctx context.Context, m migration) error {
	return db.writeOnce(ctx, func(t *tx) error {
		if err := t.lockMigrations(ctx); err != nil {
			return err
		}
		var n int
		if err := t.row(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		for _, s := range db.statements(m.sql) {
			if _, err := t.tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("%w\n%s", err, s)
			}
		}
		_, err := t.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
			m.version, m.name, db.now().UnixNano())
		return err
	})
}

func (t *tx) lockMigrations(ctx context.Context) error {
	if lock := t.db.d.DDL["migration_lock"]; lock != "" {
		if _, err := t.exec(ctx, lock); err != nil {
			return fmt.Errorf("take migration lock: %w", err)
		}
	}
	return nil
}
