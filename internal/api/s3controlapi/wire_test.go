package s3controlapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/smithy-go"

	"github.com/grantd/grantd/internal/api/s3controlapi"
	"github.com/grantd/grantd/internal/apptest"
	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/grants"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/server"
)

// node is a grantd node whose S3 Control route has small quotas, on the
// store, authentication and authorization of a full apptest node.
type node struct {
	env *apptest.Env
	srv *httptest.Server
}

func startNode(t *testing.T) *node {
	t.Helper()
	env := apptest.Start(t, apptest.Options{})
	svc := grants.New(grants.Options{Store: env.App.Store, Authz: env.App.Authz, GrantsQuota: 3, LocationsQuota: 2})
	s := server.New(server.Options{Auth: env.App.Auth, Region: apptest.Region, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Routes: map[string]server.Route{server.S3Control: {Protocol: awserr.S3Control, Handler: s3controlapi.New(svc)}}})
	srv := httptest.NewServer(s)
	t.Cleanup(func() {
		srv.Close()
		if s.Panics() > 0 {
			t.Errorf("%d panics", s.Panics())
		}
	})
	return &node{env: env, srv: srv}
}

// client is an S3 Control client for the management account's root user.
func (n *node) client() *s3control.Client {
	cfg := n.env.Config(n.env.Root())
	addr := strings.TrimPrefix(n.srv.URL, "http://")
	cfg.BaseEndpoint = aws.String(n.srv.URL)
	dialer := &net.Dialer{}
	cfg.HTTPClient = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return dialer.DialContext(ctx, network, addr)
	}}}
	return s3control.NewFromConfig(cfg)
}

// do sends a request signed by the SDK's SigV4 signer, as S3 Control
// clients sign (service s3), and returns status and body.
func (n *node) do(t *testing.T, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, n.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(body))
	hash := hex.EncodeToString(sum[:])
	req.Header.Set("x-amz-account-id", apptest.Account)
	req.Header.Set("X-Amz-Content-Sha256", hash)
	// S3 signs the path as sent, without escaping it again.
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err := signer.SignHTTP(t.Context(), n.env.Root(), req, hash, "s3", apptest.Region, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

var errorBody = regexp.MustCompile(`^<\?xml version="1.0" encoding="UTF-8"\?>\n<ErrorResponse><Error><Code>([A-Za-z]+)</Code><Message>[^<]*</Message></Error><RequestId>[0-9A-F]{16}</RequestId><HostId>[^<]+</HostId></ErrorResponse>$`)

func TestWire(t *testing.T) {
	n := startNode(t)
	const ns = ` xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"`
	status, body := n.do(t, http.MethodPost, "/v20180820/accessgrantsinstance", "")
	if status != 200 || !regexp.MustCompile(`^<\?xml version="1.0" encoding="UTF-8"\?>\n<CreateAccessGrantsInstanceResult`+ns+`><CreatedAt>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z</CreatedAt><AccessGrantsInstanceId>default</AccessGrantsInstanceId><AccessGrantsInstanceArn>arn:aws:s3:us-east-1:111122223333:access-grants/default</AccessGrantsInstanceArn></CreateAccessGrantsInstanceResult>$`).MatchString(body) {
		t.Errorf("CreateAccessGrantsInstance: %d\n%s", status, body)
	}
	big := "<TagResourceRequest>" + strings.Repeat(" ", 2<<20) + "</TagResourceRequest>"
	inst := "/v20180820/tags/arn%3Aaws%3As3%3Aus-east-1%3A111122223333%3Aaccess-grants/default"
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"malformed XML", "POST", "/v20180820/accessgrantsinstance/grant", "<CreateAccessGrantRequest><Permission>READ", 400, "InvalidRequest"},
		{"wrong root", "POST", "/v20180820/accessgrantsinstance/grant", "<CreateAccessGrantsLocationRequest/>", 400, "InvalidRequest"},
		{"content after the root", "PUT", "/v20180820/accessgrantsinstance/resourcepolicy", "<PutAccessGrantsInstanceResourcePolicyRequest/><x/>", 400, "InvalidRequest"},
		{"body too large", "POST", inst, big, 400, "MaxMessageLengthExceeded"},
		{"empty body where members are required", "POST", "/v20180820/accessgrantsinstance/location", "", 400, "InvalidRequest"},
		{"max results not a number", "GET", "/v20180820/accessgrantsinstance/grants?maxResults=ten", "", 400, "InvalidRequest"},
		{"empty tag path", "GET", "/v20180820/tags/", "", 400, "InvalidRequest"},
		{"grant ID with a slash", "GET", "/v20180820/accessgrantsinstance/grant/a%2Fb", "", 400, "InvalidRequest"},
		{"unknown operation", "GET", "/v20180820/accesspoint", "", 501, "NotImplemented"},
		{"wrong method", "PATCH", "/v20180820/accessgrantsinstance", "", 405, "MethodNotAllowed"},
		{"GetDataAccess not yet", "GET", "/v20180820/accessgrantsinstance/dataaccess?target=s3://b/k&permission=READ", "", 501, "NotImplemented"},
		{"missing grant", "GET", "/v20180820/accessgrantsinstance/grant/nope", "", 404, "NoSuchAccessGrantError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := n.do(t, tt.method, tt.path, tt.body)
			m := errorBody.FindStringSubmatch(body)
			if status != tt.status || m == nil || m[1] != tt.code {
				t.Errorf("%s %s: %d %s; want %d %s", tt.method, tt.path, status, body, tt.status, tt.code)
			}
		})
	}
	// Tagging answers 204 without a body; the path's ARN is partially
	// encoded as clients send it.
	status, body = n.do(t, "POST", inst, `<TagResourceRequest`+ns+`><Tags><Tag><Key>k</Key><Value /></Tag></Tags></TagResourceRequest>`)
	if status != 204 || body != "" {
		t.Errorf("TagResource: %d %q", status, body)
	}
	status, body = n.do(t, "GET", inst, "")
	if status != 200 || !strings.Contains(body, `<ListTagsForResourceResult`+ns+`><Tags><Tag><Key>k</Key><Value></Value></Tag></Tags></ListTagsForResourceResult>`) {
		t.Errorf("ListTagsForResource: %d %s", status, body)
	}
	if status, body = n.do(t, "DELETE", inst+"?tagKeys=k&tagKeys=other", ""); status != 204 || body != "" {
		t.Errorf("UntagResource: %d %q", status, body)
	}
}

