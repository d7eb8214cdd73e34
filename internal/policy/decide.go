package policy

import "strings"

// Input is everything Decide needs about one request.
type Input struct {
	Request *Request
	// Identity holds every identity-based policy of the principal: inline
	// and managed policies of the user or role and of the user's groups.
	Identity []*Policy
	// Boundary is the permissions boundary of the user or role, or nil.
	Boundary *Policy
	// Session holds the session policies (inline and managed) passed when
	// the session was created; nil when there are none.
	Session []*Policy
	// Resource is the resource-based policy of the resource (a bucket
	// policy, an access-grants instance policy, or for sts:AssumeRole the
	// role's trust policy), or nil.
	Resource *Policy
	// ResourceAccount is the account that owns the resource. Empty means
	// the principal's own account (or a resource that no account owns).
	ResourceAccount string
}

// DecisionEffect is the final answer.
type DecisionEffect uint8

// Decision effects.
const (
	// ImplicitDeny: no applicable policy (combination) allows the request.
	ImplicitDeny DecisionEffect = iota
	// Allow: the request is allowed.
	Allow
	// ExplicitDeny: a Deny statement applies.
	ExplicitDeny
)

// String returns "ImplicitDeny", "Allow" or "ExplicitDeny".
func (d DecisionEffect) String() string {
	switch d {
	case Allow:
		return "Allow"
	case ExplicitDeny:
		return "ExplicitDeny"
	}
	return "ImplicitDeny"
}

// Decision is the outcome of Decide.
type Decision struct {
	Effect DecisionEffect
	// Reasons are the statements that decided: the applicable Deny
	// statements for ExplicitDeny, the applicable Allow statements for
	// Allow, none for ImplicitDeny.
	Reasons []Reason
	// DeniedBy is, for ExplicitDeny, the type of the policy holding the
	// first applicable Deny; for ImplicitDeny, the type of policy whose
	// missing Allow denied the request (AWS's "because no session policy
	// allows ..."). It is 0 for Allow.
	DeniedBy PolicyType
}

// Allowed reports whether the effect is Allow.
func (d Decision) Allowed() bool { return d.Effect == Allow }

// String describes the decision for logs: "Allow by [Allow p[0 "S"]]",
// "ExplicitDeny in resource-based policy by [...]", "ImplicitDeny: no
// identity-based policy allows".
func (d Decision) String() string {
	switch d.Effect {
	case Allow:
		return "Allow by " + reasonList(d.Reasons)
	case ExplicitDeny:
		return "ExplicitDeny in " + d.DeniedBy.String() + " by " + reasonList(d.Reasons)
	}
	return "ImplicitDeny: no " + d.DeniedBy.String() + " allows"
}

func reasonList(rs []Reason) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// sides are the evaluated policy groups of one request.
type sides struct {
	identity, boundary, session, resource outcome
}

// Decide applies AWS's policy evaluation logic
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// and reference_policies_evaluation-logic-cross-account.html):
//
//  1. An explicit Deny in any applicable policy — identity, boundary,
//     session or resource — denies.
//  2. Service principals, anonymous callers and identity-provider users
//     are allowed only by the resource-based policy.
//  3. The root user has every permission in its own account without
//     identity policies (only a Deny stops it).
//  4. Otherwise the principal side allows when an identity policy allows,
//     the permissions boundary (if any) allows, and the session policies
//     (if any) allow; a GetFederationToken session without a session policy
//     has no permissions.
//  5. Cross-account (ResourceAccount differs from the principal's account):
//     both the principal side and the resource-based policy must allow.
//  6. Same account: the principal side or the resource-based policy may
//     allow, depending on how the resource policy names the caller: naming
//     the user, the session, "*", a service or a provider allows outright;
//     naming the role (or the user behind a federated session) is still
//     limited by the boundary and session policies; naming the account
//     delegates to the principal side. A role trust policy must itself
//     allow (it is one of the policies that "must explicitly allow access
//     for principals").
func Decide(in Input) Decision {
	req := in.Request
	p := req.Principal
	var e env
	e.init(req, in.Boundary != nil)
	reasons := make([]Reason, 0, 8)
	var s sides
	// Service, anonymous and identity-provider callers have no identity,
	// boundary or session policies.
	if !resourceOnly(p) {
		for _, pol := range in.Identity {
			s.identity.merge(pol.eval(&e, IdentityPolicy, &reasons))
		}
		if in.Boundary != nil {
			s.boundary = in.Boundary.eval(&e, BoundaryPolicy, &reasons)
		}
		for _, pol := range in.Session {
			s.session.merge(pol.eval(&e, SessionPolicy, &reasons))
		}
	}
	if in.Resource != nil {
		s.resource = in.Resource.eval(&e, ResourcePolicy, &reasons)
	}
	if s.identity.deny || s.boundary.deny || s.session.deny || s.resource.deny {
		return finish(ExplicitDeny, reasons, EffectDeny)
	}
	if ok, missing := s.allows(&in, p); !ok {
		return Decision{Effect: ImplicitDeny, DeniedBy: missing}
	}
	return finish(Allow, reasons, EffectAllow)
}

