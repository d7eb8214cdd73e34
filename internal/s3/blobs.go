package s3

import (
	"context"
	"fmt"
	"io"

	"github.com/grantd/grantd/internal/meta"
)

// Blob key prefixes; see the package comment.
const (
	objectPrefix = "obj/"
	partPrefix   = "mpu/"
)

func objectBlobKey(bucketID, objectID string) string {
	return objectPrefix + bucketID + "/" + objectID
}

func partBlobKey(uploadID, partID string) string {
	return partPrefix + uploadID + "/" + partID
}

// deleteBlob removes a blob no record refers to any more. A failure only
// leaves garbage for Sweep, so it is logged, not returned: the metadata
// change that made the blob garbage has committed.
func (s *Service) deleteBlob(ctx context.Context, key string) {
	if err := s.blobs.Delete(context.WithoutCancel(ctx), key); err != nil {
		s.log.Warn("s3: delete unreferenced blob", "key", key, "err", err)
	}
}

// deleteObjectBlobs removes the blobs of an object that was replaced or
// deleted.
func (s *Service) deleteObjectBlobs(ctx context.Context, o *meta.Object) {
	if o == nil {
		return
	}
	if o.PartsCount == 0 {
		s.deleteBlob(ctx, objectBlobKey(o.BucketID, o.ID))
		return
	}
	s.deleteParts(ctx, o.Parts)
}

func (s *Service) deleteParts(ctx context.Context, parts []meta.Part) {
	for _, p := range parts {
		s.deleteBlob(ctx, partBlobKey(p.UploadID, p.ID))
	}
}

// openObject returns a reader of length bytes of o from offset (which the
// caller has checked against o.Size).
func (s *Service) openObject(ctx context.Context, o *meta.Object, offset, length int64) (io.ReadCloser, error) {
	if o.PartsCount == 0 {
		return s.blobs.Get(ctx, objectBlobKey(o.BucketID, o.ID), offset, length)
	}
	r := &manifestReader{ctx: ctx, s: s, parts: o.Parts, offset: offset, left: length}
	// Open the first part now, so that a missing blob (the object was
	// replaced since its metadata was read) is reported before any byte.
	if err := r.next(); err != nil {
		return nil, err
	}
	return r, nil
}

// manifestReader reads a range of a multipart object: its parts' blobs
// one after the other, each opened when the previous one is done.
type manifestReader struct {
	ctx    context.Context
	s      *Service
	parts  []meta.Part
	offset int64 // object offset of the next byte to open
	left   int64 // bytes still to return
	cur    io.ReadCloser
	want   int64 // bytes the current part reader must still yield
}

// next opens the part that holds r.offset.
func (r *manifestReader) next() error {
	if r.left == 0 {
		return nil
	}
	start := int64(0)
	for _, p := range r.parts {
		end := start + p.Size
		if r.offset < end {
			in := r.offset - start
			n := min(p.Size-in, r.left)
			rc, err := r.s.blobs.Get(r.ctx, partBlobKey(p.UploadID, p.ID), in, n)
			if err != nil {
				return err
			}
			r.cur, r.want = rc, n
			r.offset += n
			return nil
		}
		start = end
	}
	return fmt.Errorf("multipart object is shorter than its size: %w", io.ErrUnexpectedEOF)
}

// Read implements io.Reader.
func (r *manifestReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		if r.cur == nil {
			if r.left == 0 {
				return 0, io.EOF
			}
			if err := r.next(); err != nil {
				return 0, err
			}
		}
		n, err := r.cur.Read(p[:min(int64(len(p)), r.want)])
		r.want -= int64(n)
		r.left -= int64(n)
		if r.want == 0 {
			r.cur.Close()
			r.cur = nil
			if n > 0 {
				return n, nil
			}
			continue
		}
		if err == io.EOF {
			return n, fmt.Errorf("part blob ended %d bytes early: %w", r.want, io.ErrUnexpectedEOF)
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// Close implements io.Closer.
func (r *manifestReader) Close() error {
	if r.cur != nil {
		return r.cur.Close()
	}
	return nil
}
