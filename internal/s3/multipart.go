package s3

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
)

// CreateUploadInput is a CreateMultipartUpload request.
type CreateUploadInput struct {
	Bucket  string
	Key     string
	Attrs   meta.ObjectAttrs
	Tagging string
	ACL     string
	// ChecksumAlgorithm and ChecksumType are x-amz-checksum-algorithm and
	// x-amz-checksum-type.
	ChecksumAlgorithm string
	ChecksumType      string
}

// CreateMultipartUpload starts a multipart upload.
func (s *Service) CreateMultipartUpload(ctx context.Context, in CreateUploadInput) (*meta.Upload, error) {
	b, tags, err := s.authorizeWrite(ctx, in.Bucket, in.Key, in.Tagging, in.ACL)
	if err != nil {
		return nil, err
	}
	if err := checkWrite(in.Attrs, in.ACL, 0, 0); err != nil {
		return nil, err
	}
	sum, err := uploadChecksum(in.ChecksumAlgorithm, in.ChecksumType)
	if err != nil {
		return nil, err
	}
	caller := auth.CallerFrom(ctx)
	now := s.now()
	u := meta.Upload{ID: newID(now), BucketID: b.ID, Key: in.Key, Initiated: now, Attrs: in.Attrs, Checksum: sum,
		InitiatorARN: caller.ARN, InitiatorID: caller.UserID}
	u.Attrs.Tags = tags
	if caller.Kind == auth.Anonymous {
		u.InitiatorARN, u.InitiatorID = "anonymous", "anonymous"
	}
	if err := s.store.CreateUpload(ctx, u); err != nil {
		if errors.Is(err, meta.ErrBucketGone) {
			return nil, noSuchBucket(in.Bucket)
		}
		return nil, internal(err, "create upload")
	}
	return &u, nil
}

// uploadChecksum validates the checksum algorithm and type of a new
// upload. Without an algorithm the upload computes CRC64NVME of the whole
// object, as S3 does by default, but reports no algorithm.
func uploadChecksum(alg, typ string) (meta.Checksum, error) {
	typ = strings.ToUpper(typ)
	if typ != "" && typ != FullObject && typ != Composite {
		return meta.Checksum{}, invalidRequest("Value for x-amz-checksum-type header is invalid.")
	}
	if alg == "" {
		if typ != "" {
			return meta.Checksum{}, invalidRequest("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.")
		}
		return meta.Checksum{}, nil
	}
	a := NormalizeAlgorithm(alg)
	if a == "" {
		return meta.Checksum{}, unsupportedAlgorithm()
	}
	if typ == "" {
		typ = Composite
		if a == CRC64NVME {
			typ = FullObject
		}
	}
	if (typ == FullObject && (a == SHA1 || a == SHA256)) || (typ == Composite && a == CRC64NVME) {
		return meta.Checksum{}, invalidRequest("The " + typ + " checksum type cannot be used with the " + strings.ToLower(a) + " checksum algorithm.")
	}
	return meta.Checksum{Algorithm: a, Type: typ}, nil
}

// partAlgorithm is the algorithm parts of u are checksummed with.
func partAlgorithm(u *meta.Upload) string { return defaultAlg(u.Checksum.Algorithm) }

// upload returns the upload of a request after checking its bucket, key
// and the caller's permission to do action on the object. With a
// NoSuchUpload error it still returns the bucket.
func (s *Service) upload(ctx context.Context, bucket, key, uploadID, action string) (*meta.Bucket, *meta.Upload, error) {
	b, err := s.bucket(ctx, bucket)
	if err != nil {
		return nil, nil, err
	}
	if err := checkKey(key); err != nil {
		return nil, nil, err
	}
	if err := s.authorize(ctx, action, b, key, nil); err != nil {
		return nil, nil, err
	}
	u, err := s.store.GetUpload(ctx, b.ID, uploadID)
	if errors.Is(err, meta.ErrNotFound) || (err == nil && u.Key != key) {
		return b, nil, noSuchUpload(uploadID)
	}
	if err != nil {
		return nil, nil, internal(err, "read upload %s", uploadID)
	}
	return b, &u, nil
}

func checkPartNumber(n int) error {
	if n < 1 || n > MaxParts {
		return invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", itoa(n))
	}
	return nil
}

// UploadPartInput is an UploadPart request.
type UploadPartInput struct {
	Bucket     string
	Key        string
	UploadID   string
	PartNumber int
	Body       Body
}

// UploadPartOutput describes a stored part.
type UploadPartOutput struct {
	Part meta.Part
	// ChecksumAlgorithm is the algorithm of Part.Checksum when the request
	// or the upload named one; empty otherwise.
	ChecksumAlgorithm string
}

