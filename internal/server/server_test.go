package server

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/grantd/grantd/internal/api"
	"github.com/grantd/grantd/internal/awserr"
)

func newTestServer(t *testing.T, h api.HandlerFunc) (*Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	s := New(Options{
		Region: "us-east-1",
		Log:    slog.New(slog.NewJSONHandler(&logs, nil)),
		Routes: map[string]Route{S3: {Protocol: awserr.S3, Handler: h}},
	})
	return s, &logs
}

func TestRequestLogLine(t *testing.T) {
	s, logs := newTestServer(t, func(w http.ResponseWriter, r *http.Request) error {
		api.SetOperation(r.Context(), "GetObject")
		return awserr.New(awserr.AccessDenied)
	})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/bucket/key", nil))
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "<Code>AccessDenied</Code>") {
		t.Errorf("response %d %s", rec.Code, rec.Body.String())
	}
	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatalf("log is not one JSON line: %v\n%s", err, logs.String())
	}
	want := map[string]any{"msg": "request", "service": "s3", "operation": "GetObject", "principal": "anonymous", "status": float64(403),
		"request_id": rec.Header().Get("x-amz-request-id")}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("log %s = %v, want %v", k, line[k], v)
		}
	}
	if _, ok := line["duration"]; !ok {
		t.Error("log line has no duration")
	}
}

func TestPanicBecomesInternalError(t *testing.T) {
	s, logs := newTestServer(t, func(w http.ResponseWriter, r *http.Request) error {
		panic("nil map write in a handler: a bug")
	})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/bucket/key", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "<Code>InternalError</Code>") {
		t.Errorf("response %d %s", rec.Code, rec.Body.String())
	}
	if strings.Contains(rec.Body.String(), "goroutine") || strings.Contains(rec.Body.String(), "nil map write") {
		t.Errorf("response leaks the panic: %s", rec.Body.String())
	}
	if s.Panics() != 1 {
		t.Errorf("Panics() = %d, want 1", s.Panics())
	}
	if !strings.Contains(logs.String(), "BUG: handler panicked") {
		t.Errorf("panic not logged as a bug:\n%s", logs.String())
	}
}

func TestPlainErrorHidesDetail(t *testing.T) {
	s, logs := newTestServer(t, func(w http.ResponseWriter, r *http.Request) error {
		return errSecret
	})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/b", nil))
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "database password") {
		t.Errorf("response %d %s", rec.Code, rec.Body.String())
	}
	if !strings.Contains(logs.String(), "database password") {
		t.Error("the cause is not logged under the request ID")
	}
}

var errSecret = &secretErr{}

type secretErr struct{}

func (*secretErr) Error() string { return "database password rejected" }

func TestRouting(t *testing.T) {
	tests := []struct {
		name, method, path, auth, target, ctype, account string
		want                                             string
	}{
		{"s3 signed", "GET", "/bucket", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00", "", "", "", S3},
		{"s3 control", "GET", "/v20180820/accessgrantsinstance", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00", "", "", "111122223333", S3Control},
		{"bucket named like the control prefix", "GET", "/v20180820/key", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00", "", "", "", S3},
		{"iam", "POST", "/", "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/iam/aws4_request, SignedHeaders=host, Signature=00", "", "application/x-www-form-urlencoded", "", IAM},
		{"unsigned form", "POST", "/", "", "", "application/x-www-form-urlencoded", "", STS},
		{"unsigned organizations", "POST", "/", "", "AWSOrganizationsV20161128.ListAccounts", "application/x-amz-json-1.1", "", Organizations},
		{"unsigned s3", "GET", "/bucket/key", "", "", "", "", S3},
	}
	s := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.path, nil)
			for k, v := range map[string]string{"Authorization": tt.auth, "X-Amz-Target": tt.target, "Content-Type": tt.ctype, "x-amz-account-id": tt.account} {
				if v != "" {
					r.Header.Set(k, v)
				}
			}
			if got, _ := s.route(r); got != tt.want {
				t.Errorf("route = %q, want %q", got, tt.want)
			}
		})
	}
}
