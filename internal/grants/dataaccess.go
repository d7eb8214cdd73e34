package grants

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/sessiontoken"
)

// Privileges of GetDataAccess.
const (
	PrivilegeDefault = "Default"
	PrivilegeMinimal = "Minimal"
)

// InstanceScopeAll makes GetDataAccess and ListCallerAccessGrants also
// search the instances shared with the caller's account.
// https://docs.aws.amazon.com/cli/latest/reference/s3control/get-data-access.html
const InstanceScopeAll = "ALL"

// Session limits of vended credentials.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetDataAccess.html
const (
	MinDataAccessSeconds     = 900
	MaxDataAccessSeconds     = 43200
	DefaultDataAccessSeconds = 3600
)

// Credentials are temporary credentials.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// AssumeInput asks STS to assume a location's role as the Access Grants
// service principal (ServicePrincipal) for a grantee.
type AssumeInput struct {
	RoleARN     string
	SessionName string
	Duration    time.Duration
	// SessionPolicy narrows the role to the matched scope and permission.
	SessionPolicy string
	// SourceIdentity (sts:SetSourceIdentity) names an IAM grantee;
	// ProvidedContexts (sts:SetContext) carry a directory grantee's
	// identity context.
	SourceIdentity   string
	ProvidedContexts []sessiontoken.ProvidedContext
	// SourceAccount and SourceARN are aws:SourceAccount and aws:SourceArn:
	// the instance's account and ARN.
	SourceAccount, SourceARN string
	// GrantARN and InstanceARN are sealed into the session: the data
	// plane refuses sessions whose grant is gone and sets
	// s3:AccessGrantsInstanceArn from InstanceARN.
	GrantARN, InstanceARN string
	// DirectoryUserID and IdentityStoreARN identify a directory grantee.
	DirectoryUserID, IdentityStoreARN string
}

// RoleAssumer vends role sessions; app wires STS's AssumeRoleAsService.
// Its errors carry STS's service reasons (StsNotAuthorizedError,
// StsValidationError, StsPackedPolicyTooLargeError), which the wire
// layer passes through.
type RoleAssumer interface {
	AssumeRole(ctx context.Context, in AssumeInput) (Credentials, error)
}

// DirectoryGroups returns the groups of a directory user, for
// DIRECTORY_GROUP grants.
type DirectoryGroups interface {
	UserGroups(ctx context.Context, identityStoreARN, userID string) ([]string, error)
}

// DataAccessInput is GetDataAccess's request.
type DataAccessInput struct {
	Target     string
	Permission string
	// DurationSeconds is nil when absent (3600).
	DurationSeconds *int
	Privilege       string
	TargetType      string
	AuditContext    string
	InstanceScope   string
}

// DataAccess is GetDataAccess's answer.
type DataAccess struct {
	Credentials Credentials
	// MatchedGrantTarget is the scope the credentials are good for: the
	// matched grant's scope (privilege Default) or the target (Minimal).
	MatchedGrantTarget string
	GranteeType        string
	GranteeIdentifier  string
	// GrantARN is the matched grant (for the audit log; not on the wire).
	GrantARN string
}

// Errors of GetDataAccess besides the control plane's.
var (
	// ErrNoAssumer: the node has no STS to vend credentials with.
	ErrNoAssumer = errs.E(errs.Other, "NotImplemented", "grantd has no STS configured to vend credentials")
)

// noGrant is GetDataAccess's answer when no grant covers the target.
func noGrant(permission, target string) error {
	return errs.E(errs.Denied, "AccessDenied", "You do not have %s permissions to the requested S3 Prefix: %s", permission, target)
}

// validate checks the request's parameters as the model constrains them.
func (in *DataAccessInput) validate() (target, time.Duration, error) {
	var t target
	switch {
	case in.Permission == "":
		return t, 0, invalidRequest("Missing required parameter permission")
	case !validPermision[in.Permission]:
		return t, 0, invalidRequest("Value '%s' at 'permission' failed to satisfy constraint: Member must satisfy enum value set: [READ, WRITE, READWRITE]", in.Permission)
	case in.Privilege != "" && in.Privilege != PrivilegeDefault && in.Privilege != PrivilegeMinimal:
		return t, 0, invalidRequest("Value '%s' at 'privilege' failed to satisfy constraint: Member must satisfy enum value set: [Minimal, Default]", in.Privilege)
	case len(in.AuditContext) > 2048:
		return t, 0, invalidRequest("Value at 'auditContext' failed to satisfy constraint: Member must have length less than or equal to 2048")
	case in.InstanceScope != "" && in.InstanceScope != InstanceScopeAll && in.InstanceScope != "DEFAULT":
		return t, 0, invalidRequest("Value '%s' at 'instanceScope' failed to satisfy constraint: Member must satisfy enum value set: [ALL, DEFAULT]", in.InstanceScope)
	}
	seconds := DefaultDataAccessSeconds
	if in.DurationSeconds != nil {
		seconds = *in.DurationSeconds
		switch {
		case seconds < MinDataAccessSeconds:
			return t, 0, invalidRequest("Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to %d", seconds, MinDataAccessSeconds)
		case seconds > MaxDataAccessSeconds:
			return t, 0, invalidRequest("Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to %d", seconds, MaxDataAccessSeconds)
		}
	}
	t, err := parseTarget(in.Target, in.TargetType)
	return t, time.Duration(seconds) * time.Second, err
}

