package condition

import "testing"

func TestNumericOperators(t *testing.T) {
	t.Parallel()
	runEvalCases(t, []evalCase{
		{name: "NumericEquals integers", op: "NumericEquals", values: []string{"10"}, ctx: v("10"), want: true},
		{name: "NumericEquals compares numbers not strings", op: "NumericEquals", values: []string{"10"}, ctx: v("10.0"), want: true},
		{name: "NumericEquals leading zeros", op: "NumericEquals", values: []string{"010"}, ctx: v("10"), want: true},
		{name: "NumericEquals plus sign", op: "NumericEquals", values: []string{"+5"}, ctx: v("5"), want: true},
		{name: "NumericEquals negative zero", op: "NumericEquals", values: []string{"-0"}, ctx: v("0.000"), want: true},
		{name: "NumericEquals decimals", op: "NumericEquals", values: []string{"1.50"}, ctx: v("1.5"), want: true},
		{name: "NumericEquals different", op: "NumericEquals", values: []string{"10"}, ctx: v("11"), want: false},
		{name: "NumericEquals exact beyond float precision", op: "NumericEquals", values: []string{"9007199254740993"}, ctx: v("9007199254740992"), want: false},
		{name: "NumericEquals values are ORed", op: "NumericEquals", values: []string{"1", "2"}, ctx: v("2"), want: true},
		{name: "NumericEquals non-numeric request value", op: "NumericEquals", values: []string{"10"}, ctx: v("ten"), want: false},
		{name: "NumericEquals non-numeric policy value never matches", op: "NumericEquals", values: []string{"ten"}, ctx: v("10"), want: false},
		{name: "NumericEquals rejects exponents", op: "NumericEquals", values: []string{"1e1"}, ctx: v("10"), want: false},
		{name: "NumericEquals no variables", op: "NumericEquals", values: []string{"${test:other}"}, ctx: map[string][]string{"test:key": {"5"}, "test:other": {"5"}}, want: false},
		{name: "NumericEquals missing key", op: "NumericEquals", values: []string{"10"}, ctx: nil, want: false},
		{name: "NumericNotEquals different", op: "NumericNotEquals", values: []string{"10"}, ctx: v("11"), want: true},
		{name: "NumericNotEquals equal", op: "NumericNotEquals", values: []string{"10"}, ctx: v("10.00"), want: false},
		{name: "NumericNotEquals missing key is true", op: "NumericNotEquals", values: []string{"10"}, ctx: nil, want: true},
		{name: "NumericNotEquals non-numeric request value is not satisfied", op: "NumericNotEquals", values: []string{"10"}, ctx: v("ten"), want: false},
		{name: "NumericLessThan less", op: "NumericLessThan", values: []string{"10"}, ctx: v("9"), want: true},
		{name: "NumericLessThan equal", op: "NumericLessThan", values: []string{"10"}, ctx: v("10"), want: false},
		{name: "NumericLessThan negative", op: "NumericLessThan", values: []string{"-1"}, ctx: v("-2"), want: true},
		{name: "NumericLessThan decimal", op: "NumericLessThan", values: []string{"0.51"}, ctx: v("0.5"), want: true},
		{name: "NumericLessThan longer integer part is larger", op: "NumericLessThan", values: []string{"99"}, ctx: v("100"), want: false},
		{name: "NumericLessThanEquals equal", op: "NumericLessThanEquals", values: []string{"10"}, ctx: v("10"), want: true},
		{name: "NumericLessThanEquals s3:max-keys example", op: "NumericLessThanEquals", key: "s3:max-keys", values: []string{"10"}, ctx: map[string][]string{"s3:max-keys": {"11"}}, want: false},
		{name: "NumericGreaterThan greater", op: "NumericGreaterThan", values: []string{"10"}, ctx: v("10.5"), want: true},
		{name: "NumericGreaterThan equal", op: "NumericGreaterThan", values: []string{"10"}, ctx: v("10"), want: false},
		{name: "NumericGreaterThan negatives", op: "NumericGreaterThan", values: []string{"-10"}, ctx: v("-9"), want: true},
		{name: "NumericGreaterThanEquals equal", op: "NumericGreaterThanEquals", values: []string{"10"}, ctx: v("10"), want: true},
		{name: "NumericGreaterThanEquals less", op: "NumericGreaterThanEquals", values: []string{"10"}, ctx: v("9.999"), want: false},
		{name: "NumericGreaterThanEquals any of several values", op: "NumericGreaterThanEquals", values: []string{"100", "5"}, ctx: v("6"), want: true},
		{name: "NumericLessThanIfExists missing key", op: "NumericLessThanIfExists", values: []string{"10"}, ctx: nil, want: true},
	})
}

func TestParseDecimal(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{"0", true}, {"-1", true}, {"+1", true}, {"1.", true}, {".5", true}, {"1.5", true},
		{"", false}, {"-", false}, {".", false}, {"1e3", false}, {"0x10", false}, {"1.2.3", false}, {" 1", false}, {"NaN", false}, {"Inf", false},
	} {
		if _, ok := parseDecimal(tt.in); ok != tt.ok {
			t.Errorf("parseDecimal(%q) ok = %v, want %v", tt.in, ok, tt.ok)
		}
	}
}
