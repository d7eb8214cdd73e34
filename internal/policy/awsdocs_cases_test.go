package policy_test

import "github.com/grantd/grantd/internal/policy"

// The cases of TestAWSDocumentationExamples, by page.

const (
	get = "s3:GetObject"
	put = "s3:PutObject"
	obj = "arn:aws:s3:::b1/k1"
)

// evaluationLogicCases: the evaluation-logic pages' worked examples.
func evaluationLogicCases() []docCase {
	const prod = "222222222222"
	return []docCase{
		{name: "Carlos: his identity policy's Deny stops a save to carlossalazar-logs", doc: docEvalLogic,
			caller: carlos, action: put, resource: "arn:aws:s3:::carlossalazar-logs/file", identity: []string{carlosIdentity}, want: policy.ExplicitDeny},
		{name: "Carlos: identity and bucket policy both allow a save to carlossalazar", doc: docEvalLogic,
			caller: carlos, action: put, resource: "arn:aws:s3:::carlossalazar/file", identity: []string{carlosIdentity}, resPol: carlosBucket, want: policy.Allow},
		{name: "same account: the bucket policy alone allows (one policy type allowing is enough)", doc: docEvalLogic,
			caller: carlos, action: put, resource: "arn:aws:s3:::carlossalazar/file", resPol: carlosBucket, want: policy.Allow},
		{name: "same account: the identity policy alone allows", doc: docEvalLogic,
			caller: carlos, action: put, resource: "arn:aws:s3:::carlossalazar/file", identity: []string{carlosIdentity}, want: policy.Allow},
		{name: "no statement applies: implicit deny", doc: docEvalLogic,
			caller: carlos, action: put, resource: "arn:aws:s3:::someone-else/file", identity: []string{carlosIdentity}, want: policy.ImplicitDeny},
		{name: "cross-account: Carlos's own Deny stops a save to Production-logs", doc: docCrossAccount,
			caller: carlosX, action: put, resource: "arn:aws:s3:::Production-logs/file", account: prod, identity: []string{carlosXIdentity}, want: policy.ExplicitDeny},
		{name: "cross-account: both accounts allow a save to Production", doc: docCrossAccount,
			caller: carlosX, action: put, resource: "arn:aws:s3:::Production/file", account: prod, identity: []string{carlosXIdentity}, resPol: carlosXBucket, want: policy.Allow},
		{name: "cross-account: the Production bucket policy does not allow deleting objects", doc: docCrossAccount,
			caller: carlosX, action: "s3:DeleteObject", resource: "arn:aws:s3:::Production/file", account: prod, identity: []string{carlosXIdentity}, resPol: carlosXBucket, want: policy.ImplicitDeny},
		{name: "cross-account: the bucket policy alone does not allow", doc: docCrossAccount,
			caller: carlosX, action: put, resource: "arn:aws:s3:::Production/file", account: prod, resPol: carlosXBucket, want: policy.ImplicitDeny},
		{name: "cross-account: the identity policy alone does not allow", doc: docCrossAccount,
			caller: carlosX, action: put, resource: "arn:aws:s3:::Production/file", account: prod, identity: []string{carlosXIdentity}, want: policy.ImplicitDeny},
		{name: "the root user has full access in its account without policies", doc: docDenyAllowFlow,
			caller: rootOfA, action: get, resource: obj, account: acctA, want: policy.Allow},
		{name: "an explicit Deny in a resource policy still denies the root user", doc: docDenyAllowFlow,
			caller: rootOfA, action: get, resource: obj, account: acctA,
			resPol: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}]}`, want: policy.ExplicitDeny},
		{name: "a Deny in the resource policy overrides an identity Allow", doc: docDenyAllowFlow,
			caller: docAlice, action: get, resource: obj, identity: []string{allowAll},
			resPol: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`, want: policy.ExplicitDeny},
	}
}

