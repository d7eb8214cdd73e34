package clitest

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// exampleDir is examples/cross-account.
func exampleDir(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "examples", "cross-account")
	if _, err := os.Stat(filepath.Join(dir, "run.sh")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestCrossAccountExample runs examples/cross-account/run.sh — the
// cross-account walkthrough with nothing but the aws CLI — against `grantd
// serve`, as its README tells users to. The script checks every step and
// every refusal itself and exits non-zero when one is wrong.
func TestCrossAccountExample(t *testing.T) {
	RequireCLI(t)
	s := Start(t, Options{Args: []string{"--region", "us-east-2"}})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(exampleDir(t), "run.sh"))
	cmd.Env = append(os.Environ(), "GRANTD_ENDPOINT="+s.Endpoint, "GRANTD="+Binary(t), "GRANTD_DATA_DIR="+s.DataDir,
		"A_ACCESS_KEY_ID="+RootAccessKeyID, "A_SECRET_ACCESS_KEY="+RootSecret, "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("run.sh: %v\n%s\nserver log:\n%s", err, out, s.Logs())
	}
	text := string(out)
	t.Logf("run.sh:\n%s", text)
	for _, want := range []string{
		"arn:aws:sts::444455556666:assumed-role/data-consumer-1/c1",
		"READ\ts3://ag-demo-bucket/prefixA*",
		`"MatchedGrantTarget": "s3://ag-demo-bucket/prefixA*"`,
		`"GranteeIdentifier": "arn:aws:iam::444455556666:role/data-consumer-1"`,
		"hello from prefixA",
		"denied, as it should be: reading prefixB with the vended credentials (AccessDenied)",
		"denied, as it should be: writing prefixA with the vended credentials (a READ grant) (AccessDenied)",
		"denied, as it should be: GetDataAccess without B's identity policy (AccessDenied)",
		"denied, as it should be: GetDataAccess without A's resource policy (AccessDenied)",
		"denied, as it should be: reading prefixA after the grant was deleted (AccessDenied)",
		"walkthrough complete",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("run.sh output lacks %q:\n%s", want, text)
		}
	}
	if !regexp.MustCompile(`arn:aws:sts::111122223333:assumed-role/ag-location-role/access-grants-[0-9a-f]{16}`).MatchString(text) {
		t.Errorf("the vended credentials are not a session of A's location role:\n%s", text)
	}
	// GetDataAccess is audited with its auditContext, as CloudTrail does.
	if !strings.Contains(s.Logs(), `"audit_context":"example-walkthrough"`) {
		t.Errorf("no audit line with the auditContext in the server log:\n%s", s.Logs())
	}
}

