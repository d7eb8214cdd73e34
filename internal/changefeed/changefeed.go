// Package changefeed delivers the metadata store's change feed to the
// in-memory caches of this node (signing keys, policies, the grant index).
// It polls the store for entries other nodes wrote and is told directly
// about this node's own commits, so a cache is current at once after a
// local write and within one poll interval after a remote one.
package changefeed

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/grantd/grantd/internal/meta"
)

// Handler receives changes. It must be quick and must not block; handlers
// typically drop cache entries.
type Handler func(changes []meta.Change)

// Watcher fans the change feed out to handlers.
type Watcher struct {
	feed     meta.ChangeFeed
	interval time.Duration
	log      *slog.Logger

	mu       sync.Mutex
	handlers []Handler
	last     int64
}

// Options configure New.
type Options struct {
	Feed meta.ChangeFeed
	// Interval between polls; default 200ms.
	Interval time.Duration
	Log      *slog.Logger
}

// New returns a watcher positioned at the end of the feed: it reports only
// changes made from now on.
func New(ctx context.Context, o Options) (*Watcher, error) {
	if o.Interval <= 0 {
		o.Interval = 200 * time.Millisecond
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	last, err := o.Feed.LastChange(ctx)
	if err != nil {
		return nil, err
	}
	return &Watcher{feed: o.Feed, interval: o.Interval, log: o.Log, last: last}, nil
}

// Subscribe adds h; it sees every change from now on.
func (w *Watcher) Subscribe(h Handler) {
	w.mu.Lock()
	w.handlers = append(w.handlers, h)
	w.mu.Unlock()
}

// Notify delivers changes this node committed, without waiting for the
// next poll. The poll delivers them again later; handlers are idempotent.
func (w *Watcher) Notify(changes []meta.Change) {
	w.mu.Lock()
	hs := w.handlers
	w.mu.Unlock()
	for _, h := range hs {
		h(changes)
	}
}

// Run polls until ctx ends.
func (w *Watcher) Run(ctx context.Context) {
	t := time.NewTicker(w.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := w.Poll(ctx); err != nil && ctx.Err() == nil {
				w.log.Warn("change feed poll failed", "err", err)
			}
		}
	}
}

// Poll reads and delivers every change since the last poll.
func (w *Watcher) Poll(ctx context.Context) error {
	for {
		w.mu.Lock()
		after := w.last
		w.mu.Unlock()
		changes, err := w.feed.Changes(ctx, after, 1000)
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			return nil
		}
		w.mu.Lock()
		if changes[len(changes)-1].Seq > w.last {
			w.last = changes[len(changes)-1].Seq
		}
		w.mu.Unlock()
		w.Notify(changes)
		if len(changes) < 1000 {
			return nil
		}
	}
}
