package policy

import (
	"strconv"
	"strings"

	"github.com/grantd/grantd/internal/arn"
	"github.com/grantd/grantd/internal/policy/condition"
)

// The compilers of statement elements, shared by the careful path (which
// reads them from the tape) and the fast path (which reads them straight
// from the document). Each validates what it is given as IAM does and
// reports problems at offset off.

// trustActions are the actions IAM allows in a role trust policy.
var trustActions = []string{
	"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
	"sts:tagsession", "sts:setsourceidentity", "sts:setcontext",
}

func validAction(a string) (msgID, bool) {
	if a == "*" {
		return 0, true
	}
	svc, name, ok := strings.Cut(a, ":")
	switch {
	case !ok || svc == "":
		return msgActionVendor, false
	case strings.Contains(name, ":"):
		return msgActionColons, false
	case arn.HasWildcard(svc):
		return msgActionVendorWildcard, false
	}
	return 0, true
}

// trustAction reports whether pattern a can name one of the trust actions.
func trustAction(a string) bool {
	for _, t := range trustActions {
		if arn.MatchFold(a, t) {
			return true
		}
	}
	return false
}

// actionElem is a compiled Action or NotAction element.
type actionElem struct {
	list    []string
	actions []actionPattern
	svcMask uint64
}

// actionList validates and compiles the actions of an Action or NotAction
// element.
func (ps *parser) actionList(list []string, name string, off int32) (actionElem, error) {
	ae := actionElem{list: list, actions: ps.acts.take(len(list))[:0], svcMask: ^uint64(0)}
	for _, a := range list {
		ap, k, found := ps.sc.actions.find(a, "")
		if !found {
			if id, valid := validAction(a); !valid {
				return ae, ps.fail(ErrAction, name, off, id, a, "invalid action "+strconv.Quote(a))
			}
		}
		if ps.kind == Trust && name == "Action" && !trustAction(a) {
			return ae, ps.fail(ErrAction, name, off, msgTrustAction, a, "action not allowed in a trust policy")
		}
		if found {
			ae.actions = append(ae.actions, *ap)
			continue
		}
		ae.actions = append(ae.actions, compileAction(a, &ps.cc))
		ps.sc.actions.put(k, a, "", &ae.actions[len(ae.actions)-1])
	}
	if name == "Action" {
		ae.svcMask = 0
		for i := range ae.actions {
			ae.svcMask |= ae.actions[i].bit()
		}
	}
	return ae, nil
}

// setActions stores a compiled Action or NotAction element in st and c.
func setActions(st *Statement, c *compiled, ae *actionElem, name string, single bool) {
	c.actions, c.svcMask = ae.actions, ae.svcMask
	if name == "Action" {
		st.Action = ae.list
	} else {
		st.NotAction, c.notAction = ae.list, true
	}
	st.form.actionSingle = single
}

// resourceElem is a compiled Resource or NotResource element.
type resourceElem struct {
	list      []string
	resources []resourcePattern
	svcMask   uint64 // resourceBit of every entry
}

// resourceList validates and compiles the entries of a Resource or
// NotResource element.
func (ps *parser) resourceList(list []string, name string, off int32) (resourceElem, error) {
	re := resourceElem{list: list, resources: ps.ress.take(len(list))[:0]}
	for _, r := range list {
		rp, k, found := ps.sc.resources.find(r, "")
		if found {
			re.resources = append(re.resources, *rp)
			continue
		}
		compiled, err := compileResource(r, ps.vars)
		if err != nil {
			return re, ps.fail(ErrResource, name, off, msgResourceFormat, r, err.Error())
		}
		re.resources = append(re.resources, compiled)
		ps.sc.resources.put(k, r, "", &re.resources[len(re.resources)-1])
	}
	for i := range re.resources {
		re.svcMask |= resourceBit(&re.resources[i])
	}
	return re, nil
}

// setResources stores a compiled Resource or NotResource element in st and
// c.
func setResources(st *Statement, c *compiled, re *resourceElem, name string, single bool) {
	c.resources = re.resources
	if name == "Resource" {
		st.Resource = re.list
		c.resSkip = ^re.svcMask
	} else {
		st.NotResource, c.notResource = re.list, true
	}
	st.form.resourceSingle = single
}

