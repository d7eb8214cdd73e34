package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/grantd/grantd/internal/meta"
)

// CreateBucket implements meta.S3Store.
func (db *DB) CreateBucket(ctx context.Context, b meta.Bucket) error {
	tags, err := encodeTags(b.Tags)
	if err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO s3_buckets (name, id, account_id, region, created_at, policy, tags) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			b.Name, b.ID, b.AccountID, b.Region, nanos(b.CreatedAt), b.Policy, tags)
		if err := db.exists(err, "bucket "+b.Name); err != nil {
			return err
		}
		t.changed(meta.TopicBucket, b.Name)
		return nil
	})
}

const bucketCols = `name, id, account_id, region, created_at, policy, tags`

func scanBucket(s interface{ Scan(...any) error }) (meta.Bucket, error) {
	var b meta.Bucket
	var created int64
	var tags string
	if err := s.Scan(&b.Name, &b.ID, &b.AccountID, &b.Region, &created, &b.Policy, &tags); err != nil {
		return b, err
	}
	b.CreatedAt = fromNanos(created)
	var err error
	b.Tags, err = decodeTags(tags)
	return b, err
}

// GetBucket implements meta.S3Store.
func (db *DB) GetBucket(ctx context.Context, name string) (meta.Bucket, error) {
	b, err := scanBucket(db.r.QueryRowContext(ctx, db.q(`SELECT `+bucketCols+` FROM s3_buckets WHERE name = ?`), name))
	return b, notFound(err, "bucket "+name)
}

// ListBuckets implements meta.S3Store.
func (db *DB) ListBuckets(ctx context.Context, account, prefix string, p meta.Page) ([]meta.Bucket, error) {
	query := `SELECT ` + bucketCols + ` FROM s3_buckets WHERE (? = '' OR account_id = ?) AND name >= ? AND name > ?`
	args := []any{account, account, prefix, p.After}
	if hi, ok := prefixEnd(prefix); ok {
		query += ` AND name < ?`
		args = append(args, hi)
	}
	rows, err := db.r.QueryContext(ctx, db.q(query+` ORDER BY name LIMIT ?`), append(args, limit(p, 10000, 10000))...)
	if err != nil {
		return nil, fmt.Errorf("list buckets: %w", err)
	}
	return collect(rows, scanBucket)
}

// DeleteBucket implements meta.S3Store.
func (db *DB) DeleteBucket(ctx context.Context, name, id string) ([]meta.Part, error) {
	var parts []meta.Part
	err := db.write(ctx, func(t *tx) error {
		parts = nil
		// Delete first: on PostgreSQL that locks the row, so a writer
		// holding it (lockBucket) commits before the count below, and one
		// arriving later finds the bucket gone.
		res, err := t.exec(ctx, `DELETE FROM s3_buckets WHERE name = ? AND id = ?`, name, id)
		if err != nil {
			return fmt.Errorf("delete bucket: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return fmt.Errorf("bucket %s: %w", name, meta.ErrNotFound)
		}
		var n int
		if err := t.row(ctx, `SELECT COUNT(*) FROM s3_objects WHERE bucket_id = ?`, id).Scan(&n); err != nil {
			return fmt.Errorf("count objects: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("bucket %s is not empty: %w", name, meta.ErrConflict)
		}
		ids, err := t.deleteUploadsOf(ctx, id)
		if err != nil {
			return err
		}
		for _, up := range ids {
			ps, err := t.deleteParts(ctx, up)
			if err != nil {
				return err
			}
			parts = append(parts, ps...)
		}
		t.changed(meta.TopicBucket, name)
		return nil
	})
	return parts, err
}

func (t *tx) deleteUploadsOf(ctx context.Context, bucketID string) ([]string, error) {
	rows, err := t.query(ctx, `DELETE FROM s3_uploads WHERE bucket_id = ? RETURNING id`, bucketID)
	if err != nil {
		return nil, fmt.Errorf("delete uploads: %w", err)
	}
	return collect(rows, func(s interface{ Scan(...any) error }) (string, error) {
		var id string
		err := s.Scan(&id)
		return id, err
	})
}

// SetBucketPolicy implements meta.S3Store.
func (db *DB) SetBucketPolicy(ctx context.Context, name, policy string) error {
	return db.updateBucket(ctx, name, `UPDATE s3_buckets SET policy = ? WHERE name = ?`, policy)
}

// SetBucketTags implements meta.S3Store.
func (db *DB) SetBucketTags(ctx context.Context, name string, tags []meta.Tag) error {
	enc, err := encodeTags(tags)
	if err != nil {
		return err
	}
	return db.updateBucket(ctx, name, `UPDATE s3_buckets SET tags = ? WHERE name = ?`, enc)
}

func (db *DB) updateBucket(ctx context.Context, name, query string, value string) error {
	return db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, query, value, name)
		if err != nil {
			return fmt.Errorf("update bucket %s: %w", name, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("bucket %s: %w", name, meta.ErrNotFound)
		}
		t.changed(meta.TopicBucket, name)
		return nil
	})
}

// encodeTags stores nil as "" and an empty set as "[]", so that a bucket
// whose tag set was deleted differs from one with an empty set.
func encodeTags(tags []meta.Tag) (string, error) {
	if tags == nil {
		return "", nil
	}
	b, err := json.Marshal(tags)
	if err != nil {
		return "", fmt.Errorf("encode tags: %w", err)
	}
	return string(b), nil
}

func decodeTags(s string) ([]meta.Tag, error) {
	if s == "" {
		return nil, nil
	}
	tags := []meta.Tag{}
	if err := json.Unmarshal([]byte(s), &tags); err != nil {
		return nil, fmt.Errorf("decode tags: %w", err)
	}
	return tags, nil
}

// lockBucket checks, in a writing transaction, that the bucket with this
// ID exists, and on PostgreSQL holds a share lock on its row until the
// transaction ends, so that DeleteBucket cannot empty-check the bucket
// between this write's check and its commit.
func (t *tx) lockBucket(ctx context.Context, id string) error {
	lock := ""
	if t.db.d.Name == "postgres" {
		lock = " FOR SHARE"
	}
	var got string
	err := t.row(ctx, `SELECT id FROM s3_buckets WHERE id = ?`+lock, id).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("bucket %s: %w", id, meta.ErrBucketGone)
	}
	if err != nil {
		return fmt.Errorf("lock bucket: %w", err)
	}
	return nil
}
