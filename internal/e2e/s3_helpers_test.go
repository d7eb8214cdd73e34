package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/grantd/grantd/internal/apptest"
)

// addressing is how an S3 client addresses buckets.
type addressing int

const (
	pathStyle addressing = iota
	virtualHosted
)

func (a addressing) String() string {
	if a == virtualHosted {
		return "VirtualHosted"
	}
	return "PathStyle"
}

// s3Client returns an SDK S3 client signing with creds. Virtual-hosted
// clients use the endpoint http://localhost:PORT (localhost is the node's
// default virtual-hosting domain), so the SDK sends Host
// <bucket>.localhost:PORT; apptest's dialer reaches the node for any host.
func s3Client(env *apptest.Env, creds aws.Credentials, a addressing) *s3.Client {
	cfg := env.Config(creds)
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = a == pathStyle
		if a == virtualHosted {
			o.BaseEndpoint = aws.String(strings.Replace(env.Endpoint, "127.0.0.1", "localhost", 1))
		}
	})
}

func randomBytes(t testing.TB, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func mustCreateBucket(t *testing.T, c *s3.Client, name string) {
	t.Helper()
	if _, err := c.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("CreateBucket(%s): %v", name, err)
	}
}

func mustPut(t *testing.T, c *s3.Client, bucket, key string, body []byte) *s3.PutObjectOutput {
	t.Helper()
	out, err := c.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)})
	if err != nil {
		t.Fatalf("PutObject(%s/%s): %v", bucket, key, err)
	}
	return out
}

// getBody reads an object whole.
func getBody(t *testing.T, c *s3.Client, bucket, key string) ([]byte, error) {
	t.Helper()
	out, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
}

// getBodyWith reads the object in whole.
func getBodyWith(t *testing.T, c *s3.Client, in *s3.GetObjectInput) ([]byte, error) {
	t.Helper()
	out, err := c.GetObject(t.Context(), in)
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
}

// rawRequest sends a request the SDK would not produce (malformed bodies,
// odd headers), signed by the SDK's own SigV4 signer.
func rawRequest(t *testing.T, env *apptest.Env, creds aws.Credentials, method, path string, body []byte, hdr map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, env.Endpoint+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	sum := sha256Hex(body)
	req.Header.Set("X-Amz-Content-Sha256", sum)
	if creds.AccessKeyID != "" {
		signRequest(t, creds, req, sum)
	}
	resp, err := env.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// signRequest signs req with the SDK's SigV4 signer.
func signRequest(t *testing.T, creds aws.Credentials, req *http.Request, payloadHash string) {
	t.Helper()
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, payloadHash, "s3", apptest.Region, time.Now()); err != nil {
		t.Fatal(err)
	}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
