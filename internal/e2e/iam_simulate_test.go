package e2e

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/apptest"
)

const simPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*"},
    {"Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::data/secret/*"},
    {"Sid": "FromOffice", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*",
     "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}
  ]
}`

type simCase struct {
	action, resource string
	context          []types.ContextEntry
	decision         types.PolicyEvaluationDecisionType
	matched          []types.Statement
	missing          []string
}

func stmt(id, typ string, l1, c1, l2, c2 int32) types.Statement {
	return types.Statement{SourcePolicyId: aws.String(id), SourcePolicyType: types.PolicySourceType(typ),
		StartPosition: &types.Position{Line: l1, Column: c1}, EndPosition: &types.Position{Line: l2, Column: c2}}
}

func TestIAMSimulateCustomPolicy(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := rootIAM(env)
	office := []types.ContextEntry{{ContextKeyName: aws.String("aws:SourceIp"), ContextKeyValues: []string{"203.0.113.9"}, ContextKeyType: types.ContextKeyTypeEnumIp}}
	elsewhere := []types.ContextEntry{{ContextKeyName: aws.String("aws:SourceIp"), ContextKeyValues: []string{"198.51.100.1"}, ContextKeyType: types.ContextKeyTypeEnumIp}}
	tests := []simCase{
		{"s3:GetObject", "arn:aws:s3:::data/a.txt", nil, types.PolicyEvaluationDecisionTypeAllowed,
			[]types.Statement{stmt("PolicyInputList.1", "IAM Policy", 4, 5, 4, 100)}, nil},
		{"s3:GetObject", "arn:aws:s3:::data/secret/k", nil, types.PolicyEvaluationDecisionTypeExplicitDeny,
			[]types.Statement{stmt("PolicyInputList.1", "IAM Policy", 5, 5, 5, 103)}, nil},
		{"s3:GetObject", "arn:aws:s3:::other/k", nil, types.PolicyEvaluationDecisionTypeImplicitDeny, nil, nil},
		{"s3:PutObject", "arn:aws:s3:::data/b", nil, types.PolicyEvaluationDecisionTypeImplicitDeny, nil, []string{"aws:SourceIp"}},
		{"s3:PutObject", "arn:aws:s3:::data/b", office, types.PolicyEvaluationDecisionTypeAllowed,
			[]types.Statement{stmt("PolicyInputList.1", "IAM Policy", 6, 5, 7, 69)}, nil},
		{"s3:PutObject", "arn:aws:s3:::data/b", elsewhere, types.PolicyEvaluationDecisionTypeImplicitDeny, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.action+" "+tt.resource, func(t *testing.T) {
			out := must(c.SimulateCustomPolicy(t.Context(), &iam.SimulateCustomPolicyInput{PolicyInputList: []string{simPolicy},
				ActionNames: []string{tt.action}, ResourceArns: []string{tt.resource}, ContextEntries: tt.context})).ok(t)
			if len(out.EvaluationResults) != 1 {
				t.Fatalf("%d results", len(out.EvaluationResults))
			}
			r := out.EvaluationResults[0]
			if r.EvalDecision != tt.decision || aws.ToString(r.EvalResourceName) != tt.resource {
				t.Errorf("decision = %s on %s, want %s", r.EvalDecision, aws.ToString(r.EvalResourceName), tt.decision)
			}
			if diff := cmp.Diff(tt.matched, r.MatchedStatements, cmp.AllowUnexported(types.Statement{}, types.Position{})); len(tt.matched)+len(r.MatchedStatements) > 0 && diff != "" {
				t.Errorf("MatchedStatements (-want +got):\n%s", diff)
			}
			if len(r.ResourceSpecificResults) != 1 || r.ResourceSpecificResults[0].EvalResourceDecision != tt.decision {
				t.Fatalf("ResourceSpecificResults = %+v", r.ResourceSpecificResults)
			}
			// With ResourceArns, missing keys are reported per resource.
			missing := r.ResourceSpecificResults[0].MissingContextValues
			if diff := cmp.Diff(tt.missing, missing); len(tt.missing)+len(missing) > 0 && diff != "" {
				t.Errorf("MissingContextValues (-want +got):\n%s", diff)
			}
			if len(r.MissingContextValues) != 0 {
				t.Errorf("top-level MissingContextValues = %v, want them per resource", r.MissingContextValues)
			}
		})
	}
	// Without resources every action is tried on "*"; results page.
	out := must(c.SimulateCustomPolicy(t.Context(), &iam.SimulateCustomPolicyInput{PolicyInputList: []string{allowAll},
		ActionNames: []string{"s3:GetObject", "iam:CreateRole", "sts:AssumeRole"}, MaxItems: aws.Int32(2)})).ok(t)
	if len(out.EvaluationResults) != 2 || !out.IsTruncated || aws.ToString(out.EvaluationResults[0].EvalResourceName) != "*" {
		t.Fatalf("page 1 = %+v", out)
	}
	rest := must(c.SimulateCustomPolicy(t.Context(), &iam.SimulateCustomPolicyInput{PolicyInputList: []string{allowAll},
		ActionNames: []string{"s3:GetObject", "iam:CreateRole", "sts:AssumeRole"}, Marker: out.Marker})).ok(t)
	if len(rest.EvaluationResults) != 1 || aws.ToString(rest.EvaluationResults[0].EvalActionName) != "sts:AssumeRole" {
		t.Errorf("page 2 = %+v", rest.EvaluationResults)
	}
	// A permissions boundary limits what the identity policy allows.
	b := must(c.SimulateCustomPolicy(t.Context(), &iam.SimulateCustomPolicyInput{PolicyInputList: []string{allowAll},
		PermissionsBoundaryPolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`},
		ActionNames:                        []string{"s3:GetObject", "iam:CreateRole"}})).ok(t)
	if b.EvaluationResults[0].EvalDecision != "allowed" || b.EvaluationResults[1].EvalDecision != "implicitDeny" ||
		b.EvaluationResults[1].PermissionsBoundaryDecisionDetail == nil || b.EvaluationResults[1].PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary {
		t.Errorf("boundary results = %+v", b.EvaluationResults)
	}
	_, err := c.SimulateCustomPolicy(t.Context(), &iam.SimulateCustomPolicyInput{PolicyInputList: []string{`{"Statement":[]}`}, ActionNames: []string{"s3:GetObject"}})
	wantAPIError(t, err, "InvalidInput", http.StatusBadRequest)
	testCrossAccountSimulation(t, c)
}

