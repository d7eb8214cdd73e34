package policy

import (
	"errors"
	"sort"
	"strings"
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
	root, jp, err := parseJSON(ps.src)
	if err != nil {
		var je *jsonError
		errors.As(err, &je)
		return nil, ps.fail(ErrSyntax, "", int32(je.off), msgJSON, "", je.msg)
	}
	defer jp.release()
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
	kind   Kind
	src    string
	vars   bool  // Version 2012-10-17: policy variables are on
	lines  []int // offsets of line starts, built on first use
	ascii  bool  // the document is ASCII: columns are byte offsets
	cursor cursor
	stmt   int
	sid    string

	// Slabs for the many small slices a policy holds: one allocation per
	// slab growth instead of one per slice.
	strs  slab[string]
	acts  slab[actionPattern]
	ress  slab[resourcePattern]
	conds slab[Condition]
	evals slab[*condition.Cond]
}

// slab hands out consecutive sub-slices of a shared backing array. Each
// sub-slice has its capacity capped at its length, so appending to one never
// overwrites another.
type slab[T any] struct {
	buf []T
}

func (s *slab[T]) take(n int) []T {
	if len(s.buf)+n > cap(s.buf) {
		s.buf = make([]T, 0, max(2*cap(s.buf), n, 16))
	}
	start := len(s.buf)
	s.buf = s.buf[:start+n]
	return s.buf[start : start+n : start+n]
}

func (ps *parser) fail(reason ErrorReason, field string, off int32, id msgID, value, detail string) *Error {
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
		pos := ps.position(int(off))
		e.Line, e.Column = pos.Line, pos.Column
	}
	return e
}

