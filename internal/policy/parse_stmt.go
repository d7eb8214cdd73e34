package policy

import (
	"errors"

	"github.com/grantd/grantd/internal/policy/condition"
)

// elems holds the elements of one statement object, found in one pass.
type elems struct {
	obj                           *tok
	sid, effect                   *tok
	principal, notPrincipal       *tok
	action, notAction             *tok
	resource, notResource, condit *tok
}

func (ps *parser) elements(obj *tok) (elems, error) {
	e := elems{obj: obj}
	for j, end := ps.first(obj); j < end; j = ps.t[j].next {
		m := &ps.t[j]
		switch k := ps.key(m); k {
		case "Sid":
			e.sid = m
		case "Effect":
			e.effect = m
		case "Principal":
			e.principal = m
		case "NotPrincipal":
			e.notPrincipal = m
		case "Action":
			e.action = m
		case "NotAction":
			e.notAction = m
		case "Resource":
			e.resource = m
		case "NotResource":
			e.notResource = m
		case "Condition":
			e.condit = m
		default:
			return e, ps.fail(ErrSyntax, k, m.start, msgSyntax, k, "unknown statement element "+k)
		}
	}
	return e, nil
}

// statement validates and compiles one statement object into st and c.
func (ps *parser) statement(obj *tok, idx int, st *Statement, c *compiled) error {
	*st = Statement{Index: idx, Start: ps.position(int(obj.start)), End: ps.position(int(obj.end)), c: c}
	es, err := ps.elements(obj)
	if err != nil {
		return err
	}
	e := &es

	// Elements are checked in this order, so a statement with several
	// problems reports the first one here.
	if err := ps.sidElem(e, st); err != nil {
		return err
	}
	if err := ps.effectElem(e, st); err != nil {
		return err
	}
	if err := ps.principalElems(e, st); err != nil {
		return err
	}
	if err := ps.actionElems(e, st); err != nil {
		return err
	}
	if err := ps.resourceElems(e, st); err != nil {
		return err
	}
	return ps.conditionElem(e, st)
}

func (ps *parser) sidElem(e *elems, st *Statement) error {
	v := e.sid
	if v == nil {
		return nil
	}
	if v.kind != jsonString {
		return ps.fail(ErrSyntax, "Sid", v.start, msgSyntax, "", "Sid is not a string")
	}
	return ps.sidValue(st, ps.text(v), v.start)
}

func alphanumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

func (ps *parser) effectElem(e *elems, st *Statement) error {
	v := e.effect
	if v == nil {
		return ps.fail(ErrMissing, "Effect", e.obj.start, msgEffectMissing, "", "no Effect element")
	}
	text := ps.text(v)
	if v.kind != jsonString {
		return ps.fail(ErrEffect, "Effect", v.start, msgEffectInvalid, text, "Effect is not a string")
	}
	switch text {
	case "Allow":
		st.Effect = EffectAllow
	case "Deny":
		st.Effect, st.c.deny = EffectDeny, true
	default:
		// Effect is case-sensitive: "allow" is rejected.
		return ps.fail(ErrEffect, "Effect", v.start, msgEffectInvalid, text, `Effect must be "Allow" or "Deny"`)
	}
	return nil
}

// stringList reads an element that is a string or a non-empty array of
// strings.
func (ps *parser) stringList(v *tok, field string, missing msgID) (list []string, single bool, err error) {
	switch v.kind {
	case jsonString:
		list = ps.strs.take(1)
		list[0] = ps.text(v)
		return list, true, nil
	case jsonArray:
		if v.n == 0 {
			return nil, false, ps.fail(ErrMissing, field, v.start, missing, "", field+" is an empty array")
		}
		list = ps.strs.take(int(v.n))
		i := 0
		for j, end := ps.first(v); j < end; j, i = ps.t[j].next, i+1 {
			x := &ps.t[j]
			if x.kind != jsonString {
				return nil, false, ps.fail(ErrSyntax, field, x.start, msgSyntax, "", field+" entries must be strings")
			}
			list[i] = ps.text(x)
		}
		return list, false, nil
	}
	return nil, false, ps.fail(ErrSyntax, field, v.start, msgSyntax, "", field+" is a "+v.kind.String())
}

