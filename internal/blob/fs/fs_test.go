package fs_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/grantd/grantd/internal/blob"
	"github.com/grantd/grantd/internal/blob/blobtest"
	"github.com/grantd/grantd/internal/blob/fs"
)

func open(t testing.TB, dir string) *fs.Store {
	t.Helper()
	st, err := fs.Open(fs.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store {
		return open(t, filepath.Join(t.TempDir(), "store"))
	})
}

// TestHostileKeysStayInside stores every nasty key and checks, by walking
// the file system, that nothing was written outside the store's directory
// and that every file inside is where the layout says.
func TestHostileKeysStayInside(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	dir := filepath.Join(parent, "store")
	st := open(t, dir)
	ctx := context.Background()
	keys := append(blobtest.NastyKeys(),
		blobtest.Key{Name: "deep-escape", Key: strings.Repeat("../", 300)},
		blobtest.Key{Name: "escape-into-parent", Key: "../outside"},
		blobtest.Key{Name: "escape-absolute-tmp", Key: "/tmp/grantd-escape"},
	)
	for _, k := range keys {
		if _, err := st.Put(ctx, k.Key, strings.NewReader(k.Name), -1); err != nil {
			t.Fatalf("%s: Put: %v", k.Name, err)
		}
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "store" {
		t.Fatalf("parent directory holds %v, want only the store", entries)
	}
	files := storeFiles(t, dir)
	if len(files) != len(keys) {
		t.Errorf("store holds %d files for %d keys", len(files), len(keys))
	}
	if _, err := os.Stat("/tmp/grantd-escape"); err == nil {
		t.Error("/tmp/grantd-escape exists")
	}
	for _, k := range keys {
		rc, err := st.Get(ctx, k.Key, 0, -1)
		if err != nil {
			t.Fatalf("%s: Get: %v", k.Name, err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if string(b) != k.Name {
			t.Errorf("%s: Get = %q", k.Name, b)
		}
	}
}

// storeFiles walks the store in dir and returns the blob files (relative
// to dir, slash-separated), reporting anything the layout does not allow.
func storeFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d iofs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&iofs.ModeSymlink != 0:
			t.Errorf("symlink %s in the store", rel)
		case len(d.Name()) > 255:
			t.Errorf("name of %d bytes: %s", len(d.Name()), rel)
		case d.IsDir(), rel == "LOCK":
		case strings.HasPrefix(rel, "blobs"+string(filepath.Separator)):
			files = append(files, filepath.ToSlash(rel))
		default:
			t.Errorf("unexpected file %s", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestOpenCleansTmp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, err := fs.Open(fs.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := st.Put(ctx, "kept", strings.NewReader("kept"), 4); err != nil {
		t.Fatal(err)
	}
	st.Close()

	// What a crash during Put leaves behind.
	tmp := filepath.Join(dir, "tmp")
	for _, name := range []string{"ABCDEF", "partial.blob"} {
		if err := os.WriteFile(filepath.Join(tmp, name), []byte("half a blob"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(tmp, "sub", "dir"), 0o700); err != nil {
		t.Fatal(err)
	}
	st = open(t, dir)
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("tmp holds %v after Open, want nothing", left)
	}
	got := map[string]int64{}
	if err := st.List(ctx, "", func(k string, n int64) error { got[k] = n; return nil }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int64{"kept": 4}, got); diff != "" {
		t.Errorf("List after reopening (-want +got):\n%s", diff)
	}
}

func TestStrayFilesIgnored(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st := open(t, dir)
	ctx := context.Background()
	if _, err := st.Put(ctx, "a/b", strings.NewReader("x"), 1); err != nil {
		t.Fatal(err)
	}
	// Files the encoding never produces: wrong suffix, non-canonical
	// spellings of "a/b" and "ab", a temp-looking name.
	for _, name := range []string{"a~/b", "a~/b.tmp", "a~/%62.blob", "a+/b.blob", "A~/b.blob", ".tmp-123"} {
		p := filepath.Join(dir, "blobs", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("stray"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]int64{}
	if err := st.List(ctx, "", func(k string, n int64) error { got[k] = n; return nil }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int64{"a/b": 1}, got); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	if _, err := st.Stat(ctx, "ab"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Stat(ab) = %v, want ErrNotFound", err)
	}
}

func TestSecondOpenFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	open(t, dir)
	if st, err := fs.Open(fs.Options{Dir: dir}); err == nil {
		st.Close()
		t.Fatal("a second Open of the same directory succeeded")
	}
}

// TestSymlinkCannotEscape plants a symbolic link inside the store that
// points outside it; the store must not write through it.
func TestSymlinkCannotEscape(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	dir, outside := filepath.Join(parent, "store"), filepath.Join(parent, "outside")
	if err := os.Mkdir(outside, 0o700); err != nil {
		t.Fatal(err)
	}
	st := open(t, dir)
	if err := os.Symlink(outside, filepath.Join(dir, "blobs", "obj~")); err != nil {
		t.Fatal(err)
	}
	_, err := st.Put(context.Background(), "obj/x", strings.NewReader("x"), 1)
	if err == nil {
		t.Error("Put through a symlink leaving the store succeeded")
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("the store wrote %v outside its directory", entries)
	}
}

// TestDeletePrunesDirectories checks that deleting the last blob of a
// directory removes the directories it leaves empty, and only those.
func TestDeletePrunesDirectories(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st := open(t, dir)
	ctx := context.Background()
	for _, k := range []string{"mpu/u1/1", "mpu/u1/2", "mpu/u2/1"} {
		if _, err := st.Put(ctx, k, bytes.NewReader(nil), 0); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []string{"mpu/u1/1", "mpu/u1/2"} {
		if err := st.Delete(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "blobs", "mpu~", "u1~")); !errors.Is(err, iofs.ErrNotExist) {
		t.Errorf("empty directory of mpu/u1/ still exists (err %v)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "blobs", "mpu~", "u2~", "1.blob")); err != nil {
		t.Errorf("blob mpu/u2/1: %v", err)
	}
	if err := st.Delete(ctx, "mpu/u2/1"); err != nil {
		t.Fatal(err)
	}
	left, _ := os.ReadDir(filepath.Join(dir, "blobs"))
	if len(left) != 0 {
		t.Errorf("blobs holds %v after deleting everything", left)
	}
	// The directories come back when needed.
	if _, err := st.Put(ctx, "mpu/u1/1", strings.NewReader("again"), 5); err != nil {
		t.Fatal(err)
	}
}
