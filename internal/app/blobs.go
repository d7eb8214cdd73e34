package app

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/grantd/grantd/internal/blob"
	"github.com/grantd/grantd/internal/blob/fs"
	"github.com/grantd/grantd/internal/blob/s3proxy"
)

// sharedSweepGrace is how old an unreferenced blob in a shared (upstream)
// blob store must be before the startup sweep deletes it: other nodes may
// be writing blobs whose metadata they have not committed yet.
const sharedSweepGrace = time.Hour

// OpenBlobs opens the blob store the configuration names: files under
// DataDir/objects by default, file://DIR for another directory, or
// s3://bucket/prefix?endpoint=URL&region=R&path-style=true for an upstream
// S3-compatible service. It also returns how long before the node's start
// an unreferenced blob must have been written for the startup sweep to
// delete it: zero for a directory this process locks, an hour for an
// upstream other nodes may share.
func OpenBlobs(ctx context.Context, c Config) (blob.Store, time.Duration, error) {
	c.defaults()
	switch {
	case c.Blob == "":
		st, err := fs.Open(fs.Options{Dir: filepath.Join(c.DataDir, "objects")})
		return st, 0, err
	case strings.HasPrefix(c.Blob, "file://"):
		st, err := fs.Open(fs.Options{Dir: strings.TrimPrefix(c.Blob, "file://")})
		return st, 0, err
	case strings.HasPrefix(c.Blob, "s3://"):
		opts, err := s3proxyOptions(c)
		if err != nil {
			return nil, 0, err
		}
		st, err := s3proxy.Open(ctx, opts)
		return st, sharedSweepGrace, err
	}
	return nil, 0, fmt.Errorf("--blob %q: want s3://bucket/prefix?endpoint=…, file://DIR, or nothing for files in the data directory", c.Blob)
}

func s3proxyOptions(c Config) (s3proxy.Options, error) {
	u, err := url.Parse(c.Blob)
	if err != nil || u.Host == "" {
		return s3proxy.Options{}, fmt.Errorf("--blob %q: want s3://bucket/prefix?endpoint=URL", c.Blob)
	}
	q := u.Query()
	o := s3proxy.Options{
		Bucket: u.Host, Prefix: strings.TrimPrefix(u.Path, "/"),
		Endpoint: q.Get("endpoint"), Region: q.Get("region"),
		UsePathStyle:    q.Get("path-style") == "true" || (q.Get("endpoint") != "" && q.Get("path-style") == ""),
		AccessKeyID:     c.BlobAccessKeyID,
		SecretAccessKey: c.BlobSecretAccessKey,
	}
	if o.Prefix != "" && !strings.HasSuffix(o.Prefix, "/") {
		o.Prefix += "/"
	}
	if o.AccessKeyID == "" || o.SecretAccessKey == "" {
		return o, fmt.Errorf("--blob %s: set GRANTD_BLOB_ACCESS_KEY_ID and GRANTD_BLOB_SECRET_ACCESS_KEY", c.Blob)
	}
	return o, nil
}
