package policy

// The fast path. Most documents are valid and plainly written: strings of
// plain ASCII without escapes, Version (if any) before Statement, nothing
// unknown. fastParse reads such a document in one pass, compiling each
// element as it reads it, with no tape and no second walk. At the first
// thing it does not expect — an escape, a syntax error, a duplicate member,
// an invalid action — it gives up and Parse starts again on the careful
// path, which reports exactly the problem IAM would. A document the fast
// path accepts is valid, and compiles through the same helpers
// (compile.go) to the same policy as on the careful path; the fast path
// only skips the work of finding out which error to report.

// fastReader reads a document on the fast path. Its methods return false
// when the document is not one the fast path takes.
type fastReader struct {
	ps *parser
	sc *scratch
	s  string
	i  int
}

// fastParse compiles the document into p if it can, or reports false.
func (ps *parser) fastParse(p *Policy) bool {
	if len(ps.src) > maxDocument {
		return false
	}
	// Every byte is read by a reader that takes only ASCII, so positions
	// are byte offsets; if the document is not ASCII, the path fails.
	ps.ascii, ps.asciiKnown = true, true
	f := fastReader{ps: ps, sc: ps.sc, s: ps.src}
	if !f.document(p) {
		return false
	}
	f.ws()
	return f.i == len(f.s)
}

// ws skips white space.
func (f *fastReader) ws() { f.peek() }

// peek skips white space and returns the next byte, or 0 at the end.
func (f *fastReader) peek() byte {
	s, i := f.s, f.i
	for ; i < len(s); i++ {
		if c := s[i]; c > ' ' || c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			f.i = i
			return c
		}
	}
	f.i = i
	return 0
}

// open consumes the opening byte c of a container and reports whether the
// container is empty, consuming its closing byte too if so.
func (f *fastReader) open(c byte) (empty, ok bool) {
	if f.peek() != c {
		return false, false
	}
	f.i++
	if f.peek() == c+2 { // '}' is '{'+2, ']' is '['+2
		f.i++
		return true, true
	}
	return false, true
}

// next consumes a ',' (more is true) or the closing byte.
func (f *fastReader) next(closing byte) (more, ok bool) {
	switch f.peek() {
	case ',':
		f.i++
		return true, true
	case closing:
		f.i++
		return false, true
	}
	return false, false
}

// str reads a string of plain ASCII without escapes.
func (f *fastReader) str() (string, bool) {
	if f.peek() != '"' {
		return "", false
	}
	rest := f.s[f.i+1:]
	n := plainRun(rest)
	if n >= len(rest) || rest[n] != '"' {
		return "", false
	}
	f.i += n + 2
	return rest[:n], true
}

// name reads a member name and its colon.
func (f *fastReader) name() (string, bool) {
	s, ok := f.str()
	if !ok || f.peek() != ':' {
		return "", false
	}
	f.i++
	return s, true
}

// strings reads a string or a non-empty array of strings into the scratch
// buffer, and returns the value's text.
func (f *fastReader) strings() (list []string, text string, single, ok bool) {
	buf := f.sc.buf[:0]
	f.ws()
	start := f.i
	if f.peek() == '"' {
		s, ok := f.str()
		f.sc.buf = append(buf, s)
		return f.sc.buf, f.s[start:f.i], true, ok
	}
	if empty, ok := f.open('['); !ok || empty {
		return nil, "", false, false
	}
	for more := true; more; {
		s, ok := f.str()
		if !ok {
			return nil, "", false, false
		}
		buf = append(buf, s)
		if more, ok = f.next(']'); !ok {
			return nil, "", false, false
		}
	}
	f.sc.buf = buf
	return buf, f.s[start:f.i], false, true
}

// document reads the top-level object.
func (f *fastReader) document(p *Policy) bool {
	if empty, ok := f.open('{'); !ok || empty {
		return false
	}
	var seen uint8
	for more := true; more; {
		name, ok := f.name()
		if !ok {
			return false
		}
		var bit uint8
		switch name {
		case "Version":
			// Statement compiles with the variables Version turns on.
			bit, ok = 1, seen&4 == 0 && f.version(p)
		case "Id":
			bit = 2
			p.id, ok = f.str()
			p.hasID = true
		case "Statement":
			bit, ok = 4, f.statements(p)
		default:
			ok = false
		}
		if !ok || seen&bit != 0 {
			return false
		}
		seen |= bit
		if more, ok = f.next('}'); !ok {
			return false
		}
	}
	return seen&4 != 0
}

// version reads the Version element.
func (f *fastReader) version(p *Policy) bool {
	v, ok := f.str()
	if !ok || v != Version2012 && v != Version2008 {
		return false
	}
	p.version, f.ps.vars = v, v == Version2012
	f.ps.cc.Vars = f.ps.vars
	return true
}

// statements reads the Statement element: one statement or an array of
// them, compiled into scratch arrays and then copied into p.
func (f *fastReader) statements(p *Policy) bool {
	sc := f.sc
	sc.stmts, sc.comps = sc.stmts[:0], sc.comps[:0]
	if f.peek() == '{' {
		if !f.statement(0) {
			return false
		}
	} else {
		p.stmtsArray = true
		if empty, ok := f.open('['); !ok || empty {
			return false
		}
		for more, n := true, 0; more; n++ {
			var ok bool
			if !f.statement(n) {
				return false
			}
			if more, ok = f.next(']'); !ok {
				return false
			}
		}
	}
	p.stmts = append([]Statement(nil), sc.stmts...)
	p.comps = append([]compiled(nil), sc.comps...)
	for i := range p.stmts {
		p.stmts[i].c = &p.comps[i]
	}
	return true
}
