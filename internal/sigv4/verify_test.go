package sigv4

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sdkCases are requests signed by the real aws-sdk-go-v2 signer.
func sdkCases() []struct {
	name string
	req  sdkRequest
} {
	odd := url.Values{
		"prefix":    {"photos/2024 summer+ü&=?"},
		"delimiter": {"/"},
		"marker":    {"%41 literal percent"},
		"empty":     {""},
		"multi":     {"b", "a", "c"},
		"tilde~key": {"~*'()!$"},
	}.Encode()
	meta := http.Header{
		"X-Amz-Meta-Multi":  {"one", "two", "three"},
		"X-Amz-Meta-Spaces": {"  a   b    c  "},
		"Content-Type":      {"text/plain; charset=utf-8"},
		"Range":             {"bytes=0-9"},
	}
	var cases []struct {
		name string
		req  sdkRequest
	}
	add := func(name string, r sdkRequest) {
		cases = append(cases, struct {
			name string
			req  sdkRequest
		}{name, r})
	}
	add("s3 GET object", sdkRequest{method: "GET", service: "s3", url: s3URL("127.0.0.1:9010", "bucket", "photo.jpg", "")})
	add("s3 GET list with odd query", sdkRequest{method: "GET", service: "s3", url: s3URL("127.0.0.1:9010", "bucket", "", "list-type=2&"+odd)})
	add("s3 GET subresource without value", sdkRequest{method: "GET", service: "s3", url: "http://bucket.s3.local:9010/?acl"})
	add("s3 PUT with body and multi-valued headers", sdkRequest{method: "PUT", service: "s3", url: s3URL("127.0.0.1:9010", "bucket", "dir/object.txt", ""), body: "hello, world\n", header: meta})
	add("s3 POST delete objects", sdkRequest{method: "POST", service: "s3", url: s3URL("127.0.0.1:9010", "bucket", "", "delete="), body: "<Delete><Object><Key>a</Key></Object></Delete>",
		header: http.Header{"Content-Md5": {"1B2M2Y8AsgTpgAmY7PhCfg=="}, "Content-Type": {"application/xml"}}})
	add("s3 session token", sdkRequest{method: "GET", service: "s3", url: s3URL("127.0.0.1:9010", "bucket", "k", ""), token: "FwoGZXIvYXdzEJr//////////token+/="})
	add("s3 control with account id", sdkRequest{method: "GET", service: "s3", url: "http://111122223333.127.0.0.1:9010/v20180820/accessgrantsinstance",
		header: http.Header{"X-Amz-Account-Id": {"111122223333"}}})
	for _, key := range []string{
		"my file.txt", "ünïcødé/ключ/文件.bin", "a+b=c&d", "100%", "tilde~and(parens)!*'", "semi;colon:colon@at,comma",
		"literal%2Fpercent", "trailing/", "dots/../and/./more", "//double//slash",
	} {
		add("s3 key "+key, sdkRequest{method: "PUT", service: "s3", url: s3URL("127.0.0.1:9010", "bucket", key, ""), body: key})
	}
	add("s3 path with encoded slash", sdkRequest{method: "GET", service: "s3", url: "http://127.0.0.1:9010/bucket/a%2Fb"})
	add("sts POST form", sdkRequest{method: "POST", service: "sts", url: "http://127.0.0.1:9010/", body: "Action=GetCallerIdentity&Version=2011-06-15",
		header: http.Header{"Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"}}})
	add("iam POST form with policy", sdkRequest{method: "POST", service: "iam", url: "http://127.0.0.1:9010/",
		body:   url.Values{"Action": {"CreatePolicy"}, "Version": {"2010-05-08"}, "PolicyName": {"p"}, "PolicyDocument": {`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`}}.Encode(),
		header: http.Header{"Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"}}})
	add("json protocol", sdkRequest{method: "POST", service: "organizations", url: "http://127.0.0.1:9010/", body: `{"Email":"a@example.com","AccountName":"x"}`,
		header: http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amz-Target": {"AWSOrganizationsV20161128.CreateAccount"}}})
	add("rest-json path needing double encoding", sdkRequest{method: "GET", service: "ram", url: "http://127.0.0.1:9010/resource%20shares/%C3%BC?x=a+b"})
	add("non-S3 path with dot segments", sdkRequest{method: "GET", service: "execute-api", url: "http://127.0.0.1:9010/a/./b/../c"})
	add("sts GET query", sdkRequest{method: "GET", service: "sts", url: "http://127.0.0.1:9010/?Action=GetCallerIdentity&Version=2011-06-15"})
	return cases
}

func TestSDKHeaderSigned(t *testing.T) {
	t.Parallel()
	for _, c := range sdkCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			v := NewVerifier(Options{Now: fixedNow(testTime)})
			r := toServer(t, c.req.sign(t, testCreds, testTime))
			a, err := Parse(r)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if a.AccessKeyID != testCreds.AccessKeyID || a.Scope != (Scope{"20260314", "eu-west-1", c.req.service}) || !a.Date.Equal(testTime) || a.Presigned {
				t.Errorf("Auth = %+v", a)
			}
			if a.SecurityToken != c.req.token {
				t.Errorf("SecurityToken = %q, want %q", a.SecurityToken, c.req.token)
			}
			if err := v.Verify(r, a, testCreds.SecretAccessKey); err != nil {
				t.Fatalf("Verify: %v\n%s", err, canonicalOf(err))
			}
			body, err := io.ReadAll(r.Body)
			if err != nil {
				t.Fatalf("reading the body: %v", err)
			}
			if string(body) != c.req.body {
				t.Errorf("body = %q, want %q", body, c.req.body)
			}

			r = toServer(t, c.req.sign(t, testCreds, testTime))
			if _, err := verify(t, v, r, "wrong secret"); KindOf(err) != KindSignatureDoesNotMatch {
				t.Fatalf("wrong secret: %v, want SignatureDoesNotMatch", err)
			}
		})
	}
}

