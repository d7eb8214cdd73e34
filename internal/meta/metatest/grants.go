package metatest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/meta"
)

const (
	agAccount = "111122223333"
	agRegion  = "us-east-2"
	agRole    = "arn:aws:iam::111122223333:role/ag-location-role"
)

// grantsStore opens a store with an account and its instance.
func grantsStore(t *testing.T, s Suite) meta.Store {
	t.Helper()
	st := s.Open(t)
	if err := st.CreateAccount(ctx(t), newAccount(agAccount)); err != nil {
		t.Fatal(err)
	}
	inst := meta.GrantsInstance{Account: agAccount, Region: agRegion, CreatedAt: epoch}
	if err := st.CreateGrantsInstance(ctx(t), inst, []meta.Tag{{Key: "team", Value: "data"}}); err != nil {
		t.Fatal(err)
	}
	return st
}

func location(id, scope string, n int) meta.GrantsLocation {
	return meta.GrantsLocation{Account: agAccount, Region: agRegion, ID: id, Scope: scope, IAMRoleARN: agRole,
		CreatedAt: epoch.Add(time.Duration(n) * time.Second)}
}

func grant(id, loc, scope string, n int) meta.AccessGrant {
	return meta.AccessGrant{Account: agAccount, Region: agRegion, ID: id, LocationID: loc, GranteeType: "IAM",
		GranteeIdentifier: "arn:aws:iam::444455556666:role/data-consumer-1", Permission: "READ",
		SubPrefix: scope[len("s3://"):], GrantScope: scope, CreatedAt: epoch.Add(time.Duration(n) * time.Millisecond)}
}

func testGrants(t *testing.T, s Suite) {
	t.Run("Instance", func(t *testing.T) { testGrantsInstance(t, s) })
	t.Run("ResourcePolicy", func(t *testing.T) { testGrantsPolicy(t, s) })
	t.Run("Locations", func(t *testing.T) { testGrantsLocations(t, s) })
	t.Run("Grants", func(t *testing.T) { testAccessGrants(t, s) })
	t.Run("GrantPages", func(t *testing.T) { testGrantPages(t, s) })
	t.Run("Tags", func(t *testing.T) { testGrantsTags(t, s) })
	t.Run("Changes", func(t *testing.T) { testGrantsChanges(t, s) })
	t.Run("ConcurrentQuota", func(t *testing.T) { testGrantsConcurrentQuota(t, s) })
}

