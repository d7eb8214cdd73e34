package blobtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/grantd/grantd/internal/blob"
)

var errBoom = errors.New("blobtest: reader failed on purpose")

// failingReader yields the first n bytes of b, then fails with errBoom
// instead of returning io.EOF, as a verifying reader does when a digest
// does not match.
type failingReader struct {
	b []byte
	n int
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errBoom
	}
	m := copy(p, f.b[:f.n])
	f.b, f.n = f.b[m:], f.n-m
	return m, nil
}

func (s suite) testFailingReader(t *testing.T) {
	const big = 12 << 20 // spans several parts of an S3 multipart upload
	tests := []struct {
		name       string
		total, ok  int // blob length, bytes delivered before the error
		knownSize  bool
		withOldVal bool
	}{
		{"immediately", 1000, 0, false, false},
		{"midway", 1000, 500, false, false},
		{"at-end-unknown-size", 1000, 1000, false, false},
		{"at-end-known-size", 1000, 1000, true, false},
		{"midway-known-size", 1000, 500, true, false},
		{"empty-at-end", 0, 0, true, false},
		{"large-midway", big, 7<<20 + 5, false, false},
		{"large-at-end", big, big, true, false},
		{"midway-over-old", 1000, 500, false, true},
		{"at-end-over-old", 1000, 1000, true, true},
		{"large-midway-over-old", big, 6 << 20, true, true},
		{"large-at-end-over-old", big, big, false, true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := s.store(t)
			old := []byte("the old blob")
			if tt.withOldVal {
				put(t, st, "k", old, int64(len(old)))
			}
			size := int64(-1)
			if tt.knownSize {
				size = int64(tt.total)
			}
			r := &failingReader{b: data(uint64(i), tt.total), n: tt.ok}
			n, err := st.Put(context.Background(), "k", r, size)
			if !errors.Is(err, errBoom) {
				t.Fatalf("Put = %d, %v; want an error wrapping the reader's", n, err)
			}
			if tt.withOldVal {
				wantBlob(t, st, "k", old)
				s.wantList(t, st, "", map[string]int64{"k": int64(len(old))})
			} else {
				wantMissing(t, st, "k")
				s.wantList(t, st, "", map[string]int64{})
			}
		})
	}
}

func (s suite) testSizeMismatch(t *testing.T) {
	tests := []struct {
		name      string
		have      int
		size      int64
		withOld   bool
		largeBody bool
	}{
		{"short", 10, 11, false, false},
		{"long", 11, 10, false, false},
		{"empty-but-size", 0, 1, false, false},
		{"some-but-zero", 1, 0, false, false},
		{"short-over-old", 10, 20, true, false},
		{"long-over-old", 20, 10, true, false},
		{"large-short", 6<<20 + 1, 6<<20 + 2, true, true},
		{"large-long", 6<<20 + 2, 6<<20 + 1, false, true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := s.store(t)
			old := []byte("old")
			if tt.withOld {
				put(t, st, "k", old, -1)
			}
			n, err := st.Put(context.Background(), "k", opaqueReader{bytes.NewReader(data(uint64(i), tt.have))}, tt.size)
			if !errors.Is(err, blob.ErrSizeMismatch) {
				t.Fatalf("Put(%d bytes, size %d) = %d, %v; want ErrSizeMismatch", tt.have, tt.size, n, err)
			}
			if tt.withOld {
				wantBlob(t, st, "k", old)
			} else {
				wantMissing(t, st, "k")
			}
		})
	}
}

// cancelingReader cancels its context after yielding n bytes of b, then
// keeps yielding the rest as if nothing happened.
type cancelingReader struct {
	b      []byte
	n      int
	cancel context.CancelFunc
}

func (c *cancelingReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	if c.n <= 0 {
		c.cancel()
	} else if len(p) > c.n {
		p = p[:c.n]
	}
	m := copy(p, c.b)
	c.b, c.n = c.b[m:], c.n-m
	return m, nil
}

func (s suite) testContext(t *testing.T) {
	t.Run("cancelled-before-put", s.testCancelledBeforePut)
	for _, tt := range []struct {
		name    string
		total   int
		withOld bool
	}{
		{"cancelled-during-put", 100_000, false},
		{"cancelled-during-overwrite", 100_000, true},
		{"cancelled-during-large-put", 12 << 20, true},
	} {
		t.Run(tt.name, func(t *testing.T) { s.testCancelledDuringPut(t, tt.total, tt.withOld) })
	}
	t.Run("cancelled-calls", s.testCancelledCalls)
	t.Run("cancelled-while-reading", s.testCancelledWhileReading)
}

func (s suite) testCancelledBeforePut(t *testing.T) {
	st := s.store(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := st.Put(ctx, "k", bytes.NewReader([]byte("x")), 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put = %v, want context.Canceled", err)
	}
	wantMissing(t, st, "k")
}

// testCancelledDuringPut cancels the context half way through the body.
func (s suite) testCancelledDuringPut(t *testing.T, total int, withOld bool) {
	st := s.store(t)
	old := []byte("old")
	if withOld {
		put(t, st, "k", old, -1)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &cancelingReader{b: data(7, total), n: total / 2, cancel: cancel}
	if _, err := st.Put(ctx, "k", r, -1); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put = %v, want context.Canceled", err)
	}
	if withOld {
		wantBlob(t, st, "k", old)
	} else {
		wantMissing(t, st, "k")
	}
}

func (s suite) testCancelledCalls(t *testing.T) {
	st := s.store(t)
	put(t, st, "k", []byte("value"), 5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if rc, err := st.Get(ctx, "k", 0, -1); err == nil {
		rc.Close()
		t.Error("Get with a cancelled context succeeded")
	}
	if _, err := st.Stat(ctx, "k"); err == nil {
		t.Error("Stat with a cancelled context succeeded")
	}
	if err := st.List(ctx, "", func(string, int64) error { return nil }); err == nil {
		t.Error("List with a cancelled context succeeded")
	}
	if err := st.Delete(ctx, "k"); err == nil {
		t.Error("Delete with a cancelled context succeeded")
	}
}

// testCancelledWhileReading cancels the context of a Get whose reader is
// partly consumed; the rest of the reads must fail.
func (s suite) testCancelledWhileReading(t *testing.T) {
	st := s.store(t)
	put(t, st, "k", data(3, 4<<20), -1)
	ctx, cancel := context.WithCancel(context.Background())
	rc, err := st.Get(ctx, "k", 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, err := io.ReadFull(rc, make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	cancel()
	if n, err := io.Copy(io.Discard, rc); err == nil {
		t.Errorf("reading after cancel: got %d more bytes and no error", n)
	}
}
