package sts_test

import (
	"crypto/rand"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/authz"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/meta/sqlite"
	"github.com/grantd/grantd/internal/sessiontoken"
	"github.com/grantd/grantd/internal/sts"
)

// BenchmarkAssumeRole measures AssumeRole in the domain, without HTTP: a
// cached trust-policy and identity-policy decision, the packed-size check
// and sealing the token. Policies come from SQLite once and are then
// cached by authz, as on a running node.
func BenchmarkAssumeRole(b *testing.B) {
	ctx := b.Context()
	st, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(b.TempDir(), "meta.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	const acct = "111122223333"
	now := time.Now()
	if err := st.CreateAccount(ctx, meta.NewAccount{Account: meta.Account{ID: acct, Name: "a", Email: "a@x", Status: "ACTIVE", JoinedMethod: "CREATED", CreatedAt: now},
		RootKey: meta.AccessKey{ID: "AKIAROOT000000000000", AccountID: acct, Secret: "s", Status: "Active", CreatedAt: now}}); err != nil {
		b.Fatal(err)
	}
	if err := st.CreateOrganization(ctx, meta.Organization{ID: "o-bench", ManagementAccountID: acct, CreatedAt: now}); err != nil {
		b.Fatal(err)
	}
	user := meta.User{AccountID: acct, Name: "dev", ID: "AIDABENCH00000000000", Path: "/", ARN: "arn:aws:iam::" + acct + ":user/dev", CreatedAt: now}
	if err := st.CreateUser(ctx, user); err != nil {
		b.Fatal(err)
	}
	allow := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}}`
	if err := st.PutInlinePolicy(ctx, meta.EntityRef{Account: acct, Type: meta.EntityUser, Name: "dev"}, meta.InlinePolicy{Name: "p", Document: allow, Size: len(allow)}, 1<<20); err != nil {
		b.Fatal(err)
	}
	roleARN := "arn:aws:iam::" + acct + ":role/r"
	trust := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"` + acct + `"},"Action":"sts:AssumeRole"}}`
	if err := st.CreateRole(ctx, meta.NewRole{Role: meta.Role{AccountID: acct, Name: "r", ID: "AROABENCH00000000000", Path: "/", ARN: roleARN,
		TrustPolicy: trust, MaxSessionDuration: 3600, CreatedAt: now}}); err != nil {
		b.Fatal(err)
	}
	key, err := sessiontoken.GenerateKey(rand.Reader, 1)
	if err != nil {
		b.Fatal(err)
	}
	ring, err := sessiontoken.NewKeyring(key)
	if err != nil {
		b.Fatal(err)
	}
	svc := sts.New(sts.Options{Store: st, Authz: authz.New(st), Keyring: func() *sessiontoken.Keyring { return ring }})
	caller := &auth.Caller{Kind: auth.User, Account: acct, ARN: user.ARN, UserID: user.ID, Name: "dev", Path: "/"}
	rctx := auth.WithRequest(ctx, &auth.Request{Caller: caller, Time: now, Region: "us-east-1"})
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			name := "bench-" + strconv.FormatInt(n.Add(1), 10)
			if _, err := svc.AssumeRole(rctx, sts.AssumeRoleInput{RoleARN: &roleARN, RoleSessionName: &name}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
