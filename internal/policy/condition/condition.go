// Package condition implements the IAM policy Condition element: the
// request Context, policy variables (Template) and every documented
// condition operator, one file per operator family, each with the
// ...IfExists suffix and the ForAllValues:/ForAnyValue: set prefixes.
//
// The behaviour follows the IAM User Guide:
//   - "IAM JSON policy elements: Condition operators"
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
//   - "Single-valued vs. multivalued context keys" (set operators)
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
//   - "IAM policy elements: Variables and tags"
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
//
// Policy literals are parsed once by Compile (numbers, dates, CIDRs, base64,
// booleans, wildcard-free strings); request values are parsed by the
// operators at evaluation time because the context carries strings.
package condition

import (
	"strings"
)

// Cond is one compiled condition test: an operator applied to one context
// key with one or more policy values. Several Conds of a statement are ANDed;
// the values of one Cond are ORed.
type Cond struct {
	operator string // as written
	key      string // as written
	lkey     string // lower-cased
	values   []string

	set      setOp
	ifExists bool
	neg      bool // a Not operator: the negation of its positive twin
	m        matcher
	null     *nullTest // Null operator; m is nil
}

type setOp uint8

const (
	setNone setOp = iota
	setForAll
	setForAny
)

// matcher tests one request value against all the policy values of a Cond.
// ok is false when v is not a valid value of the operator's type (a number
// that does not parse, say); hit reports whether v equals, matches or
// compares true with at least one policy value under the positive operator.
type matcher interface {
	match(c *Context, v string) (ok, hit bool)
}

// family builds a Cond with the matcher of one operator family from the
// policy values (base is the lower-cased operator without prefix or suffix);
// Compile fills in the rest.
type family func(cc *Compiler, base string, values []string) *Cond

type opInfo struct {
	name   string // lower-cased base operator name
	build  family
	neg    bool
	isNull bool
}

// operators maps lower-cased base operator names to their family. Operator
// names are matched case-insensitively.
var operators = map[string]opInfo{
	"stringequals":              {build: newStringMatcher},
	"stringnotequals":           {build: newStringMatcher, neg: true},
	"stringequalsignorecase":    {build: newStringMatcher},
	"stringnotequalsignorecase": {build: newStringMatcher, neg: true},
	"stringlike":                {build: newStringMatcher},
	"stringnotlike":             {build: newStringMatcher, neg: true},
	"numericequals":             {build: newNumericMatcher},
	"numericnotequals":          {build: newNumericMatcher, neg: true},
	"numericlessthan":           {build: newNumericMatcher},
	"numericlessthanequals":     {build: newNumericMatcher},
	"numericgreaterthan":        {build: newNumericMatcher},
	"numericgreaterthanequals":  {build: newNumericMatcher},
	"dateequals":                {build: newDateMatcher},
	"datenotequals":             {build: newDateMatcher, neg: true},
	"datelessthan":              {build: newDateMatcher},
	"datelessthanequals":        {build: newDateMatcher},
	"dategreaterthan":           {build: newDateMatcher},
	"dategreaterthanequals":     {build: newDateMatcher},
	"bool":                      {build: newBoolMatcher},
	"binaryequals":              {build: newBinaryMatcher},
	"ipaddress":                 {build: newIPMatcher},
	"notipaddress":              {build: newIPMatcher, neg: true},
	"arnequals":                 {build: newARNMatcher},
	"arnlike":                   {build: newARNMatcher},
	"arnnotequals":              {build: newARNMatcher, neg: true},
	"arnnotlike":                {build: newARNMatcher, neg: true},
	"null":                      {isNull: true},
}

func init() {
	for name, info := range operators {
		info.name = name
		operators[name] = info
	}
}

// ErrorKind classifies compile errors.
type ErrorKind uint8

// Compile error kinds.
const (
	// UnknownOperator: the operator (with its prefix and suffix) is not one
	// IAM defines. IAM answers "Invalid Condition type : <operator>".
	UnknownOperator ErrorKind = iota + 1
	// InvalidKey: the condition key is empty or has no service prefix.
	InvalidKey
)

// Error is a compile error.
type Error struct {
	Kind     ErrorKind
	Operator string
	Key      string
}

// Error returns IAM's wording for the problem.
func (e *Error) Error() string {
	if e.Kind == UnknownOperator {
		return "Invalid Condition type : " + e.Operator
	}
	return "Policy has an invalid condition key"
}

// ValidOperator reports whether operator (such as
// "ForAnyValue:StringLikeIfExists") is one IAM accepts.
func ValidOperator(operator string) bool {
	_, _, _, _, ok := parseOperator(operator)
	return ok
}

