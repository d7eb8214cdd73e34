package e2e

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3ctltypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/grantd/grantd/internal/apptest"
	"github.com/grantd/grantd/internal/errs"
	grantsts "github.com/grantd/grantd/internal/sts"
)

// TestAssumeRoleAsService drives the Go-level API GetDataAccess uses: the
// access-grants service principal assumes a location role under its trust
// policy, and the credentials work over the wire as that role, narrowed by
// the session policy and carrying the Access Grants instance.
func TestAssumeRoleAsService(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	iam := newIAM(t, env)
	acct := apptest.Account
	const svc = "access-grants.s3.amazonaws.com"
	instance := "arn:aws:s3:us-east-1:" + acct + ":access-grants/default"
	trust := doc(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": svc},
		"Action":    []string{"sts:AssumeRole", "sts:SetSourceIdentity"},
		"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": acct, "aws:SourceArn": instance}}})
	// The location role may describe the organization only through Access
	// Grants sessions of this instance.
	location := iam.role(acct, "location", trust, roleOpts{maxSession: 7200}, doc(
		map[string]any{"Effect": "Allow", "Action": []string{"organizations:DescribeOrganization", "organizations:ListAccounts"}, "Resource": "*",
			"Condition": map[string]any{"ArnEquals": map[string]any{"s3:AccessGrantsInstanceArn": instance}}}))
	// The session names a grant that exists: grantd refuses sessions of
	// deleted grants (see TestDataAccessRevocation).
	grant := realGrant(t, env, location)
	noSI := iam.role(acct, "no-source-identity", doc(map[string]any{"Effect": "Allow",
		"Principal": map[string]any{"Service": svc}, "Action": "sts:AssumeRole"}), roleOpts{})
	base := func() grantsts.ServiceAssumeInput {
		return grantsts.ServiceAssumeInput{Service: svc, RoleARN: location, SessionName: "access-grants-1",
			Duration: time.Hour, SourceAccount: acct, SourceARN: instance, GrantARN: grant, InstanceARN: instance,
			SourceIdentity: "alice", SessionPolicy: doc(allow("organizations:DescribeOrganization", "*"))}
	}

	sess, err := env.App.STS.AssumeRoleAsService(t.Context(), base())
	if err != nil {
		t.Fatal(err)
	}
	if sess.Claims.GrantARN != grant || sess.Claims.InstanceARN != instance || sess.SourceIdentity != "alice" {
		t.Errorf("claims = %+v", sess.Claims)
	}
	creds := aws.Credentials{AccessKeyID: sess.Credentials.AccessKeyID, SecretAccessKey: sess.Credentials.SecretAccessKey, SessionToken: sess.Credentials.SessionToken}
	id, err := stsClient(env, creds).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Arn) != "arn:aws:sts::"+acct+":assumed-role/location/access-grants-1" {
		t.Errorf("GetCallerIdentity = %+v, %v", id, err)
	}
	if !canDescribeOrg(t, env, creds) {
		t.Error("s3:AccessGrantsInstanceArn is not set in the session's requests")
	}
	if canListAccounts(t, env, creds) {
		t.Error("the session policy does not narrow the role")
	}

	tests := []struct {
		name string
		edit func(*grantsts.ServiceAssumeInput)
		want error
	}{
		{"another service", func(in *grantsts.ServiceAssumeInput) { in.Service = "ec2.amazonaws.com" }, grantsts.ErrServiceNotAuthorized},
		{"another source account", func(in *grantsts.ServiceAssumeInput) { in.SourceAccount = acctB }, grantsts.ErrServiceNotAuthorized},
		{"another source ARN", func(in *grantsts.ServiceAssumeInput) {
			in.SourceARN = "arn:aws:s3:us-west-2:" + acct + ":access-grants/default"
		}, grantsts.ErrServiceNotAuthorized},
		{"no sts:SetSourceIdentity", func(in *grantsts.ServiceAssumeInput) { in.RoleARN = noSI }, grantsts.ErrServiceNotAuthorized},
		{"role that does not exist", func(in *grantsts.ServiceAssumeInput) { in.RoleARN = "arn:aws:iam::" + acct + ":role/gone" }, grantsts.ErrServiceNotAuthorized},
		{"longer than the role allows", func(in *grantsts.ServiceAssumeInput) { in.Duration = 7201 * time.Second }, grantsts.ErrServiceValidation},
		{"longer than STS allows", func(in *grantsts.ServiceAssumeInput) { in.Duration = 13 * time.Hour }, grantsts.ErrServiceValidation},
		{"oversize session policy", func(in *grantsts.ServiceAssumeInput) { in.SessionPolicy = randomPolicy(4000) }, grantsts.ErrServicePackedPolicyTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.edit(&in)
			_, err := env.App.STS.AssumeRoleAsService(t.Context(), in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if e, _ := errs.As(err); e.Msg == "" {
				t.Error("the error has no message")
			}
		})
	}
	t.Run("without a source identity", func(t *testing.T) {
		in := base()
		in.RoleARN, in.SourceIdentity = noSI, ""
		if _, err := env.App.STS.AssumeRoleAsService(t.Context(), in); err != nil {
			t.Error(err)
		}
	})
}

// canListAccounts reports whether creds may call organizations:ListAccounts.
func canListAccounts(t *testing.T, env *apptest.Env, creds aws.Credentials) bool {
	t.Helper()
	_, err := orgsClient(env, creds).ListAccounts(t.Context(), &organizations.ListAccountsInput{})
	if err == nil {
		return true
	}
	wantAPIError(t, err, "AccessDeniedException", http.StatusBadRequest)
	return false
}

// realGrant creates an Access Grants instance in the management account
// (us-east-1) with the default location on role, and a grant on it, and
// returns the grant's ARN.
func realGrant(t *testing.T, env *apptest.Env, role string) string {
	t.Helper()
	c, acct := control(env, env.Root(), apptest.Region), aws.String(apptest.Account)
	if _, err := c.CreateAccessGrantsInstance(t.Context(), &s3control.CreateAccessGrantsInstanceInput{AccountId: acct}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateAccessGrantsLocation(t.Context(), &s3control.CreateAccessGrantsLocationInput{AccountId: acct,
		LocationScope: aws.String("s3://"), IAMRoleArn: aws.String(role)}); err != nil {
		t.Fatal(err)
	}
	g, err := c.CreateAccessGrant(t.Context(), &s3control.CreateAccessGrantInput{AccountId: acct, AccessGrantsLocationId: aws.String("default"),
		AccessGrantsLocationConfiguration: &s3ctltypes.AccessGrantsLocationConfiguration{S3SubPrefix: aws.String("some-bucket/*")},
		Grantee:                           &s3ctltypes.Grantee{GranteeType: s3ctltypes.GranteeTypeIam, GranteeIdentifier: aws.String("arn:aws:iam::" + apptest.Account + ":role/reader")},
		Permission:                        s3ctltypes.PermissionRead})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(g.AccessGrantArn)
}