// UploadPart stores one part of a multipart upload.
func (s *Service) UploadPart(ctx context.Context, in UploadPartInput) (*UploadPartOutput, error) {
	if err := checkPartNumber(in.PartNumber); err != nil {
		return nil, err
	}
	_, u, err := s.upload(ctx, in.Bucket, in.Key, in.UploadID, ActionPutObject)
	if err != nil {
		return nil, err
	}
	if err := checkSize(in.Body.Size, MaxPutSize); err != nil {
		return nil, err
	}
	if c := NormalizeAlgorithm(in.Body.Checksum.Algorithm); u.Checksum.Algorithm != "" && c != "" && c != u.Checksum.Algorithm {
		return nil, invalidRequest("Checksum Type mismatch occurred, expected checksum Type: " + strings.ToLower(u.Checksum.Algorithm) + ", actual checksum Type: " + strings.ToLower(c))
	}
	d, err := newDigester(in.Body, partAlgorithm(u))
	if err != nil {
		return nil, err
	}
	p := meta.Part{UploadID: u.ID, Number: in.PartNumber, ID: newID(s.now()), Size: in.Body.Size}
	key := partBlobKey(u.ID, p.ID)
	if err := s.putBlob(ctx, key, d, in.Body.Size); err != nil {
		return nil, err
	}
	p.ETag, p.Checksum, p.LastModified = d.etag(), d.checksum(), s.now()
	if err := s.storePart(ctx, u, p); err != nil {
		return nil, err
	}
	out := &UploadPartOutput{Part: p, ChecksumAlgorithm: u.Checksum.Algorithm}
	if out.ChecksumAlgorithm == "" && d.claim.Algorithm != "" {
		out.ChecksumAlgorithm = d.alg
	}
	return out, nil
}

// storePart records a part whose blob is written, deleting the blob of the
// part it replaces, or its own blob when the upload is gone.
func (s *Service) storePart(ctx context.Context, u *meta.Upload, p meta.Part) error {
	old, err := s.store.PutPart(ctx, u.ID, p)
	if err != nil {
		s.deleteBlob(ctx, partBlobKey(u.ID, p.ID))
		if errors.Is(err, meta.ErrNotFound) {
			return noSuchUpload(u.ID)
		}
		return internal(err, "store part %d", p.Number)
	}
	if old != nil {
		s.deleteBlob(ctx, partBlobKey(u.ID, old.ID))
	}
	return nil
}

// UploadPartCopyInput is an UploadPartCopy request.
type UploadPartCopyInput struct {
	Bucket     string
	Key        string
	UploadID   string
	PartNumber int
	Source     CopySource
	// Range is x-amz-copy-source-range; empty copies the whole source.
	Range string
}

// UploadPartCopy stores a part copied from (a range of) another object.
func (s *Service) UploadPartCopy(ctx context.Context, in UploadPartCopyInput) (*meta.Part, error) {
	if err := checkPartNumber(in.PartNumber); err != nil {
		return nil, err
	}
	_, u, err := s.upload(ctx, in.Bucket, in.Key, in.UploadID, ActionPutObject)
	if err != nil {
		return nil, err
	}
	src, err := s.copySource(ctx, in.Source)
	if err != nil {
		return nil, err
	}
	offset, length, err := copyRange(in.Range, src.Size)
	if err != nil {
		return nil, err
	}
	if length > MaxPutSize {
		return nil, invalidRequest("The specified copy source is larger than the maximum allowable size for a copy source: " + strconv.Itoa(MaxPutSize))
	}
	p := meta.Part{UploadID: u.ID, Number: in.PartNumber, ID: newID(s.now()), Size: length}
	d, err := s.copyBytes(ctx, src, offset, length, partBlobKey(u.ID, p.ID), partAlgorithm(u))
	if err != nil {
		return nil, err
	}
	p.ETag, p.Checksum, p.LastModified = d.etag(), d.checksum(), s.now()
	if err := s.storePart(ctx, u, p); err != nil {
		return nil, err
	}
	return &p, nil
}

// copyRange parses x-amz-copy-source-range, which must be "bytes=first-last"
// inside the source.
func copyRange(h string, size int64) (offset, length int64, err error) {
	if h == "" {
		return 0, size, nil
	}
	r := ParseRange(h)
	if r == nil || r.IsSuffix || r.End < 0 {
		return 0, 0, invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy", "x-amz-copy-source-range", h)
	}
	if r.End >= size {
		return 0, 0, invalidArgument("Range specified is not valid for source object of size: "+strconv.FormatInt(size, 10), "x-amz-copy-source-range", h)
	}
	return r.Start, r.End - r.Start + 1, nil
}

// AbortMultipartUpload discards an upload and its parts.
func (s *Service) AbortMultipartUpload(ctx context.Context, bucket, key, uploadID string) error {
	b, u, err := s.upload(ctx, bucket, key, uploadID, ActionAbortMultipartUpload)
	if err != nil {
		return err
	}
	parts, err := s.store.AbortUpload(ctx, b.ID, u.ID)
	if errors.Is(err, meta.ErrNotFound) {
		return noSuchUpload(uploadID)
	}
	if err != nil {
		return internal(err, "abort upload %s", uploadID)
	}
	s.deleteParts(ctx, parts)
	return nil
}

func entityTooSmall(p meta.Part) error {
	return fail(errs.Invalid, codeEntityTooSmall, "Your proposed upload is smaller than the minimum allowed object size.",
		"ProposedSize", strconv.FormatInt(p.Size, 10), "MinSizeAllowed", strconv.Itoa(MinPartSize),
		"PartNumber", itoa(p.Number), "ETag", p.ETag)
}
