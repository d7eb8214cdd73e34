package iamapi

import (
	"net/http"

	"github.com/grantd/grantd/internal/api/query"
	"github.com/grantd/grantd/internal/iam"
)

// otherOps maps actions to their handlers.
var otherOps = map[string]func(*handler, *http.Request, query.Params) (any, error){
	"CreateOpenIDConnectProvider":             (*handler).createOpenIDConnectProvider,
	"GetOpenIDConnectProvider":                (*handler).getOpenIDConnectProvider,
	"ListOpenIDConnectProviders":              (*handler).listOpenIDConnectProviders,
	"DeleteOpenIDConnectProvider":             (*handler).deleteOpenIDConnectProvider,
	"AddClientIDToOpenIDConnectProvider":      (*handler).addClientIDToOpenIDConnectProvider,
	"RemoveClientIDFromOpenIDConnectProvider": (*handler).removeClientIDFromOpenIDConnectProvider,
	"UpdateOpenIDConnectProviderThumbprint":   (*handler).updateOpenIDConnectProviderThumbprint,
	"GetAccountAuthorizationDetails":          (*handler).getAccountAuthorizationDetails,
	"SimulateCustomPolicy":                    (*handler).simulateCustomPolicy,
	"SimulatePrincipalPolicy":                 (*handler).simulatePrincipalPolicy,
}

func (h *handler) createOpenIDConnectProvider(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	pr, err := s.CreateOpenIDConnectProvider(r.Context(), p.Get("Url"), p.Members("ClientIDList"), p.Members("ThumbprintList"), tagsParam(p, "Tags"))
	if err != nil {
		return nil, err
	}
	return struct {
		OpenIDConnectProviderArn string
		Tags                     *members[xTag] `xml:"Tags,omitempty"`
	}{pr.ARN, optTags(pr.Tags)}, nil
}

func (h *handler) getOpenIDConnectProvider(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	pr, err := s.GetOpenIDConnectProvider(r.Context(), p.Get("OpenIDConnectProviderArn"))
	if err != nil {
		return nil, err
	}
	return struct {
		URL            string `xml:"Url"`
		ClientIDList   members[string]
		ThumbprintList members[string]
		CreateDate     string
		Tags           members[xTag]
	}{pr.URL, members[string](pr.ClientIDs), members[string](pr.Thumbprints), isoTime(pr.CreatedAt), xTags(pr.Tags)}, nil
}

func (h *handler) listOpenIDConnectProviders(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	ps, err := s.ListOpenIDConnectProviders(r.Context())
	if err != nil {
		return nil, err
	}
	type entry struct{ Arn string }
	out := make(members[entry], len(ps))
	for i, pr := range ps {
		out[i] = entry{pr.ARN}
	}
	return struct{ OpenIDConnectProviderList members[entry] }{out}, nil
}

func (h *handler) deleteOpenIDConnectProvider(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.DeleteOpenIDConnectProvider(r.Context(), p.Get("OpenIDConnectProviderArn"))
}

func (h *handler) addClientIDToOpenIDConnectProvider(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.AddClientIDToOpenIDConnectProvider(r.Context(), p.Get("OpenIDConnectProviderArn"), p.Get("ClientID"))
}

func (h *handler) removeClientIDFromOpenIDConnectProvider(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.RemoveClientIDFromOpenIDConnectProvider(r.Context(), p.Get("OpenIDConnectProviderArn"), p.Get("ClientID"))
}

func (h *handler) updateOpenIDConnectProviderThumbprint(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	return none, s.UpdateOpenIDConnectProviderThumbprint(r.Context(), p.Get("OpenIDConnectProviderArn"), p.Members("ThumbprintList"))
}

func (h *handler) getAccountAuthorizationDetails(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	pg, err := pageParam(p)
	if err != nil {
		return nil, err
	}
	d, err := s.GetAccountAuthorizationDetails(r.Context(), p.Members("Filter"), pg)
	if err != nil {
		return nil, err
	}
	return detailsOut(d), nil
}

func (h *handler) simulateCustomPolicy(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	in, err := simulateParams(p)
	if err != nil {
		return nil, err
	}
	l, err := s.SimulateCustomPolicy(r.Context(), in)
	return simulateOut(l, err)
}

