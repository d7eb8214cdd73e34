package sts

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/sessiontoken"
)

// AssumeRoleInput is AssumeRole's request. Pointers are nil when the
// parameter was not sent.
type AssumeRoleInput struct {
	RoleARN           *string
	RoleSessionName   *string
	PolicyARNs        []string
	Policy            *string
	DurationSeconds   *int
	Tags              []Tag
	TransitiveTagKeys []string
	ExternalID        *string
	SerialNumber      *string
	TokenCode         *string
	SourceIdentity    *string
	ProvidedContexts  []ProvidedContext
	// ProvidedContextsSent reports whether ProvidedContexts was sent (an
	// empty list is then a validation error).
	ProvidedContextsSent bool
}

func (in *AssumeRoleInput) validate() error {
	var v violations
	v.common(in.RoleARN, in.RoleSessionName, in.PolicyARNs, in.DurationSeconds)
	v.str("policy", in.Policy, false, 1, 0, &policyPattern)
	v.tags(in.Tags, in.TransitiveTagKeys)
	v.str("externalId", in.ExternalID, false, 2, 1224, &externalPattern)
	v.str("serialNumber", in.SerialNumber, false, 9, 256, &serialPattern)
	v.str("tokenCode", in.TokenCode, false, 6, 6, &tokenPattern)
	v.str("sourceIdentity", in.SourceIdentity, false, 2, 64, &namePattern)
	v.providedContexts(in.ProvidedContexts, in.ProvidedContextsSent)
	return v.err()
}

// errMFA answers MFA parameters: grantd has no MFA devices, so no serial
// number and code can be valid.
var errMFA = denied("MultiFactorAuthentication failed with invalid MFA one time pass code.")

// AssumeRole makes a session of the role for the caller in ctx
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
// The caller's identity policies and the role's trust policy must allow
// sts:AssumeRole on the role (per AWS's cross-account rules), plus
// sts:TagSession, sts:SetSourceIdentity and sts:SetContext when the session
// gets tags, a source identity or provided contexts. A role session caller
// passes on its transitive tags and its source identity, and its new
// session lasts at most an hour.
func (s *Service) AssumeRole(ctx context.Context, in AssumeRoleInput) (*RoleSession, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	caller := auth.CallerFrom(ctx)
	if caller.Kind == auth.Root {
		return nil, denied("Roles may not be assumed by root accounts.")
	}
	if in.SerialNumber != nil || in.TokenCode != nil {
		return nil, errMFA
	}
	policyDoc, err := sessionPolicy(in.Policy)
	if err != nil {
		return nil, err
	}
	ref, ok, err := parseRoleARN(*in.RoleARN)
	if err != nil {
		return nil, err
	}
	spec := &sessionSpec{name: *in.RoleSessionName, policy: policyDoc, policyARNs: in.PolicyARNs,
		contexts: in.ProvidedContexts, chained: caller.Kind == auth.AssumedRole}
	if err := spec.inherit(caller.Session, in); errors.Is(err, errSourceIdentityChange) {
		// AWS refuses to change a source identity; it words the refusal
		// as a denial of sts:SetSourceIdentity.
		return nil, notAuthorized(caller, "sts:SetSourceIdentity", *in.RoleARN)
	} else if err != nil {
		return nil, err
	}
	if ok {
		spec.role, ok, err = s.findRole(ctx, ref)
		if err != nil {
			return nil, err
		}
	}
	if !ok {
		return nil, notAuthorized(caller, "sts:AssumeRole", *in.RoleARN)
	}
	if err := s.authorizeAssume(ctx, caller, spec, in.ExternalID); err != nil {
		return nil, err
	}
	seconds := defaultRoleDuration
	if in.DurationSeconds != nil {
		seconds = *in.DurationSeconds
	}
	if err := checkDuration(seconds, spec.role, caller.IsSession()); err != nil {
		return nil, err
	}
	spec.duration = time.Duration(seconds) * time.Second
	if err := s.checkPolicyARNs(ctx, spec.role, in.PolicyARNs); err != nil {
		return nil, err
	}
	return s.issue(spec, packed.err)
}

// authorizeAssume decides sts:AssumeRole and the session's extra actions
// for the caller, with the trust policy as the resource policy.
func (s *Service) authorizeAssume(ctx context.Context, caller *auth.Caller, spec *sessionSpec, externalID *string) error {
	keys := sessionKeys(spec)
	if externalID != nil {
		keys = append(keys, authzKey("sts:ExternalId", *externalID))
	}
	req, err := s.trustRequest(spec.role, keys)
	if err != nil {
		return err
	}
	deniedAction, err := s.authorize(ctx, req, sessionActions("sts:AssumeRole", spec))
	if err != nil {
		return err
	}
	if deniedAction != "" {
		return notAuthorized(caller, deniedAction, spec.role.ARN)
	}
	return nil
}

// inherit sets the session's tags and source identity from the request and
// the calling session: transitive session tags carry over and cannot be
// overridden; a source identity, once set, cannot change
// (id_session-tags.html#id_session-tags_role-chaining,
// id_credentials_temp_control-access_monitor.html).
func (spec *sessionSpec) inherit(from *sessiontoken.Claims, in AssumeRoleInput) error {
	requested := map[string]bool{}
	for _, t := range in.Tags {
		k := strings.ToLower(t.Key)
		if requested[k] {
			return invalidParameter("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		requested[k] = true
	}
	for _, k := range in.TransitiveTagKeys {
		if !requested[strings.ToLower(k)] {
			return invalidParameter("The specified transitive tag key must be included in the requested tags.")
		}
	}
	spec.tags = append([]Tag(nil), in.Tags...)
	spec.transitive = append([]string(nil), in.TransitiveTagKeys...)
	if in.SourceIdentity != nil {
		spec.sourceIdentity = *in.SourceIdentity
	}
	if from == nil {
		return nil
	}
	for _, t := range transitiveTags(from) {
		if requested[strings.ToLower(t.Key)] {
			return invalidParameter("One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.")
		}
		spec.tags = append(spec.tags, t)
		spec.transitive = append(spec.transitive, t.Key)
	}
	if from.SourceIdentity != "" {
		if in.SourceIdentity != nil && *in.SourceIdentity != from.SourceIdentity {
			return errSourceIdentityChange
		}
		spec.sourceIdentity = from.SourceIdentity
	}
	return nil
}

// errSourceIdentityChange marks a request that would change the calling
// session's source identity.
var errSourceIdentityChange = errors.New("source identity change")

// transitiveTags returns the tags of a session that are transitive.
func transitiveTags(c *sessiontoken.Claims) []Tag {
	if len(c.TransitiveTagKeys) == 0 {
		return nil
	}
	keys := make(map[string]bool, len(c.TransitiveTagKeys))
	for _, k := range c.TransitiveTagKeys {
		keys[strings.ToLower(k)] = true
	}
	var out []Tag
	for _, t := range c.Tags {
		if keys[strings.ToLower(t.Key)] {
			out = append(out, t)
		}
	}
	return out
}
