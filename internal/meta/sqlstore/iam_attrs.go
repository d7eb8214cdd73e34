package sqlstore

import (
	"context"
	"fmt"

	"github.com/grantd/grantd/internal/meta"
)

// Tags, inline policies and access keys: what hangs off IAM entities.

func (t *tx) insertTags(ctx context.Context, resource string, tags []meta.Tag) error {
	for _, tag := range tags {
		if _, err := t.exec(ctx, `INSERT INTO iam_tags (resource, key_key, key, value) VALUES (?, ?, ?, ?)`,
			resource, nameKey(tag.Key), tag.Key, tag.Value); err != nil {
			return t.db.exists(err, "tag "+tag.Key)
		}
	}
	return nil
}

func (t *tx) tags(ctx context.Context, resource string) ([]meta.Tag, error) {
	rows, err := t.query(ctx, `SELECT key, value FROM iam_tags WHERE resource = ? ORDER BY key_key`, resource)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(s scanner) (meta.Tag, error) {
		var tag meta.Tag
		return tag, s.Scan(&tag.Key, &tag.Value)
	})
}

// TagResource implements meta.IAMStore.
func (db *DB) TagResource(ctx context.Context, e meta.EntityRef, tags []meta.Tag, max int) error {
	return db.write(ctx, func(t *tx) error {
		id, err := t.entity(ctx, e, true)
		if err != nil {
			return err
		}
		for _, tag := range tags {
			if _, err := t.exec(ctx, `DELETE FROM iam_tags WHERE resource = ? AND key_key = ?`, id, nameKey(tag.Key)); err != nil {
				return err
			}
		}
		if err := t.insertTags(ctx, id, tags); err != nil {
			return err
		}
		var n int
		if err := t.row(ctx, `SELECT COUNT(*) FROM iam_tags WHERE resource = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n > max {
			return fmt.Errorf("%d tags: %w", n, meta.ErrLimitExceeded)
		}
		t.touched(e)
		return nil
	})
}

// UntagResource implements meta.IAMStore.
func (db *DB) UntagResource(ctx context.Context, e meta.EntityRef, keys []string) error {
	return db.write(ctx, func(t *tx) error {
		id, err := t.entity(ctx, e, true)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := t.exec(ctx, `DELETE FROM iam_tags WHERE resource = ? AND key_key = ?`, id, nameKey(k)); err != nil {
				return err
			}
		}
		t.touched(e)
		return nil
	})
}

// ListTags implements meta.IAMStore.
func (db *DB) ListTags(ctx context.Context, e meta.EntityRef) ([]meta.Tag, error) {
	var tags []meta.Tag
	err := db.read(ctx, func(t *tx) error {
		id, err := t.entity(ctx, e, false)
		if err != nil {
			return err
		}
		tags, err = t.tags(ctx, id)
		return err
	})
	return tags, err
}

// PutInlinePolicy implements meta.IAMStore.
func (db *DB) PutInlinePolicy(ctx context.Context, e meta.EntityRef, p meta.InlinePolicy, maxTotal int) error {
	return db.write(ctx, func(t *tx) error {
		id, err := t.entity(ctx, e, true)
		if err != nil {
			return err
		}
		var others int
		err = t.row(ctx, `SELECT COALESCE(SUM(size), 0) FROM iam_inline_policies WHERE owner_id = ? AND name_key <> ?`, id, nameKey(p.Name)).Scan(&others)
		if err != nil {
			return err
		}
		if others+p.Size > maxTotal {
			return fmt.Errorf("inline policies of %s %s would total %d: %w", e.Type, e.Name, others+p.Size, meta.ErrLimitExceeded)
		}
		if _, err := t.exec(ctx, `DELETE FROM iam_inline_policies WHERE owner_id = ? AND name_key = ?`, id, nameKey(p.Name)); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO iam_inline_policies (owner_id, name_key, name, document, size) VALUES (?, ?, ?, ?, ?)`,
			id, nameKey(p.Name), p.Name, p.Document, p.Size); err != nil {
			return err
		}
		t.touched(e)
		return nil
	})
}

// GetInlinePolicy implements meta.IAMStore.
func (db *DB) GetInlinePolicy(ctx context.Context, e meta.EntityRef, name string) (meta.InlinePolicy, error) {
	var p meta.InlinePolicy
	err := db.read(ctx, func(t *tx) error {
		id, err := t.entity(ctx, e, false)
		if err != nil {
			return err
		}
		err = t.row(ctx, `SELECT name, document, size FROM iam_inline_policies WHERE owner_id = ? AND name_key = ?`, id, nameKey(name)).
			Scan(&p.Name, &p.Document, &p.Size)
		return notFound(err, "policy "+name)
	})
	return p, err
}

