package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/apptest"
)

const region2 = "us-east-2"

// TestAccessGrantsInstance covers the instance, its Identity Center
// association and its resource policy.
func TestAccessGrantsInstance(t *testing.T) {
	backends(t, func(t *testing.T, pg bool) {
		env := apptest.Start(t, apptest.Options{Postgres: pg})
		c := control(env, seedAccount(t, env, acctA), region2)
		ctx, acct := t.Context(), aws.String(acctA)
		start := time.Now().UTC().Add(-time.Second)

		_, err := c.GetAccessGrantsInstance(ctx, &s3control.GetAccessGrantsInstanceInput{AccountId: acct})
		wantAPIError(t, err, "AccessGrantsInstanceNotExistsError", http.StatusNotFound)
		created, err := c.CreateAccessGrantsInstance(ctx, &s3control.CreateAccessGrantsInstanceInput{AccountId: acct,
			Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("data")}}})
		if err != nil {
			t.Fatal(err)
		}
		wantARN := "arn:aws:s3:us-east-2:111111111111:access-grants/default"
		if aws.ToString(created.AccessGrantsInstanceArn) != wantARN || aws.ToString(created.AccessGrantsInstanceId) != "default" ||
			created.CreatedAt == nil || created.CreatedAt.Before(start) || created.IdentityCenterInstanceArn != nil {
			t.Errorf("CreateAccessGrantsInstance = %+v", created)
		}
		_, err = c.CreateAccessGrantsInstance(ctx, &s3control.CreateAccessGrantsInstanceInput{AccountId: acct})
		wantAPIError(t, err, "AccessGrantsInstanceAlreadyExists", http.StatusConflict)
		// One instance per region: another region has its own.
		// It may be associated with Identity Center at creation.
		east1 := control(env, seedCreds(env, acctA), "us-east-1")
		const idc = "arn:aws:sso:::instance/ssoins-fedcba9876543210"
		e1, err := east1.CreateAccessGrantsInstance(ctx, &s3control.CreateAccessGrantsInstanceInput{AccountId: acct, IdentityCenterArn: aws.String(idc)})
		if err != nil {
			t.Fatalf("instance in a second region: %v", err)
		}
		if aws.ToString(e1.AccessGrantsInstanceArn) != "arn:aws:s3:us-east-1:111111111111:access-grants/default" || aws.ToString(e1.IdentityCenterInstanceArn) != idc ||
			!strings.HasPrefix(aws.ToString(e1.IdentityCenterApplicationArn), "arn:aws:sso::111111111111:application/ssoins-fedcba9876543210/apl-") {
			t.Errorf("CreateAccessGrantsInstance with Identity Center = %+v", e1)
		}

		got, err := c.GetAccessGrantsInstance(ctx, &s3control.GetAccessGrantsInstanceInput{AccountId: acct})
		if err != nil || aws.ToString(got.AccessGrantsInstanceArn) != wantARN || !got.CreatedAt.Equal(*created.CreatedAt) {
			t.Errorf("GetAccessGrantsInstance = %+v, %v", got, err)
		}
		list, err := c.ListAccessGrantsInstances(ctx, &s3control.ListAccessGrantsInstancesInput{AccountId: acct})
		if err != nil || len(list.AccessGrantsInstancesList) != 1 || aws.ToString(list.AccessGrantsInstancesList[0].AccessGrantsInstanceArn) != wantARN || list.NextToken != nil {
			t.Errorf("ListAccessGrantsInstances = %+v, %v", list, err)
		}

		testIdentityCenter(t, c)
		testResourcePolicy(t, c, wantARN)

		if _, err := c.DeleteAccessGrantsInstance(ctx, &s3control.DeleteAccessGrantsInstanceInput{AccountId: acct}); err != nil {
			t.Fatal(err)
		}
		_, err = c.DeleteAccessGrantsInstance(ctx, &s3control.DeleteAccessGrantsInstanceInput{AccountId: acct})
		wantAPIError(t, err, "AccessGrantsInstanceNotExistsError", http.StatusNotFound)
		list, err = c.ListAccessGrantsInstances(ctx, &s3control.ListAccessGrantsInstancesInput{AccountId: acct})
		if err != nil || len(list.AccessGrantsInstancesList) != 0 {
			t.Errorf("ListAccessGrantsInstances after delete = %+v, %v", list, err)
		}
	})
}

