package grants

import (
	"sort"
	"strings"
	"sync/atomic"
	"time"
)

// entry is one grant in the matching index.
type entry struct {
	id          string
	locationID  string
	granteeType string
	grantee     string
	permission  string
	grantScope  string
	application string
	createdAt   time.Time
	sc          scope
	// policies caches the session policy of privilege Default, per
	// requested permission (READ, WRITE, READWRITE): the grant's scope.
	policies [3]atomic.Pointer[string]
}

// permIndex numbers the permissions for entry.policies.
func permIndex(p string) int {
	switch p {
	case PermissionRead:
		return 0
	case PermissionWrite:
		return 1
	}
	return 2
}

// defaultPolicy returns the session policy for permission on the grant's
// own scope, built once.
func (e *entry) defaultPolicy(permission string) string {
	slot := &e.policies[permIndex(permission)]
	if p := slot.Load(); p != nil {
		return *p
	}
	p := sessionPolicy(permission, e.sc)
	slot.Store(&p)
	return p
}

// node is a node of a radix tree (a compressed trie) of grant scopes: the
// path from the root spells the matchKey of the entries at a node. A
// lookup walks the target's key once, so its cost depends on the key's
// length, not on how many grants there are.
type node struct {
	// label is the edge from the parent; children are ordered by their
	// labels' first bytes, which differ.
	label    string
	children []*node
	entries  []*entry
}

// childIndex returns where a child whose label starts with b is or would
// be.
func (n *node) childIndex(b byte) (int, bool) {
	i := sort.Search(len(n.children), func(i int) bool { return n.children[i].label[0] >= b })
	return i, i < len(n.children) && n.children[i].label[0] == b
}

// insert adds e under key.
func (n *node) insert(key string, e *entry) {
	for key != "" {
		i, ok := n.childIndex(key[0])
		if !ok {
			c := &node{label: key, entries: []*entry{e}}
			n.children = append(n.children, nil)
			copy(n.children[i+1:], n.children[i:])
			n.children[i] = c
			return
		}
		c := n.children[i]
		l := commonPrefix(key, c.label)
		if l < len(c.label) {
			// Split the edge: n → mid (common part) → c (the rest).
			mid := &node{label: c.label[:l], children: []*node{c}}
			c.label = c.label[l:]
			n.children[i] = mid
			c = mid
		}
		n, key = c, key[l:]
	}
	n.entries = append(n.entries, e)
}

// remove deletes the entry with id under key and reports whether there
// was one; emptied nodes are pruned and single-child chains merged, so
// the tree stays as small as its contents.
func (n *node) remove(key, id string) bool {
	if key == "" {
		for i, e := range n.entries {
			if e.id == id {
				n.entries = append(n.entries[:i], n.entries[i+1:]...)
				return true
			}
		}
		return false
	}
	i, ok := n.childIndex(key[0])
	if !ok {
		return false
	}
	c := n.children[i]
	if !strings.HasPrefix(key, c.label) || !c.remove(key[len(c.label):], id) {
		return false
	}
	switch {
	case len(c.entries) > 0:
	case len(c.children) == 0:
		n.children = append(n.children[:i], n.children[i+1:]...)
	case len(c.children) == 1:
		gc := c.children[0]
		gc.label = c.label + gc.label
		n.children[i] = gc
	}
	return true
}

// walk calls fn with the entries of every node on key's path, from the
// root down; depth is the length of the key prefix each node spells.
func (n *node) walk(key string, fn func(depth int, es []*entry)) {
	depth := 0
	for {
		if len(n.entries) > 0 {
			fn(depth, n.entries)
		}
		if depth == len(key) {
			return
		}
		i, ok := n.childIndex(key[depth])
		if !ok {
			return
		}
		c := n.children[i]
		if !strings.HasPrefix(key[depth:], c.label) {
			return
		}
		depth += len(c.label)
		n = c
	}
}

// under calls fn with every entry whose key begins with prefix.
func (n *node) under(prefix string, fn func(*entry)) {
	for prefix != "" {
		i, ok := n.childIndex(prefix[0])
		if !ok {
			return
		}
		c := n.children[i]
		switch {
		case strings.HasPrefix(prefix, c.label):
			prefix = prefix[len(c.label):]
		case strings.HasPrefix(c.label, prefix):
			prefix = ""
		default:
			return
		}
		n = c
	}
	n.each(fn)
}

// each calls fn with every entry of the subtree.
func (n *node) each(fn func(*entry)) {
	for _, e := range n.entries {
		fn(e)
	}
	for _, c := range n.children {
		c.each(fn)
	}
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}
