package s3api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/grantd/grantd/internal/api"
	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/s3"
	"github.com/grantd/grantd/internal/sigv4"
)

// bodyOf describes the request body and the digests the request claims.
func bodyOf(r *request) (s3.Body, error) {
	signed := api.FromContext(r.Context()).Sig != nil
	if !signed && isChunked(r.Header) {
		// Only a verified signature decodes aws-chunked bodies.
		return s3.Body{}, awserr.Newf(awserr.NotImplemented, "Unsigned aws-chunked request bodies are not supported.")
	}
	size := r.ContentLength
	if r.Body == nil || r.Body == http.NoBody {
		size = max(size, 0)
	}
	b := s3.Body{Reader: r.Body, Size: size, ContentMD5: r.Header.Get("Content-MD5")}
	if b.Reader == nil {
		b.Reader = http.NoBody
	}
	claim, err := checksumClaim(r)
	b.Checksum = claim
	return b, err
}

func isChunked(h http.Header) bool {
	for _, v := range strings.Split(h.Get("Content-Encoding"), ",") {
		if strings.EqualFold(strings.TrimSpace(v), "aws-chunked") {
			return true
		}
	}
	return false
}

// checksumClaim reads the flexible-checksum headers: one
// x-amz-checksum-<alg> header, or an x-amz-trailer naming one, and
// x-amz-sdk-checksum-algorithm.
func checksumClaim(r *request) (s3.ChecksumClaim, error) {
	var c s3.ChecksumClaim
	for _, alg := range s3.Algorithms {
		if v := r.Header.Get(s3.HeaderName(alg)); v != "" {
			if c.Algorithm != "" {
				return c, awserr.Newf(awserr.InvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
			}
			c.Algorithm, c.Value = alg, v
		}
	}
	body := r.Body
	for _, t := range r.Header.Values("X-Amz-Trailer") {
		for _, name := range strings.Split(t, ",") {
			name = strings.ToLower(strings.TrimSpace(name))
			alg, ok := strings.CutPrefix(name, "x-amz-checksum-")
			if !ok {
				continue
			}
			if c.Algorithm != "" || s3.NormalizeAlgorithm(alg) == "" {
				return c, awserr.Newf(awserr.InvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
			}
			c.Algorithm = s3.NormalizeAlgorithm(alg)
			c.Trailer = func() string { return sigv4.Trailers(body).Get(name) }
		}
	}
	if c.Algorithm == "" {
		c.Algorithm = r.Header.Get("x-amz-sdk-checksum-algorithm")
	}
	return c, nil
}

// unsupportedWrite refuses headers that ask for features grantd does not
// have, rather than silently ignoring them.
func unsupportedWrite(h http.Header) error {
	switch sse := h.Get("x-amz-server-side-encryption"); {
	case h.Get("x-amz-server-side-encryption-customer-algorithm") != "",
		sse != "" && sse != "AES256",
		h.Get("x-amz-object-lock-mode") != "", h.Get("x-amz-object-lock-retain-until-date") != "",
		h.Get("x-amz-object-lock-legal-hold") != "", h.Get("x-amz-website-redirect-location") != "":
		return awserr.New(awserr.NotImplemented)
	}
	for name := range h {
		if strings.HasPrefix(strings.ToLower(name), "x-amz-grant-") {
			return awserr.New(awserr.AccessControlListNotSupported)
		}
	}
	return nil
}

// attrsOf reads the content headers, storage class and user metadata of a
// write.
func attrsOf(h http.Header) meta.ObjectAttrs {
	a := meta.ObjectAttrs{
		ContentType:        h.Get("Content-Type"),
		ContentDisposition: h.Get("Content-Disposition"),
		ContentLanguage:    h.Get("Content-Language"),
		CacheControl:       h.Get("Cache-Control"),
		Expires:            h.Get("Expires"),
		StorageClass:       h.Get("x-amz-storage-class"),
	}
	var enc []string
	for _, v := range strings.Split(h.Get("Content-Encoding"), ",") {
		if v = strings.TrimSpace(v); v != "" && !strings.EqualFold(v, "aws-chunked") {
			enc = append(enc, v)
		}
	}
	a.ContentEncoding = strings.Join(enc, ",")
	for name, vals := range h {
		if n, ok := strings.CutPrefix(strings.ToLower(name), "x-amz-meta-"); ok {
			if a.Metadata == nil {
				a.Metadata = map[string]string{}
			}
			a.Metadata[n] = strings.Join(vals, ",")
		}
	}
	return a
}

// writeObjectHeaders sets the headers that describe an object on a GET or
// HEAD response.
func writeObjectHeaders(h http.Header, o *meta.Object) {
	a := &o.Attrs
	ct := a.ContentType
	if ct == "" {
		ct = "binary/octet-stream"
	}
	h.Set("Content-Type", ct)
	h.Set("ETag", `"`+o.ETag+`"`)
	h.Set("Last-Modified", o.LastModified.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	for name, v := range map[string]string{"Content-Encoding": a.ContentEncoding, "Content-Disposition": a.ContentDisposition,
		"Content-Language": a.ContentLanguage, "Cache-Control": a.CacheControl, "Expires": a.Expires} {
		if v != "" {
			h.Set(name, v)
		}
	}
	for k, v := range a.Metadata {
		h["X-Amz-Meta-"+k] = []string{v}
	}
	if n := len(a.Tags); n > 0 {
		h.Set("x-amz-tagging-count", strconv.Itoa(n))
	}
	if a.StorageClass != "" && a.StorageClass != "STANDARD" {
		h.Set("x-amz-storage-class", a.StorageClass)
	}
}

// writeChecksum sets x-amz-checksum-<alg> and x-amz-checksum-type.
func writeChecksum(h http.Header, c meta.Checksum) {
	if c.Algorithm == "" || c.Value == "" {
		return
	}
	h.Set(s3.HeaderName(c.Algorithm), c.Value)
	h.Set("x-amz-checksum-type", c.Type)
}

// responseOverrides are the GetObject query parameters that replace
// response headers.
var responseOverrides = map[string]string{
	"response-content-type":        "Content-Type",
	"response-content-language":    "Content-Language",
	"response-expires":             "Expires",
	"response-cache-control":       "Cache-Control",
	"response-content-disposition": "Content-Disposition",
	"response-content-encoding":    "Content-Encoding",
}

// conditions reads If-Match and friends (or their x-amz-copy-source-
// twins, with prefix). Dates HTTP cannot parse are ignored, as HTTP says.
func conditions(h http.Header, prefix string) s3.Conditions {
	date := func(name string) *time.Time {
		if v := h.Get(prefix + name); v != "" {
			if t, err := http.ParseTime(v); err == nil {
				return &t
			}
		}
		return nil
	}
	return s3.Conditions{
		IfMatch:           h.Get(prefix + "If-Match"),
		IfNoneMatch:       h.Get(prefix + "If-None-Match"),
		IfModifiedSince:   date("If-Modified-Since"),
		IfUnmodifiedSince: date("If-Unmodified-Since"),
	}
}
