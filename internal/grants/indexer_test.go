package grants

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/meta/postgres"
	"github.com/grantd/grantd/internal/meta/postgres/pgtest"
	"github.com/grantd/grantd/internal/meta/sqlite"
	"github.com/grantd/grantd/internal/meta/sqlstore"
	"github.com/grantd/grantd/internal/policy"
)

// indexStores runs f on a SQLite store and on a PostgreSQL one.
func indexStores(t *testing.T, f func(t *testing.T, open func() *sqlstore.DB)) {
	t.Run("SQLite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "meta.db")
		f(t, func() *sqlstore.DB {
			db, err := sqlite.Open(t.Context(), sqlite.Options{Path: path})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		})
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		dsn := pgtest.DSN(t)
		f(t, func() *sqlstore.DB {
			db, err := postgres.Open(t.Context(), postgres.Options{DSN: dsn})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		})
	})
}

const (
	ixAccount = "111122223333"
	ixRegion  = "us-east-2"
	ixRole    = "arn:aws:iam::444455556666:role/reader"
)

func ixGrant(i int, grantee string) meta.AccessGrant {
	return meta.AccessGrant{Account: ixAccount, Region: ixRegion, ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i),
		LocationID: "default", GranteeType: GranteeIAM, GranteeIdentifier: grantee, Permission: PermissionRead,
		SubPrefix: fmt.Sprintf("bkt-%d/p%d*", i%3, i), GrantScope: fmt.Sprintf("s3://bkt-%d/p%d*", i%3, i),
		CreatedAt: time.Unix(1700000000, int64(i)).UTC()}
}

func ixTarget(t *testing.T, i int) scope {
	tg, err := parseTarget(fmt.Sprintf("s3://bkt-%d/p%d/file", i%3, i), "")
	if err != nil {
		t.Fatal(err)
	}
	return tg.scope
}

// eventually polls cond for up to a second.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within a second", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestIndexerFollowsStore builds an index from a store holding grants and
// keeps it current from the change feed: a writer's own commits through
// OnCommit, and a second store handle's (another node's) through polling
// the feed.
func TestIndexerFollowsStore(t *testing.T) {
	indexStores(t, func(t *testing.T, open func() *sqlstore.DB) {
		ctx := t.Context()
		db := open()
		loc := seedIndexStore(t, db)
		x := newIndexer(db, db, slog.New(slog.NewTextHandler(io.Discard, nil)), func(doc string) (*policy.Policy, error) {
			return policy.Parse([]byte(doc), policy.Resource)
		})
		db.OnCommit(x.HandleChanges)
		ix, err := x.get(ctx, ixAccount, ixRegion)
		if err != nil {
			t.Fatal(err)
		}
		keys := []string{granteeKey(GranteeIAM, ixRole)}
		find := func(i int) *match { return ix.find(keys, ixTarget(t, i), PermissionRead, "") }
		if len(ix.byID) != 2500 || ix.state == nil || ix.locations["default"].IAMRoleARN != loc.IAMRoleARN {
			t.Fatalf("index holds %d grants, state %v, locations %v", len(ix.byID), ix.state != nil, ix.locations)
		}
		for _, i := range []int{0, 10, 2490} {
			if m := find(i); m == nil || m.e.id != ixGrant(i, "").ID || m.location.IAMRoleARN != loc.IAMRoleARN {
				t.Errorf("grant %d not matched: %+v", i, m)
			}
		}
		if m := find(11); m != nil {
			t.Errorf("another role's grant 11 matched: %+v", m.e)
		}

		// This node's writes: OnCommit delivers them at once.
		if err := db.CreateGrant(ctx, ixGrant(5000, ixRole), nil, 100000); err != nil {
			t.Fatal(err)
		}
		eventually(t, "local create", func() bool { return find(5000) != nil })
		if err := db.DeleteGrant(ctx, ixAccount, ixRegion, ixGrant(10, "").ID); err != nil {
			t.Fatal(err)
		}
		eventually(t, "local delete", func() bool { return find(10) == nil })

		// Another node's writes: only the feed tells; poll it as the
		// watcher does.
		other := open()
		since, err := db.LastChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := other.CreateGrant(ctx, ixGrant(5001, ixRole), nil, 100000); err != nil {
			t.Fatal(err)
		}
		if err := other.DeleteGrant(ctx, ixAccount, ixRegion, ixGrant(20, "").ID); err != nil {
			t.Fatal(err)
		}
		if _, err := other.UpdateGrantsLocation(ctx, ixAccount, ixRegion, "default", "arn:aws:iam::111122223333:role/loc2"); err != nil {
			t.Fatal(err)
		}
		pollFeed(t, db, x, since)
		eventually(t, "remote create", func() bool { return find(5001) != nil })
		eventually(t, "remote delete", func() bool { return find(20) == nil })
		eventually(t, "remote location update", func() bool {
			m := find(30)
			return m != nil && m.location.IAMRoleARN == "arn:aws:iam::111122223333:role/loc2"
		})
	})
}

// seedIndexStore creates account A's instance, its default location and
// 2,500 grants (more than two pages of ListGrants), one in ten of them for
// ixRole, and returns the location.
func seedIndexStore(t *testing.T, db *sqlstore.DB) meta.GrantsLocation {
	t.Helper()
	ctx := t.Context()
	now := time.Now().UTC()
	if err := db.CreateAccount(ctx, meta.NewAccount{
		Account: meta.Account{ID: ixAccount, Name: "a", Email: "a@example.com", Status: "ACTIVE", JoinedMethod: "CREATED", CreatedAt: now},
		RootKey: meta.AccessKey{ID: "AKIA111122223333ROOT", AccountID: ixAccount, Secret: "s", Status: "Active", CreatedAt: now},
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateGrantsInstance(ctx, meta.GrantsInstance{Account: ixAccount, Region: ixRegion, CreatedAt: time.Now()}, nil); err != nil {
		t.Fatal(err)
	}
	loc := meta.GrantsLocation{Account: ixAccount, Region: ixRegion, ID: "default", Scope: "s3://", IAMRoleARN: "arn:aws:iam::111122223333:role/loc", CreatedAt: time.Now()}
	if err := db.CreateGrantsLocation(ctx, loc, nil, 10); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2500; i++ { // more than two pages of ListGrants
		grantee := fmt.Sprintf("arn:aws:iam::444455556666:role/r%d", i%50)
		if i%10 == 0 {
			grantee = ixRole
		}
		if err := db.CreateGrant(ctx, ixGrant(i, grantee), nil, 100000); err != nil {
			t.Fatal(err)
		}
	}
	return loc
}

// pollFeed delivers the feed's changes to x, as changefeed.Watcher does on
// each poll.
func pollFeed(t *testing.T, feed meta.ChangeFeed, x *indexer, since int64) {
	t.Helper()
	changes, err := feed.Changes(context.Background(), since, 1000)
	if err != nil {
		t.Fatal(err)
	}
	x.HandleChanges(changes)
}
