package clitest

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/app"
	"github.com/grantd/grantd/internal/meta"
)

// The walkthrough's accounts: A (111122223333) owns the data, B
// (444455556666) consumes it. The server's management account is another
// one, so that A can be made with its location role.
const (
	agOwner    = "111122223333"
	agConsumer = "444455556666"
	agMgmt     = "999988887777"
	agRegion   = "us-east-2"
	agInstance = "arn:aws:s3:us-east-2:111122223333:access-grants/default"
	agRole     = "arn:aws:iam::111122223333:role/ag-location-role"
)

// seedOwner creates account A with the location role in the server's
// store, as the IAM API will once it is on main, and returns A's keys.
func seedOwner(t *testing.T, s *Server) Creds {
	t.Helper()
	ctx := context.Background()
	st, err := app.OpenStore(ctx, app.Config{DataDir: s.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now().UTC()
	c := Creds{AccessKeyID: "AKIA" + agOwner + "ROOT", SecretAccessKey: "owner-secret-0123456789abcdefghijklmno"}
	err = st.CreateAccount(ctx, meta.NewAccount{
		Account: meta.Account{ID: agOwner, Name: "owner", Email: "owner@example.com", Status: "ACTIVE", JoinedMethod: "CREATED", CreatedAt: now},
		RootKey: meta.AccessKey{ID: c.AccessKeyID, AccountID: agOwner, Secret: c.SecretAccessKey, Status: "Active", CreatedAt: now},
		Roles: []meta.NewRole{{Role: meta.Role{AccountID: agOwner, Name: "ag-location-role", ID: "AROA111122223333LOCAT", Path: "/", ARN: agRole,
			TrustPolicy:        `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"access-grants.s3.amazonaws.com"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"]}]}`,
			MaxSessionDuration: 3600, CreatedAt: now}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// keys returns the sorted top-level keys of a JSON object.
func keys(t *testing.T, r Result) ([]string, map[string]any) {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks, m
}

func wantKeys(t *testing.T, what string, r Result, want ...string) map[string]any {
	t.Helper()
	got, m := keys(t, r)
	sort.Strings(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s output keys (-want +got):\n%s\n%s", what, diff, r.Stdout)
	}
	return m
}

var isoTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$`)

// TestAccessGrantsCLI runs the S3 Access Grants walkthrough's control-plane
// commands through the real aws CLI, unchanged but for --endpoint-url and
// the forward-proxy setting (see harness.AWS), and checks their JSON.
func TestAccessGrantsCLI(t *testing.T) {
	RequireCLI(t)
	s := Start(t, Options{Args: []string{"--account-id", agMgmt}})
	a := seedOwner(t, s)
	out, err := Grantd(t, "accounts", "create", "--data-dir", s.DataDir, "--id", agConsumer)
	if err != nil {
		t.Fatal(err)
	}
	var bKeys struct{ AccessKeyId, SecretAccessKey string }
	if err := json.Unmarshal([]byte(out), &bKeys); err != nil {
		t.Fatal(err)
	}
	b := Creds{AccessKeyID: bKeys.AccessKeyId, SecretAccessKey: bKeys.SecretAccessKey}
	cli := func(c Creds, args ...string) Result {
		t.Helper()
		return s.MustAWS(t, c, append(append([]string{"s3control"}, args...), "--region", agRegion)...)
	}

	inst := wantKeys(t, "create-access-grants-instance", cli(a, "create-access-grants-instance", "--account-id", agOwner),
		"CreatedAt", "AccessGrantsInstanceId", "AccessGrantsInstanceArn")
	if inst["AccessGrantsInstanceArn"] != agInstance || inst["AccessGrantsInstanceId"] != "default" || !isoTime.MatchString(inst["CreatedAt"].(string)) {
		t.Errorf("create-access-grants-instance = %v", inst)
	}
	loc := wantKeys(t, "create-access-grants-location", cli(a, "create-access-grants-location", "--account-id", agOwner,
		"--location-scope", "s3://", "--iam-role-arn", agRole),
		"CreatedAt", "AccessGrantsLocationId", "AccessGrantsLocationArn", "LocationScope", "IAMRoleArn")
	if loc["AccessGrantsLocationId"] != "default" || loc["AccessGrantsLocationArn"] != agInstance+"/location/default" || loc["LocationScope"] != "s3://" || loc["IAMRoleArn"] != agRole {
		t.Errorf("create-access-grants-location = %v", loc)
	}

	testPolicyCLI(t, cli, a)

	grant := wantKeys(t, "create-access-grant", cli(a, "create-access-grant", "--account-id", agOwner,
		"--access-grants-location-id", "default",
		"--access-grants-location-configuration", "S3SubPrefix=amzn-s3-demo-bucket/prefixA*",
		"--permission", "READ",
		"--grantee", "GranteeType=IAM,GranteeIdentifier=arn:aws:iam::444455556666:role/data-consumer-1"),
		"CreatedAt", "AccessGrantId", "AccessGrantArn", "Grantee", "AccessGrantsLocationId", "AccessGrantsLocationConfiguration", "Permission", "GrantScope")
	id, _ := grant["AccessGrantId"].(string)
	want := map[string]any{"AccessGrantArn": agInstance + "/grant/" + id, "Grantee": map[string]any{"GranteeType": "IAM", "GranteeIdentifier": "arn:aws:iam::444455556666:role/data-consumer-1"},
		"AccessGrantsLocationId": "default", "AccessGrantsLocationConfiguration": map[string]any{"S3SubPrefix": "amzn-s3-demo-bucket/prefixA*"},
		"Permission": "READ", "GrantScope": "s3://amzn-s3-demo-bucket/prefixA*", "AccessGrantId": id, "CreatedAt": grant["CreatedAt"]}
	if diff := cmp.Diff(want, grant); diff != "" || len(id) != 36 {
		t.Errorf("create-access-grant (-want +got):\n%s", diff)
	}
	got := wantKeys(t, "get-access-grant", cli(a, "get-access-grant", "--account-id", agOwner, "--access-grant-id", id),
		"CreatedAt", "AccessGrantId", "AccessGrantArn", "Grantee", "AccessGrantsLocationId", "AccessGrantsLocationConfiguration", "Permission", "GrantScope")
	if diff := cmp.Diff(grant, got); diff != "" {
		t.Errorf("get-access-grant differs from create-access-grant (-create +get):\n%s", diff)
	}

	// B lists A's grants and locations: allowed by A's resource policy and
	// by B's own (root) permissions.
	list := wantKeys(t, "list-access-grants", cli(b, "list-access-grants", "--account-id", agOwner), "AccessGrantsList")
	if l, _ := list["AccessGrantsList"].([]any); len(l) != 1 || l[0].(map[string]any)["AccessGrantId"] != id {
		t.Errorf("list-access-grants as B = %v", list)
	}
	wantKeys(t, "list-access-grants-locations", cli(b, "list-access-grants-locations", "--account-id", agOwner), "AccessGrantsLocationsList")
	if res := s.AWS(t, b, "s3control", "get-access-grant", "--account-id", agOwner, "--access-grant-id", id, "--region", agRegion); res.ExitCode == 0 ||
		!cliError(res.Stderr, "AccessDenied", "GetAccessGrant", "Access Denied") {
		t.Errorf("get-access-grant as B: exit %d, stderr %q; want AccessDenied", res.ExitCode, res.Stderr)
	}

	testTagsCLI(t, cli, a, agInstance+"/grant/"+id)
	testCleanupCLI(t, s, cli, a, id)
}

func testPolicyCLI(t *testing.T, cli func(Creds, ...string) Result, a Creds) {
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"444455556666"},` +
		`"Action":["s3:ListAccessGrants","s3:ListAccessGrantsLocations","s3:GetDataAccess","s3:GetAccessGrantsInstanceForPrefix","s3:ListCallerAccessGrants"],` +
		`"Resource":"` + agInstance + `"}]}` + "\n"
	file := filepath.Join(t.TempDir(), "rp.json")
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	put := wantKeys(t, "put-access-grants-instance-resource-policy", cli(a, "put-access-grants-instance-resource-policy",
		"--account-id", agOwner, "--policy", "file://"+file), "Policy", "CreatedAt")
	if put["Policy"] != doc {
		t.Errorf("put policy echoed %q, want the file", put["Policy"])
	}
	got := wantKeys(t, "get-access-grants-instance-resource-policy", cli(a, "get-access-grants-instance-resource-policy", "--account-id", agOwner), "Policy", "CreatedAt")
	if got["Policy"] != doc || got["CreatedAt"] != put["CreatedAt"] {
		t.Errorf("get policy = %v, want %v", got, put)
	}
}

func testTagsCLI(t *testing.T, cli func(Creds, ...string) Result, a Creds, grantARN string) {
	if r := cli(a, "tag-resource", "--account-id", agOwner, "--resource-arn", grantARN, "--tags", "Key=team,Value=data", "Key=empty,Value="); r.Stdout != "" {
		t.Errorf("tag-resource printed %q", r.Stdout)
	}
	tags := wantKeys(t, "list-tags-for-resource", cli(a, "list-tags-for-resource", "--account-id", agOwner, "--resource-arn", grantARN), "Tags")
	want := []any{map[string]any{"Key": "empty", "Value": ""}, map[string]any{"Key": "team", "Value": "data"}}
	if diff := cmp.Diff(want, tags["Tags"]); diff != "" {
		t.Errorf("list-tags-for-resource (-want +got):\n%s", diff)
	}
	cli(a, "untag-resource", "--account-id", agOwner, "--resource-arn", grantARN, "--tag-keys", "team", "empty")
	tags = wantKeys(t, "list-tags-for-resource", cli(a, "list-tags-for-resource", "--account-id", agOwner, "--resource-arn", grantARN), "Tags")
	if l, _ := tags["Tags"].([]any); len(l) != 0 {
		t.Errorf("tags after untag-resource = %v", tags)
	}
}

func testCleanupCLI(t *testing.T, s *Server, cli func(Creds, ...string) Result, a Creds, grant string) {
	inst := wantKeys(t, "list-access-grants-instances", cli(a, "list-access-grants-instances", "--account-id", agOwner), "AccessGrantsInstancesList")
	if l, _ := inst["AccessGrantsInstancesList"].([]any); len(l) != 1 {
		t.Errorf("list-access-grants-instances = %v", inst)
	}
	if res := s.AWS(t, a, "s3control", "delete-access-grants-instance", "--account-id", agOwner, "--region", agRegion); res.ExitCode == 0 ||
		!cliError(res.Stderr, "AccessGrantsInstanceNotEmptyError", "DeleteAccessGrantsInstance", "Please clean up locations before deleting the access grants instance") {
		t.Errorf("delete-access-grants-instance with a location: exit %d, stderr %q", res.ExitCode, res.Stderr)
	}
	for _, args := range [][]string{
		{"delete-access-grant", "--account-id", agOwner, "--access-grant-id", grant},
		{"delete-access-grants-location", "--account-id", agOwner, "--access-grants-location-id", "default"},
		{"delete-access-grants-instance-resource-policy", "--account-id", agOwner},
		{"delete-access-grants-instance", "--account-id", agOwner},
	} {
		if r := cli(a, args...); strings.TrimSpace(r.Stdout) != "" {
			t.Errorf("%s printed %q", args[0], r.Stdout)
		}
	}
	if res := s.AWS(t, a, "s3control", "get-access-grants-instance", "--account-id", agOwner, "--region", agRegion); res.ExitCode == 0 ||
		!cliError(res.Stderr, "AccessGrantsInstanceNotExistsError", "GetAccessGrantsInstance", "Access Grants Instance does not exist") {
		t.Errorf("get-access-grants-instance after delete: exit %d, stderr %q", res.ExitCode, res.Stderr)
	}
}

// cliError reports whether stderr is the CLI's report of the error code
// from op with a message containing msg.
func cliError(stderr, code, op, msg string) bool {
	return strings.Contains(stderr, "An error occurred ("+code+") when calling the "+op+" operation") &&
		strings.Contains(stderr, msg)
}

// TestAccessGrantsCLINeedsProxy shows what the forward-proxy setting is
// for: without it the CLI sends S3 Control requests to
// 111122223333.localhost, a name that does not resolve, and never reaches
// grantd; with it (TestAccessGrantsCLI) grantd serves the proxy-form
// requests itself.
func TestAccessGrantsCLINeedsProxy(t *testing.T) {
	RequireCLI(t)
	s := Start(t, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "aws", "s3control", "list-access-grants-instances", "--account-id", Account,
		"--endpoint-url", "http://localhost:"+s.Port, "--output", "json")
	cmd.Env = []string{"AWS_ACCESS_KEY_ID=" + RootAccessKeyID, "AWS_SECRET_ACCESS_KEY=" + RootSecret, "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_MAX_ATTEMPTS=1", "HOME=" + os.TempDir(), "PATH=" + os.Getenv("PATH")}
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "111122223333.localhost") {
		t.Errorf("without the proxy: err %v, output %q; want a connection failure to 111122223333.localhost", err, out)
	}
	var list struct{ AccessGrantsInstancesList []any }
	s.MustAWS(t, RootCreds, "s3control", "list-access-grants-instances", "--account-id", Account).JSON(t, &list)
	if len(list.AccessGrantsInstancesList) != 0 {
		t.Errorf("with the proxy: %+v", list)
	}
}
