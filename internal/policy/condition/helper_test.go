package condition

import (
	"sort"
	"testing"
)

// evalCase is one condition evaluation. name states the AWS rule checked.
type evalCase struct {
	name   string
	op     string
	key    string // defaults to "test:key"
	values []string
	ctx    map[string][]string // an entry with a nil slice is absent; use []string{} for present-but-empty
	novars bool                // a 2008-10-17 policy: no variables
	want   bool
}

func newCtx(m map[string][]string) *Context {
	c := &Context{}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if v := m[k]; v != nil {
			c.Set(k, v...)
		}
	}
	return c
}

func runEvalCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			key := tt.key
			if key == "" {
				key = "test:key"
			}
			c, err := Compile(tt.op, key, tt.values, !tt.novars)
			if err != nil {
				t.Fatalf("Compile(%q, %q, %q): %v", tt.op, key, tt.values, err)
			}
			if got := c.Eval(newCtx(tt.ctx)); got != tt.want {
				t.Errorf("%s %s %q with context %v = %v, want %v", tt.op, key, tt.values, tt.ctx, got, tt.want)
			}
		})
	}
}

// v builds a context with the single key "test:key".
func v(values ...string) map[string][]string {
	if values == nil {
		values = []string{}
	}
	return map[string][]string{"test:key": values}
}
