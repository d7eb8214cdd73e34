package e2e

import (
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/grantd/grantd/internal/apptest"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/orgs"
)

// iamFixture makes the IAM users, roles and policies STS tests need.
type iamFixture struct {
	t   *testing.T
	env *apptest.Env
}

func newIAM(t *testing.T, env *apptest.Env) *iamFixture { return &iamFixture{t: t, env: env} }

func (f *iamFixture) id(prefix string) string {
	s, err := orgs.NewAccessKeyID(rand.Reader)
	if err != nil {
		f.t.Fatal(err)
	}
	return prefix + s[4:] + "X"
}

// user creates an IAM user with inline policies and an access key.
func (f *iamFixture) user(account, name string, policies ...string) aws.Credentials {
	f.t.Helper()
	ctx := f.t.Context()
	st := f.env.App.Store
	u := meta.User{AccountID: account, Name: name, ID: f.id("AIDA"), Path: "/", ARN: "arn:aws:iam::" + account + ":user/" + name, CreatedAt: time.Now()}
	if err := st.CreateUser(ctx, u); err != nil {
		f.t.Fatalf("create user %s: %v", name, err)
	}
	for i, doc := range policies {
		f.putPolicy(meta.EntityRef{Account: account, Type: meta.EntityUser, Name: name}, "p"+string(rune('0'+i)), doc)
	}
	key, err := orgs.NewAccessKeyID(rand.Reader)
	if err != nil {
		f.t.Fatal(err)
	}
	secret, _ := orgs.NewSecret(rand.Reader)
	if err := st.CreateAccessKey(ctx, meta.AccessKey{ID: key, AccountID: account, UserName: name, Secret: secret, Status: "Active", CreatedAt: time.Now()}, 2); err != nil {
		f.t.Fatalf("create access key of %s: %v", name, err)
	}
	return aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}
}

// roleOpts are optional settings of a role.
type roleOpts struct {
	maxSession int
	tags       []meta.Tag
	path       string
}

// role creates a role with a trust policy and inline policies and returns
// its ARN.
func (f *iamFixture) role(account, name, trust string, o roleOpts, policies ...string) string {
	f.t.Helper()
	if o.maxSession == 0 {
		o.maxSession = 3600
	}
	if o.path == "" {
		o.path = "/"
	}
	r := meta.Role{AccountID: account, Name: name, ID: f.id("AROA"), Path: o.path,
		ARN: "arn:aws:iam::" + account + ":role" + o.path + name, TrustPolicy: trust,
		MaxSessionDuration: o.maxSession, CreatedAt: time.Now(), Tags: o.tags}
	if err := f.env.App.Store.CreateRole(f.t.Context(), meta.NewRole{Role: r}); err != nil {
		f.t.Fatalf("create role %s: %v", name, err)
	}
	for i, doc := range policies {
		f.putPolicy(meta.EntityRef{Account: account, Type: meta.EntityRole, Name: name}, "p"+string(rune('0'+i)), doc)
	}
	return r.ARN
}

// putRolePolicy adds or replaces an inline policy of a role.
func (f *iamFixture) putRolePolicy(account, role, name, doc string) {
	f.t.Helper()
	f.putPolicy(meta.EntityRef{Account: account, Type: meta.EntityRole, Name: role}, name, doc)
}

func (f *iamFixture) putPolicy(e meta.EntityRef, name, doc string) {
	f.t.Helper()
	if err := f.env.App.Store.PutInlinePolicy(f.t.Context(), e, meta.InlinePolicy{Name: name, Document: doc, Size: len(doc)}, 1<<20); err != nil {
		f.t.Fatalf("put policy %s on %s %s: %v", name, e.Type, e.Name, err)
	}
}

// managedPolicy creates a customer managed policy and returns its ARN.
func (f *iamFixture) managedPolicy(account, name, doc string) string {
	f.t.Helper()
	arn := "arn:aws:iam::" + account + ":policy/" + name
	p := meta.ManagedPolicy{ARN: arn, AccountID: account, Name: name, ID: f.id("ANPA"), Path: "/", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := f.env.App.Store.CreatePolicy(f.t.Context(), p, doc); err != nil {
		f.t.Fatalf("create policy %s: %v", name, err)
	}
	return arn
}

// oidcProvider creates an IAM OIDC provider and returns its ARN.
func (f *iamFixture) oidcProvider(account, url string, clientIDs, thumbprints []string) string {
	f.t.Helper()
	arn := "arn:aws:iam::" + account + ":oidc-provider/" + url
	p := meta.OIDCProvider{ARN: arn, AccountID: account, URL: url, ClientIDs: clientIDs, Thumbprints: thumbprints, CreatedAt: time.Now()}
	if err := f.env.App.Store.CreateOIDCProvider(f.t.Context(), p); err != nil {
		f.t.Fatalf("create OIDC provider %s: %v", url, err)
	}
	return arn
}

// doc builds a policy document from statements.
func doc(statements ...map[string]any) string {
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// allow is an Allow statement of an identity policy.
func allow(actions any, resources any) map[string]any {
	return map[string]any{"Effect": "Allow", "Action": actions, "Resource": resources}
}

// trustAWS is a trust statement letting AWS principals assume a role.
func trustAWS(principals any, actions ...string) map[string]any {
	if len(actions) == 0 {
		actions = []string{"sts:AssumeRole"}
	}
	return map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": principals}, "Action": actions}
}
