package blobtest

import (
	"bytes"
	"context"
	"io"
	"sync"
	"testing"

	"github.com/grantd/grantd/internal/blob"
)

// Concurrency tests write "patterns": pattern v (1..patterns) is the byte v
// repeated patternLen(v) times, so any blob read back tells which pattern
// it came from and whether it is whole.
const patterns = 8

func patternLen(v byte) int { return 256<<10 + int(v)*4099 }

func pattern(v byte) []byte { return bytes.Repeat([]byte{v}, patternLen(v)) }

// checkPattern reports whether b is the section [offset, offset+length) of
// one whole pattern (length -1: to the end), clamped as Get clamps.
func checkPattern(b []byte, offset, length int64) bool {
	if len(b) == 0 {
		// Only possible if the range starts past the end of a pattern.
		return offset >= int64(patternLen(1))
	}
	v := b[0]
	if v < 1 || v > patterns {
		return false
	}
	if bytes.IndexFunc(b, func(r rune) bool { return r != rune(v) }) >= 0 {
		return false
	}
	_, n := blob.ClampRange(int64(patternLen(v)), offset, length)
	return int64(len(b)) == n
}

func (s suite) testConcurrentWriters(t *testing.T) {
	st := s.store(t)
	const rounds = 3
	var wg sync.WaitGroup
	for v := byte(1); v <= patterns; v++ {
		wg.Go(func() {
			p := pattern(v)
			for i := range rounds {
				size := int64(len(p))
				if (int(v)+i)%2 == 0 {
					size = -1
				}
				if _, err := st.Put(context.Background(), "k", opaqueReader{bytes.NewReader(p)}, size); err != nil {
					t.Errorf("writer %d: Put: %v", v, err)
					return
				}
			}
		})
	}
	wg.Wait()
	got := get(t, st, "k", 0, -1)
	if !checkPattern(got, 0, -1) {
		t.Fatalf("after concurrent Puts the blob is %s, not one whole pattern", describe(got))
	}
	size, err := st.Stat(context.Background(), "k")
	if err != nil || size != int64(len(got)) {
		t.Fatalf("Stat = %d, %v; want %d", size, err, len(got))
	}
	s.wantList(t, st, "", map[string]int64{"k": int64(len(got))})
}

func (s suite) testReadDuringOverwrite(t *testing.T) {
	st := s.store(t)
	put(t, st, "k", pattern(1), -1)
	const (
		writes  = 40
		readers = 4
	)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(done)
		for i := range writes {
			v := byte(i%patterns + 1)
			p := pattern(v)
			if _, err := st.Put(context.Background(), "k", opaqueReader{bytes.NewReader(p)}, int64(len(p))); err != nil {
				t.Errorf("Put: %v", err)
				return
			}
		}
	})
	ranges := [][2]int64{{0, -1}, {1000, 70_000}, {260_000, -1}, {250_000, 100_000}}
	for r := range readers {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-done:
					if i > 0 {
						return
					}
				default:
				}
				rg := ranges[(r+i)%len(ranges)]
				if !s.readPattern(t, st, rg[0], rg[1]) {
					return
				}
			}
		})
	}
	wg.Wait()
}

// readPattern reads a range of "k" and checks it; it reports false after
// reporting an error.
func (s suite) readPattern(t *testing.T, st blob.Store, offset, length int64) bool {
	rc, err := st.Get(context.Background(), "k", offset, length)
	if err != nil {
		t.Errorf("Get during overwrite: %v", err)
		return false
	}
	b, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Errorf("reading during overwrite: %v", err)
		return false
	}
	if !checkPattern(b, offset, length) {
		t.Errorf("Get(k, %d, %d) during overwrite returned %s: not a whole pattern", offset, length, describe(b))
		return false
	}
	return true
}
