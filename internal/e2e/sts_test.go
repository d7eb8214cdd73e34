package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/grantd/grantd/internal/apptest"
)

// stsClient returns an STS client signing with creds.
func stsClient(env *apptest.Env, creds aws.Credentials) *sts.Client {
	return sts.NewFromConfig(env.Config(creds))
}

// sessionCreds turns STS credentials into SDK credentials.
func sessionCreds(c *types.Credentials) aws.Credentials {
	return aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken: aws.ToString(c.SessionToken)}
}

// TestAssumeRoleCrossAccount is the seed's shape at the STS level: account
// B's role assumes a role in account A only when A's trust policy names B
// and B's identity policy allows sts:AssumeRole; the session then acts as
// A's role, narrowed by its session policy.
func TestAssumeRoleCrossAccount(t *testing.T) {
	for _, pg := range []bool{false, true} {
		name := map[bool]string{false: "SQLite", true: "PostgreSQL"}[pg]
		t.Run(name, func(t *testing.T) { testAssumeRoleCrossAccount(t, pg) })
	}
}

func testAssumeRoleCrossAccount(t *testing.T, pg bool) {
	env := apptest.Start(t, apptest.Options{Postgres: pg})
	ctx := t.Context()
	iam := newIAM(t, env)
	iam.newAccount(acctB)
	acctA := apptest.Account

	// Account A (the management account): a role trusting account B, with
	// Organizations read permissions.
	readerARN := iam.role(acctA, "data-reader", doc(trustAWS("arn:aws:iam::"+acctB+":root")), roleOpts{},
		doc(allow([]string{"organizations:ListAccounts", "organizations:DescribeOrganization", "iam:ListRoles", "iam:GetRole"}, "*")))
	// Account B: a role its user may assume, allowed to assume A's role; and
	// a second role without that permission.
	consumerARN := iam.role(acctB, "consumer", doc(trustAWS(acctB)), roleOpts{},
		doc(allow("sts:AssumeRole", readerARN)))
	otherARN := iam.role(acctB, "other", doc(trustAWS(acctB)), roleOpts{}, doc(allow("sts:AssumeRole", consumerARN)))
	alice := iam.user(acctB, "alice", doc(allow("sts:AssumeRole", "*")))

	consumer := assume(t, env, alice, consumerARN, "alice-consumer")
	other := assume(t, env, alice, otherARN, "alice-other")

	// GetCallerIdentity as AWS formats a role session.
	id, err := stsClient(env, consumer).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(id.Arn), "arn:aws:sts::"+acctB+":assumed-role/consumer/alice-consumer"; got != want {
		t.Errorf("Arn = %q, want %q", got, want)
	}
	if aws.ToString(id.Account) != acctB || !strings.HasPrefix(aws.ToString(id.UserId), "AROA") || !strings.HasSuffix(aws.ToString(id.UserId), ":alice-consumer") {
		t.Errorf("caller identity = %+v", id)
	}

	// B's consumer role (allowed by B's policy and A's trust) gets in;
	// B's other role (not allowed by its own policy) does not.
	reader := assume(t, env, consumer, readerARN, "chained")
	_, err = stsClient(env, other).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(readerARN), RoleSessionName: aws.String("denied")})
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
	wantMessage(t, err, "User: arn:aws:sts::"+acctB+":assumed-role/other/alice-other is not authorized to perform: sts:AssumeRole on resource: "+readerARN)

	orgA := organizations.NewFromConfig(env.Config(reader))
	if _, err := orgA.ListAccounts(ctx, &organizations.ListAccountsInput{}); err != nil {
		t.Errorf("ListAccounts with A's role: %v", err)
	}
	// The session acts in account A: IAM lists A's roles.
	roles, err := awsiam.NewFromConfig(env.Config(reader)).ListRoles(ctx, &awsiam.ListRolesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(roles.Roles) != 1 || aws.ToString(roles.Roles[0].Arn) != readerARN {
		t.Errorf("ListRoles in A = %d roles", len(roles.Roles))
	}

	// A session policy narrows the session to the intersection.
	out, err := stsClient(env, consumer).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(readerARN), RoleSessionName: aws.String("narrow"),
		Policy: aws.String(doc(allow("organizations:DescribeOrganization", "*")))})
	if err != nil {
		t.Fatal(err)
	}
	//lint:ignore SA1019 deprecated in the newest model, still sent by STS and read by older SDKs
	if packed := aws.ToInt32(out.PackedPolicySize); packed < 1 || packed > 100 {
		t.Errorf("PackedPolicySize = %d, want a percentage", packed)
	}
	if u := aws.ToInt32(out.SessionTokenUtilization); u < 1 || u > 100 || aws.ToInt32(out.SessionTokenSize) != int32(len(aws.ToString(out.Credentials.SessionToken))) {
		t.Errorf("SessionTokenUtilization = %d, SessionTokenSize = %d", u, aws.ToInt32(out.SessionTokenSize))
	}
	narrow := organizations.NewFromConfig(env.Config(sessionCreds(out.Credentials)))
	if _, err := narrow.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}); err != nil {
		t.Errorf("DescribeOrganization inside the session policy: %v", err)
	}
	_, err = narrow.ListAccounts(ctx, &organizations.ListAccountsInput{})
	wantAPIError(t, err, "AccessDeniedException", http.StatusBadRequest)
	_, err = awsiam.NewFromConfig(env.Config(sessionCreds(out.Credentials))).GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("data-reader")})
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
}

