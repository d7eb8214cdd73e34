package e2e

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/grantd/grantd/internal/apptest"
)

func TestGetCallerIdentity(t *testing.T) {
	for _, pg := range []bool{false, true} {
		name := map[bool]string{false: "SQLite", true: "PostgreSQL"}[pg]
		t.Run(name, func(t *testing.T) {
			env := apptest.Start(t, apptest.Options{Postgres: pg})
			client := sts.NewFromConfig(env.Config(env.Root()))
			out, err := client.GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := aws.ToString(out.Arn), "arn:aws:iam::111122223333:root"; got != want {
				t.Errorf("Arn = %q, want %q", got, want)
			}
			if got := aws.ToString(out.Account); got != apptest.Account {
				t.Errorf("Account = %q", got)
			}
			if got := aws.ToString(out.UserId); got != apptest.Account {
				t.Errorf("UserId = %q, want the account ID for root", got)
			}
		})
	}
}

func TestAuthenticationFailures(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	unknown := aws.Credentials{AccessKeyID: "AKIAUNKNOWNKEY000000", SecretAccessKey: "x"}
	tests := []struct {
		name   string
		creds  aws.Credentials
		sts    string
		orgs   string
		status int
	}{
		{"wrong secret", badSecret(env.Root()), "SignatureDoesNotMatch", "InvalidSignatureException", http.StatusForbidden},
		{"unknown key", unknown, "InvalidClientTokenId", "UnrecognizedClientException", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sts.NewFromConfig(env.Config(tt.creds)).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
			wantAPIError(t, err, tt.sts, tt.status)
			_, err = organizations.NewFromConfig(env.Config(tt.creds)).ListAccounts(t.Context(), &organizations.ListAccountsInput{})
			wantAPIError(t, err, tt.orgs, http.StatusBadRequest)
		})
	}
}

func TestOrganizations(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ctx := t.Context()
	org := organizations.NewFromConfig(env.Config(env.Root()))

	created, err := org.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("dev"), Email: aws.String("dev@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	st := created.CreateAccountStatus
	if st.State != "SUCCEEDED" || len(aws.ToString(st.AccountId)) != 12 {
		t.Fatalf("CreateAccountStatus = %+v, want SUCCEEDED with a 12-digit account", st)
	}
	newID := aws.ToString(st.AccountId)

	desc, err := org.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: st.Id})
	if err != nil || aws.ToString(desc.CreateAccountStatus.AccountId) != newID {
		t.Errorf("DescribeCreateAccountStatus = %+v, %v", desc, err)
	}

	// The same email again fails the way AWS reports it: a FAILED status.
	again, err := org.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("dev2"), Email: aws.String("DEV@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if again.CreateAccountStatus.State != "FAILED" || again.CreateAccountStatus.FailureReason != "EMAIL_ALREADY_EXISTS" {
		t.Errorf("duplicate email: status %+v", again.CreateAccountStatus)
	}

	list, err := org.ListAccounts(ctx, &organizations.ListAccountsInput{})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, a := range list.Accounts {
		ids[aws.ToString(a.Id)] = true
	}
	if !ids[apptest.Account] || !ids[newID] || len(ids) != 2 {
		t.Errorf("ListAccounts = %v, want the management account and %s", ids, newID)
	}

	acct, err := org.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(newID)})
	if err != nil || aws.ToString(acct.Account.Email) != "dev@example.com" {
		t.Errorf("DescribeAccount = %+v, %v", acct, err)
	}
	_, err = org.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String("000000000000")})
	wantAPIError(t, err, "AccountNotFoundException", http.StatusBadRequest)

	o, err := org.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil || aws.ToString(o.Organization.MasterAccountId) != apptest.Account {
		t.Errorf("DescribeOrganization = %+v, %v", o, err)
	}

	// A member account may describe the organization but not list it.
	member := organizations.NewFromConfig(env.Config(env.NewAccount(t, "444455556666")))
	if _, err := member.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}); err != nil {
		t.Errorf("member DescribeOrganization: %v", err)
	}
	_, err = member.ListAccounts(ctx, &organizations.ListAccountsInput{})
	wantAPIError(t, err, "AccessDeniedException", http.StatusBadRequest)
	_, err = member.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("x"), Email: aws.String("x@example.com")})
	wantAPIError(t, err, "AccessDeniedException", http.StatusBadRequest)
}

func TestOrganizationsBadInput(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	org := organizations.NewFromConfig(env.Config(env.Root()))
	_, err := org.CreateAccount(t.Context(), &organizations.CreateAccountInput{AccountName: aws.String("x"), Email: aws.String("not-an-email")})
	wantAPIError(t, err, "InvalidInputException", http.StatusBadRequest)
	_, err = org.DescribeAccount(t.Context(), &organizations.DescribeAccountInput{AccountId: aws.String("12")})
	wantAPIError(t, err, "InvalidInputException", http.StatusBadRequest)
	_, err = org.DescribeCreateAccountStatus(t.Context(), &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: aws.String("car-0000000000000000")})
	wantAPIError(t, err, "CreateAccountStatusNotFoundException", http.StatusBadRequest)
}
