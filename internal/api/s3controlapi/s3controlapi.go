// Package s3controlapi is the wire side of S3 Control's S3 Access Grants
// operations: REST-XML under /v20180820/, namespace
// http://awss3control.amazonaws.com/doc/2018-08-20/. It routes by method
// and path, decodes requests, calls internal/grants and encodes the
// answers; errors go back to the router, which renders them in S3
// Control's wrapped <ErrorResponse> envelope.
//
// The account comes from the x-amz-account-id header and the region from
// the signature, never from the Host header: clients prepend the account
// ID to the endpoint's host name.
package s3controlapi

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/grantd/grantd/internal/api"
	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/grants"
)

// Namespace is S3 Control's XML namespace.
const Namespace = "http://awss3control.amazonaws.com/doc/2018-08-20/"

// prefix starts every S3 Control path.
const prefix = "/v20180820/"

// Op serves one operation. account is the validated x-amz-account-id; id
// is the path's {id} label, decoded, or the {resourceArn+} label as sent.
type Op func(w http.ResponseWriter, r *http.Request, account, id string) error

// route is one operation's method and path. A path ending in "/{id}"
// takes one more segment; "tags/" takes the rest of the path.
type route struct {
	method string
	path   string
	name   string
	op     Op
}

// Handler serves S3 Control requests.
type Handler struct {
	svc    *grants.Service
	routes []route
}

// New returns the handler for svc's operations.
func New(svc *grants.Service) *Handler {
	h := &Handler{svc: svc}
	for _, rt := range h.ops() {
		h.Register(rt.method, rt.path, rt.name, rt.op)
	}
	// GetDataAccess and friends build on this package's store; they are
	// registered by whoever implements them (see Register).
	for _, rt := range []route{
		{http.MethodGet, "accessgrantsinstance/dataaccess", "GetDataAccess", nil},
		{http.MethodGet, "accessgrantsinstance/caller/grants", "ListCallerAccessGrants", nil},
		{http.MethodGet, "accessgrantsinstance/prefix", "GetAccessGrantsInstanceForPrefix", nil},
	} {
		h.Register(rt.method, rt.path, rt.name, notImplemented(rt.name))
	}
	return h
}

// Register serves the operation name at method and path (relative to
// /v20180820/, e.g. "accessgrantsinstance/grant/{id}"), replacing an
// earlier registration of the same method and path.
func (h *Handler) Register(method, path, name string, op Op) {
	for i, rt := range h.routes {
		if rt.method == method && rt.path == path {
			h.routes[i] = route{method, path, name, op}
			return
		}
	}
	h.routes = append(h.routes, route{method, path, name, op})
}

func notImplemented(name string) Op {
	return func(http.ResponseWriter, *http.Request, string, string) error {
		return awserr.Newf(awserr.NotImplemented, "grantd does not implement %s yet.", name)
	}
}

var accountIDRe = regexp.MustCompile(`^\d{12}$`)

// ServeAWS implements api.Handler.
func (h *Handler) ServeAWS(w http.ResponseWriter, r *http.Request) error {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), prefix)
	if !ok {
		return awserr.Newf(awserr.NotImplemented, "This S3 Control operation is not implemented by grantd.")
	}
	rt, id, known := h.match(r.Method, rest)
	if rt == nil {
		if known {
			return awserr.New(awserr.MethodNotAllowed)
		}
		return awserr.Newf(awserr.NotImplemented, "This S3 Control operation is not implemented by grantd.")
	}
	api.SetOperation(r.Context(), rt.name)
	account := r.Header.Get("x-amz-account-id")
	if !accountIDRe.MatchString(account) {
		return awserr.Newf(awserr.InvalidRequest, "Value '%s' at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\\d{12}$", account)
	}
	return wireError(rt.op(w, r, account, id))
}

// match finds the route for method and the escaped path after
// /v20180820/. known reports whether the path exists for another method.
func (h *Handler) match(method, rest string) (rt *route, id string, known bool) {
	for i := range h.routes {
		cand := &h.routes[i]
		label, ok := matchPath(cand.path, rest)
		if !ok {
			continue
		}
		if cand.method != method {
			known = true
			continue
		}
		return cand, label, true
	}
	return nil, "", known
}

// matchPath matches an escaped request path against a route path and
// returns the label it captures, unescaped.
func matchPath(pattern, rest string) (string, bool) {
	switch {
	case pattern == "tags/{resourceArn+}":
		// The operation decodes the greedy label (TagPathARN).
		return strings.CutPrefix(rest, "tags/")
	case strings.HasSuffix(pattern, "/{id}"):
		base := strings.TrimSuffix(pattern, "{id}")
		seg, ok := strings.CutPrefix(rest, base)
		if !ok || seg == "" || strings.Contains(seg, "/") {
			return "", false
		}
		if id, err := url.PathUnescape(seg); err == nil {
			return id, true
		}
		return seg, true // the operation rejects it as an invalid ID
	}
	return "", pattern == rest
}

// wireError maps the domain's errors to S3 Control's wire codes: the one
// place where that mapping is decided.
func wireError(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*awserr.Error); ok {
		return err
	}
	e, ok := errs.As(err)
	if !ok {
		return err // InternalError, detail logged only
	}
	code, ok := codes[e.Reason]
	if !ok {
		switch e.Kind {
		case errs.Denied:
			code = awserr.AccessDenied
		case errs.Invalid:
			code = awserr.InvalidRequest
		default:
			return err
		}
	}
	return &awserr.Error{Code: code, Message: e.Msg, Err: err}
}

// codes maps the domain's reasons to wire codes.
var codes = func() map[string]awserr.Code {
	m := map[string]awserr.Code{}
	for _, c := range []awserr.Code{
		awserr.AccessDenied, awserr.InvalidRequest,
		awserr.AccessGrantAlreadyExists, awserr.AccessGrantsInstanceAlreadyExists, awserr.AccessGrantsInstanceNotEmptyError,
		awserr.AccessGrantsInstanceNotExistsError, awserr.AccessGrantsInstanceResourcePolicyNotExists,
		awserr.AccessGrantsLocationAlreadyExistsError, awserr.AccessGrantsLocationNotEmptyError,
		awserr.AccessGrantsLocationsQuotaExceededError, awserr.AccessGrantsQuotaExceededError,
		awserr.InvalidAccessGrant, awserr.InvalidAccessGrantsLocation, awserr.InvalidIamRole,
		awserr.InvalidIdentityCenterInstance, awserr.InvalidResourcePolicy, awserr.InvalidTag, awserr.InvalidTags,
		awserr.TooManyTags, awserr.NoSuchAccessGrantError, awserr.NoSuchAccessGrantsLocationError,
	} {
		m[c.Name] = c
	}
	return m
}()

// ctxOf is r's context; a helper for brevity in the operations.
func ctxOf(r *http.Request) context.Context { return r.Context() }
