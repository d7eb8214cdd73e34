package sessiontoken

import (
	"errors"
	"fmt"
	"time"
)

// Kind says what kind of principal a session belongs to.
type Kind uint8

// The session kinds. The zero Kind is invalid, so a Claims value that was
// never filled in cannot be sealed.
const (
	// AssumedRole is a role session from AssumeRole,
	// AssumeRoleWithWebIdentity or S3 Access Grants GetDataAccess.
	AssumedRole Kind = iota + 1
	// FederatedUser is a GetFederationToken session.
	FederatedUser
	// UserSession is a GetSessionToken session of an IAM user.
	UserSession
	// RootSession is a GetSessionToken session of an account's root user.
	RootSession

	maxKind = RootSession
)

// String returns the name of the constant, or "Kind(N)" for an invalid kind.
func (k Kind) String() string {
	switch k {
	case AssumedRole:
		return "AssumedRole"
	case FederatedUser:
		return "FederatedUser"
	case UserSession:
		return "UserSession"
	case RootSession:
		return "RootSession"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Claims is everything a session token carries: what is needed to verify a
// request signed with the session's keys and to decide what the session may
// do. Empty strings and empty slices are not encoded; slices that were empty
// come back from [Keyring.Open] as nil, and times come back in UTC.
type Claims struct {
	// AccessKeyID is the session's access key ID (see [NewAccessKeyID]). It
	// is not stored in the token but bound to it: Open only succeeds when
	// given the same access key ID, and sets this field to it.
	AccessKeyID string
	// SecretAccessKey is the session's secret key (see [NewSecret]); the
	// server needs it to verify SigV4 signatures made with the session.
	SecretAccessKey string
	// IssuedAt is when the session was created (aws:TokenIssueTime).
	IssuedAt time.Time
	// Expiration is the first instant at which the session is no longer valid.
	Expiration time.Time
	// Account is the 12-digit ID of the account of the session's principal.
	Account string
	// Kind is the kind of principal.
	Kind Kind
	// RoleARN (including the role's path) and RoleID (AROA…) name the role
	// of an AssumedRole session.
	RoleARN, RoleID string
	// SessionName is the role session name, or the federated user's name.
	SessionName string
	// UserARN and UserID name the long-term identity behind a UserSession or
	// RootSession (and the IAM user that called GetFederationToken).
	UserARN, UserID string
	// SessionPolicy is the inline session policy document (JSON), if any.
	SessionPolicy string
	// PolicyARNs are the managed session policies.
	PolicyARNs []string
	// SourceIdentity is the sts:SourceIdentity set when the session was made.
	SourceIdentity string
	// Tags are the session tags (aws:PrincipalTag).
	Tags []Tag
	// TransitiveTagKeys are the keys of the tags that carry over when this
	// session assumes another role.
	TransitiveTagKeys []string
	// ProvidedContexts are the trusted context assertions (sts:ProvidedContexts).
	ProvidedContexts []ProvidedContext
	// Chained is true when a role session created this session by assuming a
	// role (role chaining: the session's duration is capped at one hour).
	Chained bool
	// WebIdentity is set for sessions made by AssumeRoleWithWebIdentity.
	WebIdentity *WebIdentity
	// GrantARN and InstanceARN are set when S3 Access Grants GetDataAccess
	// vended the session: the matched grant and its Access Grants instance.
	GrantARN, InstanceARN string
	// DirectoryUserID and IdentityStoreARN identify the directory user of an
	// identity-enhanced session.
	DirectoryUserID, IdentityStoreARN string
}

// Tag is a session tag.
type Tag struct {
	Key, Value string
}

// ProvidedContext is one trusted context assertion passed to AssumeRole.
type ProvidedContext struct {
	ProviderARN, ContextAssertion string
}

// WebIdentity is the identity-provider context of an
// AssumeRoleWithWebIdentity session.
type WebIdentity struct {
	// Provider is the identity provider: the IAM OIDC provider's ARN
	// (arn:aws:iam::ACCOUNT:oidc-provider/HOST), the session's
	// aws:FederatedProvider.
	Provider string
	// Subject is the token's sub claim.
	Subject string
	// Audience is the token's aud claim; it may be empty.
	Audience string
}

// validate checks the invariants that Open relies on, so that a broken
// Claims value fails at Seal time instead of minting a half-formed session.
// Field contents beyond these (ARN syntax, tag limits, policy size) are the
// STS layer's business.
func (c *Claims) validate() error {
	switch {
	case !ValidAccessKeyID(c.AccessKeyID):
		return fmt.Errorf("sessiontoken: access key ID %q is not ASIA followed by 16 characters of A-Z2-7", c.AccessKeyID)
	case c.SecretAccessKey == "":
		return errors.New("sessiontoken: empty secret access key")
	case !validAccount(c.Account):
		return fmt.Errorf("sessiontoken: account %q is not 12 digits", c.Account)
	case c.Kind == 0 || c.Kind > maxKind:
		return fmt.Errorf("sessiontoken: invalid kind %d", uint8(c.Kind))
	case !encodableTime(c.IssuedAt) || !encodableTime(c.Expiration):
		return errors.New("sessiontoken: IssuedAt and Expiration must be set, between years 1678 and 2261")
	case !c.Expiration.After(c.IssuedAt):
		return errors.New("sessiontoken: Expiration is not after IssuedAt")
	case c.Kind == AssumedRole && (c.RoleARN == "" || c.RoleID == ""):
		return errors.New("sessiontoken: an AssumedRole session needs RoleARN and RoleID")
	case (c.Kind == UserSession || c.Kind == RootSession) && c.UserARN == "":
		return errors.New("sessiontoken: a user or root session needs UserARN")
	}
	return nil
}

func validAccount(s string) bool {
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

// encodableTime reports whether t is set and survives the int64 Unix
// nanoseconds encoding.
func encodableTime(t time.Time) bool {
	return !t.IsZero() && t.Year() > 1677 && t.Year() < 2262
}
