package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/grantd/grantd/internal/apptest"
)

// userClient creates an IAM user with the given inline policy (none when
// empty) and returns an IAM client signing with a new key of it.
func userClient(t *testing.T, env *apptest.Env, root *iam.Client, name, policy string) *iam.Client {
	t.Helper()
	ctx := t.Context()
	must(root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})).ok(t)
	if policy != "" {
		must(root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(policy)})).ok(t)
	}
	k := must(root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})).ok(t).AccessKey
	return iam.NewFromConfig(env.Config(aws.Credentials{AccessKeyID: aws.ToString(k.AccessKeyId), SecretAccessKey: aws.ToString(k.SecretAccessKey)}))
}

func TestIAMAuthorization(t *testing.T) {
	onBothStores(t, func(t *testing.T, env *apptest.Env) {
		ctx := t.Context()
		root := rootIAM(env)
		readOnly := userClient(t, env, root, "reader", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}`)
		create := &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trustRoot)}
		_, err := readOnly.CreateRole(ctx, create)
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
		wantMessage(t, err, "User: arn:aws:iam::"+apptest.Account+":user/reader is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::"+apptest.Account+":role/r because no identity-based policy allows the iam:CreateRole action")
		if _, err := readOnly.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("nope")}); !strings.Contains(errString(err), "NoSuchEntity") {
			t.Errorf("an allowed GetRole of a missing role: %v", err)
		}
		// Granting iam:CreateRole on the role's path lets the same user create it.
		must(root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("reader"), PolicyName: aws.String("roles"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateRole","Resource":"arn:aws:iam::*:role/r"}]}`)})).ok(t)
		must(readOnly.CreateRole(ctx, create)).ok(t)
		// An explicit deny wins over the root user's own boundary-less
		// grants only for IAM users; a user with no policy gets nothing.
		nothing := userClient(t, env, root, "nobody", "")
		_, err = nothing.ListUsers(ctx, &iam.ListUsersInput{})
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
		wantMessage(t, err, "User: arn:aws:iam::"+apptest.Account+":user/nobody is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::"+apptest.Account+":user/ because no identity-based policy allows the iam:ListUsers action")

		// The root user of another account acts in its own account only.
		other := iam.NewFromConfig(env.Config(env.NewAccount(t, "444455556666")))
		pol := must(root.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("mine"), PolicyDocument: aws.String(allowAll)})).ok(t).Policy
		_, err = other.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: pol.Arn})
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
		_, err = other.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: pol.Arn})
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
		_, err = other.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("reader")})
		wantAPIError(t, err, "NoSuchEntity", http.StatusNotFound)
		_, err = other.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::" + apptest.Account + ":user/reader"), ActionNames: []string{"s3:GetObject"}})
		wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
		_, err = other.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("x"), PolicyArn: pol.Arn})
		wantAPIError(t, err, "NoSuchEntity", http.StatusNotFound)
		if l := must(other.ListUsers(ctx, &iam.ListUsersInput{})).ok(t); len(l.Users) != 0 {
			t.Errorf("the other account sees users %+v", l.Users)
		}
		// Its root may still read AWS managed policies.
		must(other.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")})).ok(t)
	})
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// A JWKS with one EC key, as an OIDC provider publishes it.
const testJWKS = `{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}`

