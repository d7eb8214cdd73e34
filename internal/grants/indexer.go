package grants

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/policy"
)

// indexer keeps an instanceIndex per account and region that requests
// have asked about, built from the store and kept current from the change
// feed (HandleChanges). An index is built on first use with the recipe of
// meta.GrantsStore: read the feed's LastChange, page through the
// locations and grants, then apply the grant changes after that sequence
// number; from then on every TopicGrant, TopicGrantsLocation,
// TopicGrantsInstance and TopicGrantsPolicy change of the instance is
// applied by re-reading the record it names, so applying a change twice
// or late is harmless. This node's own writes reach it at once (the store
// calls OnCommit), other nodes' within the change feed's poll interval.
type indexer struct {
	store meta.GrantsStore
	feed  meta.ChangeFeed // nil: no catch-up after a build
	log   *slog.Logger
	// compile parses resource policies (cached by text).
	compile func(doc string) (*policy.Policy, error)

	mu        sync.Mutex
	instances map[string]*instanceIndex // by meta.GrantsInstanceKey
	queue     []meta.Change
	draining  bool
}

// maxAbsentInstances bounds how many accounts without an instance the
// indexer remembers (requests may name any account).
const maxAbsentInstances = 10000

// storeTimeout bounds the store reads of applying changes.
const storeTimeout = 30 * time.Second

func newIndexer(store meta.GrantsStore, feed meta.ChangeFeed, log *slog.Logger, compile func(string) (*policy.Policy, error)) *indexer {
	return &indexer{store: store, feed: feed, log: log, compile: compile, instances: map[string]*instanceIndex{}}
}

// get returns the index of account's instance in region, building it on
// first use. Its state is nil when there is no instance.
func (x *indexer) get(ctx context.Context, account, region string) (*instanceIndex, error) {
	key := meta.GrantsInstanceKey(account, region)
	x.mu.Lock()
	ix := x.instances[key]
	if ix == nil {
		x.trim()
		ix = newInstanceIndex(account, region)
		x.instances[key] = ix
		x.mu.Unlock()
		ix.err = x.build(ctx, ix)
		close(ix.ready)
		if ix.err != nil {
			x.evict(key, ix)
		}
		return ix, ix.err
	}
	x.mu.Unlock()
	select {
	case <-ix.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if ix.err != nil {
		// Another request's build failed; build again.
		return x.get(ctx, account, region)
	}
	return ix, nil
}

// trim forgets accounts without an instance when there are too many.
// Callers hold x.mu.
func (x *indexer) trim() {
	if len(x.instances) < maxAbsentInstances {
		return
	}
	for k, ix := range x.instances {
		select {
		case <-ix.ready:
		default:
			continue
		}
		ix.mu.RLock()
		absent := ix.state == nil
		ix.mu.RUnlock()
		if absent {
			delete(x.instances, k)
		}
	}
}

// evict drops ix (when it is still the current index of key), so the next
// request builds it afresh.
func (x *indexer) evict(key string, ix *instanceIndex) {
	x.mu.Lock()
	if x.instances[key] == ix {
		delete(x.instances, key)
	}
	x.mu.Unlock()
}

// build loads an instance: the feed position first, so that no change
// made while it pages is missed, then the instance, locations and grants,
// then the grant changes since that position.
func (x *indexer) build(ctx context.Context, ix *instanceIndex) error {
	var since int64
	if x.feed != nil {
		var err error
		if since, err = x.feed.LastChange(ctx); err != nil {
			return fmt.Errorf("read change feed position: %w", err)
		}
	}
	if err := x.loadState(ctx, ix); err != nil {
		return err
	}
	ix.mu.RLock()
	present := ix.state != nil
	ix.mu.RUnlock()
	if !present {
		return nil
	}
	if err := x.loadLocations(ctx, ix); err != nil {
		return err
	}
	if err := x.loadGrants(ctx, ix); err != nil {
		return err
	}
	return x.catchUp(ctx, ix, since)
}

func (x *indexer) loadState(ctx context.Context, ix *instanceIndex) error {
	st, err := x.store.GrantsInstanceState(ctx, ix.account, ix.region)
	if errors.Is(err, meta.ErrNotFound) {
		ix.mu.Lock()
		ix.setState(nil, nil)
		ix.mu.Unlock()
		return nil
	}
	if err != nil {
		return fmt.Errorf("load access grants instance: %w", err)
	}
	var p *policy.Policy
	if st.Policy != nil {
		if p, err = x.compile(st.Policy.Policy); err != nil {
			return err
		}
	}
	ix.mu.Lock()
	ix.setState(&st, p)
	ix.mu.Unlock()
	return nil
}

func (x *indexer) loadLocations(ctx context.Context, ix *instanceIndex) error {
	p := meta.Page{Limit: 1000}
	for {
		list, next, err := x.store.ListGrantsLocations(ctx, ix.account, ix.region, "", p)
		if err != nil {
			return fmt.Errorf("load access grants locations: %w", err)
		}
		ix.mu.Lock()
		for _, l := range list {
			ix.locations[l.ID] = l
		}
		ix.mu.Unlock()
		if next == "" {
			return nil
		}
		p.After = next
	}
}

func (x *indexer) loadGrants(ctx context.Context, ix *instanceIndex) error {
	p := meta.Page{Limit: 1000}
	for {
		list, next, err := x.store.ListGrants(ctx, ix.account, ix.region, meta.GrantFilter{}, p)
		if err != nil {
			return fmt.Errorf("load access grants: %w", err)
		}
		ix.mu.Lock()
		for _, g := range list {
			ix.putGrant(g)
		}
		ix.mu.Unlock()
		if next == "" {
			return nil
		}
		p.After = next
	}
}

// catchUp applies the instance's changes recorded after since.
func (x *indexer) catchUp(ctx context.Context, ix *instanceIndex, since int64) error {
	if x.feed == nil {
		return nil
	}
	prefix := meta.GrantsInstanceKey(ix.account, ix.region)
	for {
		changes, err := x.feed.Changes(ctx, since, 1000)
		if err != nil {
			return fmt.Errorf("read change feed: %w", err)
		}
		for _, c := range changes {
			if k, ok := instanceOf(c); ok && k == prefix {
				if err := x.apply(ctx, ix, c); err != nil {
					return err
				}
			}
		}
		if len(changes) < 1000 {
			return nil
		}
		since = changes[len(changes)-1].Seq
	}
}

// instanceOf returns the instance key ("ACCOUNT/REGION") of an Access
// Grants change.
func instanceOf(c meta.Change) (string, bool) {
	switch c.Topic {
	case meta.TopicGrant, meta.TopicGrantsLocation, meta.TopicGrantsInstance, meta.TopicGrantsPolicy:
	default:
		return "", false
	}
	parts := strings.SplitN(c.Key, "/", 3)
	if len(parts) < 2 {
		return "", false
	}
	return parts[0] + "/" + parts[1], true
}

// apply brings ix up to date with the record c names.
func (x *indexer) apply(ctx context.Context, ix *instanceIndex, c meta.Change) error {
	switch c.Topic {
	case meta.TopicGrantsInstance, meta.TopicGrantsPolicy:
		return x.loadState(ctx, ix)
	}
	parts := strings.SplitN(c.Key, "/", 3)
	if len(parts) != 3 {
		return nil
	}
	id := parts[2]
	if c.Topic == meta.TopicGrantsLocation {
		loc, err := x.store.GetGrantsLocation(ctx, ix.account, ix.region, id)
		if err != nil && !errors.Is(err, meta.ErrNotFound) {
			return fmt.Errorf("load access grants location %s: %w", id, err)
		}
		ix.mu.Lock()
		if err == nil {
			ix.locations[id] = loc
		} else {
			delete(ix.locations, id)
		}
		ix.mu.Unlock()
		return nil
	}
	g, err := x.store.GetGrant(ctx, ix.account, ix.region, id)
	if err != nil && !errors.Is(err, meta.ErrNotFound) {
		return fmt.Errorf("load access grant %s: %w", id, err)
	}
	ix.mu.Lock()
	if err == nil {
		ix.putGrant(g)
	} else {
		ix.removeGrant(id)
	}
	ix.mu.Unlock()
	return nil
}

// HandleChanges queues the Access Grants changes of indexed instances and
// applies them in the background: it never blocks and never reads the
// store itself. It is a changefeed.Handler.
func (x *indexer) HandleChanges(changes []meta.Change) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, c := range changes {
		if k, ok := instanceOf(c); ok && x.instances[k] != nil {
			x.queue = append(x.queue, c)
		}
	}
	if len(x.queue) > 0 && !x.draining {
		x.draining = true
		go x.drain()
	}
}

