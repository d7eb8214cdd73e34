package sigv4

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const goodHeader = "AWS4-HMAC-SHA256 Credential=AKID/20260314/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + EmptySHA256

func rawRequest(t testing.TB, target string, header map[string]string) *http.Request {
	t.Helper()
	var b strings.Builder
	b.WriteString("GET " + target + " HTTP/1.1\r\nHost: h\r\n")
	for k, v := range header {
		b.WriteString(k + ": " + v + "\r\n")
	}
	b.WriteString("\r\n")
	return readWire(t, []byte(b.String()))
}

func TestParseHeader(t *testing.T) {
	t.Parallel()
	r := rawRequest(t, "/b/k", map[string]string{
		"Authorization":        goodHeader,
		"X-Amz-Date":           "20260314T150926Z",
		"X-Amz-Content-Sha256": EmptySHA256,
		"X-Amz-Security-Token": "tok",
	})
	a, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	want := &Auth{
		AccessKeyID: "AKID", Date: testTime, Scope: Scope{"20260314", "eu-west-1", "s3"},
		SignedHeaders: []string{"host", "x-amz-content-sha256", "x-amz-date"}, Signature: EmptySHA256,
		PayloadHash: EmptySHA256, SecurityToken: "tok",
	}
	if diff := cmp.Diff(want, a, cmpopts.IgnoreUnexported(Auth{})); diff != "" {
		t.Error(diff)
	}
	if s := a.Scope.String(); s != "20260314/eu-west-1/s3/aws4_request" {
		t.Errorf("Scope.String() = %q", s)
	}
}

