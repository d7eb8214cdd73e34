package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/meta/metatest"
	"github.com/grantd/grantd/internal/meta/sqlite"
)

func open(t *testing.T, path string) meta.Store {
	t.Helper()
	db, err := sqlite.Open(t.Context(), sqlite.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	paths := map[meta.Store]string{}
	metatest.Run(t, metatest.Suite{
		Open: func(t *testing.T) meta.Store {
			path := filepath.Join(t.TempDir(), "meta.db")
			st := open(t, path)
			paths[st] = path
			return st
		},
		Reopen: func(t *testing.T, s meta.Store) meta.Store { return open(t, paths[s]) },
	})
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meta.db")
	db, err := sqlite.Open(t.Context(), sqlite.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddSessionKey(t.Context(), meta.SessionKey{ID: 7, Secret: "s", Current: true}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// Reopening applies no migration twice and keeps the data.
	db2 := open(t, path)
	keys, err := db2.SessionKeys(t.Context())
	if err != nil || len(keys) != 1 || keys[0].ID != 7 {
		t.Fatalf("after reopen: keys = %v, %v", keys, err)
	}
}
