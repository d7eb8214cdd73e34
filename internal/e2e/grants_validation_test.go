package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/apptest"
	"github.com/grantd/grantd/internal/meta"
)

// agSnapshot is everything the Access Grants store holds for an account in
// a region, and the change feed's position: a rejected request must leave
// all of it as it was.
type agSnapshot struct {
	State     meta.GrantsInstanceState
	Locations []meta.GrantsLocation
	Grants    []meta.AccessGrant
	Tags      map[string][]meta.Tag
	LastSeq   int64
}

func snapshot(t *testing.T, st meta.Store, account, region string) agSnapshot {
	t.Helper()
	ctx := t.Context()
	var s agSnapshot
	var err error
	if s.State, err = st.GrantsInstanceState(ctx, account, region); err != nil {
		t.Fatal(err)
	}
	if s.Locations, _, err = st.ListGrantsLocations(ctx, account, region, "", meta.Page{}); err != nil {
		t.Fatal(err)
	}
	if s.Grants, _, err = st.ListGrants(ctx, account, region, meta.GrantFilter{}, meta.Page{}); err != nil {
		t.Fatal(err)
	}
	s.Tags = map[string][]meta.Tag{}
	for _, l := range s.Locations {
		s.Tags["location/"+l.ID], _ = st.GrantsTags(ctx, meta.GrantsResource{Account: account, Region: region, Kind: meta.GrantsLocationResource, ID: l.ID})
	}
	for _, g := range s.Grants {
		s.Tags["grant/"+g.ID], _ = st.GrantsTags(ctx, meta.GrantsResource{Account: account, Region: region, Kind: meta.GrantResource, ID: g.ID})
	}
	if s.LastSeq, err = st.LastChange(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

func tags(n int, key func(i int) string) []types.Tag {
	out := make([]types.Tag, n)
	for i := range out {
		out[i] = types.Tag{Key: aws.String(key(i)), Value: aws.String("v")}
	}
	return out
}

func iamGrantee(id string) *types.Grantee {
	return &types.Grantee{GranteeType: types.GranteeTypeIam, GranteeIdentifier: aws.String(id)}
}

func sub(s string) *types.AccessGrantsLocationConfiguration {
	return &types.AccessGrantsLocationConfiguration{S3SubPrefix: aws.String(s)}
}

// TestAccessGrantsBadInput sends every kind of invalid request and checks
// AWS's error code and status, and that nothing changed.
func TestAccessGrantsBadInput(t *testing.T) {
	backends(t, func(t *testing.T, pg bool) {
		env := apptest.Start(t, apptest.Options{Postgres: pg})
		seedAccount(t, env, acctB)
		c := control(env, seedAccount(t, env, acctA, role{name: locationRoleName}, role{name: "/team/pathed"}), region2)
		ctx, acct := t.Context(), aws.String(acctA)
		instARN := "arn:aws:s3:us-east-2:111111111111:access-grants/default"
		must := func(_ any, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(c.CreateAccessGrantsInstance(ctx, &s3control.CreateAccessGrantsInstanceInput{AccountId: acct, Tags: tags(49, func(i int) string { return fmt.Sprint("t", i) })}))
		must(c.PutAccessGrantsInstanceResourcePolicy(ctx, &s3control.PutAccessGrantsInstanceResourcePolicyInput{AccountId: acct, Policy: aws.String(crossAccountPolicy(instARN, acctB))}))
		must(c.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: acct, LocationScope: aws.String("s3://"), IAMRoleArn: aws.String(locationRoleARN(acctA))}))
		bl, err := c.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: acct, LocationScope: aws.String("s3://bucket"), IAMRoleArn: aws.String(locationRoleARN(acctA))})
		must(bl, err)
		g, err := c.CreateAccessGrant(ctx, &s3control.CreateAccessGrantInput{AccountId: acct, AccessGrantsLocationId: aws.String("default"),
			AccessGrantsLocationConfiguration: sub("bucket/prefixA*"), Permission: types.PermissionRead, Grantee: iamGrantee("arn:aws:iam::444455556666:role/data-consumer-1")})
		must(g, err)
		grantARN := aws.ToString(g.AccessGrantArn)

		for _, tt := range badInputCases(acct, bl.AccessGrantsLocationId, g, grantARN) {
			t.Run(tt.name, func(t *testing.T) {
				before := snapshot(t, env.App.Store, acctA, region2)
				wantAPIError(t, tt.call(t.Context(), c), tt.code, tt.status)
				after := snapshot(t, env.App.Store, acctA, region2)
				if diff := cmp.Diff(before, after); diff != "" {
					t.Errorf("the store changed (-before +after):\n%s", diff)
				}
			})
		}
	})
}

