package policy

import "testing"

// "IAM policy elements: Variables and tags": variables in the resource part
// of Resource ARNs and in string/ARN condition values; an unresolvable
// variable makes the entry not match; 2008-10-17 policies are literal.
func TestPolicyVariables(t *testing.T) {
	t.Parallel()
	home := doc(`{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::b/home/${aws:username}","arn:aws:s3:::b/home/${aws:username}/*"]}`)
	user := ctx("aws:username", "alice")
	runEvalCases(t, []evalCase{
		{name: "username in resource", policy: home, action: "s3:GetObject", resource: "arn:aws:s3:::b/home/alice/x", ctx: user, allow: true},
		{name: "username in resource, other user's home", policy: home, action: "s3:GetObject", resource: "arn:aws:s3:::b/home/bob/x", ctx: user},
		{name: "variable key is case-insensitive", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${AWS:UserName}"}`), action: "s3:GetObject", resource: "arn:aws:s3:::b/alice", ctx: user, allow: true},
		{name: "missing variable: resource entry does not match", policy: home, action: "s3:GetObject", resource: "arn:aws:s3:::b/home//x"},
		{name: "missing variable: other entries still match", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::b/${aws:username}","arn:aws:s3:::b/public"]}`), action: "s3:GetObject", resource: "arn:aws:s3:::b/public", allow: true},
		{name: "default value", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:PrincipalTag/team, 'none'}/*"}`), action: "s3:GetObject", resource: "arn:aws:s3:::b/none/x", allow: true},
		{name: "tag variable", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:PrincipalTag/team}/*"}`), action: "s3:GetObject", resource: "arn:aws:s3:::b/blue/x", ctx: ctx("aws:PrincipalTag/team", "blue"), allow: true},
		{name: "userid variable", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:userid}/*"}`), action: "s3:GetObject", resource: "arn:aws:s3:::b/AIDAEXAMPLE/x", ctx: ctx("aws:userid", "AIDAEXAMPLE"), allow: true},
		{name: "principal account variable", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b-${aws:PrincipalAccount}/*"}`), action: "s3:GetObject", resource: "arn:aws:s3:::b-111122223333/x", ctx: ctx("aws:PrincipalAccount", acctA), allow: true},
		{name: "service key as variable", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${s3:prefix}*"}`), action: "s3:GetObject", resource: "arn:aws:s3:::b/docs/x", ctx: ctx("s3:prefix", "docs/"), allow: true},
		{name: "substituted value is literal, not a wildcard", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}"}`), action: "s3:GetObject", resource: "arn:aws:s3:::b/zzz", ctx: ctx("aws:username", "*")},
		{name: "special ${*} is a literal star", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${*}"}`), action: "s3:GetObject", resource: "arn:aws:s3:::b/*", allow: true},
		{name: "special ${*} does not match other keys", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${*}"}`), action: "s3:GetObject", resource: "arn:aws:s3:::b/x"},
		{name: "special ${?} is a literal question mark", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/what${?}"}`), action: "s3:GetObject", resource: "arn:aws:s3:::b/what?", allow: true},
		{name: "special ${$} is a literal dollar", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${$}{x}"}`), action: "s3:GetObject", resource: "arn:aws:s3:::b/${x}", allow: true},
		{name: "variables only in the resource part", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:${aws:region}:111122223333:x"}`), action: "s3:GetObject", resource: "arn:aws:s3:us-east-1:111122223333:x", ctx: ctx("aws:region", "us-east-1")},
		{name: "2008-10-17 treats variables literally", policy: `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}"}}`, action: "s3:GetObject", resource: "arn:aws:s3:::b/${aws:username}", ctx: user, allow: true},
		{name: "2008-10-17 does not substitute", policy: `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}"}}`, action: "s3:GetObject", resource: "arn:aws:s3:::b/alice", ctx: user},
		{name: "missing Version treats variables literally", policy: `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}"}}`, action: "s3:GetObject", resource: "arn:aws:s3:::b/alice", ctx: user},
		{name: "NotResource with unresolved variable counts as not matching", policy: doc(`{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::b/${aws:username}/*"}`), action: "s3:GetObject", resource: "arn:aws:s3:::b/alice/x", deny: true},
		{name: "NotResource with resolved variable", policy: doc(`{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::b/${aws:username}/*"}`), action: "s3:GetObject", resource: "arn:aws:s3:::b/alice/x", ctx: user},
		{name: "condition value with variable", policy: doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}}`), action: "s3:ListBucket", resource: "arn:aws:s3:::b", ctx: ctx("aws:username", "alice", "s3:prefix", "home/alice/photos/"), allow: true},
		{name: "condition value with variable, other prefix", policy: doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}}`), action: "s3:ListBucket", resource: "arn:aws:s3:::b", ctx: ctx("aws:username", "alice", "s3:prefix", "home/bob/")},
		{name: "tag-based condition with variable", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}`), action: "s3:GetObject", resource: "arn:aws:s3:::b/k", ctx: ctx("aws:ResourceTag/team", "blue", "aws:PrincipalTag/team", "blue"), allow: true},
		{name: "tag-based condition with variable mismatch", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}`), action: "s3:GetObject", resource: "arn:aws:s3:::b/k", ctx: ctx("aws:ResourceTag/team", "blue", "aws:PrincipalTag/team", "red")},
	})
}
