package metatest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/meta"
)

const (
	acct1    = "111111111111"
	acct2    = "222222222222"
	adminARN = "arn:aws:iam::aws:policy/AdministratorAccess"
	s3ReadRN = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
)

func iamStore(t *testing.T, s Suite) meta.Store {
	st := s.Open(t)
	for _, id := range []string{acct1, acct2} {
		if err := st.CreateAccount(ctx(t), newAccount(id)); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func newUser(account, name, id string) meta.User {
	return meta.User{AccountID: account, Name: name, ID: id, Path: "/", ARN: "arn:aws:iam::" + account + ":user/" + name, CreatedAt: epoch}
}

func testIAM(t *testing.T, s Suite) {
	t.Run("Users", func(t *testing.T) { testUsers(t, s) })
	t.Run("Groups", func(t *testing.T) { testGroups(t, s) })
	t.Run("Roles", func(t *testing.T) { testRoles(t, s) })
	t.Run("AccessKeys", func(t *testing.T) { testAccessKeys(t, s) })
	t.Run("InlinePolicies", func(t *testing.T) { testInlinePolicies(t, s) })
	t.Run("ManagedPolicies", func(t *testing.T) { testManagedPolicies(t, s) })
	t.Run("Tags", func(t *testing.T) { testTags(t, s) })
	t.Run("OIDCProviders", func(t *testing.T) { testOIDC(t, s) })
	t.Run("ConcurrentQuotas", func(t *testing.T) { testConcurrentQuotas(t, s) })
}

// testConcurrentQuotas races writers against one quota: the store must
// let exactly the allowed number through (PostgreSQL runs them at once).
func testConcurrentQuotas(t *testing.T, s Suite) {
	st := iamStore(t, s)
	if err := st.CreateUser(ctx(t), newUser(acct1, "u", "AIDAAAAAAAAAAAAAAAAA1")); err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:iam::" + acct1 + ":policy/p"
	if err := st.CreatePolicy(ctx(t), meta.ManagedPolicy{ARN: arn, AccountID: acct1, Name: "p", ID: "ANPAAAAAAAAAAAAAAAAA1", Path: "/", CreatedAt: epoch}, "{}"); err != nil {
		t.Fatal(err)
	}
	const n = 8
	keyErrs, versionErrs := make(chan error, n), make(chan error, n)
	for i := range n {
		go func() {
			k := meta.AccessKey{ID: fmt.Sprintf("AKIARACE%012d", i), AccountID: acct1, UserName: "u", Secret: "s", Status: "Active", CreatedAt: epoch}
			keyErrs <- st.CreateAccessKey(ctx(t), k, 2)
		}()
		go func() {
			_, err := st.CreatePolicyVersion(ctx(t), arn, "{}", false, 5, epoch)
			versionErrs <- err
		}()
	}
	count := func(ch chan error) (ok int) {
		for range n {
			switch err := <-ch; {
			case err == nil:
				ok++
			case !errors.Is(err, meta.ErrLimitExceeded):
				t.Errorf("racing write: %v", err)
			}
		}
		return ok
	}
	if ok := count(keyErrs); ok != 2 {
		t.Errorf("%d access keys created, want 2", ok)
	}
	if ok := count(versionErrs); ok != 4 {
		t.Errorf("%d policy versions created, want 4 (5 with v1)", ok)
	}
	keys, _ := st.ListAccessKeys(ctx(t), acct1, "u", meta.Page{})
	vs, _ := st.ListPolicyVersions(ctx(t), arn)
	if len(keys) != 2 || len(vs) != 5 {
		t.Errorf("stored %d keys and %d versions", len(keys), len(vs))
	}
}

func testUsers(t *testing.T, s Suite) {
	st := iamStore(t, s)
	alice := newUser(acct1, "Alice", "AIDAAAAAAAAAAAAAAAAA1")
	alice.Tags = []meta.Tag{{Key: "team", Value: "x"}}
	for _, u := range []meta.User{alice, newUser(acct1, "bob", "AIDAAAAAAAAAAAAAAAAA2"), newUser(acct1, "carol", "AIDAAAAAAAAAAAAAAAAA3"), newUser(acct2, "alice", "AIDAAAAAAAAAAAAAAAAA4")} {
		if err := st.CreateUser(ctx(t), u); err != nil {
			t.Fatal(err)
		}
	}
	wantErr(t, "duplicate name in another case", st.CreateUser(ctx(t), newUser(acct1, "ALICE", "AIDAAAAAAAAAAAAAAAAA5")), meta.ErrExists)
	got, err := st.GetUser(ctx(t), acct1, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(alice, got); diff != "" {
		t.Errorf("GetUser (-want +got):\n%s", diff)
	}
	page, err := st.ListUsers(ctx(t), acct1, meta.ListFilter{Page: meta.Page{Limit: 2}})
	if err != nil || len(page) != 2 || page[0].Name != "Alice" || page[1].Name != "bob" {
		t.Fatalf("ListUsers page 1 = %v, %v", page, err)
	}
	page, err = st.ListUsers(ctx(t), acct1, meta.ListFilter{Page: meta.Page{After: "bob", Limit: 2}})
	if err != nil || len(page) != 1 || page[0].Name != "carol" {
		t.Errorf("ListUsers page 2 = %v, %v", page, err)
	}
	// Rename with a new path; the access key follows the user.
	if err := st.CreateAccessKey(ctx(t), meta.AccessKey{ID: "AKIAUSERKEY000000001", AccountID: acct1, UserName: "bob", Secret: "s", Status: "Active", CreatedAt: epoch}, 2); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "rename onto a taken name", st.UpdateUser(ctx(t), acct1, "bob", "CAROL", ""), meta.ErrExists)
	if err := st.UpdateUser(ctx(t), acct1, "bob", "robert", "/eng/"); err != nil {
		t.Fatal(err)
	}
	key, err := st.GetAccessKey(ctx(t), "AKIAUSERKEY000000001")
	if err != nil || key.UserName != "robert" {
		t.Errorf("key after rename = %+v, %v", key, err)
	}
	eng, err := st.ListUsers(ctx(t), acct1, meta.ListFilter{PathPrefix: "/eng/"})
	if err != nil || len(eng) != 1 || eng[0].ARN != "arn:aws:iam::"+acct1+":user/eng/robert" {
		t.Errorf("ListUsers /eng/ = %v, %v", eng, err)
	}
	// Deleting needs the key gone first.
	var inUse *meta.InUseError
	if err := st.DeleteUser(ctx(t), acct1, "robert"); !errors.As(err, &inUse) || inUse.Dependent != "access keys" || !errors.Is(err, meta.ErrConflict) {
		t.Errorf("DeleteUser with a key: %v", err)
	}
	if err := st.DeleteAccessKey(ctx(t), acct1, "robert", "AKIAUSERKEY000000001"); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteUser(ctx(t), acct1, "robert"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "GetUser after delete", func() error { _, err := st.GetUser(ctx(t), acct1, "robert"); return err }(), meta.ErrNotFound)
	wantErr(t, "DeleteUser missing", st.DeleteUser(ctx(t), acct1, "robert"), meta.ErrNotFound)
	wantErr(t, "UpdateUser missing", st.UpdateUser(ctx(t), acct1, "nobody", "x", ""), meta.ErrNotFound)
}

func testGroups(t *testing.T, s Suite) {
	st := iamStore(t, s)
	g := meta.Group{AccountID: acct1, Name: "Admins", ID: "AGPAAAAAAAAAAAAAAAAA1", Path: "/", ARN: "arn:aws:iam::" + acct1 + ":group/Admins", CreatedAt: epoch}
	if err := st.CreateGroup(ctx(t), g); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "duplicate group", st.CreateGroup(ctx(t), meta.Group{AccountID: acct1, Name: "admins", ID: "AGPAAAAAAAAAAAAAAAAA2", Path: "/", CreatedAt: epoch}), meta.ErrExists)
	if err := st.CreateGroup(ctx(t), meta.Group{AccountID: acct1, Name: "devs", ID: "AGPAAAAAAAAAAAAAAAAA3", Path: "/", CreatedAt: epoch}); err != nil {
		t.Fatal(err)
	}
	got, err := st.GetGroup(ctx(t), acct1, "ADMINS")
	if diff := cmp.Diff(g, got); err != nil || diff != "" {
		t.Errorf("GetGroup: %v (-want +got):\n%s", err, diff)
	}
	if err := st.CreateUser(ctx(t), newUser(acct1, "u1", "AIDAAAAAAAAAAAAAAAAA1")); err != nil {
		t.Fatal(err)
	}
	for range 2 { // adding twice is a no-op
		if err := st.AddUserToGroup(ctx(t), acct1, "admins", "U1", 1); err != nil {
			t.Fatal(err)
		}
	}
	wantErr(t, "second group over quota 1", st.AddUserToGroup(ctx(t), acct1, "devs", "u1", 1), meta.ErrLimitExceeded)
	wantErr(t, "missing user", st.AddUserToGroup(ctx(t), acct1, "devs", "nobody", 10), meta.ErrNotFound)
	members, err := st.ListGroupMembers(ctx(t), acct1, "admins", meta.Page{})
	if err != nil || len(members) != 1 || members[0].Name != "u1" {
		t.Errorf("ListGroupMembers = %v, %v", members, err)
	}
	groups, err := st.ListGroupsForUser(ctx(t), acct1, "u1", meta.Page{})
	if err != nil || len(groups) != 1 || groups[0].Name != "Admins" {
		t.Errorf("ListGroupsForUser = %v, %v", groups, err)
	}
	var inUse *meta.InUseError
	if err := st.DeleteGroup(ctx(t), acct1, "admins"); !errors.As(err, &inUse) || inUse.Dependent != "members" {
		t.Errorf("DeleteGroup with members: %v", err)
	}
	if err := st.DeleteUser(ctx(t), acct1, "u1"); !errors.As(err, &inUse) || inUse.Dependent != "groups" {
		t.Errorf("DeleteUser in a group: %v", err)
	}
	if err := st.RemoveUserFromGroup(ctx(t), acct1, "admins", "u1"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "remove a non-member", st.RemoveUserFromGroup(ctx(t), acct1, "admins", "u1"), meta.ErrNotFound)
	if err := st.DeleteGroup(ctx(t), acct1, "admins"); err != nil {
		t.Fatal(err)
	}
	all, err := st.ListGroups(ctx(t), acct1, meta.ListFilter{})
	if err != nil || len(all) != 1 || all[0].Name != "devs" {
		t.Errorf("ListGroups = %v, %v", all, err)
	}
}

func newRole(account, name, id string) meta.Role {
	return meta.Role{AccountID: account, Name: name, ID: id, Path: "/", ARN: "arn:aws:iam::" + account + ":role/" + name,
		TrustPolicy: `{"Statement":[]}`, MaxSessionDuration: 3600, CreatedAt: epoch}
}

func testRoles(t *testing.T, s Suite) {
	st := iamStore(t, s)
	r := newRole(acct1, "Deploy", "AROAAAAAAAAAAAAAAAAA1")
	r.Tags = []meta.Tag{{Key: "a", Value: "1"}}
	r.PermissionsBoundary = s3ReadRN
	nr := meta.NewRole{Role: r, InlinePolicies: []meta.InlinePolicy{{Name: "inline", Document: `{"i":1}`, Size: 7}}, AttachedPolicies: []string{adminARN}}
	if err := st.CreateRole(ctx(t), nr); err != nil {
		t.Fatal(err)
	}
	got, err := st.GetRole(ctx(t), acct1, "deploy")
	if diff := cmp.Diff(r, got); err != nil || diff != "" {
		t.Errorf("GetRole: %v (-want +got):\n%s", err, diff)
	}
	pp, err := st.RolePolicies(ctx(t), acct1, "deploy")
	if err != nil {
		t.Fatal(err)
	}
	if len(pp.Documents) != 2 || pp.Documents[0].Source != "role/Deploy/inline" || pp.Documents[1].Source != adminARN || pp.Boundary == nil || pp.Boundary.Source != s3ReadRN {
		t.Errorf("RolePolicies = %+v", pp)
	}
	// A role whose attached policy does not exist is not created at all.
	bad := meta.NewRole{Role: newRole(acct1, "bad", "AROAAAAAAAAAAAAAAAAA2"), AttachedPolicies: []string{"arn:aws:iam::aws:policy/Nope"}}
	wantErr(t, "CreateRole with a missing policy", st.CreateRole(ctx(t), bad), meta.ErrNotFound)
	wantErr(t, "half-created role", func() error { _, err := st.GetRole(ctx(t), acct1, "bad"); return err }(), meta.ErrNotFound)

	desc, dur, trust := "d", 7200, `{"new":1}`
	if err := st.UpdateRole(ctx(t), acct1, "DEPLOY", meta.RoleUpdate{Description: &desc, MaxSessionDuration: &dur, TrustPolicy: &trust}); err != nil {
		t.Fatal(err)
	}
	got, _ = st.GetRole(ctx(t), acct1, "deploy")
	if got.Description != desc || got.MaxSessionDuration != dur || got.TrustPolicy != trust {
		t.Errorf("after UpdateRole: %+v", got)
	}
	var inUse *meta.InUseError
	if err := st.DeleteRole(ctx(t), acct1, "deploy"); !errors.As(err, &inUse) || inUse.Dependent != "inline policies" {
		t.Errorf("DeleteRole with policies: %v", err)
	}
	ref := meta.EntityRef{Account: acct1, Type: meta.EntityRole, Name: "deploy"}
	if err := st.DeleteInlinePolicy(ctx(t), ref, "INLINE"); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteRole(ctx(t), acct1, "deploy"); !errors.As(err, &inUse) || inUse.Dependent != "attached policies" {
		t.Errorf("DeleteRole with an attachment: %v", err)
	}
	if err := st.DetachPolicy(ctx(t), ref, adminARN); err != nil {
		t.Fatal(err)
	}
	if err := st.SetPermissionsBoundary(ctx(t), ref, ""); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteRole(ctx(t), acct1, "deploy"); err != nil {
		t.Fatal(err)
	}
	roles, err := st.ListRoles(ctx(t), acct1, meta.ListFilter{})
	if err != nil || len(roles) != 0 {
		t.Errorf("ListRoles after delete = %v, %v", roles, err)
	}
}

func testAccessKeys(t *testing.T, s Suite) {
	st := iamStore(t, s)
	if err := st.CreateUser(ctx(t), newUser(acct1, "u", "AIDAAAAAAAAAAAAAAAAA1")); err != nil {
		t.Fatal(err)
	}
	key := func(id string) meta.AccessKey {
		return meta.AccessKey{ID: id, AccountID: acct1, UserName: "U", Secret: "s", Status: "Active", CreatedAt: epoch}
	}
	for _, id := range []string{"AKIAKEY0000000000002", "AKIAKEY0000000000001"} {
		if err := st.CreateAccessKey(ctx(t), key(id), 2); err != nil {
			t.Fatal(err)
		}
	}
	wantErr(t, "third key", st.CreateAccessKey(ctx(t), key("AKIAKEY0000000000003"), 2), meta.ErrLimitExceeded)
	wantErr(t, "key of a missing user", st.CreateAccessKey(ctx(t), meta.AccessKey{ID: "AKIAKEY0000000000004", AccountID: acct1, UserName: "nobody", Status: "Active"}, 2), meta.ErrNotFound)
	keys, err := st.ListAccessKeys(ctx(t), acct1, "u", meta.Page{})
	if err != nil || len(keys) != 2 || keys[0].ID != "AKIAKEY0000000000001" || keys[0].UserName != "u" {
		t.Fatalf("ListAccessKeys = %+v, %v", keys, err)
	}
	root, err := st.ListAccessKeys(ctx(t), acct1, "", meta.Page{})
	if err != nil || len(root) != 1 || root[0].ID != "AKIA"+acct1+"ROOT" {
		t.Errorf("root keys = %+v, %v", root, err)
	}
	before, _ := st.LastChange(ctx(t))
	if err := st.UpdateAccessKey(ctx(t), acct1, "u", "AKIAKEY0000000000001", "Inactive"); err != nil {
		t.Fatal(err)
	}
	changes, _ := st.Changes(ctx(t), before, 10)
	if len(changes) != 1 || changes[0].Topic != meta.TopicAccessKey || changes[0].Key != "AKIAKEY0000000000001" {
		t.Errorf("UpdateAccessKey recorded %v, want one accesskey change", changes)
	}
	k, _ := st.GetAccessKey(ctx(t), "AKIAKEY0000000000001")
	if k.Status != "Inactive" {
		t.Errorf("status after update = %q", k.Status)
	}
	wantErr(t, "update another user's key", st.UpdateAccessKey(ctx(t), acct1, "", "AKIAKEY0000000000001", "Active"), meta.ErrNotFound)
	wantErr(t, "delete a missing key", st.DeleteAccessKey(ctx(t), acct1, "u", "AKIAKEY0000000000009"), meta.ErrNotFound)
}

func testInlinePolicies(t *testing.T, s Suite) {
	st := iamStore(t, s)
	if err := st.CreateUser(ctx(t), newUser(acct1, "u", "AIDAAAAAAAAAAAAAAAAA1")); err != nil {
		t.Fatal(err)
	}
	ref := meta.EntityRef{Account: acct1, Type: meta.EntityUser, Name: "u"}
	put := func(name string, size int) error {
		return st.PutInlinePolicy(ctx(t), ref, meta.InlinePolicy{Name: name, Document: name, Size: size}, 100)
	}
	if err := put("a", 60); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "over the total", put("b", 41), meta.ErrLimitExceeded)
	if err := put("A", 90); err != nil { // replacing counts only the new size
		t.Fatalf("replace: %v", err)
	}
	if err := put("b", 10); err != nil {
		t.Fatal(err)
	}
	names, err := st.ListInlinePolicies(ctx(t), ref, meta.Page{})
	if diff := cmp.Diff([]string{"A", "b"}, names); err != nil || diff != "" {
		t.Errorf("ListInlinePolicies: %v (-want +got):\n%s", err, diff)
	}
	p, err := st.GetInlinePolicy(ctx(t), ref, "a")
	if err != nil || p != (meta.InlinePolicy{Name: "A", Document: "A", Size: 90}) {
		t.Errorf("GetInlinePolicy = %+v, %v", p, err)
	}
	wantErr(t, "delete missing", st.DeleteInlinePolicy(ctx(t), ref, "zzz"), meta.ErrNotFound)
	wantErr(t, "policy of a missing user", put2(st, t, "nobody"), meta.ErrNotFound)
}

