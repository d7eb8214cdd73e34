// Package sts is AWS Security Token Service as grantd implements it: role
// sessions (AssumeRole, AssumeRoleWithWebIdentity), user sessions
// (GetSessionToken), and AssumeRoleAsService, the Go-level API through
// which grantd's own services (S3 Access Grants' GetDataAccess) assume a
// role as an AWS service principal.
//
// Every session is stateless: its claims (principal, expiry, session
// policies, tags, source identity, provided contexts) are sealed into the
// session token with the deployment's keyring (internal/sessiontoken), so
// any node authenticates and authorizes requests signed with it without a
// database read. Role assumption is authorized by internal/authz with the
// role's trust policy as the resource policy, exactly as AWS evaluates it:
// the caller's identity side and the trust policy must both allow across
// accounts; in one account the trust policy may allow on its own when it
// names the caller (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
//
// The package knows nothing of HTTP: internal/api/stsapi decodes the Query
// protocol and maps this package's errors (errs kinds with AWS's reasons)
// to wire codes.
package sts

import (
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"time"

	"github.com/grantd/grantd/internal/authz"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/policy"
	"github.com/grantd/grantd/internal/sessiontoken"
)

// Store is what the service reads: roles (with their trust policies,
// maximum session durations and tags) and managed policies, to check the
// ARNs passed as session policies.
type Store interface {
	GetRole(ctx context.Context, account, name string) (meta.Role, error)
	PolicyDocument(ctx context.Context, arn string) (string, error)
}

// Authorizer decides requests and compiles trust policies; *authz.Authorizer
// implements it.
type Authorizer interface {
	Decide(ctx context.Context, req authz.Request) (policy.Decision, error)
	Compile(kind policy.Kind, source, doc string) (*policy.Policy, error)
}

// Options configure New.
type Options struct {
	Store Store
	Authz Authorizer
	// Keyring returns the keys that seal session tokens. It is called for
	// every session so a ring reloaded after a key rotation is used at once
	// (auth.Authenticator.Keyring fits).
	Keyring func() *sessiontoken.Keyring
	// OIDC reads IAM OpenID Connect providers for AssumeRoleWithWebIdentity;
	// nil disables that operation (every token is rejected).
	OIDC OIDCStore
	// HTTPClient fetches identity providers' discovery documents and keys.
	// nil means one that trusts the system roots and, per provider, the
	// certificates whose SHA-1 thumbprints the provider lists (see jwks.go).
	HTTPClient *http.Client
	// Now is the clock; Rand the randomness of access keys and secrets.
	Now  func() time.Time
	Rand io.Reader
}

// Service implements STS.
type Service struct {
	store   Store
	authz   Authorizer
	keyring func() *sessiontoken.Keyring
	now     func() time.Time
	rand    io.Reader
	oidc    *oidcVerifier
	roles   roleCache
}

// New returns the service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	s := &Service{store: o.Store, authz: o.Authz, keyring: o.Keyring, now: o.Now, rand: o.Rand}
	if o.OIDC != nil {
		s.oidc = newOIDCVerifier(o.OIDC, o.HTTPClient, o.Now)
	}
	return s
}

// Credentials are temporary security credentials.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// AssumedRoleUser names a role session: AssumedRoleID is ROLEID:SESSION,
// ARN is arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.
type AssumedRoleUser struct {
	AssumedRoleID string
	ARN           string
}

// RoleSession is the result of assuming a role.
type RoleSession struct {
	Credentials     Credentials
	AssumedRoleUser AssumedRoleUser
	// PackedPolicySize is how full the packed session policies and tags
	// are, in percent of the limit; 0 when the session has neither.
	PackedPolicySize int
	// SourceIdentity is the session's source identity, if any.
	SourceIdentity string
	// Claims are the sealed claims, for callers inside grantd that record
	// or inspect the session (tests, audit).
	Claims *sessiontoken.Claims
}

