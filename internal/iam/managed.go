package iam

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/authz"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/policy"
)

var policyARNRe = regexp.MustCompile(`^arn:aws:iam::(\d{12}|aws):policy(/[\x21-\x7e]*)?/[\w+=,.@-]{1,128}$`)

// isPolicyARN reports whether arn names a managed policy.
func isPolicyARN(arn string) bool { return policyARNRe.MatchString(arn) }

func policyNotFound(arn string) error { return noSuchEntity("Policy %s was not found.", arn) }

func notAttachable(arn string) error {
	return noSuchEntity("Policy %s does not exist or is not attachable.", arn)
}

// policyARN checks an ARN parameter and authorizes action on it. AWS
// managed policies may be read by anyone and changed by no one.
func (s *Service) policyARN(ctx context.Context, action, arn string, write bool) error {
	if !isPolicyARN(arn) {
		if err := s.authorize(ctx, action, arn); err != nil {
			return err
		}
		return invalidInput("ARN %s is not valid.", arn)
	}
	if write && arnAccount(arn) == "aws" {
		return s.authz.Check(ctx, authz.Request{Action: "iam:" + action, Resource: arn, ResourceAccount: "aws"})
	}
	return s.authorizeARN(ctx, action, arn)
}

// CreatePolicyInput is CreatePolicy's request.
type CreatePolicyInput struct {
	PolicyName, Path, PolicyDocument, Description string
	Tags                                          []meta.Tag
}

// CreatePolicy creates a customer managed policy with version v1.
func (s *Service) CreatePolicy(ctx context.Context, in CreatePolicyInput) (meta.ManagedPolicy, error) {
	_, acct := caller(ctx)
	if in.Path == "" {
		in.Path = "/"
	}
	now := s.now().UTC()
	p := meta.ManagedPolicy{ARN: entityARN(acct, "policy", in.Path, in.PolicyName), AccountID: acct, Name: in.PolicyName,
		Path: in.Path, Description: in.Description, DefaultVersion: "v1", CreatedAt: now, UpdatedAt: now, Tags: in.Tags}
	if err := s.authorize(ctx, "CreatePolicy", p.ARN, tagKeys(in.Tags)...); err != nil {
		return p, err
	}
	if err := checkManaged(in.PolicyDocument); err != nil {
		return p, err
	}
	if err := checkTags(in.Tags); err != nil {
		return p, err
	}
	var err error
	if p.ID, err = s.newID("ANPA"); err != nil {
		return p, err
	}
	err = s.store.CreatePolicy(ctx, p, in.PolicyDocument)
	if errors.Is(err, meta.ErrExists) {
		return p, alreadyExists("A policy called %s already exists. Duplicate names are not allowed.", in.PolicyName)
	}
	return p, storeErr(err, "create policy")
}

func checkManaged(doc string) error {
	if err := checkDocument(doc, policy.Identity); err != nil {
		return err
	}
	if policySize(doc) > MaxManagedPolicySize {
		return limitExceeded("Cannot exceed quota for PolicySize: %d", MaxManagedPolicySize)
	}
	return nil
}

// GetPolicy returns a managed policy with the caller's account's
// attachment counts.
func (s *Service) GetPolicy(ctx context.Context, arn string) (meta.ManagedPolicy, error) {
	_, acct := caller(ctx)
	if err := s.policyARN(ctx, "GetPolicy", arn, false); err != nil {
		return meta.ManagedPolicy{}, err
	}
	p, err := s.store.GetPolicy(ctx, acct, arn)
	if isNotFound(err) {
		return p, policyNotFound(arn)
	}
	return p, storeErr(err, "get policy")
}

// GetPolicyVersion returns one version of a managed policy.
func (s *Service) GetPolicyVersion(ctx context.Context, arn, version string) (meta.PolicyVersion, error) {
	if err := s.policyARN(ctx, "GetPolicyVersion", arn, false); err != nil {
		return meta.PolicyVersion{}, err
	}
	v, err := s.store.GetPolicyVersion(ctx, arn, version)
	if isNotFound(err) {
		return v, noSuchEntity("Policy %s version %s does not exist or is not attachable.", arn, version)
	}
	return v, storeErr(err, "get policy version")
}

// ListPoliciesInput is ListPolicies' request.
type ListPoliciesInput struct {
	Scope             string // All, AWS, Local
	OnlyAttached      bool
	PathPrefix        string
	PolicyUsageFilter string
	Page
}