// boundaryCases: "Permissions boundaries for IAM entities" — Shirley, Zhang
// and Nikhil, and boundaries with resource-based policies.
func boundaryCases() []docCase {
	newUser := "arn:aws:iam::111122223333:user/Nikhil"
	return []docCase{
		{name: "Shirley: her boundary keeps her from creating users although her policy allows it", doc: docBoundaries,
			caller: shirley, action: "iam:CreateUser", resource: newUser, identity: []string{shirleyIdentity}, boundary: shirleyBoundary, want: policy.ImplicitDeny},
		{name: "Shirley: an action both her policy and her boundary allow", doc: docBoundaries,
			caller: shirley, action: get, resource: obj, identity: []string{allowS3}, boundary: shirleyBoundary, want: policy.Allow},
		{name: "a boundary alone grants nothing", doc: docBoundaries,
			caller: shirley, action: get, resource: obj, boundary: shirleyBoundary, want: policy.ImplicitDeny},
		{name: "Zhang: his boundary allows no S3 action, so he cannot list ZhangBucket", doc: docBoundaries,
			caller: zhang, action: "s3:ListBucket", resource: "arn:aws:s3:::ZhangBucket", identity: []string{zhangIdentity}, boundary: zhangBoundary, want: policy.ImplicitDeny},
		{name: "Zhang: creating a user without the XCompanyBoundaries boundary fails", doc: docBoundaries,
			caller: zhang, action: "iam:CreateUser", resource: newUser, identity: []string{zhangIdentity}, boundary: zhangBoundary, want: policy.ImplicitDeny},
		{name: "Zhang: creating a user with the XCompanyBoundaries boundary succeeds", doc: docBoundaries,
			caller: zhang, action: "iam:CreateUser", resource: newUser, identity: []string{zhangIdentity}, boundary: zhangBoundary,
			ctx: map[string][]string{"iam:PermissionsBoundary": {"arn:aws:iam::111122223333:policy/XCompanyBoundaries"}}, want: policy.Allow},
		{name: "Zhang: he cannot delete a permissions boundary", doc: docBoundaries,
			caller: zhang, action: "iam:DeleteUserPermissionsBoundary", resource: newUser, identity: []string{zhangIdentity}, boundary: zhangBoundary, want: policy.ExplicitDeny},
		{name: "Zhang: he cannot change the boundary policies", doc: docBoundaries,
			caller: zhang, action: "iam:CreatePolicyVersion", resource: "arn:aws:iam::111122223333:policy/XCompanyBoundaries", identity: []string{zhangIdentity}, boundary: zhangBoundary, want: policy.ExplicitDeny},
		{name: "Zhang: CloudWatch is limited by his permissions policy, not his boundary", doc: docBoundaries,
			caller: zhang, action: "cloudwatch:PutDashboard", resource: "*", identity: []string{zhangIdentity}, boundary: zhangBoundary, want: policy.ImplicitDeny},
		{name: "Zhang: a CloudWatch read both allow", doc: docBoundaries,
			caller: zhang, action: "cloudwatch:GetDashboard", resource: "*", identity: []string{zhangIdentity}, boundary: zhangBoundary, want: policy.Allow},
		{name: "Nikhil: he can change his own password (${aws:username} in his boundary)", doc: docBoundaries,
			caller: nikhil, action: "iam:ChangePassword", resource: newUser, identity: []string{nikhilIdentity}, boundary: xCompanyBounds, want: policy.Allow},
		{name: "Nikhil: he cannot create another user", doc: docBoundaries,
			caller: nikhil, action: "iam:CreateUser", resource: "arn:aws:iam::111122223333:user/other", identity: []string{nikhilIdentity}, boundary: xCompanyBounds, want: policy.ImplicitDeny},
		{name: "Nikhil: he cannot read the logs bucket even if granted", doc: docBoundaries,
			caller: nikhil, action: get, resource: "arn:aws:s3:::logs/app.log", identity: []string{nikhilIdentity}, boundary: xCompanyBounds, want: policy.ExplicitDeny},
		{name: "Nikhil: a resource policy letting him start the instance does not help", doc: docBoundaries,
			caller: nikhil, action: "ec2:StartInstances", resource: "arn:aws:ec2:us-east-1:111122223333:instance/i-1234567890abcdef0", identity: []string{nikhilIdentity}, boundary: xCompanyBounds, resPol: nikhilInstance, want: policy.ExplicitDeny},
		{name: "Nikhil: read-only access to other buckets", doc: docBoundaries,
			caller: nikhil, action: get, resource: "arn:aws:s3:::reports/q1.csv", identity: []string{nikhilIdentity}, boundary: xCompanyBounds, want: policy.Allow},
		{name: "Nikhil: no writes to other buckets", doc: docBoundaries,
			caller: nikhil, action: put, resource: "arn:aws:s3:::reports/q1.csv", identity: []string{nikhilIdentity}, boundary: xCompanyBounds, want: policy.ImplicitDeny},
		{name: "within an account a boundary does not reduce what a resource policy grants a user", doc: docBoundaries,
			caller: docAlice, action: get, resource: obj, boundary: allowSQS, resPol: bucketFor(`{"AWS":"arn:aws:iam::111122223333:user/alice"}`), want: policy.Allow},
		{name: "across accounts the boundary limits the principal side", doc: docCrossAccount,
			caller: docBob, action: get, resource: obj, account: acctA, identity: []string{allowS3}, boundary: allowSQS, resPol: bucketFor(`{"AWS":"arn:aws:iam::444455556666:user/Bob"}`), want: policy.ImplicitDeny},
	}
}

