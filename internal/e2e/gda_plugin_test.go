package e2e

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/grantd/grantd/internal/apptest"
)

// grantsPlugin replays what the official S3 Access Grants client plugins
// (aws-s3-accessgrants-java-plugin, the boto3 plugin) do for each S3
// request: learn the caller's account (sts GetCallerIdentity), the
// bucket's region (s3 HeadBucket's x-amz-bucket-region, also on a 403),
// the instance that owns the data (GetAccessGrantsInstanceForPrefix with
// the caller's own account in the header; field 5 of its ARN is the
// owner), then GetDataAccess against the owner with privilege Default,
// caching the credentials by MatchedGrantTarget so later requests under
// the same grant make no call.
type grantsPlugin struct {
	t     *testing.T
	w     *walkthrough
	creds aws.Credentials
	// cache maps MatchedGrantTarget to credentials.
	cache map[string]aws.Credentials
	calls map[string]int
}

func (p *grantsPlugin) credentialsFor(bucket, key string, perm types.Permission) aws.Credentials {
	t := p.t
	ctx := t.Context()
	target := "s3://" + bucket + "/" + key
	for scope, c := range p.cache {
		if strings.HasSuffix(scope, "*") && strings.HasPrefix(target, strings.TrimSuffix(scope, "*")) || scope == target {
			return c
		}
	}
	who, err := stsClient(p.w.env, p.creds).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	p.calls["GetCallerIdentity"]++
	if err != nil {
		t.Fatal(err)
	}
	// HeadBucket with the caller's own credentials: they have no S3
	// permission in A, so it is a 403, which still names the region.
	_, err = p.w.s3(p.creds).HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
	p.calls["HeadBucket"]++
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusForbidden {
		t.Fatalf("HeadBucket as the consumer: %v, want 403", err)
	}
	region := re.Response.Header.Get("x-amz-bucket-region")
	if region != wkRegion {
		t.Fatalf("HeadBucket x-amz-bucket-region = %q, want %s", region, wkRegion)
	}
	c := control(p.w.env, p.creds, region)
	inst, err := c.GetAccessGrantsInstanceForPrefix(ctx, &s3control.GetAccessGrantsInstanceForPrefixInput{
		AccountId: who.Account, S3Prefix: aws.String(target)})
	p.calls["GetAccessGrantsInstanceForPrefix"]++
	if err != nil {
		t.Fatalf("GetAccessGrantsInstanceForPrefix: %v", err)
	}
	owner := strings.Split(aws.ToString(inst.AccessGrantsInstanceArn), ":")[4]
	out, err := c.GetDataAccess(ctx, &s3control.GetDataAccessInput{AccountId: aws.String(owner), Target: aws.String(target),
		Permission: perm, Privilege: types.PrivilegeDefault})
	p.calls["GetDataAccess"]++
	if err != nil {
		t.Fatalf("GetDataAccess %s: %v", target, err)
	}
	creds := vended(out)
	p.cache[aws.ToString(out.MatchedGrantTarget)] = creds
	return creds
}

// TestDataAccessClientPluginFlow drives grantd the way the S3 Access
// Grants client plugins do, with aws-sdk-go-v2 clients.
func TestDataAccessClientPluginFlow(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	w := newWalkthrough(t, env)
	p := &grantsPlugin{t: t, w: w, creds: w.consumer, cache: map[string]aws.Credentials{}, calls: map[string]int{}}
	read := func(key string) string {
		creds := p.credentialsFor(wkBucket, key, types.PermissionRead)
		out, err := w.s3(creds).GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(wkBucket), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("GetObject %s with plugin credentials: %v", key, err)
		}
		defer out.Body.Close()
		b, _ := io.ReadAll(out.Body)
		return string(b)
	}
	if got := read("prefixA/f.txt"); got != "data of prefixA/f.txt" {
		t.Errorf("prefixA/f.txt = %q", got)
	}
	// Two more reads under the grant: served from the cache.
	read("prefixA/sub/g.txt")
	read("prefixA-2024/report.txt")
	want := map[string]int{"GetCallerIdentity": 1, "HeadBucket": 1, "GetAccessGrantsInstanceForPrefix": 1, "GetDataAccess": 1}
	for op, n := range want {
		if p.calls[op] != n {
			t.Errorf("%s called %d times, want %d (calls %v)", op, p.calls[op], n, p.calls)
		}
	}
	if _, ok := p.cache["s3://ag-demo-bucket/prefixA*"]; !ok || len(p.cache) != 1 {
		t.Errorf("cache keys = %v, want the grant's scope", p.cache)
	}
	// A key outside the grant: GetDataAccess refuses it.
	_, err := control(env, w.consumer, wkRegion).GetDataAccess(t.Context(), &s3control.GetDataAccessInput{AccountId: aws.String(wkA),
		Target: aws.String("s3://" + wkBucket + "/prefixB/secret.txt"), Permission: types.PermissionRead, Privilege: types.PrivilegeDefault})
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
}