type badCase struct {
	name   string
	call   func(ctx context.Context, c *s3control.Client) error
	code   string
	status int
}

func badInputCases(acct, bucketLoc *string, g *s3control.CreateAccessGrantOutput, grantARN string) []badCase {
	var cases []badCase
	add := func(name, code string, status int, call func(ctx context.Context, c *s3control.Client) error) {
		cases = append(cases, badCase{name, call, code, status})
	}
	createInstance := func(in s3control.CreateAccessGrantsInstanceInput) func(ctx context.Context, c *s3control.Client) error {
		return func(ctx context.Context, c *s3control.Client) error {
			in.AccountId = acct
			_, err := c.CreateAccessGrantsInstance(ctx, &in)
			return err
		}
	}
	add("instance exists", "AccessGrantsInstanceAlreadyExists", 409, createInstance(s3control.CreateAccessGrantsInstanceInput{}))
	add("instance 51 tags", "TooManyTags", 400, createInstance(s3control.CreateAccessGrantsInstanceInput{Tags: tags(51, func(i int) string { return fmt.Sprint("k", i) })}))
	add("instance aws: tag", "InvalidTags", 400, createInstance(s3control.CreateAccessGrantsInstanceInput{Tags: []types.Tag{{Key: aws.String("aws:owner"), Value: aws.String("x")}}}))
	add("instance duplicate tag keys", "InvalidTag", 400, createInstance(s3control.CreateAccessGrantsInstanceInput{Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("a"), Value: aws.String("2")}}}))
	add("instance tag key characters", "InvalidTag", 400, createInstance(s3control.CreateAccessGrantsInstanceInput{Tags: []types.Tag{{Key: aws.String("a*b"), Value: aws.String("1")}}}))
	add("instance tag key too long", "InvalidTag", 400, createInstance(s3control.CreateAccessGrantsInstanceInput{Tags: []types.Tag{{Key: aws.String(strings.Repeat("k", 129)), Value: aws.String("1")}}}))
	add("instance tag value too long", "InvalidTag", 400, createInstance(s3control.CreateAccessGrantsInstanceInput{Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String(strings.Repeat("v", 257))}}}))
	add("instance empty tag key", "InvalidTag", 400, createInstance(s3control.CreateAccessGrantsInstanceInput{Tags: []types.Tag{{Key: aws.String(""), Value: aws.String("1")}}}))
	add("identity center not an instance", "InvalidIdentityCenterInstance", 400, createInstance(s3control.CreateAccessGrantsInstanceInput{IdentityCenterArn: aws.String("arn:aws:sso:::instance/not-an-instance")}))
	add("identity center pattern", "InvalidRequest", 400, createInstance(s3control.CreateAccessGrantsInstanceInput{IdentityCenterArn: aws.String("arn:aws:iam::111111111111:role/x")}))
	add("associate bad identity center", "InvalidIdentityCenterInstance", 400, func(ctx context.Context, c *s3control.Client) error {
		_, err := c.AssociateAccessGrantsIdentityCenter(ctx, &s3control.AssociateAccessGrantsIdentityCenterInput{AccountId: acct, IdentityCenterArn: aws.String("arn:aws:sso:::instance/ssoins-XYZ")})
		return err
	})
	add("delete instance with locations", "AccessGrantsInstanceNotEmptyError", 400, func(ctx context.Context, c *s3control.Client) error {
		_, err := c.DeleteAccessGrantsInstance(ctx, &s3control.DeleteAccessGrantsInstanceInput{AccountId: acct})
		return err
	})
	add("account ID not 12 digits", "InvalidRequest", 400, func(ctx context.Context, c *s3control.Client) error {
		_, err := c.GetAccessGrantsInstance(ctx, &s3control.GetAccessGrantsInstanceInput{AccountId: aws.String("12345")})
		return err
	})
	cases = append(cases, badPolicyCases(acct)...)
	cases = append(cases, badLocationCases(acct, bucketLoc)...)
	cases = append(cases, badGrantCases(acct, bucketLoc, g)...)
	cases = append(cases, badTagCases(acct, grantARN)...)
	return cases
}