func testGrantsInstance(t *testing.T, s Suite) {
	st := grantsStore(t, s)
	err := st.CreateGrantsInstance(ctx(t), meta.GrantsInstance{Account: agAccount, Region: agRegion, CreatedAt: epoch}, nil)
	wantErr(t, "second instance in the region", err, meta.ErrExists)
	// Another region is another instance.
	if err := st.CreateGrantsInstance(ctx(t), meta.GrantsInstance{Account: agAccount, Region: "eu-west-1", CreatedAt: epoch}, nil); err != nil {
		t.Fatalf("instance in a second region: %v", err)
	}
	got, err := st.GrantsInstanceState(ctx(t), agAccount, agRegion)
	if err != nil {
		t.Fatal(err)
	}
	want := meta.GrantsInstanceState{Instance: meta.GrantsInstance{Account: agAccount, Region: agRegion, CreatedAt: epoch},
		Tags: []meta.Tag{{Key: "team", Value: "data"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GrantsInstanceState (-want +got):\n%s", diff)
	}
	_, err = st.GetGrantsInstance(ctx(t), agAccount, "ap-south-1")
	wantErr(t, "instance in a region without one", err, meta.ErrNotFound)

	const idc, app = "arn:aws:sso:::instance/ssoins-0123456789abcdef", "arn:aws:sso::111122223333:application/ssoins-0123456789abcdef/apl-0123456789abcdef"
	if err := st.SetGrantsIdentityCenter(ctx(t), agAccount, agRegion, idc, app); err != nil {
		t.Fatal(err)
	}
	inst, err := st.GetGrantsInstance(ctx(t), agAccount, agRegion)
	if err != nil || inst.IdentityCenterInstanceARN != idc || inst.IdentityCenterApplicationARN != app {
		t.Errorf("after SetGrantsIdentityCenter: %+v, %v", inst, err)
	}
	err = st.DeleteGrantsInstance(ctx(t), agAccount, agRegion)
	wantErr(t, "delete with Identity Center associated", err, meta.ErrConflict)
	if errors.Is(err, meta.ErrNotEmpty) {
		t.Errorf("delete with Identity Center associated: %v is ErrNotEmpty", err)
	}
	if err := st.SetGrantsIdentityCenter(ctx(t), agAccount, agRegion, "", ""); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "SetGrantsIdentityCenter without instance", st.SetGrantsIdentityCenter(ctx(t), agAccount, "ap-south-1", idc, app), meta.ErrNotFound)

	if err := st.CreateGrantsLocation(ctx(t), location("default", "s3://", 0), nil, 10); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "delete with a location", st.DeleteGrantsInstance(ctx(t), agAccount, agRegion), meta.ErrNotEmpty)
	if err := st.DeleteGrantsLocation(ctx(t), agAccount, agRegion, "default"); err != nil {
		t.Fatal(err)
	}
	if err := st.PutGrantsResourcePolicy(ctx(t), agAccount, agRegion, meta.GrantsResourcePolicy{Policy: "{}", CreatedAt: epoch}); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteGrantsInstance(ctx(t), agAccount, agRegion); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "delete twice", st.DeleteGrantsInstance(ctx(t), agAccount, agRegion), meta.ErrNotFound)
	// A new instance starts without the old one's policy and tags.
	if err := st.CreateGrantsInstance(ctx(t), meta.GrantsInstance{Account: agAccount, Region: agRegion, CreatedAt: epoch}, nil); err != nil {
		t.Fatal(err)
	}
	got, err = st.GrantsInstanceState(ctx(t), agAccount, agRegion)
	if err != nil || got.Policy != nil || len(got.Tags) != 0 {
		t.Errorf("recreated instance state = %+v, %v; want no policy and no tags", got, err)
	}
}

func testGrantsPolicy(t *testing.T, s Suite) {
	st := grantsStore(t, s)
	_, err := st.GetGrantsResourcePolicy(ctx(t), agAccount, agRegion)
	wantErr(t, "get before put", err, meta.ErrNotFound)
	if err := st.DeleteGrantsResourcePolicy(ctx(t), agAccount, agRegion); err != nil {
		t.Errorf("delete without policy: %v", err)
	}
	p1 := meta.GrantsResourcePolicy{Policy: "{\"Version\":\"2012-10-17\"}\n", Organization: "o-abcdefghij", CreatedAt: epoch}
	p2 := meta.GrantsResourcePolicy{Policy: "{}", CreatedAt: epoch.Add(time.Hour)}
	for _, p := range []meta.GrantsResourcePolicy{p1, p2} {
		if err := st.PutGrantsResourcePolicy(ctx(t), agAccount, agRegion, p); err != nil {
			t.Fatal(err)
		}
		got, err := st.GetGrantsResourcePolicy(ctx(t), agAccount, agRegion)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, got); diff != "" {
			t.Errorf("policy after put (-want +got):\n%s", diff)
		}
	}
	wantErr(t, "put without instance", st.PutGrantsResourcePolicy(ctx(t), agAccount, "ap-south-1", p1), meta.ErrNotFound)
	wantErr(t, "delete without instance", st.DeleteGrantsResourcePolicy(ctx(t), agAccount, "ap-south-1"), meta.ErrNotFound)
	if err := st.DeleteGrantsResourcePolicy(ctx(t), agAccount, agRegion); err != nil {
		t.Fatal(err)
	}
	_, err = st.GetGrantsResourcePolicy(ctx(t), agAccount, agRegion)
	wantErr(t, "get after delete", err, meta.ErrNotFound)
}

