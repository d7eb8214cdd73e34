package s3controlapi

import (
	"encoding/xml"
	"net/http"

	"github.com/grantd/grantd/internal/grants"
	"github.com/grantd/grantd/internal/meta"
)

type locationXML struct {
	XMLName                 xml.Name
	CreatedAt               wireTime `xml:"CreatedAt"`
	AccessGrantsLocationID  string   `xml:"AccessGrantsLocationId"`
	AccessGrantsLocationARN string   `xml:"AccessGrantsLocationArn"`
	LocationScope           string   `xml:"LocationScope"`
	IAMRoleARN              string   `xml:"IAMRoleArn"`
}

func locationOut(name xml.Name, l meta.GrantsLocation) locationXML {
	return locationXML{XMLName: name, CreatedAt: wireTime(l.CreatedAt), AccessGrantsLocationID: l.ID,
		AccessGrantsLocationARN: grants.LocationARN(l.Region, l.Account, l.ID), LocationScope: l.Scope, IAMRoleARN: l.IAMRoleARN}
}

func (h *Handler) createLocation(w http.ResponseWriter, r *http.Request, account, _ string) error {
	var in createLocationRequest
	if err := decode(r, "CreateAccessGrantsLocationRequest", &in); err != nil {
		return err
	}
	loc, err := h.svc.CreateLocation(ctxOf(r), account, grants.CreateLocationInput{LocationScope: in.LocationScope, IAMRoleARN: in.IAMRoleArn, Tags: in.Tags.meta()})
	if err != nil {
		return err
	}
	return writeXML(w, locationOut(root("CreateAccessGrantsLocationResult"), loc))
}

func (h *Handler) getLocation(w http.ResponseWriter, r *http.Request, account, id string) error {
	loc, err := h.svc.GetLocation(ctxOf(r), account, id)
	if err != nil {
		return err
	}
	return writeXML(w, locationOut(root("GetAccessGrantsLocationResult"), loc))
}

func (h *Handler) updateLocation(w http.ResponseWriter, r *http.Request, account, id string) error {
	var in updateLocationRequest
	if err := decode(r, "UpdateAccessGrantsLocationRequest", &in); err != nil {
		return err
	}
	loc, err := h.svc.UpdateLocation(ctxOf(r), account, id, in.IAMRoleArn)
	if err != nil {
		return err
	}
	return writeXML(w, locationOut(root("UpdateAccessGrantsLocationResult"), loc))
}

func (h *Handler) deleteLocation(w http.ResponseWriter, r *http.Request, account, id string) error {
	if err := h.svc.DeleteLocation(ctxOf(r), account, id); err != nil {
		return err
	}
	return writeEmpty(w, http.StatusOK)
}

func (h *Handler) listLocations(w http.ResponseWriter, r *http.Request, account, _ string) error {
	q := r.URL.Query()
	in, err := listInput(q)
	if err != nil {
		return err
	}
	list, next, err := h.svc.ListLocations(ctxOf(r), account, grants.ListLocationsInput{ListInput: in, LocationScope: q.Get("locationscope")})
	if err != nil {
		return err
	}
	out := struct {
		XMLName   xml.Name
		NextToken string        `xml:"NextToken,omitempty"`
		Locations []locationXML `xml:"AccessGrantsLocationsList>AccessGrantsLocation"`
	}{XMLName: root("ListAccessGrantsLocationsResult"), NextToken: next}
	out.Locations = make([]locationXML, len(list))
	for i, l := range list {
		out.Locations[i] = locationOut(xml.Name{Local: "AccessGrantsLocation"}, l)
	}
	return writeXML(w, out)
}

type granteeXML struct {
	GranteeType       string `xml:"GranteeType"`
	GranteeIdentifier string `xml:"GranteeIdentifier"`
}

type locationConfigXML struct {
	S3SubPrefix *string `xml:"S3SubPrefix"`
}

type grantXML struct {
	XMLName                           xml.Name
	CreatedAt                         wireTime           `xml:"CreatedAt"`
	AccessGrantID                     string             `xml:"AccessGrantId"`
	AccessGrantARN                    string             `xml:"AccessGrantArn"`
	Grantee                           granteeXML         `xml:"Grantee"`
	Permission                        string             `xml:"Permission"`
	AccessGrantsLocationID            string             `xml:"AccessGrantsLocationId"`
	AccessGrantsLocationConfiguration *locationConfigXML `xml:"AccessGrantsLocationConfiguration"`
	GrantScope                        string             `xml:"GrantScope"`
	ApplicationARN                    string             `xml:"ApplicationArn,omitempty"`
}

