package e2e

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/grantd/grantd/internal/apptest"
	"github.com/grantd/grantd/internal/meta"
)

// clock is the node's clock: real time plus an offset the test moves. The
// offset stays within SigV4's 15-minute skew, since the SDK signs with the
// real time.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *clock) set(offset time.Duration) {
	c.mu.Lock()
	c.offset = offset
	c.mu.Unlock()
}

func TestRoleChainingLimits(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ctx := t.Context()
	iam := newIAM(t, env)
	acct := apptest.Account
	long := iam.role(acct, "long", doc(trustAWS(acct)), roleOpts{maxSession: 7200}, doc(allow("sts:AssumeRole", "*")))
	user := iam.user(acct, "dev", doc(allow("sts:AssumeRole", "*")))

	chained := assume(t, env, user, long, "first")
	gst, err := stsClient(env, user).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	userSession := sessionCreds(gst.Credentials)

	const chainMsg = "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
	const maxMsg = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
	tests := []struct {
		name     string
		creds    aws.Credentials
		duration int32
		wantMsg  string
	}{
		{"user up to the role's maximum", user, 7200, ""},
		{"user beyond the role's maximum", user, 7201, maxMsg},
		{"role session, one hour", chained, 3600, ""},
		{"role session, beyond one hour", chained, 3601, chainMsg},
		{"GetSessionToken session, beyond one hour", userSession, 3601, chainMsg},
		{"minimum", user, 900, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := time.Now()
			out, err := stsClient(env, tt.creds).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(long),
				RoleSessionName: aws.String("next"), DurationSeconds: aws.Int32(tt.duration)})
			if tt.wantMsg != "" {
				wantAPIError(t, err, "ValidationError", http.StatusBadRequest)
				wantMessage(t, err, tt.wantMsg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			exp := aws.ToTime(out.Credentials.Expiration)
			want := before.Add(time.Duration(tt.duration) * time.Second)
			if exp.Before(want.Add(-2*time.Second)) || exp.After(want.Add(2*time.Second)) {
				t.Errorf("Expiration = %v, want about %v", exp, want)
			}
		})
	}
	t.Run("default is one hour", func(t *testing.T) {
		out, err := stsClient(env, user).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(long), RoleSessionName: aws.String("default")})
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Until(aws.ToTime(out.Credentials.Expiration)); d < 59*time.Minute || d > 61*time.Minute {
			t.Errorf("session lasts %v", d)
		}
	})
}

func TestSourceIdentity(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ctx := t.Context()
	iam := newIAM(t, env)
	acct := apptest.Account
	withSI := doc(trustAWS(acct, "sts:AssumeRole", "sts:SetSourceIdentity"))
	// first lets sessions whose source identity is alice describe the
	// organization and assume roles.
	onlyAlice := map[string]any{"Effect": "Allow", "Action": "organizations:DescribeOrganization", "Resource": "*",
		"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceIdentity": "alice"}}}
	first := iam.role(acct, "first", withSI, roleOpts{}, doc(onlyAlice, allow([]string{"sts:AssumeRole", "sts:SetSourceIdentity"}, "*")))
	second := iam.role(acct, "second", withSI, roleOpts{}, doc(onlyAlice))
	noSI := iam.role(acct, "no-source-identity", doc(trustAWS(acct)), roleOpts{}, doc(onlyAlice))
	user := iam.user(acct, "alice", doc(allow([]string{"sts:AssumeRole", "sts:SetSourceIdentity"}, "*")))
	plain := iam.user(acct, "plain", doc(allow("sts:AssumeRole", "*")))

	in := func(role, si string) *sts.AssumeRoleInput {
		in := &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("si")}
		if si != "" {
			in.SourceIdentity = aws.String(si)
		}
		return in
	}
	out, err := stsClient(env, user).AssumeRole(ctx, in(first, "alice"))
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.SourceIdentity) != "alice" {
		t.Errorf("SourceIdentity = %q", aws.ToString(out.SourceIdentity))
	}
	s1 := sessionCreds(out.Credentials)
	if !canDescribeOrg(t, env, s1) {
		t.Error("aws:SourceIdentity is not alice in the session")
	}

	t.Run("needs sts:SetSourceIdentity in the identity policy", func(t *testing.T) {
		_, err := stsClient(env, plain).AssumeRole(ctx, in(first, "alice"))
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
		wantMessage(t, err, "User: arn:aws:iam::"+acct+":user/plain is not authorized to perform: sts:SetSourceIdentity on resource: "+first)
	})
	t.Run("needs sts:SetSourceIdentity in the trust policy", func(t *testing.T) {
		_, err := stsClient(env, user).AssumeRole(ctx, in(noSI, "alice"))
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
	})
	t.Run("sticks through chaining", func(t *testing.T) {
		out, err := stsClient(env, s1).AssumeRole(ctx, in(second, ""))
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.SourceIdentity) != "alice" || !canDescribeOrg(t, env, sessionCreds(out.Credentials)) {
			t.Errorf("chained session: SourceIdentity %q", aws.ToString(out.SourceIdentity))
		}
		// The same value again is fine.
		if _, err := stsClient(env, s1).AssumeRole(ctx, in(second, "alice")); err != nil {
			t.Error(err)
		}
	})
	t.Run("cannot change", func(t *testing.T) {
		_, err := stsClient(env, s1).AssumeRole(ctx, in(second, "mallory"))
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
		wantMessage(t, err, "User: arn:aws:sts::"+acct+":assumed-role/first/si is not authorized to perform: sts:SetSourceIdentity on resource: "+second)
	})
	t.Run("chaining into a role that does not allow it", func(t *testing.T) {
		_, err := stsClient(env, s1).AssumeRole(ctx, in(noSI, ""))
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
	})
}

