package policy

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A small strict JSON (RFC 8259) parser. encoding/json cannot report where a
// statement starts and ends (the simulator's MatchedStatements carry
// StartPosition/EndPosition), silently keeps the last of duplicate keys,
// and is slower for this job.
//
// The scanner checks the whole document in one iterative pass and writes a
// tape: one tok per value, in document order, holding only offsets into the
// document. The policy compiler walks the tape; strings are sliced from the
// document when they have no escapes (the common case), so nothing is
// copied, and the tape, having no pointers, costs the garbage collector
// nothing and is reused across parses.

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

// tok is one value of the tape. The contents of a container follow it;
// next skips them.
type tok struct {
	start, end   int32 // the value's bytes (a string's include its quotes)
	kstart, kend int32 // the member name, inside its quotes, of a value in an object
	next         int32 // index of the token after this value and its contents
	first        int32 // index of a container's first value (if it has one)
	n            int32 // number of elements or members of a container
	kind         jsonKind
	esc, kesc    bool // the string value or the member name has escapes
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
	i     int // position, for the slow paths (numbers, escapes)
	toks  []tok
	stack []frame // the containers not yet closed
	high  bool    // a byte that is not ASCII was seen in a string
	unesc []unescaped
}

// unescaped is the decoded text of a string with escapes, keyed by the offset
// of its opening quote. They are kept in document order.
type unescaped struct {
	off  int32
	text string
}

// maxDocument bounds documents so offsets fit in int32; callers enforce far
// smaller limits.
const maxDocument = 1 << 30

// reset drops p's references to the document, keeping its buffers.
func (p *jsonParser) reset() {
	clear(p.unesc)
	*p = jsonParser{toks: p.toks[:0], stack: p.stack[:0], unesc: p.unesc[:0]}
}

// parse parses a whole document, which must hold exactly one value, into a
// tape whose first token is that value. ascii reports that the document is
// all ASCII. The tape stays valid until reset.
func (p *jsonParser) parse(s string) (ascii bool, err error) {
	if len(s) > maxDocument {
		return false, &jsonError{off: 0, msg: "document too large"}
	}
	p.s = s
	err = p.scan()
	// Bytes that are not ASCII are legal only inside strings, which the
	// scanner watches for them, so a document without syntax errors and
	// with none seen is ASCII. Invalid UTF-8 is reported before any
	// syntax error.
	if (err != nil || p.high) && !utf8.ValidString(s) {
		err = &jsonError{off: 0, msg: "invalid UTF-8"}
	}
	return !p.high, err
}

func fail(off int, msg string) error { return &jsonError{off: off, msg: msg} }

// skipSpace returns the offset of the first byte at or after i that is not
// JSON white space.
func skipSpace(s string, i int) int {
	if i < len(s) && s[i] > ' ' {
		return i // the common case: no white space
	}
	for ; i < len(s) && s[i] <= ' '; i++ {
		if c := s[i]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			break
		}
	}
	return i
}

// openContainer opens the object or array starting at s[i]. An empty one is
// closed at once (more is false); otherwise it returns the offset of the
// first value, with the first member's name for an object.
func (p *jsonParser) openContainer(v tok, i int) (next int, more bool, name tok, err error) {
	if len(p.stack) >= maxDepth {
		return i, false, tok{}, fail(i, "nesting too deep")
	}
	closing := byte(']')
	v.kind = jsonArray
	if p.s[i] == '{' {
		closing, v.kind = '}', jsonObject
	}
	v.first = int32(len(p.toks) + 1)
	p.stack = append(p.stack, frame{at: int32(len(p.toks)), obj: v.kind == jsonObject})
	p.toks = append(p.toks, v)
	i = skipSpace(p.s, i+1)
	if i < len(p.s) && p.s[i] == closing {
		p.closeContainer(i + 1)
		return i + 1, false, tok{}, nil
	}
	if v.kind == jsonArray {
		return i, true, tok{}, nil
	}
	i, name, err = p.member(i)
	return i, true, name, err
}

// closeContainer closes the innermost open container, which ends before end.
func (p *jsonParser) closeContainer(end int) {
	n := len(p.stack) - 1
	f := &p.stack[n]
	v := &p.toks[f.at]
	v.end, v.next, v.n = int32(end), int32(len(p.toks)), f.n
	p.stack = p.stack[:n]
}

