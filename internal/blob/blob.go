// Package blob defines how grantd stores the bytes of objects.
//
// A Store keeps opaque byte strings ("blobs") under keys chosen by the S3
// layer (typically generated IDs such as "obj/<bucket-id>/<uuid>" or
// "mpu/<upload-id>/<part>"). Everything else about an object (ETag,
// checksums, content type, which blob holds its bytes) lives in the metadata
// store; a blob is only bytes.
//
// Drivers live in subpackages named after their technology (blob/fs,
// blob/s3proxy) and all run the conformance suite in blob/blobtest. The
// helpers in this package (ValidateKey, ValidateRange, NewBody) exist so that
// every driver applies the same rules to its inputs.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Store holds blobs. Implementations are safe for concurrent use.
type Store interface {
	// Put stores the bytes of r under key, replacing any existing blob atomically:
	// concurrent readers see the old or the new blob whole, never a mix; if r fails
	// or ctx ends, nothing is stored and any old blob stays. size is the exact length
	// if known, or -1. Returns the number of bytes stored.
	//
	// Put reads r to its end (io.EOF) before it commits, so a verifying reader
	// that reports a digest mismatch only at EOF makes Put fail. An error
	// returned by r is wrapped, so errors.Is finds it. If size >= 0 and r
	// yields a different number of bytes, Put fails with ErrSizeMismatch.
	// When Put returns nil the blob is durable.
	Put(ctx context.Context, key string, r io.Reader, size int64) (int64, error)
	// Get opens the blob for reading from offset; length -1 means to the end.
	// A range that extends past the end yields the bytes that exist (possibly
	// none). The caller must close the reader.
	Get(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)
	// Stat returns the blob's size.
	Stat(ctx context.Context, key string) (int64, error)
	// Delete removes the blob; deleting a missing blob is not an error.
	Delete(ctx context.Context, key string) error
	// List calls fn for every key with the given prefix (for garbage collection / checks), in any order.
	// If fn returns an error, List stops and returns that error. Blobs put or
	// deleted while List runs may or may not be reported.
	List(ctx context.Context, prefix string, fn func(key string, size int64) error) error
	// Close releases the store's resources.
	Close() error
}

// MaxKeyLen is the longest key, in bytes, that every driver accepts. It is
// S3's own limit on object key names, which the s3proxy driver inherits.
const MaxKeyLen = 1024

var (
	// ErrNotFound means no blob exists under the key. Drivers wrap it with
	// context; test for it with errors.Is.
	ErrNotFound = errors.New("blob: not found")
	// ErrInvalidKey means the key is empty or longer than MaxKeyLen.
	ErrInvalidKey = errors.New("blob: invalid key")
	// ErrInvalidRange means Get was called with a negative offset or a
	// length below -1.
	ErrInvalidRange = errors.New("blob: invalid range")
	// ErrSizeMismatch means Put was given size >= 0 but the reader yielded a
	// different number of bytes.
	ErrSizeMismatch = errors.New("blob: body length does not match size")
)

// ValidateKey returns an error wrapping ErrInvalidKey if key cannot be
// stored: it is empty or longer than MaxKeyLen bytes. Any other byte
// content, including NUL, "/", ".." and invalid UTF-8, is a valid key.
func ValidateKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: empty key", ErrInvalidKey)
	case len(key) > MaxKeyLen:
		return fmt.Errorf("%w: key is %d bytes, longer than %d", ErrInvalidKey, len(key), MaxKeyLen)
	}
	return nil
}

// ValidateRange returns an error wrapping ErrInvalidRange unless offset >= 0
// and length >= -1.
func ValidateRange(offset, length int64) error {
	if offset < 0 || length < -1 {
		return fmt.Errorf("%w: offset %d, length %d", ErrInvalidRange, offset, length)
	}
	return nil
}

// ClampRange returns the section [start, start+n) of a blob of the given
// size that a Get(offset, length) should return, following the Store rule
// that a range past the end yields what exists. The arguments must have
// passed ValidateRange.
func ClampRange(size, offset, length int64) (start, n int64) {
	if offset >= size {
		return size, 0
	}
	n = size - offset
	if length >= 0 && length < n {
		n = length
	}
	return offset, n
}

// Body is the reader a driver's Put consumes instead of the caller's reader.
// It enforces the parts of the Put contract that concern the input stream:
//
//   - once ctx ends, Read fails with ctx.Err();
//   - with a known size, a stream that ends early or runs long fails with an
//     error wrapping ErrSizeMismatch;
//   - Body reports io.EOF only after the caller's reader has reported io.EOF,
//     so the error of a verifying reader (Content-MD5, checksums) that only
//     fails at the end is always seen before the driver commits.
//
// Errors from the caller's reader are returned unchanged.
type Body struct {
	ctx  context.Context
	r    io.Reader
	size int64 // -1 if unknown
	n    int64
	err  error // sticky
}

// NewBody wraps the reader given to Put. size is Put's size argument: the
// exact length, or -1 if unknown.
func NewBody(ctx context.Context, r io.Reader, size int64) *Body {
	if size < -1 {
		size = -1
	}
	return &Body{ctx: ctx, r: r, size: size}
}

// N returns the number of bytes read so far.
func (b *Body) N() int64 { return b.n }

// Read implements io.Reader.
func (b *Body) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if err := b.ctx.Err(); err != nil {
		b.err = err
		return 0, err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if b.size >= 0 {
		if rem := b.size - b.n; rem == 0 {
			b.err = b.expectEOF()
			return 0, b.err
		} else if int64(len(p)) > rem {
			p = p[:rem]
		}
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	switch {
	case err == io.EOF && b.size >= 0 && b.n < b.size:
		err = fmt.Errorf("%w: stream ended after %d of %d bytes", ErrSizeMismatch, b.n, b.size)
	case err == io.EOF:
	case err == nil && b.size >= 0 && b.n == b.size:
		// Look for the end now, so that a driver that reads exactly size
		// bytes also learns of a late error.
		err = b.expectEOF()
	}
	if err != nil {
		b.err = err
	}
	return n, err
}

// expectEOF reads from r after size bytes, which must yield io.EOF.
func (b *Body) expectEOF() error {
	var one [1]byte
	for range 100 { // io.Reader allows (0, nil); do not spin forever on it
		n, err := b.r.Read(one[:])
		if n > 0 {
			return fmt.Errorf("%w: stream is longer than %d bytes", ErrSizeMismatch, b.size)
		}
		if err != nil {
			return err
		}
	}
	return io.ErrNoProgress
}