// assume assumes roleARN with creds and returns the session's credentials.
func assume(t *testing.T, env *apptest.Env, creds aws.Credentials, roleARN, session string) aws.Credentials {
	t.Helper()
	out, err := stsClient(env, creds).AssumeRole(t.Context(), &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String(session)})
	if err != nil {
		t.Fatalf("AssumeRole %s as %s: %v", roleARN, creds.AccessKeyID, err)
	}
	return sessionCreds(out.Credentials)
}

// canDescribeOrg reports whether creds may call
// organizations:DescribeOrganization (allowed to every member account's
// principals whose policies allow it), the probe these tests use for what
// a session may do.
func canDescribeOrg(t *testing.T, env *apptest.Env, creds aws.Credentials) bool {
	t.Helper()
	_, err := organizations.NewFromConfig(env.Config(creds)).DescribeOrganization(t.Context(), &organizations.DescribeOrganizationInput{})
	if err == nil {
		return true
	}
	wantAPIError(t, err, "AccessDeniedException", http.StatusBadRequest)
	return false
}

func TestAssumeRoleTrust(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ctx := t.Context()
	iam := newIAM(t, env)
	iam.newAccount(acctB)
	describe := doc(allow("organizations:DescribeOrganization", "*"))

	bob := iam.user(acctB, "bob")                                        // no identity policy
	carol := iam.user(acctB, "carol", doc(allow("sts:AssumeRole", "*"))) // may assume anything
	bobARN := "arn:aws:iam::" + acctB + ":user/bob"
	namesBob := iam.role(acctB, "names-bob", doc(trustAWS(bobARN)), roleOpts{}, describe)
	namesAccount := iam.role(acctB, "names-account", doc(trustAWS(acctB)), roleOpts{}, describe)
	otherAccount := iam.role(acctB, "names-other-account", doc(trustAWS("111122223333")), roleOpts{}, describe)
	pathRole := iam.role(acctB, "pathed", doc(trustAWS(acctB)), roleOpts{path: "/team/ops/"}, describe)

	tests := []struct {
		name    string
		creds   aws.Credentials
		role    string
		wantErr bool
	}{
		// Same account: a trust policy naming the user allows on its own.
		{"trust names the user, no identity policy", bob, namesBob, false},
		// Naming the account delegates to the account's IAM policies.
		{"trust names the account, no identity policy", bob, namesAccount, true},
		{"trust names the account, identity policy allows", carol, namesAccount, false},
		{"trust names another account", carol, otherAccount, true},
		{"role with a path", carol, pathRole, false},
		{"role ARN without its path", carol, "arn:aws:iam::" + acctB + ":role/pathed", true},
		{"role that does not exist", carol, "arn:aws:iam::" + acctB + ":role/nobody", true},
		{"not a role", carol, "arn:aws:iam::" + acctB + ":user/bob", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := stsClient(env, tt.creds).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(tt.role), RoleSessionName: aws.String("s1")})
			if tt.wantErr {
				wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
				if err != nil && !strings.Contains(err.Error(), "is not authorized to perform: sts:AssumeRole on resource: "+tt.role) {
					t.Errorf("message: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !canDescribeOrg(t, env, sessionCreds(out.Credentials)) {
				t.Error("the session cannot use the role's permissions")
			}
		})
	}

	t.Run("root user", func(t *testing.T) {
		root := env.NewAccount(t, "777788889999")
		_, err := stsClient(env, root).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(namesAccount), RoleSessionName: aws.String("root")})
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
		wantMessage(t, err, "Roles may not be assumed by root accounts.")
	})
}

