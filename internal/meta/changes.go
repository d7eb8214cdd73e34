package meta

import (
	"context"
	"time"
)

// Topics of the change feed: which kind of record changed.
const (
	TopicAccount    = "account"
	TopicAccessKey  = "accesskey"
	TopicSessionKey = "sessionkey"
	TopicRole       = "role"
	TopicUser       = "user"
	TopicGroup      = "group"
	TopicPolicy     = "policy"
)

// Change is one entry of the change feed: record Key of kind Topic was
// created, changed or deleted. Seq increases with commit order, so a reader
// that remembers the last Seq it saw misses nothing.
type Change struct {
	Seq   int64
	Topic string
	Key   string
	At    time.Time
}

// ChangeFeed reads the change feed.
type ChangeFeed interface {
	// Changes returns up to limit changes with Seq > after, in Seq order.
	Changes(ctx context.Context, after int64, limit int) ([]Change, error)
	// LastChange returns the highest Seq, 0 if the feed is empty.
	LastChange(ctx context.Context) (int64, error)
}