func put2(st meta.Store, t *testing.T, user string) error {
	return st.PutInlinePolicy(ctx(t), meta.EntityRef{Account: acct1, Type: meta.EntityUser, Name: user}, meta.InlinePolicy{Name: "p", Document: "{}", Size: 2}, 100)
}

func testManagedPolicies(t *testing.T, s Suite) {
	st := iamStore(t, s)
	arn := "arn:aws:iam::" + acct1 + ":policy/team/p1"
	p := meta.ManagedPolicy{ARN: arn, AccountID: acct1, Name: "p1", ID: "ANPAAAAAAAAAAAAAAAAA1", Path: "/team/", Description: "d", CreatedAt: epoch, Tags: []meta.Tag{{Key: "k", Value: "v"}}}
	if err := st.CreatePolicy(ctx(t), p, `{"v":1}`); err != nil {
		t.Fatal(err)
	}
	dup := p
	dup.ARN, dup.ID, dup.Path = "arn:aws:iam::"+acct1+":policy/P1", "ANPAAAAAAAAAAAAAAAAA2", "/"
	wantErr(t, "same name, other path", st.CreatePolicy(ctx(t), dup, "{}"), meta.ErrExists)
	got, err := st.GetPolicy(ctx(t), acct1, arn)
	p.DefaultVersion, p.UpdatedAt = "v1", epoch
	if diff := cmp.Diff(p, got); err != nil || diff != "" {
		t.Errorf("GetPolicy: %v (-want +got):\n%s", err, diff)
	}
	later := epoch.Add(time.Hour)
	for i := 2; i <= 5; i++ {
		if _, err := st.CreatePolicyVersion(ctx(t), arn, `{"v":2}`, i == 3, 5, later); err != nil {
			t.Fatal(err)
		}
	}
	_, err = st.CreatePolicyVersion(ctx(t), arn, "{}", false, 5, later)
	wantErr(t, "sixth version", err, meta.ErrLimitExceeded)
	vs, err := st.ListPolicyVersions(ctx(t), arn)
	if err != nil || len(vs) != 5 || vs[0].VersionID != "v5" || !vs[2].IsDefault || vs[2].VersionID != "v3" {
		t.Fatalf("ListPolicyVersions = %+v, %v", vs, err)
	}
	var inUse *meta.InUseError
	if err := st.DeletePolicyVersion(ctx(t), arn, "v3"); !errors.As(err, &inUse) || inUse.Dependent != "default version" {
		t.Errorf("delete the default version: %v", err)
	}
	if err := st.SetDefaultPolicyVersion(ctx(t), arn, "v5", later); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "default to a missing version", st.SetDefaultPolicyVersion(ctx(t), arn, "v9", later), meta.ErrNotFound)
	doc, err := st.PolicyDocument(ctx(t), arn)
	if err != nil || doc != `{"v":2}` {
		t.Errorf("PolicyDocument = %q, %v", doc, err)
	}
	testAttachments(t, st, arn)
}

