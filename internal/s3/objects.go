package s3

import (
	"context"
	"errors"
	"io"
	"strconv"

	"github.com/grantd/grantd/internal/blob"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
)

// PutObjectInput is a PutObject request.
type PutObjectInput struct {
	Bucket string
	Key    string
	Body   Body
	// Attrs are the content headers and user metadata; Attrs.Tags is set
	// from Tagging.
	Attrs meta.ObjectAttrs
	// Tagging is the x-amz-tagging header.
	Tagging string
	// IfNoneMatch is "*" to write only when the key has no object.
	IfNoneMatch string
	// IfMatch is an ETag the current object must have.
	IfMatch string
	// ACL is the x-amz-acl header.
	ACL string
}

// PutObjectOutput describes the object written.
type PutObjectOutput struct {
	ETag     string
	Checksum meta.Checksum
	Size     int64
}

// PutObject stores an object, replacing the key's current one.
func (s *Service) PutObject(ctx context.Context, in PutObjectInput) (*PutObjectOutput, error) {
	b, tags, err := s.authorizeWrite(ctx, in.Bucket, in.Key, in.Tagging, in.ACL)
	if err != nil {
		return nil, err
	}
	if err := checkWrite(in.Attrs, in.ACL, in.Body.Size, MaxPutSize); err != nil {
		return nil, err
	}
	cond, err := writeCondition(in.IfNoneMatch, in.IfMatch)
	if err != nil {
		return nil, err
	}
	if err := s.precheck(ctx, b, in.Key, cond); err != nil {
		return nil, err
	}
	d, err := newDigester(in.Body, CRC64NVME)
	if err != nil {
		return nil, err
	}
	now := s.now()
	o := meta.Object{BucketID: b.ID, Key: in.Key, ID: newID(now), Size: in.Body.Size, Attrs: in.Attrs}
	o.Attrs.Tags = tags
	if err := s.putBlob(ctx, objectBlobKey(b.ID, o.ID), d, in.Body.Size); err != nil {
		return nil, err
	}
	o.ETag = d.etag()
	o.Checksum = meta.Checksum{Algorithm: d.alg, Type: FullObject, Value: d.checksum()}
	o.LastModified = s.now()
	if err := s.commit(ctx, b, &o, cond); err != nil {
		s.deleteBlob(ctx, objectBlobKey(b.ID, o.ID))
		return nil, err
	}
	return &PutObjectOutput{ETag: o.ETag, Checksum: o.Checksum, Size: o.Size}, nil
}

// commit stores o under its key if cond holds and deletes the blobs of
// the object it replaced.
func (s *Service) commit(ctx context.Context, b *meta.Bucket, o *meta.Object, cond meta.ObjectCondition) error {
	old, err := s.store.PutObject(ctx, *o, cond)
	if err != nil {
		return conditionError(err, b.Name, o.Key)
	}
	s.deleteObjectBlobs(ctx, old)
	return nil
}

// conditionError maps a failed object write: a bucket deleted meanwhile,
// or a condition that no longer holds.
func conditionError(err error, bucket, key string) error {
	switch {
	case errors.Is(err, meta.ErrBucketGone):
		return noSuchBucket(bucket)
	case errors.Is(err, meta.ErrExists):
		return preconditionFailed("If-None-Match")
	case errors.Is(err, meta.ErrConflict):
		return preconditionFailed("If-Match")
	case errors.Is(err, meta.ErrNotFound):
		return noSuchKey(key)
	}
	return internal(err, "store object %q", key)
}

// writeCondition turns the conditional headers of a write into a store
// condition. S3 supports If-None-Match only with "*"
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
func writeCondition(ifNoneMatch, ifMatch string) (meta.ObjectCondition, error) {
	var c meta.ObjectCondition
	switch ifNoneMatch {
	case "":
	case "*":
		c.IfAbsent = true
	default:
		return c, fail(errs.Invalid, codeNotImplemented, "A header you provided implies functionality that is not implemented", "Header", "If-None-Match")
	}
	if ifMatch != "" {
		c.IfETag = trimETag(ifMatch)
	}
	return c, nil
}

func trimETag(e string) string {
	if len(e) >= 2 && e[0] == '"' && e[len(e)-1] == '"' {
		return e[1 : len(e)-1]
	}
	return e
}

// precheck evaluates a write condition before the body is read, so a
// write doomed to fail does not upload its bytes first. The store checks
// it again at commit.
func (s *Service) precheck(ctx context.Context, b *meta.Bucket, key string, c meta.ObjectCondition) error {
	if !c.IfAbsent && c.IfETag == "" {
		return nil
	}
	cur, err := s.store.GetObject(ctx, b.ID, key)
	switch {
	case errors.Is(err, meta.ErrNotFound):
		if c.IfETag != "" {
			return noSuchKey(key)
		}
		return nil
	case err != nil:
		return internal(err, "read object %q", key)
	case c.IfAbsent:
		return preconditionFailed("If-None-Match")
	case c.IfETag != "" && cur.ETag != c.IfETag:
		return preconditionFailed("If-Match")
	}
	return nil
}

