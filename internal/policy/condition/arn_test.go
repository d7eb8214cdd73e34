package condition

import "testing"

func TestARNOperators(t *testing.T) {
	t.Parallel()
	src := func(a string) map[string][]string { return map[string][]string{"aws:sourcearn": {a}} }
	runEvalCases(t, []evalCase{
		{name: "ArnEquals exact", op: "ArnEquals", key: "aws:SourceArn", values: []string{"arn:aws:sns:us-east-1:123456789012:topic"}, ctx: src("arn:aws:sns:us-east-1:123456789012:topic"), want: true},
		{name: "ArnEquals is case-sensitive", op: "ArnEquals", key: "aws:SourceArn", values: []string{"arn:aws:sns:us-east-1:123456789012:Topic"}, ctx: src("arn:aws:sns:us-east-1:123456789012:topic"), want: false},
		{name: "ArnEquals and ArnLike behave identically (wildcards)", op: "ArnEquals", key: "aws:SourceArn", values: []string{"arn:aws:sns:*:123456789012:*"}, ctx: src("arn:aws:sns:us-east-1:123456789012:topic"), want: true},
		{name: "ArnLike region wildcard", op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:sns:*:123456789012:topic"}, ctx: src("arn:aws:sns:eu-west-1:123456789012:topic"), want: true},
		{name: "ArnLike components are matched separately", op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:someservice:*:111122223333:finance/*"}, ctx: src("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), want: false},
		{name: "ArnLike resource wildcard spans slashes", op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:s3:::bucket/*"}, ctx: src("arn:aws:s3:::bucket/a/b"), want: true},
		{name: "ArnLike question mark", op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:iam::12345678901?:root"}, ctx: src("arn:aws:iam::123456789012:root"), want: true},
		{name: "ArnLike account mismatch", op: "ArnLike", key: "aws:PrincipalArn", values: []string{"arn:aws:iam::*:role/admin"}, ctx: map[string][]string{"aws:principalarn": {"arn:aws:iam::111122223333:role/dev"}}, want: false},
		{name: "ArnLike trailing star in short pattern spans components", op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:sns:*"}, ctx: src("arn:aws:sns:us-east-1:1:t"), want: true},
		{name: "ArnLike value star matches anything", op: "ArnLike", key: "aws:SourceArn", values: []string{"*"}, ctx: src("whatever"), want: true},
		{name: "ArnLike non-ARN request value", op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:*:*:*:*"}, ctx: src("not-an-arn"), want: false},
		{name: "ArnLike missing key", op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:*:*:*:*"}, ctx: nil, want: false},
		{name: "ArnNotEquals different", op: "ArnNotEquals", key: "aws:PrincipalArn", values: []string{"arn:aws:iam::444455556666:user/user-name"}, ctx: map[string][]string{"aws:principalarn": {"arn:aws:iam::444455556666:user/other"}}, want: true},
		{name: "ArnNotEquals same", op: "ArnNotEquals", key: "aws:PrincipalArn", values: []string{"arn:aws:iam::444455556666:user/user-name"}, ctx: map[string][]string{"aws:principalarn": {"arn:aws:iam::444455556666:user/user-name"}}, want: false},
		{name: "ArnNotLike missing key is true", op: "ArnNotLike", key: "aws:SourceArn", values: []string{"arn:aws:sns:*:*:*"}, ctx: nil, want: true},
		{name: "ArnNotLike non-ARN request value is not like", op: "ArnNotLike", key: "aws:SourceArn", values: []string{"arn:aws:sns:*:*:*"}, ctx: src("x"), want: true},
		{name: "ArnLike policy variable", op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:sns:*:${aws:PrincipalAccount}:*"}, ctx: map[string][]string{"aws:sourcearn": {"arn:aws:sns:us-east-1:111122223333:t"}, "aws:principalaccount": {"111122223333"}}, want: true},
		{name: "ArnLike policy variable with other account", op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:sns:*:${aws:PrincipalAccount}:*"}, ctx: map[string][]string{"aws:sourcearn": {"arn:aws:sns:us-east-1:999999999999:t"}, "aws:principalaccount": {"111122223333"}}, want: false},
		{name: "ArnEquals whole-ARN variable", op: "ArnEquals", key: "aws:SourceArn", values: []string{"${aws:PrincipalArn}"}, ctx: map[string][]string{"aws:sourcearn": {"arn:aws:iam::1:role/r"}, "aws:principalarn": {"arn:aws:iam::1:role/r"}}, want: true},
		{name: "ArnLike substituted star is literal", op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:s3:::b/${test:v}"}, ctx: map[string][]string{"aws:sourcearn": {"arn:aws:s3:::b/xyz"}, "test:v": {"*"}}, want: false},
		{name: "ArnLike unresolved variable does not match", op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:sns:*:${aws:PrincipalAccount}:*"}, ctx: src("arn:aws:sns:us-east-1:1:t"), want: false},
		{name: "ArnNotLike unresolved variable counts as not matching", op: "ArnNotLike", key: "aws:SourceArn", values: []string{"arn:aws:sns:*:${aws:PrincipalAccount}:*"}, ctx: src("arn:aws:sns:us-east-1:1:t"), want: true},
		{name: "ArnLikeIfExists missing key", op: "ArnLikeIfExists", key: "aws:SourceArn", values: []string{"arn:aws:sns:*:*:*"}, ctx: nil, want: true},
		{name: "ArnLike short value without star never matches", op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:sns"}, ctx: src("arn:aws:sns:us-east-1:1:t"), want: false},
	})
}
