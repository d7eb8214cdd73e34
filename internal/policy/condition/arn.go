package condition

import "github.com/grantd/grantd/internal/arn"

// ARN condition operators ("IAM JSON policy elements: Condition operators",
// Amazon Resource Name (ARN) condition operators): ArnEquals and ArnLike
// (identical), ArnNotEquals and ArnNotLike (identical). "Each of the six
// colon-delimited components of the ARN is checked separately and each can
// include multi-character match wildcards (*) or single-character match
// wildcards (?)"; matching is case-sensitive; policy variables are supported.
//
// Like the Resource element, a value with fewer than six components whose
// last component ends in `*` lets that component match the rest of the ARN,
// and the value "*" matches any string. Other values with fewer than six
// components never match. A request value that is not an ARN matches no
// value (so it satisfies ArnNotLike).

type arnMatcher struct {
	pats  []arn.Pattern
	tmpls []Template
}

func newARNMatcher(cc *Compiler, _ string, values []string) *Cond {
	c, m := newCond(&cc.arns)
	vars := cc.Vars
	for _, v := range values {
		t := ParseTemplate(v, vars)
		if !t.IsLiteral() {
			m.tmpls = append(m.tmpls, t)
			continue
		}
		if p, err := arn.ParsePattern(v); err == nil {
			m.pats = append(m.pats, p)
		}
	}
	return c
}

func (m *arnMatcher) match(c *Context, v string) (ok, hit bool) {
	parts := arn.Split(v)
	for i := range m.pats {
		if m.pats[i].MatchParts(&parts) {
			return true, true
		}
	}
	for i := range m.tmpls {
		var buf [256]byte
		p, ok := m.tmpls[i].AppendPattern(buf[:0], c)
		if ok && matchQuotedARN(p, &parts) {
			return true, true
		}
	}
	return true, false
}

// matchQuotedARN matches a quoted pattern (see arn.MatchQuoted) component by
// component, with the same rules as arn.Pattern.
func matchQuotedARN(p []byte, v *arn.Parts) bool {
	if len(p) == 1 && p[0] == '*' {
		return true
	}
	if !v.IsARN() {
		return false
	}
	var segs [6][]byte
	n := splitQuoted(p, &segs)
	if n < 6 && !endsWithStar(segs[n-1]) {
		return false
	}
	for i := 0; i < n-1; i++ {
		if !arn.MatchQuoted(segs[i], v.Segment(i)) {
			return false
		}
	}
	last := v.Segment(5)
	if n < 6 {
		last = v.Rest(n - 1)
	}
	return arn.MatchQuoted(segs[n-1], last)
}

// splitQuoted splits p at its first five unquoted colons and returns the
// number of components.
func splitQuoted(p []byte, segs *[6][]byte) int {
	n, start := 0, 0
	for i := 0; i < len(p) && n < 5; i++ {
		switch p[i] {
		case '\\':
			i++
		case ':':
			segs[n] = p[start:i]
			n++
			start = i + 1
		}
	}
	segs[n] = p[start:]
	return n + 1
}

// endsWithStar reports whether a quoted component ends in an unquoted `*`.
func endsWithStar(seg []byte) bool {
	if len(seg) == 0 || seg[len(seg)-1] != '*' {
		return false
	}
	bs := 0
	for i := len(seg) - 2; i >= 0 && seg[i] == '\\'; i-- {
		bs++
	}
	return bs%2 == 0
}
