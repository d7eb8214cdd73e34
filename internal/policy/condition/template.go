package condition

import (
	"strings"
	"unicode/utf8"

	"github.com/grantd/grantd/internal/arn"
)

// Template is a policy string that may contain policy variables, as described
// in the IAM User Guide, "IAM policy elements: Variables and tags"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
//
//   - ${key} is replaced by the single value of a request-context key, such
//     as ${aws:username}, ${aws:PrincipalTag/team} or ${s3:prefix}. Key names
//     are case-insensitive.
//   - ${key, 'default'} uses default when the key is absent.
//   - ${*}, ${?} and ${$} stand for a literal `*`, `?` and `$`; a `*` or `?`
//     written this way is never a wildcard.
//
// A variable whose key is absent (and has no default), or has other than
// exactly one value ("you cannot use a multivalued context key as a policy
// variable"), leaves the template unresolved: the Resource entry or
// condition value it belongs to does not match. Substituted values are
// always literal text: wildcard characters inside them match only
// themselves.
//
// Policies without Version 2012-10-17 do not support variables; their
// templates are literal text.
type Template struct {
	raw   string
	parts []part // nil when raw has no variables: raw is the whole story
	// As a pattern, the template is simple when its text has no wildcard
	// but, possibly, a final '*' (star): MatchPattern then compares it
	// piece by piece instead of building a quoted pattern.
	simple, star bool
}

type partKind uint8

const (
	partText partKind = iota // raw policy text; its wildcards are wildcards
	partChar                 // ${*}, ${?}, ${$}: one literal character
	partVar                  // ${key} or ${key, 'default'}
)

type part struct {
	kind   partKind
	text   string // partText: the text; partChar: the character
	key    string // partVar: lower-cased key
	def    string
	hasDef bool
}

// ParseTemplate compiles s. With vars false (a 2008-10-17 policy) it treats
// "${...}" as literal text.
func ParseTemplate(s string, vars bool) Template {
	t := Template{raw: s}
	i := -1
	if vars {
		i = strings.Index(s, "${")
	}
	if i < 0 {
		return t
	}
	n := 1 + strings.Count(s[i+2:], "${")
	t.parts = make([]part, 0, 2*n+1)
	rest := s
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i+2:], '}')
		if j < 0 {
			break
		}
		p, ok := parseVar(rest[i+2 : i+2+j])
		if !ok {
			t.parts = appendText(t.parts, rest[:i+2])
			rest = rest[i+2:]
			continue
		}
		t.parts = appendText(t.parts, rest[:i])
		t.parts = append(t.parts, p)
		rest = rest[i+2+j+1:]
	}
	if len(t.parts) == 0 {
		t.parts = nil // only literal "${" text: no variables after all
		return t
	}
	t.parts = appendText(t.parts, rest)
	t.simple, t.star = t.simplePattern()
	return t
}

// simplePattern reports whether the template's text, read as a pattern, has
// no wildcard other than a final '*' (star).
func (t *Template) simplePattern() (simple, star bool) {
	for i := range t.parts {
		p := &t.parts[i]
		if p.kind != partText {
			continue
		}
		text := p.text
		if i == len(t.parts)-1 {
			text, star = strings.CutSuffix(text, "*")
		}
		if strings.ContainsAny(text, "*?") {
			return false, false
		}
	}
	return true, star
}

func appendText(parts []part, s string) []part {
	if s == "" {
		return parts
	}
	if n := len(parts); n > 0 && parts[n-1].kind == partText {
		parts[n-1].text += s
		return parts
	}
	return append(parts, part{kind: partText, text: s})
}

// parseVar parses the inside of ${...}. An empty body is not a variable.
func parseVar(body string) (part, bool) {
	switch body {
	case "*", "?", "$":
		return part{kind: partChar, text: body}, true
	case "":
		return part{}, false
	}
	key, def, hasDef := strings.Cut(body, ",")
	key = strings.TrimSpace(key)
	if key == "" {
		return part{}, false
	}
	p := part{kind: partVar, key: lowerASCII(key)}
	if hasDef {
		def = strings.TrimSpace(def)
		if len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
			def = def[1 : len(def)-1]
		}
		p.def, p.hasDef = def, true
	}
	return p, true
}

