package auth

import (
	"context"
	"time"
)

// Request is what is known about a request when it is authorized: who
// signed it and the facts policies can test (aws:SourceIp,
// aws:SecureTransport, aws:RequestedRegion, aws:CurrentTime…). The router
// puts it into the request's context; domain services and authz read it
// from there.
type Request struct {
	Caller *Caller
	// Region is the SigV4 scope's region (the server's default for
	// unsigned requests).
	Region   string
	SourceIP string
	Secure   bool
	// Time is when the request arrived.
	Time time.Time
	// AuthType is S3's s3:authType: REST-HEADER, REST-QUERY-STRING or
	// empty for unsigned requests.
	AuthType string
	// UserAgent is the User-Agent header (aws:UserAgent).
	UserAgent string
}

type requestKey struct{}

// WithRequest returns ctx carrying r.
func WithRequest(ctx context.Context, r *Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// FromContext returns the request of ctx; outside a request (offline
// tools, tests of domain code) it is an anonymous request at the current
// time.
func FromContext(ctx context.Context) *Request {
	if r, ok := ctx.Value(requestKey{}).(*Request); ok {
		return r
	}
	return &Request{Caller: &Caller{Kind: Anonymous}, Time: time.Now()}
}

// CallerFrom returns the caller of the request in ctx.
func CallerFrom(ctx context.Context) *Caller { return FromContext(ctx).Caller }
