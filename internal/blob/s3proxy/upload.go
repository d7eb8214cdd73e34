package s3proxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/grantd/grantd/internal/blob"
)

// Why our own uploader rather than feature/s3/manager: the manager in
// go.mod is deprecated in favour of feature/s3/transfermanager (not in
// go.mod), it aborts failed uploads with the caller's context (so a
// cancelled Put would leave its parts behind), and the Put contract hinges
// on details best kept in view: read the caller's reader to io.EOF before
// committing, commit only if nothing failed, bound memory. The algorithm is
// the manager's: a blob that fits in one part goes up with one PutObject;
// a longer one is cut into parts held in memory (so each part is seekable,
// signed and retried by the SDK) and sent with a multipart upload, at most
// Concurrency parts at a time. Spooling to a local temporary file instead
// would cost a disk write and a local-disk requirement on nodes meant to be
// stateless.

const (
	// maxParts is S3's limit on the number of parts of an upload.
	maxParts = 10000
	// commitTimeout bounds the request that makes a Put visible (PutObject
	// or CompleteMultipartUpload), which runs detached from the caller's
	// context: once every byte has been read and verified, a cancellation
	// must not leave the outcome unknown.
	commitTimeout = 10 * time.Minute
	// abortTimeout bounds AbortMultipartUpload after a failure.
	abortTimeout = time.Minute
)

// Put implements blob.Store. Memory use is bounded by Concurrency parts
// plus the first part, whatever the blob's size.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64) (int64, error) {
	if err := blob.ValidateKey(key); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	partSize := s.partSizeFor(size)
	body := blob.NewBody(ctx, r, size)
	pr := &partReader{r: body}
	first, last, err := pr.first(partSize, size)
	if err == nil {
		if last {
			err = s.putSingle(ctx, key, first)
		} else {
			err = s.putMultipart(ctx, key, pr, first, partSize)
		}
	}
	if err != nil {
		return 0, classify("put", key, err)
	}
	return body.N(), nil
}

// partSizeFor returns the part size for a blob of the given size (-1 if
// unknown): PartSize, or more if the blob would not fit in maxParts parts.
func (s *Store) partSizeFor(size int64) int64 {
	if size > s.partSize*maxParts {
		return (size + maxParts - 1) / maxParts
	}
	return s.partSize
}

// commitContext returns the context for the request that commits a Put.
func commitContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), commitTimeout)
}

func (s *Store) putSingle(ctx context.Context, key string, b []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	cctx, cancel := commitContext(ctx)
	defer cancel()
	_, err := s.api.PutObject(cctx, &s3.PutObjectInput{
		Bucket:        s.bucket,
		Key:           s.key(key),
		Body:          bytes.NewReader(b),
		ContentLength: aws.Int64(int64(len(b))),
	})
	return err
}

// putMultipart uploads first and the rest of pr as a multipart upload, and
// aborts the upload if anything fails.
func (s *Store) putMultipart(ctx context.Context, key string, pr *partReader, first []byte, partSize int64) (err error) {
	out, err := s.api.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: s.bucket, Key: s.key(key)})
	if err != nil {
		return err
	}
	mu := &multipart{s: s, key: s.key(key), uploadID: out.UploadId}
	defer func() {
		if err != nil {
			err = errors.Join(err, mu.abort(ctx))
		}
	}()
	if err := mu.send(ctx, pr, first, partSize); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	cctx, cancel := commitContext(ctx)
	defer cancel()
	_, err = s.api.CompleteMultipartUpload(cctx, &s3.CompleteMultipartUploadInput{
		Bucket:          s.bucket,
		Key:             mu.key,
		UploadId:        mu.uploadID,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: mu.parts},
	})
	return err
}

// multipart is one multipart upload in progress.
type multipart struct {
	s        *Store
	key      *string
	uploadID *string

	mu    sync.Mutex
	parts []types.CompletedPart
}

