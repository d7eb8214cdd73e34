package clitest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/policy"
)

const (
	trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`
	perms = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::data", "arn:aws:s3:::data/*"]},
    {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::data/private/*"}
  ]
}`
)

func writeFile(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestAWSCLIIAM drives grantd with the real aws CLI: create-role,
// put-role-policy, get-role-policy, simulate-custom-policy and
// simulate-principal-policy, and checks the simulator's decisions against
// the policy engine's own.
func TestAWSCLIIAM(t *testing.T) {
	RequireCLI(t)
	s := Start(t, Options{})
	dir := t.TempDir()
	writeFile(t, dir, "trust.json", trust)
	writeFile(t, dir, "perms.json", perms)
	// A list-of-strings argument read from a file must be a JSON list:
	// the aws CLI splits a plain string into characters.
	list, err := json.Marshal([]string{perms})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "input-list.json", string(list))

	var created struct {
		Role struct{ Arn, RoleName, RoleId, AssumeRolePolicyDocument any }
	}
	s.MustAWS(t, RootCreds, "iam", "create-role", "--role-name", "reader", "--assume-role-policy-document", "file://"+filepath.Join(dir, "trust.json")).JSON(t, &created)
	if created.Role.Arn != "arn:aws:iam::"+Account+":role/reader" {
		t.Errorf("create-role Arn = %v", created.Role.Arn)
	}
	// The CLI decodes IAM's URL-encoded documents into JSON objects.
	if doc, ok := created.Role.AssumeRolePolicyDocument.(map[string]any); !ok || doc["Version"] != "2012-10-17" {
		t.Errorf("AssumeRolePolicyDocument = %#v", created.Role.AssumeRolePolicyDocument)
	}
	s.MustAWS(t, RootCreds, "iam", "put-role-policy", "--role-name", "reader", "--policy-name", "data", "--policy-document", "file://"+filepath.Join(dir, "perms.json"))
	var got struct {
		RoleName, PolicyName string
		PolicyDocument       map[string]any
	}
	s.MustAWS(t, RootCreds, "iam", "get-role-policy", "--role-name", "reader", "--policy-name", "data").JSON(t, &got)
	if got.RoleName != "reader" || got.PolicyName != "data" || len(got.PolicyDocument["Statement"].([]any)) != 2 {
		t.Errorf("get-role-policy = %+v", got)
	}

	actions := []string{"s3:GetObject", "s3:PutObject", "s3:ListBucket"}
	resources := []string{"arn:aws:s3:::data/a.txt", "arn:aws:s3:::data/private/k", "arn:aws:s3:::data"}
	var custom simOutput
	s.MustAWS(t, RootCreds, append(append(append([]string{"iam", "simulate-custom-policy", "--policy-input-list", "file://" + filepath.Join(dir, "input-list.json"), "--action-names"}, actions...),
		"--resource-arns"), resources...)...).JSON(t, &custom)
	want := engineDecisions(t, perms, actions, resources)
	if diff := cmp.Diff(want, custom.decisions()); diff != "" {
		t.Errorf("simulate-custom-policy vs engine (-engine +cli):\n%s", diff)
	}
	if want["s3:GetObject "+resources[0]] != "allowed" || want["s3:GetObject "+resources[1]] != "explicitDeny" || want["s3:PutObject "+resources[0]] != "implicitDeny" {
		t.Errorf("engine decisions are not the expected mix: %v", want)
	}

	var principal simOutput
	s.MustAWS(t, RootCreds, append(append(append([]string{"iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::" + Account + ":role/reader", "--action-names"}, actions...),
		"--resource-arns"), resources...)...).JSON(t, &principal)
	if diff := cmp.Diff(want, principal.decisions()); diff != "" {
		t.Errorf("simulate-principal-policy vs engine (-engine +cli):\n%s", diff)
	}

	checkCLIErrors(t, s, dir)
}

// checkCLIErrors checks IAM errors and list output as the CLI shows them.
func checkCLIErrors(t *testing.T, s *Server, dir string) {
	r := s.AWS(t, RootCreds, "iam", "get-role", "--role-name", "missing")
	if r.ExitCode == 0 || !strings.Contains(r.Stderr, "NoSuchEntity") || !strings.Contains(r.Stderr, "The role with name missing cannot be found.") {
		t.Errorf("get-role of a missing role: exit %d, stderr %q", r.ExitCode, r.Stderr)
	}
	writeFile(t, dir, "bad.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}`)
	r = s.AWS(t, RootCreds, "iam", "put-role-policy", "--role-name", "reader", "--policy-name", "bad", "--policy-document", "file://"+filepath.Join(dir, "bad.json"))
	if r.ExitCode == 0 || !strings.Contains(r.Stderr, "MalformedPolicyDocument") {
		t.Errorf("put-role-policy of a bad document: exit %d, stderr %q", r.ExitCode, r.Stderr)
	}
	var roles struct{ Roles []struct{ RoleName string } }
	s.MustAWS(t, RootCreds, "iam", "list-roles").JSON(t, &roles)
	if len(roles.Roles) != 1 || roles.Roles[0].RoleName != "reader" {
		t.Errorf("list-roles = %+v", roles)
	}
}

type simOutput struct {
	EvaluationResults []struct {
		EvalActionName, EvalResourceName, EvalDecision string
	}
}

func (o simOutput) decisions() map[string]string {
	out := map[string]string{}
	for _, r := range o.EvaluationResults {
		out[r.EvalActionName+" "+r.EvalResourceName] = r.EvalDecision
	}
	return out
}

// engineDecisions decides every action on every resource with the policy
// engine directly, as an IAM user of the account holding doc.
func engineDecisions(t *testing.T, doc string, actions, resources []string) map[string]string {
	t.Helper()
	p, err := policy.Parse([]byte(doc), policy.Identity)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, a := range actions {
		for _, res := range resources {
			d := policy.Decide(policy.Input{Identity: []*policy.Policy{p}, Request: &policy.Request{
				Principal: &policy.Principal{Type: policy.User, Account: Account}, Action: a, Resource: res}})
			out[a+" "+res] = map[policy.DecisionEffect]string{policy.Allow: "allowed", policy.ExplicitDeny: "explicitDeny", policy.ImplicitDeny: "implicitDeny"}[d.Effect]
		}
	}
	return out
}