// parseOperator splits "ForAllValues:StringEqualsIfExists" into its parts;
// name is the lower-cased base operator ("stringequals").
func parseOperator(op string) (name string, info opInfo, set setOp, ifExists, ok bool) {
	base := op
	if p, rest, found := strings.Cut(base, ":"); found {
		switch strings.ToLower(p) {
		case "forallvalues":
			set = setForAll
		case "foranyvalue":
			set = setForAny
		default:
			return "", opInfo{}, 0, false, false
		}
		base = rest
	}
	var buf [64]byte
	lb := appendLowerASCII(buf[:0], base)
	if n := len(lb) - len("ifexists"); n > 0 && string(lb[n:]) == "ifexists" {
		lb, ifExists = lb[:n], true
	}
	info, ok = operators[string(lb)]
	if !ok || (info.isNull && ifExists) {
		// "You can add IfExists to the end of any condition operator name
		// except the Null condition."
		return "", opInfo{}, 0, false, false
	}
	return info.name, info, set, ifExists, true
}

func appendLowerASCII(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// Compile builds a Cond from one operator block entry of a policy: the
// operator name, the condition key and its values. vars enables policy
// variables in the values of operators that support them (string, ARN and
// Bool operators); pass false for policies without Version 2012-10-17. To
// compile many conditions, use a Compiler.
func Compile(operator, key string, values []string, vars bool) (*Cond, error) {
	cc := Compiler{Vars: vars}
	return cc.Compile(operator, key, values)
}

// Compile is the package-level Compile, allocating in the compiler's
// blocks. The values slice is kept, not copied.
func (cc *Compiler) Compile(operator, key string, values []string) (*Cond, error) {
	name, info, set, ifExists, ok := parseOperator(operator)
	if !ok {
		return nil, &Error{Kind: UnknownOperator, Operator: operator, Key: key}
	}
	if !validKey(key) {
		return nil, &Error{Kind: InvalidKey, Operator: operator, Key: key}
	}
	var c *Cond
	if info.isNull {
		c = newNullCond(cc, values)
	} else {
		c = info.build(cc, name, values)
	}
	c.operator, c.key, c.lkey, c.values = operator, key, cc.Lower(key), values
	c.set, c.ifExists, c.neg = set, ifExists, info.neg
	return c, nil
}

// validKey accepts "prefix:name" keys with a non-empty prefix. Keys may hold
// more colons (kms:EncryptionContext:aws:pi:service) and any characters IAM
// tags allow, so nothing else is checked.
func validKey(key string) bool {
	i := strings.IndexByte(key, ':')
	return i > 0 && i < len(key)-1
}

// Operator returns the operator as written, such as "ForAnyValue:StringLike".
func (c *Cond) Operator() string { return c.operator }

// Key returns the condition key as written.
func (c *Cond) Key() string { return c.key }

// Values returns the policy values as written.
func (c *Cond) Values() []string { return c.values }

// Eval evaluates the condition against the request context.
//
// Missing keys: "If the key that you specify in a policy condition is not
// present in the request context, the values do not match and the condition
// is false. If the policy condition requires that the key is not matched,
// such as StringNotLike or ArnNotLike, and the right key is not present, the
// condition is true" — except for ...IfExists (true when absent), Null, and
// the set operators: ForAllValues is true when the key is absent or has no
// values, ForAnyValue false.
//
// Present keys: a request value satisfies a positive operator when it
// matches any policy value, and a negated one when it is a valid value that
// matches none. ForAllValues requires every request value to satisfy the
// operator, ForAnyValue at least one. Without a set operator, a positive
// operator needs one satisfying request value and a negated operator needs
// all of them to satisfy it, so that a negated operator stays the exact
// negation of its positive twin for single-valued keys.
func (c *Cond) Eval(ctx *Context) bool {
	vals, present := ctx.Lookup(c.lkey)
	if c.null != nil {
		return c.null.eval(present)
	}
	if !present {
		// ForAnyValue on a missing key is false even with IfExists: real
		// AWS denied an Allow written that way
		// (https://repost.aws/questions/QU9HFmDzP0QGuU-fd7rS6B7w); the
		// documentation does not cover the combination.
		switch {
		case c.set == setForAny:
			return false
		case c.ifExists, c.set == setForAll:
			return true
		}
		return c.neg
	}
	all := c.set == setForAll || (c.set == setNone && c.neg)
	for _, v := range vals {
		sat := c.sat(ctx, v)
		if all && !sat {
			return false
		}
		if !all && sat {
			return true
		}
	}
	return all
}

func (c *Cond) sat(ctx *Context, v string) bool {
	ok, hit := c.m.match(ctx, v)
	return ok && hit != c.neg
}
