package policy

// MarshalJSON returns a document equivalent to the one parsed: the same
// elements in canonical order, strings written as strings and lists as
// lists as in the original, numbers and booleans in conditions written as
// strings (IAM compares their text either way). Parse(MarshalJSON()) yields
// an equal policy.
func (p *Policy) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, len(p.src))
	b = append(b, '{')
	w := &objWriter{b: b}
	if p.version != "" {
		w.key("Version")
		w.b = appendJSONString(w.b, p.version)
	}
	if p.hasID {
		w.key("Id")
		w.b = appendJSONString(w.b, p.id)
	}
	w.key("Statement")
	if p.stmtsArray {
		w.b = append(w.b, '[')
	}
	for i := range p.stmts {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = appendStatement(w.b, &p.stmts[i])
	}
	if p.stmtsArray {
		w.b = append(w.b, ']')
	}
	return append(w.b, '}'), nil
}

// objWriter writes the members of one JSON object.
type objWriter struct {
	b []byte
	n int
}

func (w *objWriter) key(k string) {
	if w.n > 0 {
		w.b = append(w.b, ',')
	}
	w.n++
	w.b = appendJSONString(w.b, k)
	w.b = append(w.b, ':')
}

// list writes a string or list of strings; single selects the string form
// for one-element lists.
func (w *objWriter) list(k string, vals []string, single bool) {
	if len(vals) == 0 {
		return
	}
	w.key(k)
	w.b = appendList(w.b, vals, single)
}

func appendList(b []byte, vals []string, single bool) []byte {
	if single && len(vals) == 1 {
		return appendJSONString(b, vals[0])
	}
	b = append(b, '[')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, v)
	}
	return append(b, ']')
}

func appendStatement(b []byte, st *Statement) []byte {
	w := &objWriter{b: append(b, '{')}
	if st.form.hasSid {
		w.key("Sid")
		w.b = appendJSONString(w.b, st.Sid)
	}
	w.key("Effect")
	w.b = appendJSONString(w.b, st.Effect.String())
	if st.Principal != nil {
		w.key("Principal")
		w.b = appendPrincipals(w.b, st.Principal)
	}
	if st.NotPrincipal != nil {
		w.key("NotPrincipal")
		w.b = appendPrincipals(w.b, st.NotPrincipal)
	}
	w.list("Action", st.Action, st.form.actionSingle)
	w.list("NotAction", st.NotAction, st.form.actionSingle)
	w.list("Resource", st.Resource, st.form.resourceSingle)
	w.list("NotResource", st.NotResource, st.form.resourceSingle)
	if len(st.Condition) > 0 {
		w.key("Condition")
		w.b = appendConditions(w.b, st)
	}
	return append(w.b, '}')
}

func appendPrincipals(b []byte, pr *Principals) []byte {
	if pr.All {
		return appendJSONString(b, "*")
	}
	w := &objWriter{b: append(b, '{')}
	w.list("AWS", pr.AWS, pr.single.aws)
	w.list("Service", pr.Service, pr.single.service)
	w.list("Federated", pr.Federated, pr.single.federated)
	w.list("CanonicalUser", pr.CanonicalUser, pr.single.canonical)
	return append(w.b, '}')
}

// appendConditions groups the statement's conditions by operator, keeping
// the order in which operators and keys first appear.
func appendConditions(b []byte, st *Statement) []byte {
	w := &objWriter{b: append(b, '{')}
	done := make([]bool, len(st.Condition))
	for i := range st.Condition {
		if done[i] {
			continue
		}
		op := st.Condition[i].Operator
		w.key(op)
		inner := &objWriter{b: append(w.b, '{')}
		for j := i; j < len(st.Condition); j++ {
			c := &st.Condition[j]
			if done[j] || c.Operator != op {
				continue
			}
			done[j] = true
			inner.key(c.Key)
			inner.b = appendList(inner.b, c.Values, c.single)
		}
		w.b = append(inner.b, '}')
	}
	return append(w.b, '}')
}
