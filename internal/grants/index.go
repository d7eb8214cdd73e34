package grants

import (
	"sync"

	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/policy"
)

// instanceIndex is the in-memory copy of one instance that GetDataAccess,
// ListCallerAccessGrants and GetAccessGrantsInstanceForPrefix answer from
// without reading the store: the instance with its compiled resource
// policy and tags, its locations, and its grants in one radix tree per
// grantee.
type instanceIndex struct {
	account, region string

	// ready is closed when the first load finished; err is its failure.
	ready chan struct{}
	err   error

	mu sync.RWMutex
	// state is nil while the account has no instance in the region.
	state     *meta.GrantsInstanceState
	policy    *policy.Policy
	locations map[string]meta.GrantsLocation
	// grantees maps granteeKey(type, identifier) to the root of that
	// grantee's tree; byID finds an entry to replace or remove it.
	grantees map[string]*node
	byID     map[string]*entry
}

func newInstanceIndex(account, region string) *instanceIndex {
	return &instanceIndex{account: account, region: region, ready: make(chan struct{}),
		locations: map[string]meta.GrantsLocation{}, grantees: map[string]*node{}, byID: map[string]*entry{}}
}

// granteeKey is how the index names a grantee: its type and identifier.
func granteeKey(typ, id string) string { return typ + "\x00" + id }

// putGrant adds or replaces a grant. Callers hold ix.mu.
func (ix *instanceIndex) putGrant(g meta.AccessGrant) {
	sc, ok := grantScopeOf(g.GrantScope, g.PrefixType)
	if !ok {
		return // not a scope grantd writes; nothing can match it
	}
	ix.removeGrant(g.ID)
	e := &entry{id: g.ID, locationID: g.LocationID, granteeType: g.GranteeType, grantee: g.GranteeIdentifier,
		permission: g.Permission, grantScope: g.GrantScope, application: g.ApplicationARN, createdAt: g.CreatedAt, sc: sc}
	k := granteeKey(g.GranteeType, g.GranteeIdentifier)
	root := ix.grantees[k]
	if root == nil {
		root = &node{}
		ix.grantees[k] = root
	}
	root.insert(sc.matchKey(), e)
	ix.byID[g.ID] = e
}

// removeGrant drops a grant. Callers hold ix.mu.
func (ix *instanceIndex) removeGrant(id string) {
	e := ix.byID[id]
	if e == nil {
		return
	}
	delete(ix.byID, id)
	k := granteeKey(e.granteeType, e.grantee)
	root := ix.grantees[k]
	if root == nil {
		return
	}
	root.remove(e.sc.matchKey(), id)
	if len(root.children) == 0 && len(root.entries) == 0 {
		delete(ix.grantees, k)
	}
}

// setState replaces the instance record; nil means the instance is gone,
// and with it its locations and grants. Callers hold ix.mu.
func (ix *instanceIndex) setState(st *meta.GrantsInstanceState, p *policy.Policy) {
	ix.state, ix.policy = st, p
	if st == nil {
		clear(ix.locations)
		clear(ix.grantees)
		clear(ix.byID)
	}
}

// match is the chosen grant of a lookup.
type match struct {
	e *entry
	// location is the grant's location (its IAM role is assumed).
	location meta.GrantsLocation
}

// better reports whether candidate a is a better match than b: the more
// specific scope (the longer key: closest to the target), then an object
// grant over a prefix of the same key, then the permission asked for over
// READWRITE, then the older grant.
func better(a, b *entry, asked string) bool {
	if b == nil {
		return true
	}
	if la, lb := len(a.sc.key), len(b.sc.key); la != lb {
		return la > lb
	}
	if a.sc.exact != b.sc.exact {
		return a.sc.exact
	}
	if ea, eb := a.permission == asked, b.permission == asked; ea != eb {
		return ea
	}
	if !a.createdAt.Equal(b.createdAt) {
		return a.createdAt.Before(b.createdAt)
	}
	return a.id < b.id
}

// satisfies reports whether a grant of permission granted allows a
// request for asked: the same permission, or READWRITE for READ or WRITE.
// A READ grant never satisfies WRITE, nor do separate READ and WRITE
// grants together satisfy READWRITE.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-grant.html
func satisfies(granted, asked string) bool {
	return granted == asked || granted == PermissionReadWrite
}

// find returns the most specific grant of any of the grantee keys that
// covers t with permission asked, or nil. Grants restricted to an
// Identity Center application match only callers acting through that
// application (app); IAM callers have none.
func (ix *instanceIndex) find(keys []string, t scope, asked, app string) *match {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var best *entry
	mk := t.matchKey()
	for _, k := range keys {
		root := ix.grantees[k]
		if root == nil {
			continue
		}
		root.walk(mk, func(_ int, es []*entry) {
			for _, e := range es {
				if satisfies(e.permission, asked) && appAllows(e.application, app) && e.sc.covers(t) && better(e, best, asked) {
					best = e
				}
			}
		})
	}
	if best == nil {
		return nil
	}
	return &match{e: best, location: ix.locations[best.locationID]}
}

// appAllows reports whether a grant restricted to application grantApp (""
// when it is not restricted) applies to a caller acting through app.
func appAllows(grantApp, app string) bool {
	return grantApp == "" || grantApp == app || grantApp == "ALL" && app != ""
}
