package policy

import (
	"strings"

	"github.com/grantd/grantd/internal/arn"
)

// PrincipalType is the kind of caller making a request.
type PrincipalType uint8

// Principal types, named after the values of aws:PrincipalType where AWS
// defines one.
const (
	// Anonymous is an unauthenticated caller (an unsigned S3 request).
	Anonymous PrincipalType = iota
	// Root is an account's root user; it stands for the account.
	Root
	// User is an IAM user.
	User
	// AssumedRole is a role session (AssumeRole, AssumeRoleWithSAML,
	// AssumeRoleWithWebIdentity).
	AssumedRole
	// FederatedUser is a GetFederationToken session.
	FederatedUser
	// Service is an AWS service principal such as
	// access-grants.s3.amazonaws.com.
	Service
	// WebIdentity is an identity-provider user presenting a token to
	// AssumeRoleWithWebIdentity or AssumeRoleWithSAML, before it becomes a
	// role session.
	WebIdentity
)

// Account is an alias of Root: an account principal is its root user.
const Account = Root

// String returns the aws:PrincipalType value ("Account", "User",
// "AssumedRole", "FederatedUser", "Anonymous"), or "Service" /
// "WebIdentity".
func (t PrincipalType) String() string {
	switch t {
	case Root:
		return "Account"
	case User:
		return "User"
	case AssumedRole:
		return "AssumedRole"
	case FederatedUser:
		return "FederatedUser"
	case Service:
		return "Service"
	case WebIdentity:
		return "WebIdentity"
	}
	return "Anonymous"
}

// Principal describes the caller of a request, for Principal/NotPrincipal
// matching and for the evaluation logic.
type Principal struct {
	Type PrincipalType
	// Account is the 12-digit ID of the principal's account (empty for
	// Anonymous, Service and WebIdentity).
	Account string
	// ARN is the caller's own ARN: arn:aws:iam::ACCT:root for Root, the
	// user ARN with its path for User,
	// arn:aws:sts::ACCT:assumed-role/ROLE/SESSION for AssumedRole,
	// arn:aws:sts::ACCT:federated-user/NAME for FederatedUser.
	ARN string
	// RoleARN is the IAM role ARN, with its path, of an AssumedRole
	// session.
	RoleARN string
	// UserARN is, for a FederatedUser session, the ARN of the IAM user
	// (or root user) that called GetFederationToken.
	UserARN string
	// UserID is the aws:userid value (AIDA... for users, AROA...:session
	// for role sessions); used only by AddToContext.
	UserID string
	// Service is the service principal name (Service type).
	Service string
	// Federated is the identity provider (WebIdentity type): a provider ARN
	// such as arn:aws:iam::ACCT:oidc-provider/example.com or a well-known
	// name such as accounts.google.com.
	Federated string
	// CanonicalUser is the S3 canonical user ID of the principal's account,
	// if known.
	CanonicalUser string
	// HasBoundary reports whether the user or role has a permissions
	// boundary. Decide sets it from Input.Boundary; set it yourself when
	// calling Policy.Evaluate on a resource policy with NotPrincipal.
	HasBoundary bool
}

func (p *Principal) typ() PrincipalType {
	if p == nil {
		return Anonymous
	}
	return p.Type
}

// AddToContext sets the principal's global condition keys in c:
// aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username
// (IAM users only), aws:userid and aws:PrincipalServiceName, with the values
// the IAM User Guide lists ("AWS global condition context keys" and
// "Principal key values").
func (p *Principal) AddToContext(c *Context) {
	switch p.typ() {
	case Anonymous:
		c.Set("aws:userid", "anonymous")
		c.Set("aws:PrincipalType", "Anonymous")
		return
	case Service:
		c.Set("aws:PrincipalServiceName", p.Service)
		return
	case WebIdentity:
		return
	}
	c.Set("aws:PrincipalAccount", p.Account)
	c.Set("aws:PrincipalType", p.Type.String())
	principalARN := p.ARN
	if p.Type == AssumedRole && p.RoleARN != "" {
		principalARN = p.RoleARN
	}
	c.Set("aws:PrincipalArn", principalARN)
	userID := p.UserID
	switch p.Type {
	case Root:
		if userID == "" {
			userID = p.Account
		}
	case User:
		c.Set("aws:username", lastSegment(p.ARN))
	case FederatedUser:
		if userID == "" {
			userID = p.Account + ":" + lastSegment(p.ARN)
		}
	}
	if userID != "" {
		c.Set("aws:userid", userID)
	}
}

func lastSegment(s string) string { return s[strings.LastIndexByte(s, '/')+1:] }

// principalSet is a compiled Principal or NotPrincipal element.
type principalSet struct {
	all       bool     // "Principal": "*"
	awsAll    bool     // {"AWS": "*"}
	accounts  []string // account IDs, from IDs and root ARNs
	users     []string // IAM user ARNs
	roles     []string // IAM role ARNs
	sessions  []string // assumed-role and federated-user session ARNs
	services  []string
	federated []string
	canonical []string
}

// grant says how a resource-policy statement names the caller, which decides
// which implicit denies still limit its Allow (see Decide).
type grant uint8

const (
	grantNone    grant = iota
	grantAccount       // names the account: delegates to the account's IAM policies
	grantLimited       // names the role (or the user behind a federated session): limited by boundary and session policies
	grantDirect        // names the caller itself, "*", a service or a provider
)

