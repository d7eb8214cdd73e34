package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/grantd/grantd/internal/apptest"
)

// TestS3IdentityAndSessionPolicies runs S3 requests as an IAM user and as
// role sessions made with STS: the user's identity policy, the role's, a
// session policy that narrows the role, and a bucket policy Deny all take
// part in each decision.
func TestS3IdentityAndSessionPolicies(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ctx := t.Context()
	root := s3Client(env, env.Root(), pathStyle)
	mustCreateBucket(t, root, "sess")
	for _, k := range []string{"pub/a", "private/b"} {
		mustPut(t, root, "sess", k, []byte(k))
	}
	aliceCreds, roleARN := setupReaderRole(t, env)
	alice := s3Client(env, aliceCreds, pathStyle)
	if _, err := getBody(t, alice, "sess", "pub/a"); err != nil {
		t.Errorf("alice reading pub/a (her identity policy allows it): %v", err)
	}
	_, err := getBody(t, alice, "sess", "private/b")
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
	if err != nil && !strings.Contains(err.Error(), "because no identity-based policy allows the s3:GetObject action") {
		t.Errorf("denial message: %v", err)
	}

	assume := func(sessionPolicy string) *s3.Client {
		t.Helper()
		in := &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s3test")}
		if sessionPolicy != "" {
			in.Policy = aws.String(sessionPolicy)
		}
		out, err := sts.NewFromConfig(env.Config(aliceCreds)).AssumeRole(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		c := out.Credentials
		return s3Client(env, aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey), SessionToken: aws.ToString(c.SessionToken)}, virtualHosted)
	}
	full := assume("")
	if _, err := getBody(t, full, "sess", "private/b"); err != nil {
		t.Errorf("role session reading private/b: %v", err)
	}
	if _, err := full.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sess"), Key: aws.String("pub/new"), Body: strings.NewReader("n")}); err != nil {
		t.Errorf("role session writing: %v", err)
	}
	_, err = full.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("sess"), Key: aws.String("pub/new")})
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden) // the role does not allow it

	narrow := assume(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::sess/pub/*"}]}`)
	if _, err := getBody(t, narrow, "sess", "pub/a"); err != nil {
		t.Errorf("narrowed session reading pub/a: %v", err)
	}
	_, err = getBody(t, narrow, "sess", "private/b")
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden) // outside the session policy
	_, err = narrow.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sess"), Key: aws.String("pub/x"), Body: strings.NewReader("x")})
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden) // the session policy does not allow it
	_, err = narrow.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("sess"), Key: aws.String("pub/a")})
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden) // the session allows it, the role does not
	_, err = getBody(t, narrow, "sess", "pub/missing")
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden) // no s3:ListBucket in the session
	_, err = getBody(t, full, "sess", "pub/missing")
	wantAPIError(t, err, "NoSuchKey", http.StatusNotFound) // the role may list

	// A bucket policy Deny binds sessions and users alike.
	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"` + roleARN + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::sess/pub/*"}]}`
	if _, err := root.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("sess"), Policy: aws.String(deny)}); err != nil {
		t.Fatal(err)
	}
	_, err = getBody(t, full, "sess", "pub/a")
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
	if _, err := getBody(t, alice, "sess", "pub/a"); err != nil {
		t.Errorf("alice is not the role: %v", err)
	}
}

// setupReaderRole makes, through the IAM API, the user alice (who may
// assume the role reader and read sess/pub/*) with an access key, and the
// role reader (trusting the account; it may get, put and list in sess).
func setupReaderRole(t *testing.T, env *apptest.Env) (aws.Credentials, string) {
	t.Helper()
	ctx := t.Context()
	admin := iam.NewFromConfig(env.Config(env.Root()))
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	roleARN := "arn:aws:iam::" + apptest.Account + ":role/reader"
	must(admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}))
	must(admin.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"` + roleARN + `"},
		 {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::sess/pub/*"}]}`)}))
	key, err := admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	aliceCreds := aws.Credentials{AccessKeyID: aws.ToString(key.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(key.AccessKey.SecretAccessKey)}
	must(admin.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("reader"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + apptest.Account + `:root"},"Action":"sts:AssumeRole"}]}`)}))
	must(admin.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("reader"), PolicyName: aws.String("s3"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:ListBucket"],"Resource":["arn:aws:s3:::sess","arn:aws:s3:::sess/*"]}]}`)}))

	return aliceCreds, roleARN
}
