// Package policy is the IAM policy language: it parses and validates policy
// documents as IAM and S3 do, compiles them once into small matchers, and
// evaluates requests against them, explaining every decision with the
// statements that caused it.
//
// Parse turns a JSON document into a *Policy for one Kind (identity,
// resource-based or role trust policy). Policy.Evaluate answers for one
// policy; Decide applies AWS's full evaluation logic across the identity
// policies, permissions boundary, session policies and resource-based
// policy of a request
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
//
// Parse reads a plainly written document (the usual kind) in one pass,
// compiling each element as it reads it (parse_fast.go); anything unusual —
// escapes, a syntax error, an invalid element — sends it to the careful
// path, which checks the whole document onto a tape first (json.go) and
// reports exactly the error IAM would (parse.go, parse_stmt.go). Both
// compile through the same helpers (compile.go), and repeated actions,
// resources and conditions are compiled once per document (scratch.go).
// Decide rejects most statements with two bit tests before matching
// anything (match.go).
//
// The package is pure: no I/O, no clock, no knowledge of particular
// products. Callers (internal/authz) gather the policies, describe the
// caller with a Principal and the request with a Request and Context.
package policy

import (
	"github.com/grantd/grantd/internal/arn"
	"github.com/grantd/grantd/internal/policy/condition"
)

// Kind is the type of policy a document is validated as.
type Kind uint8

const (
	// Identity is a policy attached to a user, group or role (inline or
	// managed), a permissions boundary, or a session policy. It must not
	// contain Principal or NotPrincipal.
	Identity Kind = iota + 1
	// Resource is a resource-based policy such as a bucket policy or an S3
	// Access Grants instance resource policy: every statement needs
	// Principal or NotPrincipal. Error messages use S3's wording.
	Resource
	// Trust is a role trust policy: like Resource, but Resource,
	// NotResource and NotPrincipal are prohibited and actions are limited
	// to the sts: actions AWS allows in trust policies.
	Trust
)

// String returns "identity", "resource" or "trust".
func (k Kind) String() string {
	switch k {
	case Identity:
		return "identity"
	case Resource:
		return "resource"
	case Trust:
		return "trust"
	}
	return "unknown"
}

// Versions of the policy language.
const (
	// Version2012 is the current policy language; it supports policy
	// variables.
	Version2012 = "2012-10-17"
	// Version2008 is the original language, also assumed when Version is
	// missing; "${...}" is literal text in it.
	Version2008 = "2008-10-17"
)

// Effect is the Effect element of a statement.
type Effect uint8

// Statement effects.
const (
	EffectAllow Effect = iota + 1
	EffectDeny
)

// String returns "Allow" or "Deny".
func (e Effect) String() string {
	switch e {
	case EffectAllow:
		return "Allow"
	case EffectDeny:
		return "Deny"
	}
	return "Effect(?)"
}

// Policy is a parsed, validated and compiled policy document. It is
// immutable after Parse except for Name, and safe for concurrent use.
type Policy struct {
	// Name labels the policy in Reasons and logs, for example
	// "user/alice/inline/s3read" or "arn:aws:iam::aws:policy/ReadOnlyAccess".
	// Set it after Parse; it is not part of the document.
	Name string

	kind       Kind
	version    string // as written; "" when absent
	id         string
	hasID      bool
	src        string
	stmts      []Statement
	comps      []compiled // comps[i] evaluates stmts[i]; compact for the hot loop
	stmtsArray bool       // Statement was an array rather than a single object
}

// Kind returns the kind the policy was parsed as.
func (p *Policy) Kind() Kind { return p.kind }

// Version returns the Version element, or "" if the document has none (which
// means 2008-10-17 semantics).
func (p *Policy) Version() string { return p.version }

// ID returns the Id element, or "".
func (p *Policy) ID() string { return p.id }

// Raw returns a copy of the original document.
func (p *Policy) Raw() []byte { return []byte(p.src) }

// Statements returns the statements in document order. The slices inside
// are shared with the policy and must not be modified.
func (p *Policy) Statements() []Statement { return append([]Statement(nil), p.stmts...) }

// Statement is one statement of a policy, as written (values are kept as in
// the document; matching is case-insensitive for actions and condition keys
// as IAM specifies).
type Statement struct {
	// Index is the statement's position in the Statement array, from 0.
	Index int
	// Sid is the statement ID, or "".
	Sid    string
	Effect Effect
	// Principal and NotPrincipal are nil when absent.
	Principal    *Principals
	NotPrincipal *Principals
	// Exactly one of Action and NotAction is non-empty.
	Action    []string
	NotAction []string
	// At most one of Resource and NotResource is non-empty; both are empty
	// only in trust policies.
	Resource    []string
	NotResource []string
	// Condition lists the condition tests in document order.
	Condition []Condition
	// Start and End locate the statement's braces in the document; End is
	// the position just after the closing brace.
	Start, End Position

	form stmtForm
	c    *compiled
}

// Principals is a Principal or NotPrincipal element.
type Principals struct {
	// All is the string form "*" (everyone, including anonymous callers).
	All           bool
	AWS           []string
	Service       []string
	Federated     []string
	CanonicalUser []string

	single principalForm // which lists were written as a single string
	set    *principalSet
}

// Condition is one key test of a Condition element: "Operator": {"Key":
// Values}.
type Condition struct {
	Operator string
	Key      string
	Values   []string

	single bool // the value was written as one string, not a list
}

// Position is a 1-based line and column (in characters) in the document.
type Position struct {
	Line   int
	Column int
}

// stmtForm remembers how elements were written so MarshalJSON can echo it.
type stmtForm struct {
	hasSid         bool
	actionSingle   bool
	resourceSingle bool
}

type principalForm struct {
	aws, service, federated, canonical bool
}

// compiled holds the evaluators of one statement, built at Parse time. The
// prefilter's masks come first and the flags last, so that the struct is
// small and the loop over statements reads little.
type compiled struct {
	svcMask      uint64 // svcBit of every service an Action names; all ones for "*" and NotAction
	resSkip      uint64 // bits no Resource pattern's service hashes to (see prefilter); 0 for NotResource
	actions      []actionPattern
	resources    []resourcePattern
	conds        []*condition.Cond
	principal    *principalSet
	deny         bool // Effect is Deny
	notAction    bool
	notResource  bool
	anyResource  bool // no Resource element (trust policies)
	notPrincipal bool
}

// resourcePattern is one compiled Resource/NotResource entry. tmpl is set
// (hasTmpl) when the resource part has policy variables; pat then decides
// the first five segments only.
type resourcePattern struct {
	pat     arn.Pattern
	tmpl    condition.Template
	hasTmpl bool
	head    string // tmpl's literal prefix
}
