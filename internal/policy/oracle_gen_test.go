package policy_test

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/grantd/grantd/internal/policy"
)

// pdoc is a generated policy document; it is kept structured so that the
// classification predicates can inspect it, and rendered to JSON once.
type pdoc struct {
	version string // "" leaves Version out
	stmts   []stmt
}

type stmt struct {
	effect                  string
	principal, notPrincipal *principalElem
	action, notAction       []string
	resource, notResource   []string // both empty: no Resource element (trust policies)
	conds                   []cond
}

type principalElem struct {
	star    bool // "Principal": "*"
	aws     []string
	service []string
}

type cond struct {
	op, key string
	values  []string
}

// names reports whether the element lists value as an AWS principal.
func (p *principalElem) names(value string) bool {
	return p != nil && slices.Contains(p.aws, value)
}

func (d *pdoc) json(r *rand.Rand) json.RawMessage {
	m := map[string]any{}
	if d.version != "" {
		m["Version"] = d.version
	}
	list := make([]any, len(d.stmts))
	for i := range d.stmts {
		list[i] = d.stmts[i].json(r)
	}
	m["Statement"] = list
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

// one writes a single value as a string half of the time, as IAM allows.
func one(r *rand.Rand, vs []string) any {
	if len(vs) == 1 && r.IntN(2) == 0 {
		return vs[0]
	}
	return vs
}

func (s *stmt) json(r *rand.Rand) map[string]any {
	m := map[string]any{"Effect": s.effect}
	set := func(name string, vs []string) {
		if len(vs) > 0 {
			m[name] = one(r, vs)
		}
	}
	if s.principal != nil {
		m["Principal"] = s.principal.json(r)
	}
	if s.notPrincipal != nil {
		m["NotPrincipal"] = s.notPrincipal.json(r)
	}
	set("Action", s.action)
	set("NotAction", s.notAction)
	set("Resource", s.resource)
	set("NotResource", s.notResource)
	if len(s.conds) > 0 {
		block := map[string]map[string]any{}
		for _, c := range s.conds {
			if block[c.op] == nil {
				block[c.op] = map[string]any{}
			}
			block[c.op][c.key] = one(r, c.values)
		}
		m["Condition"] = block
	}
	return m
}

func (p *principalElem) json(r *rand.Rand) any {
	if p.star {
		return "*"
	}
	m := map[string]any{}
	if len(p.aws) > 0 {
		m["AWS"] = one(r, p.aws)
	}
	if len(p.service) > 0 {
		m["Service"] = one(r, p.service)
	}
	return m
}

// genCase is one generated request with its policies.
type genCase struct {
	id              int
	caller          *caller
	action          requestAction
	resource        string
	resourceAccount string
	identity        []pdoc
	boundary        *pdoc
	session         []pdoc
	resPolicy       *pdoc
	resKind         policy.Kind // Resource, or Trust for sts:AssumeRole
	ctx             []ctxEntry
}

type ctxEntry struct {
	key   string
	vals  []string
	multi bool
}

func (c *genCase) ctxValues(key string) ([]string, bool) {
	for _, e := range c.ctx {
		if strings.EqualFold(e.key, key) {
			return e.vals, true
		}
	}
	return nil, false
}

// gen draws cases from a seeded source; the same seed gives the same cases.
type gen struct {
	r *rand.Rand
}

func newGen(seed uint64) *gen { return &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// some returns 1 to max distinct values of xs.
func (g *gen) some(xs []string, max int) []string {
	n := 1 + g.r.IntN(max)
	out := make([]string, 0, n)
	for _, i := range g.r.Perm(len(xs)) {
		if len(out) == n {
			break
		}
		out = append(out, xs[i])
	}
	return out
}

// subset returns 0 to len(xs) distinct values of xs.
func (g *gen) subset(xs []string) []string {
	out := []string{}
	for _, x := range xs {
		if g.chance(0.5) {
			out = append(out, x)
		}
	}
	return out
}

func (g *gen) newCase(id int) *genCase {
	c := &genCase{id: id, caller: callers[g.r.IntN(len(callers))], resKind: policy.Resource}
	c.action = requestActions[g.r.IntN(len(requestActions))]
	c.resource = g.pick(requestResources[c.action.kind])
	switch c.action.kind {
	case object, bucket:
		// S3 ARNs carry no account: the bucket owner is either account.
		c.resourceAccount = g.pick([]string{acctA, acctB})
	default:
		c.resourceAccount = strings.Split(c.resource, ":")[4]
	}
	c.ctx = g.context(c)
	if c.caller.hasPrincipalPolicies() {
		for n := g.r.IntN(4); n > 0; n-- {
			c.identity = append(c.identity, g.doc(c, policy.Identity, 0.8))
		}
		if g.chance(0.3) {
			d := g.doc(c, policy.Identity, 0.85)
			c.boundary = &d
		}
		if c.caller.typ() != policy.User && g.chance(0.4) {
			for n := 1 + g.r.IntN(2); n > 0; n-- {
				d := g.doc(c, policy.Identity, 0.85)
				d.version = policy.Version2012 // merged into one document for the oracle
				c.session = append(c.session, d)
			}
		}
	}
	switch {
	case c.action.kind == role:
		if g.chance(0.9) {
			c.resKind = policy.Trust
			d := g.doc(c, policy.Trust, 0.8)
			c.resPolicy = &d
		}
	case g.chance(0.65):
		d := g.doc(c, policy.Resource, 0.7)
		c.resPolicy = &d
	}
	return c
}

// doc generates a policy of the given kind with 1 to 3 statements, each an
// Allow with probability allow.
func (g *gen) doc(c *genCase, kind policy.Kind, allow float64) pdoc {
	d := pdoc{version: policy.Version2012}
	switch x := g.r.IntN(1000); {
	case x < 12:
		d.version = policy.Version2008
	case x < 20:
		d.version = ""
	}
	for n := 1 + g.r.IntN(3); n > 0; n-- {
		d.stmts = append(d.stmts, g.stmt(c, kind, allow))
	}
	return d
}

func (g *gen) stmt(c *genCase, kind policy.Kind, allow float64) stmt {
	s := stmt{effect: "Allow"}
	if !g.chance(allow) {
		s.effect = "Deny"
	}
	if kind != policy.Identity {
		g.principals(c, kind, &s)
	}
	actions := g.actions(c, kind)
	if kind != policy.Trust && g.chance(0.15) {
		s.notAction = actions
	} else {
		s.action = actions
	}
	if kind != policy.Trust {
		resources := g.resources(c)
		if g.chance(0.15) {
			s.notResource = resources
		} else {
			s.resource = resources
		}
	}
	if g.chance(0.45) {
		s.conds = g.conditions(c)
	}
	return s
}

// trustOnlyActions are the other actions a trust policy may name.
var trustOnlyActions = []string{"*", "sts:TagSession", "sts:AssumeRoleWithSAML"}

func (g *gen) actions(c *genCase, kind policy.Kind) []string {
	others := otherActions
	if kind == policy.Trust {
		others = trustOnlyActions
	}
	n := 1 + g.r.IntN(2)
	out := make([]string, 0, n)
	for ; n > 0; n-- {
		a := g.pick(others)
		if g.chance(0.65) {
			a = g.pick(c.action.patterns)
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

func (g *gen) resources(c *genCase) []string {
	n := 1 + g.r.IntN(2)
	out := make([]string, 0, n)
	for ; n > 0; n-- {
		var r string
		switch x := g.r.IntN(100); {
		case x < 15:
			r = "*"
		case x < 85:
			r = g.pick(resourcePatterns[c.action.kind])
		default:
			r = g.pick(resourcePatterns[resKind(g.r.IntN(4))])
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// principals sets Principal or NotPrincipal. NotPrincipal is used mostly
// with Deny, as the IAM User Guide recommends, and never in trust policies.
func (g *gen) principals(c *genCase, kind policy.Kind, s *stmt) {
	e := &principalElem{}
	switch x := g.r.IntN(100); {
	case x < 12:
		e.star = true
	case x < 20 && c.caller.typ() != policy.Service:
		// {"AWS":"*"} with a service caller is a classified difference
		// (see oracle_classify_test.go); keep it rare.
		e.aws = []string{"*"}
	case x < 20:
		e.star = true
	case x < 30:
		e.service = g.some(servicePrincipals, 2)
		if c.caller.typ() == policy.Service && g.chance(0.6) {
			e.service[0] = c.caller.p.Service
		}
	default:
		e.aws = g.awsPrincipals(c)
		if g.chance(0.1) {
			e.service = []string{g.pick(servicePrincipals)}
		}
	}
	if kind == policy.Resource && g.chance(map[bool]float64{true: 0.05, false: 0.35}[s.effect == "Allow"]) {
		s.notPrincipal = e
		return
	}
	s.principal = e
}

func (g *gen) awsPrincipals(c *genCase) []string {
	related := relatedPrincipals(c.caller)
	n := 1 + g.r.IntN(3)
	out := make([]string, 0, n)
	for ; n > 0; n-- {
		v := g.pick(awsPrincipals)
		if v == "*" && c.caller.typ() == policy.Service && g.chance(0.8) {
			v = g.pick(awsPrincipals[1:]) // awsPrincipals[0] is "*"
		}
		if len(related) > 0 && g.chance(0.6) {
			v = g.pick(related)
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// context draws the request context: the caller's principal keys most of the
// time, and each other key that exists for the action with probability 0.6.
// Single-valued keys get one value; multivalued keys a subset of their
// members, possibly empty.
func (g *gen) context(c *genCase) []ctxEntry {
	var out []ctxEntry
	if g.chance(0.85) {
		pc := policy.NewContext(8)
		c.caller.p.AddToContext(pc)
		for _, k := range pc.Keys() {
			v, _ := pc.Get(k)
			out = append(out, ctxEntry{key: k, vals: v})
		}
	}
	for _, k := range keyDefs {
		if k.principal || !k.appliesTo(c.action.name) || !g.chance(0.6) {
			continue
		}
		if k.multi {
			out = append(out, ctxEntry{key: k.name, vals: g.subset(k.req), multi: true})
		} else {
			out = append(out, ctxEntry{key: k.name, vals: []string{g.pick(k.req)}})
		}
	}
	return out
}

// conditions draws one or two condition tests on distinct keys, mostly keys
// that can be in the request context (present or not).
func (g *gen) conditions(c *genCase) []cond {
	var out []cond
	used := map[string]bool{}
	for n := 1 + g.r.IntN(2); n > 0; n-- {
		k := keyDefs[g.r.IntN(len(keyDefs))]
		if !k.appliesTo(c.action.name) && g.chance(0.7) {
			continue
		}
		if used[k.name] {
			continue
		}
		used[k.name] = true
		out = append(out, g.condition(k))
	}
	return out
}

func (g *gen) condition(k *keyDef) cond {
	if g.chance(0.12) {
		return cond{op: "Null", key: k.name, values: g.some([]string{"true", "false"}, 2)}
	}
	var op string
	switch {
	case k.multi:
		// "Multivalued context keys require a condition set operator."
		op = g.pick([]string{"ForAllValues:", "ForAnyValue:"}) + g.pick([]string{"StringEquals", "StringLike", "StringNotEquals", "StringNotLike", "StringEqualsIgnoreCase"})
	default:
		op = g.pick(opsFor(k.kind))
		switch x := g.r.IntN(100); {
		case x < 6:
			op = "ForAnyValue:" + op
		case x < 9:
			op = "ForAllValues:" + op
		}
	}
	if g.chance(0.2) {
		op += "IfExists"
	}
	return cond{op: op, key: k.name, values: g.some(k.pol, 2)}
}