func TestParseDateHeader(t *testing.T) {
	t.Parallel()
	r := rawRequest(t, "/", map[string]string{"Authorization": goodHeader, "Date": "Sat, 14 Mar 2026 15:09:26 GMT"})
	a, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Date.Equal(testTime) || a.amzDate != "20260314T150926Z" {
		t.Errorf("Date = %v (%s)", a.Date, a.amzDate)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	date := map[string]string{"X-Amz-Date": "20260314T150926Z"}
	withAuth := func(h string) map[string]string {
		return map[string]string{"Authorization": h, "X-Amz-Date": "20260314T150926Z"}
	}
	const q = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260314%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20260314T150926Z&X-Amz-SignedHeaders=host&X-Amz-Signature=" + EmptySHA256
	cases := []struct {
		name   string
		target string
		header map[string]string
		kind   Kind
		msg    string // a substring of the message
	}{
		{"unsigned", "/b/k", nil, 0, ""},
		{"sigv2 header", "/", withAuth("AWS AKID:c2lnbmF0dXJl"), KindUnsupportedAuth, "Please use AWS4-HMAC-SHA256"},
		{"sigv4a header", "/", withAuth("AWS4-ECDSA-P256-SHA256 Credential=AKID/20260314/s3/aws4_request, SignedHeaders=host, Signature=00"), KindUnsupportedAuth, ""},
		{"sigv2 query", "/?AWSAccessKeyId=AKID&Expires=1&Signature=x", nil, KindUnsupportedAuth, ""},
		{"both mechanisms", "/?" + q + "&X-Amz-Expires=60", withAuth(goodHeader), KindUnsupportedAuth, "Only one auth mechanism"},
		{"empty header", "/", withAuth(""), KindUnsupportedAuth, ""},
		{"algorithm only", "/", withAuth("AWS4-HMAC-SHA256"), KindIncompleteSignature, "requires 'Credential' parameter"},
		{"no signature", "/", withAuth("AWS4-HMAC-SHA256 Credential=AKID/20260314/eu-west-1/s3/aws4_request, SignedHeaders=host"), KindIncompleteSignature, "requires 'Signature' parameter"},
		{"no equal sign", "/", withAuth("AWS4-HMAC-SHA256 Credential, SignedHeaders=host, Signature=00"), KindAuthorizationHeaderMalformed, "missing equal-sign"},
		{"duplicate component", "/", withAuth(goodHeader + ", Signature=00"), KindAuthorizationHeaderMalformed, "duplicate"},
		{"credential too short", "/", withAuth("AWS4-HMAC-SHA256 Credential=AKID/20260314/eu-west-1/aws4_request, SignedHeaders=host, Signature=00"), KindAuthorizationHeaderMalformed, "Credential is mal-formed"},
		{"credential bad terminal", "/", withAuth("AWS4-HMAC-SHA256 Credential=AKID/20260314/eu-west-1/s3/aws5_request, SignedHeaders=host, Signature=00"), KindAuthorizationHeaderMalformed, "Credential is mal-formed"},
		{"credential bad date", "/", withAuth("AWS4-HMAC-SHA256 Credential=AKID/20261399/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=00"), KindAuthorizationHeaderMalformed, "Credential is mal-formed"},
		{"empty access key", "/", withAuth("AWS4-HMAC-SHA256 Credential=/20260314/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=00"), KindAuthorizationHeaderMalformed, ""},
		{"empty signed headers", "/", withAuth("AWS4-HMAC-SHA256 Credential=AKID/20260314/eu-west-1/s3/aws4_request, SignedHeaders=, Signature=00"), KindAuthorizationHeaderMalformed, ""},
		{"bad signed header name", "/", withAuth("AWS4-HMAC-SHA256 Credential=AKID/20260314/eu-west-1/s3/aws4_request, SignedHeaders=host;;x, Signature=00"), KindAuthorizationHeaderMalformed, ""},
		{"no date", "/", map[string]string{"Authorization": goodHeader}, KindMissingDate, "requires a valid Date or x-amz-date header"},
		{"bad date", "/", map[string]string{"Authorization": goodHeader, "X-Amz-Date": "2026-03-14T15:09:26Z"}, KindMissingDate, ""},
		{"query without expires (s3)", "/?" + q, nil, KindAuthorizationQueryParametersError, "requires the X-Amz-Algorithm"},
		{"query without signature", "/?" + strings.Replace(q, "X-Amz-Signature", "X-Amz-Sig", 1) + "&X-Amz-Expires=60", nil, KindAuthorizationQueryParametersError, "requires the X-Amz-Algorithm"},
		{"query other algorithm", "/?" + strings.Replace(q, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1) + "&X-Amz-Expires=60", nil, KindAuthorizationQueryParametersError, `only supports "AWS4-HMAC-SHA256"`},
		{"query bad credential", "/?" + strings.Replace(q, "%2Fs3%2F", "%2F", 1) + "&X-Amz-Expires=60", nil, KindAuthorizationQueryParametersError, "Error parsing the X-Amz-Credential parameter"},
		{"query bad date", "/?" + strings.Replace(q, "20260314T150926Z", "20260314", 1) + "&X-Amz-Expires=60", nil, KindAuthorizationQueryParametersError, "ISO8601 Long Format"},
		{"query expires not a number", "/?" + q + "&X-Amz-Expires=soon", nil, KindAuthorizationQueryParametersError, "should be a number"},
		{"query expires negative", "/?" + q + "&X-Amz-Expires=-1", nil, KindAuthorizationQueryParametersError, "non-negative"},
		{"query expires over a week", "/?" + q + "&X-Amz-Expires=604801", nil, KindAuthorizationQueryParametersError, "less than a week"},
		{"query bad escape", "/?" + q + "&X-Amz-Expires=%zz", nil, KindAuthorizationQueryParametersError, ""},
		{"query ok", "/?" + q + "&X-Amz-Expires=604800", date, 0, "ok"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a, err := Parse(rawRequest(t, c.target, c.header))
			switch {
			case c.msg == "ok":
				if err != nil || a == nil {
					t.Fatalf("Parse = %v", err)
				}
			case c.kind == 0:
				if !errors.Is(err, ErrNoAuth) {
					t.Fatalf("Parse = %v, want ErrNoAuth", err)
				}
			default:
				var e *Error
				if !errors.As(err, &e) || e.Kind != c.kind || !strings.Contains(e.Message, c.msg) {
					t.Fatalf("Parse = %v, want kind %v containing %q", err, c.kind, c.msg)
				}
				if !errors.Is(err, &Error{Kind: c.kind}) {
					t.Errorf("errors.Is by kind failed")
				}
			}
		})
	}
}

