package policy

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
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

// String names the kind for error details.
func (k jsonKind) String() string {
	return [...]string{"null", "boolean", "number", "string", "array", "object"}[k]
}

// jsonValue is a parsed value with its byte span in the document. Object
// members are kids with their key set.
type jsonValue struct {
	key   string      // member name, for a value inside an object
	text  string      // string value (unescaped), number text, "true"/"false"
	kids  []jsonValue // array elements or object members, in order
	start int32       // offset of the first byte
	end   int32       // offset just after the last byte
	kind  jsonKind
}

// get returns the member named key, if present.
func (v *jsonValue) get(key string) (*jsonValue, bool) {
	for i := range v.kids {
		if v.kids[i].key == key {
			return &v.kids[i], true
		}
	}
	return nil, false
}

// jsonError is a syntax error at an offset.
type jsonError struct {
	off int
	msg string
}

// Error describes the syntax error and its offset.
func (e *jsonError) Error() string { return "offset " + strconv.Itoa(e.off) + ": " + e.msg }

const maxDepth = 64

type jsonParser struct {
	s     string
	i     int
	depth int
	// Scratch stack: members and elements are gathered here while their
	// container is open, then copied to the end of arena, which backs every
	// container's kids. Closed containers are never modified, so slices
	// into an arena array that append has since outgrown stay valid; the
	// whole tree costs a handful of allocations.
	stack []jsonValue
	arena []jsonValue
}

// maxDocument bounds documents so offsets fit in int32; callers enforce far
// smaller limits.
const maxDocument = 1 << 30

// parsers recycles parsers: the tree is scratch data (the policy keeps only
// strings, which point into the document), so its arena can be reused.
var parsers = sync.Pool{New: func() any { return new(jsonParser) }}

// release returns p to the pool, dropping its references to the document.
func (p *jsonParser) release() {
	clear(p.arena)
	clear(p.stack)
	*p = jsonParser{arena: p.arena[:0], stack: p.stack[:0]}
	parsers.Put(p)
}

// parseJSON parses a whole document, which must hold exactly one value. The
// tree stays valid until release is called on the returned parser.
func parseJSON(s string) (jsonValue, *jsonParser, error) {
	if len(s) > maxDocument {
		return jsonValue{}, nil, &jsonError{off: 0, msg: "document too large"}
	}
	if !utf8.ValidString(s) {
		return jsonValue{}, nil, &jsonError{off: 0, msg: "invalid UTF-8"}
	}
	p := parsers.Get().(*jsonParser)
	p.s = s
	// Every value but the top one follows a ',', '{' or '[', which bounds
	// the arena's size: once allocated it never grows, so the kids slices
	// handed out all share one array.
	if n := strings.Count(s, ",") + strings.Count(s, "{") + strings.Count(s, "["); cap(p.arena) < n {
		p.arena = make([]jsonValue, 0, n)
	}
	v, err := p.value()
	if err == nil {
		p.space()
		if p.i != len(s) {
			err = p.fail("data after the top-level value")
		}
	}
	if err != nil {
		p.release()
		return jsonValue{}, nil, err
	}
	return v, p, nil
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
	if p.i < len(p.s) {
		switch p.s[p.i] {
		case '{':
			return p.object()
		case '[':
			return p.array()
		}
	}
	var v jsonValue
	err := p.scalar(&v)
	return v, err
}

// push parses the next value onto the stack. Scalars, most of a document,
// are parsed in place rather than copied.
func (p *jsonParser) push(key string) error {
	p.space()
	if p.i < len(p.s) && (p.s[p.i] == '{' || p.s[p.i] == '[') {
		v, err := p.value()
		v.key = key
		p.stack = append(p.stack, v)
		return err
	}
	p.stack = append(p.stack, jsonValue{key: key})
	return p.scalar(&p.stack[len(p.stack)-1])
}

