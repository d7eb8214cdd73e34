package e2e

import (
	"bytes"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/grantd/grantd/internal/apptest"
)

// TestS3UpstreamBlobStore runs a node whose object bytes live in an
// upstream S3 service (--blob s3://…) — here another grantd node, which is
// one — and checks that objects round-trip through it and that their
// blobs appear under the configured prefix and go away with them.
func TestS3UpstreamBlobStore(t *testing.T) {
	upstream := apptest.Start(t, apptest.Options{})
	up := s3Client(upstream, upstream.Root(), pathStyle)
	mustCreateBucket(t, up, "blobs")
	node := apptest.Start(t, apptest.Options{
		Blob:            "s3://blobs/node-b?endpoint=" + upstream.Endpoint,
		BlobAccessKeyID: apptest.RootAccessKeyID, BlobSecretAccessKey: apptest.RootSecret,
	})
	c := s3Client(node, node.Root(), virtualHosted)
	ctx := t.Context()
	mustCreateBucket(t, c, "data")
	small := []byte("kept upstream")
	mustPut(t, c, "data", "small", small)
	large := randomBytes(t, 9*mib+3) // above the driver's 8 MiB part size
	mustPut(t, c, "data", "large", large)
	for key, want := range map[string][]byte{"small": small, "large": large} {
		if got, err := getBody(t, c, "data", key); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s through the upstream: %d bytes, %v", key, len(got), err)
		}
	}
	blobs := func() []string {
		out, err := up.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("blobs")})
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, o := range out.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
		return keys
	}
	keys := blobs()
	if len(keys) != 2 {
		t.Fatalf("upstream holds %v, want the 2 objects' blobs", keys)
	}
	for _, k := range keys {
		if !strings.HasPrefix(k, "node-b/obj/") {
			t.Errorf("upstream key %q is not under node-b/obj/", k)
		}
	}
	for _, k := range []string{"small", "large"} {
		if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("data"), Key: aws.String(k)}); err != nil {
			t.Fatal(err)
		}
	}
	if left := blobs(); len(left) != 0 {
		t.Errorf("blobs left upstream after the deletes: %v", left)
	}
}
