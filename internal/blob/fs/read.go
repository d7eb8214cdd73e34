package fs

import (
	"context"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path"
	"strings"

	"github.com/grantd/grantd/internal/blob"
)

// Get implements blob.Store. The reader streams from the file (memory use
// does not depend on the blob's size) and keeps reading the blob it opened
// even if the key is overwritten or deleted meanwhile.
func (s *Store) Get(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := blob.ValidateKey(key); err != nil {
		return nil, err
	}
	if err := blob.ValidateRange(offset, length); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := s.root.Open(blobsDir + "/" + encodeKey(key))
	if err != nil {
		return nil, classify("get", key, err)
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file", f.Name())
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("fs: get %q: %w", key, err)
	}
	start, n := blob.ClampRange(fi.Size(), offset, length)
	return &reader{ctx: ctx, f: f, r: io.NewSectionReader(f, start, n)}, nil
}

// reader is the io.ReadCloser Get returns; it stops once ctx ends.
type reader struct {
	ctx context.Context
	f   *os.File
	r   *io.SectionReader
}

func (r *reader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

func (r *reader) Close() error { return r.f.Close() }

// Stat implements blob.Store.
func (s *Store) Stat(ctx context.Context, key string) (int64, error) {
	if err := blob.ValidateKey(key); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	fi, err := s.root.Stat(blobsDir + "/" + encodeKey(key))
	if err != nil {
		return 0, classify("stat", key, err)
	}
	if !fi.Mode().IsRegular() {
		return 0, fmt.Errorf("fs: stat %q: not a regular file", key)
	}
	return fi.Size(), nil
}

// Delete implements blob.Store. It also removes the directories that the
// deletion leaves empty, so that per-upload directories do not accumulate.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := blob.ValidateKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rel := encodeKey(key)
	if err := s.root.Remove(blobsDir + "/" + rel); err != nil {
		if errors.Is(err, iofs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("fs: delete %q: %w", key, err)
	}
	s.prune(path.Dir(rel))
	return nil
}

// prune removes dir (relative to blobs) and its ancestors while they are
// empty; a failed removal only means a directory is not empty (or is
// already gone). It works bottom-up in blocks of pruneBlock levels, holding
// the parents of one block open, so that the 1,025-level chain of a key made
// of slashes costs O(depth) system calls and descriptors stay bounded.
func (s *Store) prune(dir string) {
	if dir == "." {
		return
	}
	comps := strings.Split(dir, "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	for n := len(comps); n > 0; {
		lo := max(0, n-pruneBlock)
		if !s.pruneLevels(comps, lo, n) {
			return
		}
		n = lo
	}
}

const pruneBlock = 64

// pruneLevels removes the directories blobs/comps[:j+1] for j from n-1 down
// to lo, and reports whether it removed them all.
func (s *Store) pruneLevels(comps []string, lo, n int) bool {
	// parents[j-lo] is the directory blobs/comps[:j].
	parents := make([]*os.Root, 0, n-lo)
	defer func() {
		for _, r := range parents {
			r.Close()
		}
	}()
	r, err := s.root.OpenRoot(path.Join(append([]string{blobsDir}, comps[:lo]...)...))
	for j := lo; ; j++ {
		if err != nil {
			return false
		}
		parents = append(parents, r)
		if j == n-1 {
			break
		}
		r, err = r.OpenRoot(comps[j])
	}
	for j := n - 1; j >= lo; j-- {
		if err := parents[j-lo].Remove(comps[j]); err != nil {
			return false
		}
		s.durable.Delete(blobsDir + "/" + strings.Join(comps[:j+1], "/"))
	}
	return true
}

// List implements blob.Store. It walks only the directory that holds the
// prefix's complete "/"-separated segments and filters the rest by key.
// Files that the key encoding does not produce are skipped.
func (s *Store) List(ctx context.Context, prefix string, fn func(key string, size int64) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	start := blobsDir
	if d := encodeDir(prefix[:strings.LastIndexByte(prefix, '/')+1]); d != "" {
		start += "/" + d
	}
	dir, err := s.root.OpenRoot(start)
	if err != nil {
		if errors.Is(err, iofs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("fs: list %q: %w", prefix, err)
	}
	w := walker{ctx: ctx, prefix: prefix, fn: fn}
	if err := w.walk(dir, strings.TrimPrefix(strings.TrimPrefix(start, blobsDir), "/")); err != nil {
		if ce, ok := err.(callbackError); ok {
			return ce.err
		}
		return fmt.Errorf("fs: list %q: %w", prefix, err)
	}
	return nil
}

// callbackError carries an error returned by List's callback, which List
// returns as is.
type callbackError struct{ err error }

func (e callbackError) Error() string { return e.err.Error() }

type walker struct {
	ctx    context.Context
	prefix string
	fn     func(key string, size int64) error
}

// walk reports the blobs in dir, whose path relative to blobs is rel, and
// below it; it closes dir. Each directory is opened relative to its parent,
// so a directory costs O(1) system calls whatever its depth, and the parent
// is closed before its last subdirectory is entered, so a chain of nested
// directories holds O(1) descriptors. Entries removed by a concurrent
// Delete are skipped.
func (w *walker) walk(dir *os.Root, rel string) error {
	defer func() {
		if dir != nil {
			dir.Close()
		}
	}()
	if err := w.ctx.Err(); err != nil {
		return err
	}
	f, err := dir.Open(".")
	if err != nil {
		return ignoreNotExist(err)
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return ignoreNotExist(err)
	}
	var subdirs []string
	for _, e := range entries {
		switch {
		case e.IsDir():
			subdirs = append(subdirs, e.Name())
		case e.Type().IsRegular():
			if err := w.file(dir, joinRel(rel, e.Name())); err != nil {
				return err
			}
		}
	}
	for i, name := range subdirs {
		child, err := dir.OpenRoot(name)
		if err != nil {
			if err := ignoreNotExist(err); err != nil {
				return err
			}
			continue
		}
		if i == len(subdirs)-1 {
			dir.Close()
			dir = nil
		}
		if err := w.walk(child, joinRel(rel, name)); err != nil {
			return err
		}
	}
	return nil
}

// file reports the file at rel (relative to blobs) if it is a blob whose
// key has the prefix.
func (w *walker) file(dir *os.Root, rel string) error {
	key, err := decodeKey(rel)
	if err != nil || !strings.HasPrefix(key, w.prefix) {
		return nil
	}
	fi, err := dir.Lstat(path.Base(rel))
	if err != nil {
		return ignoreNotExist(err)
	}
	if !fi.Mode().IsRegular() {
		return nil
	}
	if err := w.fn(key, fi.Size()); err != nil {
		return callbackError{err}
	}
	return nil
}

// joinRel appends a name to a relative path ("" for blobs itself). Unlike
// path.Join it does not clean, which the encoded names never need.
func joinRel(rel, name string) string {
	if rel == "" {
		return name
	}
	return rel + "/" + name
}

func ignoreNotExist(err error) error {
	if errors.Is(err, iofs.ErrNotExist) {
		return nil
	}
	return err
}

// classify wraps a file-system error for op on key, mapping a missing file
// to blob.ErrNotFound.
func classify(op, key string, err error) error {
	if errors.Is(err, iofs.ErrNotExist) {
		return fmt.Errorf("fs: %s %q: %w", op, key, blob.ErrNotFound)
	}
	return fmt.Errorf("fs: %s %q: %w", op, key, err)
}