// seedCreds are the root credentials seedAccount made for id.
func seedCreds(_ *apptest.Env, id string) aws.Credentials {
	return aws.Credentials{AccessKeyID: "AKIA" + id + "ROOT", SecretAccessKey: "secret-" + id + "-0123456789abcdefghij"}
}

func testIdentityCenter(t *testing.T, c *s3control.Client) {
	ctx, acct := t.Context(), aws.String(acctA)
	const idc = "arn:aws:sso:::instance/ssoins-0123456789abcdef"
	if _, err := c.AssociateAccessGrantsIdentityCenter(ctx, &s3control.AssociateAccessGrantsIdentityCenterInput{AccountId: acct, IdentityCenterArn: aws.String(idc)}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetAccessGrantsInstance(ctx, &s3control.GetAccessGrantsInstanceInput{AccountId: acct})
	if err != nil {
		t.Fatal(err)
	}
	app := aws.ToString(got.IdentityCenterApplicationArn)
	// The deprecated IdentityCenterArn is still on the wire and carries
	// the application's ARN.
	//lint:ignore SA1019 the deprecated member is part of the wire contract
	deprecated := aws.ToString(got.IdentityCenterArn)
	if aws.ToString(got.IdentityCenterInstanceArn) != idc || !strings.HasPrefix(app, "arn:aws:sso::111111111111:application/ssoins-0123456789abcdef/apl-") ||
		deprecated != app {
		t.Errorf("instance after associate = instance %q application %q deprecated %q", aws.ToString(got.IdentityCenterInstanceArn), app, deprecated)
	}
	_, err = c.DeleteAccessGrantsInstance(ctx, &s3control.DeleteAccessGrantsInstanceInput{AccountId: acct})
	wantAPIError(t, err, "InvalidRequest", http.StatusBadRequest)
	if _, err := c.DissociateAccessGrantsIdentityCenter(ctx, &s3control.DissociateAccessGrantsIdentityCenterInput{AccountId: acct}); err != nil {
		t.Fatal(err)
	}
	got, err = c.GetAccessGrantsInstance(ctx, &s3control.GetAccessGrantsInstanceInput{AccountId: acct})
	if err != nil || got.IdentityCenterInstanceArn != nil || got.IdentityCenterApplicationArn != nil {
		t.Errorf("instance after dissociate = %+v, %v", got, err)
	}
}

func testResourcePolicy(t *testing.T, c *s3control.Client, instanceARN string) {
	ctx, acct := t.Context(), aws.String(acctA)
	_, err := c.GetAccessGrantsInstanceResourcePolicy(ctx, &s3control.GetAccessGrantsInstanceResourcePolicyInput{AccountId: acct})
	wantAPIError(t, err, "AccessGrantsInstanceResourcePolicyNotExists", http.StatusNotFound)
	doc := crossAccountPolicy(instanceARN, acctB) + "\n"
	put, err := c.PutAccessGrantsInstanceResourcePolicy(ctx, &s3control.PutAccessGrantsInstanceResourcePolicyInput{AccountId: acct,
		Policy: aws.String(doc), Organization: aws.String("o-abcdefghij")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(put.Policy) != doc || aws.ToString(put.Organization) != "o-abcdefghij" || put.CreatedAt == nil {
		t.Errorf("Put = %+v", put)
	}
	got, err := c.GetAccessGrantsInstanceResourcePolicy(ctx, &s3control.GetAccessGrantsInstanceResourcePolicyInput{AccountId: acct})
	if err != nil || aws.ToString(got.Policy) != doc || aws.ToString(got.Organization) != "o-abcdefghij" || !got.CreatedAt.Equal(*put.CreatedAt) {
		t.Errorf("Get = %+v, %v", got, err)
	}
	for range 2 { // deleting twice succeeds
		if _, err := c.DeleteAccessGrantsInstanceResourcePolicy(ctx, &s3control.DeleteAccessGrantsInstanceResourcePolicyInput{AccountId: acct}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.GetAccessGrantsInstanceResourcePolicy(ctx, &s3control.GetAccessGrantsInstanceResourcePolicyInput{AccountId: acct})
	wantAPIError(t, err, "AccessGrantsInstanceResourcePolicyNotExists", http.StatusNotFound)
}

// crossAccountPolicy is the documentation's instance resource policy
// letting account other use the cross-account actions.
func crossAccountPolicy(instanceARN, other string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + other + `"},` +
		`"Action":["s3:ListAccessGrants","s3:ListAccessGrantsLocations","s3:GetDataAccess","s3:GetAccessGrantsInstanceForPrefix","s3:ListCallerAccessGrants"],` +
		`"Resource":"` + instanceARN + `"}]}`
}

// TestAccessGrantsLocationsAndGrants covers locations, grants and tags.
func TestAccessGrantsLocationsAndGrants(t *testing.T) {
	backends(t, func(t *testing.T, pg bool) {
		env := apptest.Start(t, apptest.Options{Postgres: pg})
		c := control(env, seedAccount(t, env, acctA, role{name: locationRoleName}, role{name: "/team/other-role"}), region2)
		ctx, acct := t.Context(), aws.String(acctA)
		if _, err := c.CreateAccessGrantsInstance(ctx, &s3control.CreateAccessGrantsInstanceInput{AccountId: acct}); err != nil {
			t.Fatal(err)
		}
		def, bucket := testLocations(t, c)
		testGrants(t, c, def, bucket)
		testTags(t, c, bucket)

		// Cleanup order: grants, then locations, then the instance.
		_, err := c.DeleteAccessGrantsInstance(ctx, &s3control.DeleteAccessGrantsInstanceInput{AccountId: acct})
		wantAPIError(t, err, "AccessGrantsInstanceNotEmptyError", http.StatusBadRequest)
		_, err = c.DeleteAccessGrantsLocation(ctx, &s3control.DeleteAccessGrantsLocationInput{AccountId: acct, AccessGrantsLocationId: aws.String(bucket)})
		wantAPIError(t, err, "AccessGrantsLocationNotEmptyError", http.StatusBadRequest)
		grants, err := c.ListAccessGrants(ctx, &s3control.ListAccessGrantsInput{AccountId: acct})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range grants.AccessGrantsList {
			if _, err := c.DeleteAccessGrant(ctx, &s3control.DeleteAccessGrantInput{AccountId: acct, AccessGrantId: g.AccessGrantId}); err != nil {
				t.Fatal(err)
			}
		}
		_, err = c.GetAccessGrant(ctx, &s3control.GetAccessGrantInput{AccountId: acct, AccessGrantId: grants.AccessGrantsList[0].AccessGrantId})
		wantAPIError(t, err, "NoSuchAccessGrantError", http.StatusNotFound)
		for _, id := range []string{def, bucket} {
			if _, err := c.DeleteAccessGrantsLocation(ctx, &s3control.DeleteAccessGrantsLocationInput{AccountId: acct, AccessGrantsLocationId: aws.String(id)}); err != nil {
				t.Fatal(err)
			}
		}
		_, err = c.GetAccessGrantsLocation(ctx, &s3control.GetAccessGrantsLocationInput{AccountId: acct, AccessGrantsLocationId: aws.String(bucket)})
		wantAPIError(t, err, "NoSuchAccessGrantsLocationError", http.StatusNotFound)
		if _, err := c.DeleteAccessGrantsInstance(ctx, &s3control.DeleteAccessGrantsInstanceInput{AccountId: acct}); err != nil {
			t.Fatal(err)
		}
	})
}

func testLocations(t *testing.T, c *s3control.Client) (def, bucket string) {
	ctx, acct := t.Context(), aws.String(acctA)
	d, err := c.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: acct,
		LocationScope: aws.String("s3://"), IAMRoleArn: aws.String(locationRoleARN(acctA))})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.AccessGrantsLocationId) != "default" ||
		aws.ToString(d.AccessGrantsLocationArn) != "arn:aws:s3:us-east-2:111111111111:access-grants/default/location/default" ||
		aws.ToString(d.LocationScope) != "s3://" || aws.ToString(d.IAMRoleArn) != locationRoleARN(acctA) || d.CreatedAt == nil {
		t.Errorf("default location = %+v", d)
	}
	b, err := c.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: acct,
		LocationScope: aws.String("S3://amzn-s3-demo-bucket/"), IAMRoleArn: aws.String(locationRoleARN(acctA)),
		Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	if err != nil {
		t.Fatal(err)
	}
	bucket = aws.ToString(b.AccessGrantsLocationId)
	if len(bucket) != 36 || aws.ToString(b.LocationScope) != "s3://amzn-s3-demo-bucket/" ||
		aws.ToString(b.AccessGrantsLocationArn) != "arn:aws:s3:us-east-2:111111111111:access-grants/default/location/"+bucket {
		t.Errorf("bucket location = %+v", b)
	}
	_, err = c.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: acct,
		LocationScope: aws.String("s3://amzn-s3-demo-bucket"), IAMRoleArn: aws.String(locationRoleARN(acctA))})
	wantAPIError(t, err, "AccessGrantsLocationAlreadyExistsError", http.StatusConflict)

	other := "arn:aws:iam::111111111111:role/team/other-role"
	upd, err := c.UpdateAccessGrantsLocation(ctx, &s3control.UpdateAccessGrantsLocationInput{AccountId: acct,
		AccessGrantsLocationId: aws.String(bucket), IAMRoleArn: aws.String(other)})
	if err != nil || aws.ToString(upd.IAMRoleArn) != other || aws.ToString(upd.LocationScope) != "s3://amzn-s3-demo-bucket/" {
		t.Errorf("UpdateAccessGrantsLocation = %+v, %v", upd, err)
	}
	got, err := c.GetAccessGrantsLocation(ctx, &s3control.GetAccessGrantsLocationInput{AccountId: acct, AccessGrantsLocationId: aws.String(bucket)})
	if err != nil || aws.ToString(got.IAMRoleArn) != other || !got.CreatedAt.Equal(*b.CreatedAt) {
		t.Errorf("GetAccessGrantsLocation = %+v, %v", got, err)
	}

	all, err := c.ListAccessGrantsLocations(ctx, &s3control.ListAccessGrantsLocationsInput{AccountId: acct})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range all.AccessGrantsLocationsList {
		ids = append(ids, aws.ToString(l.AccessGrantsLocationId))
	}
	if diff := cmp.Diff([]string{"default", bucket}, ids); diff != "" {
		t.Errorf("ListAccessGrantsLocations (-want +got):\n%s", diff)
	}
	page, err := c.ListAccessGrantsLocations(ctx, &s3control.ListAccessGrantsLocationsInput{AccountId: acct, MaxResults: 1})
	if err != nil || len(page.AccessGrantsLocationsList) != 1 || page.NextToken == nil {
		t.Fatalf("first page = %+v, %v", page, err)
	}
	page, err = c.ListAccessGrantsLocations(ctx, &s3control.ListAccessGrantsLocationsInput{AccountId: acct, MaxResults: 1, NextToken: page.NextToken})
	if err != nil || len(page.AccessGrantsLocationsList) != 1 || aws.ToString(page.AccessGrantsLocationsList[0].AccessGrantsLocationId) != bucket || page.NextToken != nil {
		t.Errorf("second page = %+v, %v", page, err)
	}
	filtered, err := c.ListAccessGrantsLocations(ctx, &s3control.ListAccessGrantsLocationsInput{AccountId: acct, LocationScope: aws.String("s3://amzn-s3-demo-bucket")})
	if err != nil || len(filtered.AccessGrantsLocationsList) != 1 || aws.ToString(filtered.AccessGrantsLocationsList[0].AccessGrantsLocationId) != bucket {
		t.Errorf("ListAccessGrantsLocations by scope = %+v, %v", filtered, err)
	}
	return "default", bucket
}

