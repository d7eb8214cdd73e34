package e2e

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/apptest"
)

func TestS3Ranges(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := s3Client(env, env.Root(), pathStyle)
	mustCreateBucket(t, c, "ranges")
	data := []byte("0123456789abcdefghij")
	mustPut(t, c, "ranges", "obj", data)
	tests := []struct {
		rng, want, contentRange string
	}{
		{"bytes=0-4", "01234", "bytes 0-4/20"},
		{"bytes=15-", "fghij", "bytes 15-19/20"},
		{"bytes=-3", "hij", "bytes 17-19/20"},
		{"bytes=18-100", "ij", "bytes 18-19/20"},
		{"bytes=-100", string(data), "bytes 0-19/20"},
	}
	for _, tt := range tests {
		t.Run(tt.rng, func(t *testing.T) {
			out, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("ranges"), Key: aws.String("obj"), Range: aws.String(tt.rng)})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(out.Body)
			out.Body.Close()
			if string(got) != tt.want || aws.ToString(out.ContentRange) != tt.contentRange || aws.ToInt64(out.ContentLength) != int64(len(tt.want)) {
				t.Errorf("got %q, Content-Range %q, length %d", got, aws.ToString(out.ContentRange), aws.ToInt64(out.ContentLength))
			}
		})
	}
	// An unparseable Range is ignored: the whole object, 200.
	resp := rawRequest(t, env, env.Root(), "GET", "/ranges/obj", nil, map[string]string{"Range": "bytes=x-y"})
	if body, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 || !bytes.Equal(body, data) {
		t.Errorf("invalid Range: status %d, body %q", resp.StatusCode, body)
	}
}

func TestS3ConditionalRequests(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := s3Client(env, env.Root(), pathStyle)
	ctx := t.Context()
	mustCreateBucket(t, c, "cond")
	put := mustPut(t, c, "cond", "k", []byte("v1"))
	etag := aws.ToString(put.ETag)
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("cond"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	mod := aws.ToTime(head.LastModified)
	before, after := mod.Add(-time.Hour), mod.Add(time.Hour)
	tests := []struct {
		name   string
		in     s3.GetObjectInput
		status int
	}{
		{"if-match", s3.GetObjectInput{IfMatch: aws.String(etag)}, 200},
		{"if-match miss", s3.GetObjectInput{IfMatch: aws.String(`"nope"`)}, 412},
		{"if-none-match hit", s3.GetObjectInput{IfNoneMatch: aws.String(etag)}, 304},
		{"if-none-match miss", s3.GetObjectInput{IfNoneMatch: aws.String(`"nope"`)}, 200},
		{"if-modified-since later", s3.GetObjectInput{IfModifiedSince: aws.Time(after)}, 304},
		{"if-modified-since earlier", s3.GetObjectInput{IfModifiedSince: aws.Time(before)}, 200},
		{"if-unmodified-since earlier", s3.GetObjectInput{IfUnmodifiedSince: aws.Time(before)}, 412},
		{"if-match beats if-unmodified-since", s3.GetObjectInput{IfMatch: aws.String(etag), IfUnmodifiedSince: aws.Time(before)}, 200},
		{"if-none-match beats if-modified-since", s3.GetObjectInput{IfNoneMatch: aws.String(etag), IfModifiedSince: aws.Time(before)}, 304},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Bucket, in.Key = aws.String("cond"), aws.String("k")
			out, err := c.GetObject(ctx, &in)
			switch tt.status {
			case 200:
				if err != nil {
					t.Fatal(err)
				}
				out.Body.Close()
			case 304:
				wantAPIError(t, err, "NotModified", http.StatusNotModified)
			case 412:
				wantAPIError(t, err, "PreconditionFailed", http.StatusPreconditionFailed)
			}
		})
	}
	// Conditional writes.
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("cond"), Key: aws.String("k"), Body: bytes.NewReader([]byte("v2")), IfNoneMatch: aws.String("*")})
	wantAPIError(t, err, "PreconditionFailed", http.StatusPreconditionFailed)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("cond"), Key: aws.String("fresh"), Body: bytes.NewReader([]byte("x")), IfNoneMatch: aws.String("*")}); err != nil {
		t.Errorf("If-None-Match * on a new key: %v", err)
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("cond"), Key: aws.String("k"), Body: bytes.NewReader([]byte("v2")), IfMatch: aws.String(`"nope"`)})
	wantAPIError(t, err, "PreconditionFailed", http.StatusPreconditionFailed)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("cond"), Key: aws.String("absent"), Body: bytes.NewReader([]byte("v2")), IfMatch: aws.String(etag)})
	wantAPIError(t, err, "NoSuchKey", http.StatusNotFound)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("cond"), Key: aws.String("k"), Body: bytes.NewReader([]byte("v2")), IfMatch: aws.String(etag)}); err != nil {
		t.Errorf("If-Match with the current ETag: %v", err)
	}
	if got, _ := getBody(t, c, "cond", "k"); string(got) != "v2" {
		t.Errorf("after the conditional writes the object is %q, want v2", got)
	}
}

