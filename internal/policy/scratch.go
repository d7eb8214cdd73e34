package policy

import (
	"sync"

	"github.com/grantd/grantd/internal/policy/condition"
)

// scratch is the working memory of one Parse that the policy does not keep:
// the JSON tape, and caches of the entries already compiled from the
// document. Policies repeat themselves — the same actions, resources and
// conditions in statement after statement — and a repeat then costs a map
// lookup instead of a compilation. Compiled entries are immutable, so the
// statements that repeat one share it.
type scratch struct {
	json      jsonParser
	actions   map[string]actionPattern
	resources map[string]*resourcePattern
	conds     map[condKey]condEntry
}

// condKey identifies a condition entry: its operator as written and the
// text of the entry, from its key's opening quote to the end of its values.
type condKey struct {
	op, entry string
}

// condEntry is a compiled condition entry.
type condEntry struct {
	c    Condition
	eval *condition.Cond
}

// scratches recycles scratch memory between parses.
var scratches = sync.Pool{New: func() any {
	return &scratch{
		actions:   make(map[string]actionPattern),
		resources: make(map[string]*resourcePattern),
		conds:     make(map[condKey]condEntry),
	}
}}

// release empties sc, which must drop every reference to the document and
// its policy, and returns it to the pool.
func (sc *scratch) release() {
	sc.json.reset()
	clear(sc.actions)
	clear(sc.resources)
	clear(sc.conds)
	scratches.Put(sc)
}