func TestVerifyPreconditions(t *testing.T) {
	t.Parallel()
	v := NewVerifier(Options{Now: fixedNow(testTime)})
	cases := []struct {
		name   string
		header map[string]string
		kind   Kind
	}{
		{"scope date differs", map[string]string{"Authorization": strings.Replace(goodHeader, "20260314", "20260313", 1), "X-Amz-Date": "20260314T150926Z", "X-Amz-Content-Sha256": EmptySHA256}, KindAuthorizationHeaderMalformed},
		{"host not signed", map[string]string{"Authorization": strings.Replace(goodHeader, "host;", "", 1), "X-Amz-Date": "20260314T150926Z", "X-Amz-Content-Sha256": EmptySHA256}, KindIncompleteSignature},
		{"s3 without content sha", map[string]string{"Authorization": strings.Replace(goodHeader, "x-amz-content-sha256;", "", 1), "X-Amz-Date": "20260314T150926Z"}, KindMissingContentSHA256},
		{"bad content sha", map[string]string{"Authorization": goodHeader, "X-Amz-Date": "20260314T150926Z", "X-Amz-Content-Sha256": "not-a-hash"}, KindInvalidContentSHA256},
		{"streaming without decoded length", map[string]string{"Authorization": goodHeader, "X-Amz-Date": "20260314T150926Z", "X-Amz-Content-Sha256": StreamingPayload}, KindMissingContentLength},
		{"malformed signature", map[string]string{"Authorization": strings.Replace(goodHeader, EmptySHA256, "zz", 1), "X-Amz-Date": "20260314T150926Z", "X-Amz-Content-Sha256": EmptySHA256}, KindSignatureDoesNotMatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := rawRequest(t, "/b/k", c.header)
			a, err := Parse(r)
			if err != nil {
				t.Fatal(err)
			}
			if err := v.Verify(r, a, "secret"); KindOf(err) != c.kind {
				t.Fatalf("Verify = %v, want %v", err, c.kind)
			}
		})
	}
}

func TestRawPath(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"/a%20b/c+d?x=1":                  "/a%20b/c+d",
		"http://111122223333.h:9/v2/x?y":  "/v2/x",
		"http://h:9?y=1":                  "/",
		"http://h":                        "/",
		"*":                               "/",
		"/":                               "/",
		"/only-path":                      "/only-path",
		"https://h/%E2%82%AC/?list-type=": "/%E2%82%AC/",
	}
	for target, want := range cases {
		r := &http.Request{RequestURI: target}
		if got := rawPath(r); got != want {
			t.Errorf("rawPath(%q) = %q, want %q", target, got, want)
		}
	}
}

func TestNormalizePath(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"/":                "/",
		"//":               "/",
		"/a/b/":            "/a/b/",
		"/a/./b":           "/a/b",
		"/a/../b":          "/b",
		"/../../a":         "/a",
		"/a/..":            "/",
		"/a/.":             "/a",
		"//example//":      "/example/",
		"/a%2F../b":        "/a%2F../b", // an encoded slash does not split segments
		"/a/b/../../c/d/.": "/c/d",
	}
	for in, want := range cases {
		if got := string(normalizePath(nil, in)); got != want {
			t.Errorf("normalizePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKindString(t *testing.T) {
	t.Parallel()
	if KindExpired.String() != "Expired" || Kind(200).String() != "Kind(200)" {
		t.Error(KindExpired.String(), Kind(200).String())
	}
	e := &Error{Kind: KindIncompleteBody, Message: "m", Err: errors.New("cause")}
	if e.Error() != "sigv4: IncompleteBody: m: cause" || errors.Unwrap(e).Error() != "cause" {
		t.Error(e.Error())
	}
}
