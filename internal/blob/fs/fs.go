// Package fs is the blob driver that keeps blobs as files in a local
// directory. It is grantd's default driver.
//
// Layout of Options.Dir:
//
//	LOCK        held with flock while a Store is open, so two processes
//	            cannot share (and clean up after) one directory
//	tmp/        files being written; anything here at Open is a leftover
//	            of a crash and is removed
//	blobs/      one file per blob, at the path described in keypath.go
//
// A Put writes a temporary file, fsyncs it, renames it into place and
// fsyncs the destination directory, so a blob is either entirely present or
// absent after a crash, and present once Put returns nil. Readers keep
// reading the file they opened when it is replaced or deleted. Every file
// operation goes through an os.Root on Dir, so even a symbolic link planted
// inside Dir cannot make the store touch files outside it.
//
// Delete does not fsync: after a crash a deleted blob may reappear, which
// the metadata store treats as garbage (it is not referenced) and garbage
// collection removes via List.
package fs

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/grantd/grantd/internal/blob"
)

// Options configures Open.
type Options struct {
	// Dir is the directory that holds the store. It is created (mode 0700)
	// if missing. Only one Store may have it open at a time.
	Dir string
}

const (
	blobsDir = "blobs"
	tmpDir   = "tmp"
	lockName = "LOCK"

	dirPerm  = 0o700
	filePerm = 0o600
)

// Store is a blob.Store on the local file system.
type Store struct {
	root *os.Root
	lock *os.File

	// mu orders directory removal against directory creation: Put holds
	// it shared while it creates the destination directory and renames into
	// it, Delete holds it exclusively while it removes empty directories.
	// Without it a Delete could remove a directory between a Put's mkdir
	// and its rename, or a Put could trust a directory that was just
	// removed and re-created by someone else without an fsync.
	mu sync.RWMutex
	// durable holds paths (relative to Dir) of directories known to exist
	// with a directory entry that has been fsynced in their parent; the
	// ancestors of such a directory are durable too. Put fsyncs the parent
	// of any directory on its path not in the set.
	durable sync.Map

	// syncFile and syncDir make data and directory entries durable; tests
	// replace them to observe or fail the fsync path.
	syncFile func(*os.File) error
	syncDir  func(*os.File) error
}

var _ blob.Store = (*Store)(nil)

// Open opens the store in opts.Dir, creating it if needed, and removes
// temporary files left by a crash.
func Open(opts Options) (*Store, error) {
	if opts.Dir == "" {
		return nil, errors.New("fs: Options.Dir is empty")
	}
	if err := os.MkdirAll(opts.Dir, dirPerm); err != nil {
		return nil, fmt.Errorf("fs: %w", err)
	}
	root, err := os.OpenRoot(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("fs: %w", err)
	}
	s := &Store{root: root, syncFile: (*os.File).Sync, syncDir: syncDirFile}
	if err := s.init(opts.Dir); err != nil {
		s.Close()
		return nil, fmt.Errorf("fs: open %s: %w", opts.Dir, err)
	}
	return s, nil
}

func (s *Store) init(dir string) error {
	lock, err := s.root.OpenFile(lockName, os.O_RDWR|os.O_CREATE, filePerm)
	if err != nil {
		return err
	}
	s.lock = lock
	if err := lockFile(lock); err != nil {
		return fmt.Errorf("directory is in use by another store: %w", err)
	}
	for _, d := range []string{blobsDir, tmpDir} {
		if err := s.root.Mkdir(d, dirPerm); err != nil && !errors.Is(err, iofs.ErrExist) {
			return err
		}
	}
	if err := s.cleanTmp(); err != nil {
		return err
	}
	// Make Dir's own entry and its blobs and tmp entries durable once, so
	// that Put only needs to care about directories below blobs.
	if err := s.syncPath("."); err != nil {
		return err
	}
	if parent, err := os.Open(filepath.Dir(filepath.Clean(dir))); err == nil {
		// Best effort: the parent may not be ours to open.
		_ = s.syncDir(parent)
		parent.Close()
	}
	s.durable.Store(blobsDir, struct{}{})
	return nil
}

// cleanTmp removes everything in tmp: a file there belongs to a Put that
// never returned, since the lock proves no other Store is running.
func (s *Store) cleanTmp() error {
	d, err := s.root.Open(tmpDir)
	if err != nil {
		return err
	}
	names, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := s.root.RemoveAll(tmpDir + "/" + name); err != nil {
			return err
		}
	}
	return nil
}

// Close releases the directory. Readers returned by Get stay usable until
// they are closed.
func (s *Store) Close() error {
	var errs []error
	if s.lock != nil {
		errs = append(errs, s.lock.Close())
	}
	errs = append(errs, s.root.Close())
	return errors.Join(errs...)
}

// Put implements blob.Store. Memory use does not depend on the blob's
// size. One failure is not atomic: if the directory fsync after the rename
// fails (a failing disk), Put reports the error but the new blob may
// already be visible in place of the old one.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64) (int64, error) {
	if err := blob.ValidateKey(key); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	tmp, n, err := s.writeTemp(blob.NewBody(ctx, r, size))
	if err != nil {
		return 0, fmt.Errorf("fs: put %q: %w", key, err)
	}
	// Last point at which a cancellation can still leave nothing behind.
	err = ctx.Err()
	if err == nil {
		err = s.commit(tmp, encodeKey(key))
	}
	if err != nil {
		_ = s.root.Remove(tmp)
		return 0, fmt.Errorf("fs: put %q: %w", key, err)
	}
	return n, nil
}

