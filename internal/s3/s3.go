// Package s3 is the domain of grantd's S3 data plane: buckets, objects,
// multipart uploads, listings, conditional requests and the authorization
// questions each operation asks. It knows nothing of HTTP; internal/api/s3api
// decodes requests into the inputs here and encodes the outputs.
//
// Bytes and metadata are kept apart. Every object's attributes (ETag, size,
// checksums, content headers, user metadata, tags) and the names of the
// blobs holding its bytes live in the metadata store; the blobs themselves
// are opaque byte strings under generated keys in a blob.Store:
//
//	obj/<bucket-id>/<object-id>   the bytes of an object written in one piece
//	mpu/<upload-id>/<part-id>     one part of a multipart upload; a
//	                              completed multipart object is the
//	                              manifest of its parts, read in order
//
// A write streams the body into a new blob (fsynced by the blob store),
// then commits the metadata in one transaction, then deletes the blob of
// the object it replaced. A crash therefore leaves at most unreferenced
// blobs, which Sweep removes; no reader ever sees a partial object.
package s3

import (
	"context"
	"log/slog"
	"time"

	"github.com/grantd/grantd/internal/blob"
	"github.com/grantd/grantd/internal/meta"
)

// Store is the metadata the service keeps and reads.
type Store interface {
	meta.S3Store
	GetAccount(ctx context.Context, id string) (meta.Account, error)
}

// Options configure New.
type Options struct {
	Store Store
	Blobs blob.Store
	// Authorizer answers every access question; required.
	Authorizer Authorizer
	// Region is where buckets are created when a request names none
	// (unsigned requests).
	Region string
	Now    func() time.Time
	Log    *slog.Logger
}

// Service implements the S3 operations.
type Service struct {
	store    Store
	blobs    blob.Store
	authz    Authorizer
	region   string
	now      func() time.Time
	log      *slog.Logger
	policies policyCache
}

// New returns a service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	return &Service{store: o.Store, blobs: o.Blobs, authz: o.Authorizer, region: o.Region, now: o.Now, log: o.Log}
}

// Limits S3 enforces.
const (
	// MaxKeyLen is the longest object key in bytes.
	MaxKeyLen = 1024
	// MaxMetadataSize bounds the user metadata of an object: names and
	// values of x-amz-meta-* headers, in bytes.
	MaxMetadataSize = 2048
	// MaxPutSize is the largest object a single PutObject (or CopyObject)
	// may write: 5 GiB.
	MaxPutSize = 5 << 30
	// MinPartSize is the smallest part but the last of a multipart upload.
	MinPartSize = 5 << 20
	// MaxParts is the highest part number.
	MaxParts = 10000
	// MaxDeleteObjects is the most keys one DeleteObjects request names.
	MaxDeleteObjects = 1000
)
