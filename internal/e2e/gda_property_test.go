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
	p := &scopeProperty{t: t, w: w, r: rand.New(rand.NewPCG(2024, 11)), buckets: []string{"prop-one", "prop-two"}}
	p.objects()
	p.grants(12)
	vendedCount := 0
	for i := 0; i < 60; i++ {
		if p.probe() {
			vendedCount++
		}
	}
	if vendedCount < 10 || vendedCount > 50 {
		t.Errorf("%d of 60 targets matched a grant; the generator should give both outcomes", vendedCount)
	}
	t.Logf("%d targets vended credentials, each probed with 8 keys", vendedCount)
}

// scopeProperty is the state of TestVendedScopeProperty.
type scopeProperty struct {
	t       *testing.T
	w       *walkthrough
	r       *rand.Rand
	buckets []string
	// keys are every key of up to three characters of the alphabet; each
	// is an object in both buckets.
	keys []string
	// grantedKeys are "bucket/key" of the grants made.
	grantedKeys []string
}

// alphabet of the property's keys: few letters, so keys share prefixes,
// and the characters with a meaning in IAM patterns.
const propAlphabet = "ab/.$"

func (p *scopeProperty) randKey(max int) string {
	var sb strings.Builder
	for range p.r.IntN(max + 1) {
		sb.WriteByte(propAlphabet[p.r.IntN(len(propAlphabet))])
	}
	return sb.String()
}

// objects creates the buckets and an object under every key.
func (p *scopeProperty) objects() {
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		if prefix != "" {
			p.keys = append(p.keys, prefix)
		}
		if n == 0 {
			return
		}
		for _, c := range propAlphabet {
			gen(prefix+string(c), n-1)
		}
	}
	gen("", 3)
	owner := p.w.s3(p.w.a)
	for _, b := range p.buckets {
		if _, err := owner.CreateBucket(p.t.Context(), &s3.CreateBucketInput{Bucket: aws.String(b),
			CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(wkRegion)}}); err != nil {
			p.t.Fatal(err)
		}
		for _, k := range p.keys {
			mustPut(p.t, owner, b, k, []byte(k))
		}
	}
}

// grants makes up to n random grants of the consumer: prefixes and
// objects, never a whole bucket, so that some targets stay unmatched.
func (p *scopeProperty) grants(n int) {
	granted := map[string]bool{}
	for i := 0; i < n; i++ {
		b := p.buckets[p.r.IntN(2)]
		k := p.randKey(2)
		if k == "" {
			k = propAlphabet[p.r.IntN(len(propAlphabet)):][:1]
		}
		object := p.r.IntN(3) == 0
		if id := fmt.Sprint(b, k, object); granted[id] {
			continue
		} else {
			granted[id] = true
		}
		p.grantedKeys = append(p.grantedKeys, b+"/"+k)
		if object {
			p.w.grant(p.t, b+"/"+k, types.PermissionRead, wkConsumerRole, types.S3PrefixTypeObject)
		} else {
			p.w.grant(p.t, b+"/"+k+"*", types.PermissionRead, wkConsumerRole, "")
		}
	}
}

// probe asks for credentials for a random target (half of them near a
// grant) and, when they are vended, reads 8 keys with them. It reports
// whether credentials were vended.
func (p *scopeProperty) probe() bool {
	t := p.t
	b, k := p.buckets[p.r.IntN(2)], p.randKey(3)
	if p.r.IntN(2) == 0 {
		gk := p.grantedKeys[p.r.IntN(len(p.grantedKeys))]
		b, k = gk[:strings.IndexByte(gk, '/')], gk[strings.IndexByte(gk, '/')+1:]+p.randKey(1)
	}
	target := "s3://" + b + "/" + k
	if p.r.IntN(2) == 0 {
		target += "*"
	}
	in := &s3control.GetDataAccessInput{Target: aws.String(target), Permission: types.PermissionRead}
	minimal := p.r.IntN(2) == 0
	if minimal {
		in.Privilege = types.PrivilegeMinimal
	}
	out, err := p.w.dataAccess(t, p.w.consumer, in)
	if err != nil {
		wantAPIError(t, err, "AccessDenied", 403)
		return false
	}
	scope := aws.ToString(out.MatchedGrantTarget)
	if minimal && scope != target {
		t.Fatalf("Minimal for %s matched %s", target, scope)
	}
	s := p.w.s3(vended(out))
	for j := 0; j < 8; j++ {
		pb, pk := p.buckets[p.r.IntN(2)], p.keys[p.r.IntN(len(p.keys))]
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
	return true
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
