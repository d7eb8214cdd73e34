package iam

import (
	"context"
	"errors"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/authz"
	"github.com/grantd/grantd/internal/meta"
)

// lookup finds a user, group or role of the caller's account by name and
// authorizes action on it. The ARN authorized is the entity's own (with
// its path) when it exists; a missing entity is reported only to callers
// allowed to act on its path-less ARN, as IAM does.
func (s *Service) lookup(ctx context.Context, typ meta.EntityType, action, name string, keys ...authz.Key) (arn string, err error) {
	_, acct := caller(ctx)
	arn = entityARN(acct, string(typ), "/", name)
	switch typ {
	case meta.EntityUser:
		var u meta.User
		if u, err = s.store.GetUser(ctx, acct, name); err == nil {
			arn = u.ARN
		}
	case meta.EntityRole:
		var r meta.Role
		if r, err = s.store.GetRole(ctx, acct, name); err == nil {
			arn = r.ARN
		}
	case meta.EntityGroup:
		var g meta.Group
		if g, err = s.store.GetGroup(ctx, acct, name); err == nil {
			arn = g.ARN
		}
	}
	if err != nil && !isNotFound(err) {
		return "", storeErr(err, "look up "+string(typ))
	}
	if aerr := s.authorize(ctx, action, arn, keys...); aerr != nil {
		return "", aerr
	}
	if err != nil {
		return "", notFoundEntity(typ, name)
	}
	return arn, nil
}

func notFoundEntity(typ meta.EntityType, name string) error {
	return noSuchEntity("The %s with name %s cannot be found.", typ, name)
}

// CreateUserInput is CreateUser's request.
type CreateUserInput struct {
	Path, UserName, PermissionsBoundary string
	Tags                                []meta.Tag
}

// CreateUser creates an IAM user.
func (s *Service) CreateUser(ctx context.Context, in CreateUserInput) (meta.User, error) {
	_, acct := caller(ctx)
	if in.Path == "" {
		in.Path = "/"
	}
	u := meta.User{AccountID: acct, Name: in.UserName, Path: in.Path, ARN: entityARN(acct, "user", in.Path, in.UserName),
		PermissionsBoundary: in.PermissionsBoundary, CreatedAt: s.now().UTC(), Tags: in.Tags}
	keys := tagKeys(in.Tags)
	if in.PermissionsBoundary != "" {
		keys = append(keys, authz.Key{Name: "iam:PermissionsBoundary", Values: []string{in.PermissionsBoundary}})
	}
	if err := s.authorize(ctx, "CreateUser", u.ARN, keys...); err != nil {
		return u, err
	}
	if err := checkTags(in.Tags); err != nil {
		return u, err
	}
	if err := checkBoundaryARN(in.PermissionsBoundary, acct); err != nil {
		return u, err
	}
	var err error
	if u.ID, err = s.newID("AIDA"); err != nil {
		return u, err
	}
	err = s.store.CreateUser(ctx, u)
	switch {
	case errors.Is(err, meta.ErrExists):
		return u, alreadyExists("User with name %s already exists.", in.UserName)
	case isNotFound(err):
		return u, boundaryNotFound(in.PermissionsBoundary)
	}
	return u, storeErr(err, "create user")
}

// GetUser returns the named user, or the caller when name is empty: an
// IAM user itself, or for the root user the shape AWS returns for it
// (the account ID as UserId, the root ARN, no name or path).
func (s *Service) GetUser(ctx context.Context, name string) (meta.User, error) {
	c, acct := caller(ctx)
	if name == "" {
		switch {
		case c.Kind == auth.Root:
			a, err := s.store.GetAccount(ctx, acct)
			if err != nil {
				return meta.User{}, storeErr(err, "get account")
			}
			return meta.User{AccountID: acct, ID: acct, ARN: c.ARN, CreatedAt: a.CreatedAt}, nil
		case c.Kind == auth.User && c.Session == nil:
			name = c.Name
		default:
			return meta.User{}, validationError("Must specify userName when calling with non-User credentials")
		}
	}
	if _, err := s.lookup(ctx, meta.EntityUser, "GetUser", name); err != nil {
		return meta.User{}, err
	}
	u, err := s.store.GetUser(ctx, acct, name)
	if isNotFound(err) {
		return u, notFoundEntity(meta.EntityUser, name)
	}
	return u, storeErr(err, "get user")
}

// ListUsers lists the account's users whose path starts with pathPrefix.
func (s *Service) ListUsers(ctx context.Context, pathPrefix string, p Page) (List[meta.User], error) {
	_, acct := caller(ctx)
	if err := s.authorize(ctx, "ListUsers", entityARN(acct, "user", pathPrefix, "")); err != nil {
		return List[meta.User]{}, err
	}
	mp, err := p.store()
	if err != nil {
		return List[meta.User]{}, err
	}
	users, err := s.store.ListUsers(ctx, acct, meta.ListFilter{PathPrefix: pathPrefix, Page: mp})
	if err != nil {
		return List[meta.User]{}, storeErr(err, "list users")
	}
	return finish(users, p, func(u meta.User) string { return nameKey(u.Name) }), nil
}

