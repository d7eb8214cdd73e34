package policy_test

import (
	"slices"
	"strings"

	"github.com/grantd/grantd/internal/policy"
)

// Documented predicates for cases where iam-simulate 0.1.173 is known to
// differ from the behaviour the AWS documentation describes (or does not
// model a feature). Each is computed from the generated case (and, where
// noted, from the oracle's own analysis), never from the engine's answer.
// Every case is still compared; a disagreement is excused only inside a
// class, and the size of each class and its disagreements are reported.
// testdata/oracle/DISAGREEMENTS.md has the evidence for each.
type exclusion struct {
	name    string
	applies func(c *genCase, o *oracleResult) bool
}

var exclusions = []exclusion{
	// With Version 2008-10-17 (or none), "variables such as ${aws:username}
	// aren't recognized as variables and are instead treated as literal
	// strings in the policy" (reference_policies_elements_version.html);
	// iam-simulate always substitutes.
	{"policy variables in a policy without Version 2012-10-17", varsWithoutVersion},
	// "A resource-based policy can specify the ARN of the session as a
	// principal ... The resource-based policy permissions are not limited by
	// the session policy" (access_policies.html#policies_session);
	// iam-simulate returns the session policy's implicit deny before looking
	// at the resource policy. Uses the oracle's own analysis: its session
	// result and whether a resource-policy Allow names the caller directly.
	{"session policy's implicit deny against a resource-policy Allow naming the caller itself", func(_ *genCase, o *oracleResult) bool {
		return o.Session == "ImplicitlyDenied" && o.ResourceDirect
	}},
	// "When you use NotPrincipal with Deny, you must also specify the account
	// ARN of the not-denied principal ... AWS might validate the account
	// first, then the role, and then the assumed-role user"
	// (reference_policies_elements_notprincipal.html); iam-simulate exempts
	// a caller when any one link of its chain is named.
	{"NotPrincipal naming some but not all links of the caller's chain", notPrincipalPartialChain},
	// The boundary rule for NotPrincipal ("will always deny any IAM principal
	// that has a permissions boundary policy attached") names IAM users and
	// roles; whether it covers a GetFederationToken session of a user with a
	// boundary is not documented. iam-simulate applies it to every caller.
	{"NotPrincipal Deny with a federated user whose IAM user has a permissions boundary", func(c *genCase, _ *oracleResult) bool {
		return c.caller.typ() == policy.FederatedUser && c.boundary != nil && hasNotPrincipalDeny(c.resPolicy)
	}},
	// "Inverted condition operators like StringNotEquals or StringNotLike do
	// match against a null value" (reference_policies_variables.html
	// #policy-vars-no-value); iam-simulate makes them fail.
	{"unresolvable policy variable in a negated condition operator", unresolvedVarInNegatedCondition},
	// "If a variable that has no value in the authorization context is used
	// as part of the Resource or NotResource element of a policy, the
	// resource that includes a policy variable with no value will not match
	// any resource" (same section), so the request is outside NotResource;
	// iam-simulate treats such an entry as undecided and the statement as
	// not applying.
	{"unresolvable policy variable in NotResource", unresolvedVarInNotResource},
	// Date operators accept "one of the W3C implementations of the ISO 8601
	// date formats ... or epoch (UNIX) time" (reference_policies_elements_
	// condition_operators.html#Conditions_Date); iam-simulate compares epoch
	// values in seconds with ISO values in milliseconds.
	{"Date condition comparing an epoch value with an ISO 8601 value", dateEpochVersusISO},
	// The Principal page makes "*" and {"AWS":"*"} equivalent "for anonymous
	// users" and says nothing about service principals; the engine does not
	// let {"AWS":"*"} name a service, iam-simulate does.
	{`{"AWS":"*"} in Principal or NotPrincipal with a service caller`, func(c *genCase, _ *oracleResult) bool {
		return c.caller.typ() == policy.Service && awsStarInResourcePolicy(c.resPolicy)
	}},
	// A /0 prefix contains every address (RFC 4632); IpAddress takes CIDR
	// ranges (reference_policies_elements_condition_operators.html
	// #Conditions_IPAddress). iam-simulate computes the IPv4 mask as
	// -1 << (32 - prefix), and JavaScript shifts by 32 mod 32 = 0, so its
	// 0.0.0.0/0 matches only 0.0.0.0.
	{"IPv4 /0 range in an IP address condition", func(c *genCase, _ *oracleResult) bool {
		return anyCondition(c, func(cd cond) bool {
			return strings.Contains(cd.op, "IpAddress") && slices.ContainsFunc(cd.values, func(v string) bool { return strings.HasSuffix(v, ".0/0") })
		})
	}},
	// "If you specify an IP address without the associated routing prefix,
	// IAM uses the default prefix value of /32" (Conditions_IPAddress), so a
	// bare address is a one-address range like any other. iam-simulate
	// treats a bare IPv4 (IPv6) address as never matching an IPv6 (IPv4)
	// request address even under NotIpAddress, where a range of the other
	// version is, correctly, "not in".
	{"bare IP address against a request address of the other IP version", bareIPOtherVersion},
}

// anyCondition reports whether any condition of any policy satisfies f.
func anyCondition(c *genCase, f func(cond) bool) bool {
	for _, d := range c.docs() {
		for i := range d.stmts {
			if slices.ContainsFunc(d.stmts[i].conds, f) {
				return true
			}
		}
	}
	return false
}

func classify(c *genCase, o *oracleResult) *exclusion {
	for i := range exclusions {
		if exclusions[i].applies(c, o) {
			return &exclusions[i]
		}
	}
	return nil
}