func testGrantsLocations(t *testing.T, s Suite) {
	st := grantsStore(t, s)
	locs := []meta.GrantsLocation{location("default", "s3://", 0), location("b1", "s3://bucket1/", 1), location("b2", "s3://bucket2/pre", 2)}
	for _, l := range locs {
		if err := st.CreateGrantsLocation(ctx(t), l, nil, 3); err != nil {
			t.Fatal(err)
		}
	}
	err := st.CreateGrantsLocation(ctx(t), location("b3", "s3://bucket1", 3), nil, 10)
	wantErr(t, "scope differing by a trailing slash", err, meta.ErrExists)
	err = st.CreateGrantsLocation(ctx(t), location("b4", "s3://bucket4", 4), nil, 3)
	wantErr(t, "beyond the quota", err, meta.ErrQuota)
	err = st.CreateGrantsLocation(ctx(t), meta.GrantsLocation{Account: agAccount, Region: "ap-south-1", ID: "x", Scope: "s3://x"}, nil, 3)
	wantErr(t, "without instance", err, meta.ErrNotFound)

	all, next, err := st.ListGrantsLocations(ctx(t), agAccount, agRegion, "", meta.Page{})
	if err != nil || next != "" {
		t.Fatalf("ListGrantsLocations = next %q, %v", next, err)
	}
	if diff := cmp.Diff(locs, all); diff != "" {
		t.Errorf("ListGrantsLocations (-want +got):\n%s", diff)
	}
	for _, scope := range []string{"s3://bucket1", "s3://bucket1/"} {
		got, _, err := st.ListGrantsLocations(ctx(t), agAccount, agRegion, scope, meta.Page{})
		if err != nil || len(got) != 1 || got[0].ID != "b1" {
			t.Errorf("ListGrantsLocations(scope %q) = %v, %v; want b1", scope, got, err)
		}
	}
	page, next, err := st.ListGrantsLocations(ctx(t), agAccount, agRegion, "", meta.Page{Limit: 2})
	if err != nil || len(page) != 2 || next == "" {
		t.Fatalf("first page = %v, %q, %v", page, next, err)
	}
	page, next, err = st.ListGrantsLocations(ctx(t), agAccount, agRegion, "", meta.Page{Limit: 2, After: next})
	if err != nil || len(page) != 1 || page[0].ID != "b2" || next != "" {
		t.Errorf("second page = %v, %q, %v", page, next, err)
	}
	_, _, err = st.ListGrantsLocations(ctx(t), agAccount, agRegion, "", meta.Page{After: "garbage"})
	wantErr(t, "bad cursor", err, meta.ErrInvalidCursor)

	const role2 = "arn:aws:iam::111122223333:role/other"
	upd, err := st.UpdateGrantsLocation(ctx(t), agAccount, agRegion, "b1", role2)
	want := locs[1]
	want.IAMRoleARN = role2
	if err != nil || !cmp.Equal(want, upd) {
		t.Errorf("UpdateGrantsLocation = %+v, %v; want %+v", upd, err, want)
	}
	_, err = st.UpdateGrantsLocation(ctx(t), agAccount, agRegion, "nope", role2)
	wantErr(t, "update a missing location", err, meta.ErrNotFound)

	if err := st.CreateGrant(ctx(t), grant("g1", "b1", "s3://bucket1/a*", 1), nil, 10); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "delete a location with a grant", st.DeleteGrantsLocation(ctx(t), agAccount, agRegion, "b1"), meta.ErrNotEmpty)
	if err := st.DeleteGrant(ctx(t), agAccount, agRegion, "g1"); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteGrantsLocation(ctx(t), agAccount, agRegion, "b1"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "delete a missing location", st.DeleteGrantsLocation(ctx(t), agAccount, agRegion, "b1"), meta.ErrNotFound)
	_, err = st.GetGrantsLocation(ctx(t), agAccount, agRegion, "b1")
	wantErr(t, "get a deleted location", err, meta.ErrNotFound)
	// The freed quota slot can be used again.
	if err := st.CreateGrantsLocation(ctx(t), location("b4", "s3://bucket4", 4), nil, 3); err != nil {
		t.Errorf("create after delete under quota: %v", err)
	}
}

