package grants

import (
	"strings"
	"testing"

	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
)

// reason returns the wire code an error carries, or "" for nil.
func reason(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errs.As(err); ok {
		return e.Reason
	}
	return "untyped: " + err.Error()
}

func ptr(s string) *string { return &s }

func TestGrantScope(t *testing.T) {
	tests := []struct {
		name     string
		location string
		sub      *string
		object   bool
		want     string
		err      string
	}{
		{"default bucket star", "s3://", ptr("bucket/*"), false, "s3://bucket/*", ""},
		{"default prefix", "s3://", ptr("bucket/prefix*"), false, "s3://bucket/prefix*", ""},
		{"default nested prefix", "s3://", ptr("bucket/pA/pB*"), false, "s3://bucket/pA/pB*", ""},
		{"default object", "s3://", ptr("bucket/object-key"), true, "s3://bucket/object-key", ""},
		{"default bucket alone", "s3://", ptr("bucket"), false, "s3://bucket", ""},
		{"default leading slash", "s3://", ptr("/bucket/x*"), false, "s3://bucket/x*", ""},
		{"default without subprefix", "s3://", nil, false, "", "InvalidAccessGrant"},
		{"default slash only", "s3://", ptr("/"), false, "", "InvalidAccessGrant"},
		{"default star only", "s3://", ptr("*"), false, "", "InvalidAccessGrant"},
		{"default bucket with star", "s3://", ptr("bucket*"), false, "", "InvalidAccessGrant"},
		{"default no bucket", "s3://", ptr("prefixA*"), false, "", "InvalidAccessGrant"},
		{"bucket location whole", "s3://bucket", nil, false, "s3://bucket", ""},
		{"bucket location trailing slash", "s3://bucket/", ptr("prefix*"), false, "s3://bucket/prefix*", ""},
		{"bucket location object leading slash", "s3://bucket", ptr("/object-key"), true, "s3://bucket/object-key", ""},
		{"bucket location prefix without star", "s3://bucket", ptr("2024-03-research-results/"), false, "s3://bucket/2024-03-research-results/", ""},
		{"prefix location joins", "s3://bucket/pre", ptr("fix*"), false, "s3://bucket/pre/fix*", ""},
		{"star in the middle", "s3://bucket", ptr("a*b"), false, "", "InvalidAccessGrant"},
		{"two stars", "s3://bucket", ptr("a**"), false, "", "InvalidAccessGrant"},
		{"object with star", "s3://bucket", ptr("key*"), true, "", "InvalidAccessGrant"},
		{"object without key", "s3://bucket", nil, true, "", "InvalidAccessGrant"},
		{"object with empty key", "s3://bucket/", ptr("/"), true, "", "InvalidAccessGrant"},
		{"empty subprefix", "s3://bucket", ptr(""), false, "", "InvalidRequest"},
		{"subprefix too long", "s3://bucket", ptr(strings.Repeat("k", 2001)), false, "", "InvalidRequest"},
		{"scope too long", "s3://bucket/" + strings.Repeat("p", 1990), ptr(strings.Repeat("k", 20)), false, "", "InvalidAccessGrant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pt := ""
			if tt.object {
				pt = PrefixTypeObject
			}
			got, err := GrantScope(tt.location, tt.sub, pt)
			if reason(err) != tt.err || got != tt.want {
				t.Errorf("GrantScope(%q, %v) = %q, %v; want %q, %s", tt.location, tt.sub, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestParseLocationScope(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"s3://", "s3://", ""},
		{"S3://", "s3://", ""},
		{"s3://amzn-s3-demo-bucket", "s3://amzn-s3-demo-bucket", ""},
		{"s3://amzn-s3-demo-bucket/", "s3://amzn-s3-demo-bucket/", ""},
		{"S3://bucket/prefix/sub", "s3://bucket/prefix/sub", ""},
		{"", "", "InvalidRequest"},
		{"s3:/bucket", "", "InvalidAccessGrantsLocation"},
		{"https://bucket", "", "InvalidAccessGrantsLocation"},
		{"s3://bucket/pre*", "", "InvalidAccessGrantsLocation"},
		{"s3://bucket/pre?", "", "InvalidAccessGrantsLocation"},
		{"s3://Bucket", "", "InvalidAccessGrantsLocation"},
		{"s3://ab", "", "InvalidAccessGrantsLocation"},
		{"s3://a..b", "", "InvalidAccessGrantsLocation"},
		{"s3:///prefix", "", "InvalidAccessGrantsLocation"},
		{"s3://bucket/" + strings.Repeat("p", 1990), "", "InvalidRequest"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseLocationScope(tt.in)
			if reason(err) != tt.err || got != tt.want {
				t.Errorf("ParseLocationScope(%q) = %q, %v; want %q, %s", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestParseResourceARN(t *testing.T) {
	const inst = "arn:aws:s3:us-east-2:111122223333:access-grants/default"
	tests := []struct {
		arn  string
		want ResourceRef
		err  string
	}{
		{inst, ResourceRef{Region: "us-east-2", Account: "111122223333", Kind: meta.GrantsInstanceResource}, ""},
		{inst + "/location/default", ResourceRef{Region: "us-east-2", Account: "111122223333", Kind: meta.GrantsLocationResource, ID: "default"}, ""},
		{inst + "/grant/dd8dd089-b224-4d82-95f6-975b4185bbaa", ResourceRef{Region: "us-east-2", Account: "111122223333", Kind: meta.GrantResource, ID: "dd8dd089-b224-4d82-95f6-975b4185bbaa"}, ""},
		{inst + "/grant/", ResourceRef{}, "InvalidRequest"},
		{inst + "/grant/a/b", ResourceRef{}, "InvalidRequest"},
		{inst + "/bucket/x", ResourceRef{}, "InvalidRequest"},
		{inst + "x", ResourceRef{}, "InvalidRequest"},
		{"arn:aws:s3:us-east-2:111122223333:accesspoint/ap", ResourceRef{}, "InvalidRequest"},
		{"arn:aws:s3:us-east-2:1111:access-grants/default", ResourceRef{}, "InvalidRequest"},
		{"arn:aws:s3::111122223333:access-grants/default", ResourceRef{}, "InvalidRequest"},
		{"arn:aws-cn:s3:cn-north-1:111122223333:access-grants/default", ResourceRef{}, "InvalidRequest"},
		{"arn:aws:iam::111122223333:role/x", ResourceRef{}, "InvalidRequest"},
		{"", ResourceRef{}, "InvalidRequest"},
		{inst + "/grant/" + strings.Repeat("a", 1000), ResourceRef{}, "InvalidRequest"},
	}
	for _, tt := range tests {
		t.Run(tt.arn, func(t *testing.T) {
			got, err := ParseResourceARN(tt.arn)
			if reason(err) != tt.err {
				t.Fatalf("ParseResourceARN(%q) error = %v, want %s", tt.arn, err, tt.err)
			}
			if err == nil && (got != tt.want || got.String() != tt.arn) {
				t.Errorf("ParseResourceARN(%q) = %+v (%s), want %+v", tt.arn, got, got.String(), tt.want)
			}
		})
	}
}

func TestValidateTags(t *testing.T) {
	many := make([]meta.Tag, 51)
	for i := range many {
		many[i] = meta.Tag{Key: strings.Repeat("k", i+1)}
	}
	tests := []struct {
		name string
		tags []meta.Tag
		err  string
	}{
		{"none", nil, ""},
		{"unicode and symbols", []meta.Tag{{Key: "Équipe 1_.:/=+-@", Value: "données"}}, ""},
		{"empty value", []meta.Tag{{Key: "k", Value: ""}}, ""},
		{"fifty", many[:50], ""},
		{"fifty-one", many, "TooManyTags"},
		{"empty key", []meta.Tag{{Key: ""}}, "InvalidTag"},
		{"key 129", []meta.Tag{{Key: strings.Repeat("k", 129)}}, "InvalidTag"},
		{"value 257", []meta.Tag{{Key: "k", Value: strings.Repeat("v", 257)}}, "InvalidTag"},
		{"key characters", []meta.Tag{{Key: "a*"}}, "InvalidTag"},
		{"value characters", []meta.Tag{{Key: "k", Value: "a#"}}, "InvalidTag"},
		{"duplicate", []meta.Tag{{Key: "k"}, {Key: "k"}}, "InvalidTag"},
		{"aws prefix", []meta.Tag{{Key: "aws:x"}}, "InvalidTags"},
		{"AWS prefix", []meta.Tag{{Key: "AWS:x"}}, "InvalidTags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := validateTags(tt.tags); reason(err) != tt.err {
				t.Errorf("validateTags = %v, want %s", err, tt.err)
			}
		})
	}
}

func TestValidateResourcePolicy(t *testing.T) {
	const inst = "arn:aws:s3:us-east-2:111122223333:access-grants/default"
	stmt := func(s string) string { return `{"Version":"2012-10-17","Statement":[` + s + `]}` }
	ok := `{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":["s3:ListAccessGrants","s3:GetDataAccess"],"Resource":"` + inst + `"}`
	tests := []struct {
		name, doc, err string
	}{
		{"documented", stmt(ok), ""},
		{"single statement object", `{"Version":"2012-10-17","Statement":` + ok + `}`, ""},
		{"action case", stmt(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"S3:listcallerACCESSgrants","Resource":"` + inst + `"}`), ""},
		{"deny with condition", stmt(`{"Effect":"Deny","Principal":"*","Action":"s3:GetDataAccess","Resource":"` + inst + `","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}}`), ""},
		{"not JSON", `{`, "InvalidResourcePolicy"},
		{"no statement", `{"Version":"2012-10-17"}`, "InvalidResourcePolicy"},
		{"no principal", stmt(`{"Effect":"Allow","Action":"s3:GetDataAccess","Resource":"` + inst + `"}`), "InvalidResourcePolicy"},
		{"NotPrincipal", stmt(`{"Effect":"Deny","NotPrincipal":{"AWS":"444455556666"},"Action":"s3:GetDataAccess","Resource":"` + inst + `"}`), "InvalidResourcePolicy"},
		{"data action", stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"` + inst + `"}`), "InvalidResourcePolicy"},
		{"wildcard action", stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"` + inst + `"}`), "InvalidResourcePolicy"},
		{"NotAction", stmt(`{"Effect":"Allow","Principal":"*","NotAction":"s3:GetObject","Resource":"` + inst + `"}`), "InvalidResourcePolicy"},
		{"other instance", stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:GetDataAccess","Resource":"arn:aws:s3:us-east-1:111122223333:access-grants/default"}`), "InvalidResourcePolicy"},
		{"grant resource", stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:GetDataAccess","Resource":"` + inst + `/grant/*"}`), "InvalidResourcePolicy"},
		{"NotResource", stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:GetDataAccess","NotResource":"` + inst + `"}`), "InvalidResourcePolicy"},
		{"unknown element", stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:GetDataAccess","Resource":"` + inst + `","Extra":1}`), "InvalidResourcePolicy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ValidateResourcePolicy(tt.doc, inst); reason(err) != tt.err {
				t.Errorf("ValidateResourcePolicy = %v, want %s", err, tt.err)
			}
		})
	}
}
