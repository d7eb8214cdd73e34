package condition

import "strings"

// Boolean condition operator ("IAM JSON policy elements: Condition
// operators", Boolean condition operators): Bool compares a key to "true" or
// "false", case-insensitively. Policy variables are supported in the value.
// A request value other than true or false satisfies neither Bool nor its
// set-operator forms.

type boolMatcher struct {
	want  [2]bool // want[0]: a literal "false" is listed; want[1]: "true"
	tmpls []Template
}

func newBoolMatcher(cc *Compiler, _ string, values []string) *Cond {
	c, m := newCond(&cc.bools)
	vars := cc.Vars
	for _, v := range values {
		t := ParseTemplate(v, vars)
		if !t.IsLiteral() {
			m.tmpls = append(m.tmpls, t)
			continue
		}
		if b, ok := parseBool(v); ok {
			m.want[b2i(b)] = true
		}
	}
	return c
}

func (m *boolMatcher) match(c *Context, v string) (ok, hit bool) {
	b, ok := parseBool(v)
	if !ok {
		return false, false
	}
	if m.want[b2i(b)] {
		return true, true
	}
	for i := range m.tmpls {
		var buf [16]byte
		s, ok := m.tmpls[i].AppendText(buf[:0], c)
		if !ok {
			continue
		}
		if pb, ok := parseBool(view(s)); ok && pb == b {
			return true, true
		}
	}
	return true, false
}

func parseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
