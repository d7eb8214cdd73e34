package sts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/sessiontoken"
)

// webIdentitySkew is the clock skew allowed around a token's exp and nbf:
// "IAM provides a five-minute window beyond the expiration time specified
// in the JWT to account for clock skew"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc.html).
const webIdentitySkew = 5 * time.Minute

// AssumeRoleWithWebIdentityInput is AssumeRoleWithWebIdentity's request.
type AssumeRoleWithWebIdentityInput struct {
	RoleARN          *string
	RoleSessionName  *string
	WebIdentityToken *string
	ProviderID       *string
	PolicyARNs       []string
	Policy           *string
	DurationSeconds  *int
}

// WebIdentitySession is AssumeRoleWithWebIdentity's result.
type WebIdentitySession struct {
	RoleSession
	// SubjectFromWebIdentityToken is the token's sub claim.
	SubjectFromWebIdentityToken string
	// Audience is the client ID the token was issued to (azp, else aud).
	Audience string
	// Provider is the token's issuer (iss).
	Provider string
}

func (in *AssumeRoleWithWebIdentityInput) validate() error {
	var v violations
	v.common(in.RoleARN, in.RoleSessionName, in.PolicyARNs, in.DurationSeconds)
	v.str("webIdentityToken", in.WebIdentityToken, true, 4, maxTokenLen, nil)
	v.str("providerId", in.ProviderID, false, 4, 2048, nil)
	v.str("policy", in.Policy, false, 1, 2048, &policyPattern)
	return v.err()
}

var (
	errNotAuthorizedWeb = denied("Not authorized to perform sts:AssumeRoleWithWebIdentity")
	errInvalidJWT       = stsErr(ReasonInvalidIdentityToken, "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")
	errBadSignature     = stsErr(ReasonInvalidIdentityToken, "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.")
	errAudience         = stsErr(ReasonInvalidIdentityToken, "Incorrect token audience")
)

// AssumeRoleWithWebIdentity exchanges an OpenID Connect ID token for a
// session of the role
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html).
// The token's issuer must be an IAM OIDC provider of the role's account,
// its audience one of the provider's client IDs, its signature one made with
// a key the provider publishes, and it must not have expired. The role's
// trust policy then decides with the provider as the federated principal
// and the token's claims as <provider>:sub, <provider>:aud, <provider>:oaud
// and <provider>:amr.
func (s *Service) AssumeRoleWithWebIdentity(ctx context.Context, in AssumeRoleWithWebIdentityInput) (*WebIdentitySession, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	if in.ProviderID != nil {
		return nil, invalidParameter("ProviderId names an OAuth 2.0 provider (www.amazon.com, graph.facebook.com); grantd accepts only OpenID Connect ID tokens, without ProviderId.")
	}
	policyDoc, err := sessionPolicy(in.Policy)
	if err != nil {
		return nil, err
	}
	ref, ok, err := parseRoleARN(*in.RoleARN)
	if err != nil {
		return nil, err
	}
	tok, err := parseJWT(*in.WebIdentityToken)
	if err != nil || tok.claims.Iss == "" {
		return nil, errInvalidJWT
	}
	var role meta.Role
	if ok {
		if role, ok, err = s.findRole(ctx, ref); err != nil {
			return nil, err
		}
	}
	if !ok {
		return nil, errNotAuthorizedWeb
	}
	prov, err := s.verifyToken(ctx, role.AccountID, tok)
	if err != nil {
		return nil, err
	}
	spec := &sessionSpec{role: role, name: *in.RoleSessionName, policy: policyDoc, policyARNs: in.PolicyARNs}
	if err := spec.fromToken(tok, prov); err != nil {
		return nil, err
	}
	if err := s.authorizeWeb(ctx, spec, tok, prov); err != nil {
		return nil, err
	}
	seconds := defaultRoleDuration
	if in.DurationSeconds != nil {
		seconds = *in.DurationSeconds
	}
	if err := checkDuration(seconds, role, false); err != nil {
		return nil, err
	}
	spec.duration = time.Duration(seconds) * time.Second
	if err := s.checkPolicyARNs(ctx, role, in.PolicyARNs); err != nil {
		return nil, err
	}
	rs, err := s.issue(spec, packed.err)
	if err != nil {
		return nil, err
	}
	return &WebIdentitySession{RoleSession: *rs, SubjectFromWebIdentityToken: tok.claims.Sub,
		Audience: tokenAudience(tok, prov), Provider: tok.claims.Iss}, nil
}

// verifyToken finds the token issuer's IAM OIDC provider in account and
// checks the token's audience, signature and validity period.
func (s *Service) verifyToken(ctx context.Context, account string, tok *jwt) (meta.OIDCProvider, error) {
	var prov meta.OIDCProvider
	noProvider := stsErr(ReasonInvalidIdentityToken, "No OpenIDConnect provider found in your account for "+tok.claims.Iss)
	// IAM keeps provider URLs without https:// and without a trailing
	// slash (iam.providerHost), as it names them in ARNs.
	host, isHTTPS := strings.CutPrefix(tok.claims.Iss, "https://")
	host = strings.TrimSuffix(host, "/")
	if s.oidc == nil || !isHTTPS || host == "" {
		return prov, noProvider
	}
	prov, err := s.oidc.store.GetOIDCProvider(ctx, "arn:aws:iam::"+account+":oidc-provider/"+host)
	if errors.Is(err, meta.ErrNotFound) {
		return prov, noProvider
	}
	if err != nil {
		return prov, fmt.Errorf("look up OIDC provider %s: %w", host, err)
	}
	if !audienceMatches(tok.claims.Aud, prov.ClientIDs) {
		return prov, errAudience
	}
	key, err := s.oidc.key(ctx, prov, tok)
	if err != nil {
		return prov, err
	}
	if tok.verify(key) != nil {
		return prov, errBadSignature
	}
	return prov, s.checkValidity(tok)
}

