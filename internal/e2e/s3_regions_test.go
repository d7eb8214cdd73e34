package e2e

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/grantd/grantd/internal/apptest"
)

func TestS3Regions(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ctx := t.Context()
	east := s3Client(env, env.Root(), pathStyle)
	westCfg := env.Config(env.Root())
	westCfg.Region = "eu-west-1"
	west := s3.NewFromConfig(westCfg, func(o *s3.Options) { o.UsePathStyle = true })
	config := func(region string) *types.CreateBucketConfiguration {
		return &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(region)}
	}

	mustCreateBucket(t, east, "in-east")
	// us-east-1 answers a re-create of one's own bucket with 200, for
	// legacy compatibility; other regions say BucketAlreadyOwnedByYou.
	if _, err := east.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("in-east")}); err != nil {
		t.Errorf("re-create in us-east-1: %v", err)
	}
	if _, err := west.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("in-west"), CreateBucketConfiguration: config("eu-west-1")}); err != nil {
		t.Fatal(err)
	}
	_, err := west.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("in-west"), CreateBucketConfiguration: config("eu-west-1")})
	wantAPIError(t, err, "BucketAlreadyOwnedByYou", http.StatusConflict)

	bad := []struct {
		name   string
		client *s3.Client
		config *types.CreateBucketConfiguration
		code   string
	}{
		{"no constraint outside us-east-1", west, nil, "IllegalLocationConstraintException"},
		{"constraint of another region", east, config("eu-west-1"), "IllegalLocationConstraintException"},
		{"explicit us-east-1", east, config("us-east-1"), "InvalidLocationConstraint"},
		{"not a region", west, config("mars-north-9x"), "InvalidLocationConstraint"},
	}
	for _, tt := range bad {
		_, err := tt.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("never-made"), CreateBucketConfiguration: tt.config})
		wantAPIError(t, err, tt.code, http.StatusBadRequest)
	}

	for bucket, want := range map[string]string{"in-east": "", "in-west": "eu-west-1"} {
		loc, err := east.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(bucket)})
		if err != nil || string(loc.LocationConstraint) != want {
			t.Errorf("GetBucketLocation(%s) = %q, %v; want %q", bucket, loc.LocationConstraint, err, want)
		}
	}
	list, err := east.ListBuckets(ctx, &s3.ListBucketsInput{BucketRegion: aws.String("eu-west-1")})
	if err != nil || len(list.Buckets) != 1 || aws.ToString(list.Buckets[0].BucketRegion) != "eu-west-1" {
		t.Errorf("ListBuckets in eu-west-1 = %+v, %v", list, err)
	}

	// A request signed for another region than the bucket's is refused
	// with the bucket's region, which SDKs use to redirect.
	_, err = east.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("in-west"), Key: aws.String("k"), Body: bytes.NewReader(nil)})
	wantAPIError(t, err, "AuthorizationHeaderMalformed", http.StatusBadRequest)
	if err != nil && !strings.Contains(err.Error(), "expecting 'eu-west-1'") {
		t.Errorf("wrong-region message: %v", err)
	}
	resp := rawRequest(t, env, env.Root(), "HEAD", "/in-west", nil, nil)
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("x-amz-bucket-region") != "eu-west-1" {
		t.Errorf("HEAD in the wrong region: %d, region %q", resp.StatusCode, resp.Header.Get("x-amz-bucket-region"))
	}
	if _, err := west.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("in-west"), Key: aws.String("k"), Body: bytes.NewReader([]byte("x"))}); err != nil {
		t.Errorf("PutObject in the right region: %v", err)
	}
	// A copy's source may be in another region.
	if _, err := east.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("in-east"), Key: aws.String("from-west"), CopySource: aws.String("in-west/k")}); err != nil {
		t.Errorf("cross-region CopyObject: %v", err)
	}
}

// TestS3KeepAlive puts CopyObject, UploadPartCopy and
// CompleteMultipartUpload on the path where S3 has committed a 200 before
// the outcome is known: results and errors then arrive in the body, and
// the SDK must read both correctly.
func TestS3KeepAlive(t *testing.T) {
	env := apptest.Start(t, apptest.Options{S3KeepAliveAfter: -1})
	c := s3Client(env, env.Root(), pathStyle)
	ctx := t.Context()
	mustCreateBucket(t, c, "slow")
	mustPut(t, c, "slow", "src", []byte("copied bytes"))
	cp, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("slow"), Key: aws.String("dst"), CopySource: aws.String("slow/src")})
	if err != nil || aws.ToString(cp.CopyObjectResult.ETag) == "" {
		t.Fatalf("CopyObject = %+v, %v", cp, err)
	}
	if got, _ := getBody(t, c, "slow", "dst"); string(got) != "copied bytes" {
		t.Errorf("copy = %q", got)
	}
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("slow"), Key: aws.String("dst2"), CopySource: aws.String("slow/missing")})
	// The SDK turns an error in a 200 body into status 500 (retryable).
	wantAPIError(t, err, "NoSuchKey", http.StatusInternalServerError)

	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("slow"), Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	pc, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("slow"), Key: aws.String("mp"), UploadId: up.UploadId, PartNumber: aws.Int32(1), CopySource: aws.String("slow/src")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("slow"), Key: aws.String("mp"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: aws.String(`"ffffffffffffffffffffffffffffffff"`)}}}})
	wantAPIError(t, err, "InvalidPart", http.StatusInternalServerError)
	done, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("slow"), Key: aws.String("mp"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: pc.CopyPartResult.ETag}}}})
	if err != nil || !strings.HasSuffix(aws.ToString(done.ETag), `-1"`) {
		t.Fatalf("CompleteMultipartUpload = %+v, %v", done, err)
	}
}
