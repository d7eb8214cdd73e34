package s3api

import (
	"net/http"
	"strconv"

	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/s3"
)

// Limits on the small documents bucket operations read.
const (
	maxConfigBody = 64 << 10
	maxDeleteBody = 10 << 20
)

// readDoc reads a small request body, verifying its digests.
func readDoc(r *request, limit int64) ([]byte, error) {
	b, err := bodyOf(r)
	if err != nil {
		return nil, err
	}
	return s3.ReadBody(b, limit)
}

func (h *Handler) listBuckets(w http.ResponseWriter, r *request) error {
	in := s3.ListBucketsInput{Prefix: r.get("prefix"), BucketRegion: r.get("bucket-region"), ContinuationToken: r.get("continuation-token")}
	if v := r.get("max-buckets"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return awserr.Newf(awserr.InvalidArgument, "Max buckets must be between 1 and 10000")
		}
		in.MaxBuckets = n
	}
	out, err := h.svc.ListBuckets(r.Context(), in)
	if err != nil {
		return err
	}
	res := listAllMyBucketsResult{Owner: owner(out.Owner), ContinuationToken: out.ContinuationToken, Prefix: in.Prefix}
	for _, b := range out.Buckets {
		res.Buckets = append(res.Buckets, bucketEntry{Name: b.Name, CreationDate: timestamp(b.CreatedAt), BucketRegion: b.Region})
	}
	return writeXML(w, http.StatusOK, res)
}

func (h *Handler) createBucket(w http.ResponseWriter, r *request) error {
	if acl := r.Header.Get("x-amz-acl"); acl != "" && acl != "private" {
		return awserr.New(awserr.AccessControlListNotSupported)
	}
	if r.Header.Get("x-amz-bucket-object-lock-enabled") == "true" {
		return awserr.New(awserr.NotImplemented)
	}
	body, err := readDoc(r, maxConfigBody)
	if err != nil {
		return err
	}
	constraint, err := parseCreateBucket(body)
	if err != nil {
		return err
	}
	b, err := h.svc.CreateBucket(r.Context(), s3.CreateBucketInput{Name: r.bucket, LocationConstraint: constraint})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/"+b.Name)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) headBucket(w http.ResponseWriter, r *request) error {
	b, err := h.svc.HeadBucket(r.Context(), r.bucket)
	if b != nil {
		// S3 names the region on 200 and 403 answers alike; the S3 Access
		// Grants client plugins read it.
		w.Header().Set("x-amz-bucket-region", b.Region)
	}
	if err != nil {
		return err
	}
	w.Header().Set("x-amz-access-point-alias", "false")
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) deleteBucket(w http.ResponseWriter, r *request) error {
	if err := h.svc.DeleteBucket(r.Context(), r.bucket); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) getBucketLocation(w http.ResponseWriter, r *request) error {
	region, err := h.svc.GetBucketLocation(r.Context(), r.bucket)
	if err != nil {
		return err
	}
	return writeXML(w, http.StatusOK, locationConstraint{Region: region})
}

func (h *Handler) getBucketPolicy(w http.ResponseWriter, r *request) error {
	doc, err := h.svc.GetBucketPolicy(r.Context(), r.bucket)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(doc))
	return nil
}

func (h *Handler) putBucketPolicy(w http.ResponseWriter, r *request) error {
	body, err := readDoc(r, s3.MaxBucketPolicySize+1)
	if err != nil {
		return err
	}
	if err := h.svc.PutBucketPolicy(r.Context(), r.bucket, string(body)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) deleteBucketPolicy(w http.ResponseWriter, r *request) error {
	if err := h.svc.DeleteBucketPolicy(r.Context(), r.bucket); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func tagsDoc(tags []meta.Tag) tagging {
	t := tagging{Xmlns: ns}
	t.TagSet.Tags = make([]xmlTag, 0, len(tags))
	for _, tag := range tags {
		t.TagSet.Tags = append(t.TagSet.Tags, xmlTag(tag))
	}
	return t
}

func (h *Handler) getBucketTagging(w http.ResponseWriter, r *request) error {
	tags, err := h.svc.GetBucketTagging(r.Context(), r.bucket)
	if err != nil {
		return err
	}
	return writeXML(w, http.StatusOK, tagsDoc(tags))
}

func (h *Handler) putBucketTagging(w http.ResponseWriter, r *request) error {
	body, err := readDoc(r, maxConfigBody)
	if err != nil {
		return err
	}
	tags, err := parseTagging(body)
	if err != nil {
		return err
	}
	if err := h.svc.PutBucketTagging(r.Context(), r.bucket, tags); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) deleteBucketTagging(w http.ResponseWriter, r *request) error {
	if err := h.svc.DeleteBucketTagging(r.Context(), r.bucket); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) getBucketVersioning(w http.ResponseWriter, r *request) error {
	if err := h.svc.GetBucketVersioning(r.Context(), r.bucket); err != nil {
		return err
	}
	return writeXML(w, http.StatusOK, versioningConfiguration{})
}

func aclDoc(o s3.Owner) accessControlPolicy {
	p := accessControlPolicy{Owner: owner(o)}
	p.Grants = append(p.Grants, struct {
		Grantee    grantee `xml:"Grantee"`
		Permission string  `xml:"Permission"`
	}{grantee{XMLNS: "http://www.w3.org/2001/XMLSchema-instance", Type: "CanonicalUser", ID: o.ID, DisplayName: o.DisplayName}, "FULL_CONTROL"})
	return p
}

func (h *Handler) getBucketACL(w http.ResponseWriter, r *request) error {
	o, err := h.svc.GetBucketACL(r.Context(), r.bucket)
	if err != nil {
		return err
	}
	return writeXML(w, http.StatusOK, aclDoc(o))
}

func (h *Handler) deleteObjects(w http.ResponseWriter, r *request) error {
	if r.Header.Get("Content-MD5") == "" && r.Header.Get("x-amz-sdk-checksum-algorithm") == "" && !hasChecksum(r) {
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
		return awserr.Newf(awserr.InvalidRequest, "Missing required header for this request: Content-MD5")
	}
	body, err := readDoc(r, maxDeleteBody)
	if err != nil {
		return err
	}
	ids, quiet, err := parseDelete(body)
	if err != nil {
		return err
	}
	results, err := h.svc.DeleteObjects(r.Context(), r.bucket, ids)
	if err != nil {
		return err
	}
	res := deleteResult{}
	for _, d := range results {
		if d.Err == nil {
			if !quiet {
				res.Deleted = append(res.Deleted, deletedEntry{Key: d.Key, VersionID: d.VersionID})
			}
			continue
		}
		e, ok := toWire(d.Err).(*awserr.Error)
		if !ok {
			return d.Err
		}
		res.Errors = append(res.Errors, deleteErrorEntry{Key: d.Key, VersionID: d.VersionID, Code: e.Code.Name, Message: e.Msg()})
	}
	return writeXML(w, http.StatusOK, res)
}

func hasChecksum(r *request) bool {
	for _, alg := range s3.Algorithms {
		if r.Header.Get(s3.HeaderName(alg)) != "" {
			return true
		}
	}
	return r.Header.Get("X-Amz-Trailer") != ""
}
