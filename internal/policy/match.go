package policy

import (
	"strings"

	"github.com/grantd/grantd/internal/arn"
	"github.com/grantd/grantd/internal/policy/condition"
)

// actionPattern is a compiled Action/NotAction entry. IAM matches actions
// case-insensitively ("IAM JSON policy elements: Action"), so the service
// prefix and name are stored lower-cased and compared with ASCII folding.
type actionPattern struct {
	any     bool   // "*"
	svc     string // service prefix, no wildcards
	name    string // action-name pattern
	nameAny bool   // name is "*"
	glob    bool   // name has wildcards
}

func compileAction(s string) actionPattern {
	if s == "*" {
		return actionPattern{any: true}
	}
	svc, name, _ := strings.Cut(s, ":")
	return actionPattern{
		svc:     strings.ToLower(svc),
		name:    strings.ToLower(name),
		nameAny: name == "*",
		glob:    arn.HasWildcard(name),
	}
}

func (a *actionPattern) match(e *env) bool {
	switch {
	case a.any:
		return true
	case !e.hasColon || !strings.EqualFold(a.svc, e.svc):
		return false
	case a.nameAny:
		return true
	case a.glob:
		return arn.MatchFold(a.name, e.name)
	}
	return strings.EqualFold(a.name, e.name)
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
			r.tmpl = &t
		}
	}
	return r, nil
}

func (r *resourcePattern) match(e *env) bool {
	if r.tmpl == nil {
		return r.pat.MatchParts(&e.resource)
	}
	if !r.pat.MatchPrefix(&e.resource) {
		return false
	}
	var buf [256]byte
	p, ok := r.tmpl.AppendPattern(buf[:0], e.ctx)
	return ok && arn.MatchQuoted(p, r.pat.LastValue(&e.resource))
}

// applies reports whether the statement applies to the request and, for a
// statement with a Principal element, how it names the caller.
func (c *compiled) applies(e *env) (bool, grant) {
	if !c.matchActions(e) || !c.matchResources(e) {
		return false, grantNone
	}
	g := grantDirect // identity policies: the principal is the attached identity
	if c.principal != nil {
		if c.notPrincipal {
			if c.principal.excludes(e.principal, e.boundary) {
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
