package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/grantd/grantd/internal/apptest"
)

const trustRoot = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`

func TestIAMRoles(t *testing.T) {
	onBothStores(t, func(t *testing.T, env *apptest.Env) {
		ctx := t.Context()
		c := rootIAM(env)
		r := must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("deploy"), Path: aws.String("/ci/"),
			AssumeRolePolicyDocument: aws.String(trustRoot), Description: aws.String("CI deploys"), MaxSessionDuration: aws.Int32(7200),
			Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})).ok(t).Role
		if aws.ToString(r.Arn) != "arn:aws:iam::"+apptest.Account+":role/ci/deploy" || !strings.HasPrefix(aws.ToString(r.RoleId), "AROA") || aws.ToInt32(r.MaxSessionDuration) != 7200 {
			t.Errorf("CreateRole = %+v", r)
		}
		if got := decodeDoc(t, r.AssumeRolePolicyDocument); got != trustRoot {
			t.Errorf("trust policy round trip = %s", got)
		}
		testCreateRoleErrors(t, c)
		if _, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("x")}); err == nil {
			t.Error("a rejected role was created")
		}
		must(c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("deploy"), Description: aws.String("new"), MaxSessionDuration: aws.Int32(43200)})).ok(t)
		newTrust := strings.Replace(trustRoot, "111122223333:root", "111122223333:user/ci", 1)
		must(c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("deploy"), PolicyDocument: aws.String(newTrust)})).ok(t)
		got := must(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("Deploy")})).ok(t).Role
		if aws.ToString(got.Description) != "new" || aws.ToInt32(got.MaxSessionDuration) != 43200 || decodeDoc(t, got.AssumeRolePolicyDocument) != newTrust || len(got.Tags) != 1 {
			t.Errorf("GetRole after updates = %+v", got)
		}
		must(c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("deploy"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})).ok(t)
		must(c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String("deploy"), TagKeys: []string{"env"}})).ok(t)
		if tags := must(c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("deploy")})).ok(t).Tags; len(tags) != 1 || aws.ToString(tags[0].Key) != "k" {
			t.Errorf("ListRoleTags = %+v", tags)
		}
		must(c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("deploy"), PermissionsBoundary: aws.String("arn:aws:iam::aws:policy/AmazonS3FullAccess")})).ok(t)
		must(c.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("deploy")})).ok(t)
		roles := must(c.ListRoles(ctx, &iam.ListRolesInput{PathPrefix: aws.String("/ci/")})).ok(t).Roles
		if len(roles) != 1 || aws.ToString(roles[0].RoleName) != "deploy" {
			t.Errorf("ListRoles /ci/ = %+v", roles)
		}
		// Inline and attached policies block deletion until removed.
		must(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("deploy"), PolicyName: aws.String("p"), PolicyDocument: aws.String(allowAll)})).ok(t)
		_, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("deploy")})
		wantAPIError(t, err, "DeleteConflict", http.StatusConflict)
		wantMessage(t, err, "Cannot delete entity, must delete policies first.")
		if names := must(c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("deploy")})).ok(t).PolicyNames; len(names) != 1 || names[0] != "p" {
			t.Errorf("ListRolePolicies = %v", names)
		}
		must(c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("deploy"), PolicyName: aws.String("p")})).ok(t)
		must(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("deploy"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})).ok(t)
		_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("deploy")})
		wantMessage(t, err, "Cannot delete entity, must detach all policies first.")
		must(c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("deploy"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})).ok(t)
		must(c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("deploy")})).ok(t)
		_, err = c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("deploy")})
		wantAPIError(t, err, "NoSuchEntity", http.StatusNotFound)
		wantMessage(t, err, "The role with name deploy cannot be found.")
	})
}

// testCreateRoleErrors checks CreateRole's errors; a role named x is
// never created.
func testCreateRoleErrors(t *testing.T, c *iam.Client) {
	ctx := t.Context()
	tests := []struct {
		name   string
		in     iam.CreateRoleInput
		code   string
		status int
		msg    string
	}{
		{"identity policy as trust policy", iam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(allowAll)},
			"MalformedPolicyDocument", http.StatusBadRequest, "Missing required field Principal"},
		{"not JSON", iam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String("{")},
			"MalformedPolicyDocument", http.StatusBadRequest, "Syntax errors in policy."},
		{"session too short", iam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(trustRoot), MaxSessionDuration: aws.Int32(100)},
			"ValidationError", http.StatusBadRequest, "1 validation error detected: Value '100' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"},
		{"bad name", iam.CreateRoleInput{RoleName: aws.String("a b"), AssumeRolePolicyDocument: aws.String(trustRoot)},
			"ValidationError", http.StatusBadRequest, `1 validation error detected: Value 'a b' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"duplicate", iam.CreateRoleInput{RoleName: aws.String("DEPLOY"), AssumeRolePolicyDocument: aws.String(trustRoot)},
			"EntityAlreadyExists", http.StatusConflict, "Role with name DEPLOY already exists."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.CreateRole(ctx, &tt.in)
			wantAPIError(t, err, tt.code, tt.status)
			wantMessage(t, err, tt.msg)
		})
	}
}