func TestS3Checksums(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := s3Client(env, env.Root(), pathStyle)
	ctx := t.Context()
	mustCreateBucket(t, c, "sums")
	body := randomBytes(t, 100_000)
	for _, alg := range []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc32, types.ChecksumAlgorithmCrc32c,
		types.ChecksumAlgorithmCrc64nvme, types.ChecksumAlgorithmSha1, types.ChecksumAlgorithmSha256} {
		t.Run(string(alg), func(t *testing.T) {
			key := "obj-" + string(alg)
			put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String(key), Body: bytes.NewReader(body), ChecksumAlgorithm: alg})
			if err != nil {
				t.Fatal(err)
			}
			sent := map[types.ChecksumAlgorithm]*string{types.ChecksumAlgorithmCrc32: put.ChecksumCRC32, types.ChecksumAlgorithmCrc32c: put.ChecksumCRC32C,
				types.ChecksumAlgorithmCrc64nvme: put.ChecksumCRC64NVME, types.ChecksumAlgorithmSha1: put.ChecksumSHA1, types.ChecksumAlgorithmSha256: put.ChecksumSHA256}[alg]
			if aws.ToString(sent) == "" {
				t.Errorf("PutObject returned no %s checksum: %+v", alg, put)
			}
			// The SDK validates the returned checksum against the body.
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sums"), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(out.Body)
			out.Body.Close()
			if err != nil || !bytes.Equal(got, body) {
				t.Fatalf("GetObject body: %v", err)
			}
			if out.ChecksumType != types.ChecksumTypeFullObject {
				t.Errorf("ChecksumType = %q", out.ChecksumType)
			}
			head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sums"), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
			if err != nil {
				t.Fatal(err)
			}
			headSum := map[types.ChecksumAlgorithm]*string{types.ChecksumAlgorithmCrc32: head.ChecksumCRC32, types.ChecksumAlgorithmCrc32c: head.ChecksumCRC32C,
				types.ChecksumAlgorithmCrc64nvme: head.ChecksumCRC64NVME, types.ChecksumAlgorithmSha1: head.ChecksumSHA1, types.ChecksumAlgorithmSha256: head.ChecksumSHA256}[alg]
			if aws.ToString(headSum) != aws.ToString(sent) {
				t.Errorf("HeadObject checksum %q, PutObject said %q", aws.ToString(headSum), aws.ToString(sent))
			}
		})
	}
	// Without checksum mode no checksum is returned.
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sums"), Key: aws.String("obj-SHA256")})
	if err != nil || head.ChecksumSHA256 != nil {
		t.Errorf("HeadObject without checksum mode: %v, %v", head.ChecksumSHA256, err)
	}
}

func TestS3Tagging(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := s3Client(env, env.Root(), pathStyle)
	ctx := t.Context()
	mustCreateBucket(t, c, "tags")
	tagSet := []types.Tag{{Key: aws.String("team"), Value: aws.String("storage")}, {Key: aws.String("empty"), Value: aws.String("")}}
	if _, err := c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("tags"), Tagging: &types.Tagging{TagSet: tagSet}}); err != nil {
		t.Fatal(err)
	}
	bt, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("tags")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tagPairs(tagSet), tagPairs(bt.TagSet)); diff != "" {
		t.Errorf("bucket tags (-want +got):\n%s", diff)
	}
	if _, err := c.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: aws.String("tags")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("tags")})
	wantAPIError(t, err, "NoSuchTagSet", http.StatusNotFound)

	mustPut(t, c, "tags", "obj", []byte("x"))
	if _, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("obj"), Tagging: &types.Tagging{TagSet: tagSet}}); err != nil {
		t.Fatal(err)
	}
	ot, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("obj")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tagPairs(tagSet), tagPairs(ot.TagSet)); diff != "" {
		t.Errorf("object tags (-want +got):\n%s", diff)
	}
	bad := []types.Tag{{Key: aws.String("aws:reserved"), Value: aws.String("x")}}
	_, err = c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("obj"), Tagging: &types.Tagging{TagSet: bad}})
	wantAPIError(t, err, "InvalidTag", http.StatusBadRequest)
	if _, err := c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("obj")}); err != nil {
		t.Fatal(err)
	}
	ot, err = c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("obj")})
	if err != nil || len(ot.TagSet) != 0 {
		t.Errorf("after DeleteObjectTagging: %v, %v", ot, err)
	}
	_, err = c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("missing")})
	wantAPIError(t, err, "NoSuchKey", http.StatusNotFound)
}

