package policy

import (
	"strings"
	"unsafe"

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
	action    string   // the request action, or its lower-case form when it fits in lower
	lower     [96]byte // lower-cased action, when it had upper-case letters
	lowered   bool     // the action is in lower (svc and name read from it)
	colon     int      // index of the first colon in the action
	hasColon  bool
	svcBit    uint64 // svcBit of the action's service; all ones without a colon
	svc8      uint64 // svc() packed, if at most eight bytes long (see pack8)
	name8     uint64 // the first eight bytes of name(), packed
	resBit    uint64 // svcBit of the resource's service segment; 1 if it is not an ARN
	resource  arn.Parts
	boundary  bool // the principal has a permissions boundary (NotPrincipal rule)
}

// init prepares e for req. e must not be copied afterwards: svc and name
// may point into e.lower.
func (e *env) init(req *Request, boundary bool) {
	*e = env{req: req, principal: req.Principal, ctx: req.Context, boundary: boundary}
	e.lowerAction(req.Action)
	e.colon = strings.IndexByte(req.Action, ':')
	e.hasColon = e.colon >= 0
	e.svcBit = ^uint64(0)
	if e.hasColon {
		e.svc8, e.name8 = pack8(e.svc()), pack8(e.name())
		e.svcBit = svcBit(e.svc())
	}
	e.resource = arn.Split(req.Resource)
	e.resBit = 1
	if e.resource.IsARN() {
		e.resBit = svcBit(e.resource.Segment(2))
	}
	if req.Principal != nil && req.Principal.HasBoundary {
		e.boundary = true
	}
}

// lowerAction lower-cases the action (ASCII) into e.lower when it has
// upper-case letters and fits, so that no allocation is needed.
func (e *env) lowerAction(a string) {
	e.action = a
	upper := false
	for i := 0; i < len(a); i++ {
		if 'A' <= a[i] && a[i] <= 'Z' {
			upper = true
			break
		}
	}
	switch {
	case !upper:
	case len(a) > len(e.lower):
		e.action = strings.ToLower(a)
	default:
		for i := 0; i < len(a); i++ {
			c := a[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			e.lower[i] = c
		}
		e.lowered = true
	}
}

// act returns the lower-case action. The result is only valid while e is.
func (e *env) act() string {
	if e.lowered {
		return unsafe.String(&e.lower[0], len(e.action))
	}
	return e.action
}

// svc returns the lower-case service prefix of the action. Like act, it is
// computed rather than stored: e pointing into itself would move it to the
// heap.
func (e *env) svc() string { return e.act()[:e.colon] }

// name returns the lower-case action name after the service prefix.
func (e *env) name() string { return e.act()[e.colon+1:] }