func TestQuotas(t *testing.T) {
	n := startNode(t)
	// The management account has no roles yet; make one for locations.
	role := meta.NewRole{Role: meta.Role{AccountID: "444455556666", Name: "loc", ID: "AROA444455556666LOC00", Path: "/",
		ARN: "arn:aws:iam::444455556666:role/loc", TrustPolicy: "{}", MaxSessionDuration: 3600, CreatedAt: time.Now()}}
	now := time.Now()
	if err := n.env.App.Store.CreateAccount(t.Context(), meta.NewAccount{
		Account: meta.Account{ID: "444455556666", Name: "b", Email: "b@example.com", Status: "ACTIVE", JoinedMethod: "CREATED", CreatedAt: now},
		RootKey: meta.AccessKey{ID: "AKIA444455556666ROOT", AccountID: "444455556666", Secret: "secret-b", Status: "Active", CreatedAt: now},
		Roles:   []meta.NewRole{role},
	}); err != nil {
		t.Fatal(err)
	}
	cfg := n.client().Options()
	cfg.Credentials = aws.NewCredentialsCache(staticCreds{aws.Credentials{AccessKeyID: "AKIA444455556666ROOT", SecretAccessKey: "secret-b"}})
	c := s3control.New(cfg)
	ctx, acct := t.Context(), aws.String("444455556666")
	if _, err := c.CreateAccessGrantsInstance(ctx, &s3control.CreateAccessGrantsInstanceInput{AccountId: acct}); err != nil {
		t.Fatal(err)
	}
	for i, scope := range []string{"s3://", "s3://bucket-1", "s3://bucket-2"} {
		_, err := c.CreateAccessGrantsLocation(ctx, &s3control.CreateAccessGrantsLocationInput{AccountId: acct, LocationScope: aws.String(scope), IAMRoleArn: aws.String(role.Role.ARN)})
		if i < 2 && err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			wantCode(t, err, "AccessGrantsLocationsQuotaExceededError", 409)
		}
	}
	for i := range 4 {
		_, err := c.CreateAccessGrant(ctx, &s3control.CreateAccessGrantInput{AccountId: acct, AccessGrantsLocationId: aws.String("default"),
			AccessGrantsLocationConfiguration: &types.AccessGrantsLocationConfiguration{S3SubPrefix: aws.String("bucket/" + string(rune('a'+i)) + "*")},
			Permission:                        types.PermissionRead, Grantee: &types.Grantee{GranteeType: types.GranteeTypeIam, GranteeIdentifier: aws.String("arn:aws:iam::444455556666:user/u")}})
		if i < 3 && err != nil {
			t.Fatal(err)
		}
		if i == 3 {
			wantCode(t, err, "AccessGrantsQuotaExceededError", 409)
		}
	}
}

type staticCreds struct{ c aws.Credentials }

func (s staticCreds) Retrieve(context.Context) (aws.Credentials, error) { return s.c, nil }

func wantCode(t *testing.T, err error, code string, status int) {
	t.Helper()
	var ae smithy.APIError
	var re interface{ HTTPStatusCode() int }
	if !errors.As(err, &ae) || ae.ErrorCode() != code || !errors.As(err, &re) || re.HTTPStatusCode() != status {
		t.Errorf("err = %v, want %s (%d)", err, code, status)
	}
}
