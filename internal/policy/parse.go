package policy

import (
	"errors"
	"sort"
	"unicode/utf8"

	"github.com/grantd/grantd/internal/policy/condition"
)

// Parse validates doc as a policy of the given kind, the way IAM (identity
// and trust policies) or S3 (resource policies) validate a document they are
// given, and compiles it for evaluation. A rejected document yields an
// *Error. Size limits are the caller's concern.
//
// The grammar is the IAM User Guide's "Grammar of the IAM JSON policy
// language": Version is "2012-10-17" or "2008-10-17" (absent means
// 2008-10-17, without policy variables); Statement is one statement object
// or an array of them; each statement has Effect, exactly one of Action and
// NotAction, exactly one of Resource and NotResource (none in trust
// policies), Principal or NotPrincipal in resource and trust policies only,
// and an optional Condition. Element names are case-sensitive; unknown
// elements, duplicate members and wrong JSON types are errors.
func Parse(doc []byte, kind Kind) (*Policy, error) {
	if kind < Identity || kind > Trust {
		return nil, errors.New("policy: Parse: invalid Kind")
	}
	ps := &parser{kind: kind, src: string(doc), stmt: -1}
	root, err := parseJSON(ps.src)
	if err != nil {
		var je *jsonError
		errors.As(err, &je)
		return nil, ps.fail(ErrSyntax, "", je.off, msgJSON, "", je.msg)
	}
	if root.kind != jsonObject {
		return nil, ps.fail(ErrSyntax, "", root.start, msgJSON, "", "document is not a JSON object")
	}
	p := &Policy{kind: kind, src: ps.src}
	if err := ps.document(&root, p); err != nil {
		return nil, err
	}
	return p, nil
}

// parser carries what error messages need: the kind (for the wording), the
// source (for line and column) and the statement being parsed.
type parser struct {
	kind  Kind
	src   string
	vars  bool  // Version 2012-10-17: policy variables are on
	lines []int // offsets of line starts, built on first use
	stmt  int
	sid   string
}

func (ps *parser) fail(reason ErrorReason, field string, off int, id msgID, value, detail string) *Error {
	e := &Error{
		Reason:    reason,
		Statement: ps.stmt,
		Sid:       ps.sid,
		Field:     field,
		Value:     value,
		Message:   messageText(ps.kind, id, value),
		Detail:    detail,
	}
	if off >= 0 {
		pos := ps.position(off)
		e.Line, e.Column = pos.Line, pos.Column
	}
	return e
}

// position converts a byte offset into a 1-based line and column, counting
// columns in characters.
func (ps *parser) position(off int) Position {
	if ps.lines == nil {
		ps.lines = append(ps.lines, 0)
		for i := 0; i < len(ps.src); i++ {
			if ps.src[i] == '\n' {
				ps.lines = append(ps.lines, i+1)
			}
		}
	}
	off = min(off, len(ps.src))
	line := sort.Search(len(ps.lines), func(i int) bool { return ps.lines[i] > off }) - 1
	col := utf8.RuneCountInString(ps.src[ps.lines[line]:off]) + 1
	return Position{Line: line + 1, Column: col}
}

// document validates the top level: Version, Id and Statement.
func (ps *parser) document(root *jsonValue, p *Policy) error {
	for i := range root.mems {
		m := &root.mems[i]
		switch m.key {
		case "Version", "Id", "Statement":
		default:
			return ps.fail(ErrSyntax, m.key, m.value.start, msgSyntax, m.key, "unknown top-level element "+m.key)
		}
	}
	if v, ok := root.get("Version"); ok {
		if v.kind != jsonString || (v.text != Version2012 && v.text != Version2008) {
			return ps.fail(ErrVersion, "Version", v.start, msgVersion, v.text, "unsupported Version")
		}
		p.version = v.text
		ps.vars = v.text == Version2012
	}
	if v, ok := root.get("Id"); ok {
		if v.kind != jsonString {
			return ps.fail(ErrSyntax, "Id", v.start, msgSyntax, "", "Id is not a string")
		}
		p.id, p.hasID = v.text, true
	}
	sv, ok := root.get("Statement")
	if !ok {
		return ps.fail(ErrMissing, "Statement", root.start, msgStatementMissing, "", "no Statement element")
	}
	return ps.statements(sv, p)
}