// testAttachments covers attachments, boundaries, the lists and what
// blocks DeletePolicy, on the customer managed policy arn.
func testAttachments(t *testing.T, st meta.Store, arn string) {
	var inUse *meta.InUseError
	// Attach to a user in acct1 and a role in acct2 (AWS managed policy).
	if err := st.CreateUser(ctx(t), newUser(acct1, "u", "AIDAAAAAAAAAAAAAAAAA1")); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateRole(ctx(t), meta.NewRole{Role: newRole(acct2, "r", "AROAAAAAAAAAAAAAAAAA1"), AttachedPolicies: []string{adminARN}}); err != nil {
		t.Fatal(err)
	}
	uref := meta.EntityRef{Account: acct1, Type: meta.EntityUser, Name: "u"}
	for _, a := range []string{arn, adminARN, arn} {
		if err := st.AttachPolicy(ctx(t), uref, a, 2); err != nil {
			t.Fatal(err)
		}
	}
	wantErr(t, "third attachment", st.AttachPolicy(ctx(t), uref, s3ReadRN, 2), meta.ErrLimitExceeded)
	if err := st.SetPermissionsBoundary(ctx(t), uref, arn); err != nil {
		t.Fatal(err)
	}
	admin, err := st.GetPolicy(ctx(t), acct1, adminARN)
	if err != nil || admin.AttachmentCount != 1 || admin.DefaultVersion != "v1" {
		t.Errorf("AdministratorAccess in acct1 = %+v, %v", admin, err)
	}
	mine, _ := st.GetPolicy(ctx(t), acct1, arn)
	if mine.AttachmentCount != 1 || mine.BoundaryUsageCount != 1 {
		t.Errorf("counts = %d attached, %d bounds", mine.AttachmentCount, mine.BoundaryUsageCount)
	}
	attached, err := st.ListAttachedPolicies(ctx(t), uref, "/team/", meta.Page{})
	if err != nil || len(attached) != 1 || attached[0] != (meta.AttachedPolicy{ARN: arn, Name: "p1"}) {
		t.Errorf("ListAttachedPolicies /team/ = %v, %v", attached, err)
	}
	ents, err := st.ListEntitiesForPolicy(ctx(t), acct1, arn, "", nil, "", meta.Page{})
	if err != nil || len(ents) != 1 || ents[0] != (meta.PolicyEntity{Type: meta.EntityUser, Name: "u", ID: "AIDAAAAAAAAAAAAAAAAA1"}) {
		t.Errorf("ListEntitiesForPolicy = %v, %v", ents, err)
	}
	ents, _ = st.ListEntitiesForPolicy(ctx(t), acct2, adminARN, "PermissionsPolicy", []meta.EntityType{meta.EntityRole}, "", meta.Page{})
	if len(ents) != 1 || ents[0].Name != "r" {
		t.Errorf("ListEntitiesForPolicy in acct2 = %v", ents)
	}
	testPolicyLists(t, st, arn)
	if err := st.DeletePolicy(ctx(t), arn); !errors.As(err, &inUse) || inUse.Dependent != "attachments" {
		t.Errorf("DeletePolicy while attached: %v", err)
	}
	if err := st.DetachPolicy(ctx(t), uref, arn); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "detach twice", st.DetachPolicy(ctx(t), uref, arn), meta.ErrNotFound)
	if err := st.DeletePolicy(ctx(t), arn); !errors.As(err, &inUse) || inUse.Dependent != "attachments" {
		t.Errorf("DeletePolicy while a boundary: %v", err)
	}
	if err := st.SetPermissionsBoundary(ctx(t), uref, ""); err != nil {
		t.Fatal(err)
	}
	if err := st.DeletePolicy(ctx(t), arn); !errors.As(err, &inUse) || inUse.Dependent != "versions" {
		t.Errorf("DeletePolicy with versions: %v", err)
	}
	for _, v := range []string{"v1", "v2", "v3", "v4"} {
		if err := st.DeletePolicyVersion(ctx(t), arn, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.DeletePolicy(ctx(t), arn); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "GetPolicy after delete", func() error { _, err := st.GetPolicy(ctx(t), acct1, arn); return err }(), meta.ErrNotFound)
}