func TestSessionTags(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ctx := t.Context()
	iam := newIAM(t, env)
	acct := apptest.Account
	// Sessions may describe the organization when their team tag is
	// "data" (a role tag says "web"; session tags win).
	byTeam := map[string]any{"Effect": "Allow", "Action": "organizations:DescribeOrganization", "Resource": "*",
		"Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalTag/team": "data"}}}
	tagTrust := trustAWS(acct, "sts:AssumeRole", "sts:TagSession")
	tagTrust["Condition"] = map[string]any{"StringNotEquals": map[string]any{"aws:RequestTag/team": "forbidden"}}
	// And may list accounts when the tag says "web" (the role's own tag).
	byRoleTag := map[string]any{"Effect": "Allow", "Action": "organizations:ListAccounts", "Resource": "*",
		"Condition": map[string]any{"StringEquals": map[string]any{"aws:PrincipalTag/team": "web"}}}
	hop := []map[string]any{allow([]string{"sts:AssumeRole", "sts:TagSession"}, "*"), byTeam, byRoleTag}
	tagged := iam.role(acct, "tagged", doc(tagTrust), roleOpts{tags: []meta.Tag{{Key: "team", Value: "web"}}}, doc(hop...))
	next := iam.role(acct, "next", doc(tagTrust), roleOpts{}, doc(hop...))
	untaggable := iam.role(acct, "untaggable", doc(trustAWS(acct)), roleOpts{}, doc(byTeam))
	user := iam.user(acct, "tagger", doc(allow([]string{"sts:AssumeRole", "sts:TagSession"}, "*")))
	plain := iam.user(acct, "plain", doc(allow("sts:AssumeRole", "*")))
	tag := func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }
	assumeTags := func(creds aws.Credentials, role string, tags []types.Tag, transitive ...string) (aws.Credentials, error) {
		out, err := stsClient(env, creds).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role),
			RoleSessionName: aws.String("tags"), Tags: tags, TransitiveTagKeys: transitive})
		if err != nil {
			return aws.Credentials{}, err
		}
		return sessionCreds(out.Credentials), nil
	}

	// The role's own tag applies to a session without session tags.
	untagged := assume(t, env, user, tagged, "untagged")
	if canDescribeOrg(t, env, untagged) || !canListAccounts(t, env, untagged) {
		t.Error("the role's tag team=web is not the session's aws:PrincipalTag/team")
	}
	s1, err := assumeTags(user, tagged, []types.Tag{tag("team", "data"), tag("cost", "1")}, "team")
	if err != nil {
		t.Fatal(err)
	}
	if !canDescribeOrg(t, env, s1) || canListAccounts(t, env, s1) {
		t.Error("session tag team=data does not override the role's tag")
	}

	tests := []struct {
		name       string
		creds      aws.Credentials
		role       string
		tags       []types.Tag
		transitive []string
		code       string
		msg        string
	}{
		{"without sts:TagSession in the identity policy", plain, tagged, []types.Tag{tag("a", "b")}, nil, "AccessDenied",
			"User: arn:aws:iam::" + acct + ":user/plain is not authorized to perform: sts:TagSession on resource: " + tagged},
		{"without sts:TagSession in the trust policy", user, untaggable, []types.Tag{tag("a", "b")}, nil, "AccessDenied",
			"User: arn:aws:iam::" + acct + ":user/tagger is not authorized to perform: sts:TagSession on resource: " + untaggable},
		{"aws:RequestTag in the trust policy", user, tagged, []types.Tag{tag("team", "forbidden")}, nil, "AccessDenied", ""},
		{"transitive key not among the tags", user, tagged, []types.Tag{tag("a", "b")}, []string{"c"}, "InvalidParameterValue",
			"The specified transitive tag key must be included in the requested tags."},
		{"duplicate keys", user, tagged, []types.Tag{tag("a", "b"), tag("A", "c")}, nil, "InvalidParameterValue",
			"Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		{"overriding an inherited transitive tag", s1, next, []types.Tag{tag("TEAM", "x")}, nil, "InvalidParameterValue",
			"One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session."},
		{"inherited transitive tags need sts:TagSession", s1, untaggable, nil, nil, "AccessDenied", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := assumeTags(tt.creds, tt.role, tt.tags, tt.transitive...)
			status := http.StatusBadRequest
			if tt.code == "AccessDenied" {
				status = http.StatusForbidden
			}
			wantAPIError(t, err, tt.code, status)
			if tt.msg != "" {
				wantMessage(t, err, tt.msg)
			}
		})
	}

	t.Run("transitive tags carry into chained sessions", func(t *testing.T) {
		s2, err := assumeTags(s1, next, []types.Tag{tag("cost", "2")})
		if err != nil {
			t.Fatal(err)
		}
		if !canDescribeOrg(t, env, s2) {
			t.Error("team=data did not carry over")
		}
		// cost was not transitive, so it may be set again; team carries on
		// through a third hop.
		s3, err := assumeTags(s2, tagged, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !canDescribeOrg(t, env, s3) {
			t.Error("team=data did not carry over a second time")
		}
	})
}

