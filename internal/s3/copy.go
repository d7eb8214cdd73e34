package s3

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/grantd/grantd/internal/blob"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
)

// CopySource is the object x-amz-copy-source names, with the
// x-amz-copy-source-if-* conditions.
type CopySource struct {
	Bucket     string
	Key        string
	VersionID  string
	Conditions Conditions
}

// ParseCopySource parses x-amz-copy-source: "bucket/key" or "/bucket/key",
// URL-encoded, optionally followed by "?versionId=…"
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html).
func ParseCopySource(h string) (CopySource, error) {
	bad := invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey", "x-amz-copy-source", h)
	path, query, _ := strings.Cut(h, "?")
	var src CopySource
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return src, bad
		}
		src.VersionID = q.Get("versionId")
	}
	dec, err := url.PathUnescape(path)
	if err != nil {
		return src, bad
	}
	dec = strings.TrimPrefix(dec, "/")
	bucket, key, ok := strings.Cut(dec, "/")
	if !ok || bucket == "" || key == "" {
		return src, bad
	}
	src.Bucket, src.Key = bucket, key
	return src, nil
}

// CopyObjectInput is a CopyObject request.
type CopyObjectInput struct {
	Bucket string
	Key    string
	Source CopySource
	// RawSource is the x-amz-copy-source header, for the condition key.
	RawSource string
	// MetadataDirective and TaggingDirective are COPY (default) or REPLACE.
	MetadataDirective string
	TaggingDirective  string
	// Attrs are the new object's headers and metadata under REPLACE (its
	// StorageClass applies in both cases).
	Attrs   meta.ObjectAttrs
	Tagging string
	ACL     string
	// ChecksumAlgorithm is x-amz-checksum-algorithm: the new object's.
	ChecksumAlgorithm string
	IfNoneMatch       string
	IfMatch           string
}

// CopyObjectOutput describes the new object.
type CopyObjectOutput struct {
	ETag         string
	LastModified time.Time
	Checksum     meta.Checksum
}

// CopyObject copies an object, within a bucket or across buckets (and
// accounts). The bytes are streamed into a new blob; the copy is an object
// of one piece whatever the source was.
func (s *Service) CopyObject(ctx context.Context, in CopyObjectInput) (*CopyObjectOutput, error) {
	b, err := s.bucket(ctx, in.Bucket)
	if err != nil {
		return nil, err
	}
	plan, err := planCopy(in)
	if err != nil {
		return nil, err
	}
	src, err := s.copySource(ctx, in.Source)
	if err != nil {
		return nil, err
	}
	attrs, tags, err := copiedAttrs(src, in, plan.copyMeta, plan.copyTags)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(ctx, ActionPutObject, b, in.Key, copyKeys(in, plan.copyTags, tags)); err != nil {
		return nil, err
	}
	if err := checkWrite(attrs, in.ACL, src.Size, MaxPutSize); err != nil {
		return nil, copyTooLarge(err)
	}
	cond, err := writeCondition(in.IfNoneMatch, in.IfMatch)
	if err != nil {
		return nil, err
	}
	if err := s.precheck(ctx, b, in.Key, cond); err != nil {
		return nil, err
	}
	alg := plan.alg
	if alg == "" {
		alg = src.Checksum.Algorithm
	}
	o := meta.Object{BucketID: b.ID, Key: in.Key, ID: newID(s.now()), Size: src.Size, Attrs: attrs}
	o.Attrs.Tags = tags
	d, err := s.copyBytes(ctx, src, 0, src.Size, objectBlobKey(b.ID, o.ID), alg)
	if err != nil {
		return nil, err
	}
	o.ETag = d.etag()
	o.Checksum = meta.Checksum{Algorithm: d.alg, Type: FullObject, Value: d.checksum()}
	o.LastModified = s.now()
	if err := s.commit(ctx, b, &o, cond); err != nil {
		s.deleteBlob(ctx, objectBlobKey(b.ID, o.ID))
		return nil, err
	}
	return &CopyObjectOutput{ETag: o.ETag, LastModified: o.LastModified, Checksum: o.Checksum}, nil
}

// copyPlan is what a CopyObject request's headers ask for.
type copyPlan struct {
	copyMeta, copyTags bool
	alg                string
}