// ListPolicies lists the managed policies visible in the account.
func (s *Service) ListPolicies(ctx context.Context, in ListPoliciesInput) (List[meta.ManagedPolicy], error) {
	_, acct := caller(ctx)
	if err := s.authorize(ctx, "ListPolicies", entityARN(acct, "policy", in.PathPrefix, "")); err != nil {
		return List[meta.ManagedPolicy]{}, err
	}
	mp, err := in.Page.store()
	if err != nil {
		return List[meta.ManagedPolicy]{}, err
	}
	ps, err := s.store.ListPolicies(ctx, acct, meta.PolicyFilter{Scope: in.Scope, OnlyAttached: in.OnlyAttached,
		Usage: in.PolicyUsageFilter, PathPrefix: in.PathPrefix, Page: mp})
	if err != nil {
		return List[meta.ManagedPolicy]{}, storeErr(err, "list policies")
	}
	return finish(ps, in.Page, func(p meta.ManagedPolicy) string { return p.ARN }), nil
}

// DeletePolicy deletes a customer managed policy that is attached nowhere
// and has no versions besides the default.
func (s *Service) DeletePolicy(ctx context.Context, arn string) error {
	if err := s.policyARN(ctx, "DeletePolicy", arn, true); err != nil {
		return err
	}
	err := s.store.DeletePolicy(ctx, arn)
	if isNotFound(err) {
		return policyNotFound(arn)
	}
	return inUse(err, "delete policy")
}

// CreatePolicyVersion adds a version to a managed policy.
func (s *Service) CreatePolicyVersion(ctx context.Context, arn, doc string, setDefault bool) (meta.PolicyVersion, error) {
	if err := s.policyARN(ctx, "CreatePolicyVersion", arn, true); err != nil {
		return meta.PolicyVersion{}, err
	}
	if err := checkManaged(doc); err != nil {
		return meta.PolicyVersion{}, err
	}
	v, err := s.store.CreatePolicyVersion(ctx, arn, doc, setDefault, MaxPolicyVersions, s.now().UTC())
	switch {
	case errors.Is(err, meta.ErrLimitExceeded):
		return v, limitExceeded("A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", MaxPolicyVersions)
	case isNotFound(err):
		return v, policyNotFound(arn)
	}
	return v, storeErr(err, "create policy version")
}

// DeletePolicyVersion deletes a version that is not the default.
func (s *Service) DeletePolicyVersion(ctx context.Context, arn, version string) error {
	if err := s.policyARN(ctx, "DeletePolicyVersion", arn, true); err != nil {
		return err
	}
	err := s.store.DeletePolicyVersion(ctx, arn, version)
	if isNotFound(err) {
		return noSuchEntity("Policy %s version %s does not exist or is not attachable.", arn, version)
	}
	return inUse(err, "delete policy version")
}

// SetDefaultPolicyVersion makes a version the default.
func (s *Service) SetDefaultPolicyVersion(ctx context.Context, arn, version string) error {
	if err := s.policyARN(ctx, "SetDefaultPolicyVersion", arn, true); err != nil {
		return err
	}
	err := s.store.SetDefaultPolicyVersion(ctx, arn, version, s.now().UTC())
	if isNotFound(err) {
		return noSuchEntity("Policy %s version %s does not exist or is not attachable.", arn, version)
	}
	return storeErr(err, "set default policy version")
}

// ListPolicyVersions lists a policy's versions, newest first.
func (s *Service) ListPolicyVersions(ctx context.Context, arn string, p Page) (List[meta.PolicyVersion], error) {
	if err := s.policyARN(ctx, "ListPolicyVersions", arn, false); err != nil {
		return List[meta.PolicyVersion]{}, err
	}
	mp, err := p.store()
	if err != nil {
		return List[meta.PolicyVersion]{}, err
	}
	vs, err := s.store.ListPolicyVersions(ctx, arn)
	if isNotFound(err) {
		return List[meta.PolicyVersion]{}, policyNotFound(arn)
	}
	if err != nil {
		return List[meta.PolicyVersion]{}, storeErr(err, "list policy versions")
	}
	// At most five versions: page in memory, the cursor is a version ID.
	if mp.After != "" {
		for i, v := range vs {
			if v.VersionID == mp.After {
				vs = vs[i+1:]
				break
			}
		}
	}
	return finish(vs, p, func(v meta.PolicyVersion) string { return v.VersionID }), nil
}

// AttachPolicy attaches a managed policy to a user, group or role.
func (s *Service) AttachPolicy(ctx context.Context, typ meta.EntityType, entity, arn string) error {
	_, acct := caller(ctx)
	action := "Attach" + strings.ToUpper(string(typ[:1])) + string(typ[1:]) + "Policy"
	if _, err := s.lookup(ctx, typ, action, entity, authz.Key{Name: "iam:PolicyARN", Values: []string{arn}}); err != nil {
		return err
	}
	if !isPolicyARN(arn) {
		return invalidInput("ARN %s is not valid.", arn)
	}
	if a := arnAccount(arn); a != "aws" && a != acct {
		return notAttachable(arn)
	}
	err := s.store.AttachPolicy(ctx, meta.EntityRef{Account: acct, Type: typ, Name: entity}, arn, MaxManagedPerEntity)
	switch {
	case errors.Is(err, meta.ErrLimitExceeded):
		return limitExceeded("Cannot exceed quota for PoliciesPer%s: %d", strings.ToUpper(string(typ[:1]))+string(typ[1:]), MaxManagedPerEntity)
	case isNotFound(err):
		if _, perr := s.store.GetPolicy(ctx, acct, arn); isNotFound(perr) {
			return notAttachable(arn)
		}
		return notFoundEntity(typ, entity)
	}
	return storeErr(err, "attach policy")
}

