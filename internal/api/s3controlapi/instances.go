package s3controlapi

import (
	"encoding/xml"
	"net/http"

	"github.com/grantd/grantd/internal/grants"
	"github.com/grantd/grantd/internal/meta"
)

// ops lists the operations this package serves.
func (h *Handler) ops() []route {
	return []route{
		{http.MethodPost, "accessgrantsinstance", "CreateAccessGrantsInstance", h.createInstance},
		{http.MethodGet, "accessgrantsinstance", "GetAccessGrantsInstance", h.getInstance},
		{http.MethodDelete, "accessgrantsinstance", "DeleteAccessGrantsInstance", h.deleteInstance},
		{http.MethodGet, "accessgrantsinstances", "ListAccessGrantsInstances", h.listInstances},
		{http.MethodPost, "accessgrantsinstance/identitycenter", "AssociateAccessGrantsIdentityCenter", h.associateIdentityCenter},
		{http.MethodDelete, "accessgrantsinstance/identitycenter", "DissociateAccessGrantsIdentityCenter", h.dissociateIdentityCenter},
		{http.MethodPut, "accessgrantsinstance/resourcepolicy", "PutAccessGrantsInstanceResourcePolicy", h.putPolicy},
		{http.MethodGet, "accessgrantsinstance/resourcepolicy", "GetAccessGrantsInstanceResourcePolicy", h.getPolicy},
		{http.MethodDelete, "accessgrantsinstance/resourcepolicy", "DeleteAccessGrantsInstanceResourcePolicy", h.deletePolicy},
		{http.MethodPost, "accessgrantsinstance/location", "CreateAccessGrantsLocation", h.createLocation},
		{http.MethodGet, "accessgrantsinstance/locations", "ListAccessGrantsLocations", h.listLocations},
		{http.MethodGet, "accessgrantsinstance/location/{id}", "GetAccessGrantsLocation", h.getLocation},
		{http.MethodPut, "accessgrantsinstance/location/{id}", "UpdateAccessGrantsLocation", h.updateLocation},
		{http.MethodDelete, "accessgrantsinstance/location/{id}", "DeleteAccessGrantsLocation", h.deleteLocation},
		{http.MethodPost, "accessgrantsinstance/grant", "CreateAccessGrant", h.createGrant},
		{http.MethodGet, "accessgrantsinstance/grants", "ListAccessGrants", h.listGrants},
		{http.MethodGet, "accessgrantsinstance/grant/{id}", "GetAccessGrant", h.getGrant},
		{http.MethodDelete, "accessgrantsinstance/grant/{id}", "DeleteAccessGrant", h.deleteGrant},
		{http.MethodPost, "tags/{resourceArn+}", "TagResource", h.tagResource},
		{http.MethodDelete, "tags/{resourceArn+}", "UntagResource", h.untagResource},
		{http.MethodGet, "tags/{resourceArn+}", "ListTagsForResource", h.listTags},
	}
}

// instanceXML is an instance on the wire (CreateAccessGrantsInstance,
// GetAccessGrantsInstance and ListAccessGrantsInstances items).
type instanceXML struct {
	XMLName                 xml.Name
	CreatedAt               wireTime `xml:"CreatedAt"`
	AccessGrantsInstanceID  string   `xml:"AccessGrantsInstanceId"`
	AccessGrantsInstanceARN string   `xml:"AccessGrantsInstanceArn"`
	// IdentityCenterArn is deprecated and carries the application ARN.
	IdentityCenterARN            string `xml:"IdentityCenterArn,omitempty"`
	IdentityCenterInstanceARN    string `xml:"IdentityCenterInstanceArn,omitempty"`
	IdentityCenterApplicationARN string `xml:"IdentityCenterApplicationArn,omitempty"`
}

func instanceOut(name xml.Name, i meta.GrantsInstance) instanceXML {
	return instanceXML{XMLName: name, CreatedAt: wireTime(i.CreatedAt), AccessGrantsInstanceID: grants.InstanceID,
		AccessGrantsInstanceARN: grants.InstanceARN(i.Region, i.Account), IdentityCenterARN: i.IdentityCenterApplicationARN,
		IdentityCenterInstanceARN: i.IdentityCenterInstanceARN, IdentityCenterApplicationARN: i.IdentityCenterApplicationARN}
}

