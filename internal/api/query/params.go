package query

import (
	"sort"
	"strconv"
	"strings"

	"github.com/grantd/grantd/internal/awserr"
)

// Has reports whether name was sent (possibly empty).
func (p Params) Has(name string) bool {
	_, ok := p.Values[name]
	return ok
}

// Int returns the integer parameter name, def when absent. A value that is
// not an integer is a ValidationError, as AWS reports it.
func (p Params) Int(name string, def int) (int, error) {
	v, ok := p.Values[name]
	if !ok || len(v) == 0 {
		return def, nil
	}
	n, err := strconv.Atoi(v[0])
	if err != nil {
		return 0, awserr.Newf(awserr.ValidationError, "Value '%s' at '%s' failed to satisfy constraint: Member must be a number", v[0], lowerFirst(name))
	}
	return n, nil
}

// Bool returns the boolean parameter name, def when absent.
func (p Params) Bool(name string, def bool) (bool, error) {
	v := p.Get(name)
	switch strings.ToLower(v) {
	case "":
		return def, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, awserr.Newf(awserr.ValidationError, "Value '%s' at '%s' failed to satisfy constraint: Member must be a boolean", v, lowerFirst(name))
}

// Members returns the list name.member.1, name.member.2, … in index order.
func (p Params) Members(name string) []string {
	prefix := name + ".member."
	type item struct {
		i int
		v string
	}
	var items []item
	for k, vs := range p.Values {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok || len(vs) == 0 {
			continue
		}
		i, err := strconv.Atoi(rest)
		if err != nil {
			continue
		}
		items = append(items, item{i, vs[0]})
	}
	sort.Slice(items, func(a, b int) bool { return items[a].i < items[b].i })
	out := make([]string, len(items))
	for j, it := range items {
		out[j] = it.v
	}
	return out
}

// Structs returns the list of structures name.member.N.Field as Params
// keyed by Field, in index order.
func (p Params) Structs(name string) []Params {
	prefix := name + ".member."
	byIndex := map[int]Params{}
	for k, vs := range p.Values {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		num, field, ok := strings.Cut(rest, ".")
		i, err := strconv.Atoi(num)
		if !ok || err != nil {
			continue
		}
		s := byIndex[i]
		if s.Values == nil {
			s = Params{map[string][]string{}}
			byIndex[i] = s
		}
		s.Values[field] = vs
	}
	idx := make([]int, 0, len(byIndex))
	for i := range byIndex {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	out := make([]Params, len(idx))
	for j, i := range idx {
		out[j] = byIndex[i]
	}
	return out
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
