package e2e

import (
	"bufio"
	"crypto/md5"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/grantd/grantd/internal/apptest"
)

// errorDoc is S3's bare error document.
type errorDoc struct {
	XMLName          xml.Name `xml:"Error"`
	Code             string   `xml:"Code"`
	Message          string   `xml:"Message"`
	RequestID        string   `xml:"RequestId"`
	ActualObjectSize string   `xml:"ActualObjectSize"`
	RangeRequested   string   `xml:"RangeRequested"`
	BucketName       string   `xml:"BucketName"`
}

func readError(t *testing.T, resp *http.Response) errorDoc {
	t.Helper()
	body, _ := io.ReadAll(resp.Body)
	var doc errorDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		t.Fatalf("status %d, body is not an S3 error: %v\n%s", resp.StatusCode, err, body)
	}
	if doc.RequestID == "" || doc.RequestID != resp.Header.Get("x-amz-request-id") {
		t.Errorf("error RequestId %q, header %q", doc.RequestID, resp.Header.Get("x-amz-request-id"))
	}
	return doc
}

func TestS3BadInput(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := s3Client(env, env.Root(), pathStyle)
	mustCreateBucket(t, c, "bad-input")
	mustPut(t, c, "bad-input", "ten", []byte("0123456789"))
	tests := []struct {
		name string
		f    func(t *testing.T, env *apptest.Env, c *s3.Client)
	}{
		{"InvalidBucketName", badInputInvalidBucketName},
		{"KeyTooLong", badInputKeyTooLong},
		{"InvalidRange", badInputInvalidRange},
		{"BadDigestStoresNothing", badInputBadDigestStoresNothing},
		{"ChecksumMismatch", badInputChecksumMismatch},
		{"MalformedXML", badInputMalformedXML},
		{"NotImplemented", badInputNotImplemented},
		{"IncompleteBody", badInputIncompleteBody},
		{"Missing", badInputMissing},
		{"DeleteObjectsNeedsDigest", badInputDeleteObjectsNeedsDigest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.f(t, env, c) })
	}
	if n := env.App.Server.Panics(); n != 0 {
		t.Errorf("%d panics", n)
	}
}

func badInputInvalidBucketName(t *testing.T, env *apptest.Env, c *s3.Client) {
	ctx := t.Context()
	for _, name := range []string{"ab", "Upper-Case", "has_underscore", "192.168.1.1", "bad..dots", "xn--punycode"} {
		_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)})
		wantAPIError(t, err, "InvalidBucketName", http.StatusBadRequest)
	}
}

func badInputKeyTooLong(t *testing.T, env *apptest.Env, c *s3.Client) {
	ctx := t.Context()
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bad-input"), Key: aws.String(strings.Repeat("k", 1025)), Body: strings.NewReader("x")})
	wantAPIError(t, err, "KeyTooLongError", http.StatusBadRequest)
	mustPut(t, c, "bad-input", strings.Repeat("k", 1024), []byte("x")) // the limit itself is fine
}

func badInputInvalidRange(t *testing.T, env *apptest.Env, c *s3.Client) {
	ctx := t.Context()
	_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bad-input"), Key: aws.String("ten"), Range: aws.String("bytes=10-")})
	wantAPIError(t, err, "InvalidRange", http.StatusRequestedRangeNotSatisfiable)
	resp := rawRequest(t, env, env.Root(), "GET", "/bad-input/ten", nil, map[string]string{"Range": "bytes=20-30"})
	doc := readError(t, resp)
	if resp.StatusCode != 416 || doc.ActualObjectSize != "10" || doc.RangeRequested != "bytes=20-30" {
		t.Errorf("InvalidRange: status %d, %+v", resp.StatusCode, doc)
	}
}

func badInputBadDigestStoresNothing(t *testing.T, env *apptest.Env, c *s3.Client) {
	ctx := t.Context()
	wrong := md5.Sum([]byte("something else"))
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bad-input"), Key: aws.String("ten"),
		Body: strings.NewReader("replacement"), ContentMD5: aws.String(base64.StdEncoding.EncodeToString(wrong[:]))})
	wantAPIError(t, err, "BadDigest", http.StatusBadRequest)
	if got, _ := getBody(t, c, "bad-input", "ten"); string(got) != "0123456789" {
		t.Errorf("after BadDigest the object is %q", got)
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bad-input"), Key: aws.String("new"),
		Body: strings.NewReader("x"), ContentMD5: aws.String("not base64!")})
	wantAPIError(t, err, "InvalidDigest", http.StatusBadRequest)
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bad-input"), Key: aws.String("new")})
	wantAPIError(t, err, "NotFound", http.StatusNotFound)
}

