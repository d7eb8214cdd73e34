// Package api holds what every wire handler shares: the per-request values
// the router establishes (request ID, caller, region) and the Handler
// signature. Each service's handlers live in a subpackage.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/sigv4"
)

// Handler serves one service's requests. It returns an error instead of
// writing one; the router renders errors in the service's protocol. An
// *awserr.Error carries its wire code; any other error becomes
// InternalError, with its text only logged.
type Handler interface {
	ServeAWS(w http.ResponseWriter, r *http.Request) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// ServeAWS implements Handler.
func (f HandlerFunc) ServeAWS(w http.ResponseWriter, r *http.Request) error { return f(w, r) }

// Request is what the router learned about a request before the handler.
// The embedded auth.Request (caller, region, source address…) is also in
// the context for domain code; the rest is wire-only.
type Request struct {
	*auth.Request
	// ID is the request ID sent as x-amz-request-id.
	ID string
	// HostID is sent as x-amz-id-2.
	HostID string
	// Sig describes the signature; nil for anonymous requests.
	Sig *sigv4.Auth
	// Start is when the router received the request.
	Start time.Time
	// Operation is set by the handler once it knows it, for the log line.
	Operation string
	// LogAttrs are added to the request's log line (AddLogAttrs).
	LogAttrs []slog.Attr
}

type ctxKey struct{}

// WithRequest returns ctx carrying req, and req.Request for auth.FromContext.
func WithRequest(ctx context.Context, req *Request) context.Context {
	return auth.WithRequest(context.WithValue(ctx, ctxKey{}, req), req.Request)
}

// FromContext returns the request of ctx. Handlers are only ever called by
// the router, which always sets it.
func FromContext(ctx context.Context) *Request {
	req, _ := ctx.Value(ctxKey{}).(*Request)
	if req == nil {
		return &Request{Request: auth.FromContext(ctx)}
	}
	return req
}

// AddLogAttrs adds attributes to the request's one log line: what an
// operation records for the audit trail (S3 Access Grants' GetDataAccess
// logs the grant it matched and the caller's auditContext).
func AddLogAttrs(ctx context.Context, attrs ...slog.Attr) {
	r := FromContext(ctx)
	r.LogAttrs = append(r.LogAttrs, attrs...)
}

// SetOperation records the operation name for the request log.
func SetOperation(ctx context.Context, op string) { FromContext(ctx).Operation = op }
