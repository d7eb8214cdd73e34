package iam

import (
	"context"
	"errors"

	"github.com/grantd/grantd/internal/authz"
	"github.com/grantd/grantd/internal/meta"
)

// tagAction names the tagging action of a resource type: TagUser,
// UntagRole, ListPolicyTags, TagOpenIDConnectProvider…
func tagAction(verb string, typ meta.EntityType) string {
	noun := map[meta.EntityType]string{meta.EntityUser: "User", meta.EntityRole: "Role",
		meta.EntityPolicy: "Policy", meta.EntityOIDC: "OpenIDConnectProvider"}[typ]
	if verb == "List" {
		return "List" + noun + "Tags"
	}
	return verb + noun
}

// tagTarget authorizes a tagging action on a user or role (by name) or a
// policy or OIDC provider (by ARN).
func (s *Service) tagTarget(ctx context.Context, verb string, typ meta.EntityType, name string, keys []authz.Key) error {
	action := tagAction(verb, typ)
	switch typ {
	case meta.EntityPolicy:
		return s.policyARN(ctx, action, name, verb != "List")
	case meta.EntityOIDC:
		return s.oidcARN(ctx, action, name)
	}
	_, err := s.lookup(ctx, typ, action, name, keys...)
	return err
}

func (s *Service) tagNotFound(typ meta.EntityType, name string) error {
	switch typ {
	case meta.EntityPolicy:
		return policyNotFound(name)
	case meta.EntityOIDC:
		return oidcNotFound(name)
	}
	return notFoundEntity(typ, name)
}

// TagResource adds or replaces tags of a user, role, managed policy or
// OIDC provider; a resource has at most 50.
func (s *Service) TagResource(ctx context.Context, typ meta.EntityType, name string, tags []meta.Tag) error {
	_, acct := caller(ctx)
	if err := s.tagTarget(ctx, "Tag", typ, name, tagKeys(tags)); err != nil {
		return err
	}
	if err := checkTags(tags); err != nil {
		return err
	}
	if err := checkJWKSTags(typ, tags); err != nil {
		return err
	}
	err := s.store.TagResource(ctx, meta.EntityRef{Account: acct, Type: typ, Name: name}, tags, MaxTags)
	switch {
	case isNotFound(err):
		return s.tagNotFound(typ, name)
	case errors.Is(err, meta.ErrLimitExceeded):
		return limitExceeded("The number of tags has reached the maximum limit.")
	}
	return storeErr(err, "tag resource")
}

// UntagResource removes tags by key.
func (s *Service) UntagResource(ctx context.Context, typ meta.EntityType, name string, keys []string) error {
	_, acct := caller(ctx)
	if err := s.tagTarget(ctx, "Untag", typ, name, []authz.Key{{Name: "aws:TagKeys", Values: keys}}); err != nil {
		return err
	}
	err := s.store.UntagResource(ctx, meta.EntityRef{Account: acct, Type: typ, Name: name}, keys)
	if isNotFound(err) {
		return s.tagNotFound(typ, name)
	}
	return storeErr(err, "untag resource")
}

// ListTags lists a resource's tags.
func (s *Service) ListTags(ctx context.Context, typ meta.EntityType, name string, p Page) (List[meta.Tag], error) {
	_, acct := caller(ctx)
	if err := s.tagTarget(ctx, "List", typ, name, nil); err != nil {
		return List[meta.Tag]{}, err
	}
	mp, err := p.store()
	if err != nil {
		return List[meta.Tag]{}, err
	}
	tags, err := s.store.ListTags(ctx, meta.EntityRef{Account: acct, Type: typ, Name: name})
	if isNotFound(err) {
		return List[meta.Tag]{}, s.tagNotFound(typ, name)
	}
	if err != nil {
		return List[meta.Tag]{}, storeErr(err, "list tags")
	}
	// At most 50 tags: page in memory, the cursor is the lower-cased key.
	if mp.After != "" {
		for i, t := range tags {
			if nameKey(t.Key) > mp.After {
				tags = tags[i:]
				break
			}
			if i == len(tags)-1 {
				tags = nil
			}
		}
	}
	return finish(tags, p, func(t meta.Tag) string { return nameKey(t.Key) }), nil
}