// planCopy validates the headers of a copy that need no store: the key,
// the directives, the checksum algorithm, and the rule that a copy onto
// itself must change something.
func planCopy(in CopyObjectInput) (copyPlan, error) {
	var p copyPlan
	if err := checkKey(in.Key); err != nil {
		return p, err
	}
	var err error
	if p.copyMeta, err = directive(in.MetadataDirective, "x-amz-metadata-directive", "Unknown metadata directive."); err != nil {
		return p, err
	}
	if p.copyTags, err = directive(in.TaggingDirective, "x-amz-tagging-directive", "Unknown tagging directive."); err != nil {
		return p, err
	}
	if in.ChecksumAlgorithm != "" {
		if p.alg = NormalizeAlgorithm(in.ChecksumAlgorithm); p.alg == "" {
			return p, unsupportedAlgorithm()
		}
	}
	if in.Bucket == in.Source.Bucket && in.Key == in.Source.Key && p.copyMeta && in.Attrs.StorageClass == "" && p.alg == "" {
		return p, invalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	return p, nil
}

// copyKeys returns the condition keys of a copy's s3:PutObject check.
func copyKeys(in CopyObjectInput, copyTags bool, tags []meta.Tag) map[string][]string {
	keys := map[string][]string{"s3:x-amz-copy-source": {in.RawSource}}
	if in.MetadataDirective != "" {
		keys["s3:x-amz-metadata-directive"] = []string{strings.ToUpper(in.MetadataDirective)}
	}
	if in.ACL != "" {
		keys["s3:x-amz-acl"] = []string{in.ACL}
	}
	if !copyTags {
		requestTagKeys(keys, tags)
	}
	return keys
}

// directive reports whether a COPY/REPLACE directive says COPY.
func directive(v, header, msg string) (bool, error) {
	switch strings.ToUpper(v) {
	case "", "COPY":
		return true, nil
	case "REPLACE":
		return false, nil
	}
	return false, invalidArgument(msg, header, v)
}

func copiedAttrs(src *meta.Object, in CopyObjectInput, copyMeta, copyTags bool) (meta.ObjectAttrs, []meta.Tag, error) {
	attrs := in.Attrs
	if copyMeta {
		attrs = src.Attrs
		attrs.StorageClass = in.Attrs.StorageClass
	}
	attrs.Tags = nil
	if copyTags {
		return attrs, src.Attrs.Tags, nil
	}
	tags, err := ParseTaggingHeader(in.Tagging)
	return attrs, tags, err
}

func copyTooLarge(err error) error {
	if e, ok := errs.As(err); ok && e.Reason == codeEntityTooLarge {
		return invalidRequest("The specified copy source is larger than the maximum allowable size for a copy source: " + strconv.Itoa(MaxPutSize))
	}
	return err
}

// copySource returns the source object of a copy if the caller may read
// it and its conditions hold. A failed condition is 412 for every
// condition, "not modified" included.
func (s *Service) copySource(ctx context.Context, src CopySource) (*meta.Object, error) {
	b, err := s.sourceBucket(ctx, src.Bucket)
	if err != nil {
		return nil, err
	}
	o, err := s.readable(ctx, b, src.Key, src.VersionID, ActionGetObject)
	if err != nil {
		return nil, err
	}
	notModified, failed := src.Conditions.Check(o)
	switch {
	case failed != "":
		return nil, preconditionFailed("x-amz-copy-source-" + strings.ToLower(failed))
	case notModified:
		which := "x-amz-copy-source-if-none-match"
		if src.Conditions.IfNoneMatch == "" {
			which = "x-amz-copy-source-if-modified-since"
		}
		return nil, preconditionFailed(which)
	}
	return o, nil
}

// copyBytes streams length bytes of src from offset into a new blob,
// computing its MD5 and alg checksum.
func (s *Service) copyBytes(ctx context.Context, src *meta.Object, offset, length int64, key, alg string) (*digester, error) {
	for attempt := 0; ; attempt++ {
		r, err := s.openObject(ctx, src, offset, length)
		if errors.Is(err, blob.ErrNotFound) && attempt < 3 {
			// The source was replaced meanwhile: copy its new bytes.
			o, gerr := s.store.GetObject(ctx, src.BucketID, src.Key)
			if gerr != nil || o.Size < offset+length {
				return nil, noSuchKey(src.Key)
			}
			src = &o
			continue
		}
		if err != nil {
			return nil, internal(err, "open copy source %q", src.Key)
		}
		d, err := newDigester(Body{Reader: r, Size: length}, defaultAlg(alg))
		if err == nil {
			err = s.putBlob(ctx, key, d, length)
		}
		r.Close()
		if err != nil {
			return nil, err
		}
		return d, nil
	}
}

func defaultAlg(alg string) string {
	if alg == "" {
		return CRC64NVME
	}
	return alg
}
