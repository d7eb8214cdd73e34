package sts

import "sync"

// memo remembers the results of pure, costly functions of a session
// policy's text: its compact form (a parse and a marshal) and its packed
// size (a DEFLATE compression). Services that vend sessions in bulk —
// S3 Access Grants' GetDataAccess, which passes the same generated policy
// for every request on a grant — would otherwise pay both on every call;
// profiles showed them at two thirds of AssumeRoleAsService's time.
type memo[V any] struct {
	mu sync.RWMutex
	m  map[string]V
}

// maxMemo bounds each memo; past it, it starts over.
const maxMemo = 4096

// get returns f(key), computing it once per key.
func (c *memo[V]) get(key string, f func(string) (V, error)) (V, error) {
	c.mu.RLock()
	v, ok := c.m[key]
	c.mu.RUnlock()
	if ok {
		return v, nil
	}
	v, err := f(key)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxMemo {
		c.m = make(map[string]V)
	}
	c.m[key] = v
	c.mu.Unlock()
	return v, nil
}

var (
	// compactPolicies maps a session policy document to its compact form.
	compactPolicies memo[string]
	// policyPercents maps a compact session policy (without managed
	// policy ARNs) to its packed size in percent.
	policyPercents memo[int]
)
