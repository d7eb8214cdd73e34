package e2e

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/apptest"
)

// onBothStores runs fn against a node on SQLite and one on PostgreSQL.
func onBothStores(t *testing.T, fn func(t *testing.T, env *apptest.Env)) {
	for _, pg := range []bool{false, true} {
		name := map[bool]string{false: "SQLite", true: "PostgreSQL"}[pg]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, apptest.Options{Postgres: pg})
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("node logs:\n%s", env.Logs.String())
				}
			})
			fn(t, env)
		})
	}
}

func rootIAM(env *apptest.Env) *iam.Client { return iam.NewFromConfig(env.Config(env.Root())) }

// result holds a call's value and error until a test checks it:
// must(client.Call(ctx, in)).ok(t).
type result[T any] struct {
	v   T
	err error
}

func must[T any](v T, err error) result[T] { return result[T]{v, err} }

// ok fails t on the error and returns the value.
func (r result[T]) ok(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}

// wantMessage fails t unless err's message is msg.
func wantMessage(t *testing.T, err error, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want an API error", err)
	}
	if ae.ErrorMessage() != msg {
		t.Errorf("message = %q, want %q", ae.ErrorMessage(), msg)
	}
}

func decodeDoc(t *testing.T, s *string) string {
	t.Helper()
	d, err := url.QueryUnescape(aws.ToString(s))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

const allowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

func TestIAMUsersAndGroups(t *testing.T) {
	onBothStores(t, func(t *testing.T, env *apptest.Env) {
		c := rootIAM(env)
		testUsers(t, c)
		testGroups(t, c)
		testUserTagsAndBoundary(t, c)
	})
}

// testUsers covers CreateUser, GetUser (also of the root caller), paged ListUsers and UpdateUser.
func testUsers(t *testing.T, c *iam.Client) {
	ctx := t.Context()
	var err error
	created := must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("Alice"), Path: aws.String("/eng/"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}}})).ok(t)
	u := created.User
	if aws.ToString(u.Arn) != "arn:aws:iam::"+apptest.Account+":user/eng/Alice" || !strings.HasPrefix(aws.ToString(u.UserId), "AIDA") || len(aws.ToString(u.UserId)) != 21 {
		t.Errorf("CreateUser = %+v", u)
	}
	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")})
	wantAPIError(t, err, "EntityAlreadyExists", http.StatusConflict)
	wantMessage(t, err, "User with name alice already exists.")

	got := must(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ALICE")})).ok(t).User
	if aws.ToString(got.UserName) != "Alice" || len(got.Tags) != 1 || aws.ToString(got.Tags[0].Value) != "core" {
		t.Errorf("GetUser = %+v", got)
	}
	self := must(c.GetUser(ctx, &iam.GetUserInput{})).ok(t).User
	if aws.ToString(self.Arn) != "arn:aws:iam::"+apptest.Account+":root" || aws.ToString(self.UserId) != apptest.Account || self.UserName != nil {
		t.Errorf("GetUser of root = %+v", self)
	}
	_, err = c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
	wantAPIError(t, err, "NoSuchEntity", http.StatusNotFound)
	wantMessage(t, err, "The user with name nobody cannot be found.")

	for _, n := range []string{"bob", "carol", "dave"} {
		must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(n)})).ok(t)
	}
	if diff := cmp.Diff([]string{"Alice", "bob", "carol", "dave"}, listAllUsers(t, c, 1)); diff != "" {
		t.Errorf("paged ListUsers (-want +got):\n%s", diff)
	}
	eng := must(c.ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/eng/")})).ok(t)
	if len(eng.Users) != 1 || eng.IsTruncated {
		t.Errorf("ListUsers /eng/ = %+v", eng)
	}
	must(c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("dave"), NewUserName: aws.String("david"), NewPath: aws.String("/ops/")})).ok(t)
	if u := must(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("david")})).ok(t).User; aws.ToString(u.Path) != "/ops/" {
		t.Errorf("after UpdateUser: %+v", u)
	}
}

// testGroups covers groups, membership and the deletes they block.
func testGroups(t *testing.T, c *iam.Client) {
	ctx := t.Context()
	var err error
	g := must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")})).ok(t).Group
	if !strings.HasPrefix(aws.ToString(g.GroupId), "AGPA") {
		t.Errorf("group ID %q", aws.ToString(g.GroupId))
	}
	for _, n := range []string{"bob", "carol"} {
		must(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String(n)})).ok(t)
	}
	gg := must(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("devs"), MaxItems: aws.Int32(1)})).ok(t)
	if len(gg.Users) != 1 || !gg.IsTruncated || gg.Marker == nil {
		t.Errorf("GetGroup page 1 = %+v", gg)
	}
	gg2 := must(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("devs"), Marker: gg.Marker})).ok(t)
	if len(gg2.Users) != 1 || aws.ToString(gg2.Users[0].UserName) != "carol" || gg2.IsTruncated {
		t.Errorf("GetGroup page 2 = %+v", gg2)
	}
	lg := must(c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("bob")})).ok(t)
	if len(lg.Groups) != 1 {
		t.Errorf("ListGroupsForUser = %+v", lg.Groups)
	}
	if l := must(c.ListGroups(ctx, &iam.ListGroupsInput{})).ok(t); len(l.Groups) != 1 {
		t.Errorf("ListGroups = %+v", l.Groups)
	}
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bob")})
	wantAPIError(t, err, "DeleteConflict", http.StatusConflict)
	_, err = c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("devs")})
	wantAPIError(t, err, "DeleteConflict", http.StatusConflict)
	wantMessage(t, err, "Cannot delete entity, must remove users from group first.")
	for _, n := range []string{"bob", "carol"} {
		must(c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("devs"), UserName: aws.String(n)})).ok(t)
	}
	must(c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("devs")})).ok(t)
	must(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bob")})).ok(t)
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bob")})
	wantAPIError(t, err, "NoSuchEntity", http.StatusNotFound)
}

