package iamapi

import (
	"encoding/xml"
	"net/http"

	"github.com/grantd/grantd/internal/api/query"
	"github.com/grantd/grantd/internal/iam"
	"github.com/grantd/grantd/internal/meta"
)

// roleOps maps actions to their handlers.
var roleOps = map[string]func(*handler, *http.Request, query.Params) (any, error){
	"CreateRole":                    (*handler).createRole,
	"GetRole":                       (*handler).getRole,
	"ListRoles":                     (*handler).listRoles,
	"UpdateRole":                    (*handler).updateRole,
	"UpdateAssumeRolePolicy":        (*handler).updateAssumeRolePolicy,
	"DeleteRole":                    (*handler).deleteRole,
	"PutRolePermissionsBoundary":    (*handler).putRolePermissionsBoundary,
	"DeleteRolePermissionsBoundary": (*handler).deleteRolePermissionsBoundary,
}

// genericOps adds the operations that exist once per entity type.
func (h *handler) genericOps(ops map[string]op) {
	for _, e := range []struct {
		typ  meta.EntityType
		noun string // User, Group, Role
	}{{meta.EntityUser, "User"}, {meta.EntityGroup, "Group"}, {meta.EntityRole, "Role"}} {
		h.entityPolicyOps(ops, e.typ, e.noun)
	}
	for _, t := range []struct {
		typ         meta.EntityType
		noun, param string
	}{{meta.EntityUser, "User", "UserName"}, {meta.EntityRole, "Role", "RoleName"},
		{meta.EntityPolicy, "Policy", "PolicyArn"}, {meta.EntityOIDC, "OpenIDConnectProvider", "OpenIDConnectProviderArn"}} {
		h.tagOps(ops, t.typ, t.noun, t.param)
	}
}

func (h *handler) createRole(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	dur, err := p.Int("MaxSessionDuration", 0)
	if err != nil {
		return nil, err
	}
	role, err := s.CreateRole(r.Context(), iam.CreateRoleInput{Path: p.Get("Path"), RoleName: p.Get("RoleName"),
		AssumeRolePolicyDocument: p.Get("AssumeRolePolicyDocument"), Description: p.Get("Description"),
		PermissionsBoundary: p.Get("PermissionsBoundary"), MaxSessionDuration: dur, Tags: tagsParam(p, "Tags")})
	if err != nil {
		return nil, err
	}
	x := roleOut(role, true)
	x.RoleLastUsed = nil
	return struct{ Role xRole }{x}, nil
}

func (h *handler) getRole(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	role, err := s.GetRole(r.Context(), p.Get("RoleName"))
	if err != nil {
		return nil, err
	}
	return struct{ Role xRole }{roleOut(role, true)}, nil
}

func (h *handler) listRoles(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	pg, err := pageParam(p)
	if err != nil {
		return nil, err
	}
	l, err := s.ListRoles(r.Context(), p.Get("PathPrefix"), pg)
	if err != nil {
		return nil, err
	}
	out := make(members[xRole], len(l.Items))
	for i, role := range l.Items {
		out[i] = roleOut(role, false)
	}
	return struct {
		Roles members[xRole]
		page
	}{out, pageOut(l)}, nil
}

