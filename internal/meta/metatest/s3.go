package metatest

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/grantd/grantd/internal/meta"
)

func testS3(t *testing.T, s Suite) {
	t.Run("Buckets", func(t *testing.T) { testBuckets(t, s) })
	t.Run("Objects", func(t *testing.T) { testObjects(t, s) })
	t.Run("ListOrder", func(t *testing.T) { testObjectOrder(t, s) })
	t.Run("ConcurrentPut", func(t *testing.T) { testConcurrentPut(t, s) })
	t.Run("DeleteBucketRace", func(t *testing.T) { testDeleteBucketRace(t, s) })
	t.Run("Multipart", func(t *testing.T) { testMultipart(t, s) })
}

// s3Store opens a store with two accounts and a bucket "b1" of the first.
func s3Store(t *testing.T, s Suite) meta.Store {
	t.Helper()
	st := s.Open(t)
	for _, id := range []string{"111111111111", "222222222222"} {
		if err := st.CreateAccount(ctx(t), newAccount(id)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateBucket(ctx(t), bucket("b1", "111111111111")); err != nil {
		t.Fatal(err)
	}
	return st
}

func bucket(name, account string) meta.Bucket {
	return meta.Bucket{ID: "id-" + name, Name: name, AccountID: account, Region: "us-east-1", CreatedAt: epoch}
}

func object(key, id string) meta.Object {
	return meta.Object{BucketID: "id-b1", Key: key, ID: id, Size: int64(len(id)), ETag: "etag-" + id, LastModified: epoch,
		Attrs:    meta.ObjectAttrs{ContentType: "text/plain", Metadata: map[string]string{"k": "v"}, Tags: []meta.Tag{{Key: "t", Value: "1"}}},
		Checksum: meta.Checksum{Algorithm: "CRC32", Type: "FULL_OBJECT", Value: "AAAAAA=="}}
}

func testBuckets(t *testing.T, s Suite) {
	st := s3Store(t, s)
	for _, b := range []meta.Bucket{bucket("b3", "111111111111"), bucket("b2", "111111111111"), bucket("c1", "222222222222")} {
		if err := st.CreateBucket(ctx(t), b); err != nil {
			t.Fatal(err)
		}
	}
	dup := bucket("b2", "222222222222")
	dup.ID = "other"
	if err := st.CreateBucket(ctx(t), dup); !errors.Is(err, meta.ErrExists) {
		t.Errorf("CreateBucket(taken name) = %v, want ErrExists", err)
	}
	got, err := st.GetBucket(ctx(t), "b2")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(bucket("b2", "111111111111"), got); diff != "" {
		t.Errorf("GetBucket (-want +got):\n%s", diff)
	}
	if _, err := st.GetBucket(ctx(t), "nope"); !errors.Is(err, meta.ErrNotFound) {
		t.Errorf("GetBucket(missing) = %v, want ErrNotFound", err)
	}
	names := func(bs []meta.Bucket) []string {
		var out []string
		for _, b := range bs {
			out = append(out, b.Name)
		}
		return out
	}
	lists := []struct {
		name, account, prefix string
		page                  meta.Page
		want                  []string
	}{
		{"owner", "111111111111", "", meta.Page{}, []string{"b1", "b2", "b3"}},
		{"all", "", "", meta.Page{}, []string{"b1", "b2", "b3", "c1"}},
		{"page", "111111111111", "", meta.Page{After: "b1", Limit: 1}, []string{"b2"}},
		{"prefix", "", "c", meta.Page{}, []string{"c1"}},
		{"prefix and cursor", "", "b", meta.Page{After: "b2"}, []string{"b3"}},
	}
	for _, tt := range lists {
		bs, err := st.ListBuckets(ctx(t), tt.account, tt.prefix, tt.page)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, names(bs)); diff != "" {
			t.Errorf("ListBuckets %s (-want +got):\n%s", tt.name, diff)
		}
	}

	if err := st.SetBucketPolicy(ctx(t), "b2", `{"Version":"2012-10-17"}`); err != nil {
		t.Fatal(err)
	}
	tags := []meta.Tag{{Key: "a", Value: "1"}, {Key: "b", Value: ""}}
	if err := st.SetBucketTags(ctx(t), "b2", tags); err != nil {
		t.Fatal(err)
	}
	got, _ = st.GetBucket(ctx(t), "b2")
	if got.Policy != `{"Version":"2012-10-17"}` || !cmp.Equal(got.Tags, tags) {
		t.Errorf("after set: policy %q tags %v", got.Policy, got.Tags)
	}
	st.SetBucketTags(ctx(t), "b2", nil)
	if got, _ = st.GetBucket(ctx(t), "b2"); got.Tags != nil {
		t.Errorf("tags after delete = %v, want nil", got.Tags)
	}
	if err := st.SetBucketPolicy(ctx(t), "nope", "x"); !errors.Is(err, meta.ErrNotFound) {
		t.Errorf("SetBucketPolicy(missing) = %v", err)
	}

	testBucketDelete(t, st)
}

// testBucketDelete: a bucket with an object cannot be deleted; one with
// only an upload can, and the upload's parts come back.
func testBucketDelete(t *testing.T, st meta.Store) {
	if _, err := st.PutObject(ctx(t), object("k", "o1"), meta.ObjectCondition{}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DeleteBucket(ctx(t), "b1", "id-b1"); !errors.Is(err, meta.ErrConflict) {
		t.Errorf("DeleteBucket(non-empty) = %v, want ErrConflict", err)
	}
	up := meta.Upload{ID: "u1", BucketID: "id-b2", Key: "k", Initiated: epoch}
	if err := st.CreateUpload(ctx(t), up); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutPart(ctx(t), "u1", meta.Part{Number: 1, ID: "p1", Size: 5, ETag: "e", LastModified: epoch}); err != nil {
		t.Fatal(err)
	}
	parts, err := st.DeleteBucket(ctx(t), "b2", "id-b2")
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 1 || parts[0].ID != "p1" || parts[0].UploadID != "u1" {
		t.Errorf("DeleteBucket returned parts %v, want p1 of u1", parts)
	}
	if _, err := st.GetUpload(ctx(t), "id-b2", "u1"); !errors.Is(err, meta.ErrNotFound) {
		t.Errorf("upload survived its bucket: %v", err)
	}
	if _, err := st.DeleteBucket(ctx(t), "b2", "id-b2"); !errors.Is(err, meta.ErrNotFound) {
		t.Errorf("DeleteBucket(again) = %v, want ErrNotFound", err)
	}
	gone := object("k", "o-late")
	gone.BucketID = "id-b2"
	if _, err := st.PutObject(ctx(t), gone, meta.ObjectCondition{}); !errors.Is(err, meta.ErrBucketGone) {
		t.Errorf("PutObject into a deleted bucket = %v, want ErrBucketGone", err)
	}
	if err := st.CreateUpload(ctx(t), meta.Upload{ID: "u-late", BucketID: "id-b2", Key: "k"}); !errors.Is(err, meta.ErrBucketGone) {
		t.Errorf("CreateUpload in a deleted bucket = %v, want ErrBucketGone", err)
	}
}

func testObjects(t *testing.T, s Suite) {
	st := s3Store(t, s)
	first := object("dir/a", "o1")
	old, err := st.PutObject(ctx(t), first, meta.ObjectCondition{IfAbsent: true})
	if err != nil || old != nil {
		t.Fatalf("PutObject(new) = %v, %v", old, err)
	}
	got, err := st.GetObject(ctx(t), "id-b1", "dir/a")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("GetObject (-want +got):\n%s", diff)
	}

	conds := []struct {
		name string
		c    meta.ObjectCondition
		key  string
		want error
	}{
		{"if absent on existing", meta.ObjectCondition{IfAbsent: true}, "dir/a", meta.ErrExists},
		{"etag mismatch", meta.ObjectCondition{IfETag: "other"}, "dir/a", meta.ErrConflict},
		{"etag on missing", meta.ObjectCondition{IfETag: "etag-o1"}, "dir/zz", meta.ErrNotFound},
		{"id mismatch", meta.ObjectCondition{IfID: "o9"}, "dir/a", meta.ErrConflict},
	}
	for _, tt := range conds {
		if _, err := st.PutObject(ctx(t), object(tt.key, "x-"+tt.name), tt.c); !errors.Is(err, tt.want) {
			t.Errorf("PutObject %s = %v, want %v", tt.name, err, tt.want)
		}
	}
	testReplace(t, st)
}

// testReplace overwrites, retags and deletes the object of testObjects.
func testReplace(t *testing.T, st meta.Store) {
	second := object("dir/a", "o2")
	old, err := st.PutObject(ctx(t), second, meta.ObjectCondition{IfETag: "etag-o1"})
	if err != nil {
		t.Fatal(err)
	}
	if old == nil || old.ID != "o1" {
		t.Errorf("replaced = %+v, want o1", old)
	}
	if got, _ := st.GetObject(ctx(t), "id-b1", "dir/a"); got.ID != "o2" {
		t.Errorf("after failed conditional writes and a replace, object is %s, want o2", got.ID)
	}

	if err := st.SetObjectTags(ctx(t), "id-b1", "dir/a", "o1", nil); !errors.Is(err, meta.ErrNotFound) {
		t.Errorf("SetObjectTags(old version) = %v, want ErrNotFound", err)
	}
	newTags := []meta.Tag{{Key: "x", Value: "y"}}
	if err := st.SetObjectTags(ctx(t), "id-b1", "dir/a", "o2", newTags); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.GetObject(ctx(t), "id-b1", "dir/a"); !cmp.Equal(got.Attrs.Tags, newTags) || got.Attrs.ContentType != "text/plain" {
		t.Errorf("after SetObjectTags: %+v", got.Attrs)
	}

	st.PutObject(ctx(t), object("dir/b", "o3"), meta.ObjectCondition{})
	deleted, err := st.DeleteObjects(ctx(t), "id-b1", []string{"dir/b", "missing", "dir/a"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, o := range deleted {
		ids = append(ids, o.ID)
	}
	if diff := cmp.Diff([]string{"o3", "o2"}, ids); diff != "" {
		t.Errorf("DeleteObjects returned (-want +got):\n%s", diff)
	}
	if _, err := st.GetObject(ctx(t), "id-b1", "dir/a"); !errors.Is(err, meta.ErrNotFound) {
		t.Errorf("GetObject(deleted) = %v", err)
	}
	live, err := st.LiveBlobIDs(ctx(t), []string{"o1", "o2", "o3"})
	if err != nil || len(live) != 0 {
		t.Errorf("LiveBlobIDs after deletes = %v, %v", live, err)
	}
}

// testObjectOrder checks that listing is in UTF-8 byte order whatever the
// database's collation, and that prefixes select exactly their keys.
func testObjectOrder(t *testing.T, s Suite) {
	st := s3Store(t, s)
	keys := []string{"a", "A", "a/b", "a0", "a-", "a\u00e9", "a\U0001F600", "b", "Z", "a/b/c", "ab", "a\u007f", "a\U0010FFFF", "a\U0010FFFFx"}
	for i, k := range keys {
		if _, err := st.PutObject(ctx(t), object(k, fmt.Sprintf("o%02d", i)), meta.ObjectCondition{}); err != nil {
			t.Fatal(err)
		}
	}
	sorted := append([]string(nil), keys...)
	sort.Strings(sorted) // Go compares strings bytewise
	list := func(prefix, after string, limit int) []string {
		os, err := st.ListObjects(ctx(t), "id-b1", meta.KeyRange{Prefix: prefix, After: after, Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, o := range os {
			out = append(out, o.Key)
			if o.Parts != nil {
				t.Errorf("ListObjects returned a manifest for %q", o.Key)
			}
		}
		return out
	}
	if diff := cmp.Diff(sorted, list("", "", 1000)); diff != "" {
		t.Errorf("full listing not in byte order (-want +got):\n%s", diff)
	}
	var paged []string
	after := ""
	for {
		page := list("", after, 3)
		if len(page) == 0 {
			break
		}
		paged = append(paged, page...)
		after = page[len(page)-1]
	}
	if diff := cmp.Diff(sorted, paged); diff != "" {
		t.Errorf("paged listing (-want +got):\n%s", diff)
	}
	from, err := st.ListObjects(ctx(t), "id-b1", meta.KeyRange{Prefix: "a", From: "a0", Limit: 2})
	if err != nil || len(from) != 2 || from[0].Key != "a0" || from[1].Key != "ab" {
		t.Errorf("ListObjects From a0 = %v, %v; want a0, ab", from, err)
	}
	for _, prefix := range []string{"a", "a/", "a\U0010FFFF", "a\u00e9", "zz"} {
		var want []string
		for _, k := range sorted {
			if len(k) >= len(prefix) && k[:len(prefix)] == prefix {
				want = append(want, k)
			}
		}
		if diff := cmp.Diff(want, list(prefix, "", 1000), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("prefix %q (-want +got):\n%s", prefix, diff)
		}
	}
}

// testConcurrentPut races writers of one key: every write must replace
// exactly one predecessor, so no object is lost without its blob being
// reported for deletion.
func testConcurrentPut(t *testing.T, s Suite) {
	st := s3Store(t, s)
	const n = 16
	var mu sync.Mutex
	replaced := map[string]int{}
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			old, err := st.PutObject(ctx(t), object("hot", fmt.Sprintf("w%02d", i)), meta.ObjectCondition{})
			if err != nil {
				t.Error(err)
				return
			}
			if old != nil {
				mu.Lock()
				replaced[old.ID]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	final, err := st.GetObject(ctx(t), "id-b1", "hot")
	if err != nil {
		t.Fatal(err)
	}
	if len(replaced) != n-1 || replaced[final.ID] != 0 {
		t.Errorf("replaced %v, final %s: want every other writer's object replaced exactly once", replaced, final.ID)
	}
	for id, k := range replaced {
		if k != 1 {
			t.Errorf("object %s replaced %d times", id, k)
		}
	}
}

// testDeleteBucketRace races DeleteBucket with PutObject into the bucket:
// one of them must lose, or an object would outlive its bucket.
func testDeleteBucketRace(t *testing.T, s Suite) {
	st := s3Store(t, s)
	for i := range 20 {
		b := bucket(fmt.Sprintf("race%d", i), "111111111111")
		if err := st.CreateBucket(ctx(t), b); err != nil {
			t.Fatal(err)
		}
		o := object("k", fmt.Sprintf("r%d", i))
		o.BucketID = b.ID
		var putErr, delErr error
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); _, putErr = st.PutObject(ctx(t), o, meta.ObjectCondition{}) }()
		go func() { defer wg.Done(); _, delErr = st.DeleteBucket(ctx(t), b.Name, b.ID) }()
		wg.Wait()
		switch {
		case putErr == nil && delErr == nil:
			t.Fatalf("round %d: both the PutObject and the DeleteBucket succeeded", i)
		case putErr == nil && !errors.Is(delErr, meta.ErrConflict):
			t.Fatalf("round %d: DeleteBucket after the put = %v, want ErrConflict", i, delErr)
		case delErr == nil && !errors.Is(putErr, meta.ErrBucketGone):
			t.Fatalf("round %d: PutObject after the delete = %v, want ErrBucketGone", i, putErr)
		}
	}
}

func testMultipart(t *testing.T, s Suite) {
	st := s3Store(t, s)
	up := meta.Upload{ID: "u1", BucketID: "id-b1", Key: "big", Initiated: epoch, InitiatorARN: "arn:aws:iam::111111111111:root",
		InitiatorID: "111111111111", Attrs: meta.ObjectAttrs{ContentType: "application/x"}, Checksum: meta.Checksum{Algorithm: "SHA256", Type: "COMPOSITE"}}
	if err := st.CreateUpload(ctx(t), up); err != nil {
		t.Fatal(err)
	}
	for _, u := range []meta.Upload{{ID: "u0", BucketID: "id-b1", Key: "big", Initiated: epoch}, {ID: "u2", BucketID: "id-b1", Key: "a", Initiated: epoch}} {
		if err := st.CreateUpload(ctx(t), u); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.GetUpload(ctx(t), "id-b1", "u1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(up, got); diff != "" {
		t.Errorf("GetUpload (-want +got):\n%s", diff)
	}
	if _, err := st.GetUpload(ctx(t), "other-bucket", "u1"); !errors.Is(err, meta.ErrNotFound) {
		t.Errorf("GetUpload(wrong bucket) = %v", err)
	}
	ups, _ := st.ListUploads(ctx(t), "id-b1", meta.KeyRange{Limit: 10})
	var order []string
	for _, u := range ups {
		order = append(order, u.Key+"/"+u.ID)
	}
	if diff := cmp.Diff([]string{"a/u2", "big/u0", "big/u1"}, order); diff != "" {
		t.Errorf("ListUploads order (-want +got):\n%s", diff)
	}
	if ups, _ := st.ListUploads(ctx(t), "id-b1", meta.KeyRange{Prefix: "b", After: "big", AfterID: "u0", Limit: 10}); len(ups) != 1 || ups[0].ID != "u1" {
		t.Errorf("ListUploads after (big,u0) = %v", ups)
	}

	part := func(n int, id string) meta.Part {
		return meta.Part{UploadID: "u1", Number: n, ID: id, Size: 10, ETag: "e" + id, Checksum: "c" + id, LastModified: epoch}
	}
	for _, p := range []meta.Part{part(1, "p1"), part(2, "p2"), part(3, "p3"), part(5, "p5")} {
		if old, err := st.PutPart(ctx(t), "u1", p); err != nil || old != nil {
			t.Fatalf("PutPart(%d) = %v, %v", p.Number, old, err)
		}
	}
	old, err := st.PutPart(ctx(t), "u1", part(2, "p2b"))
	if err != nil || old == nil || old.ID != "p2" {
		t.Errorf("PutPart(replace) = %+v, %v; want p2 back", old, err)
	}
	if _, err := st.PutPart(ctx(t), "gone", part(1, "px")); !errors.Is(err, meta.ErrNotFound) {
		t.Errorf("PutPart(no upload) = %v", err)
	}
	ps, _ := st.ListParts(ctx(t), "u1", 1, 2)
	if diff := cmp.Diff([]meta.Part{part(2, "p2b"), part(3, "p3")}, ps); diff != "" {
		t.Errorf("ListParts (-want +got):\n%s", diff)
	}

	testComplete(t, st, part)
}

// testComplete completes upload u1 of testMultipart (parts 1, 2b, 3, 5).
func testComplete(t *testing.T, st meta.Store, part func(int, string) meta.Part) {
	// A stale part ID makes completion fail and changes nothing.
	obj := meta.Object{BucketID: "id-b1", Key: "big", Size: 20, ETag: "x-2", LastModified: epoch, Parts: []meta.Part{part(1, "p1"), part(2, "p2")}}
	if _, _, err := st.CompleteUpload(ctx(t), meta.CompleteUpload{UploadID: "u1", Object: obj}); !errors.Is(err, meta.ErrConflict) {
		t.Errorf("CompleteUpload(stale part) = %v, want ErrConflict", err)
	}
	st.PutObject(ctx(t), object("big", "o-prev"), meta.ObjectCondition{})
	obj.Parts = []meta.Part{part(1, "p1"), part(2, "p2b")}
	replaced, unused, err := st.CompleteUpload(ctx(t), meta.CompleteUpload{UploadID: "u1", Object: obj})
	if err != nil {
		t.Fatal(err)
	}
	if replaced == nil || replaced.ID != "o-prev" {
		t.Errorf("replaced = %+v, want o-prev", replaced)
	}
	sort.Slice(unused, func(i, j int) bool { return unused[i].Number < unused[j].Number })
	if diff := cmp.Diff([]meta.Part{part(3, "p3"), part(5, "p5")}, unused); diff != "" {
		t.Errorf("unused parts (-want +got):\n%s", diff)
	}
	o, err := st.GetObject(ctx(t), "id-b1", "big")
	if err != nil {
		t.Fatal(err)
	}
	if o.ID != "u1" || o.PartsCount != 2 || !cmp.Equal(o.Parts, obj.Parts) {
		t.Errorf("completed object: id %s, %d parts %v", o.ID, o.PartsCount, o.Parts)
	}
	if _, err := st.GetUpload(ctx(t), "id-b1", "u1"); !errors.Is(err, meta.ErrNotFound) {
		t.Errorf("upload remains after completion: %v", err)
	}
	if _, _, err := st.CompleteUpload(ctx(t), meta.CompleteUpload{UploadID: "u1", Object: obj}); !errors.Is(err, meta.ErrNotFound) {
		t.Errorf("CompleteUpload(again) = %v, want ErrNotFound", err)
	}
	live, _ := st.LiveBlobIDs(ctx(t), []string{"u1", "p1", "p2b", "p3", "u0", "o-prev"})
	if diff := cmp.Diff(map[string]bool{"u1": true, "p1": true, "p2b": true, "u0": true}, live); diff != "" {
		t.Errorf("LiveBlobIDs (-want +got):\n%s", diff)
	}

	testMultipartOverwrite(t, st, part)
}

func testMultipartOverwrite(t *testing.T, st meta.Store, part func(int, string) meta.Part) {
	// Overwriting the multipart object returns its parts for deletion.
	prev, err := st.PutObject(ctx(t), object("big", "o-next"), meta.ObjectCondition{})
	if err != nil || prev == nil || len(prev.Parts) != 2 {
		t.Errorf("overwrite of multipart object returned %+v, %v", prev, err)
	}
	if _, err := st.AbortUpload(ctx(t), "id-b1", "u1"); !errors.Is(err, meta.ErrNotFound) {
		t.Errorf("AbortUpload(completed) = %v", err)
	}
	st.PutPart(ctx(t), "u0", part(1, "q1"))
	aborted, err := st.AbortUpload(ctx(t), "id-b1", "u0")
	if err != nil || len(aborted) != 1 || aborted[0].ID != "q1" || aborted[0].UploadID != "u0" {
		t.Errorf("AbortUpload = %v, %v", aborted, err)
	}
}
