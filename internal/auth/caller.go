// Package auth authenticates requests: it verifies the SigV4 signature with
// the secret of the access key the request names — a long-term key from the
// store, or a session key sealed in the session token — and returns the
// Caller, the principal every later authorization decision is about.
package auth

import (
	"strings"

	"github.com/grantd/grantd/internal/sessiontoken"
)

// Kind is the type of principal.
type Kind uint8

// The principal kinds.
const (
	Anonymous   Kind = iota // an unsigned request
	Root                    // an account's root user
	User                    // an IAM user
	AssumedRole             // a role session
	Service                 // an AWS service principal acting inside grantd
	WebIdentity             // an identity-provider user presenting a token to AssumeRoleWithWebIdentity
)

var kindNames = [...]string{"Anonymous", "Root", "User", "AssumedRole", "Service", "WebIdentity"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Unknown"
}

// Caller is an authenticated principal.
type Caller struct {
	Kind    Kind
	Account string
	// ARN as STS GetCallerIdentity reports it: arn:aws:iam::A:root,
	// arn:aws:iam::A:user/path/name, arn:aws:sts::A:assumed-role/role/session.
	ARN string
	// UserID as GetCallerIdentity reports it: the account ID for root,
	// AIDA… for users, AROA…:session for role sessions.
	UserID string
	// Name is the user or role name; Path its IAM path.
	Name string
	Path string
	// RoleARN is the IAM ARN of the role behind a role session.
	RoleARN string
	// Service is the service principal name (Kind Service).
	Service string
	// Federated is the identity provider of a WebIdentity caller, as trust
	// policies name it in {"Federated": …}: an IAM OIDC provider's ARN.
	Federated string
	// AccessKeyID signed the request.
	AccessKeyID string
	// Session holds the claims of temporary credentials; nil for
	// long-term keys.
	Session *sessiontoken.Claims
	// PermissionsBoundary is the user's boundary policy ARN, if any.
	PermissionsBoundary string
}

// RootARN returns the ARN of account's root user.
func RootARN(account string) string { return "arn:aws:iam::" + account + ":root" }

// RootCaller returns the root user of account as a caller.
func RootCaller(account, accessKeyID string) *Caller {
	return &Caller{Kind: Root, Account: account, ARN: RootARN(account), UserID: account, AccessKeyID: accessKeyID}
}

// SessionCaller returns the caller that session credentials stand for.
func SessionCaller(c *sessiontoken.Claims) *Caller {
	caller := &Caller{Account: c.Account, AccessKeyID: c.AccessKeyID, Session: c}
	switch c.Kind {
	case sessiontoken.AssumedRole:
		name, path := splitRoleARN(c.RoleARN)
		caller.Kind = AssumedRole
		caller.Name, caller.Path = name, path
		caller.RoleARN = c.RoleARN
		caller.ARN = "arn:aws:sts::" + c.Account + ":assumed-role/" + name + "/" + c.SessionName
		caller.UserID = c.RoleID + ":" + c.SessionName
	case sessiontoken.RootSession:
		caller.Kind = Root
		caller.ARN = RootARN(c.Account)
		caller.UserID = c.Account
	case sessiontoken.UserSession:
		caller.Kind = User
		caller.ARN = c.UserARN
		caller.UserID = c.UserID
		caller.Name, caller.Path = splitUserARN(c.UserARN)
	case sessiontoken.FederatedUser:
		caller.Kind = User
		caller.ARN = "arn:aws:sts::" + c.Account + ":federated-user/" + c.SessionName
		caller.UserID = c.Account + ":" + c.SessionName
		caller.Name = c.SessionName
	}
	return caller
}

// splitRoleARN returns the name and path of arn:aws:iam::A:role/path/name.
func splitRoleARN(arn string) (name, path string) {
	_, res, ok := strings.Cut(arn, ":role/")
	if !ok {
		return "", "/"
	}
	return splitPathName(res)
}

func splitUserARN(arn string) (name, path string) {
	_, res, ok := strings.Cut(arn, ":user/")
	if !ok {
		return "", "/"
	}
	return splitPathName(res)
}

func splitPathName(res string) (name, path string) {
	i := strings.LastIndexByte(res, '/')
	if i < 0 {
		return res, "/"
	}
	return res[i+1:], "/" + res[:i+1]
}

// IsSession reports whether the caller signed with temporary credentials.
func (c *Caller) IsSession() bool { return c.Session != nil }
