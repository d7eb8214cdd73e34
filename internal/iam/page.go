package iam

import (
	"encoding/base64"

	"github.com/grantd/grantd/internal/meta"
)

// Page asks for one page of a list, as IAM's Marker and MaxItems do.
type Page struct {
	// Marker is the value a previous page returned; "" for the first page.
	Marker string
	// MaxItems caps the page; 0 means IAM's default of 100.
	MaxItems int
}

// List is one page of results.
type List[T any] struct {
	Items []T
	// IsTruncated reports that more items follow; Marker then fetches them.
	IsTruncated bool
	Marker      string
}

// Markers are the store's keyset cursor (the last name, ID or ARN
// returned), base64url-encoded so clients treat them as opaque.
func (p Page) store() (meta.Page, error) {
	mp := meta.Page{Limit: p.limit() + 1}
	if p.Marker != "" {
		after, err := base64.RawURLEncoding.DecodeString(p.Marker)
		if err != nil || len(after) == 0 {
			return mp, validationError("Invalid Marker.")
		}
		mp.After = string(after)
	}
	return mp, nil
}

func (p Page) limit() int {
	if p.MaxItems <= 0 {
		return defaultMaxItems
	}
	return p.MaxItems
}

// finish trims items fetched with one extra to the page and sets the
// next marker from the last item's cursor.
func finish[T any](items []T, p Page, cursor func(T) string) List[T] {
	n := p.limit()
	if len(items) <= n {
		return List[T]{Items: items}
	}
	items = items[:n]
	return List[T]{Items: items, IsTruncated: true, Marker: base64.RawURLEncoding.EncodeToString([]byte(cursor(items[n-1])))}
}