func testAccessGrants(t *testing.T, s Suite) {
	st := grantsStore(t, s)
	if err := st.CreateGrantsLocation(ctx(t), location("default", "s3://", 0), nil, 10); err != nil {
		t.Fatal(err)
	}
	g1 := grant("g1", "default", "s3://bucket/a*", 1)
	g1.ApplicationARN = "arn:aws:sso::111122223333:application/ssoins-1/apl-1"
	g2 := grant("g2", "default", "s3://bucket/ab*", 2)
	g2.Permission = "READWRITE"
	g3 := grant("g3", "default", "s3://other/x", 3)
	g3.GranteeType, g3.GranteeIdentifier, g3.PrefixType, g3.SubPrefix = "DIRECTORY_USER", "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", "Object", "/other/x"
	for _, g := range []meta.AccessGrant{g1, g2, g3} {
		if err := st.CreateGrant(ctx(t), g, nil, 3); err != nil {
			t.Fatal(err)
		}
	}
	dup := g2
	dup.ID = "g9"
	wantErr(t, "duplicate grant", st.CreateGrant(ctx(t), dup, nil, 10), meta.ErrExists)
	dup.PrefixType = "Object"
	wantErr(t, "beyond the quota", st.CreateGrant(ctx(t), dup, nil, 3), meta.ErrQuota)
	wantErr(t, "missing location", st.CreateGrant(ctx(t), grant("g8", "nope", "s3://b/x", 8), nil, 10), meta.ErrNotFound)

	got, err := st.GetGrant(ctx(t), agAccount, agRegion, "g3")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(g3, got); diff != "" {
		t.Errorf("GetGrant (-want +got):\n%s", diff)
	}
	tests := []struct {
		name string
		f    meta.GrantFilter
		want []string
	}{
		{"all", meta.GrantFilter{}, []string{"g1", "g2", "g3"}},
		{"grantee type", meta.GrantFilter{GranteeType: "IAM"}, []string{"g1", "g2"}},
		{"grantee", meta.GrantFilter{GranteeIdentifier: g3.GranteeIdentifier}, []string{"g3"}},
		{"permission", meta.GrantFilter{Permission: "READWRITE"}, []string{"g2"}},
		{"scope prefix", meta.GrantFilter{ScopePrefix: "s3://bucket/a"}, []string{"g1", "g2"}},
		{"scope prefix narrow", meta.GrantFilter{ScopePrefix: "s3://bucket/ab"}, []string{"g2"}},
		{"application", meta.GrantFilter{ApplicationARN: g1.ApplicationARN}, []string{"g1"}},
		{"and", meta.GrantFilter{GranteeType: "IAM", Permission: "READ"}, []string{"g1"}},
		{"none", meta.GrantFilter{ScopePrefix: "s3://bucket/b"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, next, err := st.ListGrants(ctx(t), agAccount, agRegion, tt.f, meta.Page{})
			if err != nil || next != "" {
				t.Fatalf("ListGrants: next %q, %v", next, err)
			}
			var ids []string
			for _, g := range list {
				ids = append(ids, g.ID)
			}
			if diff := cmp.Diff(tt.want, ids); diff != "" {
				t.Errorf("ListGrants (-want +got):\n%s", diff)
			}
		})
	}
	if err := st.DeleteGrant(ctx(t), agAccount, agRegion, "g2"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "delete twice", st.DeleteGrant(ctx(t), agAccount, agRegion, "g2"), meta.ErrNotFound)
	// Deleting freed a quota slot; the same grant may be made again.
	if err := st.CreateGrant(ctx(t), g2, nil, 3); err != nil {
		t.Errorf("recreate after delete: %v", err)
	}
}