func (h *Handler) createInstance(w http.ResponseWriter, r *http.Request, account, _ string) error {
	var in createInstanceRequest
	if err := decode(r, "CreateAccessGrantsInstanceRequest", &in); err != nil {
		return err
	}
	inst, err := h.svc.CreateInstance(ctxOf(r), account, grants.CreateInstanceInput{IdentityCenterARN: in.IdentityCenterArn, Tags: in.Tags.meta()})
	if err != nil {
		return err
	}
	return writeXML(w, instanceOut(root("CreateAccessGrantsInstanceResult"), inst))
}

func (h *Handler) getInstance(w http.ResponseWriter, r *http.Request, account, _ string) error {
	inst, err := h.svc.GetInstance(ctxOf(r), account)
	if err != nil {
		return err
	}
	return writeXML(w, instanceOut(root("GetAccessGrantsInstanceResult"), inst))
}

func (h *Handler) deleteInstance(w http.ResponseWriter, r *http.Request, account, _ string) error {
	if err := h.svc.DeleteInstance(ctxOf(r), account); err != nil {
		return err
	}
	return writeEmpty(w, http.StatusOK)
}

func (h *Handler) listInstances(w http.ResponseWriter, r *http.Request, account, _ string) error {
	in, err := listInput(r.URL.Query())
	if err != nil {
		return err
	}
	list, next, err := h.svc.ListInstances(ctxOf(r), account, in)
	if err != nil {
		return err
	}
	out := struct {
		XMLName   xml.Name
		NextToken string        `xml:"NextToken,omitempty"`
		Instances []instanceXML `xml:"AccessGrantsInstancesList>AccessGrantsInstance"`
	}{XMLName: root("ListAccessGrantsInstancesResult"), NextToken: next}
	out.Instances = make([]instanceXML, len(list))
	for i, inst := range list {
		out.Instances[i] = instanceOut(xml.Name{Local: "AccessGrantsInstance"}, inst)
	}
	return writeXML(w, out)
}

func (h *Handler) associateIdentityCenter(w http.ResponseWriter, r *http.Request, account, _ string) error {
	var in associateRequest
	if err := decode(r, "AssociateAccessGrantsIdentityCenterRequest", &in); err != nil {
		return err
	}
	if err := h.svc.AssociateIdentityCenter(ctxOf(r), account, in.IdentityCenterArn); err != nil {
		return err
	}
	return writeEmpty(w, http.StatusOK)
}

func (h *Handler) dissociateIdentityCenter(w http.ResponseWriter, r *http.Request, account, _ string) error {
	if err := h.svc.DissociateIdentityCenter(ctxOf(r), account); err != nil {
		return err
	}
	return writeEmpty(w, http.StatusOK)
}

type policyXML struct {
	XMLName      xml.Name
	Policy       string   `xml:"Policy"`
	Organization string   `xml:"Organization,omitempty"`
	CreatedAt    wireTime `xml:"CreatedAt"`
}

func policyOut(name string, p meta.GrantsResourcePolicy) policyXML {
	return policyXML{XMLName: root(name), Policy: p.Policy, Organization: p.Organization, CreatedAt: wireTime(p.CreatedAt)}
}

func (h *Handler) putPolicy(w http.ResponseWriter, r *http.Request, account, _ string) error {
	var in putPolicyRequest
	if err := decode(r, "PutAccessGrantsInstanceResourcePolicyRequest", &in); err != nil {
		return err
	}
	p, err := h.svc.PutResourcePolicy(ctxOf(r), account, grants.PutPolicyInput{Policy: in.Policy, Organization: in.Organization})
	if err != nil {
		return err
	}
	return writeXML(w, policyOut("PutAccessGrantsInstanceResourcePolicyResult", p))
}

func (h *Handler) getPolicy(w http.ResponseWriter, r *http.Request, account, _ string) error {
	p, err := h.svc.GetResourcePolicy(ctxOf(r), account)
	if err != nil {
		return err
	}
	return writeXML(w, policyOut("GetAccessGrantsInstanceResourcePolicyResult", p))
}

func (h *Handler) deletePolicy(w http.ResponseWriter, r *http.Request, account, _ string) error {
	if err := h.svc.DeleteResourcePolicy(ctxOf(r), account); err != nil {
		return err
	}
	return writeEmpty(w, http.StatusOK)
}
