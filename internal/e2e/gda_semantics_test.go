package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/grantd/grantd/internal/apptest"
)

// TestDataAccessMatching checks which grant GetDataAccess picks — the
// most specific covering one with a satisfying permission — and what the
// credentials then allow.
func TestDataAccessMatching(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	w := newWalkthrough(t, env) // grant: ag-demo-bucket/prefixA* READ
	w.grant(t, wkBucket+"/*", types.PermissionRead, wkConsumerRole, "")
	w.grant(t, wkBucket+"/prefixA/sub*", types.PermissionReadwrite, wkConsumerRole, "")
	w.grant(t, wkBucket+"/prefixA/sub/g.txt", types.PermissionRead, wkConsumerRole, types.S3PrefixTypeObject)
	// Another role's broader grant never matches the consumer.
	w.grant(t, wkBucket+"/*", types.PermissionReadwrite, "arn:aws:iam::444455556666:role/someone-else", "")
	mustPut(t, w.s3(w.a), wkBucket, "prefixA/sub/h.txt", []byte("h"))

	tests := []struct {
		target string
		perm   types.Permission
		want   string // MatchedGrantTarget; "" for AccessDenied
	}{
		{"s3://ag-demo-bucket/prefixA/sub/g.txt", types.PermissionRead, "s3://ag-demo-bucket/prefixA/sub/g.txt"},
		{"s3://ag-demo-bucket/prefixA/sub/h.txt", types.PermissionRead, "s3://ag-demo-bucket/prefixA/sub*"},
		{"s3://ag-demo-bucket/prefixA/sub/*", types.PermissionRead, "s3://ag-demo-bucket/prefixA/sub*"},
		{"s3://ag-demo-bucket/prefixA/f.txt", types.PermissionRead, "s3://ag-demo-bucket/prefixA*"},
		{"s3://ag-demo-bucket/top.txt", types.PermissionRead, "s3://ag-demo-bucket/*"},
		{"s3://ag-demo-bucket", types.PermissionRead, "s3://ag-demo-bucket/*"},
		{"s3://ag-demo-bucket/prefixA/sub/h.txt", types.PermissionWrite, "s3://ag-demo-bucket/prefixA/sub*"},
		{"s3://ag-demo-bucket/prefixA/sub*", types.PermissionReadwrite, "s3://ag-demo-bucket/prefixA/sub*"},
		// The object grant is READ: WRITE falls back to the READWRITE prefix.
		{"s3://ag-demo-bucket/prefixA/sub/g.txt", types.PermissionWrite, "s3://ag-demo-bucket/prefixA/sub*"},
		// READ grants never satisfy WRITE or READWRITE.
		{"s3://ag-demo-bucket/prefixA/f.txt", types.PermissionWrite, ""},
		{"s3://ag-demo-bucket/top.txt", types.PermissionReadwrite, ""},
		{"s3://other-bucket/x", types.PermissionRead, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.perm)+" "+tt.target, func(t *testing.T) {
			out, err := w.dataAccess(t, w.consumer, &s3control.GetDataAccessInput{Target: aws.String(tt.target), Permission: tt.perm})
			if tt.want == "" {
				wantAPIMessage(t, err, "AccessDenied", http.StatusForbidden,
					"You do not have "+string(tt.perm)+" permissions to the requested S3 Prefix: "+tt.target)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(out.MatchedGrantTarget); got != tt.want {
				t.Errorf("MatchedGrantTarget = %q, want %q", got, tt.want)
			}
		})
	}

	// Credentials carry the permission asked for, not the grant's: WRITE
	// on a READWRITE grant cannot read.
	_, creds := w.mustDataAccess(t, w.consumer, "s3://ag-demo-bucket/prefixA/sub/h.txt", types.PermissionWrite)
	s := w.s3(creds)
	if !canPut(t, s, wkBucket, "prefixA/sub/new.txt") || canGet(t, s, wkBucket, "prefixA/sub/h.txt") || canPut(t, s, wkBucket, "prefixA/new.txt") {
		t.Error("WRITE credentials on prefixA/sub*: want put inside only, no reads")
	}
}

