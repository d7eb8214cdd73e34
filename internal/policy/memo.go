package policy

import (
	"crypto/rand"
	"encoding/binary"
	"math/bits"
)

// memo is a hash table from pairs of strings to values, for the caches of
// one parse. For this job it is cheaper than a Go map: the hash is computed
// once for a lookup and the insertion that follows a miss, and emptying it
// for the next parse is one clear.
type memo[V any] struct {
	slots []memoSlot[V] // a power of two in length; at most half full
	n     int
	used  []int32 // the slots filled, so that reset clears only those
}

type memoSlot[V any] struct {
	hash uint64 // 0 marks an empty slot
	a, b string
	val  V
}

// memoSeed seeds the hashes of every memo, so that documents cannot be
// written to collide.
var memoSeed = func() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail
	return binary.LittleEndian.Uint64(b[:])
}()

// memoHash hashes s with a multiply-and-fold mix (as in wyhash) of its
// 8-byte words, the last one overlapping the one before if s is not a
// multiple of eight bytes long. Of a string longer than 32 bytes it mixes
// only five words: the first two, one from the middle and the last two.
// Keys — element texts — are hashed often and are often long, and a
// collision costs only a comparison (find bounds the probes, so even
// crafted collisions cannot make a parse slow).
func memoHash(s string) uint64 {
	n := len(s)
	h := memoSeed ^ uint64(n)*0x9e3779b97f4a7c15
	switch {
	case n > 32:
		h = mix(h ^ load64(s, 0))
		h = mix(h ^ load64(s, 8))
		h = mix(h ^ load64(s, n/2-4))
		h = mix(h ^ load64(s, n-16))
		h = mix(h ^ load64(s, n-8))
	case n >= 8:
		for i := 0; i+8 < n; i += 8 {
			h = mix(h ^ load64(s, i))
		}
		h = mix(h ^ load64(s, n-8))
	case n >= 4:
		h = mix(h ^ uint64(load32(s, 0))<<32 | uint64(load32(s, n-4)))
	case n > 0:
		h = mix(h ^ uint64(s[0])<<16 | uint64(s[n>>1])<<8 | uint64(s[n-1]))
	}
	return mix(h)
}

// mix folds the 128-bit product of x and a large odd constant.
func mix(x uint64) uint64 {
	hi, lo := bits.Mul64(x, 0xa0761d6478bd642f)
	return hi ^ lo
}

// load32 reads the four bytes of s at i (i+4 <= len(s)) as one word.
func load32(s string, i int) uint32 {
	b := s[i : i+4]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// memoKey is a located key: its hash and the slot holding it or where it
// belongs.
type memoKey struct {
	hash uint64
	slot int
}

// maxProbes bounds a lookup: a key not found within this many slots is
// treated as absent and not stored, which keeps lookups cheap whatever the
// keys.
const maxProbes = 8

// find looks (a, b) up. When it is absent, put with the returned key
// stores a value for it.
func (m *memo[V]) find(a, b string) (v V, k memoKey, found bool) {
	if 2*(m.n+1) > len(m.slots) {
		m.grow()
	}
	h := memoHash(a)
	if b != "" {
		h = mix(h ^ memoHash(b))
	}
	h |= 1
	mask := len(m.slots) - 1
	for i, n := int(h)&mask, 0; n < maxProbes; i, n = (i+1)&mask, n+1 {
		s := &m.slots[i]
		if s.hash == 0 {
			return v, memoKey{hash: h, slot: i}, false
		}
		if s.hash == h && s.a == a && s.b == b {
			return s.val, memoKey{}, true
		}
	}
	return v, memoKey{slot: -1}, false
}

// put stores v for (a, b), which find returned k for; no other key may have
// been stored since.
func (m *memo[V]) put(k memoKey, a, b string, v V) {
	if k.slot < 0 {
		return // too many probes: not cached
	}
	m.slots[k.slot] = memoSlot[V]{hash: k.hash, a: a, b: b, val: v}
	m.used = append(m.used, int32(k.slot))
	m.n++
}

// grow doubles the table (or makes its first one).
func (m *memo[V]) grow() {
	old := m.slots
	m.slots = make([]memoSlot[V], max(2*len(old), 64))
	mask := len(m.slots) - 1
	m.used = m.used[:0]
	for _, s := range old {
		if s.hash == 0 {
			continue
		}
		i := int(s.hash) & mask
		for m.slots[i].hash != 0 {
			i = (i + 1) & mask
		}
		m.slots[i] = s
		m.used = append(m.used, int32(i))
	}
}

// reset empties m, dropping its references, and keeps its table unless it
// is much larger than the last parse needed.
func (m *memo[V]) reset() {
	if len(m.slots) > 8*max(m.n, 64) {
		m.slots, m.used = nil, nil
	} else {
		for _, i := range m.used {
			m.slots[i] = memoSlot[V]{}
		}
		m.used = m.used[:0]
	}
	m.n = 0
}