// principalEntry validates one principal type's values (of Principal or
// NotPrincipal, named field) and adds them to pr: no empty values, no
// wildcards but "*" among AWS principals, and AWS values that name an
// account, user, role or session.
func (ps *parser) principalEntry(pr *Principals, typ string, list []string, single bool, field string, off int32) error {
	for _, s := range list {
		if s == "" || (typ != "AWS" && arn.HasWildcard(s)) {
			return ps.badPrincipal(field, off, typ, s)
		}
	}
	switch typ {
	case "AWS":
		pr.AWS, pr.single.aws = list, single
		return ps.awsPrincipals(pr.set, list, field, off)
	case "Service":
		pr.Service, pr.single.service = list, single
		pr.set.services = list
	case "Federated":
		pr.Federated, pr.single.federated = list, single
		pr.set.federated = list
	case "CanonicalUser":
		pr.CanonicalUser, pr.single.canonical = list, single
		pr.set.canonical = list
	}
	return nil
}

// setPrincipals stores a compiled Principal or NotPrincipal element in st
// and c.
func setPrincipals(st *Statement, c *compiled, pr *Principals, name string) {
	if name == "Principal" {
		st.Principal = pr
	} else {
		st.NotPrincipal = pr
		c.notPrincipal = true
	}
	c.principal = pr.set
}

func (ps *parser) awsPrincipals(set *principalSet, list []string, field string, off int32) error {
	for _, s := range list {
		kind, account := classifyAWS(s)
		switch kind {
		case awsInvalid:
			return ps.badPrincipal(field, off, "AWS", s)
		case awsAll:
			set.awsAll = true
		case awsAccount:
			set.accounts = append(set.accounts, account)
		case awsUser:
			set.users = append(set.users, s)
		case awsRole:
			set.roles = append(set.roles, s)
		case awsSession:
			set.sessions = append(set.sessions, s)
		}
	}
	return nil
}

// badPrincipal words the error as IAM does for trust policies
// (`Invalid principal in policy: "AWS":"arn:..."`) or as S3 does.
func (ps *parser) badPrincipal(field string, off int32, typ, value string) *Error {
	shown := strconv.Quote(typ) + ":" + strconv.Quote(value)
	e := ps.fail(ErrPrincipal, field, off, msgPrincipalInvalid, shown, "invalid principal")
	e.Value = value
	return e
}

// sidValue validates a Sid: IAM's are alphanumeric, S3's anything.
func (ps *parser) sidValue(st *Statement, sid string, off int32) error {
	st.Sid, st.form.hasSid, ps.sid = sid, true, sid
	if ps.kind != Resource && !alphanumeric(sid) {
		return ps.fail(ErrSid, "Sid", off, msgSidChars, sid, "IAM Sids are alphanumeric")
	}
	return nil
}

// uniqueSid records the Sid of statement st (if any), failing if an earlier
// statement has it.
func (ps *parser) uniqueSid(st *Statement, off int32) error {
	if st.Sid == "" {
		return nil
	}
	_, k, found := ps.sc.sids.find(st.Sid, "")
	if found {
		return ps.fail(ErrSid, "Sid", off, msgSidUnique, st.Sid, "duplicate Sid")
	}
	ps.sc.sids.put(k, st.Sid, "", struct{}{})
	return nil
}

// condElem is a compiled Condition element.
type condElem struct {
	conds []Condition
	evals []*condition.Cond
}

// cachedEntry appends the compiled condition entry with the given text
// (from its key's opening quote to the end of its values) and operator to
// ce, if the document had it before; otherwise it returns the key for
// compileEntry to cache it under.
func (ps *parser) cachedEntry(entry, op string, ce *condElem) (memoKey, bool) {
	cached, k, found := ps.sc.conds.find(entry, op)
	if found {
		ce.conds = append(ce.conds, *cached.c)
		ce.evals = append(ce.evals, cached.eval)
	}
	return k, found
}

// compileEntry compiles one condition entry, appends it to ce and caches it
// under k (from cachedEntry).
func (ps *parser) compileEntry(k memoKey, entry, op, key string, values []string, single bool, off int32, ce *condElem) error {
	cond, err := ps.cc.Compile(op, key, values)
	if cerr, ok := err.(*condition.Error); ok && cerr.Kind == condition.UnknownOperator {
		return ps.fail(ErrCondition, "Condition", off, msgConditionType, op, err.Error())
	}
	if err != nil {
		return ps.fail(ErrCondition, "Condition", off, msgConditionKey, key, err.Error())
	}
	ce.conds = append(ce.conds, Condition{Operator: op, Key: key, Values: values, single: single})
	ce.evals = append(ce.evals, cond)
	ps.sc.conds.put(k, entry, op, condEntry{c: &ce.conds[len(ce.conds)-1], eval: cond})
	return nil
}