func (ps *parser) statements(sv *jsonValue, p *Policy) error {
	var objs []jsonValue
	switch sv.kind {
	case jsonObject:
		objs = []jsonValue{*sv}
	case jsonArray:
		p.stmtsArray = true
		objs = sv.elems
	default:
		return ps.fail(ErrSyntax, "Statement", sv.start, msgSyntax, "", "Statement is a "+sv.kind.String())
	}
	if len(objs) == 0 {
		return ps.fail(ErrMissing, "Statement", sv.start, msgStatementEmpty, "", "Statement is empty")
	}
	p.stmts = make([]Statement, len(objs))
	sids := make(map[string]bool, len(objs))
	for i := range objs {
		ps.stmt, ps.sid = i, ""
		if objs[i].kind != jsonObject {
			return ps.fail(ErrSyntax, "Statement", objs[i].start, msgSyntax, "", "statement is a "+objs[i].kind.String())
		}
		st, err := ps.statement(&objs[i], i)
		if err != nil {
			return err
		}
		if st.Sid != "" {
			if sids[st.Sid] {
				return ps.fail(ErrSid, "Sid", objs[i].start, msgSidUnique, st.Sid, "duplicate Sid")
			}
			sids[st.Sid] = true
		}
		p.stmts[i] = st
	}
	return nil
}

var statementFields = map[string]bool{
	"Sid": true, "Effect": true, "Principal": true, "NotPrincipal": true, "Action": true,
	"NotAction": true, "Resource": true, "NotResource": true, "Condition": true,
}

// statement validates and compiles one statement object.
func (ps *parser) statement(obj *jsonValue, idx int) (Statement, error) {
	st := Statement{Index: idx, Start: ps.position(obj.start), End: ps.position(obj.end), c: &compiled{}}
	for i := range obj.mems {
		if k := obj.mems[i].key; !statementFields[k] {
			return st, ps.fail(ErrSyntax, k, obj.mems[i].value.start, msgSyntax, k, "unknown statement element "+k)
		}
	}
	// Elements are checked in this order, so a statement with several
	// problems reports the first one here.
	if err := ps.sidElem(obj, &st); err != nil {
		return st, err
	}
	if err := ps.effectElem(obj, &st); err != nil {
		return st, err
	}
	if err := ps.principalElems(obj, &st); err != nil {
		return st, err
	}
	if err := ps.actionElems(obj, &st); err != nil {
		return st, err
	}
	if err := ps.resourceElems(obj, &st); err != nil {
		return st, err
	}
	return st, ps.conditionElem(obj, &st)
}

func (ps *parser) sidElem(obj *jsonValue, st *Statement) error {
	v, ok := obj.get("Sid")
	if !ok {
		return nil
	}
	if v.kind != jsonString {
		return ps.fail(ErrSyntax, "Sid", v.start, msgSyntax, "", "Sid is not a string")
	}
	st.Sid, st.form.hasSid, ps.sid = v.text, true, v.text
	if ps.kind != Resource && !alphanumeric(v.text) {
		return ps.fail(ErrSid, "Sid", v.start, msgSidChars, v.text, "IAM Sids are alphanumeric")
	}
	return nil
}

func alphanumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

func (ps *parser) effectElem(obj *jsonValue, st *Statement) error {
	v, ok := obj.get("Effect")
	if !ok {
		return ps.fail(ErrMissing, "Effect", obj.start, msgEffectMissing, "", "no Effect element")
	}
	if v.kind != jsonString {
		return ps.fail(ErrEffect, "Effect", v.start, msgEffectInvalid, v.text, "Effect is not a string")
	}
	switch v.text {
	case "Allow":
		st.Effect = EffectAllow
	case "Deny":
		st.Effect = EffectDeny
	default:
		// Effect is case-sensitive: "allow" is rejected.
		return ps.fail(ErrEffect, "Effect", v.start, msgEffectInvalid, v.text, `Effect must be "Allow" or "Deny"`)
	}
	return nil
}

