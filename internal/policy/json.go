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
	s := p.s
	for j := i + 1; ; j++ {
		j += plainRun(s[j:])
		if j >= len(s) {
			return j, false, fail(j, "unterminated string")
		}
		switch c := s[j]; {
		case c == '"':
			return j + 1, false, nil
		case c == '\\':
			p.i = j
			text, err := p.escapedStr(i + 1)
			if err != nil {
				return p.i, true, err
			}
			p.unesc = append(p.unesc, unescaped{off: int32(i), text: text})
			return p.i, true, nil
		case c >= utf8.RuneSelf:
			p.high = true // and read on
		default:
			return j, false, fail(j, "control character in string")
		}
	}
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