// checkWrite validates what a write sets besides its bytes.
func checkWrite(attrs meta.ObjectAttrs, acl string, size, limit int64) error {
	n := 0
	for k, v := range attrs.Metadata {
		n += len(k) + len(v)
	}
	if n > MaxMetadataSize {
		return fail(errs.Invalid, codeMetadataTooLarge, "Your metadata headers exceed the maximum allowed metadata size",
			"Size", itoa(n), "MaxSizeAllowed", itoa(MaxMetadataSize))
	}
	switch acl {
	case "", "private", "bucket-owner-full-control":
	default:
		// Buckets have S3's default Object Ownership, BucketOwnerEnforced.
		return fail(errs.Invalid, "AccessControlListNotSupported", "The bucket does not allow ACLs")
	}
	switch attrs.StorageClass {
	case "", "STANDARD":
	default:
		return fail(errs.Invalid, codeInvalidStorageClass, "The storage class you specified is not valid", "StorageClassRequested", attrs.StorageClass)
	}
	return checkSize(size, limit)
}

// GetObjectInput is a GetObject or HeadObject request.
type GetObjectInput struct {
	Bucket string
	Key    string
	// VersionID is empty or "null", the version ID of objects in buckets
	// that never had versioning.
	VersionID  string
	Range      *Range
	PartNumber int
	Conditions Conditions
	// Head asks for no body.
	Head bool
}

// GetObjectOutput is the object read.
type GetObjectOutput struct {
	Object meta.Object
	// NotModified answers a conditional request whose condition says the
	// client's copy is current (304).
	NotModified bool
	// Body is nil for HEAD and NotModified.
	Body io.ReadCloser
	// Partial is set when a range or part was asked for (206); Offset and
	// Length describe it.
	Partial        bool
	Offset, Length int64
}

// GetObject reads an object, or describes it for HEAD.
func (s *Service) GetObject(ctx context.Context, in GetObjectInput) (*GetObjectOutput, error) {
	for attempt := 0; ; attempt++ {
		out, err := s.getObject(ctx, in)
		if !errors.Is(err, blob.ErrNotFound) {
			return out, err
		}
		// The object was replaced between reading its record and opening
		// its bytes; read the record again.
		if attempt == 3 {
			return nil, internal(err, "open object %q", in.Key)
		}
	}
}

func (s *Service) getObject(ctx context.Context, in GetObjectInput) (*GetObjectOutput, error) {
	_, o, err := s.readableObject(ctx, in.Bucket, in.Key, in.VersionID, ActionGetObject)
	if err != nil {
		return nil, err
	}
	out := &GetObjectOutput{Object: *o, Length: o.Size}
	notModified, failed := in.Conditions.Check(o)
	if failed != "" {
		return nil, preconditionFailed(failed)
	}
	if notModified {
		out.NotModified = true
		return out, nil
	}
	if err := out.selectBytes(in); err != nil {
		return nil, err
	}
	if in.Head {
		return out, nil
	}
	body, err := s.openObject(ctx, o, out.Offset, out.Length)
	if err != nil {
		if errors.Is(err, blob.ErrNotFound) {
			return nil, err
		}
		return nil, internal(err, "open object %q", in.Key)
	}
	out.Body = body
	return out, nil
}

// selectBytes applies the Range header or partNumber.
func (out *GetObjectOutput) selectBytes(in GetObjectInput) error {
	o := &out.Object
	switch {
	case in.Range != nil && in.PartNumber != 0:
		return invalidRequest("Cannot specify both Range header and partNumber query parameter")
	case in.Range != nil:
		off, n, err := in.Range.Resolve(o.Size)
		if err != nil {
			return err
		}
		out.Partial, out.Offset, out.Length = true, off, n
	case in.PartNumber != 0:
		if in.PartNumber < 1 || in.PartNumber > MaxParts {
			return invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", itoa(in.PartNumber))
		}
		count := max(o.PartsCount, 1)
		if in.PartNumber > count {
			return fail(errs.Invalid, "InvalidPartNumber", "The requested partnumber is not satisfiable", "PartNumberRequested", itoa(in.PartNumber), "ActualPartCount", itoa(count))
		}
		out.Partial = true
		out.Offset, out.Length = 0, o.Size
		if o.PartsCount > 0 {
			for _, p := range o.Parts[:in.PartNumber-1] {
				out.Offset += p.Size
			}
			out.Length = o.Parts[in.PartNumber-1].Size
		}
	}
	return nil
}

// readableObject returns an object the caller may do action on. For a
// missing key it answers NoSuchKey only to callers who may list the
// bucket, and AccessDenied to the others, as S3 does
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html,
// "Permissions").
func (s *Service) readableObject(ctx context.Context, bucket, key, versionID, action string) (*meta.Bucket, *meta.Object, error) {
	b, err := s.bucket(ctx, bucket)
	if err != nil {
		return nil, nil, err
	}
	o, err := s.readable(ctx, b, key, versionID, action)
	return b, o, err
}