// finish keeps the reasons with the given statement effect.
func finish(d DecisionEffect, reasons []Reason, keep Effect) Decision {
	out := reasons[:0]
	for _, r := range reasons {
		if r.Effect == keep {
			out = append(out, r)
		}
	}
	dec := Decision{Effect: d, Reasons: out}
	if d == ExplicitDeny {
		dec.DeniedBy = out[0].Type
	}
	return dec
}

// resourceOnly reports callers that only a resource-based policy can allow.
func resourceOnly(p *Principal) bool {
	switch p.typ() {
	case Anonymous, Service, WebIdentity:
		return true
	}
	return false
}

// allows implements steps 2 to 6 of Decide once no Deny applies. It returns
// the policy type lacking an Allow when the answer is no.
func (s *sides) allows(in *Input, p *Principal) (bool, PolicyType) {
	if resourceOnly(p) {
		return s.resource.allow, ResourcePolicy
	}
	boundaryOK := in.Boundary == nil || s.boundary.allow
	sessionOK := s.session.allow
	if len(in.Session) == 0 {
		// "If there is no session policy, the code checks whether the
		// principal is a role session. If the principal is a role session,
		// then the request is Allowed. Otherwise, the request is
		// implicitly denied" (federated user sessions).
		sessionOK = p.Type != FederatedUser
	}
	identityOK := s.identity.allow
	if p.Type == Root {
		// "By default, all requests are implicitly denied with the
		// exception of the AWS account root user, which has full access."
		identityOK, boundaryOK, sessionOK = true, true, true
	}
	missing := IdentityPolicy
	switch {
	case !identityOK:
	case !boundaryOK:
		missing = BoundaryPolicy
	case !sessionOK:
		missing = SessionPolicy
	}
	principalSide := identityOK && boundaryOK && sessionOK

	if in.ResourceAccount != "" && in.ResourceAccount != p.Account {
		switch {
		case !principalSide:
			return false, missing
		case !s.resource.allow:
			return false, ResourcePolicy
		}
		return true, 0
	}
	return s.sameAccount(in, principalSide, boundaryOK, sessionOK, missing)
}

// sameAccount is step 6: "Resource-based policies and implicit denies in
// other policy types (same account)" in the evaluation-logic page.
func (s *sides) sameAccount(in *Input, principalSide, boundaryOK, sessionOK bool, missing PolicyType) (bool, PolicyType) {
	switch s.resource.grant {
	case grantDirect:
		// "If a resource-based policy grants permission directly to the IAM
		// user or the session principal that is making the request, then an
		// implicit deny in an identity-based policy, a permissions boundary,
		// or a session policy does not impact the final decision."
		return true, 0
	case grantLimited:
		// "Resource-based policies that grant permissions to an IAM role ARN
		// are limited by an implicit deny in a permissions boundary or
		// session policy."
		switch {
		case !boundaryOK:
			return false, BoundaryPolicy
		case !sessionOK:
			return false, SessionPolicy
		}
		return true, 0
	}
	if in.Resource != nil && in.Resource.kind == Trust && s.resource.grant == grantNone {
		return false, ResourcePolicy
	}
	// No resource grant, or one naming the account, which delegates the
	// decision to the account's own policies.
	if principalSide {
		return true, 0
	}
	return false, missing
}
