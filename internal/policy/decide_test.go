package policy

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Fixtures for Decide. Identity-type documents.
var (
	idS3All     = named("id-s3-all", doc(`{"Sid":"S3","Effect":"Allow","Action":"s3:*","Resource":"*"}`), Identity)
	idGet       = named("id-get", doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`), Identity)
	idDenyDel   = named("id-deny-delete", doc(`{"Sid":"NoDelete","Effect":"Deny","Action":"s3:Delete*","Resource":"*"}`), Identity)
	idAssume    = named("id-assume", doc(`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}`), Identity)
	bdS3        = named("boundary-s3", doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`), Identity)
	bdIAM       = named("boundary-iam", doc(`{"Effect":"Allow","Action":"iam:*","Resource":"*"}`), Identity)
	bdDenyPut   = named("boundary-deny-put", doc(`{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}`), Identity)
	sessGet     = named("session-get", doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`), Identity)
	sessPut     = named("session-put", doc(`{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}`), Identity)
	sessDenyGet = named("session-deny-get", doc(`{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}`), Identity)
)

func named(name, text string, kind Kind) *Policy {
	p, err := Parse([]byte(text), kind)
	if err != nil {
		panic(name + ": " + err.Error())
	}
	p.Name = name
	return p
}

// bucket returns a bucket policy allowing (or denying) actions to principal.
func bucket(effect, principal, action string) *Policy {
	return named("bucket-policy", doc(`{"Sid":"B","Effect":"`+effect+`","Principal":`+principal+`,"Action":"`+action+`","Resource":"arn:aws:s3:::b/*"}`), Resource)
}

func trust(principal string) *Policy {
	return named("trust", doc(`{"Effect":"Allow","Principal":`+principal+`,"Action":"sts:AssumeRole"}`), Trust)
}

func req(p *Principal, action string) *Request {
	return &Request{Principal: p, Action: action, Resource: "arn:aws:s3:::b/k"}
}

func TestDecide(t *testing.T) {
	t.Parallel()
	boundedBob := *bob
	tests := []struct {
		name     string
		in       Input
		want     DecisionEffect
		deniedBy PolicyType
	}{
		// Defaults and explicit denies.
		{name: "all requests are implicitly denied by default", in: Input{Request: req(alice, "s3:GetObject")}, want: ImplicitDeny, deniedBy: IdentityPolicy},
		{name: "an identity-based Allow allows", in: Input{Request: req(alice, "s3:GetObject"), Identity: []*Policy{idS3All}}, want: Allow},
		{name: "identity policies are ORed", in: Input{Request: req(alice, "s3:GetObject"), Identity: []*Policy{idAssume, idGet}}, want: Allow},
		{name: "explicit deny in an identity policy overrides an allow", in: Input{Request: req(alice, "s3:DeleteObject"), Identity: []*Policy{idS3All, idDenyDel}}, want: ExplicitDeny, deniedBy: IdentityPolicy},
		{name: "explicit deny in the resource policy overrides an identity allow", in: Input{Request: req(alice, "s3:GetObject"), Identity: []*Policy{idS3All}, Resource: bucket("Deny", `"*"`, "s3:GetObject")}, want: ExplicitDeny, deniedBy: ResourcePolicy},
		{name: "explicit deny in the permissions boundary", in: Input{Request: req(alice, "s3:PutObject"), Identity: []*Policy{idS3All}, Boundary: bdDenyPut}, want: ExplicitDeny, deniedBy: BoundaryPolicy},
		{name: "explicit deny in a session policy", in: Input{Request: req(devSess, "s3:GetObject"), Identity: []*Policy{idS3All}, Session: []*Policy{sessDenyGet}}, want: ExplicitDeny, deniedBy: SessionPolicy},
		{name: "explicit deny wins over a resource grant to the user", in: Input{Request: req(alice, "s3:DeleteObject"), Identity: []*Policy{idDenyDel}, Resource: bucket("Allow", `{"AWS":"arn:aws:iam::111122223333:user/alice"}`, "s3:*")}, want: ExplicitDeny, deniedBy: IdentityPolicy},
		// Same account: resource-based policies.
		{name: "same account: resource policy naming the user allows without identity policy", in: Input{Request: req(alice, "s3:GetObject"), Resource: bucket("Allow", `{"AWS":"arn:aws:iam::111122223333:user/alice"}`, "s3:GetObject"), ResourceAccount: acctA}, want: Allow},
		{name: "same account: resource grant to a user ARN is not limited by the boundary", in: Input{Request: req(alice, "s3:GetObject"), Boundary: bdIAM, Resource: bucket("Allow", `{"AWS":"arn:aws:iam::111122223333:user/alice"}`, "s3:GetObject")}, want: Allow},
		{name: "same account: resource grant to a role ARN is not limited by an identity implicit deny", in: Input{Request: req(devSess, "s3:GetObject"), Resource: bucket("Allow", `{"AWS":"arn:aws:iam::111122223333:role/dev"}`, "s3:GetObject")}, want: Allow},
		{name: "same account: resource grant to a role ARN is limited by the boundary", in: Input{Request: req(devSess, "s3:GetObject"), Boundary: bdIAM, Resource: bucket("Allow", `{"AWS":"arn:aws:iam::111122223333:role/dev"}`, "s3:GetObject")}, want: ImplicitDeny, deniedBy: BoundaryPolicy},
		{name: "same account: resource grant to a role ARN is limited by session policies", in: Input{Request: req(devSess, "s3:PutObject"), Session: []*Policy{sessGet}, Resource: bucket("Allow", `{"AWS":"arn:aws:iam::111122223333:role/dev"}`, "s3:PutObject")}, want: ImplicitDeny, deniedBy: SessionPolicy},
		{name: "same account: resource grant to a role ARN within boundary and session policy", in: Input{Request: req(devSess, "s3:GetObject"), Boundary: bdS3, Session: []*Policy{sessGet}, Resource: bucket("Allow", `{"AWS":"arn:aws:iam::111122223333:role/dev"}`, "s3:GetObject")}, want: Allow},
		{name: "same account: resource grant to the session ARN is not limited by session policies", in: Input{Request: req(devSess, "s3:PutObject"), Session: []*Policy{sessGet}, Resource: bucket("Allow", `{"AWS":"arn:aws:sts::111122223333:assumed-role/dev/s1"}`, "s3:PutObject")}, want: Allow},
		{name: "same account: resource grant to the session ARN is not limited by the boundary", in: Input{Request: req(devSess, "s3:GetObject"), Boundary: bdIAM, Resource: bucket("Allow", `{"AWS":"arn:aws:sts::111122223333:assumed-role/dev/s1"}`, "s3:GetObject")}, want: Allow},
		{name: "same account: resource grant naming the account delegates to IAM policies", in: Input{Request: req(alice, "s3:GetObject"), Resource: bucket("Allow", `{"AWS":"111122223333"}`, "s3:GetObject")}, want: ImplicitDeny, deniedBy: IdentityPolicy},
		{name: "same account: root ARN principal also delegates", in: Input{Request: req(alice, "s3:GetObject"), Resource: bucket("Allow", `{"AWS":"arn:aws:iam::111122223333:root"}`, "s3:GetObject")}, want: ImplicitDeny, deniedBy: IdentityPolicy},
		{name: "same account: account grant plus identity allow", in: Input{Request: req(alice, "s3:GetObject"), Identity: []*Policy{idGet}, Resource: bucket("Allow", `{"AWS":"111122223333"}`, "s3:GetObject")}, want: Allow},
		{name: "same account: account grant does not bypass the boundary", in: Input{Request: req(alice, "s3:GetObject"), Identity: []*Policy{idGet}, Boundary: bdIAM, Resource: bucket("Allow", `{"AWS":"111122223333"}`, "s3:GetObject")}, want: ImplicitDeny, deniedBy: BoundaryPolicy},
		{name: "same account: Principal star allows with no other permissions", in: Input{Request: req(devSess, "s3:GetObject"), Resource: bucket("Allow", `"*"`, "s3:GetObject")}, want: Allow},
		{name: "same account: Principal star is not limited by boundary or session policy", in: Input{Request: req(devSess, "s3:PutObject"), Boundary: bdIAM, Session: []*Policy{sessGet}, Resource: bucket("Allow", `"*"`, "s3:PutObject")}, want: Allow},
		{name: "same account: resource policy for another action does not help", in: Input{Request: req(alice, "s3:PutObject"), Resource: bucket("Allow", `"*"`, "s3:GetObject")}, want: ImplicitDeny, deniedBy: IdentityPolicy},
		{name: "same account: resource policy for another principal does not help", in: Input{Request: req(alice, "s3:GetObject"), Resource: bucket("Allow", `{"AWS":"arn:aws:iam::111122223333:user/carol"}`, "s3:GetObject")}, want: ImplicitDeny, deniedBy: IdentityPolicy},
		{name: "same account: empty ResourceAccount means the principal's account", in: Input{Request: req(alice, "s3:GetObject"), Resource: bucket("Allow", `{"AWS":"arn:aws:iam::111122223333:user/alice"}`, "s3:GetObject"), ResourceAccount: ""}, want: Allow},
		// Permissions boundaries.
		{name: "boundary and identity policy both allow", in: Input{Request: req(alice, "s3:GetObject"), Identity: []*Policy{idS3All}, Boundary: bdS3}, want: Allow},
		{name: "a boundary does not grant permissions", in: Input{Request: req(alice, "s3:GetObject"), Boundary: bdS3}, want: ImplicitDeny, deniedBy: IdentityPolicy},
		{name: "boundary without the action denies", in: Input{Request: req(alice, "s3:GetObject"), Identity: []*Policy{idS3All}, Boundary: bdIAM}, want: ImplicitDeny, deniedBy: BoundaryPolicy},
		{name: "boundary limits role sessions too", in: Input{Request: req(devSess, "s3:GetObject"), Identity: []*Policy{idS3All}, Boundary: bdIAM}, want: ImplicitDeny, deniedBy: BoundaryPolicy},
		// Session policies.
		{name: "session permissions are the intersection with session policies", in: Input{Request: req(devSess, "s3:GetObject"), Identity: []*Policy{idS3All}, Session: []*Policy{sessGet}}, want: Allow},
		{name: "session policy without the action denies", in: Input{Request: req(devSess, "s3:PutObject"), Identity: []*Policy{idS3All}, Session: []*Policy{sessGet}}, want: ImplicitDeny, deniedBy: SessionPolicy},
		{name: "session policies are ORed with each other", in: Input{Request: req(devSess, "s3:PutObject"), Identity: []*Policy{idS3All}, Session: []*Policy{sessGet, sessPut}}, want: Allow},
		{name: "a session policy does not grant permissions", in: Input{Request: req(devSess, "s3:GetObject"), Session: []*Policy{sessGet}}, want: ImplicitDeny, deniedBy: IdentityPolicy},
		{name: "role session without session policy has the role's permissions", in: Input{Request: req(devSess, "s3:GetObject"), Identity: []*Policy{idGet}}, want: Allow},
		{name: "federated user session without session policy is denied", in: Input{Request: req(fedUser, "s3:GetObject"), Identity: []*Policy{idS3All}}, want: ImplicitDeny, deniedBy: SessionPolicy},
		{name: "federated user session with a session policy", in: Input{Request: req(fedUser, "s3:GetObject"), Identity: []*Policy{idS3All}, Session: []*Policy{sessGet}}, want: Allow},
		{name: "resource grant to the federated session ARN is direct", in: Input{Request: req(fedUser, "s3:GetObject"), Resource: bucket("Allow", `{"AWS":"arn:aws:sts::111122223333:federated-user/fred"}`, "s3:GetObject")}, want: Allow},
		{name: "resource grant to the federating user is limited by session policies", in: Input{Request: req(fedUser, "s3:PutObject"), Session: []*Policy{sessGet}, Resource: bucket("Allow", `{"AWS":"arn:aws:iam::111122223333:user/alice"}`, "s3:PutObject")}, want: ImplicitDeny, deniedBy: SessionPolicy},
		{name: "resource grant to the federating user within the session policy", in: Input{Request: req(fedUser, "s3:GetObject"), Session: []*Policy{sessGet}, Resource: bucket("Allow", `{"AWS":"arn:aws:iam::111122223333:user/alice"}`, "s3:GetObject")}, want: Allow},
		// Root user.
		{name: "root user has full access in its own account", in: Input{Request: req(rootA, "s3:GetObject"), ResourceAccount: acctA}, want: Allow},
		{name: "root user is still subject to an explicit deny", in: Input{Request: req(rootA, "s3:GetObject"), Resource: bucket("Deny", `"*"`, "s3:*"), ResourceAccount: acctA}, want: ExplicitDeny, deniedBy: ResourcePolicy},
		{name: "root user across accounts needs the resource policy", in: Input{Request: req(rootB, "s3:GetObject"), ResourceAccount: acctA}, want: ImplicitDeny, deniedBy: ResourcePolicy},
		{name: "root user across accounts with an account grant", in: Input{Request: req(rootB, "s3:GetObject"), Resource: bucket("Allow", `{"AWS":"444455556666"}`, "s3:GetObject"), ResourceAccount: acctA}, want: Allow},
		// Cross-account.
		{name: "cross-account: identity allow alone is not enough", in: Input{Request: req(bob, "s3:GetObject"), Identity: []*Policy{idS3All}, ResourceAccount: acctA}, want: ImplicitDeny, deniedBy: ResourcePolicy},
		{name: "cross-account: resource allow alone is not enough", in: Input{Request: req(bob, "s3:GetObject"), Resource: bucket("Allow", `{"AWS":"arn:aws:iam::444455556666:user/bob"}`, "s3:GetObject"), ResourceAccount: acctA}, want: ImplicitDeny, deniedBy: IdentityPolicy},
		{name: "cross-account: both sides allow", in: Input{Request: req(bob, "s3:GetObject"), Identity: []*Policy{idS3All}, Resource: bucket("Allow", `{"AWS":"arn:aws:iam::444455556666:user/bob"}`, "s3:GetObject"), ResourceAccount: acctA}, want: Allow},
		{name: "cross-account: account grant plus identity allow", in: Input{Request: req(bob, "s3:GetObject"), Identity: []*Policy{idS3All}, Resource: bucket("Allow", `{"AWS":"444455556666"}`, "s3:GetObject"), ResourceAccount: acctA}, want: Allow},
		{name: "cross-account: Principal star still needs the identity side", in: Input{Request: req(bob, "s3:GetObject"), Resource: bucket("Allow", `"*"`, "s3:GetObject"), ResourceAccount: acctA}, want: ImplicitDeny, deniedBy: IdentityPolicy},
		{name: "cross-account: the boundary limits the principal side", in: Input{Request: req(bob, "s3:GetObject"), Identity: []*Policy{idS3All}, Boundary: bdIAM, Resource: bucket("Allow", `{"AWS":"444455556666"}`, "s3:GetObject"), ResourceAccount: acctA}, want: ImplicitDeny, deniedBy: BoundaryPolicy},
		{name: "cross-account: session policies limit the principal side", in: Input{Request: req(bSess, "s3:PutObject"), Identity: []*Policy{idS3All}, Session: []*Policy{sessGet}, Resource: bucket("Allow", `{"AWS":"arn:aws:sts::444455556666:assumed-role/auditor/a1"}`, "s3:PutObject"), ResourceAccount: acctA}, want: ImplicitDeny, deniedBy: SessionPolicy},
		{name: "cross-account: resource grant to another principal", in: Input{Request: req(bSess, "s3:GetObject"), Identity: []*Policy{idS3All}, Resource: bucket("Allow", `{"AWS":"arn:aws:iam::444455556666:user/bob"}`, "s3:GetObject"), ResourceAccount: acctA}, want: ImplicitDeny, deniedBy: ResourcePolicy},
		{name: "cross-account: explicit deny in the resource policy", in: Input{Request: req(bob, "s3:GetObject"), Identity: []*Policy{idS3All}, Resource: bucket("Deny", `{"AWS":"444455556666"}`, "s3:*"), ResourceAccount: acctA}, want: ExplicitDeny, deniedBy: ResourcePolicy},
		// Service, anonymous and web identity callers.
		{name: "service principal allowed by the resource policy", in: Input{Request: req(svc, "s3:GetObject"), Resource: bucket("Allow", `{"Service":"access-grants.s3.amazonaws.com"}`, "s3:GetObject"), ResourceAccount: acctA}, want: Allow},
		{name: "service principal without a resource grant", in: Input{Request: req(svc, "s3:GetObject"), ResourceAccount: acctA}, want: ImplicitDeny, deniedBy: ResourcePolicy},
		{name: "service principal ignores identity policies", in: Input{Request: req(svc, "s3:GetObject"), Identity: []*Policy{idS3All}, ResourceAccount: acctA}, want: ImplicitDeny, deniedBy: ResourcePolicy},
		{name: "anonymous caller allowed by a public bucket policy", in: Input{Request: req(anon, "s3:GetObject"), Resource: bucket("Allow", `"*"`, "s3:GetObject"), ResourceAccount: acctA}, want: Allow},
		{name: "nil principal is anonymous", in: Input{Request: req(nil, "s3:GetObject"), Resource: bucket("Allow", `{"AWS":"*"}`, "s3:GetObject"), ResourceAccount: acctA}, want: Allow},
		{name: "anonymous caller without a resource policy", in: Input{Request: req(anon, "s3:GetObject"), ResourceAccount: acctA}, want: ImplicitDeny, deniedBy: ResourcePolicy},
		{name: "a Deny whose condition key is missing does not apply", in: Input{Request: req(anon, "s3:GetObject"), Resource: named("pub", doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`), Resource), ResourceAccount: acctA}, want: Allow},
		{name: "web identity user allowed by the trust policy", in: Input{Request: &Request{Principal: webUser, Action: "sts:AssumeRoleWithWebIdentity", Resource: "arn:aws:iam::111122223333:role/web"}, Resource: named("trust", doc(`{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity"}`), Trust), ResourceAccount: acctA}, want: Allow},
		// Role trust policies must allow.
		{name: "trust policy: identity allow alone cannot assume a role", in: Input{Request: &Request{Principal: alice, Action: "sts:AssumeRole", Resource: "arn:aws:iam::111122223333:role/r"}, Identity: []*Policy{idAssume}, Resource: trust(`{"Service":"ec2.amazonaws.com"}`), ResourceAccount: acctA}, want: ImplicitDeny, deniedBy: ResourcePolicy},
		{name: "trust policy naming the account delegates to identity policies", in: Input{Request: &Request{Principal: alice, Action: "sts:AssumeRole", Resource: "arn:aws:iam::111122223333:role/r"}, Identity: []*Policy{idAssume}, Resource: trust(`{"AWS":"111122223333"}`), ResourceAccount: acctA}, want: Allow},
		{name: "trust policy naming the account needs an identity allow", in: Input{Request: &Request{Principal: alice, Action: "sts:AssumeRole", Resource: "arn:aws:iam::111122223333:role/r"}, Resource: trust(`{"AWS":"111122223333"}`), ResourceAccount: acctA}, want: ImplicitDeny, deniedBy: IdentityPolicy},
		{name: "trust policy naming the user needs no identity allow", in: Input{Request: &Request{Principal: alice, Action: "sts:AssumeRole", Resource: "arn:aws:iam::111122223333:role/r"}, Resource: trust(`{"AWS":"arn:aws:iam::111122223333:user/alice"}`), ResourceAccount: acctA}, want: Allow},
		{name: "trust policy across accounts needs both sides", in: Input{Request: &Request{Principal: bob, Action: "sts:AssumeRole", Resource: "arn:aws:iam::111122223333:role/r"}, Resource: trust(`{"AWS":"444455556666"}`), ResourceAccount: acctA}, want: ImplicitDeny, deniedBy: IdentityPolicy},
		{name: "trust policy across accounts with both sides", in: Input{Request: &Request{Principal: bob, Action: "sts:AssumeRole", Resource: "arn:aws:iam::111122223333:role/r"}, Identity: []*Policy{idAssume}, Resource: trust(`{"AWS":"444455556666"}`), ResourceAccount: acctA}, want: Allow},
		{name: "service assumes a role through its trust policy", in: Input{Request: &Request{Principal: svc, Action: "sts:AssumeRole", Resource: "arn:aws:iam::111122223333:role/r"}, Resource: trust(`{"Service":"access-grants.s3.amazonaws.com"}`), ResourceAccount: acctA}, want: Allow},
		// NotPrincipal and permissions boundaries.
		{name: "NotPrincipal deny spares the named principal", in: Input{Request: req(bob, "s3:GetObject"), Identity: []*Policy{idS3All}, Resource: named("np", doc(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/bob","arn:aws:iam::444455556666:root"]},"Action":"s3:*","Resource":"*"}`), Resource), ResourceAccount: acctA}, want: Allow},
		{name: "NotPrincipal deny always denies a principal with a boundary", in: Input{Request: req(&boundedBob, "s3:GetObject"), Identity: []*Policy{idS3All}, Boundary: bdS3, Resource: named("np", doc(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:*","Resource":"*"},{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/bob","arn:aws:iam::444455556666:root"]},"Action":"s3:*","Resource":"*"}`), Resource), ResourceAccount: acctA}, want: ExplicitDeny, deniedBy: ResourcePolicy},
		// Conditions feed into the decision.
		{name: "condition false: the allow does not apply", in: Input{Request: &Request{Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Context: ctx("aws:SourceIp", "198.51.100.1")}, Identity: []*Policy{named("ip", doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}`), Identity)}}, want: ImplicitDeny, deniedBy: IdentityPolicy},
		{name: "deny unless secure transport", in: Input{Request: &Request{Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Context: ctx("aws:SecureTransport", "false")}, Identity: []*Policy{idS3All}, Resource: named("tls", doc(`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`), Resource)}, want: ExplicitDeny, deniedBy: ResourcePolicy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := Decide(tt.in)
			if d.Effect != tt.want || d.DeniedBy != tt.deniedBy {
				t.Errorf("Decide = %v (denied by %v), want %v (denied by %v)", d, d.DeniedBy, tt.want, tt.deniedBy)
			}
			switch d.Effect {
			case ImplicitDeny:
				if len(d.Reasons) != 0 {
					t.Errorf("implicit deny with reasons %v", d.Reasons)
				}
			case ExplicitDeny:
				for _, r := range d.Reasons {
					if r.Effect != EffectDeny {
						t.Errorf("explicit deny reason %v is not a Deny", r)
					}
				}
			}
		})
	}
}

