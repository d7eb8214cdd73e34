package e2e

import (
	"encoding/base64"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/grantd/grantd/internal/apptest"
)

// flipBit returns token with one bit of its decoded bytes flipped.
func flipBit(t *testing.T, token string, bit int) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		t.Fatalf("session token is not base64url: %v", err)
	}
	b[bit/8%len(b)] ^= 1 << (bit % 8)
	return base64.RawURLEncoding.EncodeToString(b)
}

// TestSessionTokenTampering presents altered session credentials over the
// wire; every alteration is refused the way each protocol refuses an
// invalid token.
func TestSessionTokenTampering(t *testing.T) {
	clk := &clock{}
	env := apptest.Start(t, apptest.Options{Now: clk.Now})
	iam := newIAM(t, env)
	acct := apptest.Account
	role := iam.role(acct, "r", doc(trustAWS(acct)), roleOpts{}, doc(allow([]string{"organizations:DescribeOrganization", "iam:ListRoles"}, "*")))
	user := iam.user(acct, "dev", doc(allow("sts:AssumeRole", "*")))
	a := assume(t, env, user, role, "session-a")
	b := assume(t, env, user, role, "session-b")
	if !canDescribeOrg(t, env, a) || !canDescribeOrg(t, env, b) {
		t.Fatal("the untouched sessions should work")
	}
	if _, err := awsiam.NewFromConfig(env.Config(a)).ListRoles(t.Context(), &awsiam.ListRolesInput{}); err != nil {
		t.Fatalf("IAM with the untouched session: %v", err)
	}

	edited := []byte(a.SessionToken)
	if edited[100] == 'A' {
		edited[100] = 'B'
	} else {
		edited[100] = 'A'
	}
	tests := []struct {
		name  string
		creds aws.Credentials
		sts   string // STS code (Query protocol, 403)
		orgs  string // Organizations code (JSON protocol, 400)
	}{
		{"bit flipped in the header", withToken(a, flipBit(t, a.SessionToken, 3)), "InvalidClientTokenId", "UnrecognizedClientException"},
		{"bit flipped in the nonce", withToken(a, flipBit(t, a.SessionToken, 8*10)), "InvalidClientTokenId", "UnrecognizedClientException"},
		{"bit flipped in the claims", withToken(a, flipBit(t, a.SessionToken, 8*60+5)), "InvalidClientTokenId", "UnrecognizedClientException"},
		{"bit flipped in the tag", withToken(a, flipBit(t, a.SessionToken, -1+8*len(a.SessionToken)*3/4)), "InvalidClientTokenId", "UnrecognizedClientException"},
		{"edited character", withToken(a, string(edited)), "InvalidClientTokenId", "UnrecognizedClientException"},
		{"truncated", withToken(a, a.SessionToken[:len(a.SessionToken)-4]), "InvalidClientTokenId", "UnrecognizedClientException"},
		{"another session's token", withToken(a, b.SessionToken), "InvalidClientTokenId", "UnrecognizedClientException"},
		{"another session's key ID", aws.Credentials{AccessKeyID: b.AccessKeyID, SecretAccessKey: a.SecretAccessKey, SessionToken: a.SessionToken}, "InvalidClientTokenId", "UnrecognizedClientException"},
		{"no token", withToken(a, ""), "InvalidClientTokenId", "UnrecognizedClientException"},
		{"garbage", withToken(a, "not-a-session-token"), "InvalidClientTokenId", "UnrecognizedClientException"},
		{"wrong secret", aws.Credentials{AccessKeyID: a.AccessKeyID, SecretAccessKey: b.SecretAccessKey, SessionToken: a.SessionToken}, "SignatureDoesNotMatch", "InvalidSignatureException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := stsClient(env, tt.creds).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
			wantAPIError(t, err, tt.sts, http.StatusForbidden)
			_, err = organizations.NewFromConfig(env.Config(tt.creds)).DescribeOrganization(t.Context(), &organizations.DescribeOrganizationInput{})
			wantAPIError(t, err, tt.orgs, http.StatusBadRequest)
			_, err = awsiam.NewFromConfig(env.Config(tt.creds)).ListRoles(t.Context(), &awsiam.ListRolesInput{})
			wantAPIError(t, err, tt.sts, http.StatusForbidden) // IAM speaks the same Query protocol
		})
	}

	t.Run("expired", func(t *testing.T) {
		// Issue a 15-minute session ten minutes in the past, then move the
		// clock past its end; both stay within SigV4's 15-minute skew.
		clk.set(-10 * time.Minute)
		out, err := stsClient(env, user).AssumeRole(t.Context(), &sts.AssumeRoleInput{RoleArn: aws.String(role),
			RoleSessionName: aws.String("short"), DurationSeconds: aws.Int32(900)})
		if err != nil {
			t.Fatal(err)
		}
		short := sessionCreds(out.Credentials)
		clk.set(4 * time.Minute)
		if !canDescribeOrg(t, env, short) {
			t.Fatal("the session should still be valid a minute before it ends")
		}
		clk.set(5*time.Minute + time.Second)
		_, err = stsClient(env, short).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
		wantAPIError(t, err, "ExpiredToken", http.StatusForbidden)
		wantMessage(t, err, "The security token included in the request is expired")
		_, err = organizations.NewFromConfig(env.Config(short)).DescribeOrganization(t.Context(), &organizations.DescribeOrganizationInput{})
		wantAPIError(t, err, "ExpiredTokenException", http.StatusBadRequest)
		_, err = awsiam.NewFromConfig(env.Config(short)).ListRoles(t.Context(), &awsiam.ListRolesInput{})
		wantAPIError(t, err, "ExpiredToken", http.StatusForbidden)
		wantMessage(t, err, "The security token included in the request is expired")
		// An expired token that was also altered is just invalid.
		_, err = stsClient(env, withToken(short, flipBit(t, short.SessionToken, 8*60))).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
		wantAPIError(t, err, "InvalidClientTokenId", http.StatusForbidden)
	})
}

func withToken(c aws.Credentials, token string) aws.Credentials {
	c.SessionToken = token
	return c
}