// sessionCases: session policies and GetFederationToken sessions.
func sessionCases() []docCase {
	namingRole := bucketFor(`{"AWS":"arn:aws:iam::111122223333:role/dev"}`)
	namingSession := bucketFor(`{"AWS":"arn:aws:sts::111122223333:assumed-role/dev/s1"}`)
	namingFed := bucketFor(`{"AWS":"arn:aws:sts::111122223333:federated-user/carol"}`)
	namingFedUser := bucketFor(`{"AWS":"arn:aws:iam::111122223333:user/alice"}`)
	return []docCase{
		{name: "a session has the intersection of the role's policies and the session policy", doc: docSession,
			caller: devSession, action: get, resource: obj, identity: []string{allowS3}, session: []string{allowGet}, want: policy.Allow},
		{name: "a session cannot do what its session policy does not allow", doc: docSession,
			caller: devSession, action: put, resource: obj, identity: []string{allowS3}, session: []string{allowGet}, want: policy.ImplicitDeny},
		{name: "a resource policy naming the role is limited by the session policy", doc: docSession,
			caller: devSession, action: get, resource: obj, session: []string{allowSQS}, resPol: namingRole, want: policy.ImplicitDeny},
		{name: "a resource policy naming the role, within the session policy", doc: docSession,
			caller: devSession, action: get, resource: obj, session: []string{allowGet}, resPol: namingRole, want: policy.Allow},
		{name: "a resource policy naming the session is not limited by the session policy", doc: docSession,
			caller: devSession, action: get, resource: obj, session: []string{allowSQS}, resPol: namingSession, want: policy.Allow},
		{name: "session, boundary and identity policy: the intersection of all three", doc: docBoundaries,
			caller: devSession, action: get, resource: obj, identity: []string{allowS3}, boundary: allowGet, session: []string{allowS3}, want: policy.Allow},
		{name: "session, boundary and identity policy: the boundary limits", doc: docBoundaries,
			caller: devSession, action: put, resource: obj, identity: []string{allowS3}, boundary: allowGet, session: []string{allowS3}, want: policy.ImplicitDeny},
		{name: "an explicit Deny in a session policy", doc: docSession,
			caller: devSession, action: get, resource: obj, identity: []string{allowS3}, session: []string{denyGet}, want: policy.ExplicitDeny},
		{name: "GetFederationToken without session policies: no permissions", doc: docFederation,
			caller: fedSession, action: get, resource: obj, identity: []string{allowAll}, want: policy.ImplicitDeny},
		{name: "GetFederationToken with a session policy: the intersection", doc: docFederation,
			caller: fedSession, action: get, resource: obj, identity: []string{allowAll}, session: []string{allowGet}, want: policy.Allow},
		{name: "a resource policy naming the federated user session grants without session policies", doc: docFederation,
			caller: fedSession, action: get, resource: obj, identity: []string{allowAll}, resPol: namingFed, want: policy.Allow},
		{name: "a resource policy naming the federated user session grants beyond the session policy", doc: docFederation,
			caller: fedSession, action: get, resource: obj, session: []string{allowSQS}, resPol: namingFed, want: policy.Allow},
		{name: "a resource policy naming the user behind a federated session is limited by the session policy", doc: docSession,
			caller: fedSession, action: get, resource: obj, session: []string{allowSQS}, resPol: namingFedUser, want: policy.ImplicitDeny},
	}
}

