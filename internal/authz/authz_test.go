package authz_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/authz"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/meta/sqlite"
	"github.com/grantd/grantd/internal/policy"
	"github.com/grantd/grantd/internal/sessiontoken"
)

const acct = "111122223333"

func allow(action, resource string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + action + `","Resource":"` + resource + `"}]}`
}

// setup returns a store with one account holding user alice and role
// reader, and an authorizer that hears the store's commits as a node does.
func setup(t *testing.T) (meta.Store, *authz.Authorizer) {
	t.Helper()
	st, err := sqlite.Open(t.Context(), sqlite.Options{Path: filepath.Join(t.TempDir(), "m.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := t.Context()
	must(t, st.CreateAccount(ctx, meta.NewAccount{
		Account: meta.Account{ID: acct, Name: "a", Email: "a@example.com", Status: "ACTIVE", JoinedMethod: "CREATED"},
		RootKey: meta.AccessKey{ID: "AKIAROOT", AccountID: acct, Secret: "s", Status: "Active"},
		Roles: []meta.NewRole{{Role: meta.Role{AccountID: acct, Name: "reader", ID: "AROAREADER0000000001", Path: "/",
			ARN: "arn:aws:iam::" + acct + ":role/reader", TrustPolicy: `{}`, MaxSessionDuration: 3600},
			InlinePolicies: []meta.InlinePolicy{{Name: "rw", Document: allow("s3:*Object", "arn:aws:s3:::bucket/*")}}}},
	}))
	must(t, st.CreateUser(ctx, meta.User{AccountID: acct, Name: "alice", ID: "AIDAALICE00000000001", Path: "/"}))
	must(t, st.PutInlinePolicy(ctx, meta.EntityRef{Account: acct, Type: meta.EntityUser, Name: "alice"},
		meta.InlinePolicy{Name: "read", Document: allow("s3:GetObject", "arn:aws:s3:::bucket/*")}, 10240))
	a := authz.New(st)
	st.OnCommit(a.HandleChanges)
	return st, a
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func as(c *auth.Caller) context.Context {
	return auth.WithRequest(context.Background(), &auth.Request{Caller: c, Region: "us-east-1", Time: time.Now()})
}

var alice = &auth.Caller{Kind: auth.User, Account: acct, Name: "alice", Path: "/", ARN: "arn:aws:iam::" + acct + ":user/alice", UserID: "AIDAALICE00000000001"}

func TestIdentityPoliciesAndMessages(t *testing.T) {
	_, a := setup(t)
	ctx := as(alice)
	if err := a.Check(ctx, authz.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/k"}); err != nil {
		t.Errorf("GetObject: %v", err)
	}
	err := a.Check(ctx, authz.Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::bucket/k"})
	want := "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::bucket/k because no identity-based policy allows the s3:PutObject action"
	if e, ok := errs.As(err); !ok || e.Kind != errs.Denied || e.Msg != want {
		t.Errorf("PutObject: %v\nwant message %q", err, want)
	}
	// A root user may do anything in its own account, nothing elsewhere
	// without a resource policy.
	root := as(auth.RootCaller(acct, "AKIAROOT"))
	if err := a.Check(root, authz.Request{Action: "iam:CreateRole", Resource: "arn:aws:iam::" + acct + ":role/x"}); err != nil {
		t.Errorf("root in its own account: %v", err)
	}
	if err := a.Check(root, authz.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::other/k", ResourceAccount: "444455556666"}); err == nil {
		t.Error("root reached another account's resource without its resource policy")
	}
}

// TestCacheFollowsChanges shows the policy set is cached and that a
// committed change reaches the cache at once.
func TestCacheFollowsChanges(t *testing.T) {
	st, a := setup(t)
	ctx := as(alice)
	req := authz.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/k"}
	must(t, a.Check(ctx, req))
	must(t, st.PutInlinePolicy(context.Background(), meta.EntityRef{Account: acct, Type: meta.EntityUser, Name: "alice"},
		meta.InlinePolicy{Name: "deny", Document: strings.Replace(allow("s3:GetObject", "*"), "Allow", "Deny", 1)}, 10240))
	err := a.Check(ctx, req)
	if e, ok := errs.As(err); !ok || !strings.HasSuffix(e.Msg, "with an explicit deny in an identity-based policy") {
		t.Errorf("after adding a Deny: %v", err)
	}
}

func TestSessionPolicyIntersects(t *testing.T) {
	_, a := setup(t)
	claims := &sessiontoken.Claims{Kind: sessiontoken.AssumedRole, Account: acct, RoleARN: "arn:aws:iam::" + acct + ":role/reader",
		RoleID: "AROAREADER0000000001", SessionName: "s", IssuedAt: time.Now(), Expiration: time.Now().Add(time.Hour),
		SessionPolicy: allow("s3:GetObject", "arn:aws:s3:::bucket/public/*")}
	ctx := as(auth.SessionCaller(claims))
	tests := []struct {
		action, key string
		allowed     bool
	}{
		{"s3:GetObject", "public/a", true},   // role and session allow
		{"s3:GetObject", "private/a", false}, // the session policy does not
		{"s3:PutObject", "public/a", false},  // the session policy does not
		{"s3:ListBucket", "", false},         // neither does
	}
	for _, tt := range tests {
		err := a.Check(ctx, authz.Request{Action: tt.action, Resource: "arn:aws:s3:::bucket/" + tt.key})
		if (err == nil) != tt.allowed {
			t.Errorf("%s %s: err = %v, want allowed=%v", tt.action, tt.key, err, tt.allowed)
		}
	}
	err := a.Check(ctx, authz.Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::bucket/public/a"})
	if e, _ := errs.As(err); e == nil || !strings.Contains(e.Msg, "because no session policy allows") {
		t.Errorf("session denial message: %v", err)
	}
}

// TestResourcePolicyCrossAccount: another account's principal needs both
// its own identity policy and the resource policy.
func TestResourcePolicyCrossAccount(t *testing.T) {
	_, a := setup(t)
	rp, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::theirs/*"}]}`), policy.Resource)
	must(t, err)
	req := authz.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::theirs/k", ResourceAccount: "444455556666", ResourcePolicy: rp}
	if err := a.Check(as(auth.RootCaller(acct, "AKIAROOT")), req); err != nil {
		t.Errorf("root of the named account: %v", err)
	}
	if err := a.Check(as(alice), req); err == nil {
		t.Error("alice has no identity policy for theirs/* yet was allowed cross-account")
	}
	req.ResourcePolicy = nil
	if err := a.Check(as(auth.RootCaller(acct, "AKIAROOT")), req); err == nil {
		t.Error("cross-account without a resource policy was allowed")
	}
}