func badPolicyCases(acct *string) []badCase {
	inst := "arn:aws:s3:us-east-2:111111111111:access-grants/default"
	put := func(doc, org string) func(ctx context.Context, c *s3control.Client) error {
		return func(ctx context.Context, c *s3control.Client) error {
			in := &s3control.PutAccessGrantsInstanceResourcePolicyInput{AccountId: acct, Policy: aws.String(doc)}
			if org != "" {
				in.Organization = aws.String(org)
			}
			_, err := c.PutAccessGrantsInstanceResourcePolicy(ctx, in)
			return err
		}
	}
	stmt := func(s string) string { return `{"Version":"2012-10-17","Statement":[` + s + `]}` }
	return []badCase{
		{"policy not JSON", put("{not json", ""), "InvalidResourcePolicy", 400},
		{"policy empty", put("", ""), "InvalidRequest", 400},
		{"policy too long", put(strings.Repeat(" ", 350001), ""), "InvalidRequest", 400},
		{"policy data action", put(stmt(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"`+inst+`"}`), ""), "InvalidResourcePolicy", 400},
		{"policy wildcard action", put(stmt(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:*","Resource":"`+inst+`"}`), ""), "InvalidResourcePolicy", 400},
		{"policy management action", put(stmt(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:CreateAccessGrant","Resource":"`+inst+`"}`), ""), "InvalidResourcePolicy", 400},
		{"policy other resource", put(stmt(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetDataAccess","Resource":"arn:aws:s3:us-east-2:222222222222:access-grants/default"}`), ""), "InvalidResourcePolicy", 400},
		{"policy wildcard resource", put(stmt(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetDataAccess","Resource":"*"}`), ""), "InvalidResourcePolicy", 400},
		{"policy without principal", put(stmt(`{"Effect":"Allow","Action":"s3:GetDataAccess","Resource":"`+inst+`"}`), ""), "InvalidResourcePolicy", 400},
		{"policy NotAction", put(stmt(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"NotAction":"s3:GetDataAccess","Resource":"`+inst+`"}`), ""), "InvalidResourcePolicy", 400},
		{"policy bad effect", put(stmt(`{"Effect":"Maybe","Principal":{"AWS":"444455556666"},"Action":"s3:GetDataAccess","Resource":"`+inst+`"}`), ""), "InvalidResourcePolicy", 400},
		{"policy organization", put(stmt(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetDataAccess","Resource":"`+inst+`"}`), "org-1"), "InvalidRequest", 400},
	}
}

func badLocationCases(acct, bucketLoc *string) []badCase {
	create := func(scope, role string) func(ctx context.Context, c *s3control.Client) error {
		return func(ctx context.Context, c *s3control.Client) error {
			_, err := c.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: acct, LocationScope: aws.String(scope), IAMRoleArn: aws.String(role)})
			return err
		}
	}
	good := locationRoleARN(acctA)
	return []badCase{
		{"location scope exists", create("s3://bucket/", good), "AccessGrantsLocationAlreadyExistsError", 409},
		{"location scope scheme", create("https://bucket", good), "InvalidAccessGrantsLocation", 400},
		{"location scope wildcard", create("s3://bucket/pre*", good), "InvalidAccessGrantsLocation", 400},
		{"location scope bucket name", create("s3://Bad_Bucket/x", good), "InvalidAccessGrantsLocation", 400},
		{"location scope empty", create("", good), "InvalidRequest", 400},
		{"location scope too long", create("s3://bucket/"+strings.Repeat("p", 2000), good), "InvalidRequest", 400},
		{"location role missing", create("s3://bucket2", "arn:aws:iam::111111111111:role/nope"), "InvalidIamRole", 400},
		{"location role other account", create("s3://bucket2", "arn:aws:iam::444455556666:role/"+locationRoleName), "InvalidIamRole", 400},
		{"location role not a role", create("s3://bucket2", "arn:aws:iam::111111111111:user/alice"), "InvalidIamRole", 400},
		{"location role wrong path", create("s3://bucket2", "arn:aws:iam::111111111111:role/other/pathed"), "InvalidIamRole", 400},
		{"location role empty", create("s3://bucket2", ""), "InvalidRequest", 400},
		{"get location bad ID", func(ctx context.Context, c *s3control.Client) error {
			_, err := c.GetAccessGrantsLocation(ctx, &s3control.GetAccessGrantsLocationInput{AccountId: acct, AccessGrantsLocationId: aws.String("bad_id!")})
			return err
		}, "InvalidRequest", 400},
		{"get location missing", func(ctx context.Context, c *s3control.Client) error {
			_, err := c.GetAccessGrantsLocation(ctx, &s3control.GetAccessGrantsLocationInput{AccountId: acct, AccessGrantsLocationId: aws.String("00000000-0000-4000-8000-000000000000")})
			return err
		}, "NoSuchAccessGrantsLocationError", 404},
		{"update location bad role", func(ctx context.Context, c *s3control.Client) error {
			_, err := c.UpdateAccessGrantsLocation(ctx, &s3control.UpdateAccessGrantsLocationInput{AccountId: acct, AccessGrantsLocationId: bucketLoc, IAMRoleArn: aws.String("arn:aws:iam::111111111111:role/nope")})
			return err
		}, "InvalidIamRole", 400},
		{"update location missing", func(ctx context.Context, c *s3control.Client) error {
			_, err := c.UpdateAccessGrantsLocation(ctx, &s3control.UpdateAccessGrantsLocationInput{AccountId: acct, AccessGrantsLocationId: aws.String("missing"), IAMRoleArn: aws.String(good)})
			return err
		}, "NoSuchAccessGrantsLocationError", 404},
		{"delete location with grants", func(ctx context.Context, c *s3control.Client) error {
			_, err := c.DeleteAccessGrantsLocation(ctx, &s3control.DeleteAccessGrantsLocationInput{AccountId: acct, AccessGrantsLocationId: aws.String("default")})
			return err
		}, "AccessGrantsLocationNotEmptyError", 400},
		{"list locations max results", func(ctx context.Context, c *s3control.Client) error {
			_, err := c.ListAccessGrantsLocations(ctx, &s3control.ListAccessGrantsLocationsInput{AccountId: acct, MaxResults: 1001})
			return err
		}, "InvalidRequest", 400},
		{"list locations bad token", func(ctx context.Context, c *s3control.Client) error {
			_, err := c.ListAccessGrantsLocations(ctx, &s3control.ListAccessGrantsLocationsInput{AccountId: acct, NextToken: aws.String("bm90IGEgY3Vyc29y")})
			return err
		}, "InvalidRequest", 400},
	}
}

func badGrantCases(acct, bucketLoc *string, g *s3control.CreateAccessGrantOutput) []badCase {
	consumer := "arn:aws:iam::444455556666:role/data-consumer-1"
	create := func(in s3control.CreateAccessGrantInput) func(ctx context.Context, c *s3control.Client) error {
		return func(ctx context.Context, c *s3control.Client) error {
			in.AccountId = acct
			if in.AccessGrantsLocationId == nil {
				in.AccessGrantsLocationId = aws.String("default")
			}
			if in.Permission == "" {
				in.Permission = types.PermissionRead
			}
			if in.Grantee == nil {
				in.Grantee = iamGrantee(consumer)
			}
			_, err := c.CreateAccessGrant(ctx, &in)
			return err
		}
	}
	obj := types.S3PrefixTypeObject
	return []badCase{
		{"grant exists", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: g.AccessGrantsLocationConfiguration}), "AccessGrantAlreadyExists", 409},
		{"grant location missing", create(s3control.CreateAccessGrantInput{AccessGrantsLocationId: aws.String("missing"), AccessGrantsLocationConfiguration: sub("b/x*")}), "NoSuchAccessGrantsLocationError", 404},
		{"grant location bad ID", create(s3control.CreateAccessGrantInput{AccessGrantsLocationId: aws.String("bad id"), AccessGrantsLocationConfiguration: sub("b/x*")}), "InvalidRequest", 400},
		{"grant on all of s3://", create(s3control.CreateAccessGrantInput{}), "InvalidAccessGrant", 400},
		{"grant on s3:// with /", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("/")}), "InvalidAccessGrant", 400},
		{"grant subprefix without bucket", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("prefixA*")}), "InvalidAccessGrant", 400},
		{"grant star inside", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("bucket/a*b")}), "InvalidAccessGrant", 400},
		{"grant bad bucket", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("Bad_Bucket/x")}), "InvalidAccessGrant", 400},
		{"grant empty subprefix", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("")}), "InvalidRequest", 400},
		{"grant object with star", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("bucket/x*"), S3PrefixType: obj}), "InvalidAccessGrant", 400},
		{"grant object without key", create(s3control.CreateAccessGrantInput{AccessGrantsLocationId: bucketLoc, S3PrefixType: obj}), "InvalidAccessGrant", 400},
		{"grant prefix type", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("bucket/x"), S3PrefixType: "Prefix"}), "InvalidRequest", 400},
		{"grant permission", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("bucket/x*"), Permission: "ALL"}), "InvalidRequest", 400},
		{"grantee type", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("bucket/x*"), Grantee: &types.Grantee{GranteeType: "USER", GranteeIdentifier: aws.String("x")}}), "InvalidRequest", 400},
		{"grantee missing", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("bucket/x*"), Grantee: &types.Grantee{}}), "InvalidRequest", 400},
		{"grantee session ARN", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("bucket/x*"), Grantee: iamGrantee("arn:aws:sts::444455556666:assumed-role/r/s")}), "InvalidAccessGrant", 400},
		{"grantee not an ARN", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("bucket/x*"), Grantee: iamGrantee("data-consumer-1")}), "InvalidAccessGrant", 400},
		{"directory grantee without identity center", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("bucket/x*"),
			Grantee: &types.Grantee{GranteeType: types.GranteeTypeDirectoryUser, GranteeIdentifier: aws.String("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111")}}), "InvalidIdentityCenterInstance", 400},
		{"application without identity center", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("bucket/x*"),
			ApplicationArn: aws.String("arn:aws:sso::111111111111:application/ssoins-0123456789abcdef/apl-0123456789abcdef")}), "InvalidIdentityCenterInstance", 400},
		{"application pattern", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("bucket/x*"), ApplicationArn: aws.String("arn:aws:iam::111111111111:role/x")}), "InvalidRequest", 400},
		{"grant tags", create(s3control.CreateAccessGrantInput{AccessGrantsLocationConfiguration: sub("bucket/x*"), Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("1")}}}), "InvalidTags", 400},
		{"get grant missing", func(ctx context.Context, c *s3control.Client) error {
			_, err := c.GetAccessGrant(ctx, &s3control.GetAccessGrantInput{AccountId: acct, AccessGrantId: aws.String("00000000-0000-4000-8000-000000000000")})
			return err
		}, "NoSuchAccessGrantError", 404},
		{"delete grant missing", func(ctx context.Context, c *s3control.Client) error {
			_, err := c.DeleteAccessGrant(ctx, &s3control.DeleteAccessGrantInput{AccountId: acct, AccessGrantId: aws.String("missing")})
			return err
		}, "NoSuchAccessGrantError", 404},
		{"list grants grantee type", func(ctx context.Context, c *s3control.Client) error {
			_, err := c.ListAccessGrants(ctx, &s3control.ListAccessGrantsInput{AccountId: acct, GranteeType: "USER"})
			return err
		}, "InvalidRequest", 400},
		{"list grants permission", func(ctx context.Context, c *s3control.Client) error {
			_, err := c.ListAccessGrants(ctx, &s3control.ListAccessGrantsInput{AccountId: acct, Permission: "ALL"})
			return err
		}, "InvalidRequest", 400},
		{"list grants max results", func(ctx context.Context, c *s3control.Client) error {
			_, err := c.ListAccessGrants(ctx, &s3control.ListAccessGrantsInput{AccountId: acct, MaxResults: -1})
			return err
		}, "InvalidRequest", 400},
		{"list grants bad token", func(ctx context.Context, c *s3control.Client) error {
			_, err := c.ListAccessGrants(ctx, &s3control.ListAccessGrantsInput{AccountId: acct, NextToken: aws.String("!!")})
			return err
		}, "InvalidRequest", 400},
	}
}

