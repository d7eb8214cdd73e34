// Package s3api is the wire side of grantd's S3 data plane: the REST-XML
// protocol of Amazon S3 (API version 2006-03-01). It finds the bucket and
// key of a request (path-style or virtual-hosted addressing), picks the
// operation from the method, query subresources and headers, decodes the
// input for internal/s3, and encodes the result. Errors are returned to
// the router, which renders them as S3's bare <Error> document (no body
// for HEAD).
package s3api

import (
	"crypto/tls"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/grantd/grantd/internal/api"
	"github.com/grantd/grantd/internal/s3"
)

// Options configure New.
type Options struct {
	Service *s3.Service
	// Domains are the base host names of virtual-hosted addressing: a
	// request to <bucket>.<domain> addresses the bucket. Any other host
	// (an IP address, the domain itself) means path-style.
	Domains []string
	// KeepAliveAfter is how long CopyObject, UploadPartCopy and
	// CompleteMultipartUpload may run before the response is committed as
	// 200 and kept alive with white space, as S3 does; an error after that
	// point is sent in the 200 response's body. Zero means 10s; negative
	// commits at once, which tests use to exercise that path.
	KeepAliveAfter time.Duration
	// KeepAliveEvery is the interval of the white space; default 5s.
	KeepAliveEvery time.Duration
}

// Handler serves the S3 data plane.
type Handler struct {
	svc            *s3.Service
	domains        []string
	keepAliveAfter time.Duration
	keepAliveEvery time.Duration
}

// New returns the S3 handler.
func New(o Options) *Handler {
	h := &Handler{svc: o.Service, keepAliveAfter: o.KeepAliveAfter, keepAliveEvery: o.KeepAliveEvery}
	for _, d := range o.Domains {
		if d = strings.ToLower(strings.Trim(d, ".")); d != "" {
			h.domains = append(h.domains, d)
		}
	}
	if h.keepAliveAfter == 0 {
		h.keepAliveAfter = 10 * time.Second
	}
	if h.keepAliveEvery <= 0 {
		h.keepAliveEvery = 5 * time.Second
	}
	return h
}

// request is a decoded S3 request: its bucket, key and query.
type request struct {
	*http.Request
	bucket string
	key    string
	query  map[string][]string
}

func (r *request) has(name string) bool {
	_, ok := r.query[name]
	return ok
}

func (r *request) get(name string) string {
	if v := r.query[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// ServeAWS implements api.Handler.
func (h *Handler) ServeAWS(w http.ResponseWriter, hr *http.Request) error {
	req := &request{Request: hr, query: hr.URL.Query()}
	req.bucket, req.key = h.address(hr)
	hr = hr.WithContext(s3.WithRequestInfo(hr.Context(), requestInfo(hr)))
	req.Request = hr
	op, fn := h.route(req)
	api.SetOperation(hr.Context(), op)
	if fn == nil {
		return notImplemented()
	}
	err := fn(w, req)
	if err != nil {
		return h.wireError(w, req, err)
	}
	return nil
}

// address returns the bucket and key a request addresses: virtual-hosted
// when Host is <bucket>.<domain> (the bucket may contain dots, as S3's
// virtual-hosted names do), else path-style /<bucket>/<key>.
func (h *Handler) address(r *http.Request) (bucket, key string) {
	host := strings.ToLower(r.Host)
	if hh, _, err := net.SplitHostPort(host); err == nil {
		host = hh
	}
	path := r.URL.Path
	for _, d := range h.domains {
		if b, ok := strings.CutSuffix(host, "."+d); ok && b != "" {
			return b, strings.TrimPrefix(path, "/")
		}
	}
	path = strings.TrimPrefix(path, "/")
	bucket, key, _ = strings.Cut(path, "/")
	return bucket, key
}

// requestInfo describes the request's signing, for S3's condition keys,
// and the bucket owners it expects.
func requestInfo(r *http.Request) s3.RequestInfo {
	req := api.FromContext(r.Context())
	sig := s3.RequestInfo{ExpectedBucketOwner: r.Header.Get("x-amz-expected-bucket-owner"),
		ExpectedSourceOwner: r.Header.Get("x-amz-source-expected-bucket-owner")}
	if req.Sig != nil {
		sig.Signed = true
		sig.Time = req.Sig.Date
		sig.ContentSHA256 = req.Sig.PayloadHash
	}
	if r.TLS != nil {
		switch r.TLS.Version {
		case tls.VersionTLS12:
			sig.TLSVersion = "1.2"
		case tls.VersionTLS13:
			sig.TLSVersion = "1.3"
		}
	}
	return sig
}