func badInputChecksumMismatch(t *testing.T, env *apptest.Env, c *s3.Client) {
	ctx := t.Context()
	resp := rawRequest(t, env, env.Root(), "PUT", "/bad-input/crc", []byte("data"), map[string]string{
		"x-amz-checksum-crc32": "AAAAAA==", "x-amz-sdk-checksum-algorithm": "CRC32"})
	doc := readError(t, resp)
	if resp.StatusCode != 400 || doc.Code != "BadDigest" || doc.Message != "The CRC32 you specified did not match the calculated checksum." {
		t.Errorf("status %d, %+v", resp.StatusCode, doc)
	}
	_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bad-input"), Key: aws.String("crc")})
	wantAPIError(t, err, "NotFound", http.StatusNotFound)
}

func badInputMalformedXML(t *testing.T, env *apptest.Env, c *s3.Client) {
	for _, tc := range []struct{ method, path, body string }{
		{"POST", "/bad-input?delete", "<Delete><Object><Key>a</Object>"},
		{"PUT", "/bad-input?tagging", "<Tagging>"},
		{"PUT", "/bad-input/ten?tagging", "not xml"},
		{"PUT", "/bad-input2", "<CreateBucketConfiguration><LocationConstraint>"},
	} {
		sum := md5.Sum([]byte(tc.body))
		resp := rawRequest(t, env, env.Root(), tc.method, tc.path, []byte(tc.body), map[string]string{"Content-MD5": base64.StdEncoding.EncodeToString(sum[:])})
		if doc := readError(t, resp); resp.StatusCode != 400 || doc.Code != "MalformedXML" {
			t.Errorf("%s %s: status %d, %+v", tc.method, tc.path, resp.StatusCode, doc)
		}
	}
}

func badInputNotImplemented(t *testing.T, env *apptest.Env, c *s3.Client) {
	ctx := t.Context()
	_, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("bad-input")})
	wantAPIError(t, err, "NotImplemented", http.StatusNotImplemented)
	_, err = c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("bad-input"), ACL: types.BucketCannedACLPublicRead})
	wantAPIError(t, err, "NotImplemented", http.StatusNotImplemented)
	_, err = c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String("bad-input"),
		LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{{Status: types.ExpirationStatusEnabled,
			Filter: &types.LifecycleRuleFilter{Prefix: aws.String("")}, Expiration: &types.LifecycleExpiration{Days: aws.Int32(1)}}}}})
	wantAPIError(t, err, "NotImplemented", http.StatusNotImplemented)
	_, err = c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("bad-input"), Key: aws.String("ten"), ACL: types.ObjectCannedACLPublicRead})
	wantAPIError(t, err, "NotImplemented", http.StatusNotImplemented)
}

func badInputIncompleteBody(t *testing.T, env *apptest.Env, c *s3.Client) {
	ctx := t.Context()
	// The connection ends 45 bytes before the declared Content-Length.
	resp := sendTruncated(t, env, "/bad-input/short", []byte("short"), 50)
	if doc := readError(t, resp); resp.StatusCode != 400 || doc.Code != "IncompleteBody" {
		t.Errorf("status %d, %+v", resp.StatusCode, doc)
	}
	_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bad-input"), Key: aws.String("short")})
	wantAPIError(t, err, "NotFound", http.StatusNotFound)
}

func badInputMissing(t *testing.T, env *apptest.Env, c *s3.Client) {
	ctx := t.Context()
	_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k")})
	wantAPIError(t, err, "NoSuchBucket", http.StatusNotFound)
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("bad-input")})
	wantAPIError(t, err, "BucketNotEmpty", http.StatusConflict)
	_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("no-such-bucket")})
	wantAPIError(t, err, "NotFound", http.StatusNotFound)
	_, err = c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("bad-input")})
	wantAPIError(t, err, "NoSuchBucketPolicy", http.StatusNotFound)
	_, err = c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("bad-input")})
	wantAPIError(t, err, "NoSuchTagSet", http.StatusNotFound)
}

func badInputDeleteObjectsNeedsDigest(t *testing.T, env *apptest.Env, c *s3.Client) {
	resp := rawRequest(t, env, env.Root(), "POST", "/bad-input?delete", []byte(`<Delete><Object><Key>ten</Key></Object></Delete>`), nil)
	if doc := readError(t, resp); resp.StatusCode != 400 || doc.Code != "InvalidRequest" {
		t.Errorf("status %d, %+v", resp.StatusCode, doc)
	}
}

// sendTruncated sends a signed PUT whose Content-Length says declared but
// whose body is only body, then half-closes the connection, as a client
// that died mid-upload; it returns the server's answer.
func sendTruncated(t *testing.T, env *apptest.Env, path string, body []byte, declared int64) *http.Response {
	t.Helper()
	req, err := http.NewRequest("PUT", env.Endpoint+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	req.Header.Set("Content-Length", strconv.FormatInt(declared, 10))
	signRequest(t, env.Root(), req, "UNSIGNED-PAYLOAD")
	conn, err := net.Dial("tcp", strings.TrimPrefix(env.Endpoint, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "PUT %s HTTP/1.1\r\nHost: %s\r\n", req.URL.RequestURI(), req.Host)
	req.Header.Write(conn)
	fmt.Fprintf(conn, "\r\n")
	conn.Write(body)
	conn.(*net.TCPConn).CloseWrite()
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}