// principalCases: the Principal and NotPrincipal pages.
func principalCases() []docCase {
	principalArnStar := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/dev"}}}]}`
	bobNotPrincipal := `{"Version":"2012-10-17","Statement":[
		{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/Bob","arn:aws:iam::444455556666:root"]},"Action":"s3:*","Resource":["arn:aws:s3:::b1","arn:aws:s3:::b1/*"]},
		{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b1/*"}]}`
	auditNotPrincipal := `{"Version":"2012-10-17","Statement":[
		{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:sts::444455556666:assumed-role/cross-account-read-only-role/cross-account-audit-app","arn:aws:iam::444455556666:role/cross-account-read-only-role","arn:aws:iam::444455556666:root"]},"Action":"s3:*","Resource":["arn:aws:s3:::b1","arn:aws:s3:::b1/*"]},
		{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b1/*"}]}`
	return []docCase{
		{name: "a role named in a resource policy is limited by the role's boundary", doc: docPrincipal,
			caller: devSession, action: get, resource: obj, boundary: allowSQS, resPol: bucketFor(`{"AWS":"arn:aws:iam::111122223333:role/dev"}`), want: policy.ImplicitDeny},
		{name: `Principal "*" with aws:PrincipalArn is not limited by boundary or session policy`, doc: docPrincipal,
			caller: devSession, action: get, resource: obj, boundary: allowSQS, session: []string{allowSQS}, resPol: principalArnStar, want: policy.Allow},
		{name: `Principal "*" with aws:PrincipalArn: an explicit Deny in the boundary still applies`, doc: docPrincipal,
			caller: devSession, action: get, resource: obj, boundary: denyGet, resPol: principalArnStar, want: policy.ExplicitDeny},
		{name: `Principal "*": users of the account need no other permission`, doc: docPrincipal,
			caller: docAlice, action: get, resource: obj, resPol: bucketFor(`"*"`), want: policy.Allow},
		{name: `Principal "*": principals of other accounts also need identity-based permissions`, doc: docPrincipal,
			caller: docBob, action: get, resource: obj, account: acctA, resPol: bucketFor(`"*"`), want: policy.ImplicitDeny},
		{name: `Principal "*": another account's principal with identity-based permissions`, doc: docPrincipal,
			caller: docBob, action: get, resource: obj, account: acctA, identity: []string{allowGet}, resPol: bucketFor(`"*"`), want: policy.Allow},
		{name: `anonymous users: "*" grants them`, doc: docPrincipal,
			caller: anonymousIn, action: get, resource: obj, account: acctA, resPol: bucketFor(`"*"`), want: policy.Allow},
		{name: `anonymous users: {"AWS":"*"} is equivalent`, doc: docPrincipal,
			caller: anonymousIn, action: get, resource: obj, account: acctA, resPol: bucketFor(`{"AWS":"*"}`), want: policy.Allow},
		{name: "an account principal delegates: the account must still grant the user", doc: docPrincipal,
			caller: docBob, action: get, resource: obj, account: acctA, resPol: bucketFor(`{"AWS":"444455556666"}`), want: policy.ImplicitDeny},
		{name: "an account principal delegates: with the user's identity permission", doc: docPrincipal,
			caller: docBob, action: get, resource: obj, account: acctA, identity: []string{allowGet}, resPol: bucketFor(`{"AWS":"444455556666"}`), want: policy.Allow},
		{name: "the account ARN does not limit permissions to the root user", doc: docPrincipal,
			caller: docBob, action: get, resource: obj, account: acctA, identity: []string{allowGet}, resPol: bucketFor(`{"AWS":"arn:aws:iam::444455556666:root"}`), want: policy.Allow},
		{name: "NotPrincipal: Bob (named with his account) is not denied", doc: docNotPrincipal,
			caller: docBob, action: get, resource: obj, account: acctA, identity: []string{allowGet}, resPol: bobNotPrincipal, want: policy.Allow},
		{name: "NotPrincipal: everyone else in Bob's account is denied", doc: docNotPrincipal,
			caller: docEve, action: get, resource: obj, account: acctA, identity: []string{allowGet}, resPol: bobNotPrincipal, want: policy.ExplicitDeny},
		{name: "NotPrincipal: the named assumed-role session (with role and account) is not denied", doc: docNotPrincipal,
			caller: auditApp, action: get, resource: obj, account: acctA, identity: []string{allowGet}, resPol: auditNotPrincipal, want: policy.Allow},
		{name: "NotPrincipal: other users of the session's account are denied", doc: docNotPrincipal,
			caller: docEve, action: get, resource: obj, account: acctA, identity: []string{allowGet}, resPol: auditNotPrincipal, want: policy.ExplicitDeny},
	}
}

