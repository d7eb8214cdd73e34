package e2e

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/smithy-go"

	"github.com/grantd/grantd/internal/apptest"
)

// The walkthrough of AWS's cross-account S3 Access Grants documentation
// (and of examples/cross-account): A owns the bucket and the instance, B's
// role data-consumer-1 reads through a grant.
const (
	wkA            = apptest.Account // 111122223333, the node's management account
	wkB            = "444455556666"
	wkRegion       = "us-east-2"
	wkBucket       = "ag-demo-bucket"
	wkInstance     = "arn:aws:s3:us-east-2:111122223333:access-grants/default"
	wkLocationRole = "arn:aws:iam::111122223333:role/ag-location-role"
	wkConsumerRole = "arn:aws:iam::444455556666:role/data-consumer-1"
)

// walkthrough is a node with the walkthrough set up through the public
// APIs, with the documents of examples/cross-account.
type walkthrough struct {
	env *apptest.Env
	iam *iamFixture
	// a and b are the accounts' root credentials, dev a user of B allowed
	// to assume data-consumer-1, consumer a session of that role.
	a, b, dev, consumer aws.Credentials
	grantID             string
}

// exampleDoc reads a policy document of examples/cross-account.
func exampleDoc(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "cross-account", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// newWalkthrough runs steps 1–4 of the walkthrough on env.
func newWalkthrough(t *testing.T, env *apptest.Env) *walkthrough {
	t.Helper()
	w := &walkthrough{env: env, iam: newIAM(t, env), a: env.Root()}
	w.b = w.iam.newAccount(wkB)
	ctx := t.Context()

	// A: the bucket with data, and the location role.
	s := w.s3(w.a)
	if _, err := s.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(wkBucket),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(wkRegion)}}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"prefixA/f.txt", "prefixA/sub/g.txt", "prefixA-2024/report.txt", "prefixB/secret.txt", "top.txt"} {
		mustPut(t, s, wkBucket, k, []byte("data of "+k))
	}
	w.iam.role(wkA, "ag-location-role", exampleDoc(t, "trust.json"), roleOpts{}, exampleDoc(t, "location-role-policy.json"))

	// Steps 1 and 2 (A): instance, default location, resource policy.
	c := w.control(w.a)
	acct := aws.String(wkA)
	if _, err := c.CreateAccessGrantsInstance(ctx, &s3control.CreateAccessGrantsInstanceInput{AccountId: acct}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: acct,
		LocationScope: aws.String("s3://"), IAMRoleArn: aws.String(wkLocationRole)}); err != nil {
		t.Fatal(err)
	}
	w.putResourcePolicy(t)

	// Step 3 (B): the consumer role and its identity policy.
	w.iam.role(wkB, "data-consumer-1", exampleDoc(t, "consumer-trust.json"), roleOpts{})
	w.iam.putRolePolicy(wkB, "data-consumer-1", "ag", exampleDoc(t, "consumer-policy.json"))

	// Step 4 (A): the grant.
	w.grantID = w.grant(t, wkBucket+"/prefixA*", types.PermissionRead, wkConsumerRole, "")
	// Root users may not assume roles: B's user dev does.
	w.dev = w.iam.user(wkB, "dev", doc(allow("sts:AssumeRole", wkConsumerRole)))
	w.consumer = assume(t, env, w.dev, wkConsumerRole, "c1")
	return w
}

func (w *walkthrough) putResourcePolicy(t *testing.T) {
	t.Helper()
	if _, err := w.control(w.a).PutAccessGrantsInstanceResourcePolicy(t.Context(), &s3control.PutAccessGrantsInstanceResourcePolicyInput{
		AccountId: aws.String(wkA), Policy: aws.String(exampleDoc(t, "resource-policy.json"))}); err != nil {
		t.Fatal(err)
	}
}

// grant creates a grant on the default location and returns its ID.
// prefixType is "" or "Object".
func (w *walkthrough) grant(t testing.TB, sub string, perm types.Permission, grantee string, prefixType types.S3PrefixType) string {
	t.Helper()
	out, err := w.control(w.a).CreateAccessGrant(t.Context(), &s3control.CreateAccessGrantInput{AccountId: aws.String(wkA),
		AccessGrantsLocationId:            aws.String("default"),
		AccessGrantsLocationConfiguration: &types.AccessGrantsLocationConfiguration{S3SubPrefix: aws.String(sub)},
		Grantee:                           &types.Grantee{GranteeType: types.GranteeTypeIam, GranteeIdentifier: aws.String(grantee)},
		Permission:                        perm, S3PrefixType: prefixType})
	if err != nil {
		t.Fatalf("create grant %s %s for %s: %v", sub, perm, grantee, err)
	}
	return aws.ToString(out.AccessGrantId)
}

