package s3

import (
	"bytes"
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/authz"
	"github.com/grantd/grantd/internal/blob"
	"github.com/grantd/grantd/internal/blob/fs"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/meta/sqlite"
)

// newTestService runs the service on real stores: SQLite and files.
func newTestService(t *testing.T, now func() time.Time) (*Service, blob.Store, context.Context) {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(t.Context(), sqlite.Options{Path: filepath.Join(dir, "meta.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	blobs, err := fs.Open(fs.Options{Dir: filepath.Join(dir, "objects")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	err = st.CreateAccount(t.Context(), meta.NewAccount{Account: meta.Account{ID: "111122223333", Status: "ACTIVE"},
		RootKey: meta.AccessKey{ID: "AKIATEST", AccountID: "111122223333", Secret: "s", Status: "Active"}})
	if err != nil {
		t.Fatal(err)
	}
	svc := New(Options{Store: st, Blobs: blobs, Authorizer: authz.New(st), Now: now})
	ctx := auth.WithRequest(t.Context(), &auth.Request{Caller: auth.RootCaller("111122223333", "AKIATEST"), Region: "us-east-1", Time: now()})
	return svc, blobs, ctx
}

func TestSweep(t *testing.T) {
	start := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	clock := start
	svc, blobs, ctx := newTestService(t, func() time.Time { return clock })
	b, err := svc.CreateBucket(ctx, CreateBucketInput{Name: "swept"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := svc.PutObject(ctx, PutObjectInput{Bucket: "swept", Key: "live", Body: Body{Reader: strings.NewReader("x"), Size: 1}})
	if err != nil || out.ETag == "" {
		t.Fatal(err)
	}
	up, err := svc.CreateMultipartUpload(ctx, CreateUploadInput{Bucket: "swept", Key: "mp"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UploadPart(ctx, UploadPartInput{Bucket: "swept", Key: "mp", UploadID: up.ID, PartNumber: 1, Body: Body{Reader: strings.NewReader("p"), Size: 1}}); err != nil {
		t.Fatal(err)
	}
	list := func() []string {
		var keys []string
		if err := blobs.List(ctx, "", func(key string, _ int64) error { keys = append(keys, key); return nil }); err != nil {
			t.Fatal(err)
		}
		sort.Strings(keys)
		return keys
	}
	legit := list() // the object's blob and the part's
	// What a crash leaves: blobs without records, written before the node
	// (re)started; and one written after, by a write still in flight.
	orphans := []string{objectBlobKey(b.ID, newID(start.Add(-time.Minute))), partBlobKey(up.ID, newID(start.Add(-time.Second)))}
	inflight := objectBlobKey(b.ID, newID(start.Add(time.Second)))
	for _, k := range append(orphans, inflight) {
		if _, err := blobs.Put(ctx, k, bytes.NewReader([]byte("garbage")), 7); err != nil {
			t.Fatal(err)
		}
	}
	clock = start.Add(time.Hour)
	res, err := svc.Sweep(ctx, start)
	if err != nil {
		t.Fatal(err)
	}
	if res.Deleted != 2 || res.Checked != 5 {
		t.Errorf("Sweep = %+v, want 5 checked, 2 deleted", res)
	}
	want := append(legit, inflight)
	sort.Strings(want)
	if diff := cmp.Diff(want, list()); diff != "" || len(legit) != 2 {
		t.Errorf("blobs left (-want +got):\n%s", diff)
	}
	if got, err := svc.GetObject(ctx, GetObjectInput{Bucket: "swept", Key: "live"}); err != nil {
		t.Errorf("the live object after the sweep: %v", err)
	} else {
		got.Body.Close()
	}
}