func TestTampering(t *testing.T) {
	t.Parallel()
	base := sdkRequest{method: "PUT", service: "s3", url: s3URL("127.0.0.1:9010", "bucket", "key.txt", "tagging="), body: "original body",
		header: http.Header{"X-Amz-Meta-Owner": {"alice"}, "Content-Type": {"text/plain"}}}
	cases := []struct {
		name   string
		tamper func(r *http.Request)
		kind   Kind
		onRead bool // the failure shows when the body is read
	}{
		{"nothing", func(*http.Request) {}, 0, false},
		{"signed header value", func(r *http.Request) { r.Header.Set("X-Amz-Meta-Owner", "mallory") }, KindSignatureDoesNotMatch, false},
		{"signed header removed", func(r *http.Request) { r.Header.Del("Content-Type") }, KindSignatureDoesNotMatch, false},
		{"unsigned x-amz header added", func(r *http.Request) { r.Header.Set("X-Amz-Copy-Source", "/other/key") }, KindHeadersNotSigned, false},
		{"unsigned ordinary header added", func(r *http.Request) { r.Header.Set("X-Forwarded-For", "1.2.3.4") }, 0, false},
		{"query value", func(r *http.Request) { r.RequestURI = strings.Replace(r.RequestURI, "tagging=", "acl=", 1) }, KindSignatureDoesNotMatch, false},
		{"query added", func(r *http.Request) { r.RequestURI += "&versionId=1" }, KindSignatureDoesNotMatch, false},
		{"path", func(r *http.Request) { r.RequestURI = strings.Replace(r.RequestURI, "key.txt", "key.txT", 1) }, KindSignatureDoesNotMatch, false},
		{"method", func(r *http.Request) { r.Method = "POST" }, KindSignatureDoesNotMatch, false},
		{"host", func(r *http.Request) { r.Host = "127.0.0.1:9011" }, KindSignatureDoesNotMatch, false},
		{"signature", func(r *http.Request) {
			h := r.Header.Get("Authorization")
			r.Header.Set("Authorization", h[:len(h)-1]+string("01"[h[len(h)-1]&1]))
		}, KindSignatureDoesNotMatch, false},
		{"body same length", func(r *http.Request) { r.Body = io.NopCloser(strings.NewReader("tampered body")) }, KindContentSHA256Mismatch, true},
		{"body shorter", func(r *http.Request) { r.Body = io.NopCloser(strings.NewReader("original")) }, KindContentSHA256Mismatch, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			v := NewVerifier(Options{Now: fixedNow(testTime)})
			r := toServer(t, base.sign(t, testCreds, testTime))
			c.tamper(r)
			a, err := Parse(r)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			err = v.Verify(r, a, testCreds.SecretAccessKey)
			if c.onRead {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				_, err = io.ReadAll(r.Body)
			}
			if KindOf(err) != c.kind || (c.kind == 0 && err != nil) {
				t.Fatalf("error = %v, want kind %v", err, c.kind)
			}
			var e *Error
			if c.kind == KindSignatureDoesNotMatch && errors.As(err, &e) {
				if e.CanonicalRequest == "" || e.StringToSign == "" || e.AccessKeyID != testCreds.AccessKeyID || e.SignatureProvided != a.Signature {
					t.Errorf("error details missing: %+v", e)
				}
			}
		})
	}
}

