package policy_test

import (
	"strings"
	"testing"

	"github.com/grantd/grantd/internal/policy"
)

// A corpus of the worked examples and stated rules of the IAM User Guide,
// run through policy.Decide. Each case names the rule and the page it comes
// from; where the page gives policies, they are used as written (account IDs
// aside). The differential test checks random combinations against an
// independent implementation; this table pins what the documentation states
// outright, including the combinations the engine's own tests do not spell
// out (the Carlos, Shirley, Zhang and Nikhil examples, session policies with
// resource policies naming roles or sessions, GetFederationToken sessions,
// Principal "*" with aws:PrincipalArn, policy variables with no value).

const (
	docEvalLogic     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
	docCrossAccount  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html"
	docBoundaries    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html"
	docSession       = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session"
	docFederation    = "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html"
	docPrincipal     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"
	docNotPrincipal  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html"
	docVariables     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value"
	docConditionOps  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
	docDenyAllowFlow = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html"
)

// Policies quoted from the pages above.
const (
	// Single-account example ("Example identity-based and resource-based
	// policy evaluation").
	carlosIdentity = `{"Version":"2012-10-17","Statement":[
		{"Sid":"AllowS3ListRead","Effect":"Allow","Action":["s3:GetBucketLocation","s3:GetAccountPublicAccessBlock","s3:ListAccessPoints","s3:ListAllMyBuckets"],"Resource":"arn:aws:s3:::*"},
		{"Sid":"AllowS3Self","Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::carlossalazar/*","arn:aws:s3:::carlossalazar"]},
		{"Sid":"DenyS3Logs","Effect":"Deny","Action":"s3:*","Resource":["arn:aws:s3:::*log*","arn:aws:s3:::*log*/*"]}]}`
	carlosBucket = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Principal":{"AWS":"arn:aws:iam::111122223333:user/carlossalazar"},"Resource":"*"}]}`
	// Cross-account example ("Example cross-account policy evaluation").
	carlosXIdentity = `{"Version":"2012-10-17","Statement":[
		{"Sid":"AllowS3ListRead","Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"},
		{"Sid":"AllowS3ProductionObjectActions","Effect":"Allow","Action":"s3:*Object*","Resource":"arn:aws:s3:::Production/*"},
		{"Sid":"DenyS3Logs","Effect":"Deny","Action":"s3:*","Resource":["arn:aws:s3:::*log*","arn:aws:s3:::*log*/*"]}]}`
	carlosXBucket = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject*","s3:PutObject*","s3:ReplicateObject","s3:RestoreObject"],"Principal":{"AWS":"arn:aws:iam::111111111111:user/carlossalazar"},"Resource":"arn:aws:s3:::Production/*"}]}`
	// Permissions boundaries: Shirley, Zhang and Nikhil.
	shirleyBoundary = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","cloudwatch:*","ec2:*"],"Resource":"*"}]}`
	shirleyIdentity = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*"}}`
	xCompanyBounds  = `{"Version":"2012-10-17","Statement":[
		{"Sid":"ServiceBoundaries","Effect":"Allow","Action":["s3:*","cloudwatch:*","ec2:*","dynamodb:*"],"Resource":"*"},
		{"Sid":"AllowIAMConsoleForCredentials","Effect":"Allow","Action":["iam:ListUsers","iam:GetAccountPasswordPolicy"],"Resource":"*"},
		{"Sid":"AllowManageOwnPasswordAndAccessKeys","Effect":"Allow","Action":["iam:*AccessKey*","iam:ChangePassword","iam:GetUser","iam:*ServiceSpecificCredential*","iam:*SigningCertificate*"],"Resource":["arn:aws:iam::*:user/${aws:username}"]},
		{"Sid":"DenyS3Logs","Effect":"Deny","Action":"s3:*","Resource":["arn:aws:s3:::logs","arn:aws:s3:::logs/*"]},
		{"Sid":"DenyEC2Production","Effect":"Deny","Action":"ec2:*","Resource":"arn:aws:ec2:*:*:instance/i-1234567890abcdef0"}]}`
	zhangBoundary = `{"Version":"2012-10-17","Statement":[
		{"Sid":"CreateOrChangeOnlyWithBoundary","Effect":"Allow","Action":["iam:CreateUser","iam:DeleteUserPolicy","iam:AttachUserPolicy","iam:DetachUserPolicy","iam:PutUserPermissionsBoundary"],"Resource":"*","Condition":{"StringEquals":{"iam:PermissionsBoundary":"arn:aws:iam::111122223333:policy/XCompanyBoundaries"}}},
		{"Sid":"CloudWatchAndOtherIAMTasks","Effect":"Allow","Action":["cloudwatch:*","iam:GetUser","iam:ListUsers","iam:DeleteUser","iam:UpdateUser","iam:CreateAccessKey","iam:CreateLoginProfile","iam:GetAccountPasswordPolicy","iam:GetLoginProfile","iam:*Group*","iam:CreatePolicy","iam:DeletePolicy","iam:DeletePolicyVersion","iam:GetPolicy","iam:GetPolicyVersion","iam:GetUserPolicy","iam:GetRolePolicy","iam:ListPolicies","iam:ListPolicyVersions","iam:ListEntitiesForPolicy","iam:ListUserPolicies","iam:ListAttachedUserPolicies","iam:ListRolePolicies","iam:ListAttachedRolePolicies","iam:PutUserPolicy","iam:SetDefaultPolicyVersion","iam:SimulatePrincipalPolicy","iam:SimulateCustomPolicy"],"Resource":"*"},
		{"Sid":"NoBoundaryPolicyEdit","Effect":"Deny","Action":["iam:CreatePolicyVersion","iam:DeletePolicy","iam:DeletePolicyVersion","iam:SetDefaultPolicyVersion"],"Resource":["arn:aws:iam::111122223333:policy/XCompanyBoundaries","arn:aws:iam::111122223333:policy/DelegatedUserBoundary"]},
		{"Sid":"NoBoundaryUserDelete","Effect":"Deny","Action":"iam:DeleteUserPermissionsBoundary","Resource":"*"}]}`
	zhangIdentity = `{"Version":"2012-10-17","Statement":[
		{"Sid":"IAM","Effect":"Allow","Action":"iam:*","Resource":"*"},
		{"Sid":"CloudWatchLimited","Effect":"Allow","Action":["cloudwatch:GetDashboard","cloudwatch:GetMetricData","cloudwatch:ListDashboards","cloudwatch:GetMetricStatistics","cloudwatch:ListMetrics"],"Resource":"*"},
		{"Sid":"S3BucketContents","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::ZhangBucket"}]}`
	// Nikhil's IAMFullAccess and AmazonS3ReadOnlyAccess (their Allow
	// statements, as in the AWS managed policies).
	nikhilIdentity = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"},{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}`
	nikhilInstance = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/Nikhil"},"Action":["ec2:StartInstances","ec2:StopInstances"],"Resource":"*"}]}`
)

// Small documents for the rule-by-rule cases.
const (
	allowAll       = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	allowS3        = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	allowGet       = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	allowSQS       = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}`
	denyGet        = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}`
	bucketPolicyFn = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":PRINCIPAL,"Action":"s3:GetObject","Resource":"arn:aws:s3:::b1/*"}]}`
)

func bucketFor(principal string) string {
	return strings.ReplaceAll(bucketPolicyFn, "PRINCIPAL", principal)
}

// Callers of the documentation examples.
var (
	carlos      = &policy.Principal{Type: policy.User, Account: acctA, ARN: "arn:aws:iam::111122223333:user/carlossalazar"}
	carlosX     = &policy.Principal{Type: policy.User, Account: "111111111111", ARN: "arn:aws:iam::111111111111:user/carlossalazar"}
	shirley     = &policy.Principal{Type: policy.User, Account: acctA, ARN: "arn:aws:iam::111122223333:user/ShirleyRodriguez"}
	zhang       = &policy.Principal{Type: policy.User, Account: acctA, ARN: "arn:aws:iam::111122223333:user/Zhang"}
	nikhil      = &policy.Principal{Type: policy.User, Account: acctA, ARN: "arn:aws:iam::111122223333:user/Nikhil"}
	docAlice    = &policy.Principal{Type: policy.User, Account: acctA, ARN: "arn:aws:iam::111122223333:user/alice"}
	docBob      = &policy.Principal{Type: policy.User, Account: acctB, ARN: "arn:aws:iam::444455556666:user/Bob"}
	docEve      = &policy.Principal{Type: policy.User, Account: acctB, ARN: "arn:aws:iam::444455556666:user/Eve"}
	devSession  = &policy.Principal{Type: policy.AssumedRole, Account: acctA, ARN: "arn:aws:sts::111122223333:assumed-role/dev/s1", RoleARN: "arn:aws:iam::111122223333:role/dev"}
	auditApp    = &policy.Principal{Type: policy.AssumedRole, Account: acctB, ARN: "arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app", RoleARN: "arn:aws:iam::444455556666:role/cross-account-read-only-role"}
	fedSession  = &policy.Principal{Type: policy.FederatedUser, Account: acctA, ARN: "arn:aws:sts::111122223333:federated-user/carol", UserARN: "arn:aws:iam::111122223333:user/alice"}
	rootOfA     = &policy.Principal{Type: policy.Root, Account: acctA, ARN: "arn:aws:iam::111122223333:root"}
	anonymousIn = &policy.Principal{Type: policy.Anonymous}
)

// docCase is one documented behaviour.
type docCase struct {
	name     string
	doc      string
	caller   *policy.Principal
	action   string
	resource string
	account  string // the resource's account; "" is the caller's
	identity []string
	boundary string
	session  []string
	resPol   string
	trust    bool // resPol is a role trust policy
	ctx      map[string][]string
	want     policy.DecisionEffect
}

func (c *docCase) input(t *testing.T) policy.Input {
	t.Helper()
	in := policy.Input{ResourceAccount: c.account}
	for _, d := range c.identity {
		in.Identity = append(in.Identity, mustPolicy(t, d, policy.Identity))
	}
	if c.boundary != "" {
		in.Boundary = mustPolicy(t, c.boundary, policy.Identity)
	}
	for _, d := range c.session {
		in.Session = append(in.Session, mustPolicy(t, d, policy.Identity))
	}
	if c.resPol != "" {
		kind := policy.Resource
		if c.trust {
			kind = policy.Trust
		}
		in.Resource = mustPolicy(t, c.resPol, kind)
	}
	ctx := policy.NewContext(len(c.ctx) + 6)
	if c.caller != nil {
		c.caller.AddToContext(ctx)
	}
	for k, v := range c.ctx {
		ctx.Set(k, v...)
	}
	in.Request = &policy.Request{Principal: c.caller, Action: c.action, Resource: c.resource, Context: ctx}
	return in
}

func TestAWSDocumentationExamples(t *testing.T) {
	t.Parallel()
	var cases []docCase
	for _, group := range [][]docCase{evaluationLogicCases(), boundaryCases(), sessionCases(), principalCases(), conditionCases()} {
		cases = append(cases, group...)
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if d := policy.Decide(tt.input(t)); d.Effect != tt.want {
				t.Errorf("Decide = %v, want %v\n(documented at %s)", d, tt.want, tt.doc)
			}
		})
	}
}
