package s3controlapi

import (
	"errors"
	"strings"
	"testing"

	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/grants"
)

// requestBodies are the request roots with the types they decode into.
var requestBodies = map[string]func() any{
	"CreateAccessGrantsInstanceRequest":            func() any { return &createInstanceRequest{} },
	"AssociateAccessGrantsIdentityCenterRequest":   func() any { return &associateRequest{} },
	"PutAccessGrantsInstanceResourcePolicyRequest": func() any { return &putPolicyRequest{} },
	"CreateAccessGrantsLocationRequest":            func() any { return &createLocationRequest{} },
	"UpdateAccessGrantsLocationRequest":            func() any { return &updateLocationRequest{} },
	"CreateAccessGrantRequest":                     func() any { return &createGrantRequest{} },
	"TagResourceRequest":                           func() any { return &tagResourceRequest{} },
}

// FuzzDecodeRequest feeds arbitrary bodies to every request parser: each
// either decodes or fails with InvalidRequest, never panics.
func FuzzDecodeRequest(f *testing.F) {
	ns := ` xmlns="` + Namespace + `"`
	for _, seed := range []string{
		``,
		`<CreateAccessGrantsInstanceRequest` + ns + `><Tags><Tag><Key>k</Key><Value /></Tag></Tags></CreateAccessGrantsInstanceRequest>`,
		`<CreateAccessGrantRequest` + ns + `><AccessGrantsLocationId>default</AccessGrantsLocationId><AccessGrantsLocationConfiguration><S3SubPrefix>amzn-s3-demo-bucket/prefixA*</S3SubPrefix></AccessGrantsLocationConfiguration><Grantee><GranteeType>IAM</GranteeType><GranteeIdentifier>arn:aws:iam::444455556666:role/data-consumer-1</GranteeIdentifier></Grantee><Permission>READ</Permission></CreateAccessGrantRequest>`,
		`<PutAccessGrantsInstanceResourcePolicyRequest` + ns + `><Policy>{"Version":"2012-10-17" &amp; "x"}</Policy><Organization>o-abcdefghij</Organization></PutAccessGrantsInstanceResourcePolicyRequest>`,
		`<CreateAccessGrantsLocationRequest><LocationScope>s3://</LocationScope><IAMRoleArn>arn:aws:iam::111122223333:role/r</IAMRoleArn></CreateAccessGrantsLocationRequest>`,
		`<?xml version="1.0" encoding="UTF-8"?><TagResourceRequest><Tags><Tag><Key>a</Key><Value>b</Value></Tag></Tags></TagResourceRequest>`,
		`<UpdateAccessGrantsLocationRequest><IAMRoleArn>x</IAMRoleArn></UpdateAccessGrantsLocationRequest><x/>`,
		`<AssociateAccessGrantsIdentityCenterRequest><IdentityCenterArn>&bogus;</IdentityCenterArn></AssociateAccessGrantsIdentityCenterRequest>`,
		`<Wrong/>`, `<<<`, `text<CreateAccessGrantRequest/>`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for root, newV := range requestBodies {
			err := DecodeRequest([]byte(body), root, newV())
			if err == nil {
				continue
			}
			var ae *awserr.Error
			if !errors.As(err, &ae) || ae.Code.Name != awserr.InvalidRequest.Name {
				t.Fatalf("DecodeRequest(%q, %s) = %v, want nil or InvalidRequest", body, root, err)
			}
		}
	})
}

// FuzzTagPath feeds arbitrary {resourceArn+} labels to the tag path
// decoder and the ARN parser: a parsed ARN prints back exactly as sent.
func FuzzTagPath(f *testing.F) {
	for _, seed := range []string{
		"arn%3Aaws%3As3%3Aus-east-1%3A111122223333%3Aaccess-grants/default/grant/dd8dd089-b224-4d82-95f6-975b4185bbaa",
		"arn:aws:s3:us-east-2:111122223333:access-grants/default",
		"arn%3Aaws%3As3%3Aus-east-2%3A111122223333%3Aaccess-grants%2Fdefault%2Flocation%2Fdefault",
		"arn:aws:s3:us-east-2:111122223333:accesspoint/x", "%ZZ", "", "arn:aws:s3::1:access-grants/default/grant/",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		arn, err := TagPathARN(raw)
		if err != nil {
			return
		}
		ref, err := grants.ParseResourceARN(arn)
		if err != nil {
			return
		}
		if ref.String() != arn {
			t.Fatalf("ParseResourceARN(%q) = %+v, which prints as %q", arn, ref, ref.String())
		}
		if strings.ContainsAny(ref.ID, "/:") || len(ref.Account) != 12 {
			t.Fatalf("ParseResourceARN(%q) = %+v", arn, ref)
		}
	})
}
