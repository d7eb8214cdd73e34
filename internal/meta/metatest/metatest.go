// Package metatest is the conformance suite every meta.Store driver passes.
// A driver's test calls Run with a function that opens a fresh, empty store;
// each area of the store (accounts, IAM, S3, grants…) has its own file of
// subtests here.
package metatest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/grantd/grantd/internal/meta"
)

// Opener opens a fresh, empty store for one subtest and closes it when the
// subtest ends.
type Opener func(t *testing.T) meta.Store

// Suite describes the driver under test.
type Suite struct {
	// Open opens a fresh, empty store.
	Open Opener
	// Reopen opens a second, independent handle on the database behind s,
	// as a second process would.
	Reopen func(t *testing.T, s meta.Store) meta.Store
}

// Run runs the whole conformance suite.
func Run(t *testing.T, s Suite) {
	t.Run("Accounts", func(t *testing.T) { testAccounts(t, s) })
	t.Run("Keys", func(t *testing.T) { testKeys(t, s) })
	t.Run("Changes", func(t *testing.T) { testChanges(t, s) })
	t.Run("Grants", func(t *testing.T) { testGrants(t, s) })
	t.Run("SharedDatabase", func(t *testing.T) { testShared(t, s) })
	t.Run("IAM", func(t *testing.T) { testIAM(t, s) })
	t.Run("S3", func(t *testing.T) { testS3(t, s) })
}

// epoch is a fixed timestamp for records; stores keep nanoseconds.
var epoch = time.Date(2026, 11, 27, 12, 0, 0, 123456789, time.UTC)

func ctx(t *testing.T) context.Context { return t.Context() }

// wantErr fails t unless errors.Is(err, want).
func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: got %v, want %v", what, err, want)
	}
}
