package iamapi

import (
	"encoding/xml"
	"strings"
	"time"

	"github.com/grantd/grantd/internal/iam"
	"github.com/grantd/grantd/internal/meta"
)

// members is a Query-protocol list: <Name><member>…</member></Name>. An
// empty list still renders its element, as IAM sends <Users/>, so clients
// see an empty list rather than none.
type members[T any] []T

// MarshalXML implements xml.Marshaler.
func (m members[T]) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	for _, v := range m {
		if err := e.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: "member"}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// entries is a Query-protocol map: <Name><entry><key/><value/></entry></Name>.
type entries map[string]string

// MarshalXML implements xml.Marshaler, with keys in sorted order.
func (m entries) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	type entry struct {
		Key   string `xml:"key"`
		Value string `xml:"value"`
	}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	for _, k := range keys {
		if err := e.EncodeElement(entry{k, m[k]}, xml.StartElement{Name: xml.Name{Local: "entry"}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// isoTime renders IAM's timestamps (ISO 8601, UTC, seconds).
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// encodeDocument percent-encodes a policy document as IAM returns it
// (RFC 3986: everything but unreserved characters is escaped); the aws
// CLI decodes it, SDKs hand it over as is.
func encodeDocument(doc string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

type xTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

func xTags(tags []meta.Tag) members[xTag] {
	out := make(members[xTag], len(tags))
	for i, t := range tags {
		out[i] = xTag{t.Key, t.Value}
	}
	return out
}

// optTags renders tags only when there are some, as IAM's Get calls do.
func optTags(tags []meta.Tag) *members[xTag] {
	if len(tags) == 0 {
		return nil
	}
	t := xTags(tags)
	return &t
}

type xBoundary struct {
	Type string `xml:"PermissionsBoundaryType"`
	ARN  string `xml:"PermissionsBoundaryArn"`
}

func boundary(arn string) *xBoundary {
	if arn == "" {
		return nil
	}
	return &xBoundary{"PermissionsBoundaryPolicy", arn}
}

type xUser struct {
	Path                string         `xml:"Path,omitempty"`
	UserName            string         `xml:"UserName,omitempty"`
	UserID              string         `xml:"UserId"`
	ARN                 string         `xml:"Arn"`
	CreateDate          string         `xml:"CreateDate"`
	PermissionsBoundary *xBoundary     `xml:"PermissionsBoundary,omitempty"`
	Tags                *members[xTag] `xml:"Tags,omitempty"`
}

// userOut renders a user; list operations (full false) return the subset
// IAM lists, without boundary and tags.
func userOut(u meta.User, full bool) xUser {
	x := xUser{Path: u.Path, UserName: u.Name, UserID: u.ID, ARN: u.ARN, CreateDate: isoTime(u.CreatedAt)}
	if full {
		x.PermissionsBoundary = boundary(u.PermissionsBoundary)
		x.Tags = optTags(u.Tags)
	}
	return x
}

type xGroup struct {
	Path       string `xml:"Path"`
	GroupName  string `xml:"GroupName"`
	GroupID    string `xml:"GroupId"`
	ARN        string `xml:"Arn"`
	CreateDate string `xml:"CreateDate"`
}

func groupOut(g meta.Group) xGroup {
	return xGroup{g.Path, g.Name, g.ID, g.ARN, isoTime(g.CreatedAt)}
}

type xRoleLastUsed struct{}

type xRole struct {
	Path                     string         `xml:"Path"`
	RoleName                 string         `xml:"RoleName"`
	RoleID                   string         `xml:"RoleId"`
	ARN                      string         `xml:"Arn"`
	CreateDate               string         `xml:"CreateDate"`
	AssumeRolePolicyDocument string         `xml:"AssumeRolePolicyDocument,omitempty"`
	Description              string         `xml:"Description,omitempty"`
	MaxSessionDuration       int            `xml:"MaxSessionDuration"`
	PermissionsBoundary      *xBoundary     `xml:"PermissionsBoundary,omitempty"`
	Tags                     *members[xTag] `xml:"Tags,omitempty"`
	RoleLastUsed             *xRoleLastUsed `xml:"RoleLastUsed,omitempty"`
}

// roleOut renders a role; ListRoles (full false) returns the subset IAM
// lists, without boundary, tags and last use.
func roleOut(r meta.Role, full bool) xRole {
	x := xRole{Path: r.Path, RoleName: r.Name, RoleID: r.ID, ARN: r.ARN, CreateDate: isoTime(r.CreatedAt),
		AssumeRolePolicyDocument: encodeDocument(r.TrustPolicy), Description: r.Description,
		MaxSessionDuration: r.MaxSessionDuration}
	if full {
		x.PermissionsBoundary = boundary(r.PermissionsBoundary)
		x.Tags = optTags(r.Tags)
		x.RoleLastUsed = &xRoleLastUsed{}
	}
	return x
}

type xPolicy struct {
	PolicyName                    string         `xml:"PolicyName"`
	PolicyID                      string         `xml:"PolicyId"`
	ARN                           string         `xml:"Arn"`
	Path                          string         `xml:"Path"`
	DefaultVersionID              string         `xml:"DefaultVersionId"`
	AttachmentCount               int            `xml:"AttachmentCount"`
	PermissionsBoundaryUsageCount int            `xml:"PermissionsBoundaryUsageCount"`
	IsAttachable                  bool           `xml:"IsAttachable"`
	Description                   string         `xml:"Description,omitempty"`
	CreateDate                    string         `xml:"CreateDate"`
	UpdateDate                    string         `xml:"UpdateDate"`
	Tags                          *members[xTag] `xml:"Tags,omitempty"`
}

// policyOut renders a managed policy; ListPolicies leaves out the
// description and tags, as IAM does.
func policyOut(p meta.ManagedPolicy, full bool) xPolicy {
	x := xPolicy{PolicyName: p.Name, PolicyID: p.ID, ARN: p.ARN, Path: p.Path, DefaultVersionID: p.DefaultVersion,
		AttachmentCount: p.AttachmentCount, PermissionsBoundaryUsageCount: p.BoundaryUsageCount, IsAttachable: true,
		CreateDate: isoTime(p.CreatedAt), UpdateDate: isoTime(p.UpdatedAt)}
	if full {
		x.Description = p.Description
		x.Tags = optTags(p.Tags)
	}
	return x
}

type xPolicyVersion struct {
	Document         string `xml:"Document,omitempty"`
	VersionID        string `xml:"VersionId"`
	IsDefaultVersion bool   `xml:"IsDefaultVersion"`
	CreateDate       string `xml:"CreateDate"`
}

func versionOut(v meta.PolicyVersion, withDoc bool) xPolicyVersion {
	x := xPolicyVersion{VersionID: v.VersionID, IsDefaultVersion: v.IsDefault, CreateDate: isoTime(v.CreatedAt)}
	if withDoc {
		x.Document = encodeDocument(v.Document)
	}
	return x
}

type xAttached struct {
	PolicyName string `xml:"PolicyName"`
	PolicyARN  string `xml:"PolicyArn"`
}

func attachedOut(as []meta.AttachedPolicy) members[xAttached] {
	out := make(members[xAttached], len(as))
	for i, a := range as {
		out[i] = xAttached{a.Name, a.ARN}
	}
	return out
}

type xPolicyDetail struct {
	PolicyName     string `xml:"PolicyName"`
	PolicyDocument string `xml:"PolicyDocument"`
}

func inlineOut(ps []meta.InlinePolicy) members[xPolicyDetail] {
	out := make(members[xPolicyDetail], len(ps))
	for i, p := range ps {
		out[i] = xPolicyDetail{p.Name, encodeDocument(p.Document)}
	}
	return out
}

// page carries IsTruncated and Marker of a list result.
type page struct {
	IsTruncated bool   `xml:"IsTruncated"`
	Marker      string `xml:"Marker,omitempty"`
}

func pageOut[T any](l iam.List[T]) page { return page{l.IsTruncated, l.Marker} }

// encodeFields writes start with one child element per name/value pair.
func encodeFields(e *xml.Encoder, start xml.StartElement, fields [][2]string) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	for _, f := range fields {
		if err := e.EncodeElement(f[1], xml.StartElement{Name: xml.Name{Local: f[0]}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}
