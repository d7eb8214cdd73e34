package condition

import "testing"

func TestStringOperators(t *testing.T) {
	t.Parallel()
	runEvalCases(t, []evalCase{
		// StringEquals: exact matching, case sensitive.
		{name: "StringEquals exact match", op: "StringEquals", values: []string{"alice"}, ctx: v("alice"), want: true},
		{name: "StringEquals is case-sensitive", op: "StringEquals", values: []string{"alice"}, ctx: v("Alice"), want: false},
		{name: "StringEquals values are ORed", op: "StringEquals", values: []string{"bob", "alice"}, ctx: v("alice"), want: true},
		{name: "StringEquals has no wildcards", op: "StringEquals", values: []string{"al*"}, ctx: v("alice"), want: false},
		{name: "StringEquals literal star matches star", op: "StringEquals", values: []string{"al*"}, ctx: v("al*"), want: true},
		{name: "StringEquals missing key is false", op: "StringEquals", values: []string{"alice"}, ctx: nil, want: false},
		{name: "StringEquals empty value matches empty string", op: "StringEquals", values: []string{""}, ctx: v(""), want: true},
		{name: "StringEquals present-but-empty key is false", op: "StringEquals", values: []string{""}, ctx: v(), want: false},
		{name: "StringEquals condition key is case-insensitive", op: "StringEquals", key: "AWS:UserName", values: []string{"alice"}, ctx: map[string][]string{"aws:username": {"alice"}}, want: true},
		{name: "operator name is case-insensitive", op: "stringequals", values: []string{"alice"}, ctx: v("alice"), want: true},
		// StringNotEquals: negated matching.
		{name: "StringNotEquals different value", op: "StringNotEquals", values: []string{"alice"}, ctx: v("bob"), want: true},
		{name: "StringNotEquals same value", op: "StringNotEquals", values: []string{"alice"}, ctx: v("alice"), want: false},
		{name: "StringNotEquals must differ from every value", op: "StringNotEquals", values: []string{"bob", "alice"}, ctx: v("alice"), want: false},
		{name: "StringNotEquals missing key is true", op: "StringNotEquals", values: []string{"alice"}, ctx: nil, want: true},
		{name: "StringNotEquals case differs", op: "StringNotEquals", values: []string{"alice"}, ctx: v("ALICE"), want: true},
		// StringEqualsIgnoreCase.
		{name: "StringEqualsIgnoreCase ignores case", op: "StringEqualsIgnoreCase", values: []string{"Alice"}, ctx: v("aLICE"), want: true},
		{name: "StringEqualsIgnoreCase different", op: "StringEqualsIgnoreCase", values: []string{"alice"}, ctx: v("bob"), want: false},
		{name: "StringEqualsIgnoreCase missing key", op: "StringEqualsIgnoreCase", values: []string{"alice"}, ctx: nil, want: false},
		{name: "StringEqualsIgnoreCase has no wildcards", op: "StringEqualsIgnoreCase", values: []string{"A*"}, ctx: v("alice"), want: false},
		{name: "StringNotEqualsIgnoreCase same modulo case", op: "StringNotEqualsIgnoreCase", values: []string{"Alice"}, ctx: v("alice"), want: false},
		{name: "StringNotEqualsIgnoreCase different", op: "StringNotEqualsIgnoreCase", values: []string{"Alice"}, ctx: v("bob"), want: true},
		{name: "StringNotEqualsIgnoreCase missing key is true", op: "StringNotEqualsIgnoreCase", values: []string{"Alice"}, ctx: nil, want: true},
		// StringLike: * and ? anywhere, case-sensitive.
		{name: "StringLike star", op: "StringLike", values: []string{"home/*"}, ctx: v("home/alice/x"), want: true},
		{name: "StringLike star matches empty", op: "StringLike", values: []string{"home/*"}, ctx: v("home/"), want: true},
		{name: "StringLike question mark", op: "StringLike", values: []string{"t?.micro"}, ctx: v("t2.micro"), want: true},
		{name: "StringLike question needs one char", op: "StringLike", values: []string{"t?.micro"}, ctx: v("t.micro"), want: false},
		{name: "StringLike is case-sensitive", op: "StringLike", values: []string{"home/*"}, ctx: v("HOME/a"), want: false},
		{name: "StringLike empty pattern matches empty prefix", op: "StringLike", values: []string{"", "home/"}, ctx: v(""), want: true},
		{name: "StringLike without wildcards is exact", op: "StringLike", values: []string{"home"}, ctx: v("home/"), want: false},
		{name: "StringLike star spans colons", op: "StringLike", values: []string{"arn:aws:someservice:*:111122223333:finance/*"}, ctx: v("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), want: true},
		{name: "StringLike missing key", op: "StringLike", values: []string{"*"}, ctx: nil, want: false},
		{name: "StringNotLike matching value", op: "StringNotLike", values: []string{"home/*"}, ctx: v("home/a"), want: false},
		{name: "StringNotLike non-matching value", op: "StringNotLike", values: []string{"home/*"}, ctx: v("tmp/a"), want: true},
		{name: "StringNotLike missing key is true", op: "StringNotLike", values: []string{"home/*"}, ctx: nil, want: true},
		{name: "StringNotLike star matches everything", op: "StringNotLike", values: []string{"*"}, ctx: v("x"), want: false},
		// Multi-valued key without a set operator.
		{name: "positive operator on multi-valued key needs one match", op: "StringEquals", values: []string{"a"}, ctx: v("b", "a"), want: true},
		{name: "negated operator on multi-valued key needs no match", op: "StringNotEquals", values: []string{"a"}, ctx: v("b", "a"), want: false},
		{name: "negated operator on multi-valued key all different", op: "StringNotEquals", values: []string{"a"}, ctx: v("b", "c"), want: true},
	})
}
