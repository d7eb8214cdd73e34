package iam

import (
	"context"
	"errors"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/orgs"
)

// keyOwner resolves the user whose keys an access-key operation acts on:
// the named user, or without a name the caller (an IAM user, or the root
// user, whose keys have UserName ""). It authorizes action on the user.
func (s *Service) keyOwner(ctx context.Context, action, user string) (string, error) {
	c, _ := caller(ctx)
	if user == "" {
		switch {
		case c.Kind == auth.Root:
			return "", s.authorize(ctx, action, c.ARN)
		case c.Kind == auth.User && c.Session == nil:
			user = c.Name
		default:
			return "", validationError("Must specify userName when calling with non-User credentials")
		}
	}
	if _, err := s.lookup(ctx, meta.EntityUser, action, user); err != nil {
		return "", err
	}
	return user, nil
}

// CreateAccessKey creates a long-term access key for a user (or the
// caller); a user holds at most two.
func (s *Service) CreateAccessKey(ctx context.Context, user string) (meta.AccessKey, error) {
	_, acct := caller(ctx)
	user, err := s.keyOwner(ctx, "CreateAccessKey", user)
	if err != nil {
		return meta.AccessKey{}, err
	}
	k := meta.AccessKey{AccountID: acct, UserName: user, Status: "Active", CreatedAt: s.now().UTC()}
	if k.ID, err = orgs.NewAccessKeyID(s.rand); err != nil {
		return k, err
	}
	if k.Secret, err = orgs.NewSecret(s.rand); err != nil {
		return k, err
	}
	err = s.store.CreateAccessKey(ctx, k, MaxAccessKeysPerUser)
	switch {
	case errors.Is(err, meta.ErrLimitExceeded):
		return k, limitExceeded("Cannot exceed quota for AccessKeysPerUser: %d", MaxAccessKeysPerUser)
	case isNotFound(err):
		return k, notFoundEntity(meta.EntityUser, user)
	case err != nil:
		return k, storeErr(err, "create access key")
	}
	if u, err := s.store.GetUser(ctx, acct, user); err == nil {
		k.UserName = u.Name
	}
	return k, nil
}

// ListAccessKeys lists a user's (or the caller's) access keys.
func (s *Service) ListAccessKeys(ctx context.Context, user string, p Page) (List[meta.AccessKey], error) {
	_, acct := caller(ctx)
	user, err := s.keyOwner(ctx, "ListAccessKeys", user)
	if err != nil {
		return List[meta.AccessKey]{}, err
	}
	mp, err := p.store()
	if err != nil {
		return List[meta.AccessKey]{}, err
	}
	keys, err := s.store.ListAccessKeys(ctx, acct, user, mp)
	if err != nil {
		return List[meta.AccessKey]{}, notFoundOr(err, meta.EntityUser, user)
	}
	return finish(keys, p, func(k meta.AccessKey) string { return k.ID }), nil
}

// UpdateAccessKey makes a key Active or Inactive. The change is in the
// change feed, so every node's authenticator drops its cached copy and an
// inactive key fails at once.
func (s *Service) UpdateAccessKey(ctx context.Context, user, id, status string) error {
	_, acct := caller(ctx)
	user, err := s.keyOwner(ctx, "UpdateAccessKey", user)
	if err != nil {
		return err
	}
	if status == "Expired" {
		return invalidInput("Access key status Expired cannot be set.")
	}
	return accessKeyErr(s.store.UpdateAccessKey(ctx, acct, user, id, status), id, "update access key")
}

// DeleteAccessKey deletes a key.
func (s *Service) DeleteAccessKey(ctx context.Context, user, id string) error {
	_, acct := caller(ctx)
	user, err := s.keyOwner(ctx, "DeleteAccessKey", user)
	if err != nil {
		return err
	}
	return accessKeyErr(s.store.DeleteAccessKey(ctx, acct, user, id), id, "delete access key")
}

func accessKeyErr(err error, id, what string) error {
	if isNotFound(err) {
		return noSuchEntity("The Access Key with id %s cannot be found.", id)
	}
	return storeErr(err, what)
}

// KeyLastUsed is GetAccessKeyLastUsed's answer.
type KeyLastUsed struct {
	UserName string
	// grantd does not record key use (it would cost a write per request),
	// so LastUsedDate is always zero and ServiceName and Region "N/A",
	// which is what IAM returns for a key that was never used.
	ServiceName, Region string
}

// GetAccessKeyLastUsed reports when a key of the caller's account was
// last used.
func (s *Service) GetAccessKeyLastUsed(ctx context.Context, id string) (KeyLastUsed, error) {
	c, acct := caller(ctx)
	k, err := s.store.GetAccessKey(ctx, id)
	if err != nil && !isNotFound(err) {
		return KeyLastUsed{}, storeErr(err, "get access key")
	}
	resource := c.ARN
	if err == nil && k.AccountID == acct && k.UserName != "" {
		resource = entityARN(acct, "user", "/", k.UserName)
		if u, uerr := s.store.GetUser(ctx, acct, k.UserName); uerr == nil {
			resource = u.ARN
		}
	}
	if aerr := s.authorize(ctx, "GetAccessKeyLastUsed", resource); aerr != nil {
		return KeyLastUsed{}, aerr
	}
	if err != nil || k.AccountID != acct {
		return KeyLastUsed{}, accessKeyErr(meta.ErrNotFound, id, "")
	}
	name := k.UserName
	if name == "" {
		name = "root" // a root user's key, as IAM reports it
	}
	return KeyLastUsed{UserName: name, ServiceName: "N/A", Region: "N/A"}, nil
}
