package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/grantd/grantd/internal/apptest"
)

// signed sends a request whose body is malformed on purpose, signed by the
// SDK's own signer (the SDK's clients cannot be made to send such bodies).
func signed(t *testing.T, env *apptest.Env, creds aws.Credentials, service string, req *http.Request, body []byte) *http.Response {
	t.Helper()
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Content-Sha256", hash)
	if err := v4.NewSigner().SignHTTP(t.Context(), creds, req, hash, service, apptest.Region, time.Now()); err != nil {
		t.Fatal(err)
	}
	return send(t, env, req)
}

func send(t *testing.T, env *apptest.Env, req *http.Request) *http.Response {
	t.Helper()
	resp, err := env.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// xmlCode decodes the code of an XML error body of any envelope.
func xmlCode(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	var doc struct {
		Code  string `xml:"Code"`
		Error struct {
			Code string `xml:"Code"`
		} `xml:"Error"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("error body is not XML: %v\n%s", err, b)
	}
	if doc.Code != "" {
		return doc.Code
	}
	return doc.Error.Code
}

func jsonType(t *testing.T, resp *http.Response) string {
	t.Helper()
	var doc struct {
		Type string `json:"__type"`
	}
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("error body is not JSON: %v\n%s", err, b)
	}
	return doc.Type
}

func TestBadInputQuery(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	form := func(body string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, env.Endpoint+"/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req
	}
	tests := []struct {
		name   string
		resp   func() *http.Response
		code   string
		status int
	}{
		{"malformed authorization", func() *http.Response {
			req := form("Action=GetCallerIdentity&Version=2011-06-15")
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=garbage")
			return send(t, env, req)
		}, "IncompleteSignature", http.StatusBadRequest},
		{"unsigned", func() *http.Response {
			return send(t, env, form("Action=GetCallerIdentity&Version=2011-06-15"))
		}, "MissingAuthenticationToken", http.StatusForbidden},
		{"unknown action", func() *http.Response {
			body := "Action=MakeCoffee&Version=2011-06-15"
			return signed(t, env, env.Root(), "sts", form(body), []byte(body))
		}, "InvalidAction", http.StatusBadRequest},
		{"missing action", func() *http.Response {
			body := "Version=2011-06-15"
			return signed(t, env, env.Root(), "sts", form(body), []byte(body))
		}, "MissingAction", http.StatusBadRequest},
		{"bad form encoding", func() *http.Response {
			body := "Action=GetCallerIdentity&%zz"
			return signed(t, env, env.Root(), "sts", form(body), []byte(body))
		}, "MalformedQueryString", http.StatusBadRequest},
		{"body over the limit", func() *http.Response {
			body := "Action=GetCallerIdentity&Pad=" + strings.Repeat("a", 1<<20)
			return signed(t, env, env.Root(), "sts", form(body), []byte(body))
		}, "ValidationError", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := tt.resp()
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if got := xmlCode(t, resp); got != tt.code {
				t.Errorf("code = %q, want %q", got, tt.code)
			}
			if resp.Header.Get("x-amz-request-id") == "" {
				t.Error("no x-amz-request-id header")
			}
		})
	}
}

func TestBadInputJSON(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	orgReq := func(target, body string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, env.Endpoint+"/", bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", target)
		return req
	}
	tests := []struct {
		name string
		resp func() *http.Response
		code string
	}{
		{"garbage JSON", func() *http.Response {
			body := `{"AccountId": ` // truncated
			return signed(t, env, env.Root(), "organizations", orgReq("AWSOrganizationsV20161128.DescribeAccount", body), []byte(body))
		}, "SerializationException"},
		{"wrong JSON type", func() *http.Response {
			body := `{"AccountId": 12}`
			return signed(t, env, env.Root(), "organizations", orgReq("AWSOrganizationsV20161128.DescribeAccount", body), []byte(body))
		}, "SerializationException"},
		{"unknown operation", func() *http.Response {
			return signed(t, env, env.Root(), "organizations", orgReq("AWSOrganizationsV20161128.MakeCoffee", "{}"), []byte("{}"))
		}, "UnknownOperationException"},
		{"unknown service", func() *http.Response {
			return signed(t, env, env.Root(), "dynamodb", orgReq("DynamoDB_20120810.ListTables", "{}"), []byte("{}"))
		}, "UnknownOperationException"},
		{"unsigned", func() *http.Response {
			return send(t, env, orgReq("AWSOrganizationsV20161128.ListAccounts", "{}"))
		}, "MissingAuthenticationTokenException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := tt.resp()
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status = %d, want 400", resp.StatusCode)
			}
			if got := jsonType(t, resp); got != tt.code {
				t.Errorf("__type = %q, want %q", got, tt.code)
			}
		})
	}
}
