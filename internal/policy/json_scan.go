package policy

import "strconv"

// frame is a container being filled.
type frame struct {
	at    int32  // its token on the tape
	names uint64 // member names seen (see duplicate)
	obj   bool
}

// scan parses the document onto the tape in one loop, without recursion: the
// frames on p.stack are the containers being filled, and a member name is
// carried to the value that follows it (ks, ke, kesc). value reads a value;
// follow reads what comes after it, and the loop goes back to value, or to
// name for the next member of an object.
func (p *jsonParser) scan() error {
	s := p.s
	var (
		i         int
		ks, ke    int32
		kesc      bool
		more, obj bool
		err       error
	)
value:
	if i = skipSpace(s, i); i >= len(s) {
		return fail(i, "unexpected end of input")
	}
	switch c := s[i]; {
	case c == '"':
		i, err = p.stringValue(i, ks, ke, kesc)
	case c == '{' || c == '[':
		if len(p.stack) >= maxDepth {
			return fail(i, "nesting too deep")
		}
		p.open(i, ks, ke, kesc)
		ks, ke, kesc = 0, 0, false
		if i = skipSpace(s, i+1); i >= len(s) || s[i] != c+2 { // '}' is '{'+2, ']' is '['+2
			if c == '{' {
				goto name
			}
			goto value
		}
		p.closeContainer(i + 1)
		i++
	default:
		i, err = p.scalar(i, ks, ke, kesc)
	}
	if err != nil {
		return err
	}
	ks, ke, kesc = 0, 0, false
	if i, more, obj, err = p.follow(i); err != nil || !more {
		return err
	}
	if obj {
		goto name
	}
	goto value
name:
	if i, ks, ke, kesc, err = p.member(i); err != nil {
		return err
	}
	goto value
}

// stringValue reads the string at s[i] onto the tape.
func (p *jsonParser) stringValue(i int, ks, ke int32, kesc bool) (int, error) {
	s := p.s
	var (
		esc bool
		err error
	)
	// The common case, a string of plain ASCII, without calling str.
	end := i + 1 + plainRun(s[i+1:])
	if end >= len(s) || s[end] != '"' {
		if end, esc, err = p.str(i); err != nil {
			return end, err
		}
	} else {
		end++
	}
	p.toks = append(p.toks, tok{start: int32(i), end: int32(end), kstart: ks, kend: ke, next: int32(len(p.toks) + 1), kind: jsonString, esc: esc, kesc: kesc})
	return end, nil
}

// open opens the object or array at s[i].
func (p *jsonParser) open(i int, ks, ke int32, kesc bool) {
	at, kind := int32(len(p.toks)), jsonArray
	if p.s[i] == '{' {
		kind = jsonObject
	}
	p.toks = append(p.toks, tok{start: int32(i), kstart: ks, kend: ke, first: at + 1, kind: kind, kesc: kesc})
	p.stack = append(p.stack, frame{at: at, obj: kind == jsonObject})
}

// follow reads what follows a value: white space, then a ',' or the
// brackets that close containers. more reports that another value is due,
// after its member name if obj.
func (p *jsonParser) follow(i int) (next int, more, obj bool, err error) {
	s := p.s
	for len(p.stack) > 0 {
		if i = skipSpace(s, i); i >= len(s) {
			return i, false, false, fail(i, "unexpected end of input")
		}
		obj := p.stack[len(p.stack)-1].obj
		switch c := s[i]; {
		case c == ',':
			return i + 1, true, obj, nil
		case c == ']' && !obj || c == '}' && obj:
			p.closeContainer(i + 1)
			i++
			continue
		}
		return i, false, false, p.badSeparator(i)
	}
	if i = skipSpace(s, i); i != len(s) {
		return i, false, false, fail(i, "data after the top-level value")
	}
	return i, false, false, nil
}

// badSeparator reports what was expected instead of s[i] after a value.
func (p *jsonParser) badSeparator(i int) error {
	closing := byte(']')
	if p.stack[len(p.stack)-1].obj {
		closing = '}'
	}
	return fail(i, "expected ',' or '"+string(closing)+"'")
}

// scalar reads a number, true, false or null at s[i] onto the tape.
func (p *jsonParser) scalar(i int, ks, ke int32, kesc bool) (int, error) {
	v := tok{start: int32(i), kstart: ks, kend: ke, next: int32(len(p.toks) + 1), kesc: kesc}
	var err error
	if c := p.s[i]; c == '-' || ('0' <= c && c <= '9') {
		p.i = i
		err = p.number()
		i, v.kind = p.i, jsonNumber
	} else {
		i, err = p.literal(&v, i)
	}
	v.end = int32(i)
	p.toks = append(p.toks, v)
	return i, err
}

// closeContainer closes the innermost open container, which ends before end.
func (p *jsonParser) closeContainer(end int) {
	n := len(p.stack) - 1
	at := p.stack[n].at
	v := &p.toks[at]
	v.end, v.next = int32(end), int32(len(p.toks))
	// Count the values inside by following them.
	for j := at + 1; j < v.next; j = p.toks[j].next {
		v.n++
	}
	p.stack = p.stack[:n]
}

// member reads a member name and its colon, returning the offset of the
// value and the name's span and escapes.
func (p *jsonParser) member(i int) (int, int32, int32, bool, error) {
	s := p.s
	if i = skipSpace(s, i); i >= len(s) || s[i] != '"' {
		return i, 0, 0, false, fail(i, "expected a member name")
	}
	var esc bool
	var err error
	j := i + 1 + plainRun(s[i+1:])
	if j >= len(s) || s[j] != '"' {
		if j, esc, err = p.str(i); err != nil {
			return j, 0, 0, false, err
		}
	} else {
		j++
	}
	ks, ke := int32(i+1), int32(j-1)
	// A bloom word per object, hashed from the length and end bytes of
	// names, rules out most duplicates at once; names with escapes, or
	// empty, are always checked.
	bit := ^uint64(0)
	if n := j - i - 2; !esc && n > 0 {
		bit = 1 << ((uint(n) + 7*uint(s[i+1]) + 13*uint(s[j-2])) & 63)
	}
	top := &p.stack[len(p.stack)-1]
	seen := top.names&bit != 0
	top.names |= bit
	if seen && p.duplicate(ks, ke, esc) {
		return j, 0, 0, false, fail(j, "duplicate member "+strconv.Quote(p.text(ks-1, ke+1, esc)))
	}
	if j = skipSpace(s, j); j >= len(s) || s[j] != ':' {
		return j, 0, 0, false, fail(j, "expected ':'")
	}
	return j + 1, ks, ke, esc, nil
}

// duplicate reports whether the innermost open object already has a member
// named s[ks:ke] (decoded, if esc).
func (p *jsonParser) duplicate(ks, ke int32, esc bool) bool {
	n := ke - ks
	top := &p.stack[len(p.stack)-1]
	for j := top.at + 1; int(j) < len(p.toks); j = p.toks[j].next {
		m := &p.toks[j]
		if !m.kesc && !esc {
			if m.kend-m.kstart == n && p.s[m.kstart:m.kend] == p.s[ks:ke] {
				return true
			}
			continue
		}
		if p.text(m.kstart-1, m.kend+1, m.kesc) == p.text(ks-1, ke+1, esc) {
			return true
		}
	}
	return false
}