func TestClockSkew(t *testing.T) {
	t.Parallel()
	req := sdkRequest{method: "GET", service: "s3", url: s3URL("127.0.0.1:9010", "b", "k", "")}
	cases := []struct {
		offset time.Duration // server clock minus signing time
		ok     bool
	}{
		{0, true},
		{15 * time.Minute, true},
		{-15 * time.Minute, true},
		{15*time.Minute + time.Second, false},
		{-15*time.Minute - time.Second, false},
		{24 * time.Hour, false},
	}
	for _, c := range cases {
		t.Run(c.offset.String(), func(t *testing.T) {
			t.Parallel()
			now := testTime.Add(c.offset)
			v := NewVerifier(Options{Now: fixedNow(now)})
			_, err := verify(t, v, toServer(t, req.sign(t, testCreds, testTime)), testCreds.SecretAccessKey)
			if c.ok != (err == nil) {
				t.Fatalf("err = %v, want ok=%v", err, c.ok)
			}
			var e *Error
			if !c.ok {
				if !errors.As(err, &e) || e.Kind != KindRequestTimeTooSkewed || !e.ServerTime.Equal(now) || !e.RequestTime.Equal(testTime) || e.MaxSkew != 15*time.Minute {
					t.Fatalf("err = %+v", err)
				}
			}
		})
	}
	// A custom MaxSkew applies.
	v := NewVerifier(Options{Now: fixedNow(testTime.Add(2 * time.Minute)), MaxSkew: time.Minute})
	if _, err := verify(t, v, toServer(t, req.sign(t, testCreds, testTime)), testCreds.SecretAccessKey); KindOf(err) != KindRequestTimeTooSkewed {
		t.Fatalf("MaxSkew 1m, 2m off: %v", err)
	}
}

func TestPresigned(t *testing.T) {
	t.Parallel()
	get := sdkRequest{method: "GET", service: "s3", url: s3URL("127.0.0.1:9010", "bucket", "dir/my file+ü.txt", "response-content-type=text%2Fplain")}
	const expires = 3600
	cases := []struct {
		name string
		now  time.Time
		msg  string // "" means valid
	}{
		{"at signing", testTime, ""},
		{"last second", testTime.Add(expires * time.Second), ""},
		{"expired", testTime.Add(expires*time.Second + time.Second), "Request has expired"},
		{"early within skew", testTime.Add(-15 * time.Minute), ""},
		{"not yet valid", testTime.Add(-15*time.Minute - time.Second), "Request is not valid yet"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			v := NewVerifier(Options{Now: fixedNow(c.now)})
			r := toServer(t, get.presign(t, testCreds, testTime, expires))
			a, err := Parse(r)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !a.Presigned || a.Expires != time.Hour || a.PayloadHash != UnsignedPayload {
				t.Errorf("Auth = %+v", a)
			}
			err = v.Verify(r, a, testCreds.SecretAccessKey)
			if c.msg == "" {
				if err != nil {
					t.Fatalf("Verify: %v\n%s", err, canonicalOf(err))
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindExpired || e.Message != c.msg {
				t.Fatalf("err = %v, want Expired %q", err, c.msg)
			}
		})
	}
}

func TestPresignedVariants(t *testing.T) {
	t.Parallel()
	v := NewVerifier(Options{Now: fixedNow(testTime)})
	cases := []struct {
		name    string
		req     sdkRequest
		expires int
		kind    Kind
	}{
		{"seven days", sdkRequest{method: "GET", service: "s3", url: s3URL("h", "b", "k", "")}, 604800, 0},
		{"more than seven days", sdkRequest{method: "GET", service: "s3", url: s3URL("h", "b", "k", "")}, 604801, KindAuthorizationQueryParametersError},
		{"zero", sdkRequest{method: "GET", service: "s3", url: s3URL("h", "b", "k", "")}, 0, KindAuthorizationQueryParametersError},
		{"PUT upload keeps the body", sdkRequest{method: "PUT", service: "s3", url: s3URL("h", "b", "upload.bin", ""), body: "payload bytes",
			header: http.Header{"Content-Type": {"application/octet-stream"}}}, 900, 0},
		{"session token", sdkRequest{method: "GET", service: "s3", url: s3URL("h", "b", "k", ""), token: "token/with+odd=chars"}, 900, 0},
		{"sts presigned GetCallerIdentity", sdkRequest{method: "GET", service: "sts", url: "http://h/?Action=GetCallerIdentity&Version=2011-06-15"}, 60, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := toServer(t, c.req.presign(t, testCreds, testTime, c.expires))
			body, err := verify(t, v, r, testCreds.SecretAccessKey)
			if KindOf(err) != c.kind || c.kind == 0 && err != nil {
				t.Fatalf("err = %v, want kind %v\n%s", err, c.kind, canonicalOf(err))
			}
			if err == nil && string(body) != c.req.body {
				t.Errorf("body = %q", body)
			}
			if c.req.token != "" {
				a, _ := Parse(toServer(t, c.req.presign(t, testCreds, testTime, c.expires)))
				if a.SecurityToken != c.req.token {
					t.Errorf("SecurityToken = %q", a.SecurityToken)
				}
			}
		})
	}
	// The holder of a presigned URL cannot add x-amz-* headers.
	r := toServer(t, sdkRequest{method: "PUT", service: "s3", url: s3URL("h", "b", "k", "")}.presign(t, testCreds, testTime, 60))
	r.Header.Set("X-Amz-Copy-Source", "/secret/object")
	if _, err := verify(t, v, r, testCreds.SecretAccessKey); KindOf(err) != KindHeadersNotSigned {
		t.Fatalf("unsigned x-amz header on a presigned URL: %v", err)
	}
}