func TestIAMOpenIDConnectProviders(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ctx := t.Context()
	c := rootIAM(env)
	thumb := "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"
	out := must(c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://idp.example.com/realms/x"),
		ClientIDList: []string{"app"}, ThumbprintList: []string{thumb},
		Tags: []types.Tag{{Key: aws.String("grantd:jwks"), Value: aws.String(testJWKS)}}})).ok(t)
	arn := aws.ToString(out.OpenIDConnectProviderArn)
	if arn != "arn:aws:iam::"+apptest.Account+":oidc-provider/idp.example.com/realms/x" {
		t.Errorf("provider ARN = %s", arn)
	}
	_, err := c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://idp.example.com/realms/x")})
	wantAPIError(t, err, "EntityAlreadyExists", http.StatusConflict)
	_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("http://plain.example.com")})
	wantAPIError(t, err, "InvalidInput", http.StatusBadRequest)
	_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://bad.example.com"),
		Tags: []types.Tag{{Key: aws.String("grantd:jwks"), Value: aws.String(`{"nokeys":1}`)}}})
	wantAPIError(t, err, "InvalidInput", http.StatusBadRequest)

	must(c.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn), ClientID: aws.String("cli")})).ok(t)
	must(c.RemoveClientIDFromOpenIDConnectProvider(ctx, &iam.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn), ClientID: aws.String("app")})).ok(t)
	thumb2 := strings.Repeat("ab", 20)
	must(c.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: aws.String(arn), ThumbprintList: []string{thumb2}})).ok(t)
	got := must(c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})).ok(t)
	if aws.ToString(got.Url) != "idp.example.com/realms/x" || len(got.ClientIDList) != 1 || got.ClientIDList[0] != "cli" || got.ThumbprintList[0] != thumb2 {
		t.Errorf("GetOpenIDConnectProvider = %+v", got)
	}
	if len(got.Tags) != 1 || aws.ToString(got.Tags[0].Value) != testJWKS {
		t.Errorf("JWKS tag = %+v", got.Tags)
	}
	if l := must(c.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{})).ok(t).OpenIDConnectProviderList; len(l) != 1 || aws.ToString(l[0].Arn) != arn {
		t.Errorf("ListOpenIDConnectProviders = %+v", l)
	}
	// Keys rotate by tagging again; the tag can also be listed and removed.
	rotated := strings.Replace(testJWKS, `"kid":"k1"`, `"kid":"k2"`, 1)
	must(c.TagOpenIDConnectProvider(ctx, &iam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn),
		Tags: []types.Tag{{Key: aws.String("grantd:jwks"), Value: aws.String(rotated)}, {Key: aws.String("team"), Value: aws.String("id")}}})).ok(t)
	tags := must(c.ListOpenIDConnectProviderTags(ctx, &iam.ListOpenIDConnectProviderTagsInput{OpenIDConnectProviderArn: aws.String(arn)})).ok(t).Tags
	if len(tags) != 2 || aws.ToString(tags[0].Value) != rotated {
		t.Errorf("ListOpenIDConnectProviderTags = %+v", tags)
	}
	must(c.UntagOpenIDConnectProvider(ctx, &iam.UntagOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn), TagKeys: []string{"team"}})).ok(t)
	_, err = c.TagOpenIDConnectProvider(ctx, &iam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn),
		Tags: []types.Tag{{Key: aws.String("long"), Value: aws.String(strings.Repeat("v", 257))}}})
	wantAPIError(t, err, "ValidationError", http.StatusBadRequest)

	other := iam.NewFromConfig(env.Config(env.NewAccount(t, "444455556666")))
	_, err = other.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
	wantAPIError(t, err, "AccessDenied", http.StatusForbidden)
	// The JWKS tag is for providers only.
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")})).ok(t)
	_, err = c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("u"), Tags: []types.Tag{{Key: aws.String("grantd:jwks"), Value: aws.String(testJWKS)}}})
	wantAPIError(t, err, "InvalidInput", http.StatusBadRequest)
	must(c.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})).ok(t)
	_, err = c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)})
	wantAPIError(t, err, "NoSuchEntity", http.StatusNotFound)
}

func TestIAMAccountAuthorizationDetails(t *testing.T) {
	onBothStores(t, func(t *testing.T, env *apptest.Env) {
		ctx := t.Context()
		c := rootIAM(env)
		must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u1")})).ok(t)
		must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u2")})).ok(t)
		must(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u1"), PolicyName: aws.String("p"), PolicyDocument: aws.String(allowAll)})).ok(t)
		must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("g")})).ok(t)
		must(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("g"), UserName: aws.String("u1")})).ok(t)
		must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trustRoot)})).ok(t)
		must(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonS3FullAccess")})).ok(t)
		must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("local"), PolicyDocument: aws.String(allowAll)})).ok(t)

		full := must(c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{})).ok(t)
		if len(full.UserDetailList) != 2 || len(full.GroupDetailList) != 1 || len(full.RoleDetailList) != 1 || len(full.Policies) != 2 || full.IsTruncated {
			t.Fatalf("report sizes: %d users, %d groups, %d roles, %d policies", len(full.UserDetailList), len(full.GroupDetailList), len(full.RoleDetailList), len(full.Policies))
		}
		u1 := full.UserDetailList[0]
		if len(u1.UserPolicyList) != 1 || decodeDoc(t, u1.UserPolicyList[0].PolicyDocument) != allowAll || len(u1.GroupList) != 1 || u1.GroupList[0] != "g" {
			t.Errorf("u1 detail = %+v", u1)
		}
		if r := full.RoleDetailList[0]; len(r.AttachedManagedPolicies) != 1 || decodeDoc(t, r.AssumeRolePolicyDocument) != trustRoot {
			t.Errorf("role detail = %+v", r)
		}
		// Pages of two entries walk every section in order.
		var seen []string
		var marker *string
		for range 10 {
			page := must(c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(2), Marker: marker})).ok(t)
			for _, u := range page.UserDetailList {
				seen = append(seen, "user "+aws.ToString(u.UserName))
			}
			for _, g := range page.GroupDetailList {
				seen = append(seen, "group "+aws.ToString(g.GroupName))
			}
			for _, r := range page.RoleDetailList {
				seen = append(seen, "role "+aws.ToString(r.RoleName))
			}
			for _, p := range page.Policies {
				seen = append(seen, "policy "+aws.ToString(p.PolicyName))
			}
			if !page.IsTruncated {
				break
			}
			marker = page.Marker
		}
		want := "user u1,user u2,group g,role r,policy local,policy AmazonS3FullAccess"
		if got := strings.Join(seen, ","); got != want && got != "user u1,user u2,group g,role r,policy AmazonS3FullAccess,policy local" {
			t.Errorf("paged report = %s", got)
		}
		roles := must(c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{types.EntityTypeRole}})).ok(t)
		if len(roles.RoleDetailList) != 1 || len(roles.UserDetailList) != 0 || len(roles.Policies) != 0 {
			t.Errorf("Role filter = %+v", roles)
		}
	})
}
