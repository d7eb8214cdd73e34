package fs

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/grantd/grantd/internal/blob"
)

// syncRecorder replaces a Store's fsync functions and records what they
// were called on.
type syncRecorder struct {
	mu          sync.Mutex
	files, dirs []string
	failFile    error
	failDir     error
}

func (r *syncRecorder) install(s *Store) {
	s.syncFile = func(f *os.File) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.files = append(r.files, f.Name())
		if r.failFile != nil {
			return r.failFile
		}
		return f.Sync()
	}
	s.syncDir = func(f *os.File) error {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.dirs = append(r.dirs, filepath.Clean(f.Name()))
		if r.failDir != nil {
			return r.failDir
		}
		return syncDirFile(f)
	}
}

func openStore(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

// TestPutSyncs checks the durability steps of Put: the data file is
// fsynced before the rename, the destination directory after it, and each
// new directory's parent once.
func TestPutSyncs(t *testing.T) {
	s, dir := openStore(t)
	var rec syncRecorder
	rec.install(s)
	ctx := context.Background()
	if _, err := s.Put(ctx, "obj/b1/k1", strings.NewReader("hello"), 5); err != nil {
		t.Fatal(err)
	}
	blobs := filepath.Join(dir, blobsDir)
	wantDirs := []string{
		blobs,                            // entry of the new directory obj~
		filepath.Join(blobs, "obj~"),     // entry of the new directory b1~
		filepath.Join(blobs, "obj~/b1~"), // the renamed blob's entry
	}
	if len(rec.files) != 1 || !strings.HasPrefix(rec.files[0], filepath.Join(dir, tmpDir)+"/") {
		t.Errorf("file syncs = %q, want one of a file in tmp", rec.files)
	}
	if !equal(rec.dirs, wantDirs) {
		t.Errorf("directory syncs = %q, want %q", rec.dirs, wantDirs)
	}

	// A second blob in the same directory needs one data and one directory
	// fsync: the directories are known to be durable.
	rec.files, rec.dirs = nil, nil
	if _, err := s.Put(ctx, "obj/b1/k2", strings.NewReader("hello"), 5); err != nil {
		t.Fatal(err)
	}
	if len(rec.files) != 1 || !equal(rec.dirs, wantDirs[2:]) {
		t.Errorf("second Put synced files %q and dirs %q, want 1 file and %q", rec.files, rec.dirs, wantDirs[2:])
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestPutFileSyncFails checks that a failed data fsync fails Put and leaves
// the old blob and no temporary file.
func TestPutFileSyncFails(t *testing.T) {
	s, dir := openStore(t)
	ctx := context.Background()
	if _, err := s.Put(ctx, "k", strings.NewReader("old"), 3); err != nil {
		t.Fatal(err)
	}
	rec := syncRecorder{failFile: errors.New("EIO")}
	rec.install(s)
	if _, err := s.Put(ctx, "k", strings.NewReader("new"), 3); err == nil || !strings.Contains(err.Error(), "EIO") {
		t.Fatalf("Put with a failing fsync = %v, want the fsync error", err)
	}
	rc, err := s.Get(ctx, "k", 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "old" {
		t.Errorf("after the failed Put the blob is %q, want the old one", b)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, tmpDir)); len(left) != 0 {
		t.Errorf("tmp holds %v after a failed Put", left)
	}
}

// TestPutDirSyncFails checks that a failed directory fsync is reported:
// Put must not claim durability it does not have.
func TestPutDirSyncFails(t *testing.T) {
	s, _ := openStore(t)
	rec := syncRecorder{failDir: errors.New("EIO")}
	rec.install(s)
	if _, err := s.Put(context.Background(), "new/k", strings.NewReader("x"), 1); err == nil {
		t.Fatal("Put with a failing directory fsync succeeded")
	}
	// The directory was not recorded as durable, so the next Put retries.
	rec.failDir = nil
	rec.dirs = nil
	if _, err := s.Put(context.Background(), "new/k", strings.NewReader("x"), 1); err != nil {
		t.Fatal(err)
	}
	if len(rec.dirs) < 2 {
		t.Errorf("directory syncs after a failure = %q, want the parent synced again", rec.dirs)
	}
}

// TestPutAfterExternalRemoval checks that Put recovers when a directory it
// knows is removed by someone else.
func TestPutAfterExternalRemoval(t *testing.T) {
	s, dir := openStore(t)
	ctx := context.Background()
	if _, err := s.Put(ctx, "a/b/c", strings.NewReader("x"), 1); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, blobsDir, "a~")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, "a/b/d", strings.NewReader("y"), 1); err != nil {
		t.Fatalf("Put after the directory was removed: %v", err)
	}
	if _, err := s.Stat(ctx, "a/b/c"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Stat(a/b/c) = %v, want ErrNotFound", err)
	}
}
