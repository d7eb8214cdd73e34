package condition

import (
	"strings"
	"unsafe"

	"github.com/grantd/grantd/internal/arn"
)

// String condition operators ("IAM JSON policy elements: Condition
// operators", String condition operators):
//
//	StringEquals, StringNotEquals                       exact, case-sensitive
//	StringEqualsIgnoreCase, StringNotEqualsIgnoreCase   exact, ignoring case
//	StringLike, StringNotLike                           `*` and `?` wildcards, case-sensitive
//
// Policy variables are supported in the values.

type strKind uint8

const (
	strEquals strKind = iota
	strFold
	strLike
)

type stringMatcher struct {
	kind  strKind
	lits  []string   // values without variables
	tmpls []Template // values with variables
}

func newStringMatcher(cc *Compiler, name string, values []string) *Cond {
	c, m := newCond(&cc.strs)
	vars := cc.Vars
	m.kind = strEquals
	switch name {
	case "stringequalsignorecase", "stringnotequalsignorecase":
		m.kind = strFold
	case "stringlike", "stringnotlike":
		m.kind = strLike
	}
	if !vars || !anyTemplate(values) {
		m.lits = values // the common case: no variables, no copy
		return c
	}
	for _, v := range values {
		t := ParseTemplate(v, vars)
		if t.IsLiteral() {
			m.lits = append(m.lits, v)
		} else {
			m.tmpls = append(m.tmpls, t)
		}
	}
	return c
}

func (m *stringMatcher) match(c *Context, v string) (ok, hit bool) {
	for _, l := range m.lits {
		if m.compare(l, v) {
			return true, true
		}
	}
	for i := range m.tmpls {
		if m.matchTemplate(&m.tmpls[i], c, v) {
			return true, true
		}
	}
	return true, false
}

func (m *stringMatcher) compare(lit, v string) bool {
	switch m.kind {
	case strFold:
		return strings.EqualFold(lit, v)
	case strLike:
		return arn.Match(lit, v)
	}
	return lit == v
}

// anyTemplate reports whether some value may hold a policy variable.
func anyTemplate(values []string) bool {
	for _, v := range values {
		if strings.Contains(v, "${") {
			return true
		}
	}
	return false
}

// matchTemplate resolves t into a stack buffer; an unresolvable variable
// makes this value not match.
func (m *stringMatcher) matchTemplate(t *Template, c *Context, v string) bool {
	var buf [256]byte
	if m.kind == strLike {
		if matched, handled := t.MatchPattern(c, v); handled {
			return matched
		}
		p, ok := t.AppendPattern(buf[:0], c)
		return ok && arn.MatchQuoted(p, v)
	}
	s, ok := t.AppendText(buf[:0], c)
	if !ok {
		return false
	}
	if m.kind == strFold {
		return strings.EqualFold(view(s), v)
	}
	return string(s) == v
}

// view returns b as a string without copying, for comparisons that do not
// retain it.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}
