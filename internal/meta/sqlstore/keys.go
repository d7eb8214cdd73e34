package sqlstore

import (
	"context"
	"fmt"
	"strconv"

	"github.com/grantd/grantd/internal/meta"
)

// SessionKeys implements meta.KeyStore.
func (db *DB) SessionKeys(ctx context.Context) ([]meta.SessionKey, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, secret, is_current, created_at FROM session_keys ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list session keys: %w", err)
	}
	return collect(rows, func(s interface{ Scan(...any) error }) (meta.SessionKey, error) {
		var k meta.SessionKey
		var id, created int64
		var cur int
		err := s.Scan(&id, &k.Secret, &cur, &created)
		k.ID, k.Current, k.CreatedAt = uint32(id), cur == 1, fromNanos(created)
		return k, err
	})
}

// AddSessionKey implements meta.KeyStore.
func (db *DB) AddSessionKey(ctx context.Context, k meta.SessionKey) error {
	return db.write(ctx, func(t *tx) error {
		cur := 0
		if k.Current {
			cur = 1
			if _, err := t.exec(ctx, `UPDATE session_keys SET is_current = 0`); err != nil {
				return err
			}
		}
		_, err := t.exec(ctx, `INSERT INTO session_keys (id, secret, is_current, created_at) VALUES (?, ?, ?, ?)`,
			int64(k.ID), k.Secret, cur, nanos(k.CreatedAt))
		if err := db.exists(err, "session key "+strconv.Itoa(int(k.ID))); err != nil {
			return err
		}
		t.changed(meta.TopicSessionKey, strconv.Itoa(int(k.ID)))
		return nil
	})
}

// Changes implements meta.ChangeFeed.
func (db *DB) Changes(ctx context.Context, after int64, max int) ([]meta.Change, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT seq, topic, key, at FROM changes WHERE seq > ? ORDER BY seq LIMIT ?`), after, max)
	if err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	return collect(rows, func(s interface{ Scan(...any) error }) (meta.Change, error) {
		var c meta.Change
		var at int64
		err := s.Scan(&c.Seq, &c.Topic, &c.Key, &at)
		c.At = fromNanos(at)
		return c, err
	})
}

// LastChange implements meta.ChangeFeed.
func (db *DB) LastChange(ctx context.Context) (int64, error) {
	var seq int64
	err := db.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&seq)
	return seq, err
}
