package s3

import (
	"context"
	"strings"
	"time"
)

// SweepResult counts what Sweep saw.
type SweepResult struct {
	// Checked is the number of blobs examined; Deleted those removed.
	Checked int
	Deleted int
}

// Sweep deletes the blobs no object, part or upload refers to: what a
// crash between writing a blob and committing its metadata (or between
// committing and deleting a replaced blob) leaves behind. Only blobs
// created before cutoff are considered, so that writes in flight — on this
// node or on others sharing the blob store — are not mistaken for garbage;
// a node sweeping its own store at startup passes its start time.
func (s *Service) Sweep(ctx context.Context, cutoff time.Time) (SweepResult, error) {
	var res SweepResult
	for _, prefix := range []string{objectPrefix, partPrefix} {
		// Liveness is checked in batches while listing; deletion waits
		// until the listing is done, so the store is not changed under it.
		var batch, orphans []string
		check := func() error {
			dead, err := s.orphans(ctx, batch)
			orphans = append(orphans, dead...)
			batch = batch[:0]
			return err
		}
		err := s.blobs.List(ctx, prefix, func(key string, _ int64) error {
			res.Checked++
			if t, ok := idTime(blobID(key)); !ok || !t.Before(cutoff) {
				return nil
			}
			if batch = append(batch, key); len(batch) == 500 {
				return check()
			}
			return nil
		})
		if err == nil {
			err = check()
		}
		if err != nil {
			return res, internal(err, "sweep %s", prefix)
		}
		for _, k := range orphans {
			if err := s.blobs.Delete(ctx, k); err != nil {
				return res, internal(err, "sweep %s", k)
			}
			res.Deleted++
		}
	}
	return res, nil
}

// blobID returns the object or part ID a blob key ends with.
func blobID(key string) string { return key[strings.LastIndexByte(key, '/')+1:] }

// orphans returns the keys whose IDs no record refers to.
func (s *Service) orphans(ctx context.Context, keys []string) ([]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = blobID(k)
	}
	live, err := s.store.LiveBlobIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	var dead []string
	for i, k := range keys {
		if !live[ids[i]] {
			dead = append(dead, k)
		}
	}
	return dead, nil
}