// readable is readableObject in a bucket already looked up.
func (s *Service) readable(ctx context.Context, b *meta.Bucket, key, versionID, action string) (*meta.Object, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if versionID != "" && versionID != "null" {
		return nil, invalidArgument("Invalid version id specified", "versionId", versionID)
	}
	o, err := s.store.GetObject(ctx, b.ID, key)
	if errors.Is(err, meta.ErrNotFound) {
		if err := s.authorize(ctx, action, b, key, nil); err != nil {
			return nil, err
		}
		if err := s.authorize(ctx, ActionListBucket, b, "", nil); err != nil {
			return nil, err
		}
		return nil, noSuchKey(key)
	}
	if err != nil {
		return nil, internal(err, "read object %q", key)
	}
	if err := s.authorize(ctx, action, b, key, existingTagKeys(o.Attrs.Tags)); err != nil {
		return nil, err
	}
	return &o, nil
}

// DeleteObject deletes an object; deleting a missing key succeeds.
func (s *Service) DeleteObject(ctx context.Context, bucket, key, versionID string) error {
	b, err := s.bucket(ctx, bucket)
	if err != nil {
		return err
	}
	if err := checkKey(key); err != nil {
		return err
	}
	if versionID != "" && versionID != "null" {
		return invalidArgument("Invalid version id specified", "versionId", versionID)
	}
	if err := s.authorize(ctx, ActionDeleteObject, b, key, nil); err != nil {
		return err
	}
	gone, err := s.store.DeleteObjects(ctx, b.ID, []string{key})
	if err != nil {
		return internal(err, "delete object %q", key)
	}
	for i := range gone {
		s.deleteObjectBlobs(ctx, &gone[i])
	}
	return nil
}

// GetObjectTagging returns an object's tags.
func (s *Service) GetObjectTagging(ctx context.Context, bucket, key, versionID string) ([]meta.Tag, error) {
	_, o, err := s.readableObject(ctx, bucket, key, versionID, ActionGetObjectTagging)
	if err != nil {
		return nil, err
	}
	return o.Attrs.Tags, nil
}

// PutObjectTagging replaces an object's tags.
func (s *Service) PutObjectTagging(ctx context.Context, bucket, key, versionID string, tags []meta.Tag) error {
	return s.setObjectTags(ctx, bucket, key, versionID, ActionPutObjectTagging, tags)
}

// DeleteObjectTagging removes an object's tags.
func (s *Service) DeleteObjectTagging(ctx context.Context, bucket, key, versionID string) error {
	return s.setObjectTags(ctx, bucket, key, versionID, ActionDeleteObjectTagging, nil)
}

func (s *Service) setObjectTags(ctx context.Context, bucket, key, versionID, action string, tags []meta.Tag) error {
	b, err := s.bucket(ctx, bucket)
	if err != nil {
		return err
	}
	if err := checkKey(key); err != nil {
		return err
	}
	if versionID != "" && versionID != "null" {
		return invalidArgument("Invalid version id specified", "versionId", versionID)
	}
	if err := checkTags(tags, MaxObjectTags); err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		o, err := s.store.GetObject(ctx, b.ID, key)
		if errors.Is(err, meta.ErrNotFound) {
			return noSuchKey(key)
		}
		if err != nil {
			return internal(err, "read object %q", key)
		}
		keys := existingTagKeys(o.Attrs.Tags)
		if action == ActionPutObjectTagging {
			requestTagKeys(keys, tags)
		}
		if err := s.authorize(ctx, action, b, key, keys); err != nil {
			return err
		}
		err = s.store.SetObjectTags(ctx, b.ID, key, o.ID, tags)
		if errors.Is(err, meta.ErrNotFound) && attempt < 3 {
			continue // replaced meanwhile: authorize against the new one
		}
		if errors.Is(err, meta.ErrNotFound) {
			return noSuchKey(key)
		}
		if err != nil {
			return internal(err, "set tags of %q", key)
		}
		return nil
	}
}

// GetObjectACL returns the owner of an object, who under
// BucketOwnerEnforced is the bucket owner with FULL_CONTROL.
func (s *Service) GetObjectACL(ctx context.Context, bucket, key, versionID string) (Owner, error) {
	b, _, err := s.readableObject(ctx, bucket, key, versionID, ActionGetObjectAcl)
	if err != nil {
		return Owner{}, err
	}
	return s.owner(ctx, b.AccountID), nil
}

// contentRange formats a Content-Range header value.
func ContentRange(offset, length, size int64) string {
	return "bytes " + strconv.FormatInt(offset, 10) + "-" + strconv.FormatInt(offset+length-1, 10) + "/" + strconv.FormatInt(size, 10)
}
