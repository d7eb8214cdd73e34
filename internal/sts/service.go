package sts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/errs"
)

// ServiceAssumeInput is a request by one of grantd's own services to assume
// a role as an AWS service principal.
type ServiceAssumeInput struct {
	// Service is the service principal, e.g. "access-grants.s3.amazonaws.com".
	Service string
	// RoleARN is the role to assume; SessionName the role session name
	// (2–64 characters of [\w+=,.@-]).
	RoleARN     string
	SessionName string
	// Duration of the session: 900 seconds up to the role's
	// MaxSessionDuration (longer fails with ErrServiceValidation).
	Duration time.Duration
	// SessionPolicy is an inline session policy (JSON) narrowing the
	// role's permissions; empty for none. Too large a policy fails with
	// ErrServicePackedPolicyTooLarge.
	SessionPolicy string
	// SourceIdentity, when set, needs sts:SetSourceIdentity in the trust
	// policy; ProvidedContexts need sts:SetContext.
	SourceIdentity   string
	ProvidedContexts []ProvidedContext
	// SourceAccount and SourceARN are the aws:SourceAccount and
	// aws:SourceArn condition keys: the account and resource on whose
	// behalf the service acts (the confused-deputy guard in trust policies).
	SourceAccount string
	SourceARN     string
	// GrantARN and InstanceARN are sealed into the session: the S3 data
	// plane sets s3:AccessGrantsInstanceArn from InstanceARN, and can
	// refuse sessions of revoked grants.
	GrantARN    string
	InstanceARN string
	// DirectoryUserID and IdentityStoreARN identify the directory user of
	// an identity-enhanced session.
	DirectoryUserID  string
	IdentityStoreARN string
}

// AssumeRoleAsService assumes in.RoleARN as the service principal
// in.Service, the way an AWS service assumes a customer's role on its own
// behalf: the role's trust policy alone decides
// ({"Principal":{"Service": in.Service}}, actions sts:AssumeRole plus
// sts:SetSourceIdentity and sts:SetContext as needed, with aws:SourceAccount
// and aws:SourceArn in the context). It does not look at the caller in ctx,
// whom the calling service has authorized already.
//
// Errors (test with errors.Is): ErrServiceNotAuthorized when the role does
// not exist or its trust policy does not allow the service;
// ErrServiceValidation when Duration exceeds the role's MaxSessionDuration
// or STS's 900–43200 seconds, or the session or role name breaks STS's
// constraints; ErrServicePackedPolicyTooLarge for an oversize session
// policy. A session policy that is not a valid identity policy is a bug in
// the calling service: an errs.Invalid error with reason
// MalformedPolicyDocument.
func (s *Service) AssumeRoleAsService(ctx context.Context, in ServiceAssumeInput) (*RoleSession, error) {
	seconds := int(in.Duration / time.Second)
	var v violations
	v.str("roleArn", &in.RoleARN, true, 20, 2048, &arnPattern)
	v.str("roleSessionName", &in.SessionName, true, 2, 64, &namePattern)
	v.integer("durationSeconds", &seconds, minDuration, maxRoleDuration)
	if in.SourceIdentity != "" {
		v.str("sourceIdentity", &in.SourceIdentity, false, 2, 64, &namePattern)
	}
	if err := v.err(); err != nil {
		return nil, serviceErr(ErrServiceValidation, err)
	}
	var doc *string
	if in.SessionPolicy != "" {
		doc = &in.SessionPolicy
	}
	policyDoc, err := sessionPolicy(doc)
	if err != nil {
		return nil, fmt.Errorf("session policy for %s: %w", in.RoleARN, err)
	}
	spec := &sessionSpec{name: in.SessionName, policy: policyDoc, sourceIdentity: in.SourceIdentity,
		contexts: in.ProvidedContexts, duration: time.Duration(seconds) * time.Second,
		grantARN: in.GrantARN, instanceARN: in.InstanceARN,
		directoryUser: in.DirectoryUserID, identityStore: in.IdentityStoreARN}
	if err := s.authorizeService(ctx, in, spec); err != nil {
		return nil, err
	}
	if seconds > spec.role.MaxSessionDuration {
		return nil, serviceErr(ErrServiceValidation, validationError(
			"The requested DurationSeconds exceeds the MaxSessionDuration set for this role."))
	}
	sess, err := s.issue(spec, func(p packed) error {
		if err := p.err(); err != nil {
			return serviceErr(ErrServicePackedPolicyTooLarge, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sess, nil
}

// authorizeService finds the role and evaluates its trust policy for the
// service principal.
func (s *Service) authorizeService(ctx context.Context, in ServiceAssumeInput, spec *sessionSpec) error {
	svc := &auth.Caller{Kind: auth.Service, Service: in.Service, ARN: in.Service}
	notAuth := func() error {
		return serviceErr(ErrServiceNotAuthorized, notAuthorized(svc, "sts:AssumeRole", in.RoleARN))
	}
	ref, ok, err := parseRoleARN(in.RoleARN)
	if err != nil || !ok {
		return notAuth()
	}
	if spec.role, ok, err = s.findRole(ctx, ref); err != nil {
		return err
	} else if !ok {
		return notAuth()
	}
	keys := sessionKeys(spec)
	if in.SourceAccount != "" {
		keys = append(keys, authzKey("aws:SourceAccount", in.SourceAccount))
	}
	if in.SourceARN != "" {
		keys = append(keys, authzKey("aws:SourceArn", in.SourceARN))
	}
	req, err := s.trustRequest(spec.role, keys)
	if err != nil {
		return err
	}
	outer := auth.FromContext(ctx)
	sctx := auth.WithRequest(ctx, &auth.Request{Caller: svc, Region: outer.Region, Time: s.now(), Secure: true})
	deniedAction, err := s.authorize(sctx, req, sessionActions("sts:AssumeRole", spec))
	if err != nil {
		return err
	}
	if deniedAction != "" {
		return serviceErr(ErrServiceNotAuthorized, notAuthorized(svc, deniedAction, spec.role.ARN))
	}
	return nil
}

// serviceErr returns an error of kind's kind and reason carrying cause's
// message.
func serviceErr(kind *errs.Error, cause error) error {
	e := *kind
	e.Msg = cause.Error()
	var ce *errs.Error
	if errors.As(cause, &ce) {
		e.Msg = ce.Msg
	}
	return &e
}
