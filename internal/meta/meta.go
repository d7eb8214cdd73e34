// Package meta defines grantd's metadata store: the records every service
// keeps (accounts, access keys, IAM entities, buckets and objects, access
// grants) and the interface that stores them. Drivers live in subpackages
// (sqlite, postgres, both built on sqlstore); metatest is the conformance
// suite every driver passes.
//
// Store methods each run in one transaction. Every mutating method also
// appends to the change feed (see Change) in that transaction, which is how
// the in-memory caches of every grantd node sharing one database learn about
// writes made elsewhere.
package meta

import (
	"context"
	"errors"
)

// Errors returned by every driver; callers test them with errors.Is.
var (
	// ErrNotFound: the record does not exist.
	ErrNotFound = errors.New("meta: not found")
	// ErrExists: a record with the same identity exists.
	ErrExists = errors.New("meta: already exists")
	// ErrConflict: the record changed or its state forbids the write
	// (for example a parent that still has children).
	ErrConflict = errors.New("meta: conflict")
)

// Store is the whole metadata store.
type Store interface {
	AccountStore
	IAMStore
	KeyStore
	S3Store
	GrantsStore
	ChangeFeed
	// OnCommit registers fn to be called with the change-feed entries of
	// every transaction this handle commits, right after the commit.
	OnCommit(fn func([]Change))
	// Ping checks the connection.
	Ping(ctx context.Context) error
	// Close releases the store. It waits for running transactions.
	Close() error
}

// Page asks for one page of a keyset-paginated list: records after the
// opaque cursor After (empty for the first page), at most Limit of them.
type Page struct {
	After string
	Limit int
}