// position converts a byte offset into a 1-based line and column, counting
// columns in characters. Calls come with increasing offsets, so a cursor
// keeps the rune counting linear in the document size; an ASCII document
// needs no counting at all.
func (ps *parser) position(off int) Position {
	if ps.lines == nil {
		ps.lines = append(ps.lines, 0)
		for i := 0; ; {
			j := strings.IndexByte(ps.src[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			ps.lines = append(ps.lines, i)
		}
		ps.ascii = isASCII(ps.src)
	}
	off = min(off, len(ps.src))
	line := sort.Search(len(ps.lines), func(i int) bool { return ps.lines[i] > off }) - 1
	if ps.ascii {
		return Position{Line: line + 1, Column: off - ps.lines[line] + 1}
	}
	from, col := ps.lines[line], 1
	if c := ps.cursor; c.col > 0 && c.line == line && c.off <= off && c.off >= from {
		from, col = c.off, c.col
	}
	col += utf8.RuneCountInString(ps.src[from:off])
	ps.cursor = cursor{off: off, line: line, col: col}
	return Position{Line: line + 1, Column: col}
}

func isASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if load64(s, i)&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// cursor remembers the last position computed.
type cursor struct {
	off, line, col int
}

// document validates the top level: Version, Id and Statement.
func (ps *parser) document(root *jsonValue, p *Policy) error {
	for i := range root.kids {
		m := &root.kids[i]
		switch m.key {
		case "Version", "Id", "Statement":
		default:
			return ps.fail(ErrSyntax, m.key, m.start, msgSyntax, m.key, "unknown top-level element "+m.key)
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
		objs = sv.kids
	default:
		return ps.fail(ErrSyntax, "Statement", sv.start, msgSyntax, "", "Statement is a "+sv.kind.String())
	}
	if len(objs) == 0 {
		return ps.fail(ErrMissing, "Statement", sv.start, msgStatementEmpty, "", "Statement is empty")
	}
	p.stmts = make([]Statement, len(objs))
	comps := make([]compiled, len(objs))
	p.comps = comps
	sids := make(map[string]bool, len(objs))
	for i := range objs {
		ps.stmt, ps.sid = i, ""
		if objs[i].kind != jsonObject {
			return ps.fail(ErrSyntax, "Statement", objs[i].start, msgSyntax, "", "statement is a "+objs[i].kind.String())
		}
		st := &p.stmts[i]
		if err := ps.statement(&objs[i], i, st, &comps[i]); err != nil {
			return err
		}
		if st.Sid != "" {
			if sids[st.Sid] {
				return ps.fail(ErrSid, "Sid", objs[i].start, msgSidUnique, st.Sid, "duplicate Sid")
			}
			sids[st.Sid] = true
		}
	}
	return nil
}

// elems holds the elements of one statement object, found in one pass.
type elems struct {
	obj                           *jsonValue
	sid, effect                   *jsonValue
	principal, notPrincipal       *jsonValue
	action, notAction             *jsonValue
	resource, notResource, condit *jsonValue
}

func (ps *parser) elements(obj *jsonValue) (elems, error) {
	e := elems{obj: obj}
	for i := range obj.kids {
		m := &obj.kids[i]
		switch m.key {
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
			return e, ps.fail(ErrSyntax, m.key, m.start, msgSyntax, m.key, "unknown statement element "+m.key)
		}
	}
	return e, nil
}

// statement validates and compiles one statement object into st and c.
func (ps *parser) statement(obj *jsonValue, idx int, st *Statement, c *compiled) error {
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

func (ps *parser) effectElem(e *elems, st *Statement) error {
	v := e.effect
	if v == nil {
		return ps.fail(ErrMissing, "Effect", e.obj.start, msgEffectMissing, "", "no Effect element")
	}
	if v.kind != jsonString {
		return ps.fail(ErrEffect, "Effect", v.start, msgEffectInvalid, v.text, "Effect is not a string")
	}
	switch v.text {
	case "Allow":
		st.Effect = EffectAllow
	case "Deny":
		st.Effect, st.c.deny = EffectDeny, true
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
		list = ps.strs.take(1)
		list[0] = v.text
		return list, true, nil
	case jsonArray:
		if len(v.kids) == 0 {
			return nil, false, ps.fail(ErrMissing, field, v.start, missing, "", field+" is an empty array")
		}
		list = ps.strs.take(len(v.kids))
		for i := range v.kids {
			if v.kids[i].kind != jsonString {
				return nil, false, ps.fail(ErrSyntax, field, v.kids[i].start, msgSyntax, "", field+" entries must be strings")
			}
			list[i] = v.kids[i].text
		}
		return list, false, nil
	}
	return nil, false, ps.fail(ErrSyntax, field, v.start, msgSyntax, "", field+" is a "+v.kind.String())
}

// oneOf returns the element present among va (named a) and vb (named b),
// failing if both are.
func (ps *parser) oneOf(va, vb *jsonValue, a, b string) (v *jsonValue, name string, err error) {
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
	n := 0
	for i := range v.kids {
		n += len(v.kids[i].kids)
	}
	st.Condition = ps.conds.take(n)[:0]
	st.c.conds = ps.evals.take(n)[:0]
	for i := range v.kids {
		op := &v.kids[i]
		// Compile checks the operator of each entry; an empty block is
		// checked here.
		if (op.kind != jsonObject || len(op.kids) == 0) && !condition.ValidOperator(op.key) {
			return ps.fail(ErrCondition, "Condition", op.start, msgConditionType, op.key, "unknown condition operator")
		}
		if op.kind != jsonObject {
			return ps.fail(ErrSyntax, "Condition", op.start, msgSyntax, "", "condition block is not an object")
		}
		for j := range op.kids {
			if err := ps.conditionEntry(op.key, &op.kids[j], st); err != nil {
				return err
			}
		}
	}
	return nil
}

func (ps *parser) conditionEntry(op string, m *jsonValue, st *Statement) error {
	values, single, err := ps.conditionValues(m)
	if err != nil {
		return ps.fail(ErrSyntax, "Condition", m.start, msgSyntax, "", err.Error())
	}
	cond, err := condition.Compile(op, m.key, values, ps.vars)
	if ce, ok := err.(*condition.Error); ok && ce.Kind == condition.UnknownOperator {
		return ps.fail(ErrCondition, "Condition", m.start, msgConditionType, op, err.Error())
	}
	if err != nil {
		return ps.fail(ErrCondition, "Condition", m.start, msgConditionKey, m.key, err.Error())
	}
	st.Condition = append(st.Condition, Condition{Operator: op, Key: m.key, Values: values, single: single})
	st.c.conds = append(st.c.conds, cond)
	return nil
}

// conditionValues accepts a string, number or boolean, or an array of them;
// IAM accepts unquoted numbers and booleans ("Bool": {"aws:SecureTransport":
// false}) and compares their text.
func (ps *parser) conditionValues(v *jsonValue) ([]string, bool, error) {
	scalar := func(x *jsonValue) bool {
		return x.kind == jsonString || x.kind == jsonNumber || x.kind == jsonBool
	}
	if scalar(v) {
		values := ps.strs.take(1)
		values[0] = v.text
		return values, true, nil
	}
	if v.kind != jsonArray {
		return nil, false, errors.New("condition value is a " + v.kind.String())
	}
	values := ps.strs.take(len(v.kids))
	for i := range v.kids {
		if !scalar(&v.kids[i]) {
			return nil, false, errors.New("condition value is a " + v.kids[i].kind.String())
		}
		values[i] = v.kids[i].text
	}
	return values, false, nil
}
