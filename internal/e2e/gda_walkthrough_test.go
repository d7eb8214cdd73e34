package e2e

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/grantd/grantd/internal/apptest"
)

// TestCrossAccountWalkthrough is the documentation's cross-account
// walkthrough, end to end with aws-sdk-go-v2 on both stores: B's role gets
// credentials from A's instance and reads prefixA… with them, and nothing
// beyond.
func TestCrossAccountWalkthrough(t *testing.T) {
	backends(t, func(t *testing.T, pg bool) {
		env := apptest.Start(t, apptest.Options{Postgres: pg})
		w := newWalkthrough(t, env)
		ctx := t.Context()

		list, err := w.control(w.consumer).ListCallerAccessGrants(ctx, &s3control.ListCallerAccessGrantsInput{AccountId: aws.String(wkA)})
		if err != nil || len(list.CallerAccessGrantsList) != 1 ||
			aws.ToString(list.CallerAccessGrantsList[0].GrantScope) != "s3://ag-demo-bucket/prefixA*" ||
			list.CallerAccessGrantsList[0].Permission != types.PermissionRead {
			t.Fatalf("ListCallerAccessGrants = %+v, %v", list, err)
		}

		start := time.Now()
		out, creds := w.mustDataAccess(t, w.consumer, "s3://ag-demo-bucket/prefixA*", types.PermissionRead)
		if aws.ToString(out.MatchedGrantTarget) != "s3://ag-demo-bucket/prefixA*" ||
			out.Grantee.GranteeType != types.GranteeTypeIam || aws.ToString(out.Grantee.GranteeIdentifier) != wkConsumerRole {
			t.Errorf("GetDataAccess = target %q grantee %+v", aws.ToString(out.MatchedGrantTarget), out.Grantee)
		}
		exp := aws.ToTime(out.Credentials.Expiration)
		if !strings.HasPrefix(creds.AccessKeyID, "ASIA") || len(creds.AccessKeyID) != 20 || len(creds.SecretAccessKey) != 40 ||
			exp.Before(start.Add(59*time.Minute)) || exp.After(start.Add(61*time.Minute)) {
			t.Errorf("credentials: key %q secret length %d expiration %v", creds.AccessKeyID, len(creds.SecretAccessKey), exp)
		}
		// The credentials are a session of A's location role.
		who, err := stsClient(env, creds).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil || aws.ToString(who.Account) != wkA ||
			!regexp.MustCompile(`^arn:aws:sts::111122223333:assumed-role/ag-location-role/access-grants-[0-9a-f]{16}$`).MatchString(aws.ToString(who.Arn)) {
			t.Errorf("GetCallerIdentity with vended credentials = %+v, %v", who, err)
		}

		checkWalkthroughCredentials(t, w, creds)
		checkWalkthroughRefusals(t, w)
	})
}

// checkWalkthroughCredentials reads with the walkthrough's vended
// credentials: prefixA… and nothing else.
func checkWalkthroughCredentials(t *testing.T, w *walkthrough, creds aws.Credentials) {
	ctx := t.Context()
	s := w.s3(creds)
	for _, tc := range []struct {
		what string
		ok   bool
		got  bool
	}{
		{"read prefixA/f.txt", true, canGet(t, s, wkBucket, "prefixA/f.txt")},
		{"read prefixA/sub/g.txt", true, canGet(t, s, wkBucket, "prefixA/sub/g.txt")},
		{"read prefixA-2024/report.txt (prefixA* is character-level)", true, canGet(t, s, wkBucket, "prefixA-2024/report.txt")},
		{"list prefixA/", true, canList(t, s, wkBucket, "prefixA/")},
		{"read prefixB/secret.txt", false, canGet(t, s, wkBucket, "prefixB/secret.txt")},
		{"read top.txt in the same bucket", false, canGet(t, s, wkBucket, "top.txt")},
		{"list the whole bucket", false, canList(t, s, wkBucket, "")},
		{"list prefixB/", false, canList(t, s, wkBucket, "prefixB/")},
		{"write prefixA/new.txt with a READ grant", false, canPut(t, s, wkBucket, "prefixA/new.txt")},
		{"write prefixB/new.txt", false, canPut(t, s, wkBucket, "prefixB/new.txt")},
	} {
		if tc.got != tc.ok {
			t.Errorf("vended credentials: %s = %v, want %v", tc.what, tc.got, tc.ok)
		}
	}
	// Nowhere beyond S3 either.
	_, err := awsiam.NewFromConfig(w.env.Config(creds)).ListRoles(ctx, &awsiam.ListRolesInput{})
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
}

// checkWalkthroughRefusals checks what GetDataAccess refuses, and that
// across accounts both B's identity policy and A's resource policy must
// allow.
func checkWalkthroughRefusals(t *testing.T, w *walkthrough) {
	ctx := t.Context()
	_, err := w.dataAccess(t, w.consumer, &s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixB*"), Permission: types.PermissionRead})
	wantAPIMessage(t, err, "AccessDenied", http.StatusForbidden, "You do not have READ permissions to the requested S3 Prefix: s3://ag-demo-bucket/prefixB*")
	_, err = w.dataAccess(t, w.consumer, &s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA*"), Permission: types.PermissionWrite})
	wantAPIMessage(t, err, "AccessDenied", http.StatusForbidden, "You do not have WRITE permissions to the requested S3 Prefix: s3://ag-demo-bucket/prefixA*")
	_, err = w.dataAccess(t, w.consumer, &s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA*"), Permission: types.PermissionReadwrite})
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden)

	// Cross-account, both sides must allow: without B's identity
	// policy, or without A's resource policy, AccessDenied.
	target := &s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixA*"), Permission: types.PermissionRead}
	if _, err := w.iam.client(wkB).DeleteRolePolicy(ctx, &awsiam.DeleteRolePolicyInput{RoleName: aws.String("data-consumer-1"), PolicyName: aws.String("ag")}); err != nil {
		t.Fatal(err)
	}
	_, err = w.dataAccess(t, w.consumer, target)
	wantAPIMessage(t, err, "AccessDenied", http.StatusForbidden, "because no identity-based policy allows the s3:GetDataAccess action")
	w.iam.putRolePolicy(wkB, "data-consumer-1", "ag", exampleDoc(t, "consumer-policy.json"))
	if _, err := w.control(w.a).DeleteAccessGrantsInstanceResourcePolicy(ctx, &s3control.DeleteAccessGrantsInstanceResourcePolicyInput{AccountId: aws.String(wkA)}); err != nil {
		t.Fatal(err)
	}
	_, err = w.dataAccess(t, w.consumer, target)
	wantAPIMessage(t, err, "AccessDenied", http.StatusForbidden, "because no resource-based policy allows the s3:GetDataAccess action")
	w.putResourcePolicy(t)
	if _, err := w.dataAccess(t, w.consumer, target); err != nil {
		t.Errorf("GetDataAccess with both policies back: %v", err)
	}
	// B's root, whose identity side allows everything, still needs a
	// grant: it has none (grants name roles and users).
	_, err = w.dataAccess(t, w.b, target)
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
}

// wantAPIMessage is wantAPIError that also checks the message contains msg.
func wantAPIMessage(t *testing.T, err error, code string, status int, msg string) {
	t.Helper()
	wantAPIError(t, err, code, status)
	if err != nil && !strings.Contains(err.Error(), msg) {
		t.Errorf("error %v does not say %q", err, msg)
	}
}
