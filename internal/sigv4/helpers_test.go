package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/encoding/httpbinding"
)

var (
	testCreds = aws.Credentials{AccessKeyID: "AKIDGRANTDTEST", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY/x"}
	testTime  = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
)

func fixedNow(t time.Time) func() time.Time { return func() time.Time { return t } }

// toServer sends a client request through its wire form, so the verifier
// sees exactly what net/http's server would hand a handler.
func toServer(t testing.TB, req *http.Request) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	if err := req.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return readWire(t, buf.Bytes())
}

func readWire(t testing.TB, wire []byte) *http.Request {
	t.Helper()
	r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(wire)))
	if err != nil {
		t.Fatalf("ReadRequest: %v\n%s", err, wire)
	}
	return r
}

func hexSHA256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// s3URL builds a path-style S3 URL the way the SDK serialises keys.
func s3URL(host, bucket, key, rawQuery string) string {
	u := "http://" + host + "/" + bucket
	if key != "" {
		u += "/" + httpbinding.EscapePath(key, false)
	}
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	return u
}

// sdkRequest describes a request to sign with the real SDK signer.
type sdkRequest struct {
	method, url, service string
	body                 string
	header               http.Header
	token                string
	payloadHash          string // overrides the hash (S3 sends it as a header)
}

func (c sdkRequest) build(t testing.TB) *http.Request {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, c.url, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range c.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	return req
}

// signSDK signs like the SDK clients do: S3 sends x-amz-content-sha256 and
// disables the second path escaping; other services sign the body hash
// without sending it.
func (c sdkRequest) sign(t testing.TB, creds aws.Credentials, at time.Time) *http.Request {
	t.Helper()
	req := c.build(t)
	hash := c.payloadHash
	if hash == "" {
		hash = hexSHA256([]byte(c.body))
	}
	isS3 := c.service == "s3"
	if isS3 {
		req.Header.Set("X-Amz-Content-Sha256", hash)
	}
	if c.token != "" {
		creds.SessionToken = c.token
	}
	err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hash, c.service, "eu-west-1", at,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = isS3 })
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// presign presigns with the SDK and returns the request a holder of the URL
// would send.
func (c sdkRequest) presign(t testing.TB, creds aws.Credentials, at time.Time, expires int) *http.Request {
	t.Helper()
	req := c.build(t)
	q := req.URL.Query()
	q.Set("X-Amz-Expires", strconv.Itoa(expires))
	req.URL.RawQuery = q.Encode()
	hash := UnsignedPayload
	if c.service != "s3" {
		hash = hexSHA256([]byte(c.body))
	}
	if c.token != "" {
		creds.SessionToken = c.token
	}
	u, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, hash, c.service, "eu-west-1", at,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = c.service == "s3" })
	if err != nil {
		t.Fatal(err)
	}
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	out, err := http.NewRequest(c.method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range hdr {
		if k != "Host" {
			out.Header[k] = vs
		}
	}
	return out
}

// verify parses and verifies r, then reads its body.
func verify(t testing.TB, v *Verifier, r *http.Request, secret string) ([]byte, error) {
	t.Helper()
	a, err := Parse(r)
	if err != nil {
		return nil, err
	}
	if err := v.Verify(r, a, secret); err != nil {
		return nil, err
	}
	return io.ReadAll(r.Body)
}