// match reports how the set names principal p.
//
// Per "AWS JSON policy elements: Principal": "*" and {"AWS": "*"} are
// equivalent for everyone AWS authenticates and for anonymous users; an
// account ID or arn:aws:iam::ACCT:root names every principal of the account
// ("Using the account ARN in the Principal element does not limit
// permissions to only the root user"); a role ARN names the sessions of the
// role; an assumed-role or federated-user ARN names that session; user ARNs
// are case-sensitive. {"AWS": "*"} is not taken to name service principals
// or identity-provider users.
func (s *principalSet) match(p *Principal) grant {
	if s.all {
		return grantDirect
	}
	switch p.typ() {
	case Anonymous:
		if s.awsAll {
			return grantDirect
		}
	case Service:
		if contains(s.services, p.Service) {
			return grantDirect
		}
	case WebIdentity:
		if contains(s.federated, p.Federated) {
			return grantDirect
		}
	default:
		return s.matchIAM(p)
	}
	return grantNone
}

func (s *principalSet) matchIAM(p *Principal) grant {
	if s.awsAll {
		return grantDirect
	}
	switch p.Type {
	case User:
		if contains(s.users, p.ARN) {
			return grantDirect
		}
	case AssumedRole:
		if contains(s.sessions, p.ARN) {
			return grantDirect
		}
		if contains(s.roles, p.RoleARN) {
			return grantLimited
		}
	case FederatedUser:
		if contains(s.sessions, p.ARN) {
			return grantDirect
		}
		if contains(s.users, p.UserARN) {
			return grantLimited
		}
	}
	if contains(s.accounts, p.Account) || p.CanonicalUser != "" && contains(s.canonical, p.CanonicalUser) {
		return grantAccount
	}
	return grantNone
}

// excludes reports whether a NotPrincipal set names p, exempting it from the
// statement.
//
// Per "AWS JSON policy elements: NotPrincipal", AWS may check each link of
// the caller's chain separately — the account, then the user, or the
// account, then the role, then the assumed-role session — so the element must
// name every link ("you must also specify the account ARN of the not-denied
// principal... we strongly recommend that you explicitly include the ARN for
// a user's account, or include both the ARN for a role and the ARN for the
// account containing that role"). A role ARN covers its sessions. And per
// "Permissions boundaries for IAM entities", a NotPrincipal Deny "will always
// deny any IAM principal that has a permissions boundary policy attached,
// regardless of the values specified in the NotPrincipal element" — even
// "*" — so denyBoundary (a Deny statement and a caller with a boundary) is
// checked first. The rule is stated for Deny only; an Allow with
// NotPrincipal exempts whoever it names, boundary or not.
func (s *principalSet) excludes(p *Principal, denyBoundary bool) bool {
	if denyBoundary && (p.typ() == User || p.typ() == AssumedRole) {
		return false
	}
	if s.all {
		return true
	}
	switch p.typ() {
	case Anonymous:
		return s.awsAll
	case Service:
		return contains(s.services, p.Service)
	case WebIdentity:
		return contains(s.federated, p.Federated)
	}
	if s.awsAll {
		return true
	}
	if !contains(s.accounts, p.Account) {
		return false
	}
	switch p.Type {
	case User:
		return contains(s.users, p.ARN)
	case AssumedRole:
		// The role link needs the role ARN, which also covers the session
		// link, so naming the session alone is not enough.
		return contains(s.roles, p.RoleARN)
	case FederatedUser:
		return contains(s.sessions, p.ARN) || contains(s.users, p.UserARN)
	}
	return true // Root: the account is the whole chain
}

func contains(list []string, s string) bool {
	if s == "" {
		return false
	}
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// awsPrincipalKind classifies an "AWS" principal value.
type awsPrincipalKind uint8

const (
	awsInvalid awsPrincipalKind = iota
	awsAll
	awsAccount
	awsUser
	awsRole
	awsSession
	awsUniqueID
)

// classifyAWS validates an "AWS" principal value and returns its kind and,
// for accounts, the account ID. "You cannot use a wildcard to match part of
// a principal name or ARN"; groups, policies and other IAM resources are
// not principals.
func classifyAWS(v string) (awsPrincipalKind, string) {
	switch {
	case v == "*":
		return awsAll, ""
	case isAccountID(v):
		return awsAccount, v
	case isUniqueID(v):
		return awsUniqueID, ""
	case arn.HasWildcard(v):
		return awsInvalid, ""
	}
	a, err := arn.Parse(v)
	if err != nil || a.Region != "" || !isAccountID(a.Account) {
		return awsInvalid, ""
	}
	typ, name, _ := strings.Cut(a.Resource, "/")
	switch {
	case a.Service == "iam" && a.Resource == "root":
		return awsAccount, a.Account
	case a.Service == "iam" && typ == "user" && validPathName(name):
		return awsUser, ""
	case a.Service == "iam" && typ == "role" && validPathName(name):
		return awsRole, ""
	case a.Service == "sts" && typ == "assumed-role" && validSession(name):
		return awsSession, ""
	case a.Service == "sts" && typ == "federated-user" && name != "" && !strings.Contains(name, "/"):
		return awsSession, ""
	}
	return awsInvalid, ""
}

// validPathName accepts "name" or "path/.../name" with no empty parts.
func validPathName(s string) bool {
	if s == "" {
		return false
	}
	for _, part := range strings.Split(s, "/") {
		if part == "" {
			return false
		}
	}
	return true
}

// validSession accepts "ROLE/SESSION".
func validSession(s string) bool {
	role, session, ok := strings.Cut(s, "/")
	return ok && role != "" && session != "" && !strings.Contains(session, "/")
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isUniqueID recognises IAM unique IDs (AIDA... users, AROA... roles), which
// AWS shows in place of a principal ARN whose user or role was deleted. Such
// an entry never matches a caller.
func isUniqueID(s string) bool {
	if len(s) < 16 || len(s) > 128 || !(strings.HasPrefix(s, "AIDA") || strings.HasPrefix(s, "AROA")) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
