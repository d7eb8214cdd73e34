package iamapi

import (
	"net/http"

	"github.com/grantd/grantd/internal/api/query"
	"github.com/grantd/grantd/internal/iam"
	"github.com/grantd/grantd/internal/meta"
)

func (h *handler) userOps() map[string]op {
	s := h.svc
	return map[string]op{
		"CreateUser": func(r *http.Request, p query.Params) (any, error) {
			u, err := s.CreateUser(r.Context(), iam.CreateUserInput{Path: p.Get("Path"), UserName: p.Get("UserName"),
				PermissionsBoundary: p.Get("PermissionsBoundary"), Tags: tagsParam(p, "Tags")})
			if err != nil {
				return nil, err
			}
			return struct{ User xUser }{userOut(u, true)}, nil
		},
		"GetUser": func(r *http.Request, p query.Params) (any, error) {
			u, err := s.GetUser(r.Context(), p.Get("UserName"))
			if err != nil {
				return nil, err
			}
			return struct{ User xUser }{userOut(u, true)}, nil
		},
		"ListUsers": func(r *http.Request, p query.Params) (any, error) {
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
		},
		"UpdateUser": func(r *http.Request, p query.Params) (any, error) {
			return none, s.UpdateUser(r.Context(), p.Get("UserName"), p.Get("NewUserName"), p.Get("NewPath"))
		},
		"DeleteUser": func(r *http.Request, p query.Params) (any, error) {
			return none, s.DeleteUser(r.Context(), p.Get("UserName"))
		},
		"PutUserPermissionsBoundary": func(r *http.Request, p query.Params) (any, error) {
			return none, s.SetPermissionsBoundary(r.Context(), meta.EntityUser, p.Get("UserName"), p.Get("PermissionsBoundary"))
		},
		"DeleteUserPermissionsBoundary": func(r *http.Request, p query.Params) (any, error) {
			return none, s.SetPermissionsBoundary(r.Context(), meta.EntityUser, p.Get("UserName"), "")
		},
		"CreateGroup": func(r *http.Request, p query.Params) (any, error) {
			g, err := s.CreateGroup(r.Context(), p.Get("Path"), p.Get("GroupName"))
			if err != nil {
				return nil, err
			}
			return struct{ Group xGroup }{groupOut(g)}, nil
		},
		"GetGroup": func(r *http.Request, p query.Params) (any, error) {
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
		},
		"ListGroups": func(r *http.Request, p query.Params) (any, error) {
			pg, err := pageParam(p)
			if err != nil {
				return nil, err
			}
			l, err := s.ListGroups(r.Context(), p.Get("PathPrefix"), pg)
			return groupsResult(l, err)
		},
		"ListGroupsForUser": func(r *http.Request, p query.Params) (any, error) {
			pg, err := pageParam(p)
			if err != nil {
				return nil, err
			}
			l, err := s.ListGroupsForUser(r.Context(), p.Get("UserName"), pg)
			return groupsResult(l, err)
		},
		"DeleteGroup": func(r *http.Request, p query.Params) (any, error) {
			return none, s.DeleteGroup(r.Context(), p.Get("GroupName"))
		},
		"AddUserToGroup": func(r *http.Request, p query.Params) (any, error) {
			return none, s.AddUserToGroup(r.Context(), p.Get("GroupName"), p.Get("UserName"))
		},
		"RemoveUserFromGroup": func(r *http.Request, p query.Params) (any, error) {
			return none, s.RemoveUserFromGroup(r.Context(), p.Get("GroupName"), p.Get("UserName"))
		},
		"CreateAccessKey": func(r *http.Request, p query.Params) (any, error) {
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
		},
		"ListAccessKeys": func(r *http.Request, p query.Params) (any, error) {
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
		},
		"UpdateAccessKey": func(r *http.Request, p query.Params) (any, error) {
			return none, s.UpdateAccessKey(r.Context(), p.Get("UserName"), p.Get("AccessKeyId"), p.Get("Status"))
		},
		"DeleteAccessKey": func(r *http.Request, p query.Params) (any, error) {
			return none, s.DeleteAccessKey(r.Context(), p.Get("UserName"), p.Get("AccessKeyId"))
		},
		"GetAccessKeyLastUsed": func(r *http.Request, p query.Params) (any, error) {
			k, err := s.GetAccessKeyLastUsed(r.Context(), p.Get("AccessKeyId"))
			if err != nil {
				return nil, err
			}
			type lastUsed struct{ ServiceName, Region string }
			return struct {
				UserName          string
				AccessKeyLastUsed lastUsed
			}{k.UserName, lastUsed{k.ServiceName, k.Region}}, nil
		},
	}
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