// checkValidity checks exp (required) and nbf with the allowed skew.
func (s *Service) checkValidity(tok *jwt) error {
	now := s.now()
	exp, ok := numericDate(tok.claims.Exp)
	if !ok {
		return errInvalidJWT
	}
	if !now.Before(exp.Add(webIdentitySkew)) {
		return stsErr(ReasonExpiredToken, fmt.Sprintf("Token expired: current date/time %d must be before the expiration date/time %d", now.Unix(), exp.Unix()))
	}
	if nbf, ok := numericDate(tok.claims.Nbf); ok && now.Add(webIdentitySkew).Before(nbf) {
		return stsErr(ReasonIDPRejectedClaim, fmt.Sprintf("Token is not yet valid: current date/time %d must not be before the not-before date/time %d", now.Unix(), nbf.Unix()))
	}
	return nil
}

// numericDate reads a NumericDate claim (seconds since the epoch, possibly
// fractional).
func numericDate(n *json.Number) (time.Time, bool) {
	if n == nil {
		return time.Time{}, false
	}
	f, err := n.Float64()
	if err != nil || f < 0 || f > 1e11 {
		return time.Time{}, false
	}
	return time.Unix(0, int64(f*1e9)), true
}

func audienceMatches(aud, clientIDs []string) bool {
	for _, a := range aud {
		for _, c := range clientIDs {
			if a == c {
				return true
			}
		}
	}
	return false
}

// tokenAudience is the client the token was issued to: azp when set (a
// token for several audiences names its authorized party there), else the
// aud value that is one of the provider's client IDs.
func tokenAudience(t *jwt, prov meta.OIDCProvider) string {
	if t.claims.Azp != "" {
		return t.claims.Azp
	}
	for _, a := range t.claims.Aud {
		for _, c := range prov.ClientIDs {
			if a == c {
				return a
			}
		}
	}
	return ""
}

// fromToken sets the session's web-identity context, session tags and
// source identity from the token's claims.
func (spec *sessionSpec) fromToken(tok *jwt, prov meta.OIDCProvider) error {
	spec.web = &sessiontoken.WebIdentity{Provider: prov.ARN, Subject: tok.claims.Sub, Audience: tokenAudience(tok, prov)}
	if si := tok.claims.SourceIdentity; si != nil {
		var v violations
		v.str("sourceIdentity", si, false, 2, 64, &namePattern)
		if len(v) > 0 { // the pattern also keeps out the reserved "aws:" prefix
			return stsErr(ReasonInvalidIdentityToken, "The source identity claim of the web identity token is invalid.")
		}
		spec.sourceIdentity = *si
	}
	if tt := tok.claims.AWSTags; tt != nil {
		keys := make([]string, 0, len(tt.PrincipalTags))
		for k := range tt.PrincipalTags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			vals := tt.PrincipalTags[k]
			if len(vals) != 1 {
				return stsErr(ReasonInvalidIdentityToken, "Session tags in the web identity token must have exactly one value each.")
			}
			spec.tags = append(spec.tags, Tag{Key: k, Value: vals[0]})
		}
		spec.transitive = tt.TransitiveTagKeys
		var v violations
		v.tags(spec.tags, spec.transitive)
		if len(v) > 0 {
			return stsErr(ReasonInvalidIdentityToken, "The session tags in the web identity token are invalid: "+strings.Join(v, "; "))
		}
	}
	return nil
}

// authorizeWeb evaluates the trust policy for the provider's user.
func (s *Service) authorizeWeb(ctx context.Context, spec *sessionSpec, tok *jwt, prov meta.OIDCProvider) error {
	u := prov.URL
	keys := append(sessionKeys(spec),
		authzKey(u+":sub", tok.claims.Sub),
		authzKey(u+":aud", tokenAudience(tok, prov)),
		authzKey(u+":oaud", tok.claims.Aud...),
		authzKey("aws:FederatedProvider", prov.ARN))
	if len(tok.claims.Amr) > 0 {
		keys = append(keys, authzKey(u+":amr", tok.claims.Amr...))
	}
	req, err := s.trustRequest(spec.role, keys)
	if err != nil {
		return err
	}
	caller := &auth.Caller{Kind: auth.WebIdentity, Federated: prov.ARN}
	outer := auth.FromContext(ctx)
	wctx := auth.WithRequest(ctx, &auth.Request{Caller: caller, Region: outer.Region, SourceIP: outer.SourceIP,
		Secure: outer.Secure, Time: outer.Time, UserAgent: outer.UserAgent})
	deniedAction, err := s.authorize(wctx, req, sessionActions("sts:AssumeRoleWithWebIdentity", spec))
	if err != nil {
		return err
	}
	if deniedAction != "" {
		return errNotAuthorizedWeb
	}
	return nil
}
