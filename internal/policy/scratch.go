package policy

import "sync"

// scratch is the working memory of one Parse that the policy does not keep:
// the JSON tape.
type scratch struct {
	json jsonParser
}

// scratches recycles scratch memory between parses.
var scratches = sync.Pool{New: func() any { return new(scratch) }}

// release empties sc, which must drop every reference to the document and
// its policy, and returns it to the pool.
func (sc *scratch) release() {
	sc.json.reset()
	scratches.Put(sc)
}
