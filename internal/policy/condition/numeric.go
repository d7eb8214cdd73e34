package condition

// Numeric condition operators ("IAM JSON policy elements: Condition
// operators", Numeric condition operators): NumericEquals, NumericNotEquals,
// NumericLessThan, NumericLessThanEquals, NumericGreaterThan,
// NumericGreaterThanEquals. Values are integers or decimals; policy
// variables are not supported.
//
// Numbers are compared exactly as decimals (no float rounding), so
// "9007199254740993" and "9007199254740992" differ. A request value that is
// not a decimal number satisfies neither the positive nor the negated
// operator; a policy value that is not one never matches.

type cmpOp uint8

const (
	cmpEQ cmpOp = iota
	cmpLT
	cmpLE
	cmpGT
	cmpGE
)

// test applies the comparison to the result of a three-way compare.
func (op cmpOp) test(r int) bool {
	switch op {
	case cmpLT:
		return r < 0
	case cmpLE:
		return r <= 0
	case cmpGT:
		return r > 0
	case cmpGE:
		return r >= 0
	}
	return r == 0
}

func cmpFromName(name, family string) cmpOp {
	switch name[len(family):] {
	case "lessthan":
		return cmpLT
	case "lessthanequals":
		return cmpLE
	case "greaterthan":
		return cmpGT
	case "greaterthanequals":
		return cmpGE
	}
	return cmpEQ // equals, notequals
}

type numericMatcher struct {
	op   cmpOp
	nums []decimal
}

func newNumericMatcher(cc *Compiler, name string, values []string) *Cond {
	c, m := newCond(&cc.nums)
	m.op = cmpFromName(name, "numeric")
	for _, v := range values {
		if d, ok := parseDecimal(v); ok {
			m.nums = append(m.nums, d)
		}
	}
	return c
}

func (m *numericMatcher) match(_ *Context, v string) (ok, hit bool) {
	d, ok := parseDecimal(v)
	if !ok {
		return false, false
	}
	for _, n := range m.nums {
		if m.op.test(d.cmp(n)) {
			return true, true
		}
	}
	return true, false
}

// decimal is a parsed decimal number: digits before and after the point,
// without leading zeros in the integer part or trailing zeros in the
// fraction. Both are substrings of the input.
type decimal struct {
	neg   bool
	whole string
	frac  string
}

// parseDecimal accepts [+-]digits[.digits], [+-]digits. and [+-].digits.
func parseDecimal(s string) (decimal, bool) {
	var d decimal
	if s != "" && (s[0] == '+' || s[0] == '-') {
		d.neg = s[0] == '-'
		s = s[1:]
	}
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	d.whole = s[:i]
	if i < len(s) {
		if s[i] != '.' {
			return decimal{}, false
		}
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j != len(s) {
			return decimal{}, false
		}
		d.frac = s[i+1:]
	}
	if d.whole == "" && d.frac == "" {
		return decimal{}, false
	}
	for len(d.whole) > 0 && d.whole[0] == '0' {
		d.whole = d.whole[1:]
	}
	for len(d.frac) > 0 && d.frac[len(d.frac)-1] == '0' {
		d.frac = d.frac[:len(d.frac)-1]
	}
	if d.whole == "" && d.frac == "" {
		d.neg = false // -0 == 0
	}
	return d, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// cmp returns -1, 0 or +1 as d is less than, equal to or greater than e.
func (d decimal) cmp(e decimal) int {
	if d.neg != e.neg {
		if d.neg {
			return -1
		}
		return 1
	}
	r := d.cmpAbs(e)
	if d.neg {
		return -r
	}
	return r
}

func (d decimal) cmpAbs(e decimal) int {
	if len(d.whole) != len(e.whole) {
		if len(d.whole) < len(e.whole) {
			return -1
		}
		return 1
	}
	if d.whole != e.whole {
		if d.whole < e.whole {
			return -1
		}
		return 1
	}
	// Without trailing zeros, fractions compare lexicographically.
	switch {
	case d.frac < e.frac:
		return -1
	case d.frac > e.frac:
		return 1
	}
	return 0
}