// testCrossAccountSimulation simulates access to another account's
// resource: both the caller's policies and the resource policy must allow.
func testCrossAccountSimulation(t *testing.T, c *iam.Client) {
	bucketPolicy := func(principal string) *string {
		return aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + principal +
			`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}]}`)
	}
	caller := "arn:aws:iam::" + apptest.Account + ":user/alice"
	tests := []struct {
		name     string
		policy   *string
		decision types.PolicyEvaluationDecisionType
		details  map[string]types.PolicyEvaluationDecisionType
	}{
		{"resource policy names the caller", bucketPolicy(caller), "allowed",
			map[string]types.PolicyEvaluationDecisionType{"IAM Policy": "allowed", "Resource Policy": "allowed"}},
		{"resource policy names someone else", bucketPolicy("arn:aws:iam::" + apptest.Account + ":user/bob"), "implicitDeny",
			map[string]types.PolicyEvaluationDecisionType{"IAM Policy": "allowed", "Resource Policy": "implicitDeny"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := must(c.SimulateCustomPolicy(t.Context(), &iam.SimulateCustomPolicyInput{PolicyInputList: []string{allowAll},
				ActionNames: []string{"s3:GetObject"}, ResourceArns: []string{"arn:aws:s3:::shared/k"}, ResourcePolicy: tt.policy,
				ResourceOwner: aws.String("arn:aws:iam::444455556666:root"), CallerArn: aws.String(caller)})).ok(t)
			r := out.EvaluationResults[0]
			if r.EvalDecision != tt.decision {
				t.Errorf("decision = %s, want %s", r.EvalDecision, tt.decision)
			}
			if diff := cmp.Diff(tt.details, r.EvalDecisionDetails); diff != "" {
				t.Errorf("EvalDecisionDetails (-want +got):\n%s", diff)
			}
		})
	}
	_, err := c.SimulateCustomPolicy(t.Context(), &iam.SimulateCustomPolicyInput{PolicyInputList: []string{allowAll},
		ActionNames: []string{"s3:GetObject"}, ResourcePolicy: bucketPolicy(caller)})
	wantAPIError(t, err, "InvalidInput", http.StatusBadRequest)
}

