package e2e

import (
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/grantd/grantd/internal/apptest"
	"github.com/grantd/grantd/internal/meta"
)

// BenchmarkAssumeRoleHTTP is AssumeRole through the whole stack over
// loopback HTTP, signed by aws-sdk-go-v2 (client and server share the
// machine's cores): SigV4 verification of a long-term key, the cached
// trust and identity decisions, sealing the token, the XML response.
func BenchmarkAssumeRoleHTTP(b *testing.B) {
	env := apptest.Start(b, apptest.Options{})
	ctx := b.Context()
	st := env.App.Store
	acct := apptest.Account
	if err := st.CreateUser(ctx, meta.User{AccountID: acct, Name: "bench", ID: "AIDABENCH0000000000X", Path: "/", ARN: "arn:aws:iam::" + acct + ":user/bench"}); err != nil {
		b.Fatal(err)
	}
	pol := doc(allow("sts:AssumeRole", "*"))
	if err := st.PutInlinePolicy(ctx, meta.EntityRef{Account: acct, Type: meta.EntityUser, Name: "bench"}, meta.InlinePolicy{Name: "p", Document: pol, Size: len(pol)}, 1<<20); err != nil {
		b.Fatal(err)
	}
	const secret = "benchsecretbenchsecretbenchsecretbench00"
	if err := st.CreateAccessKey(ctx, meta.AccessKey{ID: "AKIABENCH00000000000", AccountID: acct, UserName: "bench", Secret: secret, Status: "Active"}, 2); err != nil {
		b.Fatal(err)
	}
	roleARN := "arn:aws:iam::" + acct + ":role/bench"
	if err := st.CreateRole(ctx, meta.NewRole{Role: meta.Role{AccountID: acct, Name: "bench", ID: "AROABENCH0000000000X", Path: "/", ARN: roleARN,
		TrustPolicy: doc(trustAWS(acct)), MaxSessionDuration: 3600}}); err != nil {
		b.Fatal(err)
	}
	client := sts.NewFromConfig(env.Config(aws.Credentials{AccessKeyID: "AKIABENCH00000000000", SecretAccessKey: secret}))
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_, err := client.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN),
				RoleSessionName: aws.String("bench-" + strconv.FormatInt(n.Add(1), 10))})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkGetCallerIdentityHTTP is the same path without AssumeRole's
// work: the floor of an authenticated STS call.
func BenchmarkGetCallerIdentityHTTP(b *testing.B) {
	env := apptest.Start(b, apptest.Options{})
	client := sts.NewFromConfig(env.Config(env.Root()))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := client.GetCallerIdentity(b.Context(), &sts.GetCallerIdentityInput{}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