func TestIAMInlinePolicies(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ctx := t.Context()
	c := rootIAM(env)
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")})).ok(t)
	must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("g")})).ok(t)
	pretty := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]\n}"
	must(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("read"), PolicyDocument: aws.String(pretty)})).ok(t)
	got := must(c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("READ")})).ok(t)
	if decodeDoc(t, got.PolicyDocument) != pretty || aws.ToString(got.PolicyName) != "read" || aws.ToString(got.UserName) != "u" {
		t.Errorf("GetUserPolicy = %+v (document %q)", got, decodeDoc(t, got.PolicyDocument))
	}
	must(c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("g"), PolicyName: aws.String("gp"), PolicyDocument: aws.String(allowAll)})).ok(t)
	if g := must(c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("g"), PolicyName: aws.String("gp")})).ok(t); aws.ToString(g.GroupName) != "g" {
		t.Errorf("GetGroupPolicy = %+v", g)
	}
	if l := must(c.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String("g")})).ok(t); len(l.PolicyNames) != 1 {
		t.Errorf("ListGroupPolicies = %+v", l.PolicyNames)
	}
	// 2,048 characters without whitespace per user: whitespace is free.
	big := func(n int) string {
		actions := make([]string, n)
		for i := range actions {
			actions[i] = fmt.Sprintf(`"s3:Get%04d"`, i)
		}
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[` + strings.Join(actions, ",       ") + `],"Resource":"*"}]}`
	}
	must(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("ws"), PolicyDocument: aws.String(big(100))})).ok(t)
	_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("big"), PolicyDocument: aws.String(big(150))})
	wantAPIError(t, err, "LimitExceeded", http.StatusConflict)
	wantMessage(t, err, "Maximum policy size of 2048 bytes exceeded for user u")
	must(c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("g"), PolicyName: aws.String("big"), PolicyDocument: aws.String(big(150))})).ok(t)
	names := must(c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("u"), MaxItems: aws.Int32(1)})).ok(t)
	if len(names.PolicyNames) != 1 || !names.IsTruncated {
		t.Errorf("ListUserPolicies page = %+v", names)
	}
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}`)})
	wantAPIError(t, err, "MalformedPolicyDocument", http.StatusBadRequest)
	wantMessage(t, err, "Policy statement must contain resources.")
	_, err = c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("nope")})
	wantAPIError(t, err, "NoSuchEntity", http.StatusNotFound)
	wantMessage(t, err, "The user policy with name nope cannot be found.")
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("nobody"), PolicyName: aws.String("p"), PolicyDocument: aws.String(allowAll)})
	wantAPIError(t, err, "NoSuchEntity", http.StatusNotFound)
	must(c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String("read")})).ok(t)
	must(c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("g"), PolicyName: aws.String("gp")})).ok(t)
	_, err = c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("g"), PolicyName: aws.String("gp")})
	wantAPIError(t, err, "NoSuchEntity", http.StatusNotFound)
	wantMessage(t, err, "The group policy with name gp cannot be found.")
	next := must(c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("u"), Marker: names.Marker})).ok(t)
	if next.IsTruncated || len(next.PolicyNames) != 1 || next.PolicyNames[0] != "ws" {
		t.Errorf("ListUserPolicies page 2 = %+v", next)
	}
}

