package e2e

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/grantd/grantd/internal/apptest"
	"github.com/grantd/grantd/internal/meta"
)

// iamFixture makes the IAM users, roles and policies STS tests need, through
// the IAM API as each account's root user.
type iamFixture struct {
	t     *testing.T
	env   *apptest.Env
	roots map[string]aws.Credentials
}

func newIAM(t *testing.T, env *apptest.Env) *iamFixture {
	return &iamFixture{t: t, env: env, roots: map[string]aws.Credentials{apptest.Account: env.Root()}}
}

// newAccount creates a member account whose IAM the fixture can use.
func (f *iamFixture) newAccount(id string) aws.Credentials {
	f.t.Helper()
	creds := f.env.NewAccount(f.t, id)
	f.roots[id] = creds
	return creds
}

func (f *iamFixture) client(account string) *iam.Client {
	f.t.Helper()
	creds, ok := f.roots[account]
	if !ok {
		f.t.Fatalf("no root credentials for account %s", account)
	}
	return iam.NewFromConfig(f.env.Config(creds))
}

// user creates an IAM user with inline policies and an access key.
func (f *iamFixture) user(account, name string, policies ...string) aws.Credentials {
	f.t.Helper()
	ctx := f.t.Context()
	c := f.client(account)
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		f.t.Fatalf("create user %s: %v", name, err)
	}
	for i, doc := range policies {
		if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name),
			PolicyName: aws.String(fmt.Sprintf("p%d", i)), PolicyDocument: aws.String(doc)}); err != nil {
			f.t.Fatalf("put policy on user %s: %v", name, err)
		}
	}
	key, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		f.t.Fatalf("create access key of %s: %v", name, err)
	}
	return aws.Credentials{AccessKeyID: aws.ToString(key.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(key.AccessKey.SecretAccessKey)}
}

// roleOpts are optional settings of a role.
type roleOpts struct {
	maxSession int32
	tags       []meta.Tag
	path       string
}

// role creates a role with a trust policy and inline policies and returns
// its ARN.
func (f *iamFixture) role(account, name, trust string, o roleOpts, policies ...string) string {
	f.t.Helper()
	in := &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)}
	if o.maxSession != 0 {
		in.MaxSessionDuration = aws.Int32(o.maxSession)
	}
	if o.path != "" {
		in.Path = aws.String(o.path)
	}
	for _, tag := range o.tags {
		in.Tags = append(in.Tags, iamtypes.Tag{Key: aws.String(tag.Key), Value: aws.String(tag.Value)})
	}
	out, err := f.client(account).CreateRole(f.t.Context(), in)
	if err != nil {
		f.t.Fatalf("create role %s: %v", name, err)
	}
	for i, doc := range policies {
		f.putRolePolicy(account, name, fmt.Sprintf("p%d", i), doc)
	}
	return aws.ToString(out.Role.Arn)
}

// putRolePolicy adds or replaces an inline policy of a role.
func (f *iamFixture) putRolePolicy(account, role, name, doc string) {
	f.t.Helper()
	if _, err := f.client(account).PutRolePolicy(f.t.Context(), &iam.PutRolePolicyInput{RoleName: aws.String(role),
		PolicyName: aws.String(name), PolicyDocument: aws.String(doc)}); err != nil {
		f.t.Fatalf("put policy %s on role %s: %v", name, role, err)
	}
}

// managedPolicy creates a customer managed policy and returns its ARN.
func (f *iamFixture) managedPolicy(account, name, doc string) string {
	f.t.Helper()
	out, err := f.client(account).CreatePolicy(f.t.Context(), &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(doc)})
	if err != nil {
		f.t.Fatalf("create policy %s: %v", name, err)
	}
	return aws.ToString(out.Policy.Arn)
}

// oidcProvider creates an IAM OIDC provider for https://host and returns
// its ARN.
func (f *iamFixture) oidcProvider(account, host string, clientIDs, thumbprints []string, tags ...iamtypes.Tag) string {
	f.t.Helper()
	out, err := f.client(account).CreateOpenIDConnectProvider(f.t.Context(), &iam.CreateOpenIDConnectProviderInput{
		Url: aws.String("https://" + host), ClientIDList: clientIDs, ThumbprintList: thumbprints, Tags: tags})
	if err != nil {
		f.t.Fatalf("create OIDC provider %s: %v", host, err)
	}
	return aws.ToString(out.OpenIDConnectProviderArn)
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