func badTagCases(acct *string, grantARN string) []badCase {
	inst := "arn:aws:s3:us-east-2:111111111111:access-grants/default"
	tag := func(arn string, tags []types.Tag) func(ctx context.Context, c *s3control.Client) error {
		return func(ctx context.Context, c *s3control.Client) error {
			_, err := c.TagResource(ctx, &s3control.TagResourceInput{AccountId: acct, ResourceArn: aws.String(arn), Tags: tags})
			return err
		}
	}
	one := []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}
	return []badCase{
		{"tag other account's ARN", tag("arn:aws:s3:us-east-2:444455556666:access-grants/default", one), "AccessDenied", 403},
		{"tag unsupported ARN", tag("arn:aws:s3:us-east-2:111111111111:accesspoint/ap", one), "InvalidRequest", 400},
		{"tag not an S3 ARN", tag("arn:aws:iam::111111111111:role/x", one), "InvalidRequest", 400},
		{"tag missing grant", tag(inst+"/grant/00000000-0000-4000-8000-000000000000", one), "NoSuchAccessGrantError", 404},
		{"tag missing location", tag(inst+"/location/nope", one), "NoSuchAccessGrantsLocationError", 404},
		{"tag other region", tag("arn:aws:s3:eu-west-1:111111111111:access-grants/default", one), "AccessGrantsInstanceNotExistsError", 404},
		{"tag beyond 50", tag(inst, tags(2, func(i int) string { return fmt.Sprint("new", i) })), "TooManyTags", 400},
		{"tag aws: prefix", tag(grantARN, []types.Tag{{Key: aws.String("AWS:x"), Value: aws.String("1")}}), "InvalidTags", 400},
		{"tag no tags", tag(grantARN, []types.Tag{}), "InvalidRequest", 400},
		{"untag aws: prefix", func(ctx context.Context, c *s3control.Client) error {
			_, err := c.UntagResource(ctx, &s3control.UntagResourceInput{AccountId: acct, ResourceArn: aws.String(grantARN), TagKeys: []string{"aws:x"}})
			return err
		}, "InvalidTags", 400},
		{"list tags missing grant", func(ctx context.Context, c *s3control.Client) error {
			_, err := c.ListTagsForResource(ctx, &s3control.ListTagsForResourceInput{AccountId: acct, ResourceArn: aws.String(inst + "/grant/missing")})
			return err
		}, "NoSuchAccessGrantError", 404},
	}
}

