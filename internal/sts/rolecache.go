package sts

import (
	"context"
	"strings"
	"sync"

	"github.com/grantd/grantd/internal/meta"
)

// roleCache keeps roles read from the store, so assuming a known role reads
// nothing: the trust policy, MaxSessionDuration and tags change rarely, and
// every change to a role (its policies, trust policy, tags, deletion)
// reaches HandleChanges through the change feed as meta.TopicRole with key
// "ACCOUNT/lower-cased name".
type roleCache struct {
	mu    sync.RWMutex
	roles map[string]meta.Role
	// gen counts invalidations, so a read that raced with one is not
	// cached.
	gen uint64
}

// maxCachedRoles bounds the cache; past it, it starts over.
const maxCachedRoles = 10000

func roleKey(account, name string) string { return account + "/" + strings.ToLower(name) }

// get returns the role from the cache or the store.
func (c *roleCache) get(ctx context.Context, st Store, account, name string) (meta.Role, error) {
	key := roleKey(account, name)
	c.mu.RLock()
	r, ok := c.roles[key]
	gen := c.gen
	c.mu.RUnlock()
	if ok {
		return r, nil
	}
	r, err := st.GetRole(ctx, account, name)
	if err != nil {
		return r, err
	}
	c.mu.Lock()
	if c.gen == gen {
		if c.roles == nil || len(c.roles) >= maxCachedRoles {
			c.roles = map[string]meta.Role{}
		}
		c.roles[key] = r
	}
	c.mu.Unlock()
	return r, nil
}

// HandleChanges drops cached roles that changed. It is a changefeed.Handler.
func (s *Service) HandleChanges(changes []meta.Change) {
	c := &s.roles
	for _, ch := range changes {
		if ch.Topic != meta.TopicRole && ch.Topic != meta.TopicAccount {
			continue
		}
		c.mu.Lock()
		c.gen++
		if ch.Topic == meta.TopicAccount {
			clear(c.roles)
		} else {
			delete(c.roles, ch.Key)
		}
		c.mu.Unlock()
	}
}
