package iam

import (
	"context"
	"encoding/base64"
	"slices"
	"strings"

	"github.com/grantd/grantd/internal/meta"
)

// UserDetail is a user with everything attached to it.
type UserDetail struct {
	meta.User
	InlinePolicies []meta.InlinePolicy
	Groups         []string
	Attached       []meta.AttachedPolicy
}

// GroupDetail is a group with its policies.
type GroupDetail struct {
	meta.Group
	InlinePolicies []meta.InlinePolicy
	Attached       []meta.AttachedPolicy
}

// RoleDetail is a role with its policies.
type RoleDetail struct {
	meta.Role
	InlinePolicies []meta.InlinePolicy
	Attached       []meta.AttachedPolicy
}

// PolicyDetail is a managed policy with all its versions.
type PolicyDetail struct {
	meta.ManagedPolicy
	Versions []meta.PolicyVersion
}

// AuthorizationDetails is GetAccountAuthorizationDetails' answer.
type AuthorizationDetails struct {
	Users       []UserDetail
	Groups      []GroupDetail
	Roles       []RoleDetail
	Policies    []PolicyDetail
	IsTruncated bool
	Marker      string
}

// The sections of the report in order; a marker is the section letter
// and the last key returned in it.
var detailSections = []struct {
	letter string
	filter []string
}{
	{"u", []string{"User"}},
	{"g", []string{"Group"}},
	{"r", []string{"Role"}},
	{"p", []string{"LocalManagedPolicy", "AWSManagedPolicy"}},
}

// GetAccountAuthorizationDetails reports the account's users, groups,
// roles and managed policies (customer managed ones, and AWS managed ones
// attached in the account) with their policies, as IAM's report does.
// MaxItems counts entries of all sections together.
func (s *Service) GetAccountAuthorizationDetails(ctx context.Context, filter []string, p Page) (AuthorizationDetails, error) {
	var out AuthorizationDetails
	if err := s.authorize(ctx, "GetAccountAuthorizationDetails", "*"); err != nil {
		return out, err
	}
	section, after := "u", ""
	if p.Marker != "" {
		raw, err := base64.RawURLEncoding.DecodeString(p.Marker)
		if err != nil || len(raw) < 2 || raw[1] != ':' {
			return out, validationError("Invalid Marker.")
		}
		section, after = string(raw[:1]), string(raw[2:])
	}
	want := func(names []string) bool {
		if len(filter) == 0 {
			return true
		}
		for _, n := range names {
			if slices.Contains(filter, n) {
				return true
			}
		}
		return false
	}
	left := p.limit()
	started := false
	for _, sec := range detailSections {
		if sec.letter == section {
			started = true
		} else if !started {
			continue
		} else {
			after = ""
		}
		if !want(sec.filter) {
			continue
		}
		last, n, more, err := s.detailSection(ctx, sec.letter, filter, after, left, &out)
		if err != nil {
			return out, err
		}
		left -= n
		if more || (left == 0 && s.hasMoreAfter(ctx, sec.letter, filter, want)) {
			out.IsTruncated = true
			out.Marker = base64.RawURLEncoding.EncodeToString([]byte(sec.letter + ":" + last))
			return out, nil
		}
		if left == 0 {
			break
		}
	}
	return out, nil
}

// hasMoreAfter reports whether a section after sec has entries, so a
// page that ends exactly at a section's end is still marked truncated.
func (s *Service) hasMoreAfter(ctx context.Context, sec string, filter []string, want func([]string) bool) bool {
	var tmp AuthorizationDetails
	past := false
	for _, next := range detailSections {
		if next.letter == sec {
			past = true
			continue
		}
		if !past || !want(next.filter) {
			continue
		}
		if _, n, _, err := s.detailSection(ctx, next.letter, filter, "", 1, &tmp); err == nil && n > 0 {
			return true
		}
	}
	return false
}