func (h *handler) simulatePrincipalPolicy(r *http.Request, p query.Params) (any, error) {
	s := h.svc
	in, err := simulateParams(p)
	if err != nil {
		return nil, err
	}
	l, err := s.SimulatePrincipalPolicy(r.Context(), in)
	return simulateOut(l, err)
}

type xUserDetail struct {
	Path                    string
	UserName                string
	UserID                  string `xml:"UserId"`
	ARN                     string `xml:"Arn"`
	CreateDate              string
	UserPolicyList          members[xPolicyDetail]
	GroupList               members[string]
	AttachedManagedPolicies members[xAttached]
	PermissionsBoundary     *xBoundary `xml:"PermissionsBoundary,omitempty"`
	Tags                    members[xTag]
}

type xGroupDetail struct {
	Path                    string
	GroupName               string
	GroupID                 string `xml:"GroupId"`
	ARN                     string `xml:"Arn"`
	CreateDate              string
	GroupPolicyList         members[xPolicyDetail]
	AttachedManagedPolicies members[xAttached]
}

type xRoleDetail struct {
	Path                     string
	RoleName                 string
	RoleID                   string `xml:"RoleId"`
	ARN                      string `xml:"Arn"`
	CreateDate               string
	AssumeRolePolicyDocument string
	InstanceProfileList      members[string]
	RolePolicyList           members[xPolicyDetail]
	AttachedManagedPolicies  members[xAttached]
	PermissionsBoundary      *xBoundary `xml:"PermissionsBoundary,omitempty"`
	Tags                     members[xTag]
	RoleLastUsed             xRoleLastUsed
}

type xManagedPolicyDetail struct {
	PolicyName                    string
	PolicyID                      string `xml:"PolicyId"`
	ARN                           string `xml:"Arn"`
	Path                          string
	DefaultVersionID              string `xml:"DefaultVersionId"`
	AttachmentCount               int
	PermissionsBoundaryUsageCount int
	IsAttachable                  bool
	Description                   string `xml:"Description,omitempty"`
	CreateDate                    string
	UpdateDate                    string
	PolicyVersionList             members[xPolicyVersion]
}

func detailsOut(d iam.AuthorizationDetails) any {
	out := struct {
		UserDetailList  members[xUserDetail]
		GroupDetailList members[xGroupDetail]
		RoleDetailList  members[xRoleDetail]
		Policies        members[xManagedPolicyDetail]
		page
	}{UserDetailList: members[xUserDetail]{}, GroupDetailList: members[xGroupDetail]{}, RoleDetailList: members[xRoleDetail]{},
		Policies: members[xManagedPolicyDetail]{}, page: page{d.IsTruncated, d.Marker}}
	for _, u := range d.Users {
		out.UserDetailList = append(out.UserDetailList, xUserDetail{u.Path, u.Name, u.ID, u.ARN, isoTime(u.CreatedAt),
			inlineOut(u.InlinePolicies), members[string](u.Groups), attachedOut(u.Attached), boundary(u.PermissionsBoundary), xTags(u.Tags)})
	}
	for _, g := range d.Groups {
		out.GroupDetailList = append(out.GroupDetailList, xGroupDetail{g.Path, g.Name, g.ID, g.ARN, isoTime(g.CreatedAt),
			inlineOut(g.InlinePolicies), attachedOut(g.Attached)})
	}
	for _, r := range d.Roles {
		out.RoleDetailList = append(out.RoleDetailList, xRoleDetail{r.Path, r.Name, r.ID, r.ARN, isoTime(r.CreatedAt),
			encodeDocument(r.TrustPolicy), members[string]{}, inlineOut(r.InlinePolicies), attachedOut(r.Attached),
			boundary(r.PermissionsBoundary), xTags(r.Tags), xRoleLastUsed{}})
	}
	for _, p := range d.Policies {
		vs := make(members[xPolicyVersion], len(p.Versions))
		for i, v := range p.Versions {
			vs[i] = versionOut(v, true)
		}
		out.Policies = append(out.Policies, xManagedPolicyDetail{p.Name, p.ID, p.ARN, p.Path, p.DefaultVersion,
			p.AttachmentCount, p.BoundaryUsageCount, true, p.Description, isoTime(p.CreatedAt), isoTime(p.UpdatedAt), vs})
	}
	return out
}
