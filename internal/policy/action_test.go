package policy

import "testing"

// "IAM JSON policy elements: Action" and "NotAction": actions match
// case-insensitively with * and ? wildcards; NotAction matches every action
// except those listed.
func TestActionMatching(t *testing.T) {
	t.Parallel()
	allow := func(action string) string {
		return doc(`{"Effect":"Allow","Action":` + action + `,"Resource":"*"}`)
	}
	notAllow := func(action string) string {
		return doc(`{"Effect":"Allow","NotAction":` + action + `,"Resource":"*"}`)
	}
	runEvalCases(t, []evalCase{
		{name: "exact action", policy: allow(`"s3:GetObject"`), action: "s3:GetObject", resource: "*", allow: true},
		{name: "actions are case-insensitive (policy)", policy: allow(`"S3:GETOBJECT"`), action: "s3:GetObject", resource: "*", allow: true},
		{name: "actions are case-insensitive (request)", policy: allow(`"s3:GetObject"`), action: "S3:getobject", resource: "*", allow: true},
		{name: "different action", policy: allow(`"s3:GetObject"`), action: "s3:PutObject", resource: "*"},
		{name: "prefix is not enough", policy: allow(`"s3:Get"`), action: "s3:GetObject", resource: "*"},
		{name: "trailing wildcard", policy: allow(`"s3:Get*"`), action: "s3:GetObjectAcl", resource: "*", allow: true},
		{name: "wildcard matches empty suffix", policy: allow(`"s3:GetObject*"`), action: "s3:GetObject", resource: "*", allow: true},
		{name: "wildcard is case-insensitive", policy: allow(`"s3:get*"`), action: "s3:GetObject", resource: "*", allow: true},
		{name: "inner wildcard", policy: allow(`"iam:*AccessKey*"`), action: "iam:CreateAccessKey", resource: "*", allow: true},
		{name: "inner wildcard mismatch", policy: allow(`"iam:*AccessKey*"`), action: "iam:CreateUser", resource: "*"},
		{name: "question mark matches one character", policy: allow(`"s3:?etObject"`), action: "s3:GetObject", resource: "*", allow: true},
		{name: "question mark needs a character", policy: allow(`"s3:GetObject?"`), action: "s3:GetObject", resource: "*"},
		{name: "service wildcard", policy: allow(`"s3:*"`), action: "s3:ListAllMyBuckets", resource: "*", allow: true},
		{name: "service wildcard does not cross services", policy: allow(`"s3:*"`), action: "s3control:GetAccessGrant", resource: "*"},
		{name: "service prefix is case-insensitive", policy: allow(`"S3Control:*"`), action: "s3control:GetDataAccess", resource: "*", allow: true},
		{name: "star matches every action", policy: allow(`"*"`), action: "iam:CreateUser", resource: "*", allow: true},
		{name: "list is ORed", policy: allow(`["s3:GetObject","s3:PutObject"]`), action: "s3:PutObject", resource: "*", allow: true},
		{name: "list with no match", policy: allow(`["s3:GetObject","s3:PutObject"]`), action: "s3:DeleteObject", resource: "*"},
		{name: "request action without service", policy: allow(`"s3:*"`), action: "GetObject", resource: "*"},
		{name: "request action without service still matches star", policy: allow(`"*"`), action: "GetObject", resource: "*", allow: true},
		{name: "wildcard in name does not match service", policy: allow(`"s3:*Object"`), action: "ec2:GetObject", resource: "*"},
		{name: "NotAction excludes listed action", policy: notAllow(`"iam:*"`), action: "iam:CreateUser", resource: "*"},
		{name: "NotAction allows other actions", policy: notAllow(`"iam:*"`), action: "s3:GetObject", resource: "*", allow: true},
		{name: "NotAction list", policy: notAllow(`["iam:*","sts:*"]`), action: "sts:AssumeRole", resource: "*"},
		{name: "NotAction is case-insensitive", policy: notAllow(`"IAM:*"`), action: "iam:GetUser", resource: "*"},
		{name: "NotAction with Deny denies everything else", policy: doc(`{"Effect":"Deny","NotAction":"s3:GetObject","Resource":"*"}`), action: "s3:PutObject", resource: "*", deny: true},
		{name: "NotAction with Deny spares the listed action", policy: doc(`{"Effect":"Deny","NotAction":"s3:GetObject","Resource":"*"}`), action: "s3:GetObject", resource: "*"},
		{name: "allow and deny both apply", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:Delete*","Resource":"*"}`), action: "s3:DeleteObject", resource: "*", allow: true, deny: true},
		{name: "statement must match action and resource", policy: allow(`"s3:GetObject"`), action: "s3:GetObject", resource: "arn:aws:s3:::b", allow: true},
	})
}
