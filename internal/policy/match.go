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
type actionPattern struct {
	any  bool   // "*"
	svc  string // lower-case service prefix, no wildcards
	name arn.Glob
}

func compileAction(s string, cc *condition.Compiler) actionPattern {
	if s == "*" {
		return actionPattern{any: true}
	}
	svc, name, _ := strings.Cut(cc.Lower(s), ":")
	return actionPattern{svc: svc, name: arn.CompileGlob(name, false)}
}

// bit is the pattern's service bit for the statement's prefilter.
func (a *actionPattern) bit() uint64 {
	if a.any {
		return ^uint64(0)
	}
	return svcBit(a.svc)
}

// svcBit hashes a lower-case service prefix to one of 64 bits (FNV-1a).
func svcBit(svc string) uint64 {
	h := uint32(2166136261)
	for i := 0; i < len(svc); i++ {
		h = (h ^ uint32(svc[i])) * 16777619
	}
	return 1 << (h & 63)
}

func (a *actionPattern) match(e *env) bool {
	return a.any || e.hasColon && a.svc == e.svc() && a.name.Match(e.name())
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
	var buf [256]byte
	p, ok := r.tmpl.AppendPattern(buf[:0], e.ctx)
	return ok && arn.MatchQuoted(p, last)
}

// applies reports whether the statement applies to the request and, for a
// statement with a Principal element, how it names the caller. The
// permissions-boundary rule of NotPrincipal applies to Deny statements only.
func (c *compiled) applies(e *env) (bool, grant) {
	// The service prefilter rejects most statements with one AND.
	if c.svcMask&e.svcBit == 0 || !c.matchActions(e) || !c.matchResources(e) {
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