func TestKeyCache(t *testing.T) {
	t.Parallel()
	v := NewVerifier(Options{Now: fixedNow(testTime), MaxCachedKeys: 2})
	req := sdkRequest{method: "GET", service: "s3", url: s3URL("h", "b", "k", "")}
	old, rotated := testCreds, testCreds
	rotated.SecretAccessKey = "rotated-secret"

	check := func(signer, verifier string, ok bool) {
		t.Helper()
		creds := old
		creds.SecretAccessKey = signer
		_, err := verify(t, v, toServer(t, req.sign(t, creds, testTime)), verifier)
		if ok != (err == nil) {
			t.Fatalf("signed with %q, verified with %q: %v", signer, verifier, err)
		}
	}
	check(old.SecretAccessKey, old.SecretAccessKey, true)                     // miss, then cached
	check(old.SecretAccessKey, old.SecretAccessKey, true)                     // hit
	check(old.SecretAccessKey, rotated.SecretAccessKey, false)                // a changed secret must not hit
	check(rotated.SecretAccessKey, rotated.SecretAccessKey, true)             // the new secret works
	check(rotated.SecretAccessKey, old.SecretAccessKey, false)                // and the old one no longer does
	for i, region := range []string{"us-east-1", "us-east-2", "ap-south-1"} { // overflow clears
		v.signingKey(&Auth{AccessKeyID: "AK", Scope: Scope{"20260314", region, "s3"}}, "s")
		if n := len(v.keys); n > 2 || n == 0 {
			t.Fatalf("after %d inserts: %d cached keys", i+1, n)
		}
	}
	if got, want := SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam"),
		"f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"; hexOf(got) != want {
		t.Errorf("SigningKey = %s, want %s (the IAM user guide's example)", hexOf(got), want)
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func TestConcurrentVerify(t *testing.T) {
	t.Parallel()
	v := NewVerifier(Options{Now: fixedNow(testTime)})
	cases := sdkCases()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		c := cases[i%len(cases)]
		r := toServer(t, c.req.sign(t, testCreds, testTime))
		wg.Go(func() {
			if _, err := verify(t, v, r, testCreds.SecretAccessKey); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestHandBuiltAuth(t *testing.T) {
	t.Parallel()
	// An Auth built by hand (not by Parse) verifies too.
	r := toServer(t, sdkRequest{method: "GET", service: "s3", url: s3URL("h", "b", "k", "")}.sign(t, testCreds, testTime))
	p, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	a := &Auth{AccessKeyID: p.AccessKeyID, Date: p.Date, Scope: p.Scope, SignedHeaders: p.SignedHeaders, Signature: p.Signature, PayloadHash: p.PayloadHash}
	if err := NewVerifier(Options{Now: fixedNow(testTime)}).Verify(r, a, testCreds.SecretAccessKey); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p.SignedHeaders, a.SignedHeaders); diff != "" {
		t.Error(diff)
	}
}
