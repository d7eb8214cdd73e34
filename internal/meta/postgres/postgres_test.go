package postgres_test

import (
	"sync"
	"testing"

	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/meta/metatest"
	"github.com/grantd/grantd/internal/meta/postgres"
	"github.com/grantd/grantd/internal/meta/postgres/pgtest"
)

func open(t *testing.T, dsn string) meta.Store {
	t.Helper()
	db, err := postgres.Open(t.Context(), postgres.Options{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	var mu sync.Mutex
	dsns := map[meta.Store]string{}
	metatest.Run(t, metatest.Suite{
		Open: func(t *testing.T) meta.Store {
			dsn := pgtest.DSN(t)
			st := open(t, dsn)
			mu.Lock()
			dsns[st] = dsn
			mu.Unlock()
			return st
		},
		Reopen: func(t *testing.T, s meta.Store) meta.Store {
			mu.Lock()
			defer mu.Unlock()
			return open(t, dsns[s])
		},
	})
}

// TestConcurrentMigrations starts several nodes on one empty database at
// once; the migration lock lets exactly one apply each migration.
func TestConcurrentMigrations(t *testing.T) {
	dsn := pgtest.DSN(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := postgres.Open(t.Context(), postgres.Options{DSN: dsn})
			if err != nil {
				t.Error(err)
				return
			}
			db.Close()
		}()
	}
	wg.Wait()
}
