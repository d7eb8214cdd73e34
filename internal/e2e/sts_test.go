package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/grantd/grantd/internal/apptest"
)

const acctB = "444455556666"

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
	env.NewAccount(t, acctB)
	iam := newIAM(t, env)
	acctA := apptest.Account

	// Account A (the management account): a role trusting account B, with
	// Organizations read permissions.
	readerARN := iam.role(acctA, "data-reader", doc(trustAWS("arn:aws:iam::"+acctB+":root")), roleOpts{},
		doc(allow([]string{"organizations:ListAccounts", "organizations:DescribeOrganization"}, "*")))
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

	// A session policy narrows the session to the intersection.
	out, err := stsClient(env, consumer).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(readerARN), RoleSessionName: aws.String("narrow"),
		Policy: aws.String(doc(allow("organizations:DescribeOrganization", "*")))})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(out.PackedPolicySize) < 1 {
		t.Errorf("PackedPolicySize = %v, want a percentage", out.PackedPolicySize)
	}
	narrow := organizations.NewFromConfig(env.Config(sessionCreds(out.Credentials)))
	if _, err := narrow.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}); err != nil {
		t.Errorf("DescribeOrganization inside the session policy: %v", err)
	}
	_, err = narrow.ListAccounts(ctx, &organizations.ListAccountsInput{})
	wantAPIError(t, err, "AccessDeniedException", http.StatusBadRequest)
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
