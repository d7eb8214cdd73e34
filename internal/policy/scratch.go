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

	// The fast path's buffers.
	stmts   []Statement
	comps   []compiled
	buf     []string // a list being read
	vals    []string // the values of entries, a Condition's at a time
	entries []fastEntry
	ops     []string
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
	sc.forget()
	// A parse fills stmts and comps from the start once, so clearing to
	// the length clears all it wrote; the other buffers are refilled for
	// each list or Condition, so they are cleared to their capacity.
	clear(sc.stmts)
	clear(sc.comps)
	clear(sc.buf[:cap(sc.buf)])
	clear(sc.vals[:cap(sc.vals)])
	clear(sc.entries[:cap(sc.entries)])
	clear(sc.ops[:cap(sc.ops)])
	scratches.Put(sc)
}

// forget empties the Sids seen and the caches.
func (sc *scratch) forget() {
	sc.sids.reset()
	sc.actionElems.reset()
	sc.resourceElems.reset()
	sc.condElems.reset()
	sc.actions.reset()
	sc.resources.reset()
	sc.conds.reset()
}