func testGrants(t *testing.T, c *s3control.Client, def, bucket string) {
	ctx, acct := t.Context(), aws.String(acctA)
	consumer := "arn:aws:iam::444455556666:role/data-consumer-1"
	type want struct{ sub, scope string }
	tests := []struct {
		name     string
		loc      string
		sub      *string
		perm     types.Permission
		grantee  string
		object   bool
		want     want
		wantConf bool
	}{
		{"default location prefix", def, aws.String("amzn-s3-demo-bucket/prefixA*"), types.PermissionRead, consumer, false, want{"amzn-s3-demo-bucket/prefixA*", "s3://amzn-s3-demo-bucket/prefixA*"}, true},
		{"default location object", def, aws.String("amzn-s3-demo-bucket/report.csv"), types.PermissionReadwrite, consumer, true, want{"amzn-s3-demo-bucket/report.csv", "s3://amzn-s3-demo-bucket/report.csv"}, true},
		{"bucket location whole", bucket, nil, types.PermissionWrite, "arn:aws:iam::111111111111:user/alice", false, want{"", "s3://amzn-s3-demo-bucket"}, false},
		{"bucket location subprefix", bucket, aws.String("pA/pB*"), types.PermissionRead, consumer, false, want{"pA/pB*", "s3://amzn-s3-demo-bucket/pA/pB*"}, true},
		{"bucket location object with slash", bucket, aws.String("/object-key"), types.PermissionRead, consumer, true, want{"/object-key", "s3://amzn-s3-demo-bucket/object-key"}, true},
	}
	var created []types.ListAccessGrantEntry
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &s3control.CreateAccessGrantInput{AccountId: acct, AccessGrantsLocationId: aws.String(tt.loc), Permission: tt.perm,
				Grantee: &types.Grantee{GranteeType: types.GranteeTypeIam, GranteeIdentifier: aws.String(tt.grantee)}}
			if tt.sub != nil {
				in.AccessGrantsLocationConfiguration = &types.AccessGrantsLocationConfiguration{S3SubPrefix: tt.sub}
			}
			if tt.object {
				in.S3PrefixType = types.S3PrefixTypeObject
			}
			g, err := c.CreateAccessGrant(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			id := aws.ToString(g.AccessGrantId)
			if aws.ToString(g.GrantScope) != tt.want.scope || aws.ToString(g.AccessGrantArn) != "arn:aws:s3:us-east-2:111111111111:access-grants/default/grant/"+id ||
				g.Permission != tt.perm || aws.ToString(g.Grantee.GranteeIdentifier) != tt.grantee || aws.ToString(g.AccessGrantsLocationId) != tt.loc ||
				(g.AccessGrantsLocationConfiguration != nil) != tt.wantConf {
				t.Errorf("CreateAccessGrant = %+v", g)
			}
			if tt.wantConf && aws.ToString(g.AccessGrantsLocationConfiguration.S3SubPrefix) != tt.want.sub {
				t.Errorf("S3SubPrefix = %q, want %q", aws.ToString(g.AccessGrantsLocationConfiguration.S3SubPrefix), tt.want.sub)
			}
			got, err := c.GetAccessGrant(ctx, &s3control.GetAccessGrantInput{AccountId: acct, AccessGrantId: g.AccessGrantId})
			if err != nil || aws.ToString(got.GrantScope) != tt.want.scope || !got.CreatedAt.Equal(*g.CreatedAt) {
				t.Errorf("GetAccessGrant = %+v, %v", got, err)
			}
			created = append(created, types.ListAccessGrantEntry{AccessGrantId: g.AccessGrantId, GrantScope: g.GrantScope})
			_, err = c.CreateAccessGrant(ctx, in)
			wantAPIError(t, err, "AccessGrantAlreadyExists", http.StatusConflict)
		})
	}
	testGrantFilters(t, c, len(created))
}