func TestIAMManagedPolicies(t *testing.T) {
	onBothStores(t, func(t *testing.T, env *apptest.Env) {
		c := rootIAM(env)
		arn := testPolicyVersions(t, c)
		testPolicyAttachments(t, c, arn)
		testPolicyDeletion(t, c, arn)
	})
}

// testPolicyVersions covers AWS managed policies, CreatePolicy and versions; it returns the new policy's ARN.
func testPolicyVersions(t *testing.T, c *iam.Client) string {
	const admin = "arn:aws:iam::aws:policy/AdministratorAccess"
	ctx := t.Context()
	a := must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(admin)})).ok(t).Policy
	if aws.ToString(a.PolicyName) != "AdministratorAccess" || aws.ToString(a.DefaultVersionId) != "v1" || !a.IsAttachable {
		t.Errorf("AdministratorAccess = %+v", a)
	}
	v := must(c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(admin), VersionId: aws.String("v1")})).ok(t).PolicyVersion
	if doc := decodeDoc(t, v.Document); !strings.Contains(doc, `"Action" : "*"`) {
		t.Errorf("AdministratorAccess document = %s", doc)
	}

	p := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read"), Path: aws.String("/team/"), PolicyDocument: aws.String(allowAll),
		Description: aws.String("d"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})).ok(t).Policy
	arn := aws.ToString(p.Arn)
	if arn != "arn:aws:iam::"+apptest.Account+":policy/team/read" || !strings.HasPrefix(aws.ToString(p.PolicyId), "ANPA") {
		t.Errorf("CreatePolicy = %+v", p)
	}
	_, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("READ"), PolicyDocument: aws.String(allowAll)})
	wantAPIError(t, err, "EntityAlreadyExists", http.StatusConflict)
	for i := 2; i <= 5; i++ {
		must(c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(allowAll), SetAsDefault: i == 4})).ok(t)
	}
	_, err = c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(allowAll)})
	wantAPIError(t, err, "LimitExceeded", http.StatusConflict)
	if got := must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})).ok(t).Policy; aws.ToString(got.DefaultVersionId) != "v4" {
		t.Errorf("default version = %s", aws.ToString(got.DefaultVersionId))
	}
	_, err = c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v4")})
	wantAPIError(t, err, "DeleteConflict", http.StatusConflict)
	must(c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v1")})).ok(t)
	vs := must(c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn)})).ok(t).Versions
	if len(vs) != 5 || aws.ToString(vs[0].VersionId) != "v5" || !vs[4].IsDefaultVersion {
		t.Errorf("ListPolicyVersions = %+v", vs)
	}

	return arn
}