func TestRevokeOlderSessions(t *testing.T) {
	clk := &clock{}
	env := apptest.Start(t, apptest.Options{Now: clk.Now})
	iam := newIAM(t, env)
	acct := apptest.Account
	role := iam.role(acct, "revocable", doc(trustAWS(acct)), roleOpts{}, doc(allow("organizations:DescribeOrganization", "*")))
	user := iam.user(acct, "dev", doc(allow("sts:AssumeRole", "*")))

	old := assume(t, env, user, role, "old")
	if !canDescribeOrg(t, env, old) {
		t.Fatal("a fresh session should work")
	}
	// The IAM console's "Revoke active sessions" adds this policy.
	cutoff := clk.Now().Add(2 * time.Second).UTC().Format(time.RFC3339)
	iam.putRolePolicy(acct, "revocable", "AWSRevokeOlderSessions", doc(map[string]any{"Effect": "Deny", "Action": "*", "Resource": "*",
		"Condition": map[string]any{"DateLessThan": map[string]any{"aws:TokenIssueTime": cutoff}}}))
	if canDescribeOrg(t, env, old) {
		t.Error("a session issued before the cutoff still works")
	}
	clk.set(5 * time.Second)
	if !canDescribeOrg(t, env, assume(t, env, user, role, "new")) {
		t.Error("a session issued after the cutoff is denied")
	}
}

func TestSessionPrincipalContext(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	iam := newIAM(t, env)
	acct := apptest.Account
	roleARN := "arn:aws:iam::" + acct + ":role/ctx"
	user := iam.user(acct, "dev", doc(allow("sts:AssumeRole", "*")))
	// The role's policy allows only with the keys AWS sets for a session.
	cond := map[string]any{
		"StringEquals":    map[string]any{"aws:PrincipalArn": roleARN, "aws:PrincipalType": "AssumedRole", "aws:PrincipalAccount": acct},
		"StringLike":      map[string]any{"aws:userid": "AROA*:ctx-session"},
		"Bool":            map[string]any{"aws:MultiFactorAuthPresent": "false"},
		"DateGreaterThan": map[string]any{"aws:TokenIssueTime": "2020-01-01T00:00:00Z"},
	}
	iam.role(acct, "ctx", doc(trustAWS(acct)), roleOpts{}, doc(map[string]any{"Effect": "Allow",
		"Action": "organizations:DescribeOrganization", "Resource": "*", "Condition": cond}))
	if !canDescribeOrg(t, env, assume(t, env, user, roleARN, "ctx-session")) {
		t.Error("the session's context keys do not match AWS's")
	}
	if canDescribeOrg(t, env, assume(t, env, user, roleARN, "other-session")) {
		t.Error("aws:userid does not name the session")
	}
}

func TestRolePermissionsBoundary(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	iam := newIAM(t, env)
	acct := apptest.Account
	role := iam.role(acct, "bounded", doc(trustAWS(acct)), roleOpts{},
		doc(allow([]string{"organizations:DescribeOrganization", "organizations:ListAccounts"}, "*")))
	boundary := iam.managedPolicy(acct, "describe-boundary", doc(allow("organizations:DescribeOrganization", "*")))
	if _, err := iam.client(acct).PutRolePermissionsBoundary(t.Context(), &awsiam.PutRolePermissionsBoundaryInput{
		RoleName: aws.String("bounded"), PermissionsBoundary: aws.String(boundary)}); err != nil {
		t.Fatal(err)
	}
	user := iam.user(acct, "dev", doc(allow("sts:AssumeRole", "*")))
	sess := assume(t, env, user, role, "bounded")
	if !canDescribeOrg(t, env, sess) || canListAccounts(t, env, sess) {
		t.Error("the session is not limited by the role's permissions boundary")
	}
}
