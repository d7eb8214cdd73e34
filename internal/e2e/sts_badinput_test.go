package e2e

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/grantd/grantd/internal/apptest"
)

// noClientValidation lets the SDK send requests that lack required
// parameters, as other clients may.
func noClientValidation(o *sts.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		_, err := s.Initialize.Remove("OperationInputValidation")
		return err
	})
}

// randomPolicy is a valid session policy of about n characters that
// compresses badly (random resource names).
func randomPolicy(n int) string {
	var resources []string
	for size := 0; size < n; {
		b := make([]byte, 24)
		rand.Read(b)
		r := "arn:aws:s3:::" + hex.EncodeToString(b) + "/*"
		resources = append(resources, r)
		size += len(r) + 3
	}
	return doc(allow("s3:GetObject", resources))
}

func TestAssumeRoleBadInput(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	iam := newIAM(t, env)
	acct := apptest.Account
	role := iam.role(acct, "target", doc(trustAWS(acct, "sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext")), roleOpts{})
	user := iam.user(acct, "dev", doc(allow([]string{"sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext"}, "*")))
	client := sts.NewFromConfig(env.Config(user), noClientValidation)
	base := func() *sts.AssumeRoleInput {
		return &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("ok-session")}
	}
	const v1 = "1 validation error detected: "
	manyTags := make([]types.Tag, 51)
	for i := range manyTags {
		manyTags[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%d", i)), Value: aws.String("v")}
	}
	contexts := make([]types.ProvidedContext, 6)
	for i := range contexts {
		contexts[i] = types.ProvidedContext{ProviderArn: aws.String("arn:aws:iam::aws:contextProvider/IdentityCenter"), ContextAssertion: aws.String("assertion")}
	}
	tests := []struct {
		name   string
		edit   func(*sts.AssumeRoleInput)
		code   string
		status int
		msg    string // exact message, or a prefix ending in "…"
	}{
		{"session name too short", func(in *sts.AssumeRoleInput) { in.RoleSessionName = aws.String("a") }, "ValidationError", 400,
			v1 + "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"session name with a space", func(in *sts.AssumeRoleInput) { in.RoleSessionName = aws.String("bad name") }, "ValidationError", 400,
			v1 + `Value 'bad name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"session name too long", func(in *sts.AssumeRoleInput) { in.RoleSessionName = aws.String(strings.Repeat("n", 65)) }, "ValidationError", 400,
			v1 + "Value '" + strings.Repeat("n", 65) + "' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"duration too short", func(in *sts.AssumeRoleInput) { in.DurationSeconds = aws.Int32(899) }, "ValidationError", 400,
			v1 + "Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"duration too long", func(in *sts.AssumeRoleInput) { in.DurationSeconds = aws.Int32(43201) }, "ValidationError", 400,
			v1 + "Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"two errors", func(in *sts.AssumeRoleInput) { in.RoleSessionName = aws.String("a"); in.DurationSeconds = aws.Int32(1) }, "ValidationError", 400,
			"2 validation errors detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
				"Value '1' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"missing RoleArn", func(in *sts.AssumeRoleInput) { in.RoleArn = nil }, "ValidationError", 400,
			v1 + "Value null at 'roleArn' failed to satisfy constraint: Member must not be null"},
		{"missing RoleSessionName", func(in *sts.AssumeRoleInput) { in.RoleSessionName = nil }, "ValidationError", 400,
			v1 + "Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null"},
		{"RoleArn too short", func(in *sts.AssumeRoleInput) { in.RoleArn = aws.String("arn:aws:iam::1:role") }, "ValidationError", 400,
			v1 + "Value 'arn:aws:iam::1:role' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"},
		{"RoleArn not an ARN", func(in *sts.AssumeRoleInput) { in.RoleArn = aws.String("this-is-not-an-arn-at-all") }, "ValidationError", 400,
			"Request ARN is invalid"},
		{"policy not JSON", func(in *sts.AssumeRoleInput) { in.Policy = aws.String("{not json") }, "MalformedPolicyDocument", 400, ""},
		{"policy with a Principal", func(in *sts.AssumeRoleInput) {
			in.Policy = aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`)
		}, "MalformedPolicyDocument", 400, ""},
		{"policy outside Latin-1", func(in *sts.AssumeRoleInput) {
			in.Policy = aws.String(doc(allow("s3:GetObject", "arn:aws:s3:::b/☃")))
		}, "ValidationError", 400,
			v1 + "Value '" + doc(allow("s3:GetObject", "arn:aws:s3:::b/☃")) + `' at 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`},
		{"oversize session policy", func(in *sts.AssumeRoleInput) { in.Policy = aws.String(randomPolicy(4000)) }, "PackedPolicyTooLarge", 400,
			"Packed policy consumes …"},
		{"managed session policy that does not exist", func(in *sts.AssumeRoleInput) {
			in.PolicyArns = []types.PolicyDescriptorType{{Arn: aws.String("arn:aws:iam::" + acct + ":policy/nope")}}
		}, "InvalidParameterValue", 400, "The policy arn:aws:iam::" + acct + ":policy/nope does not exist or is not attachable."},
		{"51 tags", func(in *sts.AssumeRoleInput) { in.Tags = manyTags }, "ValidationError", 400, v1 + "Value '[Tag(Key=k0, Value=v), …"},
		{"tag key too long", func(in *sts.AssumeRoleInput) {
			in.Tags = []types.Tag{{Key: aws.String(strings.Repeat("k", 129)), Value: aws.String("v")}}
		}, "ValidationError", 400, v1 + "Value '" + strings.Repeat("k", 129) + "' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"external ID too short", func(in *sts.AssumeRoleInput) { in.ExternalId = aws.String("x") }, "ValidationError", 400,
			v1 + "Value 'x' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"token code not digits", func(in *sts.AssumeRoleInput) {
			in.SerialNumber = aws.String("arn:aws:iam::" + acct + ":mfa/dev")
			in.TokenCode = aws.String("12ab56")
		}, "ValidationError", 400, v1 + `Value '12ab56' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\d]*`},
		{"MFA code", func(in *sts.AssumeRoleInput) {
			in.SerialNumber = aws.String("arn:aws:iam::" + acct + ":mfa/dev")
			in.TokenCode = aws.String("123456")
		}, "AccessDenied", 403, "MultiFactorAuthentication failed with invalid MFA one time pass code."},
		{"source identity with the reserved aws: prefix", func(in *sts.AssumeRoleInput) { in.SourceIdentity = aws.String("aws:me") }, "ValidationError", 400,
			v1 + `Value 'aws:me' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"six provided contexts", func(in *sts.AssumeRoleInput) { in.ProvidedContexts = contexts }, "ValidationError", 400,
			v1 + "Value '[ProvidedContext(ProviderArn=arn:aws:iam::aws:contextProvider/IdentityCenter, …"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.edit(in)
			_, err := client.AssumeRole(t.Context(), in)
			wantAPIError(t, err, tt.code, tt.status)
			if prefix, ok := strings.CutSuffix(tt.msg, "…"); ok {
				if !strings.Contains(err.Error(), prefix) {
					t.Errorf("message %v\nwant prefix %q", err, prefix)
				}
			} else if tt.msg != "" {
				wantMessage(t, err, tt.msg)
			}
		})
	}
}

func TestGetSessionToken(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ctx := t.Context()
	iam := newIAM(t, env)
	acct := apptest.Account
	user := iam.user(acct, "dev", doc(allow([]string{"sts:AssumeRole", "organizations:DescribeOrganization"}, "*")))
	none := iam.user(acct, "nothing")

	out, err := stsClient(env, user).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(7200)})
	if err != nil {
		t.Fatal(err)
	}
	sess := sessionCreds(out.Credentials)
	if !strings.HasPrefix(sess.AccessKeyID, "ASIA") {
		t.Errorf("AccessKeyId = %q", sess.AccessKeyID)
	}
	id, err := stsClient(env, sess).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Arn) != "arn:aws:iam::"+acct+":user/dev" || !strings.HasPrefix(aws.ToString(id.UserId), "AIDA") {
		t.Errorf("GetCallerIdentity with a user session = %+v, %v", id, err)
	}
	if !canDescribeOrg(t, env, sess) {
		t.Error("a user session should have the user's permissions")
	}
	// GetSessionToken needs no permission.
	if _, err := stsClient(env, none).GetSessionToken(ctx, &sts.GetSessionTokenInput{}); err != nil {
		t.Errorf("GetSessionToken without permissions: %v", err)
	}
	_, err = stsClient(env, sess).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
	wantMessage(t, err, "Cannot call GetSessionToken with session credentials")

	root, err := stsClient(env, env.Root()).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(129600)})
	if err != nil {
		t.Fatal(err)
	}
	// "the session for AWS account owners defaults to one hour"
	if d := time.Until(aws.ToTime(root.Credentials.Expiration)); d < 59*time.Minute || d > time.Hour+time.Minute {
		t.Errorf("root session lasts %v, want one hour", d)
	}
	for _, d := range []int32{899, 129601} {
		_, err := stsClient(env, user).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(d)})
		wantAPIError(t, err, "ValidationError", http.StatusBadRequest)
	}
}
