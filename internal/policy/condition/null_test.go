package condition

import "testing"

func TestNullOperator(t *testing.T) {
	t.Parallel()
	runEvalCases(t, []evalCase{
		{name: "Null true and key absent", op: "Null", key: "aws:TokenIssueTime", values: []string{"true"}, ctx: nil, want: true},
		{name: "Null true and key present", op: "Null", key: "aws:TokenIssueTime", values: []string{"true"}, ctx: map[string][]string{"aws:tokenissuetime": {"2020-01-01T00:00:00Z"}}, want: false},
		{name: "Null false and key present", op: "Null", values: []string{"false"}, ctx: v("x"), want: true},
		{name: "Null false and key absent", op: "Null", values: []string{"false"}, ctx: nil, want: false},
		{name: "Null values are case-insensitive", op: "Null", values: []string{"TRUE"}, ctx: nil, want: true},
		{name: "Null present with empty value set counts as present", op: "Null", values: []string{"true"}, ctx: v(), want: false},
		{name: "Null values are ORed", op: "Null", values: []string{"true", "false"}, ctx: v("x"), want: true},
		{name: "Null with other values never matches", op: "Null", values: []string{"yes"}, ctx: nil, want: false},
		{name: "Null ignores a set operator prefix", op: "ForAnyValue:Null", values: []string{"true"}, ctx: nil, want: true},
		{name: "Null does not substitute variables", op: "Null", values: []string{"${test:b}"}, ctx: map[string][]string{"test:b": {"true"}}, want: false},
	})
}