// testPolicyAttachments covers attaching, listing and counting.
func testPolicyAttachments(t *testing.T, c *iam.Client, arn string) {
	const admin = "arn:aws:iam::aws:policy/AdministratorAccess"
	ctx := t.Context()
	var err error
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")})).ok(t)
	must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("g")})).ok(t)
	must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String(arn)})).ok(t)
	must(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("g"), PolicyArn: aws.String(arn)})).ok(t)
	must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String(admin)})).ok(t)
	_, err = c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String("arn:aws:iam::aws:policy/Nope")})
	wantAPIError(t, err, "NoSuchEntity", http.StatusNotFound)
	wantMessage(t, err, "Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.")
	att := must(c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("u")})).ok(t).AttachedPolicies
	if len(att) != 2 {
		t.Errorf("ListAttachedUserPolicies = %+v", att)
	}
	if att := must(c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("g")})).ok(t).AttachedPolicies; len(att) != 1 || aws.ToString(att[0].PolicyName) != "read" {
		t.Errorf("ListAttachedGroupPolicies = %+v", att)
	}
	ents := must(c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(arn)})).ok(t)
	if len(ents.PolicyUsers) != 1 || len(ents.PolicyGroups) != 1 || len(ents.PolicyRoles) != 0 {
		t.Errorf("ListEntitiesForPolicy = %+v", ents)
	}
	if got := must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})).ok(t).Policy; aws.ToInt32(got.AttachmentCount) != 2 || len(got.Tags) != 1 {
		t.Errorf("GetPolicy counts = %+v", got)
	}
	local := must(c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal})).ok(t).Policies
	if len(local) != 1 || aws.ToString(local[0].Arn) != arn {
		t.Errorf("ListPolicies Local = %+v", local)
	}
	awsAttached := must(c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws, OnlyAttached: true})).ok(t).Policies
	if len(awsAttached) != 1 || aws.ToString(awsAttached[0].Arn) != admin {
		t.Errorf("ListPolicies AWS attached = %+v", awsAttached)
	}
	first := must(c.ListPolicies(ctx, &iam.ListPoliciesInput{MaxItems: aws.Int32(2)})).ok(t)
	rest := must(c.ListPolicies(ctx, &iam.ListPoliciesInput{MaxItems: aws.Int32(100), Marker: first.Marker})).ok(t)
	if len(first.Policies) != 2 || !first.IsTruncated || len(rest.Policies) != 2 || rest.IsTruncated {
		t.Errorf("ListPolicies pages: %d then %d", len(first.Policies), len(rest.Policies))
	}
}

// testPolicyDeletion covers what blocks DeletePolicy, and policy tags.
func testPolicyDeletion(t *testing.T, c *iam.Client, arn string) {
	const admin = "arn:aws:iam::aws:policy/AdministratorAccess"
	ctx := t.Context()
	var err error
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	wantAPIError(t, err, "DeleteConflict", http.StatusConflict)
	wantMessage(t, err, "Cannot delete a policy attached to entities.")
	must(c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String(arn)})).ok(t)
	must(c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("g"), PolicyArn: aws.String(arn)})).ok(t)
	_, err = c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("g"), PolicyArn: aws.String(arn)})
	wantAPIError(t, err, "NoSuchEntity", http.StatusNotFound)
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	wantAPIError(t, err, "DeleteConflict", http.StatusConflict)
	for _, v := range []string{"v2", "v3", "v4", "v5"} {
		must(c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String(v)})).ok(t)
	}
	must(c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String(arn), Tags: []types.Tag{{Key: aws.String("x"), Value: aws.String("y")}}})).ok(t)
	must(c.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: aws.String(arn), TagKeys: []string{"k"}})).ok(t)
	if tags := must(c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: aws.String(arn)})).ok(t).Tags; len(tags) != 1 || aws.ToString(tags[0].Key) != "x" {
		t.Errorf("ListPolicyTags = %+v", tags)
	}
	must(c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})).ok(t)
	_, err = c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
	wantAPIError(t, err, "NoSuchEntity", http.StatusNotFound)
	// AWS managed policies cannot be changed, even by root.
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(admin)})
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
	_, err = c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("not-an-arn-at-all-xyz")})
	wantAPIError(t, err, "InvalidInput", http.StatusBadRequest)
}

// TestIAMOrganizationAccountAccessRole: a new member account's role has the
// AWS managed AdministratorAccess policy attached, as Organizations does.
func TestIAMOrganizationAccountAccessRole(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	member := iam.NewFromConfig(env.Config(env.NewAccount(t, "444455556666")))
	att := must(member.ListAttachedRolePolicies(t.Context(), &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("OrganizationAccountAccessRole")})).ok(t).AttachedPolicies
	if len(att) != 1 || aws.ToString(att[0].PolicyArn) != "arn:aws:iam::aws:policy/AdministratorAccess" {
		t.Errorf("OrganizationAccountAccessRole policies = %+v", att)
	}
}