// TestDataAccessPrivilege checks Minimal against Default: Minimal scopes
// the credentials to the target alone.
func TestDataAccessPrivilege(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	w := newWalkthrough(t, env)
	mustPut(t, w.s3(w.a), wkBucket, "prefixA/sub/h.txt", []byte("h"))
	tests := []struct {
		name       string
		in         s3control.GetDataAccessInput
		matched    string
		readable   []string
		unreadable []string
	}{
		{"default", s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA/sub/g.txt")},
			"s3://ag-demo-bucket/prefixA*", []string{"prefixA/sub/g.txt", "prefixA/f.txt", "prefixA-2024/report.txt"}, []string{"prefixB/secret.txt"}},
		{"minimal object", s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA/sub/g.txt"), Privilege: types.PrivilegeMinimal, TargetType: types.S3PrefixTypeObject},
			"s3://ag-demo-bucket/prefixA/sub/g.txt", []string{"prefixA/sub/g.txt"}, []string{"prefixA/sub/h.txt", "prefixA/f.txt"}},
		{"minimal prefix", s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA/sub/*"), Privilege: types.PrivilegeMinimal},
			"s3://ag-demo-bucket/prefixA/sub/*", []string{"prefixA/sub/g.txt", "prefixA/sub/h.txt"}, []string{"prefixA/f.txt", "prefixA-2024/report.txt"}},
		{"minimal without star is one object", s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA/sub/h.txt"), Privilege: types.PrivilegeMinimal},
			"s3://ag-demo-bucket/prefixA/sub/h.txt", []string{"prefixA/sub/h.txt"}, []string{"prefixA/sub/g.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Permission = types.PermissionRead
			out, err := w.dataAccess(t, w.consumer, &in)
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(out.MatchedGrantTarget); got != tt.matched {
				t.Errorf("MatchedGrantTarget = %q, want %q", got, tt.matched)
			}
			s := w.s3(vended(out))
			for _, k := range tt.readable {
				if !canGet(t, s, wkBucket, k) {
					t.Errorf("cannot read %s", k)
				}
			}
			for _, k := range tt.unreadable {
				if canGet(t, s, wkBucket, k) {
					t.Errorf("can read %s, outside %s", k, tt.matched)
				}
			}
		})
	}
}

// TestDataAccessDuration checks durationSeconds: its default, its range
// and the location role's MaxSessionDuration.
func TestDataAccessDuration(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	w := newWalkthrough(t, env) // the location role's MaxSessionDuration is 3600
	target := aws.String("s3://ag-demo-bucket/prefixA*")
	for _, tt := range []struct {
		seconds int32
		want    time.Duration
		code    string
		status  int
	}{
		{0, time.Hour, "", 0}, // absent: one hour
		{900, 15 * time.Minute, "", 0},
		{3600, time.Hour, "", 0},
		{3601, 0, "StsValidationError", http.StatusBadRequest},
		{43200, 0, "StsValidationError", http.StatusBadRequest},
		{899, 0, "InvalidRequest", http.StatusBadRequest},
		{43201, 0, "InvalidRequest", http.StatusBadRequest},
	} {
		in := &s3control.GetDataAccessInput{Target: target, Permission: types.PermissionRead}
		if tt.seconds != 0 {
			in.DurationSeconds = aws.Int32(tt.seconds)
		}
		start := time.Now()
		out, err := w.dataAccess(t, w.consumer, in)
		if tt.code != "" {
			wantAPIError(t, err, tt.code, tt.status)
			continue
		}
		if err != nil {
			t.Fatalf("durationSeconds %d: %v", tt.seconds, err)
		}
		if d := aws.ToTime(out.Credentials.Expiration).Sub(start); d < tt.want-time.Minute || d > tt.want+time.Minute {
			t.Errorf("durationSeconds %d: credentials last %s, want %s", tt.seconds, d, tt.want)
		}
	}
	// A longer MaxSessionDuration allows longer credentials.
	if _, err := w.iam.client(wkA).UpdateRole(t.Context(), updateRoleMax("ag-location-role", 43200)); err != nil {
		t.Fatal(err)
	}
	out, err := w.dataAccess(t, w.consumer, &s3control.GetDataAccessInput{Target: target, Permission: types.PermissionRead, DurationSeconds: aws.Int32(43200)})
	if err != nil || aws.ToTime(out.Credentials.Expiration).Before(time.Now().Add(11*time.Hour)) {
		t.Errorf("12-hour credentials with MaxSessionDuration 43200: %v", err)
	}
}

// TestDataAccessTrust checks that the location role's trust policy
// decides whether S3 Access Grants may assume it.
func TestDataAccessTrust(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	w := newWalkthrough(t, env)
	service := map[string]any{"Service": "access-grants.s3.amazonaws.com"}
	for _, tt := range []struct {
		name  string
		trust map[string]any
		code  string
	}{
		{"trusts the service", map[string]any{"Effect": "Allow", "Principal": service, "Action": []string{"sts:AssumeRole", "sts:SetSourceIdentity"}}, ""},
		{"trusts only B's account", map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": wkB}, "Action": []string{"sts:AssumeRole", "sts:SetSourceIdentity"}}, "StsNotAuthorizedError"},
		{"no sts:SetSourceIdentity for an IAM grantee", map[string]any{"Effect": "Allow", "Principal": service, "Action": "sts:AssumeRole"}, "StsNotAuthorizedError"},
		{"another instance as aws:SourceArn", map[string]any{"Effect": "Allow", "Principal": service, "Action": []string{"sts:AssumeRole", "sts:SetSourceIdentity"},
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceArn": "arn:aws:s3:us-east-2:999988887777:access-grants/default"}}}, "StsNotAuthorizedError"},
		{"another account as aws:SourceAccount", map[string]any{"Effect": "Allow", "Principal": service, "Action": []string{"sts:AssumeRole", "sts:SetSourceIdentity"},
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": wkB}}}, "StsNotAuthorizedError"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := w.iam.client(wkA).UpdateAssumeRolePolicy(t.Context(), updateTrust("ag-location-role", doc(tt.trust))); err != nil {
				t.Fatal(err)
			}
			_, err := w.dataAccess(t, w.consumer, &s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA*"), Permission: types.PermissionRead})
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantAPIMessage(t, err, tt.code, http.StatusForbidden, "access-grants.s3.amazonaws.com is not authorized to perform")
		})
	}
}

// TestDataAccessBadInput checks that each malformed request gets AWS's
// error and status.
func TestDataAccessBadInput(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	w := newWalkthrough(t, env)
	sdk := []struct {
		name   string
		in     s3control.GetDataAccessInput
		code   string
		status int
	}{
		{"target not an S3 URI", s3control.GetDataAccessInput{Target: aws.String("ag-demo-bucket/prefixA*"), Permission: types.PermissionRead}, "InvalidRequest", 400},
		{"https target", s3control.GetDataAccessInput{Target: aws.String("https://ag-demo-bucket.s3.amazonaws.com/prefixA/f.txt"), Permission: types.PermissionRead}, "InvalidRequest", 400},
		{"invalid bucket", s3control.GetDataAccessInput{Target: aws.String("s3://AG_demo/x"), Permission: types.PermissionRead}, "InvalidRequest", 400},
		{"wildcard inside", s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/pre*fix"), Permission: types.PermissionRead}, "InvalidRequest", 400},
		{"object target with wildcard", s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA*"), Permission: types.PermissionRead, TargetType: types.S3PrefixTypeObject}, "InvalidRequest", 400},
		{"bucket outside every grant", s3control.GetDataAccessInput{Target: aws.String("s3://no-such-bucket/x"), Permission: types.PermissionRead}, "AccessDenied", 403},
		{"unknown permission", s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA*"), Permission: "FULL"}, "InvalidRequest", 400},
		{"lower-case permission", s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA*"), Permission: "read"}, "InvalidRequest", 400},
		{"unknown privilege", s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA*"), Permission: types.PermissionRead, Privilege: "Maximal"}, "InvalidRequest", 400},
		{"unknown target type", s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA*"), Permission: types.PermissionRead, TargetType: "Prefix"}, "InvalidRequest", 400},
		{"duration too short", s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA*"), Permission: types.PermissionRead, DurationSeconds: aws.Int32(60)}, "InvalidRequest", 400},
		{"duration too long", s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA*"), Permission: types.PermissionRead, DurationSeconds: aws.Int32(86400)}, "InvalidRequest", 400},
		{"audit context too long", s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA*"), Permission: types.PermissionRead, AuditContext: aws.String(strings.Repeat("a", 2049))}, "InvalidRequest", 400},
	}
	for _, tt := range sdk {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			_, err := w.dataAccess(t, w.consumer, &in)
			wantAPIError(t, err, tt.code, tt.status)
		})
	}
	// B has no instance of its own.
	_, err := w.control(w.b).GetDataAccess(t.Context(), &s3control.GetDataAccessInput{AccountId: aws.String(wkB),
		Target: aws.String("s3://ag-demo-bucket/prefixA*"), Permission: types.PermissionRead})
	wantAPIError(t, err, "AccessGrantsInstanceNotExistsError", http.StatusNotFound)

	// What the SDK would not send: signed by its signer, built by hand.
	raw := []struct {
		name, query string
		creds       aws.Credentials
		code        string
		status      int
	}{
		{"missing target", "permission=READ", w.consumer, "InvalidRequest", 400},
		{"missing permission", "target=s3%3A%2F%2Fag-demo-bucket%2FprefixA%2A", w.consumer, "InvalidRequest", 400},
		{"duration not a number", "target=s3%3A%2F%2Fag-demo-bucket%2FprefixA%2A&permission=READ&durationSeconds=1h", w.consumer, "InvalidRequest", 400},
		{"unknown instance scope", "target=s3%3A%2F%2Fag-demo-bucket%2FprefixA%2A&permission=READ&instanceScope=SOME", w.consumer, "InvalidRequest", 400},
		{"anonymous", "target=s3%3A%2F%2Fag-demo-bucket%2FprefixA%2A&permission=READ", aws.Credentials{}, "AccessDenied", 403},
	}
	for _, tt := range raw {
		t.Run(tt.name, func(t *testing.T) {
			resp := rawRequest(t, env, tt.creds, http.MethodGet, "/v20180820/accessgrantsinstance/dataaccess?"+tt.query, nil,
				map[string]string{"x-amz-account-id": wkA})
			body := readAll(t, resp)
			if resp.StatusCode != tt.status || !strings.Contains(body, "<Code>"+tt.code+"</Code>") || !strings.HasPrefix(body, "<?xml") ||
				!strings.Contains(body, "<ErrorResponse>") {
				t.Errorf("%s: %d %s; want %d %s in S3 Control's envelope", tt.query, resp.StatusCode, body, tt.status, tt.code)
			}
		})
	}
}
