package policy_test

import (
	"testing"

	"github.com/grantd/grantd/internal/policy"
)

// The permissions-boundary rule of NotPrincipal, found by the differential
// test against iam-simulate (testdata/oracle/DISAGREEMENTS.md):
//
//	"Don't use resource-based policy statements that include a NotPrincipal
//	policy element with a Deny effect for IAM users or roles that have a
//	permissions boundary policy attached. The NotPrincipal element with a
//	Deny effect will always deny any IAM principal that has a permissions
//	boundary policy attached, regardless of the values specified in the
//	NotPrincipal element."
//	— https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
//
// "Regardless of the values" includes "*" and {"AWS":"*"}; and the rule is
// about Deny: an Allow with NotPrincipal still exempts whoever it names
// ("Doing so allows all principals except the one named in the NotPrincipal
// element", same page).
func TestNotPrincipalPermissionsBoundary(t *testing.T) {
	t.Parallel()
	alice := &policy.Principal{Type: policy.User, Account: "111122223333", ARN: "arn:aws:iam::111122223333:user/alice"}
	bob := &policy.Principal{Type: policy.User, Account: "444455556666", ARN: "arn:aws:iam::444455556666:user/bob"}
	allowS3 := mustPolicy(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, policy.Identity)
	bucket := func(stmt string) *policy.Policy {
		return mustPolicy(t, `{"Version":"2012-10-17","Statement":[`+stmt+`]}`, policy.Resource)
	}
	allowAccountB := `{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:*","Resource":"*"}`
	tests := []struct {
		name     string
		caller   *policy.Principal
		boundary bool
		identity bool
		resource *policy.Policy
		account  string
		want     policy.DecisionEffect
	}{
		{name: `Deny with NotPrincipal "*" exempts a user without a boundary`, caller: alice, identity: true,
			resource: bucket(`{"Effect":"Deny","NotPrincipal":"*","Action":"s3:*","Resource":"*"}`), account: "111122223333", want: policy.Allow},
		{name: `Deny with NotPrincipal "*" still denies a user with a boundary`, caller: alice, identity: true, boundary: true,
			resource: bucket(`{"Effect":"Deny","NotPrincipal":"*","Action":"s3:*","Resource":"*"}`), account: "111122223333", want: policy.ExplicitDeny},
		{name: `Deny with NotPrincipal {"AWS":"*"} still denies a user with a boundary`, caller: alice, identity: true, boundary: true,
			resource: bucket(`{"Effect":"Deny","NotPrincipal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}`), account: "111122223333", want: policy.ExplicitDeny},
		{name: `cross-account: Deny with NotPrincipal "*" still denies a user with a boundary`, caller: bob, identity: true, boundary: true,
			resource: bucket(allowAccountB + `,{"Effect":"Deny","NotPrincipal":"*","Action":"s3:*","Resource":"*"}`), account: "111122223333", want: policy.ExplicitDeny},
		{name: `cross-account: Allow with NotPrincipal {"AWS":"*"} grants no AWS principal, boundary or not`, caller: bob, identity: true, boundary: true,
			resource: bucket(`{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}`), account: "111122223333", want: policy.ImplicitDeny},
		{name: "same account: Allow with NotPrincipal naming the user and account does not grant it, boundary or not", caller: alice, boundary: true,
			resource: bucket(`{"Effect":"Allow","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:user/alice","111122223333"]},"Action":"s3:*","Resource":"*"}`), account: "111122223333", want: policy.ImplicitDeny},
		{name: "same account: Allow with NotPrincipal naming someone else grants the user", caller: alice, boundary: true,
			resource: bucket(`{"Effect":"Allow","NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/bob","444455556666"]},"Action":"s3:*","Resource":"*"}`), account: "111122223333", want: policy.Allow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := policy.Input{
				Request:         &policy.Request{Principal: tt.caller, Action: "s3:GetObject", Resource: "arn:aws:s3:::b1/k1"},
				Resource:        tt.resource,
				ResourceAccount: tt.account,
			}
			if tt.identity {
				in.Identity = []*policy.Policy{allowS3}
			}
			if tt.boundary {
				in.Boundary = allowS3
			}
			if d := policy.Decide(in); d.Effect != tt.want {
				t.Errorf("Decide = %v, want %v", d, tt.want)
			}
		})
	}
}

func mustPolicy(t testing.TB, doc string, kind policy.Kind) *policy.Policy {
	t.Helper()
	p, err := policy.Parse([]byte(doc), kind)
	if err != nil {
		t.Fatalf("Parse(%s): %v", doc, err)
	}
	return p
}
