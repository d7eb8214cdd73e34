package s3proxy

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// sinkAPI is an upstream that discards what it receives and records how
// the uploader used it; it isolates the uploader's own memory use, which
// an in-process S3 server would drown. Methods it does not implement panic
// through the nil embedded interface.
type sinkAPI struct {
	api

	mu                sync.Mutex
	inFlight, maxIn   int
	parts             int
	bytes             int64
	puts, completes   int
	aborts            int
	abortCtxErr       error
	peakHeap          uint64
	failPartAfterPart int // fail UploadPart for part numbers above this (0: never)
}

func heapAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func (a *sinkAPI) CreateMultipartUpload(context.Context, *s3.CreateMultipartUploadInput, ...func(*s3.Options)) (*s3.CreateMultipartUploadOutput, error) {
	return &s3.CreateMultipartUploadOutput{UploadId: aws.String("upload-1")}, nil
}

func (a *sinkAPI) UploadPart(ctx context.Context, in *s3.UploadPartInput, _ ...func(*s3.Options)) (*s3.UploadPartOutput, error) {
	a.mu.Lock()
	a.inFlight++
	a.maxIn = max(a.maxIn, a.inFlight)
	a.peakHeap = max(a.peakHeap, heapAlloc())
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.inFlight--
		a.mu.Unlock()
	}()
	if a.failPartAfterPart > 0 && int(*in.PartNumber) > a.failPartAfterPart {
		return nil, errors.New("upstream refused the part")
	}
	n, err := io.Copy(io.Discard, in.Body)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.parts++
	a.bytes += n
	a.mu.Unlock()
	return &s3.UploadPartOutput{ETag: aws.String(strconv.Itoa(int(*in.PartNumber)))}, nil
}

func (a *sinkAPI) CompleteMultipartUpload(context.Context, *s3.CompleteMultipartUploadInput, ...func(*s3.Options)) (*s3.CompleteMultipartUploadOutput, error) {
	a.mu.Lock()
	a.completes++
	a.mu.Unlock()
	return &s3.CompleteMultipartUploadOutput{}, nil
}

func (a *sinkAPI) AbortMultipartUpload(ctx context.Context, _ *s3.AbortMultipartUploadInput, _ ...func(*s3.Options)) (*s3.AbortMultipartUploadOutput, error) {
	a.mu.Lock()
	a.aborts++
	a.abortCtxErr = ctx.Err()
	a.mu.Unlock()
	return &s3.AbortMultipartUploadOutput{}, nil
}

func (a *sinkAPI) PutObject(_ context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	n, err := io.Copy(io.Discard, in.Body)
	a.mu.Lock()
	a.puts++
	a.bytes += n
	a.mu.Unlock()
	return &s3.PutObjectOutput{}, err
}

// genReader yields n pseudo-random bytes without holding them.
type genReader struct {
	rng *rand.ChaCha8
	n   int64
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.n == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > g.n {
		p = p[:g.n]
	}
	g.rng.Read(p)
	g.n -= int64(len(p))
	return len(p), nil
}

func newSinkStore(t *testing.T, a *sinkAPI) *Store {
	t.Helper()
	s, err := newStore(a, Options{Bucket: "b", PartSize: MinPartSize, Concurrency: 3})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestPutMemoryBounded streams 512 MiB of unknown size and checks that the
// heap never grows by more than a few parts.
func TestPutMemoryBounded(t *testing.T) {
	const size = 512 << 20
	a := &sinkAPI{}
	s := newSinkStore(t, a)
	runtime.GC()
	base := heapAlloc()
	n, err := s.Put(context.Background(), "k", &genReader{rng: rand.NewChaCha8([32]byte{9}), n: size}, -1)
	if err != nil {
		t.Fatal(err)
	}
	if n != size || a.bytes != size {
		t.Fatalf("Put = %d bytes, upstream got %d; want %d", n, a.bytes, size)
	}
	if want := (size + MinPartSize - 1) / MinPartSize; a.parts != want || a.completes != 1 || a.puts != 0 {
		t.Errorf("upstream saw %d parts, %d completes, %d puts; want %d, 1, 0", a.parts, a.completes, a.puts, want)
	}
	if a.maxIn > 3 {
		t.Errorf("%d parts in flight, want at most Concurrency = 3", a.maxIn)
	}
	// Concurrency parts plus the first (which may have doubled while
	// growing), plus the garbage collector's slack: far below the blob.
	const limit = 64 << 20
	grew := int64(a.peakHeap) - int64(base)
	t.Logf("heap grew by at most %d MiB while putting %d MiB", grew>>20, size>>20)
	if grew > limit {
		t.Errorf("heap grew by %d MiB while putting %d MiB; want under %d MiB", grew>>20, size>>20, limit>>20)
	}
}

// TestAbortSurvivesCancellation checks that a multipart upload cancelled
// by the caller is still aborted, with a live context.
func TestAbortSurvivesCancellation(t *testing.T) {
	a := &sinkAPI{}
	s := newSinkStore(t, a)
	ctx, cancel := context.WithCancel(context.Background())
	r := &cancelAfter{r: &genReader{rng: rand.NewChaCha8([32]byte{}), n: 40 << 20}, n: 20 << 20, cancel: cancel}
	if _, err := s.Put(ctx, "k", r, -1); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put = %v, want context.Canceled", err)
	}
	if a.aborts != 1 || a.abortCtxErr != nil || a.completes != 0 {
		t.Errorf("aborts = %d (context error %v), completes = %d; want 1 abort with a live context and no complete", a.aborts, a.abortCtxErr, a.completes)
	}
}

// TestPartFailureAborts checks that an upstream failure on one part stops
// the upload and aborts it.
func TestPartFailureAborts(t *testing.T) {
	a := &sinkAPI{failPartAfterPart: 2}
	s := newSinkStore(t, a)
	_, err := s.Put(context.Background(), "k", &genReader{rng: rand.NewChaCha8([32]byte{}), n: 60 << 20}, -1)
	if err == nil {
		t.Fatal("Put succeeded although the upstream refused a part")
	}
	if a.aborts != 1 || a.completes != 0 {
		t.Errorf("aborts = %d, completes = %d; want 1 and 0", a.aborts, a.completes)
	}
}

// TestPartSizeFor checks that a known size beyond 10,000 parts of
// PartSize gets bigger parts instead of failing.
func TestPartSizeFor(t *testing.T) {
	s := newSinkStore(t, &sinkAPI{})
	for _, size := range []int64{-1, 0, 1, 5 << 30, MinPartSize * maxParts, MinPartSize*maxParts + 1, 5 << 40} {
		ps := s.partSizeFor(size)
		if ps < MinPartSize || ps > maxPartSize || ps*maxParts < size {
			t.Errorf("partSizeFor(%d) = %d: outside S3's limits or too small for %d parts", size, ps, maxParts)
		}
		if size <= MinPartSize*maxParts && ps != MinPartSize {
			t.Errorf("partSizeFor(%d) = %d, want PartSize %d", size, ps, MinPartSize)
		}
	}
}

type cancelAfter struct {
	r      io.Reader
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.n -= n; c.n <= 0 {
		c.cancel()
	}
	return n, err
}
