package e2e

import (
	"crypto/rand"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"

	"github.com/grantd/grantd/internal/apptest"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/sessiontoken"
)

// Accounts of the Access Grants tests, as in the AWS walkthrough: A owns
// the data and the instance, B consumes it.
const (
	acctA = "111111111111"
	acctB = "444455556666"
)

// backends runs f on SQLite and on PostgreSQL.
func backends(t *testing.T, f func(t *testing.T, pg bool)) {
	for _, pg := range []bool{false, true} {
		t.Run(map[bool]string{false: "SQLite", true: "PostgreSQL"}[pg], func(t *testing.T) { f(t, pg) })
	}
}

// role is an IAM role to create with an account: its name (optionally
// with a path, "/path/name") and inline policy documents.
type role struct {
	name     string
	policies []string
}

// seedAccount creates account id with roles through the store (what the
// IAM API will do once it is on main) and returns its root credentials.
func seedAccount(t testing.TB, env *apptest.Env, id string, roles ...role) aws.Credentials {
	t.Helper()
	now := time.Now().UTC()
	secret := "secret-" + id + "-0123456789abcdefghij"
	na := meta.NewAccount{
		Account: meta.Account{ID: id, Name: "acct-" + id, Email: id + "@example.com", Status: "ACTIVE", JoinedMethod: "CREATED", CreatedAt: now},
		RootKey: meta.AccessKey{ID: "AKIA" + id + "ROOT", AccountID: id, Secret: secret, Status: "Active", CreatedAt: now},
	}
	for i, r := range roles {
		path, name := "/", r.name
		if j := strings.LastIndexByte(r.name, '/'); j >= 0 {
			path, name = r.name[:j+1], r.name[j+1:]
		}
		nr := meta.NewRole{Role: meta.Role{AccountID: id, Name: name, ID: fmt.Sprintf("AROA%s%05d", id, i), Path: path,
			ARN:                "arn:aws:iam::" + id + ":role" + path + name,
			TrustPolicy:        `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + id + `:root"},"Action":"sts:AssumeRole"}]}`,
			MaxSessionDuration: 3600, CreatedAt: now}}
		for j, doc := range r.policies {
			nr.InlinePolicies = append(nr.InlinePolicies, meta.InlinePolicy{Name: fmt.Sprintf("p%d", j), Document: doc})
		}
		na.Roles = append(na.Roles, nr)
	}
	if err := env.App.Store.CreateAccount(t.Context(), na); err != nil {
		t.Fatalf("create account %s: %v", id, err)
	}
	return aws.Credentials{AccessKeyID: na.RootKey.ID, SecretAccessKey: secret}
}

// roleSession returns credentials of a session of a role created by
// seedAccount, sealed with the node's keyring as STS would seal them.
func roleSession(t testing.TB, env *apptest.Env, account, name string, index int) aws.Credentials {
	t.Helper()
	akid, err := sessiontoken.NewAccessKeyID(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := sessiontoken.NewSecret(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	token, err := env.App.Auth.Keyring().Seal(&sessiontoken.Claims{AccessKeyID: akid, SecretAccessKey: secret,
		IssuedAt: now, Expiration: now.Add(time.Hour), Account: account, Kind: sessiontoken.AssumedRole,
		RoleARN: "arn:aws:iam::" + account + ":role/" + name, RoleID: fmt.Sprintf("AROA%s%05d", account, index), SessionName: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret, SessionToken: token}
}

// control returns an S3 Control client for creds, in region.
func control(env *apptest.Env, creds aws.Credentials, region string) *s3control.Client {
	cfg := env.Config(creds)
	cfg.Region = region
	return s3control.NewFromConfig(cfg)
}

// locationRoleName is the role registered with locations.
const locationRoleName = "ag-location-role"

func locationRoleARN(account string) string {
	return "arn:aws:iam::" + account + ":role/" + locationRoleName
}