func tagPairs(tags []types.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

func TestS3CopyObject(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := s3Client(env, env.Root(), pathStyle)
	ctx := t.Context()
	mustCreateBucket(t, c, "src-bucket")
	mustCreateBucket(t, c, "dst-bucket")
	key := "dir/a key+with=odd&chars é"
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("src-bucket"), Key: aws.String(key), Body: bytes.NewReader([]byte("payload")),
		ContentType: aws.String("text/x-src"), Metadata: map[string]string{"m": "1"}, Tagging: aws.String("t=1")}); err != nil {
		t.Fatal(err)
	}
	source := url.PathEscape("src-bucket/" + key)
	cp, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst-bucket"), Key: aws.String("copy"), CopySource: aws.String(source)})
	if err != nil {
		t.Fatal(err)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("dst-bucket"), Key: aws.String("copy")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(head.ContentType) != "text/x-src" || head.Metadata["m"] != "1" || aws.ToInt32(head.TagCount) != 1 ||
		aws.ToString(head.ETag) != aws.ToString(cp.CopyObjectResult.ETag) {
		t.Errorf("COPY directive: %+v", head)
	}
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst-bucket"), Key: aws.String("replaced"), CopySource: aws.String(source + "?versionId=null"),
		MetadataDirective: types.MetadataDirectiveReplace, ContentType: aws.String("text/x-new"), Metadata: map[string]string{"n": "2"},
		TaggingDirective: types.TaggingDirectiveReplace, Tagging: aws.String("a=1&b=2")})
	if err != nil {
		t.Fatal(err)
	}
	head, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("dst-bucket"), Key: aws.String("replaced")})
	if err != nil || aws.ToString(head.ContentType) != "text/x-new" || head.Metadata["n"] != "2" || head.Metadata["m"] != "" || aws.ToInt32(head.TagCount) != 2 {
		t.Errorf("REPLACE directives: %+v, %v", head, err)
	}
	// Onto itself without REPLACE is refused; with REPLACE it works.
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("src-bucket"), Key: aws.String(key), CopySource: aws.String(source)})
	wantAPIError(t, err, "InvalidRequest", http.StatusBadRequest)
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("src-bucket"), Key: aws.String(key), CopySource: aws.String(source),
		MetadataDirective: types.MetadataDirectiveReplace, ContentType: aws.String("text/changed")}); err != nil {
		t.Errorf("copy onto itself with REPLACE: %v", err)
	}
	if got, _ := getBody(t, c, "src-bucket", key); string(got) != "payload" {
		t.Errorf("self-copied body %q", got)
	}
	// Source conditions.
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst-bucket"), Key: aws.String("c2"), CopySource: aws.String(source), CopySourceIfMatch: aws.String(`"nope"`)})
	wantAPIError(t, err, "PreconditionFailed", http.StatusPreconditionFailed)
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst-bucket"), Key: aws.String("c2"), CopySource: aws.String(source), CopySourceIfNoneMatch: head.ETag})
	if err == nil {
		t.Error("copy with a matching x-amz-copy-source-if-none-match succeeded")
	}
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst-bucket"), Key: aws.String("c2"), CopySource: aws.String("src-bucket/missing")})
	wantAPIError(t, err, "NoSuchKey", http.StatusNotFound)
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst-bucket"), Key: aws.String("c2"), CopySource: aws.String("no-key")})
	wantAPIError(t, err, "InvalidArgument", http.StatusBadRequest)
}