func testGrantFilters(t *testing.T, c *s3control.Client, total int) {
	ctx, acct := t.Context(), aws.String(acctA)
	tests := []struct {
		name string
		in   s3control.ListAccessGrantsInput
		want int
	}{
		{"all", s3control.ListAccessGrantsInput{}, total},
		{"grantee", s3control.ListAccessGrantsInput{GranteeIdentifier: aws.String("arn:aws:iam::111111111111:user/alice")}, 1},
		{"grantee type", s3control.ListAccessGrantsInput{GranteeType: types.GranteeTypeIam}, total},
		{"directory grantee type", s3control.ListAccessGrantsInput{GranteeType: types.GranteeTypeDirectoryUser}, 0},
		{"permission", s3control.ListAccessGrantsInput{Permission: types.PermissionRead}, 3},
		{"scope with star", s3control.ListAccessGrantsInput{GrantScope: aws.String("s3://amzn-s3-demo-bucket/p*")}, 2},
		{"scope bucket", s3control.ListAccessGrantsInput{GrantScope: aws.String("s3://amzn-s3-demo-bucket")}, total},
		{"permission and scope", s3control.ListAccessGrantsInput{Permission: types.PermissionRead, GrantScope: aws.String("s3://amzn-s3-demo-bucket/pA")}, 1},
		{"application", s3control.ListAccessGrantsInput{ApplicationArn: aws.String("arn:aws:sso::111111111111:application/ssoins-1/apl-1")}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.AccountId = acct
			out, err := c.ListAccessGrants(ctx, &in)
			if err != nil {
				t.Fatal(err)
			}
			if len(out.AccessGrantsList) != tt.want {
				t.Errorf("got %d grants, want %d: %+v", len(out.AccessGrantsList), tt.want, out.AccessGrantsList)
			}
		})
	}
	// Page by two: every grant exactly once.
	seen := map[string]int{}
	var token *string
	for pages := 0; ; pages++ {
		out, err := c.ListAccessGrants(ctx, &s3control.ListAccessGrantsInput{AccountId: acct, MaxResults: 2, NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range out.AccessGrantsList {
			seen[aws.ToString(g.AccessGrantId)]++
		}
		if token = out.NextToken; token == nil {
			break
		}
		if pages > total {
			t.Fatal("pagination does not end")
		}
	}
	if len(seen) != total {
		t.Errorf("paging saw %d grants, want %d", len(seen), total)
	}
}

func testTags(t *testing.T, c *s3control.Client, bucket string) {
	ctx, acct := t.Context(), aws.String(acctA)
	g, err := c.CreateAccessGrant(ctx, &s3control.CreateAccessGrantInput{AccountId: acct, AccessGrantsLocationId: aws.String(bucket),
		Permission: types.PermissionRead, Grantee: &types.Grantee{GranteeType: types.GranteeTypeIam, GranteeIdentifier: aws.String("arn:aws:iam::444455556666:user/bob")},
		AccessGrantsLocationConfiguration: &types.AccessGrantsLocationConfiguration{S3SubPrefix: aws.String("tagged/*")},
		Tags:                              []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}}})
	if err != nil {
		t.Fatal(err)
	}
	arns := map[string]map[string]string{
		"arn:aws:s3:us-east-2:111111111111:access-grants/default":                    {},
		"arn:aws:s3:us-east-2:111111111111:access-grants/default/location/" + bucket: {"k": "v"},
		aws.ToString(g.AccessGrantArn):                                               {"a": "1"},
	}
	for arn, initial := range arns {
		t.Run(arn[strings.LastIndexByte(arn, '/')+1:], func(t *testing.T) {
			check := func(want map[string]string) {
				t.Helper()
				out, err := c.ListTagsForResource(ctx, &s3control.ListTagsForResourceInput{AccountId: acct, ResourceArn: aws.String(arn)})
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]string{}
				for _, tag := range out.Tags {
					got[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("tags (-want +got):\n%s", diff)
				}
			}
			check(initial)
			_, err := c.TagResource(ctx, &s3control.TagResourceInput{AccountId: acct, ResourceArn: aws.String(arn),
				Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}, {Key: aws.String("empty"), Value: aws.String("")}}})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"env": "prod", "empty": ""}
			for k, v := range initial {
				want[k] = v
			}
			check(want)
			if _, err := c.UntagResource(ctx, &s3control.UntagResourceInput{AccountId: acct, ResourceArn: aws.String(arn), TagKeys: []string{"env", "empty"}}); err != nil {
				t.Fatal(err)
			}
			check(initial)
		})
	}
}

