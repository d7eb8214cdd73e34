package policy

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// "AWS JSON policy elements: Principal": who each Principal form names.
func TestPrincipalMatching(t *testing.T) {
	t.Parallel()
	rp := func(principal string) string {
		return doc(`{"Effect":"Allow","Principal":` + principal + `,"Action":"s3:GetObject","Resource":"*"}`)
	}
	c := func(name, principal string, who *Principal, allow bool) evalCase {
		return evalCase{name: name, policy: rp(principal), kind: Resource, principal: who, action: "s3:GetObject", resource: "arn:aws:s3:::b/k", allow: allow}
	}
	runEvalCases(t, []evalCase{
		c("star names users", `"*"`, alice, true),
		c("star names sessions", `"*"`, devSess, true),
		c("star names anonymous callers", `"*"`, anon, true),
		c("star names nil principal as anonymous", `"*"`, nil, true),
		c("star names services", `"*"`, svc, true),
		c("AWS star is equivalent to star for anonymous users", `{"AWS":"*"}`, anon, true),
		c("AWS star names users of any account", `{"AWS":"*"}`, bob, true),
		c("AWS star names root users", `{"AWS":"*"}`, rootB, true),
		c("AWS star does not name service principals", `{"AWS":"*"}`, svc, false),
		c("account ID names users of the account", `{"AWS":"111122223333"}`, alice, true),
		c("account ID names sessions of the account", `{"AWS":"111122223333"}`, devSess, true),
		c("account ID names the root user", `{"AWS":"111122223333"}`, rootA, true),
		c("account ID names federated users", `{"AWS":"111122223333"}`, fedUser, true),
		c("account ID does not name other accounts", `{"AWS":"111122223333"}`, bob, false),
		c("account ID does not name anonymous", `{"AWS":"111122223333"}`, anon, false),
		c("root ARN behaves like the account ID", `{"AWS":"arn:aws:iam::111122223333:root"}`, alice, true),
		c("root ARN does not name other accounts", `{"AWS":"arn:aws:iam::111122223333:root"}`, bSess, false),
		c("user ARN names that user", `{"AWS":"arn:aws:iam::111122223333:user/alice"}`, alice, true),
		c("user ARN is case-sensitive", `{"AWS":"arn:aws:iam::111122223333:user/Alice"}`, alice, false),
		c("user ARN does not name other users", `{"AWS":"arn:aws:iam::111122223333:user/alice"}`, pathUser, false),
		c("user ARN with path", `{"AWS":"arn:aws:iam::111122223333:user/division/team/carol"}`, pathUser, true),
		c("user ARN without the path does not match", `{"AWS":"arn:aws:iam::111122223333:user/carol"}`, pathUser, false),
		c("user ARN does not name the root user", `{"AWS":"arn:aws:iam::111122223333:user/alice"}`, rootA, false),
		c("role ARN names sessions of the role", `{"AWS":"arn:aws:iam::111122223333:role/dev"}`, devSess, true),
		c("role ARN with path names its sessions", `{"AWS":"arn:aws:iam::111122223333:role/service-role/ops"}`, pathSess, true),
		c("role ARN does not name other roles' sessions", `{"AWS":"arn:aws:iam::111122223333:role/dev"}`, pathSess, false),
		c("assumed-role ARN names that session", `{"AWS":"arn:aws:sts::111122223333:assumed-role/dev/s1"}`, devSess, true),
		c("assumed-role ARN does not name other sessions", `{"AWS":"arn:aws:sts::111122223333:assumed-role/dev/s2"}`, devSess, false),
		c("federated-user ARN names that session", `{"AWS":"arn:aws:sts::111122223333:federated-user/fred"}`, fedUser, true),
		c("user ARN names the user's federated sessions", `{"AWS":"arn:aws:iam::111122223333:user/alice"}`, fedUser, true),
		c("service principal names that service", `{"Service":"access-grants.s3.amazonaws.com"}`, svc, true),
		c("service principal list", `{"Service":["ec2.amazonaws.com","access-grants.s3.amazonaws.com"]}`, svc, true),
		c("service principal does not name other services", `{"Service":"ec2.amazonaws.com"}`, svc, false),
		c("service principal does not name users", `{"Service":"access-grants.s3.amazonaws.com"}`, alice, false),
		c("federated provider names its users", `{"Federated":"accounts.google.com"}`, webUser, true),
		c("federated provider does not name other providers", `{"Federated":"graph.facebook.com"}`, webUser, false),
		c("unique ID of a deleted user never matches", `{"AWS":"AIDACKCEVSQ6C2EXAMPLE"}`, alice, false),
		c("canonical user names the account", `{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}`, &Principal{Type: User, Account: acctA, ARN: alice.ARN, CanonicalUser: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, true),
		c("principal lists are ORed across types", `{"AWS":"444455556666","Service":"access-grants.s3.amazonaws.com"}`, bob, true),
		c("web identity is not an AWS principal", `{"AWS":"*"}`, webUser, false),
	})
}

// "AWS JSON policy elements: NotPrincipal": Deny applies to everyone not
// named; each link of the caller's chain (account, user or role, session)
// must be named to be exempt; a permissions boundary defeats NotPrincipal.
func TestNotPrincipal(t *testing.T) {
	t.Parallel()
	deny := func(notPrincipal string) string {
		return doc(`{"Effect":"Deny","NotPrincipal":` + notPrincipal + `,"Action":"s3:*","Resource":"*"}`)
	}
	bobAndAccount := `{"AWS":["arn:aws:iam::444455556666:user/bob","arn:aws:iam::444455556666:root"]}`
	sessionChain := `{"AWS":["arn:aws:sts::444455556666:assumed-role/auditor/a1","arn:aws:iam::444455556666:role/auditor","arn:aws:iam::444455556666:root"]}`
	c := func(name, np string, who *Principal, denied bool) evalCase {
		return evalCase{name: name, policy: deny(np), kind: Resource, principal: who, action: "s3:GetObject", resource: "arn:aws:s3:::b/k", deny: denied}
	}
	boundedBob := *bob
	boundedBob.HasBoundary = true
	runEvalCases(t, []evalCase{
		c("named user and account are exempt", bobAndAccount, bob, false),
		c("other users of the account are denied", bobAndAccount, &Principal{Type: User, Account: acctB, ARN: "arn:aws:iam::444455556666:user/eve"}, true),
		c("users of other accounts are denied", bobAndAccount, alice, true),
		c("anonymous callers are denied", bobAndAccount, anon, true),
		c("services are denied", bobAndAccount, svc, true),
		c("user without the account ARN is denied", `{"AWS":"arn:aws:iam::444455556666:user/bob"}`, bob, true),
		c("root user of a named account is exempt", bobAndAccount, rootB, false),
		c("session with full chain is exempt", sessionChain, bSess, false),
		c("session with role and account is exempt", `{"AWS":["arn:aws:iam::444455556666:role/auditor","arn:aws:iam::444455556666:root"]}`, bSess, false),
		c("session without the role ARN is denied", `{"AWS":["arn:aws:sts::444455556666:assumed-role/auditor/a1","arn:aws:iam::444455556666:root"]}`, bSess, true),
		c("session without the account ARN is denied", `{"AWS":["arn:aws:sts::444455556666:assumed-role/auditor/a1","arn:aws:iam::444455556666:role/auditor"]}`, bSess, true),
		c("account alone does not exempt a user", `{"AWS":"444455556666"}`, bob, true),
		c("account alone exempts its root user", `{"AWS":"444455556666"}`, rootB, false),
		c("NotPrincipal AWS star exempts everyone AWS knows", `{"AWS":"*"}`, bob, false),
		c("NotPrincipal AWS star exempts anonymous", `{"AWS":"*"}`, anon, false),
		c("NotPrincipal service exempts the service", `{"Service":"access-grants.s3.amazonaws.com"}`, svc, false),
		c("NotPrincipal service denies users", `{"Service":"access-grants.s3.amazonaws.com"}`, bob, true),
		c("permissions boundary defeats NotPrincipal", bobAndAccount, &boundedBob, true),
		c("federated user with account and session named", `{"AWS":["arn:aws:sts::111122223333:federated-user/fred","arn:aws:iam::111122223333:root"]}`, fedUser, false),
		{name: "NotPrincipal with Allow grants everyone else", policy: doc(`{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"*"}`), kind: Resource, principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/k", allow: true},
		{name: "NotPrincipal with Allow grants anonymous", policy: doc(`{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"*"}`), kind: Resource, principal: anon, action: "s3:GetObject", resource: "arn:aws:s3:::b/k", allow: true},
	})
}

func TestAddToContext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    *Principal
		want map[string][]string
	}{
		{name: "IAM user", p: alice, want: map[string][]string{
			"aws:principalaccount": {acctA}, "aws:principaltype": {"User"}, "aws:principalarn": {alice.ARN},
			"aws:username": {"alice"}, "aws:userid": {"AIDAALICE"},
		}},
		{name: "user with path", p: pathUser, want: map[string][]string{
			"aws:principalaccount": {acctA}, "aws:principaltype": {"User"}, "aws:principalarn": {pathUser.ARN}, "aws:username": {"carol"},
		}},
		{name: "role session: PrincipalArn is the role", p: devSess, want: map[string][]string{
			"aws:principalaccount": {acctA}, "aws:principaltype": {"AssumedRole"}, "aws:principalarn": {devSess.RoleARN},
		}},
		{name: "root: userid is the account", p: rootA, want: map[string][]string{
			"aws:principalaccount": {acctA}, "aws:principaltype": {"Account"}, "aws:principalarn": {rootA.ARN}, "aws:userid": {acctA},
		}},
		{name: "federated user: userid is account:name", p: fedUser, want: map[string][]string{
			"aws:principalaccount": {acctA}, "aws:principaltype": {"FederatedUser"}, "aws:principalarn": {fedUser.ARN}, "aws:userid": {acctA + ":fred"},
		}},
		{name: "anonymous", p: anon, want: map[string][]string{"aws:userid": {"anonymous"}, "aws:principaltype": {"Anonymous"}}},
		{name: "nil is anonymous", p: nil, want: map[string][]string{"aws:userid": {"anonymous"}, "aws:principaltype": {"Anonymous"}}},
		{name: "service", p: svc, want: map[string][]string{"aws:principalservicename": {"access-grants.s3.amazonaws.com"}}},
		{name: "web identity", p: webUser, want: map[string][]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := NewContext(8)
			tt.p.AddToContext(c)
			got := map[string][]string{}
			for _, k := range c.Keys() {
				got[k], _ = c.Get(k)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("context mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPrincipalTypeString(t *testing.T) {
	t.Parallel()
	got := []string{Anonymous.String(), Root.String(), Account.String(), User.String(), AssumedRole.String(), FederatedUser.String(), Service.String(), WebIdentity.String()}
	want := []string{"Anonymous", "Account", "Account", "User", "AssumedRole", "FederatedUser", "Service", "WebIdentity"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