// String returns the template as written in the policy.
func (t *Template) String() string { return t.raw }

// IsLiteral reports whether the template has no variables, so that String is
// its value (with IAM wildcard meaning where the operator has wildcards).
func (t *Template) IsLiteral() bool { return t.parts == nil }

// LiteralPrefix returns the text every resolution of the template starts
// with when used as a pattern: the policy text before the first variable or
// wildcard. Matchers use it to reject values cheaply.
func (t *Template) LiteralPrefix() string {
	text := t.raw
	if t.parts != nil {
		if t.parts[0].kind != partText {
			return ""
		}
		text = t.parts[0].text
	}
	if i := strings.IndexAny(text, "*?"); i >= 0 {
		text = text[:i]
	}
	return text
}

// Keys returns the lower-cased context keys the template reads.
func (t *Template) Keys() []string {
	var keys []string
	for _, p := range t.parts {
		if p.kind == partVar {
			keys = append(keys, p.key)
		}
	}
	return keys
}

// AppendText appends the resolved text of t to dst: variables substituted,
// ${*} as "*" and so on. It reports false if a variable cannot be resolved.
func (t *Template) AppendText(dst []byte, c *Context) ([]byte, bool) {
	if t.parts == nil {
		return append(dst, t.raw...), true
	}
	for i := range t.parts {
		p := &t.parts[i]
		switch p.kind {
		case partText, partChar:
			dst = append(dst, p.text...)
		case partVar:
			v, ok := p.resolve(c)
			if !ok {
				return dst, false
			}
			dst = append(dst, v...)
		}
	}
	return dst, true
}

// AppendPattern appends t to dst as a pattern for arn.MatchQuoted: text
// written in the policy keeps its wildcards, while substituted values and
// ${*}/${?} are quoted so that they match literally. It reports false if a
// variable cannot be resolved.
func (t *Template) AppendPattern(dst []byte, c *Context) ([]byte, bool) {
	if t.parts == nil {
		return arn.AppendPattern(dst, t.raw), true
	}
	for i := range t.parts {
		p := &t.parts[i]
		switch p.kind {
		case partText:
			dst = arn.AppendPattern(dst, p.text)
		case partChar:
			dst = arn.AppendQuoted(dst, p.text)
		case partVar:
			v, ok := p.resolve(c)
			if !ok {
				return dst, false
			}
			dst = arn.AppendQuoted(dst, v)
		}
	}
	return dst, true
}

// MatchPattern reports whether s matches t used as a pattern, as
// arn.MatchQuoted(AppendPattern(...), s) would: matched is false if a
// variable cannot be resolved. For a template that is not simple, or a
// variable value that is not valid UTF-8, it does not decide (handled is
// false) and the caller builds the pattern.
//
// A simple template is literal text, variable values and perhaps a final
// '*': valid UTF-8 literals match exactly when their bytes are a prefix of
// what is left of s, character by character as the glob compares them.
func (t *Template) MatchPattern(c *Context, s string) (matched, handled bool) {
	if !t.simple {
		return false, false
	}
	pos := 0
	for i := range t.parts {
		p := &t.parts[i]
		lit := p.text
		switch {
		case p.kind == partVar:
			v, ok := p.resolve(c)
			if !ok {
				return false, true
			}
			if !validUTF8(v) {
				return false, false
			}
			lit = v
		case t.star && i == len(t.parts)-1:
			lit = lit[:len(lit)-1]
		}
		if !strings.HasPrefix(s[pos:], lit) {
			return false, true
		}
		pos += len(lit)
	}
	return t.star || pos == len(s), true
}

// validUTF8 is utf8.ValidString with a quicker path for short ASCII
// strings, which variable values usually are.
func validUTF8(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return utf8.ValidString(s[i:])
		}
	}
	return true
}

func (p *part) resolve(c *Context) (string, bool) {
	vals, ok := c.Lookup(p.key)
	if ok && len(vals) == 1 {
		return vals[0], true
	}
	if p.hasDef {
		return p.def, true
	}
	return "", false
}
