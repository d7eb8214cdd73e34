package sigv4

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestGoSDKClients drives the verifier with the real aws-sdk-go-v2 service
// clients (their whole middleware stacks, not only the signer): S3 over
// HTTP and HTTPS, S3 Control with its account host prefix, STS and IAM.
func TestGoSDKClients(t *testing.T) {
	t.Parallel()
	const ak, secret = "AKIDGOSDK", "go/sdk+Secret=="
	v := NewVerifier(Options{})
	var mu sync.Mutex
	var seen, failures []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		label, err := verifyForBotocore(v, r, secret) // the same checks as for botocore
		mu.Lock()
		seen = append(seen, label)
		if err != nil {
			failures = append(failures, label+": "+err.Error()+"\n"+canonicalOf(err))
		}
		mu.Unlock()
		if err != nil {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		respondForGoSDK(w, r, label)
	})
	plain := httptest.NewServer(h)
	defer plain.Close()
	secure := httptest.NewTLSServer(h)
	defer secure.Close()

	ctx := context.Background()
	cfg := aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider(ak, secret, "session-token"),
		RetryMaxAttempts: 1, HTTPClient: dialAlways(plain.Listener.Addr().String(), nil)}
	tlsCfg := cfg.Copy()
	tlsCfg.HTTPClient = dialAlways(secure.Listener.Addr().String(), secure.Client().Transport.(*http.Transport).TLSClientConfig)

	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(plain.URL); o.UsePathStyle = true })
	s3tls := s3.NewFromConfig(tlsCfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(secure.URL); o.UsePathStyle = true })
	for _, step := range []struct {
		name string
		call func() error
	}{
		{"s3 PutObject", func() error {
			_, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String("dir/ü key+=&.txt"),
				Body: strings.NewReader("hello go sdk"), Metadata: map[string]string{"a": "b  c"}, ContentType: aws.String("text/plain")})
			return err
		}},
		{"s3 PutObject unseekable over HTTPS", func() error {
			_, err := s3tls.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String("streamed/obj"),
				Body: struct{ io.Reader }{bytes.NewReader(bytes.Repeat([]byte("x"), 300000))}, ContentLength: aws.Int64(300000)})
			return err
		}},
		{"s3 GetObject", func() error {
			out, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bucket"), Key: aws.String("a b/c~d"), Range: aws.String("bytes=0-3")})
			if err == nil {
				out.Body.Close()
			}
			return err
		}},
		{"s3 ListObjectsV2", func() error {
			_, err := s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bucket"), Prefix: aws.String("a b+c/"), Delimiter: aws.String("/")})
			return err
		}},
		{"s3 presigned GET", func() error {
			p, err := s3.NewPresignClient(s3c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bucket"), Key: aws.String("pre/ü.txt")})
			if err != nil {
				return err
			}
			resp, err := http.Get(p.URL)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != 200 {
					err = errors.New(resp.Status)
				}
			}
			return err
		}},
		{"s3control ListAccessGrantsInstances", func() error {
			c := s3control.NewFromConfig(cfg, func(o *s3control.Options) { o.BaseEndpoint = aws.String(plain.URL) })
			_, err := c.ListAccessGrantsInstances(ctx, &s3control.ListAccessGrantsInstancesInput{AccountId: aws.String("111122223333")})
			return err
		}},
		{"sts GetCallerIdentity", func() error {
			_, err := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(plain.URL) }).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			return err
		}},
		{"iam ListUsers", func() error {
			_, err := iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(plain.URL) }).ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/a b/")})
			return err
		}},
	} {
		if err := step.call(); err != nil {
			t.Errorf("%s: %v", step.name, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("requests: %q", seen)
}

// dialAlways returns an HTTP client that connects to addr whatever the host
// (S3 Control prepends the account ID to the endpoint host).
func dialAlways(addr string, tlsConf *tls.Config) *http.Client {
	var d net.Dialer
	return &http.Client{Transport: &http.Transport{
		DialContext:     func(ctx context.Context, _, _ string) (net.Conn, error) { return d.DialContext(ctx, "tcp", addr) },
		TLSClientConfig: tlsConf,
	}}
}

func respondForGoSDK(w http.ResponseWriter, r *http.Request, label string) {
	if strings.Contains(r.URL.Path, "/v20180820/") {
		w.Header().Set("Content-Type", "application/xml")
		io.WriteString(w, `<ListAccessGrantsInstancesResult xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><AccessGrantsInstancesList/></ListAccessGrantsInstancesResult>`)
		return
	}
	respondForBotocore(w, r, label)
}