func TestExternalID(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	iam := newIAM(t, env)
	iam.newAccount(acctB)
	trust := trustAWS(acctB)
	trust["Condition"] = map[string]any{"StringEquals": map[string]any{"sts:ExternalId": "Example987"}}
	role := iam.role(apptest.Account, "vendor", doc(trust), roleOpts{})
	vendor := iam.user(acctB, "vendor", doc(allow("sts:AssumeRole", role)))
	for _, tt := range []struct {
		name, externalID string
		ok               bool
	}{{"none", "", false}, {"wrong", "Example988", false}, {"right", "Example987", true}} {
		t.Run(tt.name, func(t *testing.T) {
			in := &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("vendor")}
			if tt.externalID != "" {
				in.ExternalId = aws.String(tt.externalID)
			}
			_, err := stsClient(env, vendor).AssumeRole(t.Context(), in)
			if tt.ok && err != nil {
				t.Fatal(err)
			}
			if !tt.ok {
				wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
			}
		})
	}
}

func orgsClient(env *apptest.Env, creds aws.Credentials) *organizations.Client {
	return organizations.NewFromConfig(env.Config(creds))
}

func TestManagedSessionPolicy(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	iam := newIAM(t, env)
	iam.newAccount(acctB)
	acct := apptest.Account
	role := iam.role(acct, "ops", doc(trustAWS(acct)), roleOpts{},
		doc(allow([]string{"organizations:DescribeOrganization", "organizations:ListAccounts"}, "*")))
	user := iam.user(acct, "dev", doc(allow("sts:AssumeRole", "*")))
	describeOnly := iam.managedPolicy(acct, "describe-only", doc(allow("organizations:DescribeOrganization", "*")))
	elsewhere := iam.managedPolicy(acctB, "elsewhere", doc(allow("*", "*")))

	out, err := stsClient(env, user).AssumeRole(t.Context(), &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("managed"),
		PolicyArns: []types.PolicyDescriptorType{{Arn: aws.String(describeOnly)}}})
	if err != nil {
		t.Fatal(err)
	}
	sess := sessionCreds(out.Credentials)
	if !canDescribeOrg(t, env, sess) || canListAccounts(t, env, sess) {
		t.Error("the managed session policy does not narrow the session to DescribeOrganization")
	}
	// Customer managed session policies must be in the role's account.
	_, err = stsClient(env, user).AssumeRole(t.Context(), &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("managed"),
		PolicyArns: []types.PolicyDescriptorType{{Arn: aws.String(elsewhere)}}})
	wantAPIError(t, err, "InvalidParameterValue", http.StatusBadRequest)
}
