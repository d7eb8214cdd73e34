package policy

// frame is a container being filled.
type frame struct {
	at    int32  // its token on the tape
	n     int32  // the values read so far
	names uint64 // member names seen (see duplicate)
	obj   bool
}

// scan parses the document onto the tape in one loop, without recursion: the
// frames on p.stack are the containers being filled, and a member name is
// carried to the value that follows it.
func (p *jsonParser) scan() error {
	s := p.s
	var (
		name tok // the member name of the next value, when in an object
		err  error
		i    int
	)
	for {
		if i = skipSpace(s, i); i >= len(s) {
			return fail(i, "unexpected end of input")
		}
		if n := len(p.stack); n > 0 {
			p.stack[n-1].n++
		}
		v := tok{start: int32(i), next: int32(len(p.toks) + 1), kstart: name.kstart, kend: name.kend, kesc: name.kesc}
		switch c := s[i]; {
		case c == '"':
			i, v.esc, err = p.str(i)
			v.kind = jsonString
		case c == '{' || c == '[':
			var more bool
			if i, more, name, err = p.openContainer(v, i); err == nil && more {
				continue // read the first value inside
			}
			if err != nil {
				return err
			}
			goto after
		case c == '-' || ('0' <= c && c <= '9'):
			p.i = i
			err = p.number()
			i, v.kind = p.i, jsonNumber
		default:
			i, err = p.literal(&v, i)
		}
		if err != nil {
			return err
		}
		v.end = int32(i)
		p.toks = append(p.toks, v)
	after:
		var done bool
		if i, name, done, err = p.after(i); err != nil || done {
			return err
		}
	}
}
