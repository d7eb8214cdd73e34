// Package blobtest is the conformance suite that every blob.Store driver
// runs. A driver's test calls Run with a function that returns a fresh,
// empty store; the suite checks the whole blob.Store contract: round trips,
// ranges, overwrites, missing and invalid keys, hostile key bytes, failing
// and cancelled writers, concurrent writers and readers, List, and streaming
// of large blobs in bounded memory.
package blobtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/grantd/grantd/internal/blob"
)

// Options adapts the suite to a driver's documented limits. The zero value
// runs every check.
type Options struct {
	// Unlistable reports keys that the driver stores and reads back exactly
	// but that List cannot report byte for byte (for example because an
	// upstream's XML listing cannot carry them). Such keys are left out of
	// List comparisons, both from what List should report and from what it
	// does report, so the function must also match the mangled form List
	// reports instead. Nil means every key must list exactly.
	Unlistable func(key string) bool
	// SkipAllocCheck skips the allocation bounds of the large-blob test,
	// for drivers tested against an in-process server whose own
	// allocations would be counted.
	SkipAllocCheck bool
}

// Run runs the full suite. newStore must return a new, empty store each
// time it is called; it should register its own cleanup with t.Cleanup.
// The test that calls Run should not call t.Parallel: the large-blob
// subtest counts the process's allocations and must run alone.
func Run(t *testing.T, newStore func(t *testing.T) blob.Store) {
	RunOptions(t, newStore, Options{})
}

// RunOptions is Run with adjustments for a driver's limits.
func RunOptions(t *testing.T, newStore func(t *testing.T) blob.Store, opts Options) {
	s := suite{newStore: newStore, opts: opts}
	// The large-blob test measures process-wide allocations, so it runs
	// first and alone; the parallel subtests start after Run's body returns.
	t.Run("Large", s.testLarge)
	t.Run("RoundTrip", s.testRoundTrip)
	t.Run("Ranges", s.testRanges)
	t.Run("Overwrite", s.testOverwrite)
	t.Run("Missing", s.testMissing)
	t.Run("InvalidArguments", s.testInvalid)
	t.Run("FailingReader", s.testFailingReader)
	t.Run("SizeMismatch", s.testSizeMismatch)
	t.Run("Context", s.testContext)
	t.Run("NastyKeys", s.testNastyKeys)
	t.Run("List", s.testList)
	t.Run("ConcurrentWriters", s.testConcurrentWriters)
	t.Run("ReadDuringOverwrite", s.testReadDuringOverwrite)
}

type suite struct {
	newStore func(t *testing.T) blob.Store
	opts     Options
}

// store returns a fresh store for a parallel subtest.
func (s suite) store(t *testing.T) blob.Store {
	t.Helper()
	t.Parallel()
	return s.newStore(t)
}

// data returns n pseudo-random bytes determined by seed.
func data(seed uint64, n int) []byte {
	b := make([]byte, n)
	rand.NewChaCha8(seedBytes(seed)).Read(b)
	return b
}

func seedBytes(seed uint64) (s [32]byte) {
	for i := range 8 {
		s[i] = byte(seed >> (8 * i))
	}
	return s
}

// opaqueReader hides any method but Read (no WriterTo, Seeker, Len), as a
// network body would.
type opaqueReader struct{ r io.Reader }