func (h *handler) updateRole(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	var desc *string
	var dur *int
	if p.Has("Description") {
		d := p.Get("Description")
		desc = &d
	}
	if p.Has("MaxSessionDuration") {
		n, err := p.Int("MaxSessionDuration", 0)
		if err != nil {
			return nil, err
		}
		dur = &n
	}
	if err := s.UpdateRole(r.Context(), p.Get("RoleName"), desc, dur); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func (h *handler) updateAssumeRolePolicy(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.UpdateAssumeRolePolicy(r.Context(), p.Get("RoleName"), p.Get("PolicyDocument"))
}

func (h *handler) deleteRole(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.DeleteRole(r.Context(), p.Get("RoleName"))
}

func (h *handler) putRolePermissionsBoundary(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.SetPermissionsBoundary(r.Context(), meta.EntityRole, p.Get("RoleName"), p.Get("PermissionsBoundary"))
}

func (h *handler) deleteRolePermissionsBoundary(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.SetPermissionsBoundary(r.Context(), meta.EntityRole, p.Get("RoleName"), "")
}

// entityPolicyOps adds the inline and attached policy operations of one
// entity type: PutUserPolicy, GetUserPolicy, … ListAttachedUserPolicies.
func (h *handler) entityPolicyOps(ops map[string]op, typ meta.EntityType, noun string) {
	s, param := h.svc, noun+"Name"
	ops["Put"+noun+"Policy"] = func(r *http.Request, p query.Params) (any, error) {
		return none, s.PutInlinePolicy(r.Context(), typ, p.Get(param), p.Get("PolicyName"), p.Get("PolicyDocument"))
	}
	ops["Get"+noun+"Policy"] = func(r *http.Request, p query.Params) (any, error) {
		pol, err := s.GetInlinePolicy(r.Context(), typ, p.Get(param), p.Get("PolicyName"))
		if err != nil {
			return nil, err
		}
		return inlineResult{entity: param, Name: p.Get(param), PolicyName: pol.Name, PolicyDocument: encodeDocument(pol.Document)}, nil
	}
	ops["Delete"+noun+"Policy"] = func(r *http.Request, p query.Params) (any, error) {
		return none, s.DeleteInlinePolicy(r.Context(), typ, p.Get(param), p.Get("PolicyName"))
	}
	ops["List"+noun+"Policies"] = func(r *http.Request, p query.Params) (any, error) {
		pg, err := pageParam(p)
		if err != nil {
			return nil, err
		}
		l, err := s.ListInlinePolicies(r.Context(), typ, p.Get(param), pg)
		if err != nil {
			return nil, err
		}
		return struct {
			PolicyNames members[string]
			page
		}{members[string](l.Items), pageOut(l)}, nil
	}
	ops["Attach"+noun+"Policy"] = func(r *http.Request, p query.Params) (any, error) {
		return none, s.AttachPolicy(r.Context(), typ, p.Get(param), p.Get("PolicyArn"))
	}
	ops["Detach"+noun+"Policy"] = func(r *http.Request, p query.Params) (any, error) {
		return none, s.DetachPolicy(r.Context(), typ, p.Get(param), p.Get("PolicyArn"))
	}
	ops["ListAttached"+noun+"Policies"] = func(r *http.Request, p query.Params) (any, error) {
		pg, err := pageParam(p)
		if err != nil {
			return nil, err
		}
		l, err := s.ListAttachedPolicies(r.Context(), typ, p.Get(param), p.Get("PathPrefix"), pg)
		if err != nil {
			return nil, err
		}
		return struct {
			AttachedPolicies members[xAttached]
			page
		}{attachedOut(l.Items), pageOut(l)}, nil
	}
}

// inlineResult is Get{User,Group,Role}Policy's result; the entity name
// element is UserName, GroupName or RoleName.
type inlineResult struct {
	entity         string
	Name           string
	PolicyName     string
	PolicyDocument string
}

// MarshalXML implements xml.Marshaler.
func (x inlineResult) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return encodeFields(e, start, [][2]string{{x.entity, x.Name}, {"PolicyName", x.PolicyName}, {"PolicyDocument", x.PolicyDocument}})
}

// tagOps adds TagX, UntagX and ListXTags for one resource type.
func (h *handler) tagOps(ops map[string]op, typ meta.EntityType, noun, param string) {
	s := h.svc
	ops["Tag"+noun] = func(r *http.Request, p query.Params) (any, error) {
		return none, s.TagResource(r.Context(), typ, p.Get(param), tagsParam(p, "Tags"))
	}
	ops["Untag"+noun] = func(r *http.Request, p query.Params) (any, error) {
		return none, s.UntagResource(r.Context(), typ, p.Get(param), p.Members("TagKeys"))
	}
	ops["List"+noun+"Tags"] = func(r *http.Request, p query.Params) (any, error) {
		pg, err := pageParam(p)
		if err != nil {
			return nil, err
		}
		l, err := s.ListTags(r.Context(), typ, p.Get(param), pg)
		if err != nil {
			return nil, err
		}
		return struct {
			Tags members[xTag]
			page
		}{xTags(l.Items), pageOut(l)}, nil
	}
}
