package policy

import (
	"strings"

	"github.com/grantd/grantd/internal/arn"
	"github.com/grantd/grantd/internal/policy/condition"
)

// Context is the typed request context: condition keys (case-insensitive)
// with their string values. See condition.Context.
type Context = condition.Context

// NewContext returns an empty context with room for n keys.
func NewContext(n int) *Context { return condition.NewContext(n) }

// Request is what is being authorized.
type Request struct {
	// Principal is the caller; nil means Anonymous.
	Principal *Principal
	// Action is the IAM action, such as "s3:GetObject". Matching is
	// case-insensitive.
	Action string
	// Resource is the ARN of the resource acted on, or "*" for actions
	// that have none.
	Resource string
	// Context holds the condition keys of the request; nil means none.
	Context *Context
}

// env is a Request prepared once for evaluating many statements.
type env struct {
	req       *Request
	principal *Principal
	ctx       *Context
	svc, name string // Action split at its first colon
	hasColon  bool
	resource  arn.Parts
	boundary  bool // the principal has a permissions boundary (NotPrincipal rule)
}

func newEnv(req *Request, boundary bool) env {
	e := env{req: req, principal: req.Principal, ctx: req.Context, boundary: boundary}
	e.svc, e.name, e.hasColon = strings.Cut(req.Action, ":")
	e.resource = arn.Split(req.Resource)
	if req.Principal != nil && req.Principal.HasBoundary {
		e.boundary = true
	}
	return e
}
