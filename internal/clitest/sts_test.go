package clitest

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

// setupIAM creates, with the aws CLI as the root user, a user "dev" with
// userPolicy and an access key, and a role with trust and rolePolicy.
func setupIAM(t *testing.T, s *Server, userPolicy, roleName, trust, rolePolicy string) Creds {
	t.Helper()
	s.MustAWS(t, RootCreds, "iam", "create-user", "--user-name", "dev")
	s.MustAWS(t, RootCreds, "iam", "put-user-policy", "--user-name", "dev", "--policy-name", "p", "--policy-document", userPolicy)
	var key struct {
		AccessKey struct{ AccessKeyId, SecretAccessKey string }
	}
	s.MustAWS(t, RootCreds, "iam", "create-access-key", "--user-name", "dev").JSON(t, &key)
	s.MustAWS(t, RootCreds, "iam", "create-role", "--role-name", roleName, "--assume-role-policy-document", trust)
	s.MustAWS(t, RootCreds, "iam", "put-role-policy", "--role-name", roleName, "--policy-name", "p", "--policy-document", rolePolicy)
	return Creds{AccessKeyID: key.AccessKey.AccessKeyId, SecretAccessKey: key.AccessKey.SecretAccessKey}
}

// TestAssumeRoleCLI runs `aws sts assume-role` and then uses the returned
// session credentials (AWS_SESSION_TOKEN) with the aws CLI.
func TestAssumeRoleCLI(t *testing.T) {
	RequireCLI(t)
	s := Start(t, Options{})
	roleARN := "arn:aws:iam::" + Account + ":role/cli-role"
	dev := setupIAM(t, s,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"`+roleARN+`"}}`,
		"cli-role",
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"`+Account+`"},"Action":"sts:AssumeRole"}}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["organizations:DescribeOrganization","iam:GetRole"],"Resource":"*"}}`)

	var out struct {
		Credentials struct {
			AccessKeyId, SecretAccessKey, SessionToken, Expiration string
		}
		AssumedRoleUser struct{ AssumedRoleId, Arn string }
	}
	s.MustAWS(t, dev, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "cli-session", "--duration-seconds", "900").JSON(t, &out)
	if out.AssumedRoleUser.Arn != "arn:aws:sts::"+Account+":assumed-role/cli-role/cli-session" ||
		!strings.HasPrefix(out.AssumedRoleUser.AssumedRoleId, "AROA") || !strings.HasSuffix(out.AssumedRoleUser.AssumedRoleId, ":cli-session") || !strings.HasPrefix(out.Credentials.AccessKeyId, "ASIA") {
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
	for _, args := range [][]string{{"sts", "get-caller-identity"}, {"iam", "get-role", "--role-name", "cli-role"}} {
		if res := s.AWS(t, tampered, args...); res.ExitCode == 0 || !strings.Contains(res.Stderr, "InvalidClientTokenId") {
			t.Errorf("tampered token, %s: exit %d, %s", args[0], res.ExitCode, res.Stderr)
		}
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