// testGrantPages pages through grants while others are created: nothing
// that existed before is skipped or repeated.
func testGrantPages(t *testing.T, s Suite) {
	st := grantsStore(t, s)
	if err := st.CreateGrantsLocation(ctx(t), location("default", "s3://", 0), nil, 10); err != nil {
		t.Fatal(err)
	}
	const n = 25
	for i := range n {
		// Pairs share a timestamp: the ID orders them.
		g := grant(fmt.Sprintf("id-%02d", n-i), "default", fmt.Sprintf("s3://bucket/p%02d*", i), i/2)
		if err := st.CreateGrant(ctx(t), g, nil, 1000); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]int{}
	after := ""
	for page := 0; ; page++ {
		list, next, err := st.ListGrants(ctx(t), agAccount, agRegion, meta.GrantFilter{}, meta.Page{After: after, Limit: 4})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range list {
			seen[g.ID]++
		}
		// Insert one grant that sorts before the cursor, one after.
		for _, at := range []int{-1000, 1000} {
			g := grant(fmt.Sprintf("new-%d-%d", page, at), "default", fmt.Sprintf("s3://new/%d-%d", page, at), at)
			if err := st.CreateGrant(ctx(t), g, nil, 1000); err != nil {
				t.Fatal(err)
			}
		}
		if next == "" {
			break
		}
		after = next
	}
	for i := range n {
		id := fmt.Sprintf("id-%02d", n-i)
		if seen[id] != 1 {
			t.Errorf("grant %s listed %d times, want once", id, seen[id])
		}
	}
	for id, c := range seen {
		if c != 1 {
			t.Errorf("grant %s listed %d times", id, c)
		}
	}
}

func testGrantsTags(t *testing.T, s Suite) {
	st := grantsStore(t, s)
	if err := st.CreateGrantsLocation(ctx(t), location("default", "s3://", 0), []meta.Tag{{Key: "k", Value: "v"}}, 10); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateGrant(ctx(t), grant("g1", "default", "s3://b/x*", 1), []meta.Tag{{Key: "a", Value: "1"}}, 10); err != nil {
		t.Fatal(err)
	}
	inst := meta.GrantsResource{Account: agAccount, Region: agRegion, Kind: meta.GrantsInstanceResource}
	loc := meta.GrantsResource{Account: agAccount, Region: agRegion, Kind: meta.GrantsLocationResource, ID: "default"}
	g := meta.GrantsResource{Account: agAccount, Region: agRegion, Kind: meta.GrantResource, ID: "g1"}
	check := func(r meta.GrantsResource, want []meta.Tag) {
		t.Helper()
		got, err := st.GrantsTags(ctx(t), r)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("tags of %v (-want +got):\n%s", r, diff)
		}
	}
	check(inst, []meta.Tag{{Key: "team", Value: "data"}})
	check(loc, []meta.Tag{{Key: "k", Value: "v"}})
	check(g, []meta.Tag{{Key: "a", Value: "1"}})
	if err := st.TagGrantsResource(ctx(t), g, []meta.Tag{{Key: "a", Value: "2"}, {Key: "b", Value: ""}}, 2); err != nil {
		t.Fatal(err)
	}
	check(g, []meta.Tag{{Key: "a", Value: "2"}, {Key: "b", Value: ""}})
	wantErr(t, "a third tag with max 2", st.TagGrantsResource(ctx(t), g, []meta.Tag{{Key: "c", Value: "3"}, {Key: "a", Value: "9"}}, 2), meta.ErrQuota)
	check(g, []meta.Tag{{Key: "a", Value: "2"}, {Key: "b", Value: ""}})
	if err := st.UntagGrantsResource(ctx(t), g, []string{"a", "missing"}); err != nil {
		t.Fatal(err)
	}
	check(g, []meta.Tag{{Key: "b", Value: ""}})
	// Tag keys are case-sensitive.
	if err := st.TagGrantsResource(ctx(t), g, []meta.Tag{{Key: "B", Value: "x"}}, 50); err != nil {
		t.Fatal(err)
	}
	check(g, []meta.Tag{{Key: "B", Value: "x"}, {Key: "b", Value: ""}})
	missing := meta.GrantsResource{Account: agAccount, Region: agRegion, Kind: meta.GrantResource, ID: "nope"}
	_, err := st.GrantsTags(ctx(t), missing)
	wantErr(t, "tags of a missing grant", err, meta.ErrNotFound)
	wantErr(t, "tag a missing grant", st.TagGrantsResource(ctx(t), missing, []meta.Tag{{Key: "a"}}, 50), meta.ErrNotFound)
	wantErr(t, "untag a missing grant", st.UntagGrantsResource(ctx(t), missing, []string{"a"}), meta.ErrNotFound)
	// Deleting the grant deletes its tags; a new grant with its ID has none.
	if err := st.DeleteGrant(ctx(t), agAccount, agRegion, "g1"); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateGrant(ctx(t), grant("g1", "default", "s3://b/x*", 1), nil, 10); err != nil {
		t.Fatal(err)
	}
	check(g, nil)
}

