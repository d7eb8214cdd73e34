package e2e

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/apptest"
)

// TestS3OverTLS serves the node over HTTPS, where the SDK sends bodies
// aws-chunked with the checksum in a trailer
// (STREAMING-UNSIGNED-PAYLOAD-TRAILER), and where aws:SecureTransport and
// s3:TlsVersion are set.
func TestS3OverTLS(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	var mu sync.Mutex
	var trailers []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && r.Header.Get("Content-Encoding") == "aws-chunked" {
			mu.Lock()
			trailers = append(trailers, r.Header.Get("X-Amz-Trailer")+" "+r.Header.Get("X-Amz-Content-Sha256"))
			mu.Unlock()
		}
		env.App.Server.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	cfg := env.Config(env.Root())
	cfg.HTTPClient = srv.Client()
	cfg.BaseEndpoint = aws.String(srv.URL)
	c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	plain := s3Client(env, env.Root(), pathStyle)
	ctx := t.Context()
	mustCreateBucket(t, c, "tls")
	policy := `{"Version":"2012-10-17","Statement":[
	 {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::tls/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
	 {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::tls/*","Condition":{"NumericLessThan":{"s3:TlsVersion":"1.2"}}}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("tls"), Policy: aws.String(policy)}); err != nil {
		t.Fatal(err)
	}
	body := randomBytes(t, 300_000)
	for _, alg := range []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc32c, types.ChecksumAlgorithmSha256, types.ChecksumAlgorithmCrc64nvme} {
		key := "trailer-" + string(alg)
		put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("tls"), Key: aws.String(key), Body: bytes.NewReader(body), ChecksumAlgorithm: alg})
		if err != nil {
			t.Fatalf("PutObject over TLS with %s: %v", alg, err)
		}
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("tls"), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(out.Body) // the SDK checks the checksum as it reads
		out.Body.Close()
		if err != nil || !bytes.Equal(got, body) {
			t.Errorf("%s: read back %d bytes, %v", alg, len(got), err)
		}
		sums := []*string{put.ChecksumCRC32C, put.ChecksumSHA256, put.ChecksumCRC64NVME}
		n := 0
		for _, s := range sums {
			if aws.ToString(s) != "" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: PutObject returned %d checksums", alg, n)
		}
	}
	mu.Lock()
	want := []string{"x-amz-checksum-crc32c STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-checksum-sha256 STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-checksum-crc64nvme STREAMING-UNSIGNED-PAYLOAD-TRAILER"}
	if diff := cmp.Diff(want, trailers); diff != "" {
		t.Errorf("the SDK did not send the checksums as trailers (-want +got):\n%s", diff)
	}
	mu.Unlock()
	// The same object over plain HTTP is denied by aws:SecureTransport.
	_, err := getBody(t, plain, "tls", "trailer-CRC32C")
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
}
