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
	sc := scratches.Get().(*scratch)
	defer sc.release()
	src := string(doc)
	ps := &parser{kind: kind, src: src, stmt: -1, sc: sc}
	if p := (&Policy{kind: kind, src: src}); ps.fastParse(p) {
		return p, nil
	}
	sc.forget()
	return parseCareful(&parser{kind: kind, src: src, stmt: -1, sc: sc})
}

// parseCareful is Parse on the careful path: the document is checked as a
// whole onto a tape, then compiled from it element by element in the order
// that decides which of several problems is reported.
func parseCareful(ps *parser) (*Policy, error) {
	sc := ps.sc
	kind := ps.kind
	ascii, err := sc.json.parse(ps.src)
	if err != nil {
		var je *jsonError
		errors.As(err, &je)
		return nil, ps.fail(ErrSyntax, "", int32(je.off), msgJSON, "", je.msg)
	}
	ps.jp, ps.t, ps.ascii, ps.asciiKnown = &sc.json, sc.json.toks, ascii, true
	root := &ps.t[0]
	if root.kind != jsonObject {
		return nil, ps.fail(ErrSyntax, "", root.start, msgJSON, "", "document is not a JSON object")
	}
	p := &Policy{kind: kind, src: ps.src}
	if err := ps.document(root, p); err != nil {
		return nil, err
	}
	return p, nil
}

// parser carries what error messages need: the kind (for the wording), the
// source (for line and column) and the statement being parsed.
type parser struct {
	kind  Kind
	src   string
	vars  bool // Version 2012-10-17: policy variables are on
	sc    *scratch
	cc    condition.Compiler // allocates conditions and lower-cased text
	jp    *jsonParser
	t     []tok // the document's tape
	lines []int // offsets of line starts, built on first use
	ascii bool  // the document is ASCII: columns are byte offsets
	// asciiKnown is set once ascii is.
	asciiKnown bool
	cursor     cursor
	stmt       int
	sid        string

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
		if !ps.asciiKnown {
			ps.ascii, ps.asciiKnown = isASCII(ps.src), true
		}
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

// text returns the text of a scalar: a string's value, a number, true,
// false or null as written; "" for arrays and objects.
func (ps *parser) text(v *tok) string {
	switch v.kind {
	case jsonString:
		return ps.jp.text(v.start, v.end, v.esc)
	case jsonArray, jsonObject:
		return ""
	}
	return ps.src[v.start:v.end]
}

// key returns the member name of v, a value inside an object.
func (ps *parser) key(v *tok) string {
	if !v.kesc {
		return ps.src[v.kstart:v.kend]
	}
	return ps.jp.text(v.kstart-1, v.kend+1, true)
}

// first returns the first value inside container v and end the index just
// past its contents: for j := first; j < end; j = ps.t[j].next.
func (ps *parser) first(v *tok) (first, end int32) {
	return v.first, v.next
}

// document validates the top level: Version, Id and Statement.
func (ps *parser) document(root *tok, p *Policy) error {
	var version, id, stmts *tok
	for j, end := ps.first(root); j < end; j = ps.t[j].next {
		m := &ps.t[j]
		switch k := ps.key(m); k {
		case "Version":
			version = m
		case "Id":
			id = m
		case "Statement":
			stmts = m
		default:
			return ps.fail(ErrSyntax, k, m.start, msgSyntax, k, "unknown top-level element "+k)
		}
	}
	if v := version; v != nil {
		text := ps.text(v)
		if v.kind != jsonString || (text != Version2012 && text != Version2008) {
			return ps.fail(ErrVersion, "Version", v.start, msgVersion, text, "unsupported Version")
		}
		p.version = text
		ps.vars = text == Version2012
		ps.cc.Vars = ps.vars
	}
	if v := id; v != nil {
		if v.kind != jsonString {
			return ps.fail(ErrSyntax, "Id", v.start, msgSyntax, "", "Id is not a string")
		}
		p.id, p.hasID = ps.text(v), true
	}
	if stmts == nil {
		return ps.fail(ErrMissing, "Statement", root.start, msgStatementMissing, "", "no Statement element")
	}
	return ps.statements(stmts, p)
}

func (ps *parser) statements(sv *tok, p *Policy) error {
	first, end, n := sv.first-1, sv.first, 1 // a single statement: sv itself
	switch sv.kind {
	case jsonObject:
	case jsonArray:
		p.stmtsArray = true
		first, end, n = sv.first, sv.next, int(sv.n)
	default:
		return ps.fail(ErrSyntax, "Statement", sv.start, msgSyntax, "", "Statement is a "+sv.kind.String())
	}
	if n == 0 {
		return ps.fail(ErrMissing, "Statement", sv.start, msgStatementEmpty, "", "Statement is empty")
	}
	p.stmts = make([]Statement, n)
	comps := make([]compiled, n)
	p.comps = comps
	i := 0
	for j := first; j < end; j, i = ps.t[j].next, i+1 {
		obj := &ps.t[j]
		ps.stmt, ps.sid = i, ""
		if obj.kind != jsonObject {
			return ps.fail(ErrSyntax, "Statement", obj.start, msgSyntax, "", "statement is a "+obj.kind.String())
		}
		st := &p.stmts[i]
		if err := ps.statement(obj, i, st, &comps[i]); err != nil {
			return err
		}
		if err := ps.uniqueSid(st, obj.start); err != nil {
			return err
		}
	}
	return nil
}
