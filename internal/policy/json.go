package policy

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A small strict JSON (RFC 8259) parser. encoding/json cannot report where a
// statement starts and ends (the simulator's MatchedStatements carry
// StartPosition/EndPosition), silently keeps the last of duplicate keys,
// and is slower for this job. Strings without escapes are sliced from the
// document, so parsing allocates little beyond the tree itself.

type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

func (k jsonKind) String() string {
	return [...]string{"null", "boolean", "number", "string", "array", "object"}[k]
}

// jsonValue is a parsed value with its byte span in the document.
type jsonValue struct {
	kind  jsonKind
	text  string // string value (unescaped), number text, "true"/"false"
	start int    // offset of the first byte
	end   int    // offset just after the last byte
	elems []jsonValue
	mems  []jsonMember
}

type jsonMember struct {
	key   string
	value jsonValue
}

// get returns the member named key, if present.
func (v *jsonValue) get(key string) (*jsonValue, bool) {
	for i := range v.mems {
		if v.mems[i].key == key {
			return &v.mems[i].value, true
		}
	}
	return nil, false
}

// jsonError is a syntax error at an offset.
type jsonError struct {
	off int
	msg string
}

func (e *jsonError) Error() string { return "offset " + strconv.Itoa(e.off) + ": " + e.msg }

const maxDepth = 64

type jsonParser struct {
	s     string
	i     int
	depth int
}

// parseJSON parses a whole document, which must hold exactly one value.
func parseJSON(s string) (jsonValue, error) {
	if !utf8.ValidString(s) {
		return jsonValue{}, &jsonError{off: 0, msg: "invalid UTF-8"}
	}
	p := &jsonParser{s: s}
	v, err := p.value()
	if err != nil {
		return jsonValue{}, err
	}
	p.space()
	if p.i != len(s) {
		return jsonValue{}, p.fail("data after the top-level value")
	}
	return v, nil
}

func (p *jsonParser) fail(msg string) error { return &jsonError{off: p.i, msg: msg} }

func (p *jsonParser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) value() (jsonValue, error) {
	p.space()
	if p.i >= len(p.s) {
		return jsonValue{}, p.fail("unexpected end of input")
	}
	start := p.i
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		return jsonValue{kind: jsonString, text: s, start: start, end: p.i}, err
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number()
	}
	for _, lit := range [...]struct {
		word string
		kind jsonKind
	}{{"true", jsonBool}, {"false", jsonBool}, {"null", jsonNull}} {
		if len(p.s)-p.i >= len(lit.word) && p.s[p.i:p.i+len(lit.word)] == lit.word {
			p.i += len(lit.word)
			return jsonValue{kind: lit.kind, text: lit.word, start: start, end: p.i}, nil
		}
	}
	return jsonValue{}, p.fail("invalid character")
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.fail("nesting too deep")
	}
	return nil
}

func (p *jsonParser) object() (jsonValue, error) {
	v := jsonValue{kind: jsonObject, start: p.i}
	if err := p.enter(); err != nil {
		return v, err
	}
	p.i++ // {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		v.end, p.depth = p.i, p.depth-1
		return v, nil
	}
	for {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return v, p.fail("expected a member name")
		}
		key, err := p.str()
		if err != nil {
			return v, err
		}
		if _, dup := v.get(key); dup {
			return v, p.fail("duplicate member " + strconv.Quote(key))
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return v, p.fail("expected ':'")
		}
		p.i++
		val, err := p.value()
		if err != nil {
			return v, err
		}
		v.mems = append(v.mems, jsonMember{key: key, value: val})
		if done, err := p.next('}'); err != nil || done {
			v.end, p.depth = p.i, p.depth-1
			return v, err
		}
	}
}

func (p *jsonParser) array() (jsonValue, error) {
	v := jsonValue{kind: jsonArray, start: p.i}
	if err := p.enter(); err != nil {
		return v, err
	}
	p.i++ // [
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		v.end, p.depth = p.i, p.depth-1
		return v, nil
	}
	for {
		val, err := p.value()
		if err != nil {
			return v, err
		}
		v.elems = append(v.elems, val)
		if done, err := p.next(']'); err != nil || done {
			v.end, p.depth = p.i, p.depth-1
			return v, err
		}
	}
}

// next consumes a ',' (more to come) or the closing byte (done).
func (p *jsonParser) next(closing byte) (done bool, err error) {
	p.space()
	if p.i >= len(p.s) {
		return false, p.fail("unexpected end of input")
	}
	switch p.s[p.i] {
	case ',':
		p.i++
		return false, nil
	case closing:
		p.i++
		return true, nil
	}
	return false, p.fail("expected ',' or '" + string(closing) + "'")
}

func (p *jsonParser) number() (jsonValue, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.s) && p.s[p.i] == '0':
		p.i++
	case p.digits() == 0:
		return jsonValue{}, p.fail("invalid number")
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			return jsonValue{}, p.fail("invalid number")
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return jsonValue{}, p.fail("invalid number")
		}
	}
	return jsonValue{kind: jsonNumber, text: p.s[start:p.i], start: start, end: p.i}, nil
}

func (p *jsonParser) digits() int {
	n := 0
	for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
		p.i++
		n++
	}
	return n
}

// str parses a string starting at the opening quote.
func (p *jsonParser) str() (string, error) {
	p.i++ // "
	start := p.i
	for p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == '"':
			s := p.s[start:p.i]
			p.i++
			return s, nil
		case c == '\\':
			return p.escapedStr(start)
		case c < 0x20:
			return "", p.fail("control character in string")
		default:
			p.i++
		}
	}
	return "", p.fail("unterminated string")
}

// escapedStr continues str once a backslash is seen, building a copy.
func (p *jsonParser) escapedStr(start int) (string, error) {
	b := []byte(p.s[start:p.i])
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return string(b), nil
		case c < 0x20:
			return "", p.fail("control character in string")
		case c != '\\':
			b = append(b, c)
			p.i++
			continue
		}
		p.i++ // backslash
		if p.i >= len(p.s) {
			break
		}
		e := p.s[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, err := p.unicodeEscape()
			if err != nil {
				return "", err
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", p.fail("invalid escape")
		}
	}
	return "", p.fail("unterminated string")
}

// unicodeEscape reads the hex digits of \uXXXX (and a following low
// surrogate escape, if the first is a high surrogate).
func (p *jsonParser) unicodeEscape() (rune, error) {
	r, ok := p.hex4()
	if !ok {
		return 0, p.fail("invalid \\u escape")
	}
	if !utf16.IsSurrogate(r) {
		return r, nil
	}
	if len(p.s)-p.i >= 6 && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
		save := p.i
		p.i += 2
		if r2, ok := p.hex4(); ok {
			if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
				return d, nil
			}
		}
		p.i = save
	}
	return 0, p.fail("unpaired surrogate in \\u escape")
}

func (p *jsonParser) hex4() (rune, bool) {
	if len(p.s)-p.i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range []byte(p.s[p.i : p.i+4]) {
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	p.i += 4
	return r, true
}

// appendJSONString appends s as a JSON string literal. s is valid UTF-8
// (the parser rejects anything else).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
