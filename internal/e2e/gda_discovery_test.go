package e2e

import (
	"fmt"
	"net/http"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/apptest"
)

// TestListCallerAccessGrants lists the caller's grants in another
// account's instance: only the caller's, filtered by scope, paged.
func TestListCallerAccessGrants(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	w := newWalkthrough(t, env) // ag-demo-bucket/prefixA* READ
	w.grant(t, wkBucket+"/prefixA/sub*", types.PermissionReadwrite, wkConsumerRole, "")
	w.grant(t, wkBucket+"/prefixB/x.txt", types.PermissionWrite, wkConsumerRole, types.S3PrefixTypeObject)
	w.grant(t, "other-bucket/*", types.PermissionRead, wkConsumerRole, "")
	w.grant(t, wkBucket+"/*", types.PermissionRead, "arn:aws:iam::444455556666:role/someone-else", "")
	c := w.control(w.consumer)
	list := func(in *s3control.ListCallerAccessGrantsInput) []string {
		t.Helper()
		in.AccountId = aws.String(wkA)
		var got []string
		p := s3control.NewListCallerAccessGrantsPaginator(c, in)
		for p.HasMorePages() {
			page, err := p.NextPage(t.Context())
			if err != nil {
				t.Fatalf("ListCallerAccessGrants %+v: %v", in, err)
			}
			for _, g := range page.CallerAccessGrantsList {
				got = append(got, fmt.Sprintf("%s %s %s", g.Permission, aws.ToString(g.GrantScope), aws.ToString(g.ApplicationArn)))
			}
		}
		return got
	}
	all := []string{
		"READ s3://ag-demo-bucket/prefixA* NA",
		"READWRITE s3://ag-demo-bucket/prefixA/sub* NA",
		"WRITE s3://ag-demo-bucket/prefixB/x.txt NA",
		"READ s3://other-bucket/* NA",
	}
	for _, tt := range []struct {
		name string
		in   s3control.ListCallerAccessGrantsInput
		want []string
	}{
		{"all, in creation order", s3control.ListCallerAccessGrantsInput{}, all},
		{"one a page", s3control.ListCallerAccessGrantsInput{MaxResults: 1}, all},
		{"three a page", s3control.ListCallerAccessGrantsInput{MaxResults: 3}, all},
		{"scope fragment", s3control.ListCallerAccessGrantsInput{GrantScope: aws.String("s3://ag-demo-bucket/prefix")}, all[:3]},
		{"scope with star", s3control.ListCallerAccessGrantsInput{GrantScope: aws.String("s3://ag-demo-bucket/prefixA/*")}, all[:2]},
		{"grants covering an object", s3control.ListCallerAccessGrantsInput{GrantScope: aws.String("s3://ag-demo-bucket/prefixA/sub/file.txt")}, all[:2]},
		{"bucket", s3control.ListCallerAccessGrantsInput{GrantScope: aws.String("s3://other-bucket")}, all[3:]},
		{"nothing there", s3control.ListCallerAccessGrantsInput{GrantScope: aws.String("s3://nothing/")}, nil},
		{"allowed by application: none are application grants", s3control.ListCallerAccessGrantsInput{AllowedByApplication: true}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if diff := cmp.Diff(tt.want, list(&in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	for _, tt := range []struct {
		name   string
		in     s3control.ListCallerAccessGrantsInput
		code   string
		status int
	}{
		{"scope not an S3 URI", s3control.ListCallerAccessGrantsInput{GrantScope: aws.String("ag-demo-bucket/prefixA")}, "InvalidRequest", 400},
		{"bad token", s3control.ListCallerAccessGrantsInput{NextToken: aws.String("not-a-token")}, "InvalidRequest", 400},
		{"page too large", s3control.ListCallerAccessGrantsInput{MaxResults: 1001}, "InvalidRequest", 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.AccountId = aws.String(wkA)
			_, err := c.ListCallerAccessGrants(t.Context(), &in)
			wantAPIError(t, err, tt.code, tt.status)
		})
	}
	// A's root has no grants of its own; B's dev user may not call it.
	if got := listAs(t, w, w.a); len(got) != 0 {
		t.Errorf("A's root lists %v", got)
	}
	_, err := w.control(w.dev).ListCallerAccessGrants(t.Context(), &s3control.ListCallerAccessGrantsInput{AccountId: aws.String(wkA)})
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
}

func listAs(t *testing.T, w *walkthrough, creds aws.Credentials) []types.ListCallerAccessGrantsEntry {
	t.Helper()
	out, err := w.control(creds).ListCallerAccessGrants(t.Context(), &s3control.ListCallerAccessGrantsInput{AccountId: aws.String(wkA)})
	if err != nil {
		t.Fatal(err)
	}
	return out.CallerAccessGrantsList
}

// TestGetAccessGrantsInstanceForPrefix finds the instance that covers a
// prefix: the bucket's owner's, with the caller's own account in the
// header.
func TestGetAccessGrantsInstanceForPrefix(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	w := newWalkthrough(t, env)
	ctx := t.Context()
	// B's own bucket, in B, which has no instance; and a bucket of A in
	// another region.
	if _, err := w.s3(w.b).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("b-own-bucket"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(wkRegion)}}); err != nil {
		t.Fatal(err)
	}
	west := env.Config(w.a)
	west.Region = "us-west-2"
	if _, err := s3.NewFromConfig(west, func(o *s3.Options) { o.UsePathStyle = true }).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("a-west-bucket"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: "us-west-2"}}); err != nil {
		t.Fatal(err)
	}
	ask := func(creds aws.Credentials, account, prefix string) (*s3control.GetAccessGrantsInstanceForPrefixOutput, error) {
		return w.control(creds).GetAccessGrantsInstanceForPrefix(ctx, &s3control.GetAccessGrantsInstanceForPrefixInput{
			AccountId: aws.String(account), S3Prefix: aws.String(prefix)})
	}
	for _, tt := range []struct {
		name    string
		creds   aws.Credentials
		account string
		prefix  string
		code    string
		status  int
	}{
		{"B's role, cross-account", w.consumer, wkB, "s3://ag-demo-bucket/prefixA/f.txt", "", 0},
		{"A's root, own account", w.a, wkA, "s3://ag-demo-bucket", "", 0},
		{"a prefix that does not exist yet", w.consumer, wkB, "s3://ag-demo-bucket/new/prefix*", "", 0},
		{"unknown bucket", w.b, wkB, "s3://no-such-bucket/x", "AccessGrantsInstanceNotExistsError", 404},
		// With no owner to ask, the question is about the caller's own
		// account, where B's role has no permission.
		{"unknown bucket, role without permission in its account", w.consumer, wkB, "s3://no-such-bucket/x", "AccessDenied", 403},
		{"owner without an instance", w.b, wkB, "s3://b-own-bucket/x", "AccessGrantsInstanceNotExistsError", 404},
		{"bucket in another region", w.a, wkA, "s3://a-west-bucket/x", "AccessGrantsInstanceNotExistsError", 404},
		{"B's user without identity policy", w.dev, wkB, "s3://ag-demo-bucket/prefixA/f.txt", "AccessDenied", 403},
		{"not an S3 URI", w.consumer, wkB, "ag-demo-bucket/prefixA", "InvalidRequest", 400},
		{"bad bucket name", w.consumer, wkB, "s3://A/x", "InvalidRequest", 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := ask(tt.creds, tt.account, tt.prefix)
			if tt.code != "" {
				wantAPIError(t, err, tt.code, tt.status)
				return
			}
			if err != nil || aws.ToString(out.AccessGrantsInstanceArn) != wkInstance || aws.ToString(out.AccessGrantsInstanceId) != "default" {
				t.Errorf("= %+v, %v; want %s", out, err, wkInstance)
			}
		})
	}
	// Without A's resource policy, B's role may not ask A's instance.
	if _, err := w.control(w.a).DeleteAccessGrantsInstanceResourcePolicy(ctx, &s3control.DeleteAccessGrantsInstanceResourcePolicyInput{AccountId: aws.String(wkA)}); err != nil {
		t.Fatal(err)
	}
	_, err := ask(w.consumer, wkB, "s3://ag-demo-bucket/prefixA/f.txt")
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
	// A location that does not cover the prefix: replace the default
	// location by one on prefixA.
	if _, err := w.control(w.a).DeleteAccessGrant(ctx, &s3control.DeleteAccessGrantInput{AccountId: aws.String(wkA), AccessGrantId: aws.String(w.grantID)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.control(w.a).DeleteAccessGrantsLocation(ctx, &s3control.DeleteAccessGrantsLocationInput{AccountId: aws.String(wkA), AccessGrantsLocationId: aws.String("default")}); err != nil {
		t.Fatal(err)
	}
	loc, err := w.control(w.a).CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: aws.String(wkA),
		LocationScope: aws.String("s3://ag-demo-bucket/prefixA/"), IAMRoleArn: aws.String(wkLocationRole)})
	if err != nil {
		t.Fatal(err)
	}
	testOutsideLocations(t, w, aws.ToString(loc.AccessGrantsLocationId))
	var got []string
	for _, p := range []string{"s3://ag-demo-bucket/prefixA/f.txt", "s3://ag-demo-bucket/prefixB/x", "s3://ag-demo-bucket"} {
		_, err := ask(w.a, wkA, p)
		got = append(got, fmt.Sprintf("%s %v", p, err == nil))
	}
	sort.Strings(got)
	want := []string{"s3://ag-demo-bucket false", "s3://ag-demo-bucket/prefixA/f.txt true", "s3://ag-demo-bucket/prefixB/x false"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("coverage by a prefix location (-want +got):\n%s", diff)
	}
}

