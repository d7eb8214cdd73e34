package policy

// principalElems validates Principal and NotPrincipal per kind
// ("AWS JSON policy elements: Principal" and "NotPrincipal"): identity
// policies must not have them; resource and trust policies need exactly one;
// trust policies cannot use NotPrincipal.
func (ps *parser) principalElems(e *elems, st *Statement) error {
	obj := e.obj
	v, name, err := ps.oneOf(e.principal, e.notPrincipal, "Principal", "NotPrincipal")
	switch {
	case err != nil && ps.kind == Identity:
		return ps.fail(ErrProhibited, "Principal", obj.start, msgPrincipalInIdentity, "", "identity policies have no principal")
	case err != nil:
		return err
	case ps.kind == Identity && v != nil:
		return ps.fail(ErrProhibited, name, v.start, msgPrincipalInIdentity, "", "identity policies have no principal")
	case ps.kind == Identity:
		return nil
	case v == nil:
		return ps.fail(ErrMissing, "Principal", obj.start, msgPrincipalMissing, "", "no Principal or NotPrincipal")
	case ps.kind == Trust && name == "NotPrincipal":
		return ps.fail(ErrProhibited, name, v.start, msgProhibited, name, "trust policies cannot use NotPrincipal")
	}
	pr, err := ps.principals(v, name)
	if err != nil {
		return err
	}
	setPrincipals(st, st.c, pr, name)
	return nil
}

// principals parses "*" or an object of AWS / Service / Federated /
// CanonicalUser lists.
func (ps *parser) principals(v *tok, field string) (*Principals, error) {
	pr := &Principals{set: &principalSet{}}
	if v.kind == jsonString && ps.text(v) == "*" {
		pr.All, pr.set.all = true, true
		return pr, nil
	}
	if v.kind != jsonObject || v.n == 0 {
		return nil, ps.badPrincipal(field, v.start, "", ps.text(v))
	}
	for j, end := ps.first(v); j < end; j = ps.t[j].next {
		m := &ps.t[j]
		key := ps.key(m)
		switch key {
		case "AWS", "Service", "Federated", "CanonicalUser":
		default:
			return nil, ps.badPrincipal(field, m.start, key, "")
		}
		list, single, err := ps.stringList(m, field, msgPrincipalInvalid)
		if err != nil {
			return nil, ps.badPrincipal(field, m.start, key, ps.text(m))
		}
		if err := ps.principalEntry(pr, key, list, single, field, m.start); err != nil {
			return nil, err
		}
	}
	return pr, nil
}

// actionElems validates Action/NotAction ("IAM JSON policy elements:
// Action"): "*" or "service:action", the service prefix without wildcards
// and only one colon.
func (ps *parser) actionElems(e *elems, st *Statement) error {
	obj := e.obj
	v, name, err := ps.oneOf(e.action, e.notAction, "Action", "NotAction")
	if err != nil {
		return err
	}
	if v == nil {
		return ps.fail(ErrMissing, "Action", obj.start, msgActionMissing, "", "no Action or NotAction")
	}
	text := ps.src[v.start:v.end]
	ae, k, found := ps.sc.actionElems.find(text, name)
	if !found {
		list, _, err := ps.stringList(v, name, msgActionMissing)
		if err != nil {
			return err
		}
		if ae, err = ps.actionList(list, name, v.start); err != nil {
			return err
		}
		ps.sc.actionElems.put(k, text, name, ae)
	}
	setActions(st, st.c, &ae, name, v.kind == jsonString)
	return nil
}

// resourceElems validates Resource/NotResource ("IAM JSON policy elements:
// Resource"): "*" or an ARN pattern. Trust policies have neither: IAM
// answers "Has prohibited field Resource".
func (ps *parser) resourceElems(e *elems, st *Statement) error {
	obj := e.obj
	v, name, err := ps.oneOf(e.resource, e.notResource, "Resource", "NotResource")
	switch {
	case err != nil:
		return err
	case ps.kind == Trust && v != nil:
		return ps.fail(ErrProhibited, name, v.start, msgProhibited, name, "trust policies have no resources")
	case ps.kind == Trust:
		st.c.anyResource = true
		return nil
	case v == nil:
		return ps.fail(ErrMissing, "Resource", obj.start, msgResourceMissing, "", "no Resource or NotResource")
	}
	text := ps.src[v.start:v.end]
	re, k, found := ps.sc.resourceElems.find(text, name)
	if !found {
		list, _, err := ps.stringList(v, name, msgResourceMissing)
		if err != nil {
			return err
		}
		if re, err = ps.resourceList(list, name, v.start); err != nil {
			return err
		}
		ps.sc.resourceElems.put(k, text, name, re)
	}
	setResources(st, st.c, &re, name, v.kind == jsonString)
	return nil
}
