package condition

import "strings"

// Null condition operator ("IAM JSON policy elements: Condition operators",
// Condition operator to check existence of condition keys): "true" means the
// key must be absent from the request context, "false" that it must be
// present. Several values are ORed. Policy variables and the IfExists suffix
// are not supported; a set-operator prefix has no effect. A key present with
// an empty set of values counts as present.

type nullTest struct {
	absent  bool // a "true" value is listed
	present bool // a "false" value is listed
}

func newNullCond(cc *Compiler, values []string) *Cond {
	x := cc.nulls.alloc()
	x.c.null = &x.m
	t := &x.m
	for _, v := range values {
		switch {
		case strings.EqualFold(v, "true"):
			t.absent = true
		case strings.EqualFold(v, "false"):
			t.present = true
		}
	}
	return &x.c
}

func (t *nullTest) eval(present bool) bool {
	if present {
		return t.present
	}
	return t.absent
}