// GetDataAccess vends credentials for the target: it authorizes
// s3:GetDataAccess on the instance of account (the caller's identity
// policies, and across accounts also the instance's resource policy),
// finds the most specific grant of the caller that covers the target with
// the permission, and assumes the grant's location role as
// access-grants.s3.amazonaws.com with a session policy limiting the
// session to the permission on the grant's scope (privilege Default) or
// the target alone (Minimal).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-credentials.html
func (s *Service) GetDataAccess(ctx context.Context, account string, in DataAccessInput) (*DataAccess, error) {
	if err := gate(ctx, account, ActionGetDataAccess); err != nil {
		return nil, err
	}
	t, duration, err := in.validate()
	if err != nil {
		return nil, err
	}
	if s.assumer == nil {
		return nil, ErrNoAssumer
	}
	ix, err := s.authorizedIndex(ctx, account, ActionGetDataAccess)
	if err != nil {
		return nil, err
	}
	id, err := s.identify(ctx)
	if err != nil {
		return nil, err
	}
	m := ix.find(id.keys, t.scope, in.Permission, id.app)
	if m == nil && in.InstanceScope == InstanceScopeAll {
		if m, ix, err = s.findShared(ctx, account, id, t, in.Permission); err != nil {
			return nil, err
		}
	}
	if m == nil || m.location.IAMRoleARN == "" {
		return nil, noGrant(in.Permission, t.raw)
	}
	return s.vend(ctx, ix, m, id, t, in, duration)
}

// authorizedIndex authorizes action on the instance of account from the
// matching index (no store read once the index is built) and returns the
// index: AccessDenied before AccessGrantsInstanceNotExistsError, so
// callers without permission learn nothing about the instance.
func (s *Service) authorizedIndex(ctx context.Context, account, action string) (*instanceIndex, error) {
	ix, err := s.index.get(ctx, account, region(ctx))
	if err != nil {
		return nil, err
	}
	ix.mu.RLock()
	c := check{account: account, st: ix.state, action: action, resource: InstanceARN(ix.region, account), compiled: ix.policy}
	if ix.state != nil {
		c.tags = ix.state.Tags
	}
	ix.mu.RUnlock()
	if err := s.authorize(ctx, c); err != nil {
		return nil, err
	}
	if c.st == nil {
		return nil, ErrInstanceNotFound
	}
	return ix, nil
}

// findShared looks for a grant in the instances shared with the caller's
// account (InstanceScope ALL), in each one the caller may call
// GetDataAccess on.
func (s *Service) findShared(ctx context.Context, account string, id identity, t target, permission string) (*match, *instanceIndex, error) {
	if s.shared == nil {
		return nil, nil, nil
	}
	c := auth.CallerFrom(ctx)
	list, err := s.shared.SharedGrantsInstances(ctx, c.Account, region(ctx))
	if err != nil {
		return nil, nil, fmt.Errorf("list shared access grants instances: %w", err)
	}
	for _, inst := range list {
		if inst.Account == account {
			continue
		}
		ix, err := s.authorizedIndex(ctx, inst.Account, ActionGetDataAccess)
		if errs.Is(err, errs.Denied) || errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if m := ix.find(id.keys, t.scope, permission, id.app); m != nil {
			return m, ix, nil
		}
	}
	return nil, nil, nil
}

