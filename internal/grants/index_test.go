package grants

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/meta"
)

// randKey draws a short key from a small alphabet, so that keys share
// prefixes and hit the characters IAM patterns treat specially.
func randKey(r *rand.Rand, maxLen int) string {
	const alphabet = "ab/.*?$"
	n := r.IntN(maxLen + 1)
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// TestRadixAgainstMap inserts and removes random keys and checks walk and
// under against a brute-force scan after every step.
func TestRadixAgainstMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	root := &node{}
	live := map[string]string{} // id → key
	for step := 0; step < 4000; step++ {
		if len(live) > 0 && r.IntN(3) == 0 {
			ids := make([]string, 0, len(live))
			for id := range live {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			id := ids[r.IntN(len(ids))]
			if !root.remove(live[id], id) {
				t.Fatalf("step %d: remove(%q, %s) found nothing", step, live[id], id)
			}
			delete(live, id)
		} else {
			id := fmt.Sprintf("g%d", step)
			k := randKey(r, 6)
			root.insert(k, &entry{id: id})
			live[id] = k
		}
		q := randKey(r, 7)
		var walked, want []string
		root.walk(q, func(depth int, es []*entry) {
			for _, e := range es {
				if live[e.id] != q[:depth] {
					t.Fatalf("step %d: walk(%q) reports %s (key %q) at depth %d", step, q, e.id, live[e.id], depth)
				}
				walked = append(walked, e.id)
			}
		})
		for id, k := range live {
			if strings.HasPrefix(q, k) {
				want = append(want, id)
			}
		}
		sort.Strings(walked)
		sort.Strings(want)
		if diff := cmp.Diff(want, walked); diff != "" {
			t.Fatalf("step %d: walk(%q) (-want +got):\n%s", step, q, diff)
		}
		var under []string
		want = want[:0]
		root.under(q, func(e *entry) { under = append(under, e.id) })
		for id, k := range live {
			if strings.HasPrefix(k, q) {
				want = append(want, id)
			}
		}
		sort.Strings(under)
		sort.Strings(want)
		if diff := cmp.Diff(want, under, cmp.Comparer(func(a, b []string) bool { return len(a) == 0 && len(b) == 0 || cmp.Equal(a, b) })); diff != "" {
			t.Fatalf("step %d: under(%q) (-want +got):\n%s", step, q, diff)
		}
	}
	// Removing everything leaves an empty root.
	for id, k := range live {
		root.remove(k, id)
	}
	if len(root.children) != 0 || len(root.entries) != 0 {
		t.Errorf("empty tree has %d children, %d entries", len(root.children), len(root.entries))
	}
}

// randGrant draws a grant of one of a few grantees on one of two buckets.
func randGrant(r *rand.Rand, i int) meta.AccessGrant {
	buckets := []string{"bkt-a", "bkt-b"}
	grantees := []string{"arn:aws:iam::444455556666:role/r1", "arn:aws:iam::444455556666:role/r2", "arn:aws:iam::444455556666:user/u"}
	perms := []string{PermissionRead, PermissionWrite, PermissionReadWrite}
	g := meta.AccessGrant{ID: fmt.Sprintf("g%04d", i), LocationID: "default", GranteeType: GranteeIAM,
		GranteeIdentifier: grantees[r.IntN(len(grantees))], Permission: perms[r.IntN(3)],
		CreatedAt: time.Unix(1700000000+int64(r.IntN(50)), 0)}
	b := buckets[r.IntN(2)]
	switch k := randKey(r, 5); r.IntN(4) {
	case 0:
		g.GrantScope = "s3://" + b + "/*"
	case 1:
		if k == "" || strings.Contains(k, "*") {
			k = "obj"
		}
		g.GrantScope, g.PrefixType = "s3://"+b+"/"+k, PrefixTypeObject
	default:
		g.GrantScope = "s3://" + b + "/" + strings.ReplaceAll(k, "*", "") + "*"
	}
	return g
}

// randTarget draws a GetDataAccess target.
func randTarget(r *rand.Rand) target {
	b := []string{"bkt-a", "bkt-b"}[r.IntN(2)]
	k := strings.ReplaceAll(randKey(r, 6), "*", "")
	raw := "s3://" + b + "/" + k
	if r.IntN(2) == 0 {
		raw += "*"
	}
	tg, err := parseTarget(raw, "")
	if err != nil {
		panic(err)
	}
	return tg
}

// bruteFind is find by a linear scan and a sort by the documented
// preference — the longest scope, an object over a prefix, the permission
// asked for over READWRITE, the oldest grant: what the index must agree
// with.
func bruteFind(grants map[string]meta.AccessGrant, keys []string, t scope, asked string) *entry {
	var cands []*entry
	for _, g := range grants {
		sc, _ := grantScopeOf(g.GrantScope, g.PrefixType)
		mine := false
		for _, k := range keys {
			mine = mine || k == granteeKey(g.GranteeType, g.GranteeIdentifier)
		}
		if mine && satisfies(g.Permission, asked) && sc.covers(t) {
			cands = append(cands, &entry{id: g.ID, permission: g.Permission, createdAt: g.CreatedAt, sc: sc})
		}
	}
	if len(cands) == 0 {
		return nil
	}
	rank := func(e *entry) string {
		exact, same := "1", "1"
		if e.sc.exact {
			exact = "0"
		}
		if e.permission == asked {
			same = "0"
		}
		return fmt.Sprintf("%06d%s%s%020d%s", 999999-len(e.sc.key), exact, same, e.createdAt.UnixNano(), e.id)
	}
	sort.Slice(cands, func(i, j int) bool { return rank(cands[i]) < rank(cands[j]) })
	return cands[0]
}

// TestMatchingProperty is the property test of matching and vending:
// random grants and targets (seeded), with grants added and removed as
// the index runs. For every target the index picks the same grant as a
// linear scan; the chosen grant covers the target; and the session policy
// of the credentials — evaluated by the policy engine for many keys —
// allows no key outside the matched scope (privilege Default) or outside
// the target (Minimal), and allows every key inside it.
func TestMatchingProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(42, 7))
	ix := newInstanceIndex("111122223333", "us-east-1")
	ix.locations["default"] = meta.GrantsLocation{ID: "default", Scope: "s3://", IAMRoleARN: "arn:aws:iam::111122223333:role/loc"}
	live := map[string]meta.AccessGrant{}
	checked := 0
	for i := 0; i < 3000; i++ {
		if len(live) > 0 && r.IntN(4) == 0 {
			for id := range live {
				ix.removeGrant(id)
				delete(live, id)
				break
			}
		} else {
			g := randGrant(r, i)
			ix.putGrant(g)
			live[g.ID] = g
		}
		tg := randTarget(r)
		asked := []string{PermissionRead, PermissionWrite, PermissionReadWrite}[r.IntN(3)]
		keys := []string{granteeKey(GranteeIAM, "arn:aws:iam::444455556666:role/r1")}
		if r.IntN(2) == 0 {
			keys = append(keys, granteeKey(GranteeIAM, "arn:aws:iam::444455556666:user/u"))
		}
		m := ix.find(keys, tg.scope, asked, "")
		want := bruteFind(live, keys, tg.scope, asked)
		switch {
		case (m == nil) != (want == nil):
			t.Fatalf("step %d: target %s %s: index found %v, scan found %v", i, tg.raw, asked, m != nil, want != nil)
		case m == nil:
			continue
		case m.e.id != want.id:
			t.Fatalf("step %d: target %s %s: index chose %s (%s), scan chose %s (%v)", i, tg.raw, asked, m.e.id, m.e.grantScope, want.id, want.sc)
		case !m.e.sc.covers(tg.scope):
			t.Fatalf("step %d: chosen grant %s does not cover %s", i, m.e.grantScope, tg.raw)
		}
		if i%10 == 0 { // the policy engine is the slow part
			checkVended(t, r, m.e.defaultPolicy(asked), m.e.sc, asked)
			checkVended(t, r, sessionPolicy(asked, tg.scope), tg.scope, asked)
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("only %d matches checked; the generator is too sparse", checked)
	}
}