// control is an S3 Control client in the walkthrough's region.
func (w *walkthrough) control(creds aws.Credentials) *s3control.Client {
	return control(w.env, creds, wkRegion)
}

// s3 is an S3 client in the walkthrough's region.
func (w *walkthrough) s3(creds aws.Credentials) *s3.Client {
	cfg := w.env.Config(creds)
	cfg.Region = wkRegion
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
}

// dataAccess calls GetDataAccess against A's instance as creds.
func (w *walkthrough) dataAccess(t testing.TB, creds aws.Credentials, in *s3control.GetDataAccessInput) (*s3control.GetDataAccessOutput, error) {
	t.Helper()
	in.AccountId = aws.String(wkA)
	return w.control(creds).GetDataAccess(t.Context(), in)
}

// mustDataAccess is dataAccess that must succeed; it returns the vended
// credentials too.
func (w *walkthrough) mustDataAccess(t testing.TB, creds aws.Credentials, target string, perm types.Permission) (*s3control.GetDataAccessOutput, aws.Credentials) {
	t.Helper()
	out, err := w.dataAccess(t, creds, &s3control.GetDataAccessInput{Target: aws.String(target), Permission: perm})
	if err != nil {
		t.Fatalf("GetDataAccess %s %s: %v", target, perm, err)
	}
	return out, vended(out)
}

// vended turns GetDataAccess's credentials into SDK credentials.
func vended(out *s3control.GetDataAccessOutput) aws.Credentials {
	c := out.Credentials
	return aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken: aws.ToString(c.SessionToken)}
}

// canGet reports whether creds may read bucket/key: true on success, false
// on AccessDenied; anything else fails the test.
func canGet(t testing.TB, c *s3.Client, bucket, key string) bool {
	t.Helper()
	out, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err == nil {
		out.Body.Close()
		return true
	}
	return accessDenied(t, err, "GetObject "+bucket+"/"+key)
}

// canHead reports whether creds may read bucket/key's metadata (HeadObject
// is authorized as s3:GetObject). A HEAD error has no body: the status
// tells.
func canHead(t testing.TB, c *s3.Client, bucket, key string) bool {
	t.Helper()
	_, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err == nil {
		return true
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() == http.StatusForbidden {
		return false
	}
	t.Fatalf("HeadObject %s/%s: %v, want success or 403", bucket, key, err)
	return false
}

// canPut reports whether creds may write bucket/key.
func canPut(t testing.TB, c *s3.Client, bucket, key string) bool {
	t.Helper()
	_, err := c.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader("new")})
	return err == nil || accessDenied(t, err, "PutObject "+bucket+"/"+key)
}

// canList reports whether creds may list bucket under prefix ("" for the
// whole bucket).
func canList(t testing.TB, c *s3.Client, bucket, prefix string) bool {
	t.Helper()
	in := &s3.ListObjectsV2Input{Bucket: aws.String(bucket)}
	if prefix != "" {
		in.Prefix = aws.String(prefix)
	}
	_, err := c.ListObjectsV2(t.Context(), in)
	return err == nil || accessDenied(t, err, "ListObjectsV2 "+bucket+" prefix "+prefix)
}

// accessDenied returns false when err is S3's AccessDenied (403) and fails
// the test for any other error.
func accessDenied(t testing.TB, err error, what string) bool {
	t.Helper()
	var ae smithy.APIError
	var re *awshttp.ResponseError
	if errors.As(err, &ae) && ae.ErrorCode() == "AccessDenied" && errors.As(err, &re) && re.HTTPStatusCode() == http.StatusForbidden {
		return false
	}
	t.Fatalf("%s: %v, want success or AccessDenied (403)", what, err)
	return false
}

// within fails t unless cond holds within d, polling; it returns how long
// it took.
func within(t *testing.T, d time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > d {
			t.Fatalf("%s: not within %s", what, d)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start)
}

// updateRoleMax sets a role's MaxSessionDuration.
func updateRoleMax(role string, seconds int32) *awsiam.UpdateRoleInput {
	return &awsiam.UpdateRoleInput{RoleName: aws.String(role), MaxSessionDuration: aws.Int32(seconds)}
}

// updateTrust replaces a role's trust policy.
func updateTrust(role, trust string) *awsiam.UpdateAssumeRolePolicyInput {
	return &awsiam.UpdateAssumeRolePolicyInput{RoleName: aws.String(role), PolicyDocument: aws.String(trust)}
}

// readAll reads a response body.
func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
