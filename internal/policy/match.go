package policy

import (
	"strings"

	"github.com/grantd/grantd/internal/arn"
	"github.com/grantd/grantd/internal/policy/condition"
)

// actionPattern is a compiled Action/NotAction entry. IAM matches actions
// case-insensitively ("IAM JSON policy elements: Action"): patterns are
// stored lower-cased and compared with the request action, which env
// lower-cases once.
//
// Most services and action-name literals are at most eight bytes long;
// those are also kept packed into words (see pack8), so that matching them
// compares integers rather than calling into string comparison.
type actionPattern struct {
	any    bool   // "*"
	svc    string // lower-case service prefix, no wildcards
	name   arn.Glob
	svc8   uint64 // svc packed, if it is at most eight bytes long
	lit8   uint64 // the literal of a short name pattern, packed
	short  uint8  // the kind of short name pattern, or shortNone to match name
	litLen uint8  // the literal's length
}

// Kinds of short action-name patterns: ASCII, with a literal of at most
// eight bytes.
const (
	shortNone   = iota
	shortAny    // "*"
	shortExact  // "getobject"
	shortPrefix // "get*"
)

func compileAction(s string, cc *condition.Compiler) actionPattern {
	if s == "*" {
		return actionPattern{any: true}
	}
	svc, name, _ := strings.Cut(cc.Lower(s), ":")
	a := actionPattern{svc: svc, name: arn.CompileGlob(name, false), svc8: pack8(svc)}
	lit, star := strings.CutSuffix(name, "*")
	switch {
	case len(lit) > 8 || !isASCII(lit) || arn.HasWildcard(lit):
	case star && lit == "":
		a.short = shortAny
	case star:
		a.short, a.lit8, a.litLen = shortPrefix, pack8(lit), uint8(len(lit))
	default:
		a.short, a.lit8, a.litLen = shortExact, pack8(lit), uint8(len(lit))
	}
	return a
}

// pack8 packs the first eight bytes of s into a word, first byte lowest,
// zero-padded: two strings of the same length up to eight bytes are equal
// exactly when their packings are.
func pack8(s string) uint64 {
	var w uint64
	for i := min(len(s), 8) - 1; i >= 0; i-- {
		w = w<<8 | uint64(s[i])
	}
	return w
}

// bit is the pattern's service bit for the statement's prefilter.
func (a *actionPattern) bit() uint64 {
	if a.any {
		return ^uint64(0)
	}
	return svcBit(a.svc)
}

// svcBit hashes a service prefix (of an action, lower-cased, or of an ARN)
// to one of 64 bits (FNV-1a).
func svcBit(svc string) uint64 {
	h := uint32(2166136261)
	for i := 0; i < len(svc); i++ {
		h = (h ^ uint32(svc[i])) * 16777619
	}
	return 1 << (h & 63)
}

func (a *actionPattern) match(e *env) bool {
	switch {
	case a.any:
		return true
	case !e.hasColon || len(a.svc) != e.colon:
		return false
	case len(a.svc) <= 8 && a.svc8 != e.svc8, len(a.svc) > 8 && a.svc != e.svc():
		return false
	}
	switch n, nameLen := int(a.litLen), len(e.action)-e.colon-1; a.short {
	case shortAny:
		return true
	case shortPrefix:
		return nameLen >= n && e.name8&(1<<(8*n)-1) == a.lit8
	case shortExact:
		return nameLen == n && e.name8 == a.lit8
	}
	return a.name.Match(e.name())
}

// compileResource compiles a validated Resource entry. Variables are allowed
// "only in the resource portion of the ARN... You can't use a variable to
// replace parts of the ARN before the fifth colon" ("IAM policy elements:
// Variables and tags"); elsewhere "${...}" is literal text.
func compileResource(s string, vars bool) (resourcePattern, error) {
	pat, err := arn.ParsePattern(s)
	if err != nil {
		return resourcePattern{}, err
	}
	r := resourcePattern{pat: pat}
	if vars && pat.Segments() == 6 {
		if t := condition.ParseTemplate(pat.Segment(5), true); !t.IsLiteral() {
			r.tmpl, r.hasTmpl, r.head = t, true, t.LiteralPrefix()
		}
	}
	return r, nil
}

func (r *resourcePattern) match(e *env) bool {
	if !r.hasTmpl {
		return r.pat.MatchParts(&e.resource)
	}
	if !r.pat.MatchPrefix(&e.resource) {
		return false
	}
	last := r.pat.LastValue(&e.resource)
	if !strings.HasPrefix(last, r.head) {
		return false
	}
	if matched, handled := r.tmpl.MatchPattern(e.ctx, last); handled {
		return matched
	}
	var buf [256]byte
	p, ok := r.tmpl.AppendPattern(buf[:0], e.ctx)
	return ok && arn.MatchQuoted(p, last)
}

// resourceBit is the bit of the service segment of a Resource pattern for
// the statement's resource prefilter, or all ones when the pattern can
// match resources of any service.
func resourceBit(r *resourcePattern) uint64 {
	if r.pat.IsAny() || r.pat.Segments() < 4 {
		return ^uint64(0) // "*", or a short pattern whose last segment spans the service
	}
	if svc := r.pat.Service(); !arn.HasWildcard(svc) {
		return svcBit(svc)
	}
	return ^uint64(0)
}

// prefilter rejects, with two ANDs, most statements that cannot apply: those
// whose Action names no service hashing like the request's action's, and
// those whose Resource names no service hashing like the request
// resource's.
func (c *compiled) prefilter(e *env) bool {
	return c.svcMask&e.svcBit != 0 && e.resBit&^c.resSkip != 0
}

// applies reports whether the statement applies to the request and, for a
// statement with a Principal element, how it names the caller. The
// permissions-boundary rule of NotPrincipal applies to Deny statements only.
func (c *compiled) applies(e *env) (bool, grant) {
	if !c.matchActions(e) || !c.matchResources(e) {
		return false, grantNone
	}
	g := grantDirect // identity policies: the principal is the attached identity
	if c.principal != nil {
		if c.notPrincipal {
			if c.principal.excludes(e.principal, c.deny && e.boundary) {
				return false, grantNone
			}
		} else if g = c.principal.match(e.principal); g == grantNone {
			return false, grantNone
		}
	}
	for _, cond := range c.conds {
		if !cond.Eval(e.ctx) {
			return false, grantNone
		}
	}
	return true, g
}

func (c *compiled) matchActions(e *env) bool {
	for i := range c.actions {
		if c.actions[i].match(e) {
			return !c.notAction
		}
	}
	return c.notAction
}

func (c *compiled) matchResources(e *env) bool {
	if c.anyResource {
		return true
	}
	for i := range c.resources {
		if c.resources[i].match(e) {
			return !c.notResource
		}
	}
	return c.notResource
}
