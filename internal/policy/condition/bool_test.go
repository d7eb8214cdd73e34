package condition

import "testing"

func TestBoolOperator(t *testing.T) {
	t.Parallel()
	runEvalCases(t, []evalCase{
		{name: "Bool true matches true", op: "Bool", key: "aws:SecureTransport", values: []string{"true"}, ctx: map[string][]string{"aws:securetransport": {"true"}}, want: true},
		{name: "Bool false denies plain HTTP", op: "Bool", key: "aws:SecureTransport", values: []string{"false"}, ctx: map[string][]string{"aws:securetransport": {"false"}}, want: true},
		{name: "Bool mismatch", op: "Bool", values: []string{"true"}, ctx: v("false"), want: false},
		{name: "Bool values are case-insensitive", op: "Bool", values: []string{"TRUE"}, ctx: v("True"), want: true},
		{name: "Bool non-boolean request value", op: "Bool", values: []string{"true"}, ctx: v("yes"), want: false},
		{name: "Bool non-boolean policy value", op: "Bool", values: []string{"yes"}, ctx: v("true"), want: false},
		{name: "Bool missing key is false", op: "Bool", key: "aws:MultiFactorAuthPresent", values: []string{"false"}, ctx: nil, want: false},
		{name: "BoolIfExists missing key is true", op: "BoolIfExists", key: "aws:MultiFactorAuthPresent", values: []string{"false"}, ctx: nil, want: true},
		{name: "BoolIfExists present and false", op: "BoolIfExists", values: []string{"false"}, ctx: v("false"), want: true},
		{name: "BoolIfExists present and true", op: "BoolIfExists", values: []string{"false"}, ctx: v("true"), want: false},
		{name: "Bool supports policy variables", op: "Bool", values: []string{"${test:other}"}, ctx: map[string][]string{"test:key": {"true"}, "test:other": {"true"}}, want: true},
		{name: "Bool unresolved variable does not match", op: "Bool", values: []string{"${test:other}"}, ctx: v("true"), want: false},
	})
}
