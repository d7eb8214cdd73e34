package condition

import "testing"

func TestBinaryOperator(t *testing.T) {
	t.Parallel()
	runEvalCases(t, []evalCase{
		{name: "BinaryEquals same bytes", op: "BinaryEquals", values: []string{"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}, ctx: v("QmluYXJ5VmFsdWVJbkJhc2U2NA=="), want: true},
		{name: "BinaryEquals compares decoded bytes", op: "BinaryEquals", values: []string{"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}, ctx: v("QmluYXJ5VmFsdWVJbkJhc2U2NA"), want: true},
		{name: "BinaryEquals raw request bytes", op: "BinaryEquals", values: []string{"aGk/Pw=="}, ctx: v("hi??"), want: true},
		{name: "BinaryEquals different bytes", op: "BinaryEquals", values: []string{"QUJD"}, ctx: v("QUJE"), want: false},
		{name: "BinaryEquals missing key", op: "BinaryEquals", values: []string{"QUJD"}, ctx: nil, want: false},
		{name: "BinaryEquals invalid policy base64 never matches", op: "BinaryEquals", values: []string{"!!"}, ctx: v("!!"), want: false},
		{name: "BinaryEqualsIfExists missing key", op: "BinaryEqualsIfExists", values: []string{"QUJD"}, ctx: nil, want: true},
	})
}
