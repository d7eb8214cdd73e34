package s3

import (
	"context"
	"errors"
	"strings"

	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
)

// CompletedPart is one entry of a CompleteMultipartUpload request.
type CompletedPart struct {
	Number int
	ETag   string
	// Checksums holds the part checksums the request lists, by algorithm.
	Checksums map[string]string
}

// CompleteInput is a CompleteMultipartUpload request.
type CompleteInput struct {
	Bucket   string
	Key      string
	UploadID string
	Parts    []CompletedPart
	// Checksum is a full-object checksum the request claims
	// (x-amz-checksum-<alg>), checked for FULL_OBJECT uploads.
	Checksum    ChecksumClaim
	IfNoneMatch string
	IfMatch     string
}

// CompleteOutput describes the new object.
type CompleteOutput struct {
	ETag     string
	Checksum meta.Checksum
}

func invalidPart(uploadID string, p CompletedPart) error {
	return fail(errs.Invalid, codeInvalidPart, "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.",
		"UploadId", uploadID, "PartNumber", itoa(p.Number), "ETag", p.ETag)
}

// CompleteMultipartUpload assembles an upload's parts into its object. The
// object is a manifest of the chosen parts' blobs: nothing is copied.
func (s *Service) CompleteMultipartUpload(ctx context.Context, in CompleteInput) (*CompleteOutput, error) {
	b, u, err := s.upload(ctx, in.Bucket, in.Key, in.UploadID, ActionPutObject)
	if e, ok := errs.As(err); ok && e.Reason == codeNoSuchUpload {
		// A retried completion that succeeded before answers the same.
		if o, gerr := s.store.GetObject(ctx, b.ID, in.Key); gerr == nil && o.ID == in.UploadID {
			return &CompleteOutput{ETag: o.ETag, Checksum: o.Checksum}, nil
		}
	}
	if err != nil {
		return nil, err
	}
	if len(in.Parts) == 0 {
		return nil, fail(errs.Invalid, codeMalformedXML, "The XML you provided was not well-formed or did not validate against our published schema")
	}
	cond, err := writeCondition(in.IfNoneMatch, in.IfMatch)
	if err != nil {
		return nil, err
	}
	stored, err := s.store.ListParts(ctx, u.ID, 0, MaxParts)
	if err != nil {
		return nil, internal(err, "list parts of %s", u.ID)
	}
	o, err := assemble(u, in, stored)
	if err != nil {
		return nil, err
	}
	o.BucketID, o.Key, o.LastModified = b.ID, in.Key, s.now()
	replaced, unused, err := s.store.CompleteUpload(ctx, meta.CompleteUpload{UploadID: u.ID, Object: *o, Condition: cond})
	if err != nil {
		return nil, s.completeError(ctx, err, b, in, cond)
	}
	s.deleteParts(ctx, unused)
	s.deleteObjectBlobs(ctx, replaced)
	return &CompleteOutput{ETag: o.ETag, Checksum: o.Checksum}, nil
}

// assemble checks the request's part list against the stored parts and
// builds the object.
func assemble(u *meta.Upload, in CompleteInput, stored []meta.Part) (*meta.Object, error) {
	byNumber := make(map[int]meta.Part, len(stored))
	for _, p := range stored {
		byNumber[p.Number] = p
	}
	o := &meta.Object{Attrs: u.Attrs, Parts: make([]meta.Part, 0, len(in.Parts))}
	alg := partAlgorithm(u)
	sums := make([]partSum, 0, len(in.Parts))
	etags := make([]string, 0, len(in.Parts))
	for i := 1; i < len(in.Parts); i++ {
		if in.Parts[i].Number <= in.Parts[i-1].Number {
			return nil, fail(errs.Invalid, codeInvalidPartOrder, "The list of parts was not in ascending order. The parts list must be specified in order by part number.", "UploadId", u.ID)
		}
	}
	for i, cp := range in.Parts {
		p, ok := byNumber[cp.Number]
		if !ok || trimETag(cp.ETag) != p.ETag {
			return nil, invalidPart(u.ID, cp)
		}
		if err := checkPartChecksum(u, cp, p); err != nil {
			return nil, err
		}
		if i < len(in.Parts)-1 && p.Size < MinPartSize {
			return nil, entityTooSmall(p)
		}
		raw, _ := decodeChecksum(alg, p.Checksum)
		sums = append(sums, partSum{raw, p.Size})
		etags = append(etags, p.ETag)
		o.Parts = append(o.Parts, p)
		o.Size += p.Size
	}
	o.ETag = multipartETag(etags)
	typ := u.Checksum.Type
	if typ == "" {
		typ = FullObject
	}
	o.Checksum = meta.Checksum{Algorithm: alg, Type: typ, Value: multipartChecksum(alg, typ, sums)}
	if c := in.Checksum; c.Value != "" && typ == FullObject {
		if NormalizeAlgorithm(c.Algorithm) != alg || c.Value != o.Checksum.Value {
			return nil, badDigest(alg)
		}
	}
	return o, nil
}

// checkPartChecksum compares a listed part checksum with the stored one.
// Uploads with a COMPOSITE checksum need every part's checksum listed
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html).
func checkPartChecksum(u *meta.Upload, cp CompletedPart, p meta.Part) error {
	alg := u.Checksum.Algorithm
	if alg == "" {
		return nil
	}
	v, ok := cp.Checksums[alg]
	if !ok {
		if u.Checksum.Type == Composite {
			return invalidRequest("The upload was created using a " + strings.ToLower(alg) + " checksum. The complete request must include the checksum for each part. It was missing for part " + itoa(cp.Number) + " in the request.")
		}
		return nil
	}
	if v != p.Checksum {
		return invalidPart(u.ID, cp)
	}
	return nil
}

// completeError maps a failed completion commit. A conflict is either a
// part replaced since it was read or a failed If-Match.
func (s *Service) completeError(ctx context.Context, err error, b *meta.Bucket, in CompleteInput, cond meta.ObjectCondition) error {
	switch {
	case errors.Is(err, meta.ErrBucketGone):
		return noSuchBucket(in.Bucket)
	case errors.Is(err, meta.ErrNotFound) && cond.IfETag == "":
		return noSuchUpload(in.UploadID)
	case errors.Is(err, meta.ErrConflict) && cond.IfETag != "":
		cur, gerr := s.store.GetObject(ctx, b.ID, in.Key)
		if gerr == nil && cur.ETag != cond.IfETag {
			return preconditionFailed("If-Match")
		}
		return fail(errs.Conflict, codeConditionalConflict, "A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CompleteMultipartUpload request.")
	case errors.Is(err, meta.ErrConflict):
		return fail(errs.Conflict, codeConditionalConflict, "A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CompleteMultipartUpload request.")
	}
	return conditionError(err, in.Bucket, in.Key)
}
