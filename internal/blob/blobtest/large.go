package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"
)

const (
	// largeSize is the size of the large blob: big enough that holding it
	// in memory would show in the allocation counts below.
	largeSize = 64 << 20
	// allocLimit bounds the bytes a driver may allocate while putting or
	// getting the large blob. A driver that buffers the blob exceeds it.
	allocLimit = largeSize / 4
)

// genReader yields n pseudo-random bytes without holding them.
type genReader struct {
	rng *rand.ChaCha8
	n   int64
}

func newGenReader(seed uint64, n int64) *genReader {
	return &genReader{rng: rand.NewChaCha8(seedBytes(seed)), n: n}
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.n == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > g.n {
		p = p[:g.n]
	}
	n, _ := g.rng.Read(p)
	g.n -= int64(n)
	return n, nil
}

// genSection returns bytes [off, off+n) of newGenReader(seed, …).
func genSection(seed uint64, off, n int64) []byte {
	gen := newGenReader(seed, off+n)
	if _, err := io.CopyN(io.Discard, gen, off); err != nil {
		panic(err)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(gen, b); err != nil {
		panic(err)
	}
	return b
}

// totalAlloc returns the bytes allocated by the process so far.
func totalAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

func (s suite) testLarge(t *testing.T) {
	// Not parallel: the allocation counts are process-wide.
	st := s.newStore(t)
	ctx := context.Background()
	const seed = 42

	h := sha256.New()
	before := totalAlloc()
	n, err := st.Put(ctx, "large", io.TeeReader(newGenReader(seed, largeSize), h), -1)
	putAlloc := totalAlloc() - before
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	if n != largeSize {
		t.Fatalf("Put = %d bytes, want %d", n, largeSize)
	}
	want := h.Sum(nil)

	if size, err := st.Stat(ctx, "large"); err != nil || size != largeSize {
		t.Fatalf("Stat = %d, %v; want %d", size, err, largeSize)
	}

	rc, err := st.Get(ctx, "large", 0, -1)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	h.Reset()
	before = totalAlloc()
	got, err := io.Copy(h, rc)
	getAlloc := totalAlloc() - before
	rc.Close()
	if err != nil || got != largeSize {
		t.Fatalf("reading = %d bytes, %v; want %d", got, err, largeSize)
	}
	if !bytes.Equal(h.Sum(nil), want) {
		t.Fatal("the blob read back differs from the one put (SHA-256 mismatch)")
	}

	// A range near the end, compared with the generator's bytes there.
	const off, length = largeSize - 1<<20 - 17, 1 << 20
	if got := get(t, st, "large", off, length); !bytes.Equal(got, genSection(seed, off, length)) {
		t.Fatalf("Get(large, %d, %d) differs from the bytes put", off, length)
	}

	t.Logf("allocated %d KiB during Put and %d KiB during Get of %d MiB", putAlloc>>10, getAlloc>>10, largeSize>>20)
	if s.opts.SkipAllocCheck {
		return
	}
	if putAlloc > allocLimit {
		t.Errorf("Put of %d MiB allocated %d MiB; a streaming Put stays under %d MiB", largeSize>>20, putAlloc>>20, allocLimit>>20)
	}
	if getAlloc > allocLimit {
		t.Errorf("reading %d MiB allocated %d MiB; a streaming Get stays under %d MiB", largeSize>>20, getAlloc>>20, allocLimit>>20)
	}
}
