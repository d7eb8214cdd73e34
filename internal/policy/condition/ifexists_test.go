package condition

import "testing"

// IfExists: "If the policy key is present in the context of the request,
// process the key as specified in the policy. If the key is not present,
// evaluate the condition element as true."
func TestIfExists(t *testing.T) {
	t.Parallel()
	runEvalCases(t, []evalCase{
		{name: "StringLikeIfExists missing key is true", op: "StringLikeIfExists", key: "ec2:InstanceType", values: []string{"t1.*", "t2.*", "m3.*"}, ctx: nil, want: true},
		{name: "StringLikeIfExists present and matching", op: "StringLikeIfExists", key: "ec2:InstanceType", values: []string{"t1.*", "t2.*"}, ctx: map[string][]string{"ec2:instancetype": {"t2.micro"}}, want: true},
		{name: "StringLikeIfExists present and not matching", op: "StringLikeIfExists", key: "ec2:InstanceType", values: []string{"t1.*", "t2.*"}, ctx: map[string][]string{"ec2:instancetype": {"m5.large"}}, want: false},
		{name: "StringNotEqualsIfExists missing key is true", op: "StringNotEqualsIfExists", values: []string{"a"}, ctx: nil, want: true},
		{name: "StringNotEqualsIfExists present and equal", op: "StringNotEqualsIfExists", values: []string{"a"}, ctx: v("a"), want: false},
		{name: "StringNotEqualsIfExists present and different", op: "StringNotEqualsIfExists", values: []string{"a"}, ctx: v("b"), want: true},
		{name: "StringEqualsIfExists present-but-empty evaluates normally", op: "StringEqualsIfExists", values: []string{"a"}, ctx: v(), want: false},
		{name: "IfExists suffix is case-insensitive", op: "StringEqualsifexists", values: []string{"a"}, ctx: nil, want: true},
		{name: "ArnNotLikeIfExists present and like", op: "ArnNotLikeIfExists", values: []string{"arn:aws:iam::*:*"}, ctx: v("arn:aws:iam::1:root"), want: false},
		{name: "NumericGreaterThanIfExists present and greater", op: "NumericGreaterThanIfExists", values: []string{"1"}, ctx: v("2"), want: true},
		{name: "DateLessThanIfExists present and later", op: "DateLessThanIfExists", values: []string{"2020-01-01"}, ctx: v("2021-01-01"), want: false},
		{name: "NotIpAddressIfExists missing key is true", op: "NotIpAddressIfExists", values: []string{"10.0.0.0/8"}, ctx: nil, want: true},
		{name: "StringEqualsIgnoreCaseIfExists present", op: "StringEqualsIgnoreCaseIfExists", values: []string{"A"}, ctx: v("a"), want: true},
	})
}