func testGrantsChanges(t *testing.T, s Suite) {
	st := s.Open(t)
	if err := st.CreateAccount(ctx(t), newAccount(agAccount)); err != nil {
		t.Fatal(err)
	}
	last, err := st.LastChange(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	instKey := meta.GrantsInstanceKey(agAccount, agRegion)
	steps := []struct {
		name  string
		do    func() error
		topic string
		key   string
	}{
		{"create instance", func() error {
			return st.CreateGrantsInstance(ctx(t), meta.GrantsInstance{Account: agAccount, Region: agRegion, CreatedAt: epoch}, nil)
		}, meta.TopicGrantsInstance, instKey},
		{"put policy", func() error {
			return st.PutGrantsResourcePolicy(ctx(t), agAccount, agRegion, meta.GrantsResourcePolicy{Policy: "{}"})
		}, meta.TopicGrantsPolicy, instKey},
		{"create location", func() error { return st.CreateGrantsLocation(ctx(t), location("l1", "s3://b", 0), nil, 10) },
			meta.TopicGrantsLocation, meta.GrantsKey(agAccount, agRegion, "l1")},
		{"create grant", func() error { return st.CreateGrant(ctx(t), grant("g1", "l1", "s3://b/x*", 1), nil, 10) },
			meta.TopicGrant, meta.GrantsKey(agAccount, agRegion, "g1")},
		{"delete grant", func() error { return st.DeleteGrant(ctx(t), agAccount, agRegion, "g1") },
			meta.TopicGrant, meta.GrantsKey(agAccount, agRegion, "g1")},
		{"delete location", func() error { return st.DeleteGrantsLocation(ctx(t), agAccount, agRegion, "l1") },
			meta.TopicGrantsLocation, meta.GrantsKey(agAccount, agRegion, "l1")},
		{"delete policy", func() error { return st.DeleteGrantsResourcePolicy(ctx(t), agAccount, agRegion) },
			meta.TopicGrantsPolicy, instKey},
		{"delete instance", func() error { return st.DeleteGrantsInstance(ctx(t), agAccount, agRegion) },
			meta.TopicGrantsInstance, instKey},
	}
	for _, step := range steps {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		changes, err := st.Changes(ctx(t), last, 10)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range changes {
			found = found || (c.Topic == step.topic && c.Key == step.key)
			last = c.Seq
		}
		if !found {
			t.Errorf("%s: change feed has %v, want %s %s", step.name, changes, step.topic, step.key)
		}
	}
}

// testGrantsConcurrentQuota creates grants from many goroutines at once:
// exactly quota of them succeed.
func testGrantsConcurrentQuota(t *testing.T, s Suite) {
	st := grantsStore(t, s)
	if err := st.CreateGrantsLocation(ctx(t), location("default", "s3://", 0), nil, 10); err != nil {
		t.Fatal(err)
	}
	const quota, tries = 5, 12
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, over := 0, 0
	for i := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := st.CreateGrant(ctx(t), grant(fmt.Sprintf("g%d", i), "default", fmt.Sprintf("s3://b/%d*", i), i), nil, quota)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, meta.ErrQuota):
				over++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok != quota || over != tries-quota {
		t.Errorf("%d created and %d over quota, want %d and %d", ok, over, quota, tries-quota)
	}
	list, _, err := st.ListGrants(ctx(t), agAccount, agRegion, meta.GrantFilter{}, meta.Page{})
	if err != nil || len(list) != quota {
		t.Errorf("ListGrants has %d grants (%v), want %d", len(list), err, quota)
	}
}
