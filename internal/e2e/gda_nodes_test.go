package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/grantd/grantd/internal/apptest"
)

// TestDataAccessAcrossNodes runs two nodes on one PostgreSQL database: a
// grant created on node 1 is honoured by node 2's GetDataAccess within a
// second, and a deleted one stops matching there within a second. On the
// node that wrote, both hold at once.
func TestDataAccessAcrossNodes(t *testing.T) {
	env1 := apptest.Start(t, apptest.Options{Postgres: true})
	env2 := apptest.Start(t, apptest.Options{Meta: env1.Meta})
	w1 := newWalkthrough(t, env1)
	w2 := &walkthrough{env: env2, a: w1.a, b: w1.b, consumer: w1.consumer}
	target := &s3control.GetDataAccessInput{Target: aws.String("s3://ag-demo-bucket/prefixB/secret.txt"), Permission: types.PermissionRead}
	ok := func(w *walkthrough) bool {
		_, err := w.dataAccess(t, w.consumer, target)
		if err != nil {
			wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
		}
		return err == nil
	}
	// Both nodes have built their index of A's instance.
	if ok(w1) || ok(w2) {
		t.Fatal("prefixB matched before any grant on it")
	}

	id := w1.grant(t, wkBucket+"/prefixB*", types.PermissionRead, wkConsumerRole, "")
	if !ok(w1) {
		t.Error("node 1 does not honour the grant it just created")
	}
	took := within(t, time.Second, "node 2 honours the new grant", func() bool { return ok(w2) })
	t.Logf("node 2 honoured the new grant after %s", took)

	if _, err := w1.control(w1.a).DeleteAccessGrant(t.Context(), &s3control.DeleteAccessGrantInput{AccountId: aws.String(wkA), AccessGrantId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	if ok(w1) {
		t.Error("node 1 still matches the grant it just deleted")
	}
	took = within(t, time.Second, "node 2 stops matching the deleted grant", func() bool { return !ok(w2) })
	t.Logf("node 2 stopped matching the deleted grant after %s", took)
}

// TestDataAccessRevocation checks grantd's revocation, which AWS does not
// have: deleting a grant disables the credentials vended from it at once,
// on every node, though they have not expired; credentials of other grants
// keep working.
func TestDataAccessRevocation(t *testing.T) {
	env1 := apptest.Start(t, apptest.Options{Postgres: true})
	env2 := apptest.Start(t, apptest.Options{Meta: env1.Meta})
	w1 := newWalkthrough(t, env1)
	w2 := &walkthrough{env: env2}
	other := w1.grant(t, wkBucket+"/prefixB*", types.PermissionRead, wkConsumerRole, "")
	_, credsA := w1.mustDataAccess(t, w1.consumer, "s3://ag-demo-bucket/prefixA*", types.PermissionRead)
	_, credsB := w1.mustDataAccess(t, w1.consumer, "s3://ag-demo-bucket/prefixB*", types.PermissionRead)
	// Object bytes live in node 1's data directory (a blob store is not
	// shared between nodes unless it is an upstream S3), so node 2 is
	// asked for what its metadata answers: HeadObject and listings.
	for _, w := range []*walkthrough{w1, w2} {
		if !canHead(t, w.s3(credsA), wkBucket, "prefixA/f.txt") || !canHead(t, w.s3(credsB), wkBucket, "prefixB/secret.txt") {
			t.Fatal("vended credentials do not work before the deletion")
		}
	}
	if _, err := w1.control(w1.a).DeleteAccessGrant(t.Context(), &s3control.DeleteAccessGrantInput{AccountId: aws.String(wkA), AccessGrantId: aws.String(w1.grantID)}); err != nil {
		t.Fatal(err)
	}
	// No waiting: the deletion is acknowledged, so it holds everywhere.
	if canGet(t, w1.s3(credsA), wkBucket, "prefixA/f.txt") {
		t.Error("node 1: credentials of the deleted grant still get the object")
	}
	for i, w := range []*walkthrough{w1, w2} {
		if canHead(t, w.s3(credsA), wkBucket, "prefixA/f.txt") {
			t.Errorf("node %d: credentials of the deleted grant still read", i+1)
		}
		if canList(t, w.s3(credsA), wkBucket, "prefixA/") {
			t.Errorf("node %d: credentials of the deleted grant still list", i+1)
		}
		if !canHead(t, w.s3(credsB), wkBucket, "prefixB/secret.txt") {
			t.Errorf("node %d: credentials of another grant (%s) stopped working", i+1, other)
		}
	}
}