func TestDecisionReasons(t *testing.T) {
	t.Parallel()
	in := Input{
		Request:  req(devSess, "s3:GetObject"),
		Identity: []*Policy{idS3All, idDenyDel},
		Boundary: bdS3,
		Session:  []*Policy{sessGet},
		Resource: bucket("Allow", `{"AWS":"arn:aws:iam::111122223333:role/dev"}`, "s3:GetObject"),
	}
	d := Decide(in)
	want := []Reason{
		{Policy: "id-s3-all", Type: IdentityPolicy, Statement: 0, Sid: "S3", Effect: EffectAllow, Start: Position{1, 38}, End: Position{1, 98}},
		{Policy: "boundary-s3", Type: BoundaryPolicy, Statement: 0, Effect: EffectAllow, Start: Position{1, 38}, End: Position{1, 87}},
		{Policy: "session-get", Type: SessionPolicy, Statement: 0, Effect: EffectAllow, Start: Position{1, 38}, End: Position{1, 95}},
		{Policy: "bucket-policy", Type: ResourcePolicy, Statement: 0, Sid: "B", Effect: EffectAllow, Start: Position{1, 38}, End: Position{1, 177}},
	}
	if diff := cmp.Diff(want, d.Reasons); diff != "" {
		t.Errorf("Reasons mismatch (-want +got):\n%s", diff)
	}
	if got, want := d.String(), `Allow by [Allow id-s3-all[0 "S3"], Allow boundary-s3[0], Allow session-get[0], Allow bucket-policy[0 "B"]]`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}

	in.Request = req(devSess, "s3:DeleteObject")
	d = Decide(in)
	if got, want := d.String(), `ExplicitDeny in identity-based policy by [Deny id-deny-delete[0 "NoDelete"]]`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	in.Request = req(devSess, "s3:PutObject")
	d = Decide(in)
	if got, want := d.String(), "ImplicitDeny: no session policy allows"; got != want || d.Allowed() {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestDecisionEffectString(t *testing.T) {
	t.Parallel()
	got := []string{ImplicitDeny.String(), Allow.String(), ExplicitDeny.String(), IdentityPolicy.String(), BoundaryPolicy.String(), SessionPolicy.String(), ResourcePolicy.String(), PolicyType(0).String(), EffectAllow.String(), EffectDeny.String()}
	want := []string{"ImplicitDeny", "Allow", "ExplicitDeny", "identity-based policy", "permissions boundary", "session policy", "resource-based policy", "no policy", "Allow", "Deny"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