// testOutsideLocations asks GetDataAccess for data outside every
// registered location (the instance now has only s3://ag-demo-bucket/prefixA/):
// no grant can cover it, so AccessDenied; data inside a grant on that
// location is vended with the location's role.
func testOutsideLocations(t *testing.T, w *walkthrough, locationID string) {
	ctx := t.Context()
	if _, err := w.control(w.a).CreateAccessGrant(ctx, &s3control.CreateAccessGrantInput{AccountId: aws.String(wkA),
		AccessGrantsLocationId:            aws.String(locationID),
		AccessGrantsLocationConfiguration: &types.AccessGrantsLocationConfiguration{S3SubPrefix: aws.String("*")},
		Grantee:                           &types.Grantee{GranteeType: types.GranteeTypeIam, GranteeIdentifier: aws.String(wkConsumerRole)},
		Permission:                        types.PermissionRead}); err != nil {
		t.Fatal(err)
	}
	w.putResourcePolicy(t)
	out, creds := w.mustDataAccess(t, w.consumer, "s3://ag-demo-bucket/prefixA/f.txt", types.PermissionRead)
	if got := aws.ToString(out.MatchedGrantTarget); got != "s3://ag-demo-bucket/prefixA/*" || !canGet(t, w.s3(creds), wkBucket, "prefixA/f.txt") {
		t.Errorf("grant on the prefix location matched %q", got)
	}
	for _, target := range []string{"s3://ag-demo-bucket/prefixB/secret.txt", "s3://ag-demo-bucket/top.txt", "s3://b-own-bucket/x"} {
		_, err := w.dataAccess(t, w.consumer, &s3control.GetDataAccessInput{Target: aws.String(target), Permission: types.PermissionRead})
		wantAPIMessage(t, err, "AccessDenied", http.StatusForbidden, "You do not have READ permissions to the requested S3 Prefix: "+target)
	}
}