// checkVended evaluates a session policy for keys inside and outside sc.
func checkVended(t *testing.T, r *rand.Rand, doc string, sc scope, asked string) {
	t.Helper()
	action := "s3:GetObject"
	if asked == PermissionWrite {
		action = "s3:PutObject"
	}
	for j := 0; j < 40; j++ {
		bucket := sc.bucket
		if j%13 == 0 {
			bucket = "bkt-z"
		}
		key := sc.key + randKey(r, 3)
		switch j % 4 {
		case 0:
			key = randKey(r, 7)
		case 1:
			if len(sc.key) > 0 {
				key = sc.key[:r.IntN(len(sc.key))]
			}
		}
		in := bucket == sc.bucket && sc.covers(scope{bucket: bucket, key: key, exact: true})
		if got := allows(t, doc, action, "arn:aws:s3:::"+bucket+"/"+key); got != in {
			t.Fatalf("%s on %s/%q: allowed %v, want %v (scope %v)\n%s", action, bucket, key, got, in, sc, doc)
		}
		if asked == PermissionWrite {
			continue
		}
		// Listing: allowed only for prefixes inside the scope.
		listIn := bucket == sc.bucket && (sc.exact && key == sc.key || !sc.exact && strings.HasPrefix(key, sc.key))
		if got := allows(t, doc, "s3:ListBucket", "arn:aws:s3:::"+bucket, "s3:prefix", key); got != listIn {
			t.Fatalf("ListBucket %s prefix %q: allowed %v, want %v (scope %v)\n%s", bucket, key, got, listIn, sc, doc)
		}
	}
}