func (o opaqueReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func put(t *testing.T, st blob.Store, key string, b []byte, size int64) {
	t.Helper()
	n, err := st.Put(context.Background(), key, opaqueReader{bytes.NewReader(b)}, size)
	if err != nil {
		t.Fatalf("Put(%q, %d bytes): %v", key, len(b), err)
	}
	if n != int64(len(b)) {
		t.Fatalf("Put(%q) = %d bytes, want %d", key, n, len(b))
	}
}

func get(t *testing.T, st blob.Store, key string, offset, length int64) []byte {
	t.Helper()
	rc, err := st.Get(context.Background(), key, offset, length)
	if err != nil {
		t.Fatalf("Get(%q, %d, %d): %v", key, offset, length, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("Get(%q, %d, %d): read: %v", key, offset, length, err)
	}
	return b
}

// wantBlob checks that key holds exactly want, via Get and Stat.
func wantBlob(t *testing.T, st blob.Store, key string, want []byte) {
	t.Helper()
	if got := get(t, st, key, 0, -1); !bytes.Equal(got, want) {
		t.Fatalf("Get(%q) = %s, want %s", key, describe(got), describe(want))
	}
	size, err := st.Stat(context.Background(), key)
	if err != nil {
		t.Fatalf("Stat(%q): %v", key, err)
	}
	if size != int64(len(want)) {
		t.Fatalf("Stat(%q) = %d, want %d", key, size, len(want))
	}
}

// wantMissing checks that key holds no blob.
func wantMissing(t *testing.T, st blob.Store, key string) {
	t.Helper()
	ctx := context.Background()
	if size, err := st.Stat(ctx, key); !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("Stat(%q) = %d, %v; want ErrNotFound", key, size, err)
	}
	rc, err := st.Get(ctx, key, 0, -1)
	if err == nil {
		rc.Close()
	}
	if !errors.Is(err, blob.ErrNotFound) {
		t.Fatalf("Get(%q) error = %v, want ErrNotFound", key, err)
	}
}

// describe summarizes a byte slice for failure messages.
func describe(b []byte) string {
	if len(b) <= 64 {
		return fmt.Sprintf("%q", b)
	}
	return fmt.Sprintf("%d bytes %q…", len(b), b[:32])
}

// listAll returns List's keys and sizes for prefix, and the keys it
// reported more than once.
func listAll(t *testing.T, st blob.Store, prefix string) (got map[string]int64, dups []string) {
	t.Helper()
	got = map[string]int64{}
	err := st.List(context.Background(), prefix, func(key string, size int64) error {
		if _, dup := got[key]; dup {
			dups = append(dups, key)
		}
		got[key] = size
		return nil
	})
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	return got, dups
}

// wantList checks List(prefix) against want, leaving out unlistable keys.
func (s suite) wantList(t *testing.T, st blob.Store, prefix string, want map[string]int64) {
	t.Helper()
	got, dups := listAll(t, st, prefix)
	unlistable := func(string) bool { return false }
	if s.opts.Unlistable != nil {
		unlistable = s.opts.Unlistable
	}
	for _, m := range []map[string]int64{got, want} {
		for k := range m {
			if unlistable(k) {
				delete(m, k)
			}
		}
	}
	for _, k := range dups {
		if !unlistable(k) {
			t.Errorf("List(%q) reported %q more than once", prefix, k)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("List(%q) mismatch (-want +got):\n%s", prefix, diff)
	}
}

func (s suite) testRoundTrip(t *testing.T) {
	st := s.store(t)
	ctx := context.Background()
	// Sizes around 5 MiB cover the part boundary of S3-backed drivers.
	sizes := []int{0, 1, 4096, 5 << 20, 5<<20 + 1, 11<<20 + 3}
	for i, n := range sizes {
		for _, known := range []bool{true, false} {
			key := fmt.Sprintf("rt/%d-%t", n, known)
			want := data(uint64(i), n)
			size := int64(-1)
			if known {
				size = int64(n)
			}
			put(t, st, key, want, size)
			wantBlob(t, st, key, want)
			if err := st.Delete(ctx, key); err != nil {
				t.Fatalf("Delete(%q): %v", key, err)
			}
			wantMissing(t, st, key)
		}
	}
}

func (s suite) testRanges(t *testing.T) {
	st := s.store(t)
	full := data(1, 1000)
	put(t, st, "r/full", full, int64(len(full)))
	put(t, st, "r/empty", nil, 0)
	tests := []struct {
		name           string
		key            string
		offset, length int64
		want           []byte
	}{
		{"all", "r/full", 0, -1, full},
		{"all-explicit", "r/full", 0, 1000, full},
		{"zero-length", "r/full", 0, 0, nil},
		{"zero-length-inside", "r/full", 500, 0, nil},
		{"head", "r/full", 0, 10, full[:10]},
		{"middle", "r/full", 300, 123, full[300:423]},
		{"to-end", "r/full", 300, -1, full[300:]},
		{"last-byte", "r/full", 999, 1, full[999:]},
		{"last-byte-to-end", "r/full", 999, -1, full[999:]},
		{"past-end-clamped", "r/full", 990, 100, full[990:]},
		{"at-end", "r/full", 1000, -1, nil},
		{"at-end-length", "r/full", 1000, 5, nil},
		{"beyond-end", "r/full", 5000, 10, nil},
		{"beyond-end-to-end", "r/full", 5000, -1, nil},
		{"empty-all", "r/empty", 0, -1, nil},
		{"empty-zero", "r/empty", 0, 0, nil},
		{"empty-length", "r/empty", 0, 10, nil},
		{"empty-offset", "r/empty", 3, -1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := get(t, st, tt.key, tt.offset, tt.length)
			if !bytes.Equal(got, tt.want) {
				t.Errorf("Get(%q, %d, %d) = %s, want %s", tt.key, tt.offset, tt.length, describe(got), describe(tt.want))
			}
		})
	}
}

func (s suite) testOverwrite(t *testing.T) {
	st := s.store(t)
	long, short := data(1, 100_000), data(2, 10)
	put(t, st, "k", long, -1)
	put(t, st, "k", short, int64(len(short)))
	wantBlob(t, st, "k", short)
	put(t, st, "k", long, int64(len(long)))
	wantBlob(t, st, "k", long)
	put(t, st, "k", nil, -1)
	wantBlob(t, st, "k", nil)
	s.wantList(t, st, "", map[string]int64{"k": 0})
}

func (s suite) testMissing(t *testing.T) {
	st := s.store(t)
	ctx := context.Background()
	wantMissing(t, st, "nope")
	put(t, st, "dir/a", []byte("a"), 1)
	for _, key := range []string{"dir", "dir/", "dir/b", "dir/a/b", "di", "DIR/a"} {
		wantMissing(t, st, key)
	}
	rc, err := st.Get(ctx, "nope", 10, 5)
	if err == nil {
		rc.Close()
	}
	if !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Get(missing, range) error = %v, want ErrNotFound", err)
	}
	for range 2 {
		if err := st.Delete(ctx, "nope"); err != nil {
			t.Errorf("Delete(missing) = %v, want nil", err)
		}
	}
	if err := st.Delete(ctx, "dir/a"); err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(ctx, "dir/a"); err != nil {
		t.Errorf("second Delete = %v, want nil", err)
	}
	s.wantList(t, st, "", map[string]int64{})
}