// copyBufPool holds the buffers Put copies through; larger than io.Copy's
// 32 KiB to cut system calls for big blobs.
var copyBufPool = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// writeOnly hides (*os.File).ReadFrom so that io.CopyBuffer uses our buffer.
type writeOnly struct{ io.Writer }

// writeTemp copies body into a new file in tmp and fsyncs it. On success
// it returns the file's name relative to Dir; on failure nothing is left.
func (s *Store) writeTemp(body *blob.Body) (name string, n int64, err error) {
	name = tmpDir + "/" + rand.Text()
	f, err := s.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, filePerm)
	if err != nil {
		return "", 0, err
	}
	defer func() {
		if err != nil {
			_ = s.root.Remove(name)
		}
	}()
	buf := copyBufPool.Get().(*[]byte)
	n, err = io.CopyBuffer(writeOnly{f}, body, *buf)
	copyBufPool.Put(buf)
	if err == nil {
		err = s.syncFile(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return name, n, err
}

// commit renames the temporary file tmp to the blob path rel (relative to
// blobs) and makes the rename durable.
func (s *Store) commit(tmp, rel string) error {
	dir := path.Dir(rel)
	for attempt := 0; ; attempt++ {
		s.mu.RLock()
		parent, err := s.ensureDir(dir)
		if err == nil {
			err = s.root.Rename(tmp, blobsDir+"/"+rel)
			if err != nil {
				parent.Close()
			}
		}
		s.mu.RUnlock()
		if err == nil {
			// parent is the directory we renamed into even if it has been
			// removed since (which takes a Delete of our blob).
			err = s.syncDir(parent)
			parent.Close()
			return err
		}
		if attempt == 0 && errors.Is(err, iofs.ErrNotExist) {
			// A directory we believed in was removed behind our back
			// (not by this Store: mu excludes that). Forget and retry.
			s.forgetDirs(dir)
			continue
		}
		return err
	}
}

// ensureDir makes sure the directory dir (relative to blobs, "." for blobs
// itself) exists with durable entries all the way up, and opens it.
// The caller holds s.mu shared.
func (s *Store) ensureDir(dir string) (*os.File, error) {
	full := blobsDir
	if dir != "." {
		full += "/" + dir
	}
	if _, ok := s.durable.Load(full); !ok {
		if err := s.makeDirs(strings.Split(dir, "/")); err != nil {
			return nil, err
		}
	}
	return s.root.Open(full)
}

// makeDirs creates the directories blobs/comps[0]/comps[1]/... that do not
// exist and fsyncs the parent of each one not known to be durable. It walks
// down with one os.Root per level, so a chain of n directories costs O(n)
// system calls rather than the O(n²) of resolving each path from the top.
// It creates first and fsyncs after, so that on journaling file systems
// the first fsync commits every mkdir and the others find nothing to do.
func (s *Store) makeDirs(comps []string) error {
	// Find the deepest directory known to be durable.
	i := len(comps)
	for ; i > 0; i-- {
		if _, ok := s.durable.Load(blobsDir + "/" + strings.Join(comps[:i], "/")); ok {
			break
		}
	}
	base := path.Join(append([]string{blobsDir}, comps[:i]...)...)
	// Pass 1: create. Pass 2: fsync each parent, from the top, whether we
	// created the child or found it (created before a crash, or by a
	// concurrent Put that may not have synced yet).
	for pass := range 2 {
		cur, err := s.root.OpenRoot(base)
		if err != nil {
			return err
		}
		for j := i; j < len(comps) && err == nil; j++ {
			if pass == 0 {
				if err = cur.Mkdir(comps[j], dirPerm); errors.Is(err, iofs.ErrExist) {
					err = nil
				}
			} else {
				err = syncRootDir(cur, s.syncDir)
			}
			var next *os.Root
			if err == nil {
				next, err = cur.OpenRoot(comps[j])
			}
			cur.Close()
			cur = next
		}
		if cur != nil {
			cur.Close()
		}
		if err != nil {
			return err
		}
	}
	for j := i; j < len(comps); j++ {
		s.durable.Store(blobsDir+"/"+strings.Join(comps[:j+1], "/"), struct{}{})
	}
	return nil
}

// forgetDirs drops dir (relative to blobs) and its ancestors from the
// durable set.
func (s *Store) forgetDirs(dir string) {
	for d := dir; d != "."; d = path.Dir(d) {
		s.durable.Delete(blobsDir + "/" + d)
	}
}

// syncPath fsyncs the directory name (relative to Dir).
func (s *Store) syncPath(name string) error {
	d, err := s.root.Open(name)
	if err != nil {
		return err
	}
	defer d.Close()
	return s.syncDir(d)
}

func syncRootDir(r *os.Root, sync func(*os.File) error) error {
	d, err := r.Open(".")
	if err != nil {
		return err
	}
	defer d.Close()
	return sync(d)
}

// syncDirFile fsyncs a directory, which makes the entries created or
// renamed in it durable. Windows cannot fsync a directory (and does not
// need to for NTFS metadata journaling).
func syncDirFile(d *os.File) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	return d.Sync()
}
