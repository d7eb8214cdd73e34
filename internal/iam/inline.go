package iam

import (
	"context"
	"errors"
	"strings"

	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/policy"
)

// inlineAction returns the IAM action for an inline-policy operation on
// an entity type: verb "Put" and typ role give "PutRolePolicy".
func inlineAction(verb string, typ meta.EntityType) string {
	return verb + strings.ToUpper(string(typ[:1])) + string(typ[1:]) + "Policy"
}

func inlineMax(typ meta.EntityType) int {
	switch typ {
	case meta.EntityGroup:
		return MaxGroupInlineSize
	case meta.EntityRole:
		return MaxRoleInlineSize
	}
	return MaxUserInlineSize
}

// PutInlinePolicy creates or replaces an inline policy of a user, group or
// role. The inline policies of one entity may add up to 2,048 (user),
// 5,120 (group) or 10,240 (role) characters without whitespace.
func (s *Service) PutInlinePolicy(ctx context.Context, typ meta.EntityType, entity, name, doc string) error {
	_, acct := caller(ctx)
	if _, err := s.lookup(ctx, typ, inlineAction("Put", typ), entity); err != nil {
		return err
	}
	if err := checkDocument(doc, policy.Identity); err != nil {
		return err
	}
	max := inlineMax(typ)
	p := meta.InlinePolicy{Name: name, Document: doc, Size: policySize(doc)}
	err := s.store.PutInlinePolicy(ctx, meta.EntityRef{Account: acct, Type: typ, Name: entity}, p, max)
	switch {
	case errors.Is(err, meta.ErrLimitExceeded):
		return limitExceeded("Maximum policy size of %d bytes exceeded for %s %s", max, typ, entity)
	case isNotFound(err):
		return notFoundEntity(typ, entity)
	}
	return storeErr(err, "put inline policy")
}

// GetInlinePolicy returns an inline policy.
func (s *Service) GetInlinePolicy(ctx context.Context, typ meta.EntityType, entity, name string) (meta.InlinePolicy, error) {
	_, acct := caller(ctx)
	if _, err := s.lookup(ctx, typ, inlineAction("Get", typ), entity); err != nil {
		return meta.InlinePolicy{}, err
	}
	p, err := s.store.GetInlinePolicy(ctx, meta.EntityRef{Account: acct, Type: typ, Name: entity}, name)
	if isNotFound(err) {
		return p, noSuchEntity("The %s policy with name %s cannot be found.", typ, name)
	}
	return p, storeErr(err, "get inline policy")
}

// DeleteInlinePolicy deletes an inline policy.
func (s *Service) DeleteInlinePolicy(ctx context.Context, typ meta.EntityType, entity, name string) error {
	_, acct := caller(ctx)
	if _, err := s.lookup(ctx, typ, inlineAction("Delete", typ), entity); err != nil {
		return err
	}
	err := s.store.DeleteInlinePolicy(ctx, meta.EntityRef{Account: acct, Type: typ, Name: entity}, name)
	if isNotFound(err) {
		return noSuchEntity("The %s policy with name %s cannot be found.", typ, name)
	}
	return storeErr(err, "delete inline policy")
}

// ListInlinePolicies lists the names of an entity's inline policies.
func (s *Service) ListInlinePolicies(ctx context.Context, typ meta.EntityType, entity string, p Page) (List[string], error) {
	_, acct := caller(ctx)
	if _, err := s.lookup(ctx, typ, inlineAction("List", typ)+"s", entity); err != nil {
		return List[string]{}, err
	}
	mp, err := p.store()
	if err != nil {
		return List[string]{}, err
	}
	names, err := s.store.ListInlinePolicies(ctx, meta.EntityRef{Account: acct, Type: typ, Name: entity}, mp)
	if err != nil {
		return List[string]{}, notFoundOr(err, typ, entity)
	}
	return finish(names, p, nameKey), nil
}