// UpdateUser renames a user and/or moves it to a new path.
func (s *Service) UpdateUser(ctx context.Context, name, newName, newPath string) error {
	_, acct := caller(ctx)
	if _, err := s.lookup(ctx, meta.EntityUser, "UpdateUser", name); err != nil {
		return err
	}
	if newName != "" || newPath != "" {
		// Renaming also needs permission on the new name, as in IAM.
		u, err := s.store.GetUser(ctx, acct, name)
		if err != nil {
			return storeErr(err, "get user")
		}
		to := entityARN(acct, "user", firstNonEmpty(newPath, u.Path), firstNonEmpty(newName, u.Name))
		if to != u.ARN {
			if err := s.authorize(ctx, "UpdateUser", to); err != nil {
				return err
			}
		}
	}
	err := s.store.UpdateUser(ctx, acct, name, newName, newPath)
	switch {
	case errors.Is(err, meta.ErrExists):
		return alreadyExists("User with name %s already exists.", newName)
	case isNotFound(err):
		return notFoundEntity(meta.EntityUser, name)
	}
	return storeErr(err, "update user")
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// DeleteUser deletes a user that has no access keys, groups or policies.
func (s *Service) DeleteUser(ctx context.Context, name string) error {
	_, acct := caller(ctx)
	if _, err := s.lookup(ctx, meta.EntityUser, "DeleteUser", name); err != nil {
		return err
	}
	err := s.store.DeleteUser(ctx, acct, name)
	if isNotFound(err) {
		return notFoundEntity(meta.EntityUser, name)
	}
	return inUse(err, "delete user")
}

// inUse maps an *InUseError to IAM's DeleteConflict message.
func inUse(err error, what string) error {
	var iu *meta.InUseError
	if !errors.As(err, &iu) {
		return storeErr(err, what)
	}
	switch iu.Dependent {
	case "access keys":
		return deleteConflict("Cannot delete entity, must delete access keys first.")
	case "groups", "members":
		return deleteConflict("Cannot delete entity, must remove users from group first.")
	case "inline policies":
		return deleteConflict("Cannot delete entity, must delete policies first.")
	case "attached policies":
		return deleteConflict("Cannot delete entity, must detach all policies first.")
	case "attachments":
		return deleteConflict("Cannot delete a policy attached to entities.")
	case "versions":
		return deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
	case "default version":
		return deleteConflict("Cannot delete the default version of a policy.")
	}
	return deleteConflict("Cannot delete entity, it is in use.")
}

// checkBoundaryARN accepts the ARN of a managed policy of the account or
// of AWS as a permissions boundary.
func checkBoundaryARN(arn, account string) error {
	if arn == "" {
		return nil
	}
	if !isPolicyARN(arn) {
		return invalidInput("ARN %s is not valid.", arn)
	}
	if a := arnAccount(arn); a != "aws" && a != account {
		return boundaryNotFound(arn)
	}
	return nil
}

func boundaryNotFound(arn string) error {
	return noSuchEntity("Scope ARN: %s does not exist or is not attachable.", arn)
}

// SetPermissionsBoundary sets (arn non-empty) or deletes the permissions
// boundary of a user or role.
func (s *Service) SetPermissionsBoundary(ctx context.Context, typ meta.EntityType, name, arn string) error {
	_, acct := caller(ctx)
	action, kind := "PutUserPermissionsBoundary", "User"
	if typ == meta.EntityRole {
		action, kind = "PutRolePermissionsBoundary", "Role"
	}
	var keys []authz.Key
	if arn == "" {
		action = "Delete" + kind + "PermissionsBoundary"
	} else {
		keys = append(keys, authz.Key{Name: "iam:PermissionsBoundary", Values: []string{arn}})
	}
	if _, err := s.lookup(ctx, typ, action, name, keys...); err != nil {
		return err
	}
	if err := checkBoundaryARN(arn, acct); err != nil {
		return err
	}
	if arn != "" {
		if _, err := s.store.GetPolicy(ctx, acct, arn); isNotFound(err) {
			return boundaryNotFound(arn)
		} else if err != nil {
			return storeErr(err, "get boundary policy")
		}
	}
	err := s.store.SetPermissionsBoundary(ctx, meta.EntityRef{Account: acct, Type: typ, Name: name}, arn)
	if isNotFound(err) {
		return notFoundEntity(typ, name)
	}
	return storeErr(err, "set permissions boundary")
}
