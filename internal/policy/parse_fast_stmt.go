package policy

import (
	"strings"

	"github.com/grantd/grantd/internal/policy/condition"
)

// elemSet is a set of statement elements, one bit each.
type elemSet uint16

const (
	elSid elemSet = 1 << iota
	elEffect
	elPrincipal
	elNotPrincipal
	elAction
	elNotAction
	elResource
	elNotResource
	elCondition
)

// elemBit returns the bit of the element called name, or 0.
func elemBit(name string) elemSet {
	switch name {
	case "Sid":
		return elSid
	case "Effect":
		return elEffect
	case "Principal":
		return elPrincipal
	case "NotPrincipal":
		return elNotPrincipal
	case "Action":
		return elAction
	case "NotAction":
		return elNotAction
	case "Resource":
		return elResource
	case "NotResource":
		return elNotResource
	case "Condition":
		return elCondition
	}
	return 0
}

// elemName reads the name of a statement element and its colon. Element
// names are few and known, so it compares them directly with the
// document, falling back to name for any other.
func (f *fastReader) elemName() (elemSet, string, bool) {
	if f.peek() != '"' {
		return 0, "", false
	}
	r := f.s[f.i+1:]
	var (
		bit  elemSet
		name string
	)
	switch {
	case strings.HasPrefix(r, `Effect"`):
		bit, name = elEffect, "Effect"
	case strings.HasPrefix(r, `Action"`):
		bit, name = elAction, "Action"
	case strings.HasPrefix(r, `Resource"`):
		bit, name = elResource, "Resource"
	case strings.HasPrefix(r, `Sid"`):
		bit, name = elSid, "Sid"
	case strings.HasPrefix(r, `Condition"`):
		bit, name = elCondition, "Condition"
	default:
		name, ok := f.name()
		return elemBit(name), name, ok
	}
	f.i += len(name) + 2
	if f.peek() != ':' {
		return 0, "", false
	}
	f.i++
	return bit, name, true
}

// statement reads statement idx into the scratch arrays.
func (f *fastReader) statement(idx int) bool {
	ps := f.ps
	if f.peek() != '{' {
		return false
	}
	start := f.i
	f.sc.stmts = append(f.sc.stmts, Statement{Index: idx})
	f.sc.comps = append(f.sc.comps, compiled{})
	st, c := &f.sc.stmts[idx], &f.sc.comps[idx]
	ps.stmt, ps.sid = idx, ""
	empty, _ := f.open('{')
	var seen elemSet
	for more := !empty; more; {
		bit, name, ok := f.elemName()
		if !ok || bit == 0 || seen&bit != 0 || !f.element(bit, name, st, c) {
			return false
		}
		seen |= bit
		if more, ok = f.next('}'); !ok {
			return false
		}
	}
	st.Start, st.End = ps.position(start), ps.position(f.i)
	c.anyResource = ps.kind == Trust
	return f.complete(seen) && ps.uniqueSid(st, int32(start)) == nil
}

// complete reports whether a statement has the elements its policy's kind
// requires, and none it prohibits.
func (f *fastReader) complete(seen elemSet) bool {
	one := func(a, b elemSet) bool { x := seen & (a | b); return x == a || x == b }
	if seen&elEffect == 0 || !one(elAction, elNotAction) {
		return false
	}
	switch f.ps.kind {
	case Identity:
		return seen&(elPrincipal|elNotPrincipal) == 0 && one(elResource, elNotResource)
	case Resource:
		return one(elPrincipal, elNotPrincipal) && one(elResource, elNotResource)
	}
	return seen&elPrincipal != 0 && seen&(elNotPrincipal|elResource|elNotResource) == 0
}