// detailSection appends up to max entries of one section after the
// cursor; it returns the last cursor, the count, and whether more follow.
func (s *Service) detailSection(ctx context.Context, sec string, filter []string, after string, max int, out *AuthorizationDetails) (string, int, bool, error) {
	_, acct := caller(ctx)
	mp := meta.Page{After: after, Limit: max + 1}
	var keys []string
	switch sec {
	case "u":
		users, err := s.store.ListUsers(ctx, acct, meta.ListFilter{Page: mp})
		if err != nil {
			return "", 0, false, storeErr(err, "list users")
		}
		for _, u := range users[:min(len(users), max)] {
			d, err := s.userDetail(ctx, u)
			if err != nil {
				return "", 0, false, err
			}
			out.Users = append(out.Users, d)
			keys = append(keys, nameKey(u.Name))
		}
		return lastKey(keys), len(keys), len(users) > max, nil
	case "g":
		groups, err := s.store.ListGroups(ctx, acct, meta.ListFilter{Page: mp})
		if err != nil {
			return "", 0, false, storeErr(err, "list groups")
		}
		for _, g := range groups[:min(len(groups), max)] {
			ref := meta.EntityRef{Account: acct, Type: meta.EntityGroup, Name: g.Name}
			d := GroupDetail{Group: g}
			if d.InlinePolicies, d.Attached, err = s.entityPolicies(ctx, ref); err != nil {
				return "", 0, false, err
			}
			out.Groups = append(out.Groups, d)
			keys = append(keys, nameKey(g.Name))
		}
		return lastKey(keys), len(keys), len(groups) > max, nil
	case "r":
		roles, err := s.store.ListRoles(ctx, acct, meta.ListFilter{Page: mp})
		if err != nil {
			return "", 0, false, storeErr(err, "list roles")
		}
		for _, r := range roles[:min(len(roles), max)] {
			ref := meta.EntityRef{Account: acct, Type: meta.EntityRole, Name: r.Name}
			d := RoleDetail{Role: r}
			if d.Tags, err = s.store.ListTags(ctx, ref); err != nil {
				return "", 0, false, storeErr(err, "role tags")
			}
			if d.InlinePolicies, d.Attached, err = s.entityPolicies(ctx, ref); err != nil {
				return "", 0, false, err
			}
			out.Roles = append(out.Roles, d)
			keys = append(keys, nameKey(r.Name))
		}
		return lastKey(keys), len(keys), len(roles) > max, nil
	}
	return s.policyDetails(ctx, filter, mp, max, out)
}

func lastKey(keys []string) string {
	if len(keys) == 0 {
		return ""
	}
	return keys[len(keys)-1]
}

func (s *Service) policyDetails(ctx context.Context, filter []string, mp meta.Page, max int, out *AuthorizationDetails) (string, int, bool, error) {
	_, acct := caller(ctx)
	local := len(filter) == 0 || slices.Contains(filter, "LocalManagedPolicy")
	awsManaged := len(filter) == 0 || slices.Contains(filter, "AWSManagedPolicy")
	var keys []string
	for {
		ps, err := s.store.ListPolicies(ctx, acct, meta.PolicyFilter{Page: mp})
		if err != nil {
			return "", 0, false, storeErr(err, "list policies")
		}
		for _, p := range ps {
			isAWS := p.AccountID == "aws"
			if (isAWS && (!awsManaged || p.AttachmentCount+p.BoundaryUsageCount == 0)) || (!isAWS && !local) {
				continue
			}
			if len(keys) == max {
				return lastKey(keys), len(keys), true, nil
			}
			vs, err := s.store.ListPolicyVersions(ctx, p.ARN)
			if err != nil {
				return "", 0, false, storeErr(err, "list policy versions")
			}
			out.Policies = append(out.Policies, PolicyDetail{ManagedPolicy: p, Versions: vs})
			keys = append(keys, p.ARN)
		}
		if len(ps) < mp.Limit {
			return lastKey(keys), len(keys), false, nil
		}
		mp.After = ps[len(ps)-1].ARN
	}
}

func (s *Service) userDetail(ctx context.Context, u meta.User) (UserDetail, error) {
	ref := meta.EntityRef{Account: u.AccountID, Type: meta.EntityUser, Name: u.Name}
	d := UserDetail{User: u}
	var err error
	if d.Tags, err = s.store.ListTags(ctx, ref); err != nil {
		return d, storeErr(err, "user tags")
	}
	if d.InlinePolicies, d.Attached, err = s.entityPolicies(ctx, ref); err != nil {
		return d, err
	}
	groups, err := s.store.ListGroupsForUser(ctx, u.AccountID, u.Name, meta.Page{Limit: 1000})
	if err != nil {
		return d, storeErr(err, "groups of user")
	}
	for _, g := range groups {
		d.Groups = append(d.Groups, g.Name)
	}
	return d, nil
}

// entityPolicies reads an entity's inline policies and attachments.
func (s *Service) entityPolicies(ctx context.Context, ref meta.EntityRef) ([]meta.InlinePolicy, []meta.AttachedPolicy, error) {
	names, err := s.store.ListInlinePolicies(ctx, ref, meta.Page{Limit: 1000})
	if err != nil {
		return nil, nil, storeErr(err, "inline policies of "+strings.ToLower(string(ref.Type)))
	}
	var inline []meta.InlinePolicy
	for _, n := range names {
		p, err := s.store.GetInlinePolicy(ctx, ref, n)
		if err != nil {
			return nil, nil, storeErr(err, "inline policy "+n)
		}
		inline = append(inline, p)
	}
	attached, err := s.store.ListAttachedPolicies(ctx, ref, "", meta.Page{Limit: 1000})
	if err != nil {
		return nil, nil, storeErr(err, "attached policies")
	}
	return inline, attached, nil
}
