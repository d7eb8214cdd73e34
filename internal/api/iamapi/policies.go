package iamapi

import (
	"net/http"

	"github.com/grantd/grantd/internal/api/query"
	"github.com/grantd/grantd/internal/iam"
	"github.com/grantd/grantd/internal/meta"
)

// policyOps maps actions to their handlers.
var policyOps = map[string]func(*handler, *http.Request, query.Params) (any, error){
	"CreatePolicy":            (*handler).createPolicy,
	"GetPolicy":               (*handler).getPolicy,
	"GetPolicyVersion":        (*handler).getPolicyVersion,
	"ListPolicies":            (*handler).listPolicies,
	"DeletePolicy":            (*handler).deletePolicy,
	"CreatePolicyVersion":     (*handler).createPolicyVersion,
	"DeletePolicyVersion":     (*handler).deletePolicyVersion,
	"SetDefaultPolicyVersion": (*handler).setDefaultPolicyVersion,
	"ListPolicyVersions":      (*handler).listPolicyVersions,
	"ListEntitiesForPolicy":   (*handler).listEntitiesForPolicy,
}

func (h *handler) createPolicy(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	pol, err := s.CreatePolicy(r.Context(), iam.CreatePolicyInput{PolicyName: p.Get("PolicyName"), Path: p.Get("Path"),
		PolicyDocument: p.Get("PolicyDocument"), Description: p.Get("Description"), Tags: tagsParam(p, "Tags")})
	if err != nil {
		return nil, err
	}
	return struct{ Policy xPolicy }{policyOut(pol, true)}, nil
}

func (h *handler) getPolicy(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	pol, err := s.GetPolicy(r.Context(), p.Get("PolicyArn"))
	if err != nil {
		return nil, err
	}
	return struct{ Policy xPolicy }{policyOut(pol, true)}, nil
}

func (h *handler) getPolicyVersion(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	v, err := s.GetPolicyVersion(r.Context(), p.Get("PolicyArn"), p.Get("VersionId"))
	if err != nil {
		return nil, err
	}
	return struct{ PolicyVersion xPolicyVersion }{versionOut(v, true)}, nil
}

func (h *handler) listPolicies(r *http.Request, p query.Params) (any, error) {
	s := h.svc
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
}

func (h *handler) deletePolicy(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.DeletePolicy(r.Context(), p.Get("PolicyArn"))
}

func (h *handler) createPolicyVersion(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	def, err := p.Bool("SetAsDefault", false)
	if err != nil {
		return nil, err
	}
	v, err := s.CreatePolicyVersion(r.Context(), p.Get("PolicyArn"), p.Get("PolicyDocument"), def)
	if err != nil {
		return nil, err
	}
	return struct{ PolicyVersion xPolicyVersion }{versionOut(v, false)}, nil
}

func (h *handler) deletePolicyVersion(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.DeletePolicyVersion(r.Context(), p.Get("PolicyArn"), p.Get("VersionId"))
}

func (h *handler) setDefaultPolicyVersion(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.SetDefaultPolicyVersion(r.Context(), p.Get("PolicyArn"), p.Get("VersionId"))
}

func (h *handler) listPolicyVersions(r *http.Request, p query.Params) (any, error) {
	s := h.svc
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
}

func (h *handler) listEntitiesForPolicy(r *http.Request, p query.Params) (any, error) {
	s := h.svc
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