// TestAccessGrantsNoInstance: every operation but creating and listing
// instances answers AccessGrantsInstanceNotExistsError without an instance.
func TestAccessGrantsNoInstance(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := control(env, seedAccount(t, env, acctA, role{name: locationRoleName}), region2)
	ctx, acct := t.Context(), aws.String(acctA)
	inst := "arn:aws:s3:us-east-2:111111111111:access-grants/default"
	calls := map[string]func() error{
		"GetAccessGrantsInstance": func() error {
			_, err := c.GetAccessGrantsInstance(ctx, &s3control.GetAccessGrantsInstanceInput{AccountId: acct})
			return err
		},
		"DeleteAccessGrantsInstance": func() error {
			_, err := c.DeleteAccessGrantsInstance(ctx, &s3control.DeleteAccessGrantsInstanceInput{AccountId: acct})
			return err
		},
		"AssociateAccessGrantsIdentityCenter": func() error {
			_, err := c.AssociateAccessGrantsIdentityCenter(ctx, &s3control.AssociateAccessGrantsIdentityCenterInput{AccountId: acct, IdentityCenterArn: aws.String("arn:aws:sso:::instance/ssoins-0123456789abcdef")})
			return err
		},
		"DissociateAccessGrantsIdentityCenter": func() error {
			_, err := c.DissociateAccessGrantsIdentityCenter(ctx, &s3control.DissociateAccessGrantsIdentityCenterInput{AccountId: acct})
			return err
		},
		"PutAccessGrantsInstanceResourcePolicy": func() error {
			_, err := c.PutAccessGrantsInstanceResourcePolicy(ctx, &s3control.PutAccessGrantsInstanceResourcePolicyInput{AccountId: acct, Policy: aws.String(crossAccountPolicy(inst, acctB))})
			return err
		},
		"GetAccessGrantsInstanceResourcePolicy": func() error {
			_, err := c.GetAccessGrantsInstanceResourcePolicy(ctx, &s3control.GetAccessGrantsInstanceResourcePolicyInput{AccountId: acct})
			return err
		},
		"DeleteAccessGrantsInstanceResourcePolicy": func() error {
			_, err := c.DeleteAccessGrantsInstanceResourcePolicy(ctx, &s3control.DeleteAccessGrantsInstanceResourcePolicyInput{AccountId: acct})
			return err
		},
		"CreateAccessGrantsLocation": func() error {
			_, err := c.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: acct, LocationScope: aws.String("s3://"), IAMRoleArn: aws.String(locationRoleARN(acctA))})
			return err
		},
		"GetAccessGrantsLocation": func() error {
			_, err := c.GetAccessGrantsLocation(ctx, &s3control.GetAccessGrantsLocationInput{AccountId: acct, AccessGrantsLocationId: aws.String("default")})
			return err
		},
		"ListAccessGrantsLocations": func() error {
			_, err := c.ListAccessGrantsLocations(ctx, &s3control.ListAccessGrantsLocationsInput{AccountId: acct})
			return err
		},
		"CreateAccessGrant": func() error {
			_, err := c.CreateAccessGrant(ctx, &s3control.CreateAccessGrantInput{AccountId: acct, AccessGrantsLocationId: aws.String("default"), Permission: types.PermissionRead, Grantee: iamGrantee("arn:aws:iam::111111111111:user/a")})
			return err
		},
		"ListAccessGrants": func() error {
			_, err := c.ListAccessGrants(ctx, &s3control.ListAccessGrantsInput{AccountId: acct})
			return err
		},
		"GetAccessGrant": func() error {
			_, err := c.GetAccessGrant(ctx, &s3control.GetAccessGrantInput{AccountId: acct, AccessGrantId: aws.String("x")})
			return err
		},
		"ListTagsForResource": func() error {
			_, err := c.ListTagsForResource(ctx, &s3control.ListTagsForResourceInput{AccountId: acct, ResourceArn: aws.String(inst)})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			wantAPIError(t, call(), "AccessGrantsInstanceNotExistsError", http.StatusNotFound)
		})
	}
	out, err := c.ListAccessGrantsInstances(ctx, &s3control.ListAccessGrantsInstancesInput{AccountId: acct})
	if err != nil || len(out.AccessGrantsInstancesList) != 0 {
		t.Errorf("ListAccessGrantsInstances = %+v, %v; want an empty list", out, err)
	}
}

