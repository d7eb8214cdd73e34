package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/grantd/grantd/internal/apptest"
)

// TestTwoNodesShareOnePostgres runs two grantd nodes on one PostgreSQL
// database: a write on one is read by the other at once, and a cached
// access key deactivated on one stops working on the other within the
// change feed's poll interval.
func TestTwoNodesShareOnePostgres(t *testing.T) {
	node1 := apptest.Start(t, apptest.Options{Postgres: true})
	node2 := apptest.Start(t, apptest.Options{Meta: node1.Meta})
	ctx := t.Context()

	iam1 := iam.NewFromConfig(node1.Config(node1.Root()))
	if _, err := iam1.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	key, err := iam1.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	alice := aws.Credentials{AccessKeyID: aws.ToString(key.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(key.AccessKey.SecretAccessKey)}

	// Node 2 has never seen the key: it reads it from the shared store.
	out, err := sts.NewFromConfig(node2.Config(alice)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("node 2 with a key created on node 1: %v", err)
	}
	if got := aws.ToString(out.Arn); got != "arn:aws:iam::111122223333:user/alice" {
		t.Errorf("Arn = %q", got)
	}
	// Node 2 now caches the key. Deactivating it on node 1 reaches node 2
	// through the change feed.
	if _, err := iam1.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"),
		AccessKeyId: key.AccessKey.AccessKeyId, Status: "Inactive"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	for {
		_, err := sts.NewFromConfig(node2.Config(alice)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			wantAPIError(t, err, "InvalidClientTokenId", http.StatusForbidden)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("node 2 still accepts a key deactivated on node 1 after one second")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
