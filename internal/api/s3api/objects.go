package s3api

import (
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/grantd/grantd/internal/api"
	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/s3"
)

func (h *Handler) putObject(w http.ResponseWriter, r *request) error {
	if err := unsupportedWrite(r.Header); err != nil {
		return err
	}
	body, err := bodyOf(r)
	if err != nil {
		return err
	}
	out, err := h.svc.PutObject(r.Context(), s3.PutObjectInput{
		Bucket: r.bucket, Key: r.key, Body: body, Attrs: attrsOf(r.Header),
		Tagging: r.Header.Get("x-amz-tagging"), ACL: r.Header.Get("x-amz-acl"),
		IfNoneMatch: r.Header.Get("If-None-Match"), IfMatch: r.Header.Get("If-Match"),
	})
	if err != nil {
		return err
	}
	w.Header().Set("ETag", `"`+out.ETag+`"`)
	writeChecksum(w.Header(), out.Checksum)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

// getObject serves GetObject and HeadObject.
func (h *Handler) getObject(w http.ResponseWriter, r *request) error {
	in := s3.GetObjectInput{Bucket: r.bucket, Key: r.key, VersionID: r.get("versionId"),
		Conditions: conditions(r.Header, ""), Head: r.Method == http.MethodHead}
	if v := r.Header.Get("Range"); v != "" {
		in.Range = s3.ParseRange(v)
	}
	if v := r.get("partNumber"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return awserr.Newf(awserr.InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive").With("ArgumentName", "partNumber").With("ArgumentValue", v)
		}
		in.PartNumber = n
	}
	overrides := map[string]string{}
	for param, header := range responseOverrides {
		if r.has(param) {
			overrides[header] = r.get(param)
		}
	}
	if len(overrides) > 0 && api.FromContext(r.Context()).Sig == nil {
		return awserr.Newf(awserr.InvalidRequest, "Request specific response headers cannot be used for anonymous GET requests.")
	}
	out, err := h.svc.GetObject(r.Context(), in)
	if err != nil {
		return err
	}
	hdr := w.Header()
	writeObjectHeaders(hdr, &out.Object)
	if out.NotModified {
		hdr.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	for header, v := range overrides {
		hdr.Set(header, v)
	}
	full := !out.Partial || (out.Offset == 0 && out.Length == out.Object.Size && in.PartNumber == 0)
	if r.Header.Get("x-amz-checksum-mode") == "ENABLED" && full {
		writeChecksum(hdr, out.Object.Checksum)
	}
	if in.PartNumber != 0 {
		hdr.Set("x-amz-mp-parts-count", strconv.Itoa(max(out.Object.PartsCount, 1)))
	}
	hdr.Set("Content-Length", strconv.FormatInt(out.Length, 10))
	status := http.StatusOK
	if out.Partial {
		hdr.Set("Content-Range", s3.ContentRange(out.Offset, out.Length, out.Object.Size))
		status = http.StatusPartialContent
	}
	w.WriteHeader(status)
	if out.Body == nil {
		return nil
	}
	defer out.Body.Close()
	if _, err := io.Copy(w, out.Body); err != nil {
		// The status is sent: net/http closes the connection after a body
		// shorter than its Content-Length, so the client sees the failure.
		return fmt.Errorf("send object %q: %w", r.key, err)
	}
	return nil
}

func (h *Handler) deleteObject(w http.ResponseWriter, r *request) error {
	if err := h.svc.DeleteObject(r.Context(), r.bucket, r.key, r.get("versionId")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) getObjectTagging(w http.ResponseWriter, r *request) error {
	tags, err := h.svc.GetObjectTagging(r.Context(), r.bucket, r.key, r.get("versionId"))
	if err != nil {
		return err
	}
	return writeXML(w, http.StatusOK, tagsDoc(tags))
}

func (h *Handler) putObjectTagging(w http.ResponseWriter, r *request) error {
	body, err := readDoc(r, maxConfigBody)
	if err != nil {
		return err
	}
	tags, err := parseTagging(body)
	if err != nil {
		return err
	}
	if err := h.svc.PutObjectTagging(r.Context(), r.bucket, r.key, r.get("versionId"), tags); err != nil {
		return err
	}
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) deleteObjectTagging(w http.ResponseWriter, r *request) error {
	if err := h.svc.DeleteObjectTagging(r.Context(), r.bucket, r.key, r.get("versionId")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) getObjectACL(w http.ResponseWriter, r *request) error {
	o, err := h.svc.GetObjectACL(r.Context(), r.bucket, r.key, r.get("versionId"))
	if err != nil {
		return err
	}
	return writeXML(w, http.StatusOK, aclDoc(o))
}

func (h *Handler) copyObject(w http.ResponseWriter, r *request) error {
	if err := unsupportedWrite(r.Header); err != nil {
		return err
	}
	src, err := s3.ParseCopySource(r.Header.Get("x-amz-copy-source"))
	if err != nil {
		return err
	}
	src.Conditions = conditions(r.Header, "x-amz-copy-source-")
	in := s3.CopyObjectInput{Bucket: r.bucket, Key: r.key, Source: src, RawSource: r.Header.Get("x-amz-copy-source"),
		MetadataDirective: r.Header.Get("x-amz-metadata-directive"), TaggingDirective: r.Header.Get("x-amz-tagging-directive"),
		Attrs: attrsOf(r.Header), Tagging: r.Header.Get("x-amz-tagging"), ACL: r.Header.Get("x-amz-acl"),
		ChecksumAlgorithm: r.Header.Get("x-amz-checksum-algorithm"),
		IfNoneMatch:       r.Header.Get("If-None-Match"), IfMatch: r.Header.Get("If-Match")}
	return h.longRunning(w, r, func() (any, error) {
		out, err := h.svc.CopyObject(r.Context(), in)
		if err != nil {
			return nil, err
		}
		res := copyObjectResult{LastModified: timestamp(out.LastModified), ETag: `"` + out.ETag + `"`, ChecksumType: out.Checksum.Type}
		res.set(out.Checksum.Algorithm, out.Checksum.Value)
		return res, nil
	})
}