// TestAccessGrantsDirectoryGrantees grants to Identity Center users and
// groups, which needs an associated Identity Center instance.
func TestAccessGrantsDirectoryGrantees(t *testing.T) {
	backends(t, func(t *testing.T, pg bool) {
		env := apptest.Start(t, apptest.Options{Postgres: pg})
		c := control(env, seedAccount(t, env, acctA, role{name: locationRoleName}), region2)
		ctx, acct := t.Context(), aws.String(acctA)
		if _, err := c.CreateAccessGrantsInstance(ctx, &s3control.CreateAccessGrantsInstanceInput{AccountId: acct,
			IdentityCenterArn: aws.String("arn:aws:sso:::instance/ssoins-0123456789abcdef")}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: acct,
			LocationScope: aws.String("s3://amzn-s3-demo-bucket"), IAMRoleArn: aws.String(locationRoleARN(acctA))}); err != nil {
			t.Fatal(err)
		}
		locs, err := c.ListAccessGrantsLocations(ctx, &s3control.ListAccessGrantsLocationsInput{AccountId: acct})
		if err != nil || len(locs.AccessGrantsLocationsList) != 1 {
			t.Fatalf("locations = %+v, %v", locs, err)
		}
		loc := locs.AccessGrantsLocationsList[0].AccessGrantsLocationId
		app := "arn:aws:sso::111111111111:application/ssoins-0123456789abcdef/apl-0123456789abcdef"
		for _, g := range []struct {
			typ types.GranteeType
			id  string
			app *string
		}{
			{types.GranteeTypeDirectoryUser, "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", nil},
			{types.GranteeTypeDirectoryGroup, "a1b2c3d4-5678-90ab-cdef-EXAMPLE22222", aws.String(app)},
		} {
			out, err := c.CreateAccessGrant(ctx, &s3control.CreateAccessGrantInput{AccountId: acct, AccessGrantsLocationId: loc,
				AccessGrantsLocationConfiguration: sub("2024-03-research-results/"), Permission: types.PermissionReadwrite,
				Grantee: &types.Grantee{GranteeType: g.typ, GranteeIdentifier: aws.String(g.id)}, ApplicationArn: g.app})
			if err != nil {
				t.Fatal(err)
			}
			if out.Grantee.GranteeType != g.typ || aws.ToString(out.ApplicationArn) != aws.ToString(g.app) ||
				aws.ToString(out.GrantScope) != "s3://amzn-s3-demo-bucket/2024-03-research-results/" {
				t.Errorf("CreateAccessGrant = %+v", out)
			}
		}
		byType, err := c.ListAccessGrants(ctx, &s3control.ListAccessGrantsInput{AccountId: acct, GranteeType: types.GranteeTypeDirectoryGroup})
		if err != nil || len(byType.AccessGrantsList) != 1 || aws.ToString(byType.AccessGrantsList[0].ApplicationArn) != app {
			t.Errorf("ListAccessGrants(DIRECTORY_GROUP) = %+v, %v", byType, err)
		}
		byApp, err := c.ListAccessGrants(ctx, &s3control.ListAccessGrantsInput{AccountId: acct, ApplicationArn: aws.String(app)})
		if err != nil || len(byApp.AccessGrantsList) != 1 || byApp.AccessGrantsList[0].Grantee.GranteeType != types.GranteeTypeDirectoryGroup {
			t.Errorf("ListAccessGrants(application) = %+v, %v", byApp, err)
		}
	})
}
