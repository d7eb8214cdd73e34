package clitest

import (
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/meta/sqlite"
)

// seedIAM writes a user with an access key and a role into the running
// server's SQLite store, as a second process, the way `grantd accounts
// create` does.
func seedIAM(t *testing.T, s *Server, user Creds, userPolicy, roleName, trust, rolePolicy string) {
	t.Helper()
	ctx := t.Context()
	st, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(s.DataDir, "meta.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.CreateUser(ctx, meta.User{AccountID: Account, Name: "dev", ID: "AIDACLITEST000000001", Path: "/", ARN: "arn:aws:iam::" + Account + ":user/dev", CreatedAt: now}))
	must(st.PutInlinePolicy(ctx, meta.EntityRef{Account: Account, Type: meta.EntityUser, Name: "dev"}, meta.InlinePolicy{Name: "p", Document: userPolicy, Size: len(userPolicy)}, 1<<20))
	must(st.CreateAccessKey(ctx, meta.AccessKey{ID: user.AccessKeyID, AccountID: Account, UserName: "dev", Secret: user.SecretAccessKey, Status: "Active", CreatedAt: now}, 2))
	must(st.CreateRole(ctx, meta.NewRole{Role: meta.Role{AccountID: Account, Name: roleName, ID: "AROACLITEST000000001", Path: "/",
		ARN: "arn:aws:iam::" + Account + ":role/" + roleName, TrustPolicy: trust, MaxSessionDuration: 3600, CreatedAt: now},
		InlinePolicies: []meta.InlinePolicy{{Name: "p", Document: rolePolicy}}}))
}

// TestAssumeRoleCLI runs `aws sts assume-role` and then uses the returned
// session credentials (AWS_SESSION_TOKEN) with the aws CLI.
func TestAssumeRoleCLI(t *testing.T) {
	RequireCLI(t)
	s := Start(t, Options{})
	dev := Creds{AccessKeyID: "AKIACLITESTDEV000001", SecretAccessKey: "clitestsecretclitestsecretclitestsecret1"}
	roleARN := "arn:aws:iam::" + Account + ":role/cli-role"
	seedIAM(t, s, dev,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"`+roleARN+`"}}`,
		"cli-role",
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"`+Account+`"},"Action":"sts:AssumeRole"}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"organizations:DescribeOrganization","Resource":"*"}}`)

	var out struct {
		Credentials struct {
			AccessKeyId, SecretAccessKey, SessionToken, Expiration string
		}
		AssumedRoleUser struct{ AssumedRoleId, Arn string }
	}
	s.MustAWS(t, dev, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "cli-session", "--duration-seconds", "900").JSON(t, &out)
	if out.AssumedRoleUser.Arn != "arn:aws:sts::"+Account+":assumed-role/cli-role/cli-session" ||
		!strings.HasPrefix(out.AssumedRoleUser.AssumedRoleId, "AROACLITEST000000001:") || !strings.HasPrefix(out.Credentials.AccessKeyId, "ASIA") {
		t.Fatalf("assume-role printed %+v", out)
	}
	if exp, err := time.Parse(time.RFC3339, out.Credentials.Expiration); err != nil || time.Until(exp) > 15*time.Minute+time.Minute || time.Until(exp) < 14*time.Minute {
		t.Errorf("Expiration = %q (%v)", out.Credentials.Expiration, err)
	}
	session := Creds{AccessKeyID: out.Credentials.AccessKeyId, SecretAccessKey: out.Credentials.SecretAccessKey, SessionToken: out.Credentials.SessionToken}

	var ident struct{ UserId, Account, Arn string }
	s.MustAWS(t, session, "sts", "get-caller-identity").JSON(t, &ident)
	if ident.Arn != out.AssumedRoleUser.Arn || ident.Account != Account || ident.UserId != out.AssumedRoleUser.AssumedRoleId {
		t.Errorf("get-caller-identity with the session = %+v", ident)
	}
	var org struct {
		Organization struct{ MasterAccountId string }
	}
	s.MustAWS(t, session, "organizations", "describe-organization").JSON(t, &org)
	if org.Organization.MasterAccountId != Account {
		t.Errorf("describe-organization with the session = %+v", org)
	}
	if res := s.AWS(t, session, "organizations", "list-accounts"); res.ExitCode == 0 || !strings.Contains(res.Stderr, "AccessDeniedException") {
		t.Errorf("list-accounts outside the role's policy: exit %d, %s", res.ExitCode, res.Stderr)
	}

	// A tampered token is refused.
	b, err := base64.RawURLEncoding.DecodeString(session.SessionToken)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x40
	tampered := session
	tampered.SessionToken = base64.RawURLEncoding.EncodeToString(b)
	if res := s.AWS(t, tampered, "sts", "get-caller-identity"); res.ExitCode == 0 || !strings.Contains(res.Stderr, "InvalidClientTokenId") {
		t.Errorf("tampered token: exit %d, %s", res.ExitCode, res.Stderr)
	}

	// Bad input gets STS's validation error.
	res := s.AWS(t, dev, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "bad name")
	if res.ExitCode == 0 || !strings.Contains(res.Stderr, "ValidationError") || !strings.Contains(res.Stderr, "1 validation error detected: Value 'bad name' at 'roleSessionName'") {
		t.Errorf("bad session name: exit %d, %s", res.ExitCode, res.Stderr)
	}
	// The root user cannot assume roles.
	if res := s.AWS(t, RootCreds, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "root"); !strings.Contains(res.Stderr, "Roles may not be assumed by root accounts.") {
		t.Errorf("root: exit %d, %s", res.ExitCode, res.Stderr)
	}

	var gst struct {
		Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken string }
	}
	s.MustAWS(t, dev, "sts", "get-session-token", "--duration-seconds", "900").JSON(t, &gst)
	userSession := Creds{AccessKeyID: gst.Credentials.AccessKeyId, SecretAccessKey: gst.Credentials.SecretAccessKey, SessionToken: gst.Credentials.SessionToken}
	s.MustAWS(t, userSession, "sts", "get-caller-identity").JSON(t, &ident)
	if ident.Arn != "arn:aws:iam::"+Account+":user/dev" {
		t.Errorf("get-caller-identity with a GetSessionToken session = %+v", ident)
	}
}
