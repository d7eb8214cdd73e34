package fs_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

var benchSizes = []struct {
	name string
	size int
}{
	{"4KiB", 4 << 10},
	{"64MiB", 64 << 20},
}

func benchData(n int) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{1}).Read(b)
	return b
}

// sink discards writes without implementing io.ReaderFrom, so copies into
// it go through io.Copy's buffer as a copy into an HTTP response would.
type sink struct{}

func (sink) Write(p []byte) (int, error) { return len(p), nil }

// benchKey returns the key for iteration i: distinct for small blobs (the
// common case of new objects), a few rotating keys for large ones so the
// disk does not fill up.
func benchKey(i, size int) string {
	if size > 1<<20 {
		i %= 4
	}
	return fmt.Sprintf("obj/bench/%d", i)
}

func BenchmarkPut(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run(bs.name, func(b *testing.B) {
			st := open(b, b.TempDir())
			data := benchData(bs.size)
			ctx := context.Background()
			b.SetBytes(int64(bs.size))
			i := 0
			for b.Loop() {
				r := opaque{bytes.NewReader(data)}
				if _, err := st.Put(ctx, benchKey(i, bs.size), r, int64(bs.size)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkGet(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run(bs.name, func(b *testing.B) {
			st := open(b, b.TempDir())
			ctx := context.Background()
			if _, err := st.Put(ctx, "obj/bench/k", bytes.NewReader(benchData(bs.size)), int64(bs.size)); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(bs.size))
			for b.Loop() {
				rc, err := st.Get(ctx, "obj/bench/k", 0, -1)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(sink{}, rc); err != nil {
					b.Fatal(err)
				}
				rc.Close()
			}
		})
	}
}

// BenchmarkRawDisk is the baseline for BenchmarkPut and BenchmarkGet: the
// same durable write (temp file, fsync, rename, directory fsync) and the
// same read, done directly with package os.
func BenchmarkRawDisk(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run("Put-"+bs.name, func(b *testing.B) {
			dir := b.TempDir()
			data := benchData(bs.size)
			buf := make([]byte, 256<<10)
			b.SetBytes(int64(bs.size))
			i := 0
			for b.Loop() {
				rawPut(b, dir, benchKey(i, bs.size), data, buf)
				i++
			}
		})
		b.Run("Get-"+bs.name, func(b *testing.B) {
			dir := b.TempDir()
			rawPut(b, dir, "k", benchData(bs.size), make([]byte, 256<<10))
			b.SetBytes(int64(bs.size))
			for b.Loop() {
				f, err := os.Open(filepath.Join(dir, "k"))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(sink{}, f); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		})
	}
}

func rawPut(b *testing.B, dir, name string, data, buf []byte) {
	name = filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		b.Fatal(err)
	}
	f, err := os.CreateTemp(dir, "tmp")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.CopyBuffer(struct{ io.Writer }{f}, opaque{bytes.NewReader(data)}, buf); err != nil {
		b.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	if err := os.Rename(f.Name(), name); err != nil {
		b.Fatal(err)
	}
	d, err := os.Open(filepath.Dir(name))
	if err != nil {
		b.Fatal(err)
	}
	if err := d.Sync(); err != nil {
		b.Fatal(err)
	}
	d.Close()
}

// opaque hides io.WriterTo and friends, as a network body would.
type opaque struct{ r io.Reader }

func (o opaque) Read(p []byte) (int, error) { return o.r.Read(p) }
