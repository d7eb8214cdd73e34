package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/grantd/grantd/internal/meta"
)

const uploadCols = `id, bucket_id, key, initiated, initiator_arn, initiator_id, attrs, checksum`

func scanUpload(s interface{ Scan(...any) error }) (meta.Upload, error) {
	var u meta.Upload
	var initiated int64
	var attrs, sum string
	if err := s.Scan(&u.ID, &u.BucketID, &u.Key, &initiated, &u.InitiatorARN, &u.InitiatorID, &attrs, &sum); err != nil {
		return u, err
	}
	u.Initiated = fromNanos(initiated)
	if err := json.Unmarshal([]byte(attrs), &u.Attrs); err != nil {
		return u, fmt.Errorf("decode attributes of upload %s: %w", u.ID, err)
	}
	if err := json.Unmarshal([]byte(sum), &u.Checksum); err != nil {
		return u, fmt.Errorf("decode checksum of upload %s: %w", u.ID, err)
	}
	return u, nil
}

// CreateUpload implements meta.S3Store.
func (db *DB) CreateUpload(ctx context.Context, u meta.Upload) error {
	attrs, err := encodeJSON(u.Attrs)
	if err != nil {
		return err
	}
	sum, err := encodeJSON(u.Checksum)
	if err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		if err := t.lockBucket(ctx, u.BucketID); err != nil {
			return err
		}
		_, err := t.exec(ctx, `INSERT INTO s3_uploads (`+uploadCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ID, u.BucketID, u.Key, nanos(u.Initiated), u.InitiatorARN, u.InitiatorID, attrs, sum)
		return db.exists(err, "upload "+u.ID)
	})
}

// GetUpload implements meta.S3Store.
func (db *DB) GetUpload(ctx context.Context, bucketID, uploadID string) (meta.Upload, error) {
	u, err := scanUpload(db.r.QueryRowContext(ctx, db.q(`SELECT `+uploadCols+` FROM s3_uploads WHERE id = ? AND bucket_id = ?`), uploadID, bucketID))
	return u, notFound(err, "upload "+uploadID)
}

// PutPart implements meta.S3Store.
func (db *DB) PutPart(ctx context.Context, uploadID string, p meta.Part) (*meta.Part, error) {
	var old *meta.Part
	err := db.write(ctx, func(t *tx) error {
		old = nil
		// A no-op update locks the upload row on PostgreSQL, so an abort
		// or completion cannot slip in between this check and the insert.
		res, err := t.exec(ctx, `UPDATE s3_uploads SET initiated = initiated WHERE id = ?`, uploadID)
		if err != nil {
			return fmt.Errorf("lock upload: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("upload %s: %w", uploadID, meta.ErrNotFound)
		}
		prev, err := t.queryParts(ctx, `DELETE FROM s3_parts WHERE owner_id = ? AND part_number = ? RETURNING `+partCols, uploadID, p.Number)
		if err != nil {
			return fmt.Errorf("replace part %d: %w", p.Number, err)
		}
		if len(prev) > 0 {
			old = &prev[0]
		}
		return t.insertPart(ctx, uploadID, p)
	})
	return old, err
}

const partCols = `owner_id, part_number, id, size, etag, checksum, last_modified`

func scanPart(s interface{ Scan(...any) error }) (meta.Part, error) {
	var p meta.Part
	var modified int64
	err := s.Scan(&p.UploadID, &p.Number, &p.ID, &p.Size, &p.ETag, &p.Checksum, &modified)
	p.LastModified = fromNanos(modified)
	return p, err
}

// queryParts runs a query that returns part rows.
func (t *tx) queryParts(ctx context.Context, query string, args ...any) ([]meta.Part, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanPart)
}

func (t *tx) insertPart(ctx context.Context, owner string, p meta.Part) error {
	_, err := t.exec(ctx, `INSERT INTO s3_parts (`+partCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		owner, p.Number, p.ID, p.Size, p.ETag, p.Checksum, nanos(p.LastModified))
	if err != nil {
		return fmt.Errorf("insert part %d: %w", p.Number, err)
	}
	return nil
}

