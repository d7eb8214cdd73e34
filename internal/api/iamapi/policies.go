package iamapi

import (
	"net/http"

	"github.com/grantd/grantd/internal/api/query"
	"github.com/grantd/grantd/internal/iam"
	"github.com/grantd/grantd/internal/meta"
)

func (h *handler) policyOps() map[string]op {
	s := h.svc
	return map[string]op{
		"CreatePolicy": func(r *http.Request, p query.Params) (any, error) {
			pol, err := s.CreatePolicy(r.Context(), iam.CreatePolicyInput{PolicyName: p.Get("PolicyName"), Path: p.Get("Path"),
				PolicyDocument: p.Get("PolicyDocument"), Description: p.Get("Description"), Tags: tagsParam(p, "Tags")})
			if err != nil {
				return nil, err
			}
			return struct{ Policy xPolicy }{policyOut(pol, true)}, nil
		},
		"GetPolicy": func(r *http.Request, p query.Params) (any, error) {
			pol, err := s.GetPolicy(r.Context(), p.Get("PolicyArn"))
			if err != nil {
				return nil, err
			}
			return struct{ Policy xPolicy }{policyOut(pol, true)}, nil
		},
		"GetPolicyVersion": func(r *http.Request, p query.Params) (any, error) {
			v, err := s.GetPolicyVersion(r.Context(), p.Get("PolicyArn"), p.Get("VersionId"))
			if err != nil {
				return nil, err
			}
			return struct{ PolicyVersion xPolicyVersion }{versionOut(v, true)}, nil
		},
		"ListPolicies": func(r *http.Request, p query.Params) (any, error) {
			pg, err := pageParam(p)
			if err != nil {
				return nil, err
			}
			attached, err := p.Bool("OnlyAttached", false)
			if err != nil {
				return nil, err
			}
			l, err := s.ListPolicies(r.Context(), iam.ListPoliciesInput{Scope: p.Get("Scope"), OnlyAttached: attached,
				PathPrefix: p.Get("PathPrefix"), PolicyUsageFilter: p.Get("PolicyUsageFilter"), Page: pg})
			if err != nil {
				return nil, err
			}
			out := make(members[xPolicy], len(l.Items))
			for i, pol := range l.Items {
				out[i] = policyOut(pol, false)
			}
			return struct {
				Policies members[xPolicy]
				page
			}{out, pageOut(l)}, nil
		},
		"DeletePolicy": func(r *http.Request, p query.Params) (any, error) {
			return none, s.DeletePolicy(r.Context(), p.Get("PolicyArn"))
		},
		"CreatePolicyVersion": func(r *http.Request, p query.Params) (any, error) {
			def, err := p.Bool("SetAsDefault", false)
			if err != nil {
				return nil, err
			}
			v, err := s.CreatePolicyVersion(r.Context(), p.Get("PolicyArn"), p.Get("PolicyDocument"), def)
			if err != nil {
				return nil, err
			}
			return struct{ PolicyVersion xPolicyVersion }{versionOut(v, false)}, nil
		},
		"DeletePolicyVersion": func(r *http.Request, p query.Params) (any, error) {
			return none, s.DeletePolicyVersion(r.Context(), p.Get("PolicyArn"), p.Get("VersionId"))
		},
		"SetDefaultPolicyVersion": func(r *http.Request, p query.Params) (any, error) {
			return none, s.SetDefaultPolicyVersion(r.Context(), p.Get("PolicyArn"), p.Get("VersionId"))
		},
		"ListPolicyVersions": func(r *http.Request, p query.Params) (any, error) {
			pg, err := pageParam(p)
			if err != nil {
				return nil, err
			}
			l, err := s.ListPolicyVersions(r.Context(), p.Get("PolicyArn"), pg)
			if err != nil {
				return nil, err
			}
			out := make(members[xPolicyVersion], len(l.Items))
			for i, v := range l.Items {
				out[i] = versionOut(v, false)
			}
			return struct {
				Versions members[xPolicyVersion]
				page
			}{out, pageOut(l)}, nil
		},
		"ListEntitiesForPolicy": func(r *http.Request, p query.Params) (any, error) {
			pg, err := pageParam(p)
			if err != nil {
				return nil, err
			}
			l, err := s.ListEntitiesForPolicy(r.Context(), iam.ListEntitiesForPolicyInput{PolicyArn: p.Get("PolicyArn"),
				EntityFilter: p.Get("EntityFilter"), PathPrefix: p.Get("PathPrefix"), PolicyUsageFilter: p.Get("PolicyUsageFilter"), Page: pg})
			if err != nil {
				return nil, err
			}
			return entitiesOut(l), nil
		},
	}
}

type xPolicyGroup struct {
	GroupName string
	GroupID   string `xml:"GroupId"`
}

type xPolicyUser struct {
	UserName string
	UserID   string `xml:"UserId"`
}

type xPolicyRole struct {
	RoleName string
	RoleID   string `xml:"RoleId"`
}

func entitiesOut(l iam.List[meta.PolicyEntity]) any {
	out := struct {
		PolicyGroups members[xPolicyGroup]
		PolicyUsers  members[xPolicyUser]
		PolicyRoles  members[xPolicyRole]
		page
	}{PolicyGroups: members[xPolicyGroup]{}, PolicyUsers: members[xPolicyUser]{}, PolicyRoles: members[xPolicyRole]{}, page: pageOut(l)}
	for _, e := range l.Items {
		switch e.Type {
		case meta.EntityGroup:
			out.PolicyGroups = append(out.PolicyGroups, xPolicyGroup{e.Name, e.ID})
		case meta.EntityUser:
			out.PolicyUsers = append(out.PolicyUsers, xPolicyUser{e.Name, e.ID})
		case meta.EntityRole:
			out.PolicyRoles = append(out.PolicyRoles, xPolicyRole{e.Name, e.ID})
		}
	}
	return out
}