// Tag is a session tag.
type Tag = sessiontoken.Tag

// ProvidedContext is a trusted context assertion (sts:SetContext).
type ProvidedContext = sessiontoken.ProvidedContext

// Reasons of this package's errors; internal/api/stsapi maps each to the
// wire code of the same name, and S3 Access Grants maps the service ones.
const (
	ReasonAccessDenied          = "AccessDenied"
	ReasonValidation            = "ValidationError"
	ReasonMalformedPolicy       = "MalformedPolicyDocument"
	ReasonPackedPolicyTooLarge  = "PackedPolicyTooLarge"
	ReasonInvalidParameterValue = "InvalidParameterValue"
	ReasonInvalidIdentityToken  = "InvalidIdentityToken"
	ReasonExpiredToken          = "ExpiredTokenException"
	ReasonIDPRejectedClaim      = "IDPRejectedClaim"
	ReasonIDPCommunication      = "IDPCommunicationError"

	// ReasonServiceNotAuthorized, ReasonServiceValidation and
	// ReasonServicePackedPolicyTooLarge are AssumeRoleAsService's errors,
	// named after the codes GetDataAccess answers with.
	ReasonServiceNotAuthorized        = "StsNotAuthorizedError"
	ReasonServiceValidation           = "StsValidationError"
	ReasonServicePackedPolicyTooLarge = "StsPackedPolicyTooLargeError"
)

// Sentinels for errors.Is (errs.Error compares kind and reason).
var (
	ErrAccessDenied          = errs.E(errs.Denied, ReasonAccessDenied, "")
	ErrValidation            = errs.E(errs.Invalid, ReasonValidation, "")
	ErrMalformedPolicy       = errs.E(errs.Invalid, ReasonMalformedPolicy, "")
	ErrPackedPolicyTooLarge  = errs.E(errs.Invalid, ReasonPackedPolicyTooLarge, "")
	ErrInvalidParameterValue = errs.E(errs.Invalid, ReasonInvalidParameterValue, "")
	ErrInvalidIdentityToken  = errs.E(errs.Invalid, ReasonInvalidIdentityToken, "")
	ErrExpiredToken          = errs.E(errs.Invalid, ReasonExpiredToken, "")
	ErrIDPRejectedClaim      = errs.E(errs.Denied, ReasonIDPRejectedClaim, "")
	ErrIDPCommunication      = errs.E(errs.Invalid, ReasonIDPCommunication, "")

	// ErrServiceNotAuthorized: the role's trust policy does not let the
	// service principal assume it (GetDataAccess: StsNotAuthorizedError).
	ErrServiceNotAuthorized = errs.E(errs.Denied, ReasonServiceNotAuthorized, "")
	// ErrServiceValidation: the duration exceeds the role's maximum
	// session duration (GetDataAccess: StsValidationError).
	ErrServiceValidation = errs.E(errs.Invalid, ReasonServiceValidation, "")
	// ErrServicePackedPolicyTooLarge: the session policy does not fit
	// (GetDataAccess: StsPackedPolicyTooLargeError).
	ErrServicePackedPolicyTooLarge = errs.E(errs.Invalid, ReasonServicePackedPolicyTooLarge, "")
)

func denied(format string, args ...any) error {
	return errs.E(errs.Denied, ReasonAccessDenied, format, args...)
}

func invalidParameter(format string, args ...any) error {
	return errs.E(errs.Invalid, ReasonInvalidParameterValue, format, args...)
}

func validationError(format string, args ...any) error {
	return errs.E(errs.Invalid, ReasonValidation, format, args...)
}

// stsErr returns an error with one of this package's reasons; the kind
// follows from the reason.
func stsErr(reason, msg string) error {
	kind := errs.Invalid
	switch reason {
	case ReasonAccessDenied, ReasonIDPRejectedClaim:
		kind = errs.Denied
	}
	return errs.E(kind, reason, "%s", msg)
}
