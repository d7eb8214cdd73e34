package policy

import "hash/maphash"

// memo is a hash table from pairs of strings to values, for the caches of
// one parse. For this job it is cheaper than a Go map: the hash is computed
// once for a lookup and the insertion that follows a miss, and emptying it
// for the next parse is one clear.
type memo[V any] struct {
	slots []memoSlot[V] // a power of two in length; at most half full
	n     int
}

type memoSlot[V any] struct {
	hash uint64 // 0 marks an empty slot
	a, b string
	val  V
}

// memoSeed seeds the hashes of every memo.
var memoSeed = maphash.MakeSeed()

// memoKey is a located key: its hash and the slot holding it or where it
// belongs.
type memoKey struct {
	hash uint64
	slot int
}

// find looks (a, b) up. When it is absent, put with the returned key
// stores a value for it.
func (m *memo[V]) find(a, b string) (v V, k memoKey, found bool) {
	if 2*(m.n+1) > len(m.slots) {
		m.grow()
	}
	h := maphash.String(memoSeed, a)
	if b != "" {
		h ^= maphash.String(memoSeed, b) * 0x9e3779b97f4a7c15
	}
	h |= 1
	mask := len(m.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		s := &m.slots[i]
		if s.hash == 0 {
			return v, memoKey{hash: h, slot: i}, false
		}
		if s.hash == h && s.a == a && s.b == b {
			return s.val, memoKey{}, true
		}
	}
}

// put stores v for (a, b), which find returned k for; no other key may have
// been stored since.
func (m *memo[V]) put(k memoKey, a, b string, v V) {
	m.slots[k.slot] = memoSlot[V]{hash: k.hash, a: a, b: b, val: v}
	m.n++
}

// grow doubles the table (or makes its first one).
func (m *memo[V]) grow() {
	old := m.slots
	m.slots = make([]memoSlot[V], max(2*len(old), 64))
	mask := len(m.slots) - 1
	for _, s := range old {
		if s.hash == 0 {
			continue
		}
		i := int(s.hash) & mask
		for m.slots[i].hash != 0 {
			i = (i + 1) & mask
		}
		m.slots[i] = s
	}
}

// reset empties m, dropping its references, and keeps its table unless it
// is much larger than the last parse needed.
func (m *memo[V]) reset() {
	if len(m.slots) > 8*max(m.n, 64) {
		m.slots = nil
	} else {
		clear(m.slots)
	}
	m.n = 0
}
