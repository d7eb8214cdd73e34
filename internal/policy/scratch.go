package policy

import (
	"sync"

	"github.com/grantd/grantd/internal/policy/condition"
)

// scratch is the working memory of one Parse that the policy does not keep:
// the JSON tape, the Sids seen, and caches of the entries already compiled
// from the document. Policies repeat themselves — the same actions,
// resources and conditions in statement after statement — and a repeat
// then costs a lookup instead of a compilation. Compiled entries are
// immutable, so the statements that repeat one share it: the caches point
// into the statements' slabs, whose arrays never move.
//
// Whole elements are cached by their text (and name), then the entries of
// an element that is not: an action or resource by its string, a condition
// entry by its text, from its key's opening quote to the end of its
// values, and its operator as written.
type scratch struct {
	json          jsonParser
	sids          memo[struct{}]
	actionElems   memo[actionElem]
	resourceElems memo[resourceElem]
	condElems     memo[condElem]
	actions       memo[*actionPattern]
	resources     memo[*resourcePattern]
	conds         memo[condEntry]
}

// condEntry is a compiled condition entry.
type condEntry struct {
	c    *Condition
	eval *condition.Cond
}

// scratches recycles scratch memory between parses.
var scratches = sync.Pool{New: func() any { return new(scratch) }}

// release empties sc, which must drop every reference to the document and
// its policy, and returns it to the pool.
func (sc *scratch) release() {
	sc.json.reset()
	sc.sids.reset()
	sc.actionElems.reset()
	sc.resourceElems.reset()
	sc.condElems.reset()
	sc.actions.reset()
	sc.resources.reset()
	sc.conds.reset()
	scratches.Put(sc)
}