func (s suite) testInvalid(t *testing.T) {
	st := s.store(t)
	ctx := context.Background()
	for _, key := range []string{"", strings.Repeat("k", blob.MaxKeyLen+1)} {
		if _, err := st.Put(ctx, key, strings.NewReader("x"), 1); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Put(%d-byte key) error = %v, want ErrInvalidKey", len(key), err)
		}
		if _, err := st.Get(ctx, key, 0, -1); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Get(%d-byte key) error = %v, want ErrInvalidKey", len(key), err)
		}
		if _, err := st.Stat(ctx, key); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Stat(%d-byte key) error = %v, want ErrInvalidKey", len(key), err)
		}
		if err := st.Delete(ctx, key); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Delete(%d-byte key) error = %v, want ErrInvalidKey", len(key), err)
		}
	}
	put(t, st, "k", []byte("0123456789"), 10)
	for _, r := range [][2]int64{{-1, -1}, {-1, 5}, {0, -2}, {3, -100}} {
		rc, err := st.Get(ctx, "k", r[0], r[1])
		if err == nil {
			rc.Close()
		}
		if !errors.Is(err, blob.ErrInvalidRange) {
			t.Errorf("Get(k, %d, %d) error = %v, want ErrInvalidRange", r[0], r[1], err)
		}
	}
	s.wantList(t, st, "", map[string]int64{"k": 10})
}
