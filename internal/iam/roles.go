package iam

import (
	"context"
	"errors"

	"github.com/grantd/grantd/internal/authz"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/policy"
)

// CreateRoleInput is CreateRole's request.
type CreateRoleInput struct {
	Path, RoleName, AssumeRolePolicyDocument, Description, PermissionsBoundary string
	// MaxSessionDuration in seconds; 0 means 3600.
	MaxSessionDuration int
	Tags               []meta.Tag
}

// CreateRole creates a role with a trust policy.
func (s *Service) CreateRole(ctx context.Context, in CreateRoleInput) (meta.Role, error) {
	_, acct := caller(ctx)
	if in.Path == "" {
		in.Path = "/"
	}
	if in.MaxSessionDuration == 0 {
		in.MaxSessionDuration = defaultSessionDuration
	}
	r := meta.Role{AccountID: acct, Name: in.RoleName, Path: in.Path, ARN: entityARN(acct, "role", in.Path, in.RoleName),
		TrustPolicy: in.AssumeRolePolicyDocument, Description: in.Description, MaxSessionDuration: in.MaxSessionDuration,
		PermissionsBoundary: in.PermissionsBoundary, CreatedAt: s.now().UTC(), Tags: in.Tags}
	keys := tagKeys(in.Tags)
	if in.PermissionsBoundary != "" {
		keys = append(keys, authz.Key{Name: "iam:PermissionsBoundary", Values: []string{in.PermissionsBoundary}})
	}
	if err := s.authorize(ctx, "CreateRole", r.ARN, keys...); err != nil {
		return r, err
	}
	if err := checkTrustPolicy(in.AssumeRolePolicyDocument); err != nil {
		return r, err
	}
	if err := checkTags(in.Tags); err != nil {
		return r, err
	}
	if err := checkBoundaryARN(in.PermissionsBoundary, acct); err != nil {
		return r, err
	}
	var err error
	if r.ID, err = s.newID("AROA"); err != nil {
		return r, err
	}
	err = s.store.CreateRole(ctx, meta.NewRole{Role: r})
	switch {
	case errors.Is(err, meta.ErrExists):
		return r, alreadyExists("Role with name %s already exists.", in.RoleName)
	case isNotFound(err):
		return r, boundaryNotFound(in.PermissionsBoundary)
	}
	return r, storeErr(err, "create role")
}

// checkTrustPolicy validates a role trust policy as IAM does.
func checkTrustPolicy(doc string) error {
	if err := checkDocument(doc, policy.Trust); err != nil {
		return err
	}
	if policySize(doc) > MaxTrustPolicySize {
		return limitExceeded("Cannot exceed quota for ACLSizePerRole: %d", MaxTrustPolicySize)
	}
	return nil
}

// checkDocument parses doc as a policy of kind and turns the engine's
// *policy.Error into MalformedPolicyDocument with IAM's message.
func checkDocument(doc string, kind policy.Kind) error {
	if _, err := parseDocument(doc, kind); err != nil {
		return err
	}
	return nil
}

func parseDocument(doc string, kind policy.Kind) (*policy.Policy, error) {
	p, err := policy.Parse([]byte(doc), kind)
	var pe *policy.Error
	if errors.As(err, &pe) {
		return nil, malformedPolicy(pe.Message)
	}
	return p, err
}

func malformedPolicy(msg string) error {
	return errorf("MalformedPolicyDocument", "%s", msg)
}

// GetRole returns a role.
func (s *Service) GetRole(ctx context.Context, name string) (meta.Role, error) {
	_, acct := caller(ctx)
	if _, err := s.lookup(ctx, meta.EntityRole, "GetRole", name); err != nil {
		return meta.Role{}, err
	}
	r, err := s.store.GetRole(ctx, acct, name)
	if err != nil {
		return r, notFoundOr(err, meta.EntityRole, name)
	}
	return r, nil
}

// ListRoles lists the account's roles whose path starts with pathPrefix.
func (s *Service) ListRoles(ctx context.Context, pathPrefix string, p Page) (List[meta.Role], error) {
	_, acct := caller(ctx)
	if err := s.authorize(ctx, "ListRoles", entityARN(acct, "role", pathPrefix, "")); err != nil {
		return List[meta.Role]{}, err
	}
	mp, err := p.store()
	if err != nil {
		return List[meta.Role]{}, err
	}
	roles, err := s.store.ListRoles(ctx, acct, meta.ListFilter{PathPrefix: pathPrefix, Page: mp})
	if err != nil {
		return List[meta.Role]{}, storeErr(err, "list roles")
	}
	return finish(roles, p, func(r meta.Role) string { return nameKey(r.Name) }), nil
}

// UpdateRole changes a role's description and/or maximum session
// duration (nil leaves a field as it is).
func (s *Service) UpdateRole(ctx context.Context, name string, description *string, maxSession *int) error {
	if _, err := s.lookup(ctx, meta.EntityRole, "UpdateRole", name); err != nil {
		return err
	}
	return s.updateRole(ctx, name, meta.RoleUpdate{Description: description, MaxSessionDuration: maxSession})
}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (s *Service) UpdateAssumeRolePolicy(ctx context.Context, name, doc string) error {
	if _, err := s.lookup(ctx, meta.EntityRole, "UpdateAssumeRolePolicy", name); err != nil {
		return err
	}
	if err := checkTrustPolicy(doc); err != nil {
		return err
	}
	return s.updateRole(ctx, name, meta.RoleUpdate{TrustPolicy: &doc})
}

func (s *Service) updateRole(ctx context.Context, name string, u meta.RoleUpdate) error {
	_, acct := caller(ctx)
	err := s.store.UpdateRole(ctx, acct, name, u)
	if isNotFound(err) {
		return notFoundEntity(meta.EntityRole, name)
	}
	return storeErr(err, "update role")
}

// DeleteRole deletes a role without policies.
func (s *Service) DeleteRole(ctx context.Context, name string) error {
	_, acct := caller(ctx)
	if _, err := s.lookup(ctx, meta.EntityRole, "DeleteRole", name); err != nil {
		return err
	}
	err := s.store.DeleteRole(ctx, acct, name)
	if isNotFound(err) {
		return notFoundEntity(meta.EntityRole, name)
	}
	return inUse(err, "delete role")
}