// oneOf returns the element present among va (named a) and vb (named b),
// failing if both are.
func (ps *parser) oneOf(va, vb *tok, a, b string) (v *tok, name string, err error) {
	switch {
	case va != nil && vb != nil:
		return nil, "", ps.fail(ErrSyntax, b, vb.start, msgSyntax, "", "both "+a+" and "+b)
	case va != nil:
		return va, a, nil
	case vb != nil:
		return vb, b, nil
	}
	return nil, "", nil
}

func (ps *parser) conditionElem(e *elems, st *Statement) error {
	v := e.condit
	if v == nil {
		return nil
	}
	if v.kind != jsonObject {
		return ps.fail(ErrSyntax, "Condition", v.start, msgSyntax, "", "Condition is not an object")
	}
	text := ps.src[v.start:v.end]
	ce, k, found := ps.sc.condElems.find(text, "")
	if !found {
		var err error
		if ce, err = ps.compileConditions(v); err != nil {
			return err
		}
		ps.sc.condElems.put(k, text, "", ce)
	}
	st.Condition, st.c.conds = ce.conds, ce.evals
	return nil
}

// compileConditions validates and compiles the Condition element v.
func (ps *parser) compileConditions(v *tok) (condElem, error) {
	n := 0
	for j, end := ps.first(v); j < end; j = ps.t[j].next {
		n += int(ps.t[j].n)
	}
	ce := condElem{conds: ps.conds.take(n)[:0], evals: ps.evals.take(n)[:0]}
	for j, end := ps.first(v); j < end; j = ps.t[j].next {
		op := &ps.t[j]
		opName := ps.key(op)
		// Compile checks the operator of each entry; an empty block is
		// checked here.
		if (op.kind != jsonObject || op.n == 0) && !condition.ValidOperator(opName) {
			return ce, ps.fail(ErrCondition, "Condition", op.start, msgConditionType, opName, "unknown condition operator")
		}
		if op.kind != jsonObject {
			return ce, ps.fail(ErrSyntax, "Condition", op.start, msgSyntax, "", "condition block is not an object")
		}
		for k, kend := ps.first(op); k < kend; k = ps.t[k].next {
			if err := ps.conditionEntry(opName, &ps.t[k], &ce); err != nil {
				return ce, err
			}
		}
	}
	return ce, nil
}

func (ps *parser) conditionEntry(op string, m *tok, ce *condElem) error {
	// The entry's text, from its key's opening quote to the end of its
	// values, determines the key and values.
	entry := ps.src[m.kstart-1 : m.end]
	k, found := ps.cachedEntry(entry, op, ce)
	if found {
		return nil
	}
	values, single, err := ps.conditionValues(m)
	if err != nil {
		return ps.fail(ErrSyntax, "Condition", m.start, msgSyntax, "", err.Error())
	}
	return ps.compileEntry(k, entry, op, ps.key(m), values, single, m.start, ce)
}

// conditionValues accepts a string, number or boolean, or an array of them;
// IAM accepts unquoted numbers and booleans ("Bool": {"aws:SecureTransport":
// false}) and compares their text.
func (ps *parser) conditionValues(v *tok) ([]string, bool, error) {
	scalar := func(x *tok) bool {
		return x.kind == jsonString || x.kind == jsonNumber || x.kind == jsonBool
	}
	if scalar(v) {
		values := ps.strs.take(1)
		values[0] = ps.text(v)
		return values, true, nil
	}
	if v.kind != jsonArray {
		return nil, false, errors.New("condition value is a " + v.kind.String())
	}
	values := ps.strs.take(int(v.n))
	i := 0
	for j, end := ps.first(v); j < end; j, i = ps.t[j].next, i+1 {
		x := &ps.t[j]
		if !scalar(x) {
			return nil, false, errors.New("condition value is a " + x.kind.String())
		}
		values[i] = ps.text(x)
	}
	return values, false, nil
}
