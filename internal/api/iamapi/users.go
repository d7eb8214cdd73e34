package iamapi

import (
	"net/http"

	"github.com/grantd/grantd/internal/api/query"
	"github.com/grantd/grantd/internal/iam"
	"github.com/grantd/grantd/internal/meta"
)

// userOps maps actions to their handlers.
var userOps = map[string]func(*handler, *http.Request, query.Params) (any, error){
	"CreateUser":                    (*handler).createUser,
	"GetUser":                       (*handler).getUser,
	"ListUsers":                     (*handler).listUsers,
	"UpdateUser":                    (*handler).updateUser,
	"DeleteUser":                    (*handler).deleteUser,
	"PutUserPermissionsBoundary":    (*handler).putUserPermissionsBoundary,
	"DeleteUserPermissionsBoundary": (*handler).deleteUserPermissionsBoundary,
	"CreateGroup":                   (*handler).createGroup,
	"GetGroup":                      (*handler).getGroup,
	"ListGroups":                    (*handler).listGroups,
	"ListGroupsForUser":             (*handler).listGroupsForUser,
	"DeleteGroup":                   (*handler).deleteGroup,
	"AddUserToGroup":                (*handler).addUserToGroup,
	"RemoveUserFromGroup":           (*handler).removeUserFromGroup,
	"CreateAccessKey":               (*handler).createAccessKey,
	"ListAccessKeys":                (*handler).listAccessKeys,
	"UpdateAccessKey":               (*handler).updateAccessKey,
	"DeleteAccessKey":               (*handler).deleteAccessKey,
	"GetAccessKeyLastUsed":          (*handler).getAccessKeyLastUsed,
}

func (h *handler) createUser(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	u, err := s.CreateUser(r.Context(), iam.CreateUserInput{Path: p.Get("Path"), UserName: p.Get("UserName"),
		PermissionsBoundary: p.Get("PermissionsBoundary"), Tags: tagsParam(p, "Tags")})
	if err != nil {
		return nil, err
	}
	return struct{ User xUser }{userOut(u, true)}, nil
}

func (h *handler) getUser(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	u, err := s.GetUser(r.Context(), p.Get("UserName"))
	if err != nil {
		return nil, err
	}
	return struct{ User xUser }{userOut(u, true)}, nil
}

func (h *handler) listUsers(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	pg, err := pageParam(p)
	if err != nil {
		return nil, err
	}
	l, err := s.ListUsers(r.Context(), p.Get("PathPrefix"), pg)
	if err != nil {
		return nil, err
	}
	return struct {
		Users members[xUser]
		page
	}{usersOut(l.Items), pageOut(l)}, nil
}

func (h *handler) updateUser(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.UpdateUser(r.Context(), p.Get("UserName"), p.Get("NewUserName"), p.Get("NewPath"))
}

func (h *handler) deleteUser(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.DeleteUser(r.Context(), p.Get("UserName"))
}

func (h *handler) putUserPermissionsBoundary(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.SetPermissionsBoundary(r.Context(), meta.EntityUser, p.Get("UserName"), p.Get("PermissionsBoundary"))
}

func (h *handler) deleteUserPermissionsBoundary(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.SetPermissionsBoundary(r.Context(), meta.EntityUser, p.Get("UserName"), "")
}

func (h *handler) createGroup(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	g, err := s.CreateGroup(r.Context(), p.Get("Path"), p.Get("GroupName"))
	if err != nil {
		return nil, err
	}
	return struct{ Group xGroup }{groupOut(g)}, nil
}

func (h *handler) getGroup(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	pg, err := pageParam(p)
	if err != nil {
		return nil, err
	}
	g, l, err := s.GetGroup(r.Context(), p.Get("GroupName"), pg)
	if err != nil {
		return nil, err
	}
	return struct {
		Group xGroup
		Users members[xUser]
		page
	}{groupOut(g), usersOut(l.Items), pageOut(l)}, nil
}

func (h *handler) listGroups(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	pg, err := pageParam(p)
	if err != nil {
		return nil, err
	}
	l, err := s.ListGroups(r.Context(), p.Get("PathPrefix"), pg)
	return groupsResult(l, err)
}

func (h *handler) listGroupsForUser(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	pg, err := pageParam(p)
	if err != nil {
		return nil, err
	}
	l, err := s.ListGroupsForUser(r.Context(), p.Get("UserName"), pg)
	return groupsResult(l, err)
}

func (h *handler) deleteGroup(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.DeleteGroup(r.Context(), p.Get("GroupName"))
}

func (h *handler) addUserToGroup(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.AddUserToGroup(r.Context(), p.Get("GroupName"), p.Get("UserName"))
}

func (h *handler) removeUserFromGroup(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.RemoveUserFromGroup(r.Context(), p.Get("GroupName"), p.Get("UserName"))
}

func (h *handler) createAccessKey(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	k, err := s.CreateAccessKey(r.Context(), p.Get("UserName"))
	if err != nil {
		return nil, err
	}
	type key struct {
		UserName        string
		AccessKeyID     string `xml:"AccessKeyId"`
		Status          string
		SecretAccessKey string
		CreateDate      string
	}
	return struct{ AccessKey key }{key{k.UserName, k.ID, k.Status, k.Secret, isoTime(k.CreatedAt)}}, nil
}

func (h *handler) listAccessKeys(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	pg, err := pageParam(p)
	if err != nil {
		return nil, err
	}
	l, err := s.ListAccessKeys(r.Context(), p.Get("UserName"), pg)
	if err != nil {
		return nil, err
	}
	type keyMeta struct {
		UserName    string `xml:"UserName,omitempty"`
		AccessKeyID string `xml:"AccessKeyId"`
		Status      string
		CreateDate  string
	}
	out := make(members[keyMeta], len(l.Items))
	for i, k := range l.Items {
		out[i] = keyMeta{k.UserName, k.ID, k.Status, isoTime(k.CreatedAt)}
	}
	return struct {
		AccessKeyMetadata members[keyMeta]
		page
	}{out, pageOut(l)}, nil
}

func (h *handler) updateAccessKey(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.UpdateAccessKey(r.Context(), p.Get("UserName"), p.Get("AccessKeyId"), p.Get("Status"))
}

func (h *handler) deleteAccessKey(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.DeleteAccessKey(r.Context(), p.Get("UserName"), p.Get("AccessKeyId"))
}

func (h *handler) getAccessKeyLastUsed(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	k, err := s.GetAccessKeyLastUsed(r.Context(), p.Get("AccessKeyId"))
	if err != nil {
		return nil, err
	}
	type lastUsed struct{ ServiceName, Region string }
	return struct {
		UserName          string
		AccessKeyLastUsed lastUsed
	}{k.UserName, lastUsed{k.ServiceName, k.Region}}, nil
}

func usersOut(us []meta.User) members[xUser] {
	out := make(members[xUser], len(us))
	for i, u := range us {
		out[i] = userOut(u, false)
	}
	return out
}

func groupsResult(l iam.List[meta.Group], err error) (any, error) {
	if err != nil {
		return nil, err
	}
	out := make(members[xGroup], len(l.Items))
	for i, g := range l.Items {
		out[i] = groupOut(g)
	}
	return struct {
		Groups members[xGroup]
		page
	}{out, pageOut(l)}, nil
}