// send uploads first as part 1 and the rest of pr as the following parts,
// keeping at most s.concurrency uploads (and part buffers) in flight. It
// returns once every part is uploaded and pr has reported the end of the
// stream, or after the first error.
func (m *multipart) send(ctx context.Context, pr *partReader, first []byte, partSize int64) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, m.s.concurrency)
	var wg sync.WaitGroup
	upload := func(num int32, b []byte, release func()) {
		wg.Go(func() {
			defer func() { release(); <-sem }()
			if err := m.uploadPart(ctx, num, b); err != nil {
				cancel(err)
			}
		})
	}
	sem <- struct{}{}
	upload(1, first, func() {})
	var readErr error
	for num, last := int32(2), false; !last; num++ {
		sem <- struct{}{} // wait for a free slot before taking a buffer
		if ctx.Err() != nil {
			<-sem
			break
		}
		if num > maxParts {
			<-sem
			readErr = fmt.Errorf("blob exceeds %d parts of %d bytes", maxParts, partSize)
			break
		}
		buf, release := m.s.partBuffer(partSize)
		n, l, err := pr.next(buf)
		if err != nil || n == 0 {
			release()
			<-sem
			readErr = err
			break
		}
		last = l
		upload(num, buf[:n], release)
	}
	wg.Wait()
	if readErr != nil {
		return readErr
	}
	if err := context.Cause(ctx); err != nil {
		return err
	}
	sort.Slice(m.parts, func(i, j int) bool { return *m.parts[i].PartNumber < *m.parts[j].PartNumber })
	return nil
}

func (m *multipart) uploadPart(ctx context.Context, num int32, b []byte) error {
	out, err := m.s.api.UploadPart(ctx, &s3.UploadPartInput{
		Bucket:        m.s.bucket,
		Key:           m.key,
		UploadId:      m.uploadID,
		PartNumber:    aws.Int32(num),
		Body:          bytes.NewReader(b),
		ContentLength: aws.Int64(int64(len(b))),
	})
	if err != nil {
		return fmt.Errorf("part %d: %w", num, err)
	}
	m.mu.Lock()
	m.parts = append(m.parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(num)})
	m.mu.Unlock()
	return nil
}

// abort aborts the upload with a context that survives the caller's
// cancellation, so that a cancelled Put does not leave parts behind.
func (m *multipart) abort(ctx context.Context) error {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abortTimeout)
	defer cancel()
	_, err := m.s.api.AbortMultipartUpload(actx, &s3.AbortMultipartUploadInput{
		Bucket:   m.s.bucket,
		Key:      m.key,
		UploadId: m.uploadID,
	})
	if err != nil {
		return fmt.Errorf("abort multipart upload %s: %w", aws.ToString(m.uploadID), err)
	}
	return nil
}

// partBuffer returns a buffer of partSize bytes and the function that
// gives it back.
func (s *Store) partBuffer(partSize int64) ([]byte, func()) {
	if partSize != s.partSize {
		return make([]byte, partSize), func() {}
	}
	bp := s.parts.Get().(*[]byte)
	return *bp, func() { s.parts.Put(bp) }
}

// partReader cuts a stream into parts and knows, for each part, whether it
// is the last: it reads one byte ahead.
type partReader struct {
	r       io.Reader
	peek    [1]byte
	hasPeek bool
}

// first reads the first part, of at most partSize bytes. Its buffer grows
// with the data (or is sized from the known size), so that a small blob
// does not cost a whole part buffer.
func (p *partReader) first(partSize, size int64) (b []byte, last bool, err error) {
	if size >= 0 {
		b = make([]byte, min(size, partSize))
		n, last, err := p.next(b)
		return b[:n], last, err
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(p.r, partSize))
	if err != nil {
		return nil, false, err
	}
	if n < partSize {
		return buf.Bytes(), true, nil // the stream ended before the limit
	}
	last, err = p.lookAhead()
	return buf.Bytes(), last, err
}

// next fills b with the next part and reports whether the stream ended
// with it. n < len(b) implies last.
func (p *partReader) next(b []byte) (n int, last bool, err error) {
	if p.hasPeek && len(b) > 0 {
		b[0], p.hasPeek = p.peek[0], false
		n = 1
	}
	m, err := io.ReadFull(p.r, b[n:])
	n += m
	switch err {
	case nil:
	case io.EOF, io.ErrUnexpectedEOF:
		return n, true, nil
	default:
		return n, false, err
	}
	last, err = p.lookAhead()
	return n, last, err
}

// lookAhead reads one byte past a full part: io.EOF means the part was the
// last.
func (p *partReader) lookAhead() (last bool, err error) {
	if _, err := io.ReadFull(p.r, p.peek[:]); err != nil {
		if err == io.EOF {
			return true, nil
		}
		return false, err
	}
	p.hasPeek = true
	return false, nil
}