// element reads the value of the element called name into st and c.
func (f *fastReader) element(bit elemSet, name string, st *Statement, c *compiled) bool {
	ps := f.ps
	switch bit {
	case elSid:
		v, ok := f.str()
		return ok && ps.sidValue(st, v, 0) == nil
	case elEffect:
		f.ws()
		switch r := f.s[f.i:]; {
		case strings.HasPrefix(r, `"Allow"`):
			st.Effect, f.i = EffectAllow, f.i+len(`"Allow"`)
		case strings.HasPrefix(r, `"Deny"`):
			st.Effect, c.deny, f.i = EffectDeny, true, f.i+len(`"Deny"`)
		default:
			return false
		}
		return true
	case elPrincipal, elNotPrincipal:
		return f.principal(name, st, c)
	case elAction, elNotAction:
		return f.actions(name, st, c)
	case elResource, elNotResource:
		return ps.kind != Trust && f.resources(name, st, c)
	}
	return f.conditions(st, c)
}

// actions reads an Action or NotAction element.
func (f *fastReader) actions(name string, st *Statement, c *compiled) bool {
	ps := f.ps
	list, text, single, ok := f.strings()
	if !ok {
		return false
	}
	ae, k, found := ps.sc.actionElems.find(text, name)
	if !found {
		var err error
		if ae, err = ps.actionList(ps.keep(list), name, 0); err != nil {
			return false
		}
		ps.sc.actionElems.put(k, text, name, ae)
	}
	setActions(st, c, &ae, name, single)
	return true
}

// resources reads a Resource or NotResource element.
func (f *fastReader) resources(name string, st *Statement, c *compiled) bool {
	ps := f.ps
	list, text, single, ok := f.strings()
	if !ok {
		return false
	}
	re, k, found := ps.sc.resourceElems.find(text, name)
	if !found {
		var err error
		if re, err = ps.resourceList(ps.keep(list), name, 0); err != nil {
			return false
		}
		ps.sc.resourceElems.put(k, text, name, re)
	}
	setResources(st, c, &re, name, single)
	return true
}

// principal reads a Principal or NotPrincipal element: "*" or an object of
// principal types.
func (f *fastReader) principal(name string, st *Statement, c *compiled) bool {
	ps := f.ps
	if ps.kind == Identity || ps.kind == Trust && name == "NotPrincipal" {
		return false
	}
	pr := &Principals{set: &principalSet{}}
	if f.peek() == '"' {
		v, ok := f.str()
		if !ok || v != "*" {
			return false
		}
		pr.All, pr.set.all = true, true
	} else if !f.principalTypes(pr, name) {
		return false
	}
	setPrincipals(st, c, pr, name)
	return true
}

// principalTypes reads the object of principal types of a Principal or
// NotPrincipal element.
func (f *fastReader) principalTypes(pr *Principals, field string) bool {
	if empty, ok := f.open('{'); !ok || empty {
		return false
	}
	var seen uint8
	for more := true; more; {
		typ, ok := f.name()
		var bit uint8
		switch typ {
		case "AWS":
			bit = 1
		case "Service":
			bit = 2
		case "Federated":
			bit = 4
		case "CanonicalUser":
			bit = 8
		}
		if !ok || bit == 0 || seen&bit != 0 {
			return false
		}
		seen |= bit
		list, _, single, ok := f.strings()
		if !ok || f.ps.principalEntry(pr, typ, f.ps.keep(list), single, field, 0) != nil {
			return false
		}
		if more, ok = f.next('}'); !ok {
			return false
		}
	}
	return true
}

// keep copies a list from the scratch buffer into the policy's slab.
func (ps *parser) keep(list []string) []string {
	l := ps.strs.take(len(list))
	copy(l, list)
	return l
}

// fastEntry is a condition entry read on the fast path, before it is
// compiled: its values are vals[lo:hi] of the scratch memory.
type fastEntry struct {
	op, key string
	entry   string // from the key's opening quote to the end of the values
	lo, hi  int
	single  bool
}

// conditions reads a Condition element; a Condition the document has had
// before is not compiled again.
func (f *fastReader) conditions(st *Statement, c *compiled) bool {
	ps := f.ps
	f.ws()
	start := f.i
	if !f.readConditions() {
		return false
	}
	text := f.s[start:f.i]
	ce, k, found := ps.sc.condElems.find(text, "")
	if !found {
		var ok bool
		if ce, ok = f.compileConditions(); !ok {
			return false
		}
		ps.sc.condElems.put(k, text, "", ce)
	}
	st.Condition, c.conds = ce.conds, ce.evals
	return true
}