// DeleteInlinePolicy implements meta.IAMStore.
func (db *DB) DeleteInlinePolicy(ctx context.Context, e meta.EntityRef, name string) error {
	return db.write(ctx, func(t *tx) error {
		id, err := t.entity(ctx, e, true)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `DELETE FROM iam_inline_policies WHERE owner_id = ? AND name_key = ?`, id, nameKey(name))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("policy %s: %w", name, meta.ErrNotFound)
		}
		t.touched(e)
		return nil
	})
}

// ListInlinePolicies implements meta.IAMStore.
func (db *DB) ListInlinePolicies(ctx context.Context, e meta.EntityRef, p meta.Page) ([]string, error) {
	var names []string
	err := db.read(ctx, func(t *tx) error {
		id, err := t.entity(ctx, e, false)
		if err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT name FROM iam_inline_policies WHERE owner_id = ? AND name_key > ? ORDER BY name_key LIMIT ?`,
			id, p.After, limit(p, 100, 1001))
		if err != nil {
			return err
		}
		names, err = collect(rows, func(s scanner) (string, error) {
			var n string
			return n, s.Scan(&n)
		})
		return err
	})
	return names, err
}

// keyOwner checks that the owner of keys exists and locks it: the user
// row, or the account row for the root user.
func (t *tx) keyOwner(ctx context.Context, account, user string) (string, error) {
	if user == "" {
		var id string
		err := t.row(ctx, `UPDATE accounts SET status = status WHERE id = ? RETURNING id`, account).Scan(&id)
		return "", notFound(err, "account "+account)
	}
	var name string
	err := t.row(ctx, `UPDATE iam_users SET created_at = created_at WHERE account_id = ? AND name_key = ? RETURNING name`, account, nameKey(user)).Scan(&name)
	return name, notFound(err, "user "+user)
}

// CreateAccessKey implements meta.IAMStore.
func (db *DB) CreateAccessKey(ctx context.Context, k meta.AccessKey, max int) error {
	return db.write(ctx, func(t *tx) error {
		name, err := t.keyOwner(ctx, k.AccountID, k.UserName)
		if err != nil {
			return err
		}
		k.UserName = name
		var n int
		if err := t.row(ctx, `SELECT COUNT(*) FROM access_keys WHERE account_id = ? AND user_name = ?`, k.AccountID, name).Scan(&n); err != nil {
			return err
		}
		if n >= max {
			return fmt.Errorf("%d access keys: %w", n, meta.ErrLimitExceeded)
		}
		return t.insertAccessKey(ctx, k)
	})
}

// ListAccessKeys implements meta.IAMStore.
func (db *DB) ListAccessKeys(ctx context.Context, account, user string, p meta.Page) ([]meta.AccessKey, error) {
	var keys []meta.AccessKey
	err := db.read(ctx, func(t *tx) error {
		name := ""
		if user != "" {
			if err := t.row(ctx, `SELECT name FROM iam_users WHERE account_id = ? AND name_key = ?`, account, nameKey(user)).Scan(&name); err != nil {
				return notFound(err, "user "+user)
			}
		}
		rows, err := t.query(ctx, `SELECT id, account_id, user_name, secret, status, created_at FROM access_keys
			WHERE account_id = ? AND user_name = ? AND id > ? ORDER BY id LIMIT ?`, account, name, p.After, limit(p, 100, 1001))
		if err != nil {
			return err
		}
		keys, err = collect(rows, func(s scanner) (meta.AccessKey, error) {
			var k meta.AccessKey
			var created int64
			err := s.Scan(&k.ID, &k.AccountID, &k.UserName, &k.Secret, &k.Status, &created)
			k.CreatedAt = fromNanos(created)
			return k, err
		})
		return err
	})
	return keys, err
}

// UpdateAccessKey implements meta.IAMStore.
func (db *DB) UpdateAccessKey(ctx context.Context, account, user, id, status string) error {
	return db.write(ctx, func(t *tx) error {
		name, err := t.keyOwner(ctx, account, user)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE access_keys SET status = ? WHERE id = ? AND account_id = ? AND user_name = ?`, status, id, account, name)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("access key %s: %w", id, meta.ErrNotFound)
		}
		t.changed(meta.TopicAccessKey, id)
		return nil
	})
}

// DeleteAccessKey implements meta.IAMStore.
func (db *DB) DeleteAccessKey(ctx context.Context, account, user, id string) error {
	return db.write(ctx, func(t *tx) error {
		name, err := t.keyOwner(ctx, account, user)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `DELETE FROM access_keys WHERE id = ? AND account_id = ? AND user_name = ?`, id, account, name)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("access key %s: %w", id, meta.ErrNotFound)
		}
		t.changed(meta.TopicAccessKey, id)
		return nil
	})
}
