package e2e

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/grantd/grantd/internal/apptest"
)

const accountB = "444455556666"

// sharedPolicy lets account B read objects under pub/ and list with the
// prefix pub/, denies it secret*, and lets anyone read anon/.
const sharedPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ReadPub", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"},
    {"Sid": "ListPub", "Effect": "Allow", "Principal": {"AWS": "444455556666"},
     "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::shared",
     "Condition": {"StringLike": {"s3:prefix": "pub/*"}}},
    {"Sid": "NoSecrets", "Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/pub/secret*"},
    {"Sid": "Tagged", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::shared/inbox/*",
     "Condition": {"StringEquals": {"s3:RequestObjectTag/from": "b"}}},
    {"Sid": "Anonymous", "Effect": "Allow", "Principal": "*",
     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/anon/*"}
  ]
}`

// TestS3CrossAccount checks AWS's cross-account rule with two accounts'
// root users: the bucket owner's policy must allow what account B's root
// (implicitly allowed in its own account) does in account A's bucket.
func TestS3CrossAccount(t *testing.T) {
	backends(t, func(t *testing.T, pg bool) {
		env := apptest.Start(t, apptest.Options{Postgres: pg})
		a := s3Client(env, env.Root(), pathStyle)
		b := s3Client(env, env.NewAccount(t, accountB), virtualHosted)
		ctx := t.Context()
		mustCreateBucket(t, a, "shared")
		for _, k := range []string{"pub/doc.txt", "pub/secret.txt", "private.txt", "anon/hello.txt"} {
			mustPut(t, a, "shared", k, []byte("content of "+k))
		}

		// Without a bucket policy account B gets nothing, and a missing key
		// is AccessDenied, not NoSuchKey: B may not list the bucket.
		_, err := getBody(t, b, "shared", "pub/doc.txt")
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
		_, err = getBody(t, b, "shared", "pub/missing")
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)

		if _, err := a.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("shared"), Policy: aws.String(sharedPolicy)}); err != nil {
			t.Fatal(err)
		}
		got, err := a.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("shared")})
		if err != nil || aws.ToString(got.Policy) != sharedPolicy {
			t.Errorf("GetBucketPolicy returned a different document: %v", err)
		}
		if body, err := getBody(t, b, "shared", "pub/doc.txt"); err != nil || string(body) != "content of pub/doc.txt" {
			t.Errorf("B reading pub/doc.txt: %q, %v", body, err)
		}
		_, err = getBody(t, b, "shared", "pub/secret.txt")
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden) // explicit Deny
		_, err = getBody(t, b, "shared", "pub/missing")
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden) // ListBucket needs s3:prefix pub/*
		if _, err := b.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("shared"), Prefix: aws.String("pub/")}); err != nil {
			t.Errorf("B listing pub/: %v", err)
		}
		_, err = b.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("shared")})
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
		_, err = b.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("shared"), Key: aws.String("inbox/x"), Body: strings.NewReader("x")})
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden) // no from=b tag
		if _, err := b.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("shared"), Key: aws.String("inbox/x"), Body: strings.NewReader("x"), Tagging: aws.String("from=b")}); err != nil {
			t.Errorf("B writing inbox/x with tag from=b: %v", err)
		}
		_, err = b.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("shared")})
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
		_, err = b.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("shared")})
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
		head, err := b.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("shared")})
		wantAPIError(t, err, "Forbidden", http.StatusForbidden)
		_ = head

		// x-amz-expected-bucket-owner guards against the wrong owner.
		_, err = b.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("shared"), Key: aws.String("pub/doc.txt"), ExpectedBucketOwner: aws.String(accountB)})
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
		if _, err := getBodyWith(t, b, &s3.GetObjectInput{Bucket: aws.String("shared"), Key: aws.String("pub/doc.txt"), ExpectedBucketOwner: aws.String(apptest.Account)}); err != nil {
			t.Errorf("GetObject expecting the right owner: %v", err)
		}

		// B's buckets are its own: A's bucket name is taken for B.
		_, err = b.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("shared")})
		wantAPIError(t, err, "BucketAlreadyExists", http.StatusConflict)
		mustCreateBucket(t, b, "b-own")
		list, err := b.ListBuckets(ctx, &s3.ListBucketsInput{})
		if err != nil || len(list.Buckets) != 1 || aws.ToString(list.Buckets[0].Name) != "b-own" {
			t.Errorf("B's ListBuckets = %+v, %v", list, err)
		}
	})
}

// TestS3HeadBucketRegionOn403 checks that HeadBucket names the bucket's
// region on a 403 too, as S3 does (the Access Grants plugins rely on it).
func TestS3HeadBucketRegionOn403(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	a := s3Client(env, env.Root(), pathStyle)
	mustCreateBucket(t, a, "region-probe")
	bCreds := env.NewAccount(t, accountB)
	resp := rawRequest(t, env, bCreds, "HEAD", "/region-probe", nil, nil)
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("x-amz-bucket-region") != apptest.Region {
		t.Errorf("HEAD by another account: status %d, x-amz-bucket-region %q", resp.StatusCode, resp.Header.Get("x-amz-bucket-region"))
	}
}

func TestS3OwnerPolicies(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	a := s3Client(env, env.Root(), pathStyle)
	ctx := t.Context()
	mustCreateBucket(t, a, "locked")
	mustPut(t, a, "locked", "k", []byte("v"))
	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":["s3:GetObject","s3:PutBucketPolicy","s3:DeleteBucketPolicy"],"Resource":["arn:aws:s3:::locked","arn:aws:s3:::locked/*"]}]}`
	if _, err := a.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("locked"), Policy: aws.String(deny)}); err != nil {
		t.Fatal(err)
	}
	// An explicit Deny binds the owner's root user too…
	_, err := getBody(t, a, "locked", "k")
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
	// …except for the policy operations, so the account cannot lock
	// itself out.
	if _, err := a.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String("locked")}); err != nil {
		t.Fatalf("root DeleteBucketPolicy under a Deny: %v", err)
	}
	if _, err := getBody(t, a, "locked", "k"); err != nil {
		t.Errorf("after the policy's removal: %v", err)
	}
	malformed := []struct{ policy, msg string }{
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}]}`, "Policy has invalid resource"},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::locked"}]}`, "Action does not apply to any resource(s) in statement"},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::locked/*"}]}`, "Missing required field Principal"},
		{`not json`, "Policies must be valid JSON and the first byte must be '{'"},
	}
	for _, m := range malformed {
		_, err := a.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("locked"), Policy: aws.String(m.policy)})
		wantAPIError(t, err, "MalformedPolicy", http.StatusBadRequest)
		if err != nil && !strings.Contains(err.Error(), m.msg) {
			t.Errorf("MalformedPolicy message: %v, want %q", err, m.msg)
		}
	}
}

func TestS3Anonymous(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	a := s3Client(env, env.Root(), pathStyle)
	ctx := t.Context()
	mustCreateBucket(t, a, "public-ish")
	mustPut(t, a, "public-ish", "anon/hello.txt", []byte("hello anonymous"))
	mustPut(t, a, "public-ish", "private.txt", []byte("private"))
	get := func(path string) (int, string) {
		resp, err := env.HTTPClient().Get(env.Endpoint + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/public-ish/anon/hello.txt"); code != http.StatusForbidden {
		t.Errorf("anonymous GET without a policy: %d", code)
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::public-ish/anon/*"}]}`
	if _, err := a.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("public-ish"), Policy: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	if code, body := get("/public-ish/anon/hello.txt"); code != 200 || body != "hello anonymous" {
		t.Errorf("anonymous GET allowed by Principal *: %d %q", code, body)
	}
	for _, path := range []string{"/public-ish/private.txt", "/public-ish/anon/missing", "/public-ish", "/"} {
		if code, body := get(path); code != http.StatusForbidden || !strings.Contains(body, "<Code>AccessDenied</Code>") {
			t.Errorf("anonymous GET %s: %d %s", path, code, body)
		}
	}
	if code, _ := get("/public-ish/anon/hello.txt?response-content-type=text/html"); code != http.StatusBadRequest {
		t.Errorf("anonymous response-content-type: %d, want 400", code)
	}
}

func TestS3Presigned(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	a := s3Client(env, env.Root(), pathStyle)
	mustCreateBucket(t, a, "presign")
	presign := s3.NewPresignClient(a, func(o *s3.PresignOptions) { o.Expires = 10 * time.Minute })
	put, err := presign.PresignPutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("presign"), Key: aws.String("up.txt")})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(t.Context(), put.Method, put.URL, bytes.NewReader([]byte("uploaded by URL")))
	resp, err := env.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("presigned PUT: %d", resp.StatusCode)
	}
	get, err := presign.PresignGetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("presign"), Key: aws.String("up.txt"),
		ResponseContentDisposition: aws.String("attachment; filename=x.txt")})
	if err != nil {
		t.Fatal(err)
	}
	resp, err = env.HTTPClient().Get(get.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "uploaded by URL" || resp.Header.Get("Content-Disposition") != "attachment; filename=x.txt" {
		t.Errorf("presigned GET: %d %q %q", resp.StatusCode, body, resp.Header.Get("Content-Disposition"))
	}
	// A tampered URL fails the signature.
	resp, err = env.HTTPClient().Get(strings.Replace(get.URL, "up.txt", "other.txt", 1))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("tampered presigned URL: %d", resp.StatusCode)
	}
}