// drain applies queued changes until the queue is empty. An index whose
// change cannot be applied is dropped and built afresh on next use.
func (x *indexer) drain() {
	for {
		x.mu.Lock()
		if len(x.queue) == 0 {
			x.draining = false
			x.mu.Unlock()
			return
		}
		c := x.queue[0]
		x.queue = x.queue[1:]
		k, _ := instanceOf(c)
		ix := x.instances[k]
		x.mu.Unlock()
		if ix == nil {
			continue
		}
		<-ix.ready
		if ix.err != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		err := x.apply(ctx, ix, c)
		cancel()
		if err != nil {
			x.log.Warn("access grants index: change not applied; rebuilding on next use", "instance", k, "change", c.Seq, "err", err)
			x.evict(k, ix)
		}
	}
}

// loaded returns the built index of an instance, or nil.
func (x *indexer) loaded(account, region string) *instanceIndex {
	x.mu.Lock()
	ix := x.instances[meta.GrantsInstanceKey(account, region)]
	x.mu.Unlock()
	if ix == nil {
		return nil
	}
	select {
	case <-ix.ready:
		if ix.err == nil {
			return ix
		}
	default:
	}
	return nil
}

// applyNow brings a built index up to date with a write this node just
// committed, before answering the writer: read-your-writes on the node
// that wrote. (The change feed delivers the same change again, which
// re-reads the same record.)
func (x *indexer) applyNow(ctx context.Context, topic, account, region, id string) {
	ix := x.loaded(account, region)
	if ix == nil {
		return
	}
	key := meta.GrantsInstanceKey(account, region)
	c := meta.Change{Topic: topic, Key: key}
	if id != "" {
		c.Key = meta.GrantsKey(account, region, id)
	}
	if err := x.apply(ctx, ix, c); err != nil {
		x.log.Warn("access grants index: write not applied; rebuilding on next use", "instance", key, "err", err)
		x.evict(key, ix)
	}
}
