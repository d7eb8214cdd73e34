package iam

import (
	"context"
	"errors"
	"fmt"

	"github.com/grantd/grantd/internal/meta"
)

// CreateGroup creates a group.
func (s *Service) CreateGroup(ctx context.Context, path, name string) (meta.Group, error) {
	_, acct := caller(ctx)
	if path == "" {
		path = "/"
	}
	g := meta.Group{AccountID: acct, Name: name, Path: path, ARN: entityARN(acct, "group", path, name), CreatedAt: s.now().UTC()}
	if err := s.authorize(ctx, "CreateGroup", g.ARN); err != nil {
		return g, err
	}
	var err error
	if g.ID, err = s.newID("AGPA"); err != nil {
		return g, err
	}
	err = s.store.CreateGroup(ctx, g)
	if errors.Is(err, meta.ErrExists) {
		return g, alreadyExists("Group with name %s already exists.", name)
	}
	return g, storeErr(err, "create group")
}

// GetGroup returns a group and one page of its users.
func (s *Service) GetGroup(ctx context.Context, name string, p Page) (meta.Group, List[meta.User], error) {
	_, acct := caller(ctx)
	if _, err := s.lookup(ctx, meta.EntityGroup, "GetGroup", name); err != nil {
		return meta.Group{}, List[meta.User]{}, err
	}
	mp, err := p.store()
	if err != nil {
		return meta.Group{}, List[meta.User]{}, err
	}
	g, err := s.store.GetGroup(ctx, acct, name)
	if err != nil {
		return g, List[meta.User]{}, notFoundOr(err, meta.EntityGroup, name)
	}
	users, err := s.store.ListGroupMembers(ctx, acct, name, mp)
	if err != nil {
		return g, List[meta.User]{}, notFoundOr(err, meta.EntityGroup, name)
	}
	return g, finish(users, p, func(u meta.User) string { return nameKey(u.Name) }), nil
}

func notFoundOr(err error, typ meta.EntityType, name string) error {
	if isNotFound(err) {
		return notFoundEntity(typ, name)
	}
	return storeErr(err, fmt.Sprintf("%s %s", typ, name))
}

// ListGroups lists the account's groups whose path starts with pathPrefix.
func (s *Service) ListGroups(ctx context.Context, pathPrefix string, p Page) (List[meta.Group], error) {
	_, acct := caller(ctx)
	if err := s.authorize(ctx, "ListGroups", entityARN(acct, "group", pathPrefix, "")); err != nil {
		return List[meta.Group]{}, err
	}
	mp, err := p.store()
	if err != nil {
		return List[meta.Group]{}, err
	}
	groups, err := s.store.ListGroups(ctx, acct, meta.ListFilter{PathPrefix: pathPrefix, Page: mp})
	if err != nil {
		return List[meta.Group]{}, storeErr(err, "list groups")
	}
	return finish(groups, p, func(g meta.Group) string { return nameKey(g.Name) }), nil
}

// DeleteGroup deletes a group without members or policies.
func (s *Service) DeleteGroup(ctx context.Context, name string) error {
	_, acct := caller(ctx)
	if _, err := s.lookup(ctx, meta.EntityGroup, "DeleteGroup", name); err != nil {
		return err
	}
	err := s.store.DeleteGroup(ctx, acct, name)
	if isNotFound(err) {
		return notFoundEntity(meta.EntityGroup, name)
	}
	return inUse(err, "delete group")
}

// AddUserToGroup adds a user to a group.
func (s *Service) AddUserToGroup(ctx context.Context, group, user string) error {
	_, acct := caller(ctx)
	if _, err := s.lookup(ctx, meta.EntityGroup, "AddUserToGroup", group); err != nil {
		return err
	}
	err := s.store.AddUserToGroup(ctx, acct, group, user, MaxGroupsPerUser)
	switch {
	case isNotFound(err):
		if _, gerr := s.store.GetGroup(ctx, acct, group); isNotFound(gerr) {
			return notFoundEntity(meta.EntityGroup, group)
		}
		return notFoundEntity(meta.EntityUser, user)
	case errors.Is(err, meta.ErrLimitExceeded):
		return limitExceeded("Cannot exceed quota for GroupsPerUser: %d", MaxGroupsPerUser)
	}
	return storeErr(err, "add user to group")
}

// RemoveUserFromGroup removes a user from a group.
func (s *Service) RemoveUserFromGroup(ctx context.Context, group, user string) error {
	_, acct := caller(ctx)
	if _, err := s.lookup(ctx, meta.EntityGroup, "RemoveUserFromGroup", group); err != nil {
		return err
	}
	err := s.store.RemoveUserFromGroup(ctx, acct, group, user)
	if isNotFound(err) {
		if _, gerr := s.store.GetGroup(ctx, acct, group); isNotFound(gerr) {
			return notFoundEntity(meta.EntityGroup, group)
		}
		return notFoundEntity(meta.EntityUser, user)
	}
	return storeErr(err, "remove user from group")
}

// ListGroupsForUser lists the groups a user belongs to.
func (s *Service) ListGroupsForUser(ctx context.Context, user string, p Page) (List[meta.Group], error) {
	_, acct := caller(ctx)
	if _, err := s.lookup(ctx, meta.EntityUser, "ListGroupsForUser", user); err != nil {
		return List[meta.Group]{}, err
	}
	mp, err := p.store()
	if err != nil {
		return List[meta.Group]{}, err
	}
	groups, err := s.store.ListGroupsForUser(ctx, acct, user, mp)
	if err != nil {
		return List[meta.Group]{}, notFoundOr(err, meta.EntityUser, user)
	}
	return finish(groups, p, func(g meta.Group) string { return nameKey(g.Name) }), nil
}