// TestGetDataAccessCLI checks get-data-access's output and errors as the
// aws CLI shows them.
func TestGetDataAccessCLI(t *testing.T) {
	RequireCLI(t)
	s := Start(t, Options{Args: []string{"--region", "us-east-2"}})
	root := RootCreds
	dir := exampleDir(t)
	ctl := func(args ...string) Result {
		t.Helper()
		return s.MustAWS(t, root, append([]string{"s3control"}, append(args, "--account-id", Account, "--region", "us-east-2")...)...)
	}
	s.MustAWS(t, root, "iam", "create-role", "--role-name", "ag-location-role", "--assume-role-policy-document", "file://"+filepath.Join(dir, "trust.json"))
	ctl("create-access-grants-instance")
	ctl("create-access-grants-location", "--location-scope", "s3://", "--iam-role-arn", "arn:aws:iam::111122223333:role/ag-location-role")
	// A user of A with a grant: the aws CLI signs as it.
	s.MustAWS(t, root, "iam", "create-user", "--user-name", "analyst")
	s.MustAWS(t, root, "iam", "put-user-policy", "--user-name", "analyst", "--policy-name", "ag", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetDataAccess","Resource":"arn:aws:s3:us-east-2:111122223333:access-grants/default"}]}`)
	var key struct {
		AccessKey struct{ AccessKeyId, SecretAccessKey string }
	}
	s.MustAWS(t, root, "iam", "create-access-key", "--user-name", "analyst").JSON(t, &key)
	analyst := Creds{AccessKeyID: key.AccessKey.AccessKeyId, SecretAccessKey: key.AccessKey.SecretAccessKey}
	ctl("create-access-grant", "--access-grants-location-id", "default", "--access-grants-location-configuration", "S3SubPrefix=ag-demo-bucket/prefixA/*",
		"--permission", "READWRITE", "--grantee", "GranteeType=IAM,GranteeIdentifier=arn:aws:iam::111122223333:user/analyst")

	res := s.MustAWS(t, analyst, "s3control", "get-data-access", "--account-id", Account, "--region", "us-east-2",
		"--target", "s3://ag-demo-bucket/prefixA/f.txt", "--permission", "WRITE", "--privilege", "Minimal",
		"--target-type", "Object", "--duration-seconds", "900", "--audit-context", "job-42 nightly")
	var out struct {
		Credentials        map[string]string
		MatchedGrantTarget string
		Grantee            map[string]string
	}
	res.JSON(t, &out)
	var top map[string]json.RawMessage
	res.JSON(t, &top)
	if len(top) != 3 || out.MatchedGrantTarget != "s3://ag-demo-bucket/prefixA/f.txt" ||
		out.Grantee["GranteeType"] != "IAM" || out.Grantee["GranteeIdentifier"] != "arn:aws:iam::111122223333:user/analyst" ||
		!strings.HasPrefix(out.Credentials["AccessKeyId"], "ASIA") || out.Credentials["SessionToken"] == "" ||
		!isoTime.MatchString(out.Credentials["Expiration"]) {
		t.Errorf("get-data-access = %s", res.Stdout)
	}
	exp, err := time.Parse(time.RFC3339, out.Credentials["Expiration"])
	if err != nil || exp.Before(time.Now().Add(14*time.Minute)) || exp.After(time.Now().Add(16*time.Minute)) {
		t.Errorf("Expiration %q, want 15 minutes from now", out.Credentials["Expiration"])
	}
	if !strings.Contains(s.Logs(), `"audit_context":"job-42 nightly"`) {
		t.Errorf("no audit line for job-42 in the server log")
	}

	for _, tt := range []struct {
		name string
		args []string
		code string
	}{
		{"not an S3 URI", []string{"--target", "ag-demo-bucket/prefixA/f.txt", "--permission", "READ"}, "InvalidRequest"},
		{"outside every grant", []string{"--target", "s3://ag-demo-bucket/prefixB/*", "--permission", "READ"}, "AccessDenied"},
		{"duration out of range", []string{"--target", "s3://ag-demo-bucket/prefixA/*", "--permission", "READ", "--duration-seconds", "43201"}, "InvalidRequest"},
		{"duration above the role's maximum", []string{"--target", "s3://ag-demo-bucket/prefixA/*", "--permission", "READ", "--duration-seconds", "7200"}, "StsValidationError"},
		{"unknown permission", []string{"--target", "s3://ag-demo-bucket/prefixA/*", "--permission", "ALL"}, "InvalidRequest"},
		{"unknown privilege", []string{"--target", "s3://ag-demo-bucket/prefixA/*", "--permission", "READ", "--privilege", "Full"}, "InvalidRequest"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"s3control", "get-data-access", "--account-id", Account, "--region", "us-east-2"}, tt.args...)
			res := s.AWS(t, analyst, args...)
			if res.ExitCode == 0 || !strings.Contains(res.Stderr, "An error occurred ("+tt.code+") when calling the GetDataAccess operation") {
				t.Errorf("exit %d, stderr %q; want %s", res.ExitCode, res.Stderr, tt.code)
			}
		})
	}
}
