package sigv4

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// TestBotocore has real botocore clients (the aws CLI's signing code) sign
// requests of several shapes and send them to a server that verifies them
// with this package. It skips only when python3 or botocore is missing and
// GRANTD_REQUIRE_AWSCLI is not set.
func TestBotocore(t *testing.T) {
	if testing.Short() {
		t.Skip("starts python3")
	}
	if err := exec.Command("python3", "-c", "import botocore").Run(); err != nil {
		// The aws CLI is botocore: where CI requires the CLI, this must run.
		if os.Getenv("GRANTD_REQUIRE_AWSCLI") == "1" {
			t.Fatalf("python3 with botocore is required (GRANTD_REQUIRE_AWSCLI=1): %v", err)
		}
		t.Skipf("python3 with botocore is not available: %v", err)
	}
	const ak, secret = "AKIDBOTOCORE", "botocore/Secret+Key=="
	v := NewVerifier(Options{})

	var mu sync.Mutex
	var seen []string
	var failures []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		label, err := verifyForBotocore(v, r, secret)
		mu.Lock()
		seen = append(seen, label)
		if err != nil {
			failures = append(failures, label+": "+err.Error()+"\n"+canonicalOf(err))
		}
		mu.Unlock()
		if err != nil {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, "<Error><Code>SignatureDoesNotMatch</Code><Message>%s</Message></Error>", KindOf(err))
			return
		}
		respondForBotocore(w, r, label)
	})
	plain := httptest.NewServer(h)
	defer plain.Close()
	tls := httptest.NewTLSServer(h)
	defer tls.Close()

	out, err := exec.Command("python3", "testdata/botocore_client.py", plain.URL, tls.URL, ak, secret).CombinedOutput()
	t.Logf("botocore:\n%s", out)
	if err != nil {
		t.Fatalf("botocore client failed: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	// The only failure is the case signed with a wrong secret.
	if len(failures) != 1 || !strings.HasPrefix(failures[0], "s3 PUT /bucket/k ") || !strings.Contains(failures[0], "SignatureDoesNotMatch") {
		t.Errorf("failures: %q", failures)
	}
	if len(seen) < 12 {
		t.Errorf("only %d requests reached the server: %q", len(seen), seen)
	}
	var chunked bool
	for _, s := range seen {
		chunked = chunked || strings.Contains(s, StreamingUnsignedPayloadTrailer)
	}
	if !chunked {
		t.Errorf("no aws-chunked upload was seen: %q", seen)
	}
}

// verifyForBotocore verifies r and reads its body; for aws-chunked uploads
// it also checks the trailing CRC32 against the decoded bytes.
func verifyForBotocore(v *Verifier, r *http.Request, secret string) (string, error) {
	a, err := Parse(r)
	if err != nil {
		return r.Method + " " + r.URL.Path, err
	}
	label := fmt.Sprintf("%s %s %s %s", a.Scope.Service, r.Method, r.URL.Path, a.PayloadHash)
	if err := v.Verify(r, a, secret); err != nil {
		return label, err
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return label, err
	}
	if a.PayloadHash == StreamingUnsignedPayloadTrailer {
		want := crc32Base64(body)
		if got := Trailers(r.Body).Get("X-Amz-Checksum-Crc32"); got != want {
			return label, errors.New("trailer crc32 " + got + ", computed " + want)
		}
		if crc32.ChecksumIEEE(body) == 0 || r.ContentLength != int64(len(body)) {
			return label, errors.New("decoded length mismatch")
		}
	}
	return label, nil
}

// respondForBotocore answers just enough for botocore to parse the reply.
func respondForBotocore(w http.ResponseWriter, r *http.Request, label string) {
	w.Header().Set("x-amz-request-id", "req")
	switch {
	case strings.HasPrefix(label, "sts "):
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/u</Arn><UserId>AIDA</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`)
	case strings.HasPrefix(label, "iam "):
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListUsersResponse>`)
	case r.Method == http.MethodGet && r.URL.Query().Has("list-type"):
		w.Header().Set("Content-Type", "application/xml")
		io.WriteString(w, `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bucket</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`)
	case r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "hello")
	default:
		w.Header().Set("ETag", `"etag"`)
	}
}
