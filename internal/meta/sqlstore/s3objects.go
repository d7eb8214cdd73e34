package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/grantd/grantd/internal/meta"
)

const objectCols = `bucket_id, key, id, size, etag, last_modified, parts_count, attrs, checksum`

func scanObject(s interface{ Scan(...any) error }) (meta.Object, error) {
	var o meta.Object
	var modified int64
	var attrs, sum string
	if err := s.Scan(&o.BucketID, &o.Key, &o.ID, &o.Size, &o.ETag, &modified, &o.PartsCount, &attrs, &sum); err != nil {
		return o, err
	}
	o.LastModified = fromNanos(modified)
	if err := json.Unmarshal([]byte(attrs), &o.Attrs); err != nil {
		return o, fmt.Errorf("decode attributes of %q: %w", o.Key, err)
	}
	if err := json.Unmarshal([]byte(sum), &o.Checksum); err != nil {
		return o, fmt.Errorf("decode checksum of %q: %w", o.Key, err)
	}
	return o, nil
}

func encodeJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode %T: %w", v, err)
	}
	return string(b), nil
}

// GetObject implements meta.S3Store. A single-blob object is one
// statement; a multipart object is read with its parts in one snapshot.
func (db *DB) GetObject(ctx context.Context, bucketID, key string) (meta.Object, error) {
	const query = `SELECT ` + objectCols + ` FROM s3_objects WHERE bucket_id = ? AND key = ?`
	o, err := scanObject(db.r.QueryRowContext(ctx, db.q(query), bucketID, key))
	if err != nil || o.PartsCount == 0 {
		return o, notFound(err, "object "+key)
	}
	err = db.read(ctx, func(t *tx) error {
		var err error
		if o, err = scanObject(t.row(ctx, query, bucketID, key)); err != nil {
			return notFound(err, "object "+key)
		}
		if o.PartsCount > 0 {
			o.Parts, err = t.parts(ctx, o.ID, 0, 0)
		}
		return err
	})
	return o, err
}

// PutObject implements meta.S3Store.
func (db *DB) PutObject(ctx context.Context, o meta.Object, c meta.ObjectCondition) (*meta.Object, error) {
	var old *meta.Object
	err := db.write(ctx, func(t *tx) error {
		var err error
		old, err = t.replaceObject(ctx, o, c)
		return err
	})
	return old, err
}

// replaceObject makes o the object under its key if c holds for the
// current one, and returns the object it replaced, with its parts.
//
// On PostgreSQL the current row is read FOR UPDATE, so writers of one key
// serialize on it. A key with no row cannot be locked: two writers may both
// find none, and the second insert then does nothing; that writer reads
// again (now finding, and locking, the first one's row) and replaces it.
func (t *tx) replaceObject(ctx context.Context, o meta.Object, c meta.ObjectCondition) (*meta.Object, error) {
	attrs, err := encodeJSON(o.Attrs)
	if err != nil {
		return nil, err
	}
	sum, err := encodeJSON(o.Checksum)
	if err != nil {
		return nil, err
	}
	if err := t.lockBucket(ctx, o.BucketID); err != nil {
		return nil, err
	}
	lock := ""
	if t.db.d.Name == "postgres" {
		lock = " FOR UPDATE"
	}
	for attempt := 0; attempt < 100; attempt++ {
		old, err := scanObject(t.row(ctx, `SELECT `+objectCols+` FROM s3_objects WHERE bucket_id = ? AND key = ?`+lock, o.BucketID, o.Key))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if err := checkCondition(nil, c, o.Key); err != nil {
				return nil, err
			}
			res, err := t.exec(ctx, `INSERT INTO s3_objects (`+objectCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (bucket_id, key) DO NOTHING`,
				o.BucketID, o.Key, o.ID, o.Size, o.ETag, nanos(o.LastModified), o.PartsCount, attrs, sum)
			if err != nil {
				return nil, fmt.Errorf("insert object %q: %w", o.Key, err)
			}
			if n, _ := res.RowsAffected(); n == 1 {
				return nil, nil
			}
			continue // another writer inserted the key first
		case err != nil:
			return nil, fmt.Errorf("read object %q: %w", o.Key, err)
		}
		if err := checkCondition(&old, c, o.Key); err != nil {
			return nil, err
		}
		_, err = t.exec(ctx, `UPDATE s3_objects SET id = ?, size = ?, etag = ?, last_modified = ?, parts_count = ?, attrs = ?, checksum = ? WHERE bucket_id = ? AND key = ?`,
			o.ID, o.Size, o.ETag, nanos(o.LastModified), o.PartsCount, attrs, sum, o.BucketID, o.Key)
		if err != nil {
			return nil, fmt.Errorf("replace object %q: %w", o.Key, err)
		}
		if old.PartsCount > 0 {
			if old.Parts, err = t.deleteParts(ctx, old.ID); err != nil {
				return nil, err
			}
		}
		return &old, nil
	}
	return nil, fmt.Errorf("object %q: too many concurrent writers", o.Key)
}

// takeObject deletes the object under key (with its parts) and returns it,
// or nil when there is none.
func (t *tx) takeObject(ctx context.Context, bucketID, key string) (*meta.Object, error) {
	o, err := scanObject(t.row(ctx, `DELETE FROM s3_objects WHERE bucket_id = ? AND key = ? RETURNING `+objectCols, bucketID, key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("remove object %q: %w", key, err)
	}
	if o.PartsCount > 0 {
		if o.Parts, err = t.deleteParts(ctx, o.ID); err != nil {
			return nil, err
		}
	}
	return &o, nil
}

func checkCondition(old *meta.Object, c meta.ObjectCondition, key string) error {
	switch {
	case c.IfAbsent && old != nil:
		return fmt.Errorf("object %q: %w", key, meta.ErrExists)
	case (c.IfETag != "" || c.IfID != "") && old == nil:
		return fmt.Errorf("object %q: %w", key, meta.ErrNotFound)
	case c.IfETag != "" && old.ETag != c.IfETag, c.IfID != "" && old.ID != c.IfID:
		return fmt.Errorf("object %q changed: %w", key, meta.ErrConflict)
	}
	return nil
}

// SetObjectTags implements meta.S3Store.
func (db *DB) SetObjectTags(ctx context.Context, bucketID, key, id string, tags []meta.Tag) error {
	return db.write(ctx, func(t *tx) error {
		o, err := scanObject(t.row(ctx, `SELECT `+objectCols+` FROM s3_objects WHERE bucket_id = ? AND key = ? AND id = ?`, bucketID, key, id))
		if err != nil {
			return notFound(err, "object "+key)
		}
		o.Attrs.Tags = tags
		attrs, err := encodeJSON(o.Attrs)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE s3_objects SET attrs = ? WHERE bucket_id = ? AND key = ? AND id = ?`, attrs, bucketID, key, id)
		if err != nil {
			return fmt.Errorf("update tags of %q: %w", key, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("object %q: %w", key, meta.ErrNotFound)
		}
		return nil
	})
}

