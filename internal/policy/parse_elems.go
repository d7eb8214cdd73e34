package policy

import (
	"strconv"
	"strings"

	"github.com/grantd/grantd/internal/arn"
)

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
	if name == "Principal" {
		st.Principal = pr
	} else {
		st.NotPrincipal = pr
		st.c.notPrincipal = true
	}
	st.c.principal = pr.set
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
		list, single, err := ps.principalList(m, field)
		if err != nil {
			return nil, err
		}
		switch ps.key(m) {
		case "AWS":
			pr.AWS, pr.single.aws = list, single
			err = ps.awsPrincipals(pr.set, list, field, m.start)
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
		if err != nil {
			return nil, err
		}
	}
	return pr, nil
}

// principalList reads one principal type's string or list of strings and
// rejects unknown types, empty values and partial wildcards.
func (ps *parser) principalList(m *tok, field string) ([]string, bool, error) {
	key := ps.key(m)
	switch key {
	case "AWS", "Service", "Federated", "CanonicalUser":
	default:
		return nil, false, ps.badPrincipal(field, m.start, key, "")
	}
	list, single, err := ps.stringList(m, field, msgPrincipalInvalid)
	if err != nil {
		return nil, false, ps.badPrincipal(field, m.start, key, ps.text(m))
	}
	for _, s := range list {
		if s == "" || (key != "AWS" && arn.HasWildcard(s)) {
			return nil, false, ps.badPrincipal(field, m.start, key, s)
		}
	}
	return list, single, nil
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

// trustActions are the actions IAM allows in a role trust policy.
var trustActions = []string{
	"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
	"sts:tagsession", "sts:setsourceidentity", "sts:setcontext",
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
		if ae, err = ps.compileActions(v, name); err != nil {
			return err
		}
		ps.sc.actionElems.put(k, text, name, ae)
	}
	st.c.actions, st.c.svcMask = ae.actions, ae.svcMask
	if name == "Action" {
		st.Action = ae.list
	} else {
		st.NotAction, st.c.notAction = ae.list, true
	}
	st.form.actionSingle = v.kind == jsonString
	return nil
}

// actionElem is a compiled Action or NotAction element.
type actionElem struct {
	list    []string
	actions []actionPattern
	svcMask uint64
}

// compileActions validates and compiles the Action or NotAction element v.
func (ps *parser) compileActions(v *tok, name string) (actionElem, error) {
	list, _, err := ps.stringList(v, name, msgActionMissing)
	if err != nil {
		return actionElem{}, err
	}
	ae := actionElem{list: list, actions: ps.acts.take(len(list))[:0], svcMask: ^uint64(0)}
	for _, a := range list {
		ap, k, found := ps.sc.actions.find(a, "")
		if !found {
			if id, valid := validAction(a); !valid {
				return ae, ps.fail(ErrAction, name, v.start, id, a, "invalid action "+strconv.Quote(a))
			}
		}
		if ps.kind == Trust && name == "Action" && !trustAction(a) {
			return ae, ps.fail(ErrAction, name, v.start, msgTrustAction, a, "action not allowed in a trust policy")
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
		if re, err = ps.compileResources(v, name); err != nil {
			return err
		}
		ps.sc.resourceElems.put(k, text, name, re)
	}
	st.c.resources = re.resources
	if name == "Resource" {
		st.Resource = re.list
	} else {
		st.NotResource, st.c.notResource = re.list, true
	}
	st.form.resourceSingle = v.kind == jsonString
	return nil
}

// resourceElem is a compiled Resource or NotResource element.
type resourceElem struct {
	list      []string
	resources []resourcePattern
}

// compileResources validates and compiles the Resource or NotResource
// element v.
func (ps *parser) compileResources(v *tok, name string) (resourceElem, error) {
	list, _, err := ps.stringList(v, name, msgResourceMissing)
	if err != nil {
		return resourceElem{}, err
	}
	re := resourceElem{list: list, resources: ps.ress.take(len(list))[:0]}
	for _, r := range list {
		rp, k, found := ps.sc.resources.find(r, "")
		if found {
			re.resources = append(re.resources, *rp)
			continue
		}
		compiled, err := compileResource(r, ps.vars)
		if err != nil {
			return re, ps.fail(ErrResource, name, v.start, msgResourceFormat, r, err.Error())
		}
		re.resources = append(re.resources, compiled)
		ps.sc.resources.put(k, r, "", &re.resources[len(re.resources)-1])
	}
	return re, nil
}
