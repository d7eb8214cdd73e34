package s3api

import (
	"net/http"
	"strconv"

	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/s3"
)

// maxCompleteBody bounds a CompleteMultipartUpload document: 10,000 parts
// with every checksum fit well within it.
const maxCompleteBody = 10 << 20

func (h *Handler) createUpload(w http.ResponseWriter, r *request) error {
	if err := unsupportedWrite(r.Header); err != nil {
		return err
	}
	u, err := h.svc.CreateMultipartUpload(r.Context(), s3.CreateUploadInput{
		Bucket: r.bucket, Key: r.key, Attrs: attrsOf(r.Header), Tagging: r.Header.Get("x-amz-tagging"),
		ACL: r.Header.Get("x-amz-acl"), ChecksumAlgorithm: r.Header.Get("x-amz-checksum-algorithm"),
		ChecksumType: r.Header.Get("x-amz-checksum-type"),
	})
	if err != nil {
		return err
	}
	if u.Checksum.Algorithm != "" {
		w.Header().Set("x-amz-checksum-algorithm", u.Checksum.Algorithm)
		w.Header().Set("x-amz-checksum-type", u.Checksum.Type)
	}
	return writeXML(w, http.StatusOK, initiateMultipartUploadResult{Bucket: r.bucket, Key: r.key, UploadID: u.ID})
}

// partNumber reads the partNumber query parameter.
func partNumber(r *request) (int, error) {
	v := r.get("partNumber")
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, awserr.Newf(awserr.InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive").
			With("ArgumentName", "partNumber").With("ArgumentValue", v)
	}
	return n, nil
}

func (h *Handler) uploadPart(w http.ResponseWriter, r *request) error {
	n, err := partNumber(r)
	if err != nil {
		return err
	}
	body, err := bodyOf(r)
	if err != nil {
		return err
	}
	out, err := h.svc.UploadPart(r.Context(), s3.UploadPartInput{Bucket: r.bucket, Key: r.key, UploadID: r.get("uploadId"), PartNumber: n, Body: body})
	if err != nil {
		return err
	}
	w.Header().Set("ETag", `"`+out.Part.ETag+`"`)
	if out.ChecksumAlgorithm != "" {
		w.Header().Set(s3.HeaderName(out.ChecksumAlgorithm), out.Part.Checksum)
	}
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) uploadPartCopy(w http.ResponseWriter, r *request) error {
	n, err := partNumber(r)
	if err != nil {
		return err
	}
	src, err := s3.ParseCopySource(r.Header.Get("x-amz-copy-source"))
	if err != nil {
		return err
	}
	src.Conditions = conditions(r.Header, "x-amz-copy-source-")
	in := s3.UploadPartCopyInput{Bucket: r.bucket, Key: r.key, UploadID: r.get("uploadId"), PartNumber: n,
		Source: src, Range: r.Header.Get("x-amz-copy-source-range")}
	return h.longRunning(w, r, func() (any, error) {
		p, err := h.svc.UploadPartCopy(r.Context(), in)
		if err != nil {
			return nil, err
		}
		return copyPartResult{LastModified: timestamp(p.LastModified), ETag: `"` + p.ETag + `"`}, nil
	})
}

func (h *Handler) completeUpload(w http.ResponseWriter, r *request) error {
	// The x-amz-checksum-* headers of this request are the whole
	// object's checksum, not the document's: the body is checked against
	// Content-MD5 only.
	b, err := bodyOf(r)
	if err != nil {
		return err
	}
	claim := b.Checksum
	b.Checksum = s3.ChecksumClaim{}
	if claim.Trailer != nil {
		claim = s3.ChecksumClaim{}
	}
	body, err := s3.ReadBody(b, maxCompleteBody)
	if err != nil {
		return err
	}
	parts, err := parseComplete(body)
	if err != nil {
		return err
	}
	in := s3.CompleteInput{Bucket: r.bucket, Key: r.key, UploadID: r.get("uploadId"), Parts: parts, Checksum: claim,
		IfNoneMatch: r.Header.Get("If-None-Match"), IfMatch: r.Header.Get("If-Match")}
	return h.longRunning(w, r, func() (any, error) {
		out, err := h.svc.CompleteMultipartUpload(r.Context(), in)
		if err != nil {
			return nil, err
		}
		res := completeMultipartUploadResult{Location: "/" + r.bucket + "/" + r.key, Bucket: r.bucket, Key: r.key,
			ETag: `"` + out.ETag + `"`, ChecksumType: out.Checksum.Type}
		res.set(out.Checksum.Algorithm, out.Checksum.Value)
		return res, nil
	})
}

func (h *Handler) abortUpload(w http.ResponseWriter, r *request) error {
	if err := h.svc.AbortMultipartUpload(r.Context(), r.bucket, r.key, r.get("uploadId")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// intParam reads an optional non-negative integer query parameter.
func intParam(r *request, name string) (int, error) {
	v := r.get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, awserr.Newf(awserr.InvalidArgument, "Provided %s not an integer or within integer range", name).
			With("ArgumentName", name).With("ArgumentValue", v)
	}
	return n, nil
}

func (h *Handler) listParts(w http.ResponseWriter, r *request) error {
	marker, err := intParam(r, "part-number-marker")
	if err != nil {
		return err
	}
	maxParts, err := intParam(r, "max-parts")
	if err != nil {
		return err
	}
	out, err := h.svc.ListParts(r.Context(), s3.ListPartsInput{Bucket: r.bucket, Key: r.key, UploadID: r.get("uploadId"),
		PartNumberMarker: marker, MaxParts: maxParts})
	if err != nil {
		return err
	}
	u := &out.Upload
	res := listPartsResult{Bucket: r.bucket, Key: r.key, UploadID: u.ID, PartNumberMarker: marker,
		NextPartNumberMarker: out.NextPartNumberMarker, MaxParts: out.MaxParts, IsTruncated: out.IsTruncated,
		Initiator: owner{ID: u.InitiatorARN, DisplayName: u.InitiatorID}, Owner: owner(out.Owner),
		StorageClass: storageClass(u.Attrs.StorageClass), ChecksumAlgorithm: u.Checksum.Algorithm, ChecksumType: u.Checksum.Type}
	for _, p := range out.Parts {
		e := partEntry{PartNumber: p.Number, LastModified: timestamp(p.LastModified), ETag: `"` + p.ETag + `"`, Size: p.Size}
		e.set(u.Checksum.Algorithm, p.Checksum)
		res.Parts = append(res.Parts, e)
	}
	return writeXML(w, http.StatusOK, res)
}

func storageClass(c string) string {
	if c == "" {
		return "STANDARD"
	}
	return c
}