// DeleteObjects implements meta.S3Store.
func (db *DB) DeleteObjects(ctx context.Context, bucketID string, keys []string) ([]meta.Object, error) {
	var out []meta.Object
	err := db.write(ctx, func(t *tx) error {
		out = out[:0]
		for _, k := range keys {
			o, err := t.takeObject(ctx, bucketID, k)
			if err != nil {
				return err
			}
			if o != nil {
				out = append(out, *o)
			}
		}
		return nil
	})
	return out, err
}

// ListObjects implements meta.S3Store.
func (db *DB) ListObjects(ctx context.Context, bucketID string, q meta.KeyRange) ([]meta.Object, error) {
	query, args := keyRange(`SELECT `+objectCols+` FROM s3_objects WHERE bucket_id = ?`, bucketID, q, false)
	rows, err := db.r.QueryContext(ctx, db.q(query+` ORDER BY key LIMIT ?`), append(args, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("list objects: %w", err)
	}
	return collect(rows, scanObject)
}

// keyRange appends the conditions of q to a query selecting by bucket.
func keyRange(query, bucketID string, q meta.KeyRange, withID bool) (string, []any) {
	query += ` AND key >= ? AND key >= ?`
	args := []any{bucketID, q.Prefix, q.From}
	if withID {
		query += ` AND (key > ? OR (key = ? AND id > ?))`
		args = append(args, q.After, q.After, q.AfterID)
	} else {
		query += ` AND key > ?`
		args = append(args, q.After)
	}
	if hi, ok := prefixEnd(q.Prefix); ok {
		query += ` AND key < ?`
		args = append(args, hi)
	}
	return query, args
}

// LiveBlobIDs implements meta.S3Store.
func (db *DB) LiveBlobIDs(ctx context.Context, ids []string) (map[string]bool, error) {
	live := make(map[string]bool, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		batch := ids[:n]
		ids = ids[n:]
		marks := strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
		args := make([]any, 0, 3*n)
		for range 3 {
			for _, id := range batch {
				args = append(args, id)
			}
		}
		rows, err := db.r.QueryContext(ctx, db.q(`SELECT id FROM s3_objects WHERE id IN (`+marks+`)
			UNION SELECT id FROM s3_parts WHERE id IN (`+marks+`)
			UNION SELECT id FROM s3_uploads WHERE id IN (`+marks+`)`), args...)
		if err != nil {
			return nil, fmt.Errorf("look up blob ids: %w", err)
		}
		found, err := collect(rows, func(s interface{ Scan(...any) error }) (string, error) {
			var id string
			err := s.Scan(&id)
			return id, err
		})
		if err != nil {
			return nil, err
		}
		for _, id := range found {
			live[id] = true
		}
	}
	return live, nil
}

// prefixEnd returns the least string above every string that starts with
// prefix, in byte order, so that "key >= prefix AND key < end" selects the
// keys with the prefix using the index. UTF-8 byte order is code point
// order, so the end is the prefix with its last code point incremented
// (dropping trailing U+10FFFF). ok is false when there is no such bound.
func prefixEnd(prefix string) (string, bool) {
	for prefix != "" {
		r, size := utf8.DecodeLastRuneInString(prefix)
		prefix = prefix[:len(prefix)-size]
		if r == utf8.RuneError && size <= 1 {
			continue // not UTF-8: S3 keys are; drop it rather than guess
		}
		next := r + 1
		if next == 0xD800 { // surrogates are not encodable
			next = 0xE000
		}
		if next <= utf8.MaxRune {
			return prefix + string(next), true
		}
	}
	return "", false
}
