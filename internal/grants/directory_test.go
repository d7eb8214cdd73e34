package grants

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/sessiontoken"
)

// groupsOf is a directory that knows one user's groups.
type groupsOf map[string][]string

func (d groupsOf) UserGroups(_ context.Context, _, user string) ([]string, error) {
	return d[user], nil
}

// assumeRecorder vends nothing: it keeps what GetDataAccess asked STS.
type assumeRecorder struct{ got AssumeInput }

func (a *assumeRecorder) AssumeRole(_ context.Context, in AssumeInput) (Credentials, error) {
	a.got = in
	return Credentials{AccessKeyID: "ASIA", Expiration: time.Now().Add(in.Duration)}, nil
}

// TestDirectoryIdentity checks matching for an identity-enhanced session
// (one carrying a directory user): the role's IAM grants, the user's and
// its groups' grants are all candidates, the most specific wins, and a
// directory grant is vended with the session's identity context
// (sts:SetContext) instead of a source identity.
func TestDirectoryIdentity(t *testing.T) {
	const role = "arn:aws:iam::444455556666:role/app"
	rec := &assumeRecorder{}
	s := New(Options{Directory: groupsOf{"user-1": {"group-1"}}, Assumer: rec})
	ctxs := []sessiontoken.ProvidedContext{{ProviderARN: "arn:aws:iam::aws:contextProvider/IdentityCenter", ContextAssertion: "assertion"}}
	caller := &auth.Caller{Kind: auth.AssumedRole, Account: "444455556666", RoleARN: role, Name: "app",
		Session: &sessiontoken.Claims{DirectoryUserID: "user-1", IdentityStoreARN: "arn:aws:identitystore::444455556666:identitystore/d-1", ProvidedContexts: ctxs}}
	ctx := auth.WithRequest(context.Background(), &auth.Request{Caller: caller, Region: "us-east-2"})

	id, err := s.identify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{granteeKey(GranteeIAM, role), granteeKey(GranteeDirectoryUser, "user-1"), granteeKey(GranteeDirectoryGroup, "group-1")}
	if diff := cmp.Diff(want, id.keys); diff != "" {
		t.Fatalf("grantee keys (-want +got):\n%s", diff)
	}

	ix := newInstanceIndex("111122223333", "us-east-2")
	ix.locations["default"] = meta.GrantsLocation{ID: "default", Scope: "s3://", IAMRoleARN: "arn:aws:iam::111122223333:role/loc"}
	put := func(id, typ, who, scope string) {
		ix.putGrant(meta.AccessGrant{ID: id, LocationID: "default", GranteeType: typ, GranteeIdentifier: who, Permission: PermissionRead, GrantScope: scope})
	}
	put("iam", GranteeIAM, role, "s3://bkt/*")
	put("user", GranteeDirectoryUser, "user-1", "s3://bkt/a*")
	put("group", GranteeDirectoryGroup, "group-1", "s3://bkt/a/b*")
	put("other", GranteeDirectoryUser, "user-2", "s3://bkt/a/b/c*")
	for target, wantID := range map[string]string{"s3://bkt/a/b/c": "group", "s3://bkt/a/x": "user", "s3://bkt/z": "iam"} {
		tg, _ := parseTarget(target, "")
		if m := ix.find(id.keys, tg.scope, PermissionRead, ""); m == nil || m.e.id != wantID {
			t.Errorf("%s matched %+v, want grant %s", target, m, wantID)
		}
	}

	tg, _ := parseTarget("s3://bkt/a/b/c", "")
	m := ix.find(id.keys, tg.scope, PermissionRead, "")
	out, err := s.vend(ctx, ix, m, id, tg, DataAccessInput{Permission: PermissionRead}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if out.GranteeType != GranteeDirectoryGroup || out.GranteeIdentifier != "group-1" || rec.got.SourceIdentity != "" ||
		rec.got.DirectoryUserID != "user-1" || len(rec.got.ProvidedContexts) != 1 || rec.got.GrantARN != GrantARN("us-east-2", "111122223333", "group") {
		t.Errorf("vend = %+v, assume input %+v", out, rec.got)
	}
	// The IAM grant is vended with the role's name as source identity.
	tg, _ = parseTarget("s3://bkt/z", "")
	if _, err := s.vend(ctx, ix, ix.find(id.keys, tg.scope, PermissionRead, ""), id, tg, DataAccessInput{Permission: PermissionRead}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if rec.got.SourceIdentity != "app" || rec.got.ProvidedContexts != nil {
		t.Errorf("IAM grant assume input %+v", rec.got)
	}
}