func grantOut(name xml.Name, g meta.AccessGrant) grantXML {
	out := grantXML{XMLName: name, CreatedAt: wireTime(g.CreatedAt), AccessGrantID: g.ID,
		AccessGrantARN: grants.GrantARN(g.Region, g.Account, g.ID),
		Grantee:        granteeXML{g.GranteeType, g.GranteeIdentifier}, Permission: g.Permission,
		AccessGrantsLocationID: g.LocationID, GrantScope: g.GrantScope, ApplicationARN: g.ApplicationARN}
	if g.SubPrefix != "" {
		sub := g.SubPrefix
		out.AccessGrantsLocationConfiguration = &locationConfigXML{S3SubPrefix: &sub}
	}
	return out
}

func (h *Handler) createGrant(w http.ResponseWriter, r *http.Request, account, _ string) error {
	var in createGrantRequest
	if err := decode(r, "CreateAccessGrantRequest", &in); err != nil {
		return err
	}
	cg := grants.CreateGrantInput{LocationID: in.AccessGrantsLocationID, GranteeType: in.Grantee.GranteeType,
		GranteeIdentifier: in.Grantee.GranteeIdentifier, Permission: in.Permission, ApplicationARN: in.ApplicationARN,
		PrefixType: in.S3PrefixType, Tags: in.Tags.meta()}
	if c := in.AccessGrantsLocationConfiguration; c != nil {
		cg.SubPrefix = c.S3SubPrefix
	}
	g, err := h.svc.CreateGrant(ctxOf(r), account, cg)
	if err != nil {
		return err
	}
	return writeXML(w, grantOut(root("CreateAccessGrantResult"), g))
}

func (h *Handler) getGrant(w http.ResponseWriter, r *http.Request, account, id string) error {
	g, err := h.svc.GetGrant(ctxOf(r), account, id)
	if err != nil {
		return err
	}
	return writeXML(w, grantOut(root("GetAccessGrantResult"), g))
}

func (h *Handler) deleteGrant(w http.ResponseWriter, r *http.Request, account, id string) error {
	if err := h.svc.DeleteGrant(ctxOf(r), account, id); err != nil {
		return err
	}
	return writeEmpty(w, http.StatusOK)
}

func (h *Handler) listGrants(w http.ResponseWriter, r *http.Request, account, _ string) error {
	q := r.URL.Query()
	in, err := listInput(q)
	if err != nil {
		return err
	}
	list, next, err := h.svc.ListGrants(ctxOf(r), account, grants.ListGrantsInput{ListInput: in,
		GranteeType: q.Get("granteetype"), GranteeIdentifier: q.Get("granteeidentifier"), Permission: q.Get("permission"),
		GrantScope: q.Get("grantscope"), ApplicationARN: q.Get("application_arn")})
	if err != nil {
		return err
	}
	out := struct {
		XMLName   xml.Name
		NextToken string     `xml:"NextToken,omitempty"`
		Grants    []grantXML `xml:"AccessGrantsList>AccessGrant"`
	}{XMLName: root("ListAccessGrantsResult"), NextToken: next}
	out.Grants = make([]grantXML, len(list))
	for i, g := range list {
		out.Grants[i] = grantOut(xml.Name{Local: "AccessGrant"}, g)
	}
	return writeXML(w, out)
}

func (h *Handler) tagResource(w http.ResponseWriter, r *http.Request, account, raw string) error {
	arn, err := TagPathARN(raw)
	if err != nil {
		return err
	}
	var in tagResourceRequest
	if err := decode(r, "TagResourceRequest", &in); err != nil {
		return err
	}
	if err := h.svc.TagResource(ctxOf(r), account, arn, in.Tags.meta()); err != nil {
		return err
	}
	return writeEmpty(w, http.StatusNoContent)
}

func (h *Handler) untagResource(w http.ResponseWriter, r *http.Request, account, raw string) error {
	arn, err := TagPathARN(raw)
	if err != nil {
		return err
	}
	if err := h.svc.UntagResource(ctxOf(r), account, arn, r.URL.Query()["tagKeys"]); err != nil {
		return err
	}
	return writeEmpty(w, http.StatusNoContent)
}

func (h *Handler) listTags(w http.ResponseWriter, r *http.Request, account, raw string) error {
	arn, err := TagPathARN(raw)
	if err != nil {
		return err
	}
	tags, err := h.svc.ListTags(ctxOf(r), account, arn)
	if err != nil {
		return err
	}
	return writeXML(w, struct {
		XMLName xml.Name
		Tags    tagsXML `xml:"Tags"`
	}{root("ListTagsForResourceResult"), tagsOut(tags)})
}
