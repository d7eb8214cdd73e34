package e2e

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/grantd/grantd/internal/apptest"
)

// TestVendedScopeProperty is the property test through the real data
// plane (the policy-engine half, over many more keys, is
// grants.TestMatchingProperty): random grants of the consumer (seeded),
// random targets; whenever GetDataAccess vends credentials, a sample of
// keys is read with them from S3 — every key inside the matched scope
// (privilege Default) or the target (Minimal) is readable, no key outside
// is, not even in the same bucket.
func TestVendedScopeProperty(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	w := newWalkthrough(t, env)
	r := rand.New(rand.NewPCG(2024, 11))
	const alphabet = "ab/.$"
	var keys []string
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		if prefix != "" {
			keys = append(keys, prefix)
		}
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			gen(prefix+string(c), n-1)
		}
	}
	gen("", 3)
	buckets := []string{"prop-one", "prop-two"}
	owner := w.s3(w.a)
	for _, b := range buckets {
		if _, err := owner.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(b),
			CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(wkRegion)}}); err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			mustPut(t, owner, b, k, []byte(k))
		}
	}
	randKey := func(max int) string {
		n := r.IntN(max + 1)
		var sb strings.Builder
		for range n {
			sb.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		return sb.String()
	}
	granted := map[string]bool{}
	var grantedKeys []string
	for i := 0; i < 12; i++ {
		b := buckets[r.IntN(2)]
		k := randKey(2)
		if k == "" { // no whole-bucket grants: keep some targets unmatched
			k = alphabet[r.IntN(len(alphabet)):][:1]
		}
		object := r.IntN(3) == 0
		if id := fmt.Sprint(b, k, object); granted[id] {
			continue
		} else {
			granted[id] = true
		}
		grantedKeys = append(grantedKeys, b+"/"+k)
		if object {
			w.grant(t, b+"/"+k, types.PermissionRead, wkConsumerRole, types.S3PrefixTypeObject)
		} else {
			w.grant(t, b+"/"+k+"*", types.PermissionRead, wkConsumerRole, "")
		}
	}
	vendedCount := 0
	for i := 0; i < 60; i++ {
		b := buckets[r.IntN(2)]
		k := randKey(3)
		if r.IntN(2) == 0 { // near a grant: a granted key and more
			gk := grantedKeys[r.IntN(len(grantedKeys))]
			b, k = gk[:strings.IndexByte(gk, '/')], gk[strings.IndexByte(gk, '/')+1:]+randKey(1)
		}
		target := "s3://" + b + "/" + k
		if r.IntN(2) == 0 {
			target += "*"
		}
		in := &s3control.GetDataAccessInput{Target: aws.String(target), Permission: types.PermissionRead}
		minimal := r.IntN(2) == 0
		if minimal {
			in.Privilege = types.PrivilegeMinimal
		}
		out, err := w.dataAccess(t, w.consumer, in)
		if err != nil {
			wantAPIError(t, err, "AccessDenied", 403)
			continue
		}
		vendedCount++
		scope := aws.ToString(out.MatchedGrantTarget)
		if minimal && scope != target {
			t.Fatalf("Minimal for %s matched %s", target, scope)
		}
		s := w.s3(vended(out))
		for j := 0; j < 8; j++ {
			pb, pk := buckets[r.IntN(2)], keys[r.IntN(len(keys))]
			if j < 2 && !strings.HasSuffix(scope, "*") { // the scope's own object
				pb, pk = b, strings.TrimPrefix(scope, "s3://"+b+"/")
				if pk == "" {
					continue
				}
			}
			want := inScope(scope, pb, pk)
			if got := canGet(t, s, pb, pk); got != want {
				t.Fatalf("credentials for %s (matched %s, minimal %v) read %s/%q: %v, want %v", target, scope, minimal, pb, pk, got, want)
			}
		}
	}
	if vendedCount < 10 || vendedCount > 50 {
		t.Errorf("%d of 60 targets matched a grant; the generator should give both outcomes", vendedCount)
	}
	t.Logf("%d targets vended credentials, each probed with 8 keys", vendedCount)
}

// inScope reports whether bucket/key lies in an S3 URI scope
// (s3://b/prefix* or s3://b/key). A scope of Minimal privilege without a
// "*" is one key, like an object grant; s3://b/ is the whole bucket.
func inScope(scope, bucket, key string) bool {
	rest, ok := strings.CutPrefix(scope, fmt.Sprintf("s3://%s/", bucket))
	if !ok {
		return false
	}
	if p, ok := strings.CutSuffix(rest, "*"); ok || rest == "" {
		return strings.HasPrefix(key, p)
	}
	return key == rest
}