func testPolicyLists(t *testing.T, st meta.Store, local string) {
	t.Helper()
	arns := func(f meta.PolicyFilter) []string {
		ps, err := st.ListPolicies(ctx(t), acct1, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range ps {
			out = append(out, p.ARN)
		}
		return out
	}
	aws := []string{adminARN, "arn:aws:iam::aws:policy/AmazonS3FullAccess", s3ReadRN}
	tests := []struct {
		name string
		f    meta.PolicyFilter
		want []string
	}{
		{"all", meta.PolicyFilter{}, append([]string{local}, aws...)},
		{"AWS", meta.PolicyFilter{Scope: "AWS"}, aws},
		{"Local", meta.PolicyFilter{Scope: "Local"}, []string{local}},
		{"attached", meta.PolicyFilter{OnlyAttached: true}, []string{local, adminARN}},
		{"boundaries", meta.PolicyFilter{OnlyAttached: true, Usage: "PermissionsBoundary"}, []string{local}},
		{"path", meta.PolicyFilter{PathPrefix: "/te"}, []string{local}},
		{"page", meta.PolicyFilter{Page: meta.Page{After: local, Limit: 1}}, []string{adminARN}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, arns(tt.f)); diff != "" {
			t.Errorf("ListPolicies %s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func testTags(t *testing.T, s Suite) {
	st := iamStore(t, s)
	if err := st.CreateUser(ctx(t), newUser(acct1, "u", "AIDAAAAAAAAAAAAAAAAA1")); err != nil {
		t.Fatal(err)
	}
	ref := meta.EntityRef{Account: acct1, Type: meta.EntityUser, Name: "u"}
	if err := st.TagResource(ctx(t), ref, []meta.Tag{{Key: "b", Value: "1"}, {Key: "A", Value: "2"}}, 3); err != nil {
		t.Fatal(err)
	}
	if err := st.TagResource(ctx(t), ref, []meta.Tag{{Key: "B", Value: "3"}}, 3); err != nil { // replaces b
		t.Fatal(err)
	}
	wantErr(t, "over the tag quota", st.TagResource(ctx(t), ref, []meta.Tag{{Key: "c"}, {Key: "d"}}, 3), meta.ErrLimitExceeded)
	if err := st.UntagResource(ctx(t), ref, []string{"a", "missing"}); err != nil {
		t.Fatal(err)
	}
	tags, err := st.ListTags(ctx(t), ref)
	if diff := cmp.Diff([]meta.Tag{{Key: "B", Value: "3"}}, tags); err != nil || diff != "" {
		t.Errorf("ListTags: %v (-want +got):\n%s", err, diff)
	}
	wantErr(t, "tags of a missing role", st.TagResource(ctx(t), meta.EntityRef{Account: acct1, Type: meta.EntityRole, Name: "u"}, nil, 3), meta.ErrNotFound)
}

func testOIDC(t *testing.T, s Suite) {
	st := iamStore(t, s)
	arn := "arn:aws:iam::" + acct1 + ":oidc-provider/idp.example.com/x"
	p := meta.OIDCProvider{ARN: arn, AccountID: acct1, URL: "idp.example.com/x", ClientIDs: []string{"app"}, Thumbprints: []string{}, CreatedAt: epoch, Tags: []meta.Tag{{Key: "grantd:jwks", Value: "{}"}}}
	if err := st.CreateOIDCProvider(ctx(t), p); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "duplicate provider", st.CreateOIDCProvider(ctx(t), p), meta.ErrExists)
	err := st.UpdateOIDCProvider(ctx(t), arn, func(p *meta.OIDCProvider) error {
		p.ClientIDs = append(p.ClientIDs, "cli")
		p.Thumbprints = []string{"0123456789012345678901234567890123456789"}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	wantErr(t, "failed update", st.UpdateOIDCProvider(ctx(t), arn, func(p *meta.OIDCProvider) error { p.ClientIDs = nil; return boom }), boom)
	got, err := st.GetOIDCProvider(ctx(t), arn)
	p.ClientIDs, p.Thumbprints = []string{"app", "cli"}, []string{"0123456789012345678901234567890123456789"}
	if diff := cmp.Diff(p, got); err != nil || diff != "" {
		t.Errorf("GetOIDCProvider: %v (-want +got):\n%s", err, diff)
	}
	list, err := st.ListOIDCProviders(ctx(t), acct1)
	if err != nil || len(list) != 1 {
		t.Errorf("ListOIDCProviders = %v, %v", list, err)
	}
	if err := st.DeleteOIDCProvider(ctx(t), arn); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "delete twice", st.DeleteOIDCProvider(ctx(t), arn), meta.ErrNotFound)
}