// TestAccessGrantsLocationsQuota registers 1,000 locations, the quota, and
// then one more.
func TestAccessGrantsLocationsQuota(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := control(env, seedAccount(t, env, acctA, role{name: locationRoleName}), region2)
	ctx, acct := t.Context(), aws.String(acctA)
	if _, err := c.CreateAccessGrantsInstance(ctx, &s3control.CreateAccessGrantsInstanceInput{AccountId: acct}); err != nil {
		t.Fatal(err)
	}
	create := func(i int) error {
		_, err := c.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: acct,
			LocationScope: aws.String(fmt.Sprintf("s3://bucket-%04d", i)), IAMRoleArn: aws.String(locationRoleARN(acctA))})
		return err
	}
	for i := range 1000 {
		if err := create(i); err != nil {
			t.Fatalf("location %d: %v", i, err)
		}
	}
	before := snapshot(t, env.App.Store, acctA, region2)
	wantAPIError(t, create(1000), "AccessGrantsLocationsQuotaExceededError", http.StatusConflict)
	if after := snapshot(t, env.App.Store, acctA, region2); after.LastSeq != before.LastSeq || len(after.Locations) != 1000 {
		t.Errorf("the store changed: %d locations, seq %d → %d", len(after.Locations), before.LastSeq, after.LastSeq)
	}
}