// after reads what follows a value: white space, then a ',' and the next
// member name, or closing brackets, until another value is due (done
// false) or the top-level value has ended (done true).
func (p *jsonParser) after(i int) (int, tok, bool, error) {
	s := p.s
	for len(p.stack) > 0 {
		i = skipSpace(s, i)
		if i >= len(s) {
			return i, tok{}, false, fail(i, "unexpected end of input")
		}
		obj := p.stack[len(p.stack)-1].obj
		closing := byte(']')
		if obj {
			closing = '}'
		}
		switch s[i] {
		case ',':
			if !obj {
				return i + 1, tok{}, false, nil
			}
			i, name, err := p.member(i + 1)
			return i, name, false, err
		case closing:
			p.closeContainer(i + 1)
			i++
			continue
		}
		return i, tok{}, false, fail(i, "expected ',' or '"+string(closing)+"'")
	}
	if i = skipSpace(s, i); i != len(s) {
		return i, tok{}, true, fail(i, "data after the top-level value")
	}
	return i, tok{}, true, nil
}

// member reads a member name and its colon, returning the offset of the
// value and a tok carrying the name.
func (p *jsonParser) member(i int) (int, tok, error) {
	s := p.s
	i = skipSpace(s, i)
	if i >= len(s) || s[i] != '"' {
		return i, tok{}, fail(i, "expected a member name")
	}
	j, esc, err := p.str(i)
	if err != nil {
		return j, tok{}, err
	}
	name := tok{kstart: int32(i + 1), kend: int32(j - 1), kesc: esc}
	if p.duplicate(&name) {
		return j, tok{}, fail(j, "duplicate member "+strconv.Quote(p.text(name.kstart-1, name.kend+1, esc)))
	}
	if j = skipSpace(s, j); j >= len(s) || s[j] != ':' {
		return j, tok{}, fail(j, "expected ':'")
	}
	return j + 1, name, nil
}

// duplicate reports whether the innermost open object already has a member
// with the name of k.
func (p *jsonParser) duplicate(k *tok) bool {
	n := k.kend - k.kstart
	top := &p.stack[len(p.stack)-1]
	mask := &top.names
	bit := ^uint64(0)
	if !k.kesc && n > 0 {
		bit = 1 << ((uint(n) + 7*uint(p.s[k.kstart]) + 13*uint(p.s[k.kend-1])) & 63)
	}
	if *mask&bit == 0 {
		*mask |= bit
		return false
	}
	*mask |= bit
	for j := top.at + 1; int(j) < len(p.toks); j = p.toks[j].next {
		m := &p.toks[j]
		if m.kend-m.kstart != n && !m.kesc && !k.kesc {
			continue
		}
		if !m.kesc && !k.kesc {
			if p.s[m.kstart:m.kend] == p.s[k.kstart:k.kend] {
				return true
			}
			continue
		}
		if p.text(m.kstart-1, m.kend+1, m.kesc) == p.text(k.kstart-1, k.kend+1, k.kesc) {
			return true
		}
	}
	return false
}

// text returns the string whose quoted form spans s[start:end].
func (p *jsonParser) text(start, end int32, esc bool) string {
	if !esc {
		return p.s[start+1 : end-1]
	}
	i := sort.Search(len(p.unesc), func(i int) bool { return p.unesc[i].off >= start })
	return p.unesc[i].text
}

// literal reads true, false or null at s[i] into v.
func (p *jsonParser) literal(v *tok, i int) (int, error) {
	for _, lit := range [...]struct {
		word string
		kind jsonKind
	}{{"true", jsonBool}, {"false", jsonBool}, {"null", jsonNull}} {
		if strings.HasPrefix(p.s[i:], lit.word) {
			i += len(lit.word)
			v.kind, v.end = lit.kind, int32(i)
			return i, nil
		}
	}
	return i, fail(i, "invalid character")
}

// str parses the string whose opening quote is at s[i] and returns the
// offset after its closing quote. A string with escapes is decoded into
// unesc; esc reports one.
func (p *jsonParser) str(i int) (end int, esc bool, err error) {
	n, high := plainRun(p.s[i+1:])
	j := i + 1 + n
	p.high = p.high || high
	if j >= len(p.s) {
		return j, false, fail(j, "unterminated string")
	}
	switch p.s[j] {
	case '"':
		return j + 1, false, nil
	case '\\':
		p.i = j
		text, err := p.escapedStr(i + 1)
		if err != nil {
			return p.i, true, err
		}
		p.unesc = append(p.unesc, unescaped{off: int32(i), text: text})
		return p.i, true, nil
	}
	return j, false, fail(j, "control character in string")
}

func (p *jsonParser) number() error {
	if p.s[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.s) && p.s[p.i] == '0':
		p.i++
	case p.digits() == 0:
		return fail(p.i, "invalid number")
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			return fail(p.i, "invalid number")
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return fail(p.i, "invalid number")
		}
	}
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
