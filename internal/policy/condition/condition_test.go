package condition

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCompileErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		op, key string
		kind    ErrorKind
		msg     string
	}{
		{name: "unknown operator", op: "StringEqualz", key: "aws:username", kind: UnknownOperator, msg: "Invalid Condition type : StringEqualz"},
		{name: "unknown set operator", op: "ForSomeValues:StringEquals", key: "aws:username", kind: UnknownOperator, msg: "Invalid Condition type : ForSomeValues:StringEquals"},
		{name: "Null cannot take IfExists", op: "NullIfExists", key: "aws:username", kind: UnknownOperator, msg: "Invalid Condition type : NullIfExists"},
		{name: "empty operator", op: "", key: "aws:username", kind: UnknownOperator, msg: "Invalid Condition type : "},
		{name: "IfExists alone", op: "IfExists", key: "aws:username", kind: UnknownOperator, msg: "Invalid Condition type : IfExists"},
		{name: "double IfExists", op: "StringEqualsIfExistsIfExists", key: "aws:username", kind: UnknownOperator, msg: "Invalid Condition type : StringEqualsIfExistsIfExists"},
		{name: "key without service prefix", op: "StringEquals", key: "username", kind: InvalidKey, msg: "Policy has an invalid condition key"},
		{name: "empty key", op: "StringEquals", key: "", kind: InvalidKey, msg: "Policy has an invalid condition key"},
		{name: "key with empty prefix", op: "StringEquals", key: ":username", kind: InvalidKey, msg: "Policy has an invalid condition key"},
		{name: "key with empty name", op: "StringEquals", key: "aws:", kind: InvalidKey, msg: "Policy has an invalid condition key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Compile(tt.op, tt.key, []string{"x"}, true)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Compile error = %v, want *Error", err)
			}
			if e.Kind != tt.kind || e.Error() != tt.msg {
				t.Errorf("got kind %d %q, want kind %d %q", e.Kind, e.Error(), tt.kind, tt.msg)
			}
		})
	}
}

func TestValidOperator(t *testing.T) {
	t.Parallel()
	var all []string
	for base := range operators {
		all = append(all, base)
	}
	for _, base := range all {
		for _, op := range []string{base, "ForAllValues:" + base, "ForAnyValue:" + base, base + "IfExists"} {
			want := !(base == "null" && op == base+"IfExists")
			if got := ValidOperator(op); got != want {
				t.Errorf("ValidOperator(%q) = %v, want %v", op, got, want)
			}
		}
	}
	if len(all) != 27 {
		t.Errorf("%d base operators, want the 27 IAM documents", len(all))
	}
}

func TestCondAccessors(t *testing.T) {
	t.Parallel()
	c, err := Compile("ForAnyValue:StringLike", "aws:TagKeys", []string{"a*", "b"}, true)
	if err != nil {
		t.Fatal(err)
	}
	got := []any{c.Operator(), c.Key(), c.Values()}
	want := []any{"ForAnyValue:StringLike", "aws:TagKeys", []string{"a*", "b"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("accessors mismatch (-want +got):\n%s", diff)
	}
}
