package policy

import (
	"strconv"
	"strings"
)

// PolicyType is the role a policy plays in a decision. Its String is the
// phrase AWS uses in AccessDenied messages ("because no identity-based
// policy allows the s3:GetObject action").
type PolicyType uint8

// Policy types.
const (
	IdentityPolicy PolicyType = iota + 1
	BoundaryPolicy
	SessionPolicy
	ResourcePolicy
)

// String returns "identity-based policy", "permissions boundary", "session
// policy" or "resource-based policy".
func (t PolicyType) String() string {
	switch t {
	case IdentityPolicy:
		return "identity-based policy"
	case BoundaryPolicy:
		return "permissions boundary"
	case SessionPolicy:
		return "session policy"
	case ResourcePolicy:
		return "resource-based policy"
	}
	return "no policy"
}

// Reason is a statement that matched a request. The simulator reports these
// as MatchedStatements (SourcePolicyId, StartPosition, EndPosition).
type Reason struct {
	// Policy is the Name of the policy.
	Policy string
	// Type is the role the policy played.
	Type PolicyType
	// Statement is the statement's index in the policy, from 0.
	Statement int
	Sid       string
	Effect    Effect
	// Start and End locate the statement in the policy document.
	Start, End Position
}

// String formats the reason as `Allow user/alice/inline/s3read[1 "Read"]`.
func (r Reason) String() string {
	s := r.Effect.String() + " " + r.Policy + "[" + strconv.Itoa(r.Statement)
	if r.Sid != "" {
		s += " " + strconv.Quote(r.Sid)
	}
	return s + "]"
}

// Result is one policy's answer to a request.
type Result struct {
	// Allowed reports that an Allow statement applies.
	Allowed bool
	// Denied reports that a Deny statement applies.
	Denied bool
	// Matched lists the statements that apply, in document order.
	Matched []Reason
}

// Evaluate reports which statements of p apply to req. For resource and
// trust policies this includes matching the caller against Principal or
// NotPrincipal; identity policies apply to whoever they are attached to.
// Evaluate does not combine policies: see Decide for that.
func (p *Policy) Evaluate(req *Request) Result {
	var e env
	e.init(req, false)
	t := IdentityPolicy
	if p.kind != Identity {
		t = ResourcePolicy
	}
	var r Result
	o := p.eval(&e, t, &r.Matched)
	r.Allowed, r.Denied = o.allow, o.deny
	return r
}

// outcome summarises one or more policies for Decide.
type outcome struct {
	allow bool
	deny  bool
	grant grant // the strongest way an applicable Allow names the caller
}

func (o *outcome) merge(x outcome) {
	o.allow = o.allow || x.allow
	o.deny = o.deny || x.deny
	o.grant = max(o.grant, x.grant)
}

// eval appends the applicable statements of p to out.
func (p *Policy) eval(e *env, t PolicyType, out *[]Reason) outcome {
	var o outcome
	for i := range p.comps {
		c := &p.comps[i]
		if !c.prefilter(e) {
			continue
		}
		ok, g := c.applies(e)
		if !ok {
			continue
		}
		if c.deny {
			o.deny = true
		} else {
			o.allow = true
			o.grant = max(o.grant, g)
		}
		st := &p.stmts[i]
		*out = append(*out, Reason{
			Policy: p.Name, Type: t, Statement: st.Index, Sid: st.Sid,
			Effect: st.Effect, Start: st.Start, End: st.End,
		})
	}
	return o
}

// String describes a result for logs.
func (r Result) String() string {
	var parts []string
	for _, m := range r.Matched {
		parts = append(parts, m.String())
	}
	return "allowed=" + strconv.FormatBool(r.Allowed) + " denied=" + strconv.FormatBool(r.Denied) + " [" + strings.Join(parts, ", ") + "]"
}