// docs returns every policy of the case.
func (c *genCase) docs() []*pdoc {
	var out []*pdoc
	for i := range c.identity {
		out = append(out, &c.identity[i])
	}
	if c.boundary != nil {
		out = append(out, c.boundary)
	}
	for i := range c.session {
		out = append(out, &c.session[i])
	}
	if c.resPolicy != nil {
		out = append(out, c.resPolicy)
	}
	return out
}

func (s *stmt) strings() []string {
	out := append(append(append([]string{}, s.action...), s.notAction...), s.resource...)
	out = append(out, s.notResource...)
	for _, c := range s.conds {
		out = append(out, c.values...)
	}
	return out
}

func varsWithoutVersion(c *genCase, _ *oracleResult) bool {
	for _, d := range c.docs() {
		if d.version == policy.Version2012 {
			continue
		}
		for i := range d.stmts {
			for _, v := range d.stmts[i].strings() {
				if strings.Contains(v, "${") {
					return true
				}
			}
		}
	}
	return false
}

// variable is a ${key} or ${key, 'default'} reference.
type variable struct {
	key    string
	hasDef bool
}

// variables lists the policy variables in s (not ${*}, ${?} or ${$}).
func variables(s string) []variable {
	var out []variable
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return out
		}
		body := s[i+2 : i+j]
		s = s[i+j+1:]
		switch body {
		case "*", "?", "$", "":
			continue
		}
		key, _, hasDef := strings.Cut(body, ",")
		out = append(out, variable{key: strings.TrimSpace(key), hasDef: hasDef})
	}
}

// unresolved reports whether any variable in s has no single value in the
// request context and no default.
func (c *genCase) unresolved(s string) bool {
	for _, v := range variables(s) {
		vals, ok := c.ctxValues(v.key)
		if !v.hasDef && (!ok || len(vals) != 1) {
			return true
		}
	}
	return false
}

func unresolvedVarInNegatedCondition(c *genCase, _ *oracleResult) bool {
	for _, d := range c.docs() {
		for i := range d.stmts {
			for _, cd := range d.stmts[i].conds {
				if !negated(cd.op) {
					continue
				}
				if _, present := c.ctxValues(cd.key); !present {
					continue // a missing key satisfies a negated operator in both
				}
				for _, v := range cd.values {
					if c.unresolved(v) {
						return true
					}
				}
			}
		}
	}
	return false
}

func unresolvedVarInNotResource(c *genCase, _ *oracleResult) bool {
	for _, d := range c.docs() {
		for i := range d.stmts {
			for _, r := range d.stmts[i].notResource {
				if c.unresolved(r) {
					return true
				}
			}
		}
	}
	return false
}

func isEpoch(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func dateEpochVersusISO(c *genCase, _ *oracleResult) bool {
	for _, d := range c.docs() {
		for i := range d.stmts {
			for _, cd := range d.stmts[i].conds {
				if !strings.Contains(cd.op, "Date") {
					continue
				}
				reqs, _ := c.ctxValues(cd.key)
				for _, rv := range reqs {
					for _, pv := range cd.values {
						if isEpoch(rv) != isEpoch(pv) {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

func hasNotPrincipalDeny(d *pdoc) bool {
	if d == nil {
		return false
	}
	for i := range d.stmts {
		if d.stmts[i].notPrincipal != nil && d.stmts[i].effect == "Deny" {
			return true
		}
	}
	return false
}

func awsStarInResourcePolicy(d *pdoc) bool {
	if d == nil {
		return false
	}
	for i := range d.stmts {
		s := &d.stmts[i]
		if s.principal.names("*") || s.notPrincipal.names("*") {
			return true
		}
	}
	return false
}

// notPrincipalPartialChain reports a NotPrincipal that names at least one
// link of the caller's chain (so iam-simulate exempts the caller) but not
// every link the documentation asks for: the account and the user, the
// account and the role, or for a federated user the account and the session
// (or the user behind it). A Deny that a user or role with a permissions
// boundary meets denies it in both regardless, so it is not classified.
func notPrincipalPartialChain(c *genCase, _ *oracleResult) bool {
	if c.resPolicy == nil {
		return false
	}
	p := c.caller.p
	switch p.Type {
	case policy.User, policy.AssumedRole, policy.FederatedUser:
	default:
		return false
	}
	for i := range c.resPolicy.stmts {
		s := &c.resPolicy.stmts[i]
		np := s.notPrincipal
		if np == nil || np.star || np.names("*") {
			continue
		}
		if s.effect == "Deny" && c.boundary != nil && p.Type != policy.FederatedUser {
			continue // the boundary rule denies whatever is named
		}
		account := np.names(p.Account) || np.names("arn:aws:iam::"+p.Account+":root")
		var links []bool
		switch p.Type {
		case policy.User:
			links = []bool{np.names(p.ARN)}
		case policy.AssumedRole:
			links = []bool{np.names(p.RoleARN), np.names(p.ARN)}
		case policy.FederatedUser:
			links = []bool{np.names(p.ARN) || np.names(p.UserARN)}
		}
		any := account
		for _, l := range links {
			any = any || l
		}
		all := account && links[0]
		if any && !all {
			return true
		}
	}
	return false
}

func bareIPOtherVersion(c *genCase, _ *oracleResult) bool {
	return anyCondition(c, func(cd cond) bool {
		if !strings.Contains(cd.op, "IpAddress") {
			return false
		}
		reqs, _ := c.ctxValues(cd.key)
		for _, pv := range cd.values {
			if strings.Contains(pv, "/") {
				continue
			}
			for _, rv := range reqs {
				if strings.Contains(pv, ":") != strings.Contains(rv, ":") {
					return true
				}
			}
		}
		return false
	})
}