// vend assumes the matched grant's location role for the caller.
func (s *Service) vend(ctx context.Context, ix *instanceIndex, m *match, id identity, t target, in DataAccessInput, d time.Duration) (*DataAccess, error) {
	e := m.e
	out := &DataAccess{GranteeType: e.granteeType, GranteeIdentifier: e.grantee,
		GrantARN: GrantARN(ix.region, ix.account, e.id)}
	ai := AssumeInput{RoleARN: m.location.IAMRoleARN, Duration: d,
		SourceAccount: ix.account, SourceARN: InstanceARN(ix.region, ix.account),
		GrantARN: out.GrantARN, InstanceARN: InstanceARN(ix.region, ix.account)}
	if in.Privilege == PrivilegeMinimal {
		out.MatchedGrantTarget = t.raw
		ai.SessionPolicy = sessionPolicy(in.Permission, t.scope)
	} else {
		out.MatchedGrantTarget = e.grantScope
		ai.SessionPolicy = e.defaultPolicy(in.Permission)
	}
	if e.granteeType == GranteeIAM {
		ai.SourceIdentity = id.sourceIdentity
	} else {
		ai.ProvidedContexts, ai.DirectoryUserID, ai.IdentityStoreARN = id.contexts, id.directoryUser, id.identityStore
	}
	var err error
	if ai.SessionName, err = s.sessionName(); err != nil {
		return nil, err
	}
	if out.Credentials, err = s.assumer.AssumeRole(ctx, ai); err != nil {
		return nil, err
	}
	return out, nil
}

// sessionName is the role session name of vended credentials:
// access-grants- and 16 random hex digits.
func (s *Service) sessionName() (string, error) {
	var b [8]byte
	if _, err := io.ReadFull(s.rand, b[:]); err != nil {
		return "", fmt.Errorf("generate session name: %w", err)
	}
	return "access-grants-" + hex.EncodeToString(b[:]), nil
}

// identity is who a request's grants are matched for.
type identity struct {
	// keys are the granteeKeys of the caller: its IAM user or role, and
	// for an identity-enhanced session its directory user and groups.
	keys []string
	// app is the Identity Center application the caller acts through.
	app string
	// sourceIdentity names an IAM grantee in the vended session.
	sourceIdentity string
	// The directory context of an identity-enhanced session.
	directoryUser, identityStore string
	contexts                     []sessiontoken.ProvidedContext
}

// identify returns the caller's grantee identities: the IAM user's ARN, or
// for a role session the role's ARN (with its path) — not the session's
// assumed-role ARN; plus the directory user of an identity-enhanced
// session (sessiontoken.Claims.DirectoryUserID) and that user's groups.
func (s *Service) identify(ctx context.Context) (identity, error) {
	c := auth.CallerFrom(ctx)
	var id identity
	switch {
	case c.Kind == auth.AssumedRole && c.RoleARN != "":
		id.keys = append(id.keys, granteeKey(GranteeIAM, c.RoleARN))
		id.sourceIdentity = sourceIdentityOf(c.Name)
	case c.Kind == auth.User && strings.Contains(c.ARN, ":user/"):
		id.keys = append(id.keys, granteeKey(GranteeIAM, c.ARN))
		id.sourceIdentity = sourceIdentityOf(c.Name)
	}
	sess := c.Session
	if sess == nil || sess.DirectoryUserID == "" {
		return id, nil
	}
	id.directoryUser, id.identityStore, id.contexts = sess.DirectoryUserID, sess.IdentityStoreARN, sess.ProvidedContexts
	id.keys = append(id.keys, granteeKey(GranteeDirectoryUser, sess.DirectoryUserID))
	if s.directory != nil {
		groups, err := s.directory.UserGroups(ctx, sess.IdentityStoreARN, sess.DirectoryUserID)
		if err != nil {
			return id, fmt.Errorf("look up groups of directory user %s: %w", sess.DirectoryUserID, err)
		}
		for _, g := range groups {
			id.keys = append(id.keys, granteeKey(GranteeDirectoryGroup, g))
		}
	}
	return id, nil
}

// sourceIdentityOf is an IAM name as an sts:SourceIdentity: 2–64
// characters of [\w+=,.@-].
func sourceIdentityOf(name string) string {
	if len(name) > 64 {
		name = name[:64]
	}
	if len(name) < 2 {
		return ""
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_+=,.@-", c) >= 0) {
			return ""
		}
	}
	return name
}

// GrantExists reports whether the grant grantARN names is in the store:
// the authoritative answer, on every node, that the data plane asks
// before honouring credentials vended from the grant (see
// authz.Authorizer.SetGrantCheck). A malformed ARN names no grant.
func (s *Service) GrantExists(ctx context.Context, grantARN string) (bool, error) {
	ref, err := ParseResourceARN(grantARN)
	if err != nil || ref.Kind != meta.GrantResource {
		return false, nil
	}
	_, err = s.store.GetGrant(ctx, ref.Account, ref.Region, ref.ID)
	if errors.Is(err, meta.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up access grant: %w", err)
	}
	return true, nil
}