// scalar parses a string, number, true, false or null into v.
func (p *jsonParser) scalar(v *jsonValue) error {
	if p.i >= len(p.s) {
		return p.fail("unexpected end of input")
	}
	start := p.i
	v.start = int32(start)
	switch c := p.s[p.i]; {
	case c == '"':
		s, err := p.str()
		v.kind, v.text, v.end = jsonString, s, int32(p.i)
		return err
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number(v)
	}
	for _, lit := range [...]struct {
		word string
		kind jsonKind
	}{{"true", jsonBool}, {"false", jsonBool}, {"null", jsonNull}} {
		if strings.HasPrefix(p.s[p.i:], lit.word) {
			p.i += len(lit.word)
			v.kind, v.text, v.end = lit.kind, lit.word, int32(p.i)
			return nil
		}
	}
	return p.fail("invalid character")
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.fail("nesting too deep")
	}
	return nil
}

func (p *jsonParser) object() (jsonValue, error) {
	v := jsonValue{kind: jsonObject, start: int32(p.i)}
	if err := p.enter(); err != nil {
		return v, err
	}
	p.i++ // {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return p.close(v, len(p.stack)), nil
	}
	base := len(p.stack)
	for {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return v, p.fail("expected a member name")
		}
		key, err := p.str()
		if err != nil {
			return v, err
		}
		for i := base; i < len(p.stack); i++ {
			if p.stack[i].key == key {
				return v, p.fail("duplicate member " + strconv.Quote(key))
			}
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return v, p.fail("expected ':'")
		}
		p.i++
		if err := p.push(key); err != nil {
			return v, err
		}
		if done, err := p.next('}'); err != nil || done {
			return p.close(v, base), err
		}
	}
}

func (p *jsonParser) array() (jsonValue, error) {
	v := jsonValue{kind: jsonArray, start: int32(p.i)}
	if err := p.enter(); err != nil {
		return v, err
	}
	p.i++ // [
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return p.close(v, len(p.stack)), nil
	}
	base := len(p.stack)
	for {
		if err := p.push(""); err != nil {
			return v, err
		}
		if done, err := p.next(']'); err != nil || done {
			return p.close(v, base), err
		}
	}
}

// close finishes a container whose children are on the stack from base.
func (p *jsonParser) close(v jsonValue, base int) jsonValue {
	if n := len(p.stack) - base; n > 0 {
		start := len(p.arena)
		p.arena = append(p.arena, p.stack[base:]...)
		v.kids = p.arena[start:len(p.arena):len(p.arena)]
		clear(p.stack[base:])
		p.stack = p.stack[:base]
	}
	v.end, p.depth = int32(p.i), p.depth-1
	return v
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

func (p *jsonParser) number(v *jsonValue) error {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.s) && p.s[p.i] == '0':
		p.i++
	case p.digits() == 0:
		return p.fail("invalid number")
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			return p.fail("invalid number")
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return p.fail("invalid number")
		}
	}
	v.kind, v.text, v.end = jsonNumber, p.s[start:p.i], int32(p.i)
	return nil
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
	for {
		p.i += plainRun(p.s[p.i:])
		if p.i >= len(p.s) {
			return "", p.fail("unterminated string")
		}
		switch c := p.s[p.i]; {
		case c == '"':
			s := p.s[start:p.i]
			p.i++
			return s, nil
		case c == '\\':
			return p.escapedStr(start)
		default:
			return "", p.fail("control character in string")
		}
	}
}

// plainRun returns the length of the prefix of s without '"', '\\' or
// control characters, testing eight bytes at a time: strings are most of a
// policy document.
func plainRun(s string) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := load64(s, i)
		q, b := x^(lo*'"'), x^(lo*'\\')
		// A byte is flagged when it is zero in q or b, or below 0x20 in x;
		// the lowest flag is exact.
		m := ((q-lo)&^q | (b-lo)&^b | (x-lo*0x20)&^x) & hi
		if m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
	}
	return i
}

// load64 reads the eight bytes of s at i (i+8 <= len(s)) as one word.
func load64(s string, i int) uint64 {
	return binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
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
