package condition

import "testing"

// Set operators, per "Single-valued vs. multivalued context keys": ForAllValues
// returns true if every request value matches at least one policy value, and
// also if the key is absent or resolves to an empty set; ForAnyValue returns
// true if at least one request value matches, and false when the key is
// absent or empty.
func TestSetOperators(t *testing.T) {
	t.Parallel()
	tags := func(vals ...string) map[string][]string {
		if vals == nil {
			vals = []string{}
		}
		return map[string][]string{"aws:tagkeys": vals}
	}
	runEvalCases(t, []evalCase{
		{name: "ForAllValues every value listed", op: "ForAllValues:StringEquals", key: "aws:TagKeys", values: []string{"env", "team"}, ctx: tags("env", "team"), want: true},
		{name: "ForAllValues subset listed", op: "ForAllValues:StringEquals", key: "aws:TagKeys", values: []string{"env", "team", "cost"}, ctx: tags("team"), want: true},
		{name: "ForAllValues one value unlisted", op: "ForAllValues:StringEquals", key: "aws:TagKeys", values: []string{"env"}, ctx: tags("env", "owner"), want: false},
		{name: "ForAllValues missing key is true", op: "ForAllValues:StringEquals", key: "aws:TagKeys", values: []string{"env"}, ctx: nil, want: true},
		{name: "ForAllValues empty set is true", op: "ForAllValues:StringEquals", key: "aws:TagKeys", values: []string{"env"}, ctx: tags(), want: true},
		{name: "ForAllValues StringLike", op: "ForAllValues:StringLike", key: "dynamodb:Attributes", values: []string{"PostDateTime", "Message", "Tags"}, ctx: map[string][]string{"dynamodb:attributes": {"PostDateTime", "UserName"}}, want: false},
		{name: "ForAllValues StringLike wildcard", op: "ForAllValues:StringLike", key: "aws:TagKeys", values: []string{"Created*"}, ctx: tags("CreatedBy", "CreatedAt"), want: true},
		{name: "ForAnyValue one value listed", op: "ForAnyValue:StringEquals", key: "aws:TagKeys", values: []string{"env"}, ctx: tags("owner", "env"), want: true},
		{name: "ForAnyValue no value listed", op: "ForAnyValue:StringEquals", key: "aws:TagKeys", values: []string{"env"}, ctx: tags("owner"), want: false},
		{name: "ForAnyValue missing key is false", op: "ForAnyValue:StringEquals", key: "aws:TagKeys", values: []string{"env"}, ctx: nil, want: false},
		{name: "ForAnyValue empty set is false", op: "ForAnyValue:StringEquals", key: "aws:TagKeys", values: []string{"env"}, ctx: tags(), want: false},
		{name: "ForAnyValue StringLike deny example", op: "ForAnyValue:StringLike", key: "dynamodb:Attributes", values: []string{"ID", "PostDateTime"}, ctx: map[string][]string{"dynamodb:attributes": {"UserName", "Message", "PostDateTime"}}, want: true},
		// Negated operators with set operators: each request value must (ForAll)
		// or may (ForAny) differ from every policy value.
		{name: "ForAllValues StringNotEquals none listed", op: "ForAllValues:StringNotEquals", key: "aws:TagKeys", values: []string{"secret"}, ctx: tags("env", "team"), want: true},
		{name: "ForAllValues StringNotEquals one listed", op: "ForAllValues:StringNotEquals", key: "aws:TagKeys", values: []string{"secret"}, ctx: tags("env", "secret"), want: false},
		{name: "ForAllValues StringNotEquals missing key is true", op: "ForAllValues:StringNotEquals", key: "aws:TagKeys", values: []string{"secret"}, ctx: nil, want: true},
		{name: "ForAllValues StringNotEquals empty set is true", op: "ForAllValues:StringNotEquals", key: "aws:TagKeys", values: []string{"secret"}, ctx: tags(), want: true},
		{name: "ForAnyValue StringNotEquals one unlisted", op: "ForAnyValue:StringNotEquals", key: "aws:TagKeys", values: []string{"env"}, ctx: tags("env", "owner"), want: true},
		{name: "ForAnyValue StringNotEquals all listed", op: "ForAnyValue:StringNotEquals", key: "aws:TagKeys", values: []string{"env", "owner"}, ctx: tags("env", "owner"), want: false},
		{name: "ForAnyValue StringNotEquals missing key is false", op: "ForAnyValue:StringNotEquals", key: "aws:TagKeys", values: []string{"env"}, ctx: nil, want: false},
		{name: "ForAnyValue StringNotEquals empty set is false", op: "ForAnyValue:StringNotEquals", key: "aws:TagKeys", values: []string{"env"}, ctx: tags(), want: false},
		{name: "ForAllValues StringNotLike", op: "ForAllValues:StringNotLike", key: "aws:TagKeys", values: []string{"aws:*"}, ctx: tags("env", "aws:cloudformation:stack"), want: false},
		{name: "ForAnyValue StringNotLike", op: "ForAnyValue:StringNotLike", key: "aws:TagKeys", values: []string{"aws:*"}, ctx: tags("env", "aws:cloudformation:stack"), want: true},
		// Other families with set operators.
		{name: "ForAllValues NumericLessThan", op: "ForAllValues:NumericLessThan", values: []string{"10"}, ctx: v("1", "9"), want: true},
		{name: "ForAllValues NumericLessThan one too big", op: "ForAllValues:NumericLessThan", values: []string{"10"}, ctx: v("1", "10"), want: false},
		{name: "ForAllValues invalid number fails the set", op: "ForAllValues:NumericLessThan", values: []string{"10"}, ctx: v("1", "x"), want: false},
		{name: "ForAnyValue IpAddress", op: "ForAnyValue:IpAddress", values: []string{"10.0.0.0/8"}, ctx: v("192.0.2.1", "10.1.2.3"), want: true},
		{name: "ForAllValues ArnLike", op: "ForAllValues:ArnLike", values: []string{"arn:aws:iam::*:role/*"}, ctx: v("arn:aws:iam::1:role/a", "arn:aws:iam::2:role/b"), want: true},
		{name: "ForAnyValue ArnNotLike", op: "ForAnyValue:ArnNotLike", values: []string{"arn:aws:iam::*:role/*"}, ctx: v("arn:aws:iam::1:role/a", "arn:aws:iam::2:user/b"), want: true},
		{name: "ForAnyValue Bool", op: "ForAnyValue:Bool", values: []string{"true"}, ctx: v("false", "true"), want: true},
		{name: "ForAllValues DateGreaterThan", op: "ForAllValues:DateGreaterThan", values: []string{"2020-01-01"}, ctx: v("2021-01-01", "2019-01-01"), want: false},
		{name: "ForAnyValue StringEqualsIgnoreCase", op: "ForAnyValue:StringEqualsIgnoreCase", values: []string{"ENV"}, ctx: v("team", "env"), want: true},
		// IfExists with set operators.
		{name: "ForAnyValue with IfExists and missing key is false (AWS evidence in condition.go)", op: "ForAnyValue:StringEqualsIfExists", key: "aws:TagKeys", values: []string{"env"}, ctx: nil, want: false},
		{name: "ForAnyValue with IfExists and present key evaluates normally", op: "ForAnyValue:StringEqualsIfExists", key: "aws:TagKeys", values: []string{"env"}, ctx: tags("x"), want: false},
		{name: "ForAllValues with IfExists and missing key is true", op: "ForAllValues:StringEqualsIfExists", key: "aws:TagKeys", values: []string{"env"}, ctx: nil, want: true},
		// Set operators on a single-valued key behave like the plain operator.
		{name: "ForAnyValue on single value", op: "ForAnyValue:StringEquals", values: []string{"a"}, ctx: v("a"), want: true},
		{name: "set prefix is case-insensitive", op: "forallvalues:stringequals", values: []string{"a"}, ctx: v("a"), want: true},
	})
}
