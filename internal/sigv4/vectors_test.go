package sigv4

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// readVector parses a request file of testdata as a server would receive it.
func readVector(t *testing.T, path string) *http.Request {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head, body, _ := bytes.Cut(raw, []byte("\n\n"))
	head = bytes.ReplaceAll(head, []byte("\n"), []byte("\r\n"))
	wire := append(append(head, "\r\n\r\n"...), body...)
	r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(wire)))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r
}

// TestVectors verifies public SigV4 test vectors (see testdata/README.md):
// each signed request must verify with its secret and fail with another.
func TestVectors(t *testing.T) {
	t.Parallel()
	suites := []struct {
		dir    string
		secret string
		now    time.Time
	}{
		{"testdata/aws-signing-test-suite", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)},
		{"testdata/s3-docs", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)},
	}
	n := 0
	for _, s := range suites {
		files, err := filepath.Glob(filepath.Join(s.dir, "*.req"))
		if err != nil {
			t.Fatal(err)
		}
		v := NewVerifier(Options{Now: func() time.Time { return s.now }})
		for _, f := range files {
			n++
			t.Run(strings.TrimSuffix(filepath.Base(f), ".req"), func(t *testing.T) {
				r := readVector(t, f)
				a, err := Parse(r)
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if got, want := a.Presigned, strings.HasPrefix(filepath.Base(f), "query-") || strings.HasPrefix(filepath.Base(f), "presigned-"); got != want {
					t.Errorf("Presigned = %v, want %v", got, want)
				}
				if err := v.Verify(r, a, s.secret); err != nil {
					t.Fatalf("Verify: %v\n%s", err, canonicalOf(err))
				}
				if _, err := io.ReadAll(r.Body); err != nil {
					t.Fatalf("body: %v", err)
				}
				r2 := readVector(t, f)
				a2, _ := Parse(r2)
				if err := v.Verify(r2, a2, s.secret+"x"); KindOf(err) != KindSignatureDoesNotMatch {
					t.Fatalf("Verify with a wrong secret = %v, want SignatureDoesNotMatch", err)
				}
			})
		}
	}
	if n < 30 {
		t.Fatalf("only %d vectors found", n)
	}
}

func canonicalOf(err error) string {
	if e, ok := err.(*Error); ok {
		return "canonical request:\n" + e.CanonicalRequest + "\n---\nstring to sign:\n" + e.StringToSign
	}
	return ""
}
