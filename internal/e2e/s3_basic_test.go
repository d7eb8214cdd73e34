package e2e

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/apptest"
)

// TestS3ObjectLifecycle runs the everyday operations through both
// addressing styles on both metadata stores.
func TestS3ObjectLifecycle(t *testing.T) {
	backends(t, func(t *testing.T, pg bool) {
		env := apptest.Start(t, apptest.Options{Postgres: pg})
		for _, a := range []addressing{pathStyle, virtualHosted} {
			t.Run(a.String(), func(t *testing.T) {
				c := s3Client(env, env.Root(), a)
				ctx := t.Context()
				bucket := map[addressing]string{pathStyle: "path-bucket", virtualHosted: "virtual.bucket"}[a]
				mustCreateBucket(t, c, bucket)
				head, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
				if err != nil {
					t.Fatal(err)
				}
				if got := aws.ToString(head.BucketRegion); got != apptest.Region {
					t.Errorf("HeadBucket region = %q", got)
				}
				body := []byte("hello, grantd")
				put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/hello.txt"),
					Body: bytes.NewReader(body), ContentType: aws.String("text/plain"), Metadata: map[string]string{"Color": "blue"},
					CacheControl: aws.String("max-age=60"), Tagging: aws.String("a=1&b=two")})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := aws.ToString(put.ETag), `"ab3a6c9f3e1c5fb4d0bd12fd7fd1c0d2"`; len(got) != len(want) {
					t.Errorf("ETag = %s", got)
				}
				got, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/hello.txt")})
				if err != nil {
					t.Fatal(err)
				}
				data := new(bytes.Buffer)
				data.ReadFrom(got.Body)
				got.Body.Close()
				if !bytes.Equal(data.Bytes(), body) {
					t.Errorf("body = %q", data)
				}
				if aws.ToString(got.ContentType) != "text/plain" || got.Metadata["color"] != "blue" ||
					aws.ToString(got.CacheControl) != "max-age=60" || aws.ToInt32(got.TagCount) != 2 ||
					aws.ToString(got.ETag) != aws.ToString(put.ETag) || aws.ToInt64(got.ContentLength) != int64(len(body)) {
					t.Errorf("GetObject headers: %+v", got)
				}
				list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Delimiter: aws.String("/")})
				if err != nil {
					t.Fatal(err)
				}
				if len(list.CommonPrefixes) != 1 || aws.ToString(list.CommonPrefixes[0].Prefix) != "dir/" || len(list.Contents) != 0 {
					t.Errorf("ListObjectsV2 = %+v", list)
				}
				if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/hello.txt")}); err != nil {
					t.Fatal(err)
				}
				_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/hello.txt")})
				wantAPIError(t, err, "NoSuchKey", http.StatusNotFound)
				if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}); err != nil {
					t.Fatal(err)
				}
				buckets, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(0, len(buckets.Buckets)); diff != "" {
					t.Errorf("buckets left: %v", buckets.Buckets)
				}
			})
		}
	})
}

// TestS3BucketReads covers the bucket reads clients make in passing:
// versioning (never enabled), ACLs (the owner's FULL_CONTROL under
// BucketOwnerEnforced), paged ListBuckets, and idempotent deletes.
func TestS3BucketReads(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := s3Client(env, env.Root(), pathStyle)
	ctx := t.Context()
	for _, b := range []string{"reads-a", "reads-b", "reads-c", "other"} {
		mustCreateBucket(t, c, b)
	}
	mustPut(t, c, "reads-a", "k", []byte("v"))
	v, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("reads-a")})
	if err != nil || v.Status != "" || v.MFADelete != "" {
		t.Errorf("GetBucketVersioning = %+v, %v; want never enabled", v, err)
	}
	for name, get := range map[string]func() (*types.Owner, []types.Grant, error){
		"bucket": func() (*types.Owner, []types.Grant, error) {
			out, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("reads-a")})
			if err != nil {
				return nil, nil, err
			}
			return out.Owner, out.Grants, nil
		},
		"object": func() (*types.Owner, []types.Grant, error) {
			out, err := c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("reads-a"), Key: aws.String("k")})
			if err != nil {
				return nil, nil, err
			}
			return out.Owner, out.Grants, nil
		},
	} {
		owner, grants, err := get()
		if err != nil {
			t.Fatalf("%s ACL: %v", name, err)
		}
		if len(grants) != 1 || grants[0].Permission != types.PermissionFullControl || aws.ToString(grants[0].Grantee.ID) != aws.ToString(owner.ID) || len(aws.ToString(owner.ID)) != 64 {
			t.Errorf("%s ACL: owner %+v, grants %+v", name, owner, grants)
		}
	}
	var names []string
	in := &s3.ListBucketsInput{Prefix: aws.String("reads-"), MaxBuckets: aws.Int32(2)}
	for range 5 {
		out, err := c.ListBuckets(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range out.Buckets {
			names = append(names, aws.ToString(b.Name))
		}
		if out.ContinuationToken == nil {
			break
		}
		in.ContinuationToken = out.ContinuationToken
	}
	if diff := cmp.Diff([]string{"reads-a", "reads-b", "reads-c"}, names); diff != "" {
		t.Errorf("ListBuckets pages (-want +got):\n%s", diff)
	}
	for range 2 { // deleting a missing key succeeds, twice
		if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("reads-a"), Key: aws.String("never-there")}); err != nil {
			t.Errorf("DeleteObject of a missing key: %v", err)
		}
	}
}