// conditionCases: missing keys, IfExists, policy variables with no value,
// IP addresses.
func conditionCases() []docCase {
	cond := func(effect, condition string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"` + effect + `","Action":"s3:GetObject","Resource":"*","Condition":` + condition + `}]}`
	}
	teamTag := `{"StringNotEquals":{"s3:ExistingObjectTag/Team":"${aws:PrincipalTag/Team}"}}`
	byTeam := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b1/${aws:PrincipalTag/team}/*"}]}`
	notByTeam := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::b1/${aws:PrincipalTag/team}/*"}]}`
	red := map[string][]string{"aws:PrincipalTag/team": {"red"}}
	return []docCase{
		{name: "a key missing from the request makes a condition false", doc: docConditionOps,
			caller: docAlice, action: get, resource: obj, identity: []string{cond("Allow", `{"StringEquals":{"aws:PrincipalTag/team":"red"}}`)}, want: policy.ImplicitDeny},
		{name: "a negated operator on a missing key is true", doc: docConditionOps,
			caller: docAlice, action: get, resource: obj, identity: []string{allowAll, cond("Deny", `{"StringNotLike":{"aws:PrincipalTag/team":"r*"}}`)}, want: policy.ExplicitDeny},
		{name: "...IfExists on a missing key is true", doc: docConditionOps,
			caller: docAlice, action: get, resource: obj, identity: []string{cond("Allow", `{"StringEqualsIfExists":{"aws:PrincipalTag/team":"red"}}`)}, want: policy.Allow},
		{name: "policy variable with no value: StringNotEquals matches, so the Deny applies", doc: docVariables,
			caller: docAlice, action: get, resource: obj, identity: []string{allowAll, cond("Deny", teamTag)},
			ctx: map[string][]string{"s3:ExistingObjectTag/Team": {"red"}}, want: policy.ExplicitDeny},
		{name: "policy variable with a value: tags equal, no Deny", doc: docVariables,
			caller: docAlice, action: get, resource: obj, identity: []string{allowAll, cond("Deny", teamTag)},
			ctx: map[string][]string{"s3:ExistingObjectTag/Team": {"red"}, "aws:PrincipalTag/Team": {"red"}}, want: policy.Allow},
		{name: "a Resource with a variable with no value matches no resource", doc: docVariables,
			caller: docAlice, action: get, resource: "arn:aws:s3:::b1/red/k1", identity: []string{byTeam}, want: policy.ImplicitDeny},
		{name: "a Resource with a variable with a value", doc: docVariables,
			caller: docAlice, action: get, resource: "arn:aws:s3:::b1/red/k1", identity: []string{byTeam}, ctx: red, want: policy.Allow},
		{name: "a NotResource entry with a variable with no value matches no resource, so the request is outside it", doc: docVariables,
			caller: docAlice, action: get, resource: "arn:aws:s3:::b1/red/k1", identity: []string{notByTeam}, want: policy.Allow},
		{name: "an IP address without a prefix is /32: the same address", doc: docConditionOps + "#Conditions_IPAddress",
			caller: docAlice, action: get, resource: obj, identity: []string{cond("Allow", `{"IpAddress":{"aws:SourceIp":"203.0.113.5"}}`)},
			ctx: map[string][]string{"aws:SourceIp": {"203.0.113.5"}}, want: policy.Allow},
		{name: "an IP address without a prefix is /32: the next address is outside", doc: docConditionOps + "#Conditions_IPAddress",
			caller: docAlice, action: get, resource: obj, identity: []string{cond("Allow", `{"IpAddress":{"aws:SourceIp":"203.0.113.5"}}`)},
			ctx: map[string][]string{"aws:SourceIp": {"203.0.113.6"}}, want: policy.ImplicitDeny},
	}
}