// DetachPolicy detaches a managed policy.
func (s *Service) DetachPolicy(ctx context.Context, typ meta.EntityType, entity, arn string) error {
	_, acct := caller(ctx)
	action := "Detach" + strings.ToUpper(string(typ[:1])) + string(typ[1:]) + "Policy"
	if _, err := s.lookup(ctx, typ, action, entity, authz.Key{Name: "iam:PolicyARN", Values: []string{arn}}); err != nil {
		return err
	}
	if !isPolicyARN(arn) {
		return invalidInput("ARN %s is not valid.", arn)
	}
	err := s.store.DetachPolicy(ctx, meta.EntityRef{Account: acct, Type: typ, Name: entity}, arn)
	if isNotFound(err) {
		if gerr := s.exists(ctx, typ, entity); isNotFound(gerr) {
			return notFoundEntity(typ, entity)
		}
		return policyNotFound(arn)
	}
	return storeErr(err, "detach policy")
}

// exists returns the store's error looking up an entity, without
// authorizing.
func (s *Service) exists(ctx context.Context, typ meta.EntityType, name string) error {
	acct := auth.CallerFrom(ctx).Account
	var err error
	switch typ {
	case meta.EntityUser:
		_, err = s.store.GetUser(ctx, acct, name)
	case meta.EntityRole:
		_, err = s.store.GetRole(ctx, acct, name)
	case meta.EntityGroup:
		_, err = s.store.GetGroup(ctx, acct, name)
	}
	return err
}

// ListAttachedPolicies lists the managed policies attached to an entity.
func (s *Service) ListAttachedPolicies(ctx context.Context, typ meta.EntityType, entity, pathPrefix string, p Page) (List[meta.AttachedPolicy], error) {
	_, acct := caller(ctx)
	action := "ListAttached" + strings.ToUpper(string(typ[:1])) + string(typ[1:]) + "Policies"
	if _, err := s.lookup(ctx, typ, action, entity); err != nil {
		return List[meta.AttachedPolicy]{}, err
	}
	mp, err := p.store()
	if err != nil {
		return List[meta.AttachedPolicy]{}, err
	}
	ps, err := s.store.ListAttachedPolicies(ctx, meta.EntityRef{Account: acct, Type: typ, Name: entity}, pathPrefix, mp)
	if err != nil {
		return List[meta.AttachedPolicy]{}, notFoundOr(err, typ, entity)
	}
	return finish(ps, p, func(a meta.AttachedPolicy) string { return a.ARN }), nil
}

// ListEntitiesForPolicyInput is ListEntitiesForPolicy's request.
type ListEntitiesForPolicyInput struct {
	PolicyArn         string
	EntityFilter      string // User, Role, Group, LocalManagedPolicy, AWSManagedPolicy or ""
	PathPrefix        string
	PolicyUsageFilter string
	Page
}

// ListEntitiesForPolicy lists the users, groups and roles of the account
// that a managed policy is attached to or bounds.
func (s *Service) ListEntitiesForPolicy(ctx context.Context, in ListEntitiesForPolicyInput) (List[meta.PolicyEntity], error) {
	_, acct := caller(ctx)
	if err := s.policyARN(ctx, "ListEntitiesForPolicy", in.PolicyArn, false); err != nil {
		return List[meta.PolicyEntity]{}, err
	}
	mp, err := in.Page.store()
	if err != nil {
		return List[meta.PolicyEntity]{}, err
	}
	if _, err := s.store.GetPolicy(ctx, acct, in.PolicyArn); isNotFound(err) {
		return List[meta.PolicyEntity]{}, policyNotFound(in.PolicyArn)
	} else if err != nil {
		return List[meta.PolicyEntity]{}, storeErr(err, "get policy")
	}
	var types []meta.EntityType
	switch in.EntityFilter {
	case "User", "Group", "Role":
		types = []meta.EntityType{meta.EntityType(strings.ToLower(in.EntityFilter))}
	case "LocalManagedPolicy", "AWSManagedPolicy":
		types = []meta.EntityType{"none"} // policies are attached to entities, not to policies
	}
	es, err := s.store.ListEntitiesForPolicy(ctx, acct, in.PolicyArn, in.PolicyUsageFilter, types, in.PathPrefix, mp)
	if err != nil {
		return List[meta.PolicyEntity]{}, storeErr(err, "list entities for policy")
	}
	return finish(es, in.Page, func(e meta.PolicyEntity) string { return e.ID }), nil
}
