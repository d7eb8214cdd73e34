package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/grantd/grantd/internal/apptest"
)

// scopedPolicy is the documentation's example of scoping grant and
// location management with s3:AccessGrantScope and
// s3:AccessGrantsLocationScope, plus tag conditions.
// (spec §8.2; actions, resources and keys: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html)
const scopedPolicy = `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Action":["s3:CreateAccessGrant","s3:GetAccessGrant","s3:DeleteAccessGrant"],
 "Resource":["arn:aws:s3:*:*:access-grants/default/location/*","arn:aws:s3:*:*:access-grants/default/grant/*"],
 "Condition":{"StringLike":{"s3:AccessGrantScope":"s3://amzn-s3-demo-bucket/folder/*"}}},
{"Effect":"Allow","Action":["s3:CreateAccessGrantsLocation","s3:GetAccessGrantsLocation"],
 "Resource":"arn:aws:s3:*:*:access-grants/default/location/*",
 "Condition":{"StringEquals":{"s3:AccessGrantsLocationScope":"s3://bucket-two"}}},
{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/ag-location-role",
 "Condition":{"StringEquals":{"iam:PassedToService":"access-grants.s3.amazonaws.com"}}},
{"Effect":"Allow","Action":"s3:TagResource","Resource":"*",
 "Condition":{"StringEquals":{"aws:RequestTag/env":"dev"},"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}},
{"Effect":"Allow","Action":"s3:ListTagsForResource","Resource":"*",
 "Condition":{"StringEquals":{"aws:ResourceTag/team":"data"}}}]}`

// noPassRole may register locations but not pass their role.
const noPassRole = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:CreateAccessGrantsLocation","Resource":"*"}]}`

// TestAccessGrantsConditionKeys checks that authorization sees the
// condition keys of Access Grants requests.
func TestAccessGrantsConditionKeys(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	owner := control(env, seedAccount(t, env, acctA, role{name: locationRoleName},
		role{name: "scoped", policies: []string{scopedPolicy}}, role{name: "nopass", policies: []string{noPassRole}}), region2)
	scoped := control(env, roleSession(t, env, acctA, "scoped", 1), region2)
	nopass := control(env, roleSession(t, env, acctA, "nopass", 2), region2)
	ctx, a := t.Context(), aws.String(acctA)
	inst := "arn:aws:s3:us-east-2:111111111111:access-grants/default"
	if _, err := owner.CreateAccessGrantsInstance(ctx, &s3control.CreateAccessGrantsInstanceInput{AccountId: a, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("data")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: a, LocationScope: aws.String("s3://"), IAMRoleArn: aws.String(locationRoleARN(acctA))}); err != nil {
		t.Fatal(err)
	}
	outside, err := owner.CreateAccessGrant(ctx, &s3control.CreateAccessGrantInput{AccountId: a, AccessGrantsLocationId: aws.String("default"),
		AccessGrantsLocationConfiguration: sub("amzn-s3-demo-bucket/other*"), Permission: types.PermissionRead, Grantee: iamGrantee("arn:aws:iam::111111111111:user/u")})
	if err != nil {
		t.Fatal(err)
	}
	grant := func(c *s3control.Client, subPrefix string) (*s3control.CreateAccessGrantOutput, error) {
		return c.CreateAccessGrant(ctx, &s3control.CreateAccessGrantInput{AccountId: a, AccessGrantsLocationId: aws.String("default"),
			AccessGrantsLocationConfiguration: sub(subPrefix), Permission: types.PermissionRead, Grantee: iamGrantee("arn:aws:iam::111111111111:user/u")})
	}
	location := func(c *s3control.Client, scope string) error {
		_, err := c.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: a, LocationScope: aws.String(scope), IAMRoleArn: aws.String(locationRoleARN(acctA))})
		return err
	}
	tag := func(c *s3control.Client, arn string, k, v string) error {
		_, err := c.TagResource(ctx, &s3control.TagResourceInput{AccountId: a, ResourceArn: aws.String(arn), Tags: []types.Tag{{Key: aws.String(k), Value: aws.String(v)}}})
		return err
	}
	listTags := func(c *s3control.Client, arn string) error {
		_, err := c.ListTagsForResource(ctx, &s3control.ListTagsForResourceInput{AccountId: a, ResourceArn: aws.String(arn)})
		return err
	}

	inside, err := grant(scoped, "amzn-s3-demo-bucket/folder/reports*")
	if err != nil {
		t.Fatalf("grant inside s3:AccessGrantScope: %v", err)
	}
	tests := []struct {
		name    string
		call    func() error
		allowed bool
	}{
		{"grant outside the scope", func() error { _, err := grant(scoped, "amzn-s3-demo-bucket/other2*"); return err }, false},
		{"get grant inside the scope", func() error {
			_, err := scoped.GetAccessGrant(ctx, &s3control.GetAccessGrantInput{AccountId: a, AccessGrantId: inside.AccessGrantId})
			return err
		}, true},
		{"get grant outside the scope", func() error {
			_, err := scoped.GetAccessGrant(ctx, &s3control.GetAccessGrantInput{AccountId: a, AccessGrantId: outside.AccessGrantId})
			return err
		}, false},
		{"location with the allowed scope", func() error { return location(scoped, "s3://bucket-two") }, true},
		{"location with another scope", func() error { return location(scoped, "s3://bucket-three") }, false},
		{"location without iam:PassRole", func() error { return location(nopass, "s3://bucket-four") }, false},
		{"tag with the allowed tag", func() error { return tag(scoped, inst, "env", "dev") }, true},
		{"tag with another value", func() error { return tag(scoped, inst, "env", "prod") }, false},
		{"tag with another key", func() error { return tag(scoped, inst, "owner", "dev") }, false},
		{"list tags of a team=data resource", func() error { return listTags(scoped, inst) }, true},
		{"list tags of an untagged resource", func() error { return listTags(scoped, inst+"/location/default") }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if tt.allowed {
				if err != nil {
					t.Errorf("want allowed, got %v", err)
				}
				return
			}
			wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
		})
	}
	_, err = nopass.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: a, LocationScope: aws.String("s3://bucket-five"), IAMRoleArn: aws.String(locationRoleARN(acctA))})
	if err == nil || !strings.Contains(err.Error(), "iam:PassRole") {
		t.Errorf("location without iam:PassRole: %v, want a denial naming iam:PassRole", err)
	}
}
