package clitest

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestFoundationCLI drives grantd serve with the real aws CLI: STS,
// Organizations, authentication failures, and an account created offline
// while the server runs.
func TestFoundationCLI(t *testing.T) {
	RequireCLI(t)
	s := Start(t, Options{})

	var ident struct{ UserId, Account, Arn string }
	s.MustAWS(t, RootCreds, "sts", "get-caller-identity").JSON(t, &ident)
	if ident.Arn != "arn:aws:iam::111122223333:root" || ident.Account != Account || ident.UserId != Account {
		t.Errorf("get-caller-identity = %+v", ident)
	}

	bad := RootCreds
	bad.SecretAccessKey = "wrong"
	if res := s.AWS(t, bad, "sts", "get-caller-identity"); res.ExitCode == 0 || !strings.Contains(res.Stderr, "SignatureDoesNotMatch") {
		t.Errorf("wrong secret: exit %d, stderr %q; want SignatureDoesNotMatch", res.ExitCode, res.Stderr)
	}
	unknown := Creds{AccessKeyID: "AKIAUNKNOWN000000000", SecretAccessKey: "x"}
	if res := s.AWS(t, unknown, "sts", "get-caller-identity"); res.ExitCode == 0 || !strings.Contains(res.Stderr, "InvalidClientTokenId") {
		t.Errorf("unknown key: exit %d, stderr %q; want InvalidClientTokenId", res.ExitCode, res.Stderr)
	}
	if res := s.AWS(t, unknown, "organizations", "list-accounts"); res.ExitCode == 0 || !strings.Contains(res.Stderr, "UnrecognizedClientException") {
		t.Errorf("unknown key (organizations): exit %d, stderr %q", res.ExitCode, res.Stderr)
	}

	var created struct {
		CreateAccountStatus struct{ State, AccountId string }
	}
	s.MustAWS(t, RootCreds, "organizations", "create-account", "--email", "dev@example.com", "--account-name", "dev").JSON(t, &created)
	if created.CreateAccountStatus.State != "SUCCEEDED" {
		t.Errorf("create-account = %+v", created)
	}

	// An account created offline on the same data directory is usable at
	// once by the running server.
	out, err := Grantd(t, "accounts", "create", "--data-dir", s.DataDir, "--id", "444455556666", "--name", "consumer")
	if err != nil {
		t.Fatal(err)
	}
	var acct struct{ AccountId, AccessKeyId, SecretAccessKey string }
	if err := json.Unmarshal([]byte(out), &acct); err != nil || acct.AccountId != "444455556666" {
		t.Fatalf("accounts create printed %q (%v)", out, err)
	}
	var b struct{ Arn string }
	s.MustAWS(t, Creds{AccessKeyID: acct.AccessKeyId, SecretAccessKey: acct.SecretAccessKey}, "sts", "get-caller-identity").JSON(t, &b)
	if b.Arn != "arn:aws:iam::444455556666:root" {
		t.Errorf("new account's identity = %q", b.Arn)
	}

	var list struct{ Accounts []struct{ Id string } }
	s.MustAWS(t, RootCreds, "organizations", "list-accounts").JSON(t, &list)
	ids := map[string]bool{}
	for _, a := range list.Accounts {
		ids[a.Id] = true
	}
	if !ids[Account] || !ids["444455556666"] || !ids[created.CreateAccountStatus.AccountId] || len(ids) != 3 {
		t.Errorf("list-accounts = %v", ids)
	}
}