// testUserTagsAndBoundary covers user tags and permissions boundaries.
func testUserTagsAndBoundary(t *testing.T, c *iam.Client) {
	ctx := t.Context()
	var err error
	// Tags and boundaries.
	must(c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("carol"), Tags: []types.Tag{{Key: aws.String("b"), Value: aws.String("2")}, {Key: aws.String("a"), Value: aws.String("1")}}})).ok(t)
	must(c.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("carol"), TagKeys: []string{"b"}})).ok(t)
	tags := must(c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("carol")})).ok(t).Tags
	if len(tags) != 1 || aws.ToString(tags[0].Key) != "a" {
		t.Errorf("ListUserTags = %+v", tags)
	}
	_, err = c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("carol"), Tags: []types.Tag{{Key: aws.String("x"), Value: aws.String("1")}, {Key: aws.String("X"), Value: aws.String("2")}}})
	wantAPIError(t, err, "InvalidInput", http.StatusBadRequest)
	s3read := "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
	must(c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("carol"), PermissionsBoundary: aws.String(s3read)})).ok(t)
	if u := must(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("carol")})).ok(t).User; u.PermissionsBoundary == nil || aws.ToString(u.PermissionsBoundary.PermissionsBoundaryArn) != s3read {
		t.Errorf("boundary not set: %+v", u.PermissionsBoundary)
	}
	_, err = c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("carol"), PermissionsBoundary: aws.String("arn:aws:iam::aws:policy/Nope")})
	wantAPIError(t, err, "NoSuchEntity", http.StatusNotFound)
	must(c.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("carol")})).ok(t)
}

func listAllUsers(t *testing.T, c *iam.Client, pageSize int32) []string {
	t.Helper()
	var names []string
	var marker *string
	for range 20 {
		out := must(c.ListUsers(t.Context(), &iam.ListUsersInput{MaxItems: aws.Int32(pageSize), Marker: marker})).ok(t)
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.UserName))
		}
		if !out.IsTruncated {
			return names
		}
		marker = out.Marker
	}
	t.Fatal("ListUsers never stopped")
	return nil
}

func TestIAMAccessKeys(t *testing.T) {
	onBothStores(t, func(t *testing.T, env *apptest.Env) {
		ctx := t.Context()
		c := rootIAM(env)
		must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ci")})).ok(t)
		k1 := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ci")})).ok(t).AccessKey
		k2 := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ci")})).ok(t).AccessKey
		if !strings.HasPrefix(aws.ToString(k1.AccessKeyId), "AKIA") || len(aws.ToString(k1.SecretAccessKey)) != 40 || k1.Status != types.StatusTypeActive {
			t.Errorf("CreateAccessKey = %+v", k1)
		}
		_, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ci")})
		wantAPIError(t, err, "LimitExceeded", http.StatusConflict)
		wantMessage(t, err, "Cannot exceed quota for AccessKeysPerUser: 2")

		creds := aws.Credentials{AccessKeyID: aws.ToString(k1.AccessKeyId), SecretAccessKey: aws.ToString(k1.SecretAccessKey)}
		id := must(sts.NewFromConfig(env.Config(creds)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})).ok(t)
		if aws.ToString(id.Arn) != "arn:aws:iam::"+apptest.Account+":user/ci" {
			t.Errorf("key authenticates as %s", aws.ToString(id.Arn))
		}
		keys := must(c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("ci")})).ok(t).AccessKeyMetadata
		if len(keys) != 2 {
			t.Errorf("ListAccessKeys = %+v", keys)
		}
		last := must(c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k2.AccessKeyId})).ok(t)
		if aws.ToString(last.UserName) != "ci" || aws.ToString(last.AccessKeyLastUsed.ServiceName) != "N/A" {
			t.Errorf("GetAccessKeyLastUsed = %+v %+v", last, last.AccessKeyLastUsed)
		}
		// Deactivating a key fails its next request at once.
		must(c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: k1.AccessKeyId, Status: types.StatusTypeInactive})).ok(t)
		_, err = sts.NewFromConfig(env.Config(creds)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantAPIError(t, err, "InvalidClientTokenId", http.StatusForbidden)

		_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("ci")})
		wantAPIError(t, err, "DeleteConflict", http.StatusConflict)
		wantMessage(t, err, "Cannot delete entity, must delete access keys first.")
		for _, k := range []*string{k1.AccessKeyId, k2.AccessKeyId} {
			must(c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: k})).ok(t)
		}
		_, err = c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: k1.AccessKeyId})
		wantAPIError(t, err, "NoSuchEntity", http.StatusNotFound)
		must(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("ci")})).ok(t)

		// A user may manage its own keys without naming itself.
		must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("self")})).ok(t)
		must(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("self"), PolicyName: aws.String("all"), PolicyDocument: aws.String(allowAll)})).ok(t)
		sk := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("self")})).ok(t).AccessKey
		self := iam.NewFromConfig(env.Config(aws.Credentials{AccessKeyID: aws.ToString(sk.AccessKeyId), SecretAccessKey: aws.ToString(sk.SecretAccessKey)}))
		own := must(self.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})).ok(t)
		if len(own.AccessKeyMetadata) != 1 || aws.ToString(own.AccessKeyMetadata[0].UserName) != "self" {
			t.Errorf("ListAccessKeys of the caller = %+v", own.AccessKeyMetadata)
		}
		if u := must(self.GetUser(ctx, &iam.GetUserInput{})).ok(t).User; aws.ToString(u.UserName) != "self" {
			t.Errorf("GetUser of the caller = %+v", u)
		}
	})
}