func TestIAMSimulatePrincipalPolicy(t *testing.T) {
	onBothStores(t, func(t *testing.T, env *apptest.Env) {
		ctx := t.Context()
		c := rootIAM(env)
		must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")})).ok(t)
		must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("g")})).ok(t)
		must(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("g"), UserName: aws.String("u")})).ok(t)
		must(c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("g"), PolicyName: aws.String("deny-iam"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}`)})).ok(t)
		must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")})).ok(t)
		out := must(c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
			PolicySourceArn: aws.String("arn:aws:iam::" + apptest.Account + ":user/u"),
			ActionNames:     []string{"s3:GetObject", "s3:PutObject", "iam:ListUsers"}})).ok(t)
		got := map[string]string{}
		sources := map[string]string{}
		for _, r := range out.EvaluationResults {
			got[aws.ToString(r.EvalActionName)] = string(r.EvalDecision)
			for _, m := range r.MatchedStatements {
				sources[aws.ToString(r.EvalActionName)] = aws.ToString(m.SourcePolicyId) + "/" + string(m.SourcePolicyType)
			}
		}
		want := map[string]string{"s3:GetObject": "allowed", "s3:PutObject": "implicitDeny", "iam:ListUsers": "explicitDeny"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("decisions (-want +got):\n%s", diff)
		}
		wantSources := map[string]string{"s3:GetObject": "AmazonS3ReadOnlyAccess/aws-managed", "iam:ListUsers": "deny-iam/group"}
		if diff := cmp.Diff(wantSources, sources); diff != "" {
			t.Errorf("matched sources (-want +got):\n%s", diff)
		}
		_, err := c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::" + apptest.Account + ":user/ghost"), ActionNames: []string{"s3:GetObject"}})
		wantAPIError(t, err, "NoSuchEntity", http.StatusNotFound)
	})
}

// TestIAMValidationErrors checks IAM's ValidationError wording for inputs
// the SDK sends but IAM rejects.
func TestIAMValidationErrors(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := rootIAM(env)
	ctx := t.Context()
	tests := []struct {
		name string
		call func() error
		msg  string
	}{
		{"user name too long", func() error {
			_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("a234567890123456789012345678901234567890123456789012345678901234x")})
			return err
		}, "1 validation error detected: Value 'a234567890123456789012345678901234567890123456789012345678901234x' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"two problems", func() error {
			_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("a b"), Path: aws.String("x")})
			return err
		}, `2 validation errors detected: Value 'x' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F); Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"max items zero", func() error {
			_, err := c.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(0)})
			return err
		}, "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"bad status", func() error {
			_, err := c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{AccessKeyId: aws.String("AKIAIOSFODNN7EXAMPLE"), Status: "Paused"})
			return err
		}, "1 validation error detected: Value 'Paused' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]"},
		{"bad marker", func() error {
			_, err := c.ListUsers(ctx, &iam.ListUsersInput{Marker: aws.String("!!!")})
			return err
		}, "Invalid Marker."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			wantAPIError(t, err, "ValidationError", http.StatusBadRequest)
			wantMessage(t, err, tt.msg)
		})
	}
	if n := env.App.Server.Panics(); n != 0 {
		t.Errorf("%d panics", n)
	}
}