func TestS3ObjectHeaders(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := s3Client(env, env.Root(), pathStyle)
	ctx := t.Context()
	mustCreateBucket(t, c, "headers")
	expires := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("headers"), Key: aws.String("doc"), Body: bytes.NewReader([]byte("x")),
		ContentType: aws.String("text/markdown"), ContentEncoding: aws.String("identity"), ContentDisposition: aws.String(`inline; filename="d.md"`),
		ContentLanguage: aws.String("fr-CA"), CacheControl: aws.String("no-cache"), Expires: aws.Time(expires),
		Metadata: map[string]string{"Mixed-Case": "Value With Spaces", "n": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("headers"), Key: aws.String("doc")})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{"type": aws.ToString(head.ContentType), "encoding": aws.ToString(head.ContentEncoding),
		"disposition": aws.ToString(head.ContentDisposition), "language": aws.ToString(head.ContentLanguage),
		"cache": aws.ToString(head.CacheControl), "expires": aws.ToString(head.ExpiresString)}
	want := map[string]string{"type": "text/markdown", "encoding": "identity", "disposition": `inline; filename="d.md"`,
		"language": "fr-CA", "cache": "no-cache", "expires": expires.Format(http.TimeFormat)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("system headers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"mixed-case": "Value With Spaces", "n": "1"}, head.Metadata); diff != "" {
		t.Errorf("user metadata (-want +got):\n%s", diff)
	}
	if head.LastModified == nil || aws.ToString(head.AcceptRanges) != "bytes" {
		t.Errorf("Last-Modified %v, Accept-Ranges %q", head.LastModified, aws.ToString(head.AcceptRanges))
	}
	// 2 KB of user metadata (names and values) is the limit.
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("headers"), Key: aws.String("fat"), Body: bytes.NewReader(nil),
		Metadata: map[string]string{"a": string(bytes.Repeat([]byte("v"), 2048))}})
	wantAPIError(t, err, "MetadataTooLarge", http.StatusBadRequest)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("headers"), Key: aws.String("fit"), Body: bytes.NewReader(nil),
		Metadata: map[string]string{"a": string(bytes.Repeat([]byte("v"), 2047))}}); err != nil {
		t.Errorf("metadata under the limit: %v", err)
	}
	// An object without a Content-Type is binary/octet-stream, as in S3.
	resp := rawRequest(t, env, env.Root(), "PUT", "/headers/untyped", []byte("x"), nil)
	resp.Body.Close()
	head, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("headers"), Key: aws.String("untyped")})
	if err != nil || aws.ToString(head.ContentType) != "binary/octet-stream" {
		t.Errorf("default Content-Type %q, %v", aws.ToString(head.ContentType), err)
	}
}

// readRecorder reports whether its body was read.
type readRecorder struct {
	r    io.Reader
	read bool
}

func (r *readRecorder) Read(p []byte) (int, error) {
	r.read = true
	return r.r.Read(p)
}

// TestS3ExpectContinue sends PUTs with "Expect: 100-continue", as the aws
// CLI does: a good one is stored; one refused before its body (no such
// bucket) is answered without the client sending the body.
func TestS3ExpectContinue(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := s3Client(env, env.Root(), pathStyle)
	mustCreateBucket(t, c, "expect")
	client := env.HTTPClient()
	client.Transport.(*http.Transport).ExpectContinueTimeout = 10 * time.Second
	send := func(path string, body []byte) (*http.Response, *readRecorder) {
		rec := &readRecorder{r: bytes.NewReader(body)}
		req, _ := http.NewRequestWithContext(t.Context(), "PUT", env.Endpoint+path, rec)
		req.ContentLength = int64(len(body))
		req.Header.Set("Expect", "100-continue")
		req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
		signRequest(t, env.Root(), req, "UNSIGNED-PAYLOAD")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp, rec
	}
	body := randomBytes(t, 1<<20)
	resp, rec := send("/expect/obj", body)
	if resp.StatusCode != 200 || !rec.read {
		t.Fatalf("PUT with Expect: status %d, body read %v", resp.StatusCode, rec.read)
	}
	if got, _ := getBody(t, c, "expect", "obj"); !bytes.Equal(got, body) {
		t.Error("stored body differs")
	}
	resp, rec = send("/no-such-bucket/obj", body)
	if resp.StatusCode != http.StatusNotFound || rec.read {
		t.Errorf("PUT to a missing bucket with Expect: status %d, body read %v", resp.StatusCode, rec.read)
	}
}