// parts returns the parts of owner numbered above after, at most limit
// (0: all).
func (t *tx) parts(ctx context.Context, owner string, after, limit int) ([]meta.Part, error) {
	if limit <= 0 {
		limit = 100000
	}
	return t.queryParts(ctx, `SELECT `+partCols+` FROM s3_parts WHERE owner_id = ? AND part_number > ? ORDER BY part_number LIMIT ?`, owner, after, limit)
}

func (t *tx) deleteParts(ctx context.Context, owner string) ([]meta.Part, error) {
	ps, err := t.queryParts(ctx, `DELETE FROM s3_parts WHERE owner_id = ? RETURNING `+partCols, owner)
	if err != nil {
		return nil, fmt.Errorf("delete parts of %s: %w", owner, err)
	}
	return ps, nil
}

// ListParts implements meta.S3Store.
func (db *DB) ListParts(ctx context.Context, uploadID string, after, limit int) ([]meta.Part, error) {
	var ps []meta.Part
	err := db.read(ctx, func(t *tx) error {
		var err error
		ps, err = t.parts(ctx, uploadID, after, limit)
		return err
	})
	return ps, err
}

// ListUploads implements meta.S3Store.
func (db *DB) ListUploads(ctx context.Context, bucketID string, q meta.KeyRange) ([]meta.Upload, error) {
	query, args := keyRange(`SELECT `+uploadCols+` FROM s3_uploads WHERE bucket_id = ?`, bucketID, q, q.AfterID != "")
	rows, err := db.r.QueryContext(ctx, db.q(query+` ORDER BY key, id LIMIT ?`), append(args, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("list uploads: %w", err)
	}
	return collect(rows, scanUpload)
}

// CompleteUpload implements meta.S3Store.
func (db *DB) CompleteUpload(ctx context.Context, c meta.CompleteUpload) (*meta.Object, []meta.Part, error) {
	var replaced *meta.Object
	var unused []meta.Part
	err := db.write(ctx, func(t *tx) error {
		var err error
		replaced, unused, err = t.complete(ctx, c)
		return err
	})
	return replaced, unused, err
}

func (t *tx) complete(ctx context.Context, c meta.CompleteUpload) (*meta.Object, []meta.Part, error) {
	res, err := t.exec(ctx, `DELETE FROM s3_uploads WHERE id = ? AND bucket_id = ?`, c.UploadID, c.Object.BucketID)
	if err != nil {
		return nil, nil, fmt.Errorf("remove upload: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, nil, fmt.Errorf("upload %s: %w", c.UploadID, meta.ErrNotFound)
	}
	stored, err := t.parts(ctx, c.UploadID, 0, 0)
	if err != nil {
		return nil, nil, err
	}
	chosen := make(map[int]string, len(c.Object.Parts))
	for _, p := range c.Object.Parts {
		chosen[p.Number] = p.ID
	}
	var unused []meta.Part
	matched := 0
	for _, p := range stored {
		id, ok := chosen[p.Number]
		switch {
		case !ok:
			unused = append(unused, p)
		case id != p.ID:
			return nil, nil, fmt.Errorf("part %d changed: %w", p.Number, meta.ErrConflict)
		default:
			matched++
		}
	}
	if matched != len(chosen) {
		return nil, nil, fmt.Errorf("a chosen part is gone: %w", meta.ErrConflict)
	}
	for _, p := range unused {
		if _, err := t.exec(ctx, `DELETE FROM s3_parts WHERE owner_id = ? AND part_number = ?`, c.UploadID, p.Number); err != nil {
			return nil, nil, fmt.Errorf("delete unused part: %w", err)
		}
	}
	o := c.Object
	o.ID, o.PartsCount = c.UploadID, len(o.Parts)
	replaced, err := t.replaceObject(ctx, o, c.Condition)
	return replaced, unused, err
}

// AbortUpload implements meta.S3Store.
func (db *DB) AbortUpload(ctx context.Context, bucketID, uploadID string) ([]meta.Part, error) {
	var parts []meta.Part
	err := db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM s3_uploads WHERE id = ? AND bucket_id = ?`, uploadID, bucketID)
		if err != nil {
			return fmt.Errorf("remove upload: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("upload %s: %w", uploadID, meta.ErrNotFound)
		}
		parts, err = t.deleteParts(ctx, uploadID)
		return err
	})
	return parts, err
}