// compileConditions compiles the entries readConditions read.
func (f *fastReader) compileConditions() (condElem, bool) {
	ps, sc := f.ps, f.sc
	n := len(sc.entries)
	ce := condElem{conds: ps.conds.take(n)[:0], evals: ps.evals.take(n)[:0]}
	for i := range sc.entries {
		e := &sc.entries[i]
		k, found := ps.cachedEntry(e.entry, e.op, &ce)
		if found {
			continue
		}
		values := ps.keep(sc.vals[e.lo:e.hi])
		if ps.compileEntry(k, e.entry, e.op, e.key, values, e.single, 0, &ce) != nil {
			return ce, false
		}
	}
	return ce, true
}

// maxFastMembers bounds the operators of a Condition and the keys of an
// operator block on the fast path, which finds duplicates by comparing
// each with those before it.
const maxFastMembers = 32

// readConditions reads a Condition object into the scratch entries.
func (f *fastReader) readConditions() bool {
	sc := f.sc
	sc.entries, sc.vals, sc.ops = sc.entries[:0], sc.vals[:0], sc.ops[:0]
	empty, ok := f.open('{')
	for more := ok && !empty; more; {
		op, ok := f.name()
		if !ok || len(sc.ops) == maxFastMembers {
			return false
		}
		for _, prev := range sc.ops {
			if prev == op {
				return false
			}
		}
		sc.ops = append(sc.ops, op)
		if !f.opBlock(op) {
			return false
		}
		if more, ok = f.next('}'); !ok {
			return false
		}
	}
	return ok
}

// opBlock reads the entries of one operator block.
func (f *fastReader) opBlock(op string) bool {
	sc := f.sc
	empty, ok := f.open('{')
	if !ok || empty {
		return ok && condition.ValidOperator(op)
	}
	first := len(sc.entries)
	for more := true; more; {
		f.ws()
		quote := f.i
		key, ok := f.name()
		if !ok || len(sc.entries)-first == maxFastMembers {
			return false
		}
		for j := first; j < len(sc.entries); j++ {
			if sc.entries[j].key == key {
				return false
			}
		}
		lo := len(sc.vals)
		single, ok := f.values()
		if !ok {
			return false
		}
		sc.entries = append(sc.entries, fastEntry{op: op, key: key, entry: f.s[quote:f.i], lo: lo, hi: len(sc.vals), single: single})
		if more, ok = f.next('}'); !ok {
			return false
		}
	}
	return true
}

// values reads a condition value, a scalar or an array of scalars (possibly
// empty), into the scratch values.
func (f *fastReader) values() (single, ok bool) {
	if f.peek() != '[' {
		return true, f.scalar()
	}
	empty, _ := f.open('[')
	for more := !empty; more; {
		if !f.scalar() {
			return false, false
		}
		if more, ok = f.next(']'); !ok {
			return false, false
		}
	}
	return false, true
}

// scalar reads a string, number or boolean, whose text is its value.
func (f *fastReader) scalar() bool {
	c := f.peek()
	start, end := f.i, 0
	switch {
	case c == '"':
		s, ok := f.str()
		f.sc.vals = append(f.sc.vals, s)
		return ok
	case c == '-' || '0' <= c && c <= '9':
		end = numberEnd(f.s, start)
	case strings.HasPrefix(f.s[start:], "true"):
		end = start + len("true")
	case strings.HasPrefix(f.s[start:], "false"):
		end = start + len("false")
	}
	if end <= start {
		return false
	}
	f.i = end
	f.sc.vals = append(f.sc.vals, f.s[start:end])
	return true
}

// numberEnd returns the offset after the JSON number at s[i], or -1.
func numberEnd(s string, i int) int {
	digits := func() int {
		n := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i, n = i+1, n+1
		}
		return n
	}
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return -1
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return -1
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return -1
		}
	}
	return i
}