// stringList reads an element that is a string or a non-empty array of
// strings.
func (ps *parser) stringList(v *jsonValue, field string, missing msgID) (list []string, single bool, err error) {
	switch v.kind {
	case jsonString:
		return []string{v.text}, true, nil
	case jsonArray:
		if len(v.elems) == 0 {
			return nil, false, ps.fail(ErrMissing, field, v.start, missing, "", field+" is an empty array")
		}
		list = make([]string, len(v.elems))
		for i := range v.elems {
			if v.elems[i].kind != jsonString {
				return nil, false, ps.fail(ErrSyntax, field, v.elems[i].start, msgSyntax, "", field+" entries must be strings")
			}
			list[i] = v.elems[i].text
		}
		return list, false, nil
	}
	return nil, false, ps.fail(ErrSyntax, field, v.start, msgSyntax, "", field+" is a "+v.kind.String())
}

// oneOf returns the element present among a and b (and which), failing if
// both are.
func (ps *parser) oneOf(obj *jsonValue, a, b string) (v *jsonValue, name string, err error) {
	va, okA := obj.get(a)
	vb, okB := obj.get(b)
	switch {
	case okA && okB:
		return nil, "", ps.fail(ErrSyntax, b, vb.start, msgSyntax, "", "both "+a+" and "+b)
	case okA:
		return va, a, nil
	case okB:
		return vb, b, nil
	}
	return nil, "", nil
}

func (ps *parser) conditionElem(obj *jsonValue, st *Statement) error {
	v, ok := obj.get("Condition")
	if !ok {
		return nil
	}
	if v.kind != jsonObject {
		return ps.fail(ErrSyntax, "Condition", v.start, msgSyntax, "", "Condition is not an object")
	}
	for i := range v.mems {
		op := &v.mems[i]
		if !condition.ValidOperator(op.key) {
			return ps.fail(ErrCondition, "Condition", op.value.start, msgConditionType, op.key, "unknown condition operator")
		}
		if op.value.kind != jsonObject {
			return ps.fail(ErrSyntax, "Condition", op.value.start, msgSyntax, "", "condition block is not an object")
		}
		for j := range op.value.mems {
			if err := ps.conditionEntry(op.key, &op.value.mems[j], st); err != nil {
				return err
			}
		}
	}
	return nil
}

func (ps *parser) conditionEntry(op string, m *jsonMember, st *Statement) error {
	values, single, err := conditionValues(&m.value)
	if err != nil {
		return ps.fail(ErrSyntax, "Condition", m.value.start, msgSyntax, "", err.Error())
	}
	cond, err := condition.Compile(op, m.key, values, ps.vars)
	if err != nil {
		return ps.fail(ErrCondition, "Condition", m.value.start, msgConditionKey, m.key, err.Error())
	}
	st.Condition = append(st.Condition, Condition{Operator: op, Key: m.key, Values: values})
	st.form.condSingle = append(st.form.condSingle, single)
	st.c.conds = append(st.c.conds, cond)
	return nil
}

// conditionValues accepts a string, number or boolean, or an array of them;
// IAM accepts unquoted numbers and booleans ("Bool": {"aws:SecureTransport":
// false}) and compares their text.
func conditionValues(v *jsonValue) ([]string, bool, error) {
	scalar := func(x *jsonValue) bool {
		return x.kind == jsonString || x.kind == jsonNumber || x.kind == jsonBool
	}
	if scalar(v) {
		return []string{v.text}, true, nil
	}
	if v.kind != jsonArray {
		return nil, false, errors.New("condition value is a " + v.kind.String())
	}
	values := make([]string, len(v.elems))
	for i := range v.elems {
		if !scalar(&v.elems[i]) {
			return nil, false, errors.New("condition value is a " + v.elems[i].kind.String())
		}
		values[i] = v.elems[i].text
	}
	return values, false, nil
}
