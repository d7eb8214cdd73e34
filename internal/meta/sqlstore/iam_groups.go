package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/grantd/grantd/internal/meta"
)

const groupCols = `account_id, name, id, path, created_at`

func scanGroup(s scanner) (meta.Group, error) {
	var g meta.Group
	var created int64
	err := s.Scan(&g.AccountID, &g.Name, &g.ID, &g.Path, &created)
	g.CreatedAt = fromNanos(created)
	g.ARN = "arn:aws:iam::" + g.AccountID + ":group" + g.Path + g.Name
	return g, err
}

// CreateGroup implements meta.IAMStore.
func (db *DB) CreateGroup(ctx context.Context, g meta.Group) error {
	return db.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO iam_groups (account_id, name_key, name, id, path, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			g.AccountID, nameKey(g.Name), g.Name, g.ID, g.Path, nanos(g.CreatedAt))
		if err := db.exists(err, "group "+g.Name); err != nil {
			return err
		}
		t.changed(meta.TopicGroup, entityKey(g.AccountID, g.Name))
		return nil
	})
}

// GetGroup implements meta.IAMStore.
func (db *DB) GetGroup(ctx context.Context, account, name string) (meta.Group, error) {
	g, err := scanGroup(db.r.QueryRowContext(ctx, db.q(`SELECT `+groupCols+` FROM iam_groups WHERE account_id = ? AND name_key = ?`), account, nameKey(name)))
	return g, notFound(err, "group "+name)
}

// ListGroups implements meta.IAMStore.
func (db *DB) ListGroups(ctx context.Context, account string, f meta.ListFilter) ([]meta.Group, error) {
	cond, args := pathCond("path", f.PathPrefix, []any{account, f.After})
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+groupCols+` FROM iam_groups WHERE account_id = ? AND name_key > ?`+cond+` ORDER BY name_key LIMIT ?`),
		append(args, limit(f.Page, 100, 1001))...)
	if err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	return collect(rows, scanGroup)
}

// DeleteGroup implements meta.IAMStore.
func (db *DB) DeleteGroup(ctx context.Context, account, name string) error {
	return db.write(ctx, func(t *tx) error {
		g, err := scanGroup(t.row(ctx, `SELECT `+groupCols+` FROM iam_groups WHERE account_id = ? AND name_key = ?`, account, nameKey(name)))
		if err != nil {
			return notFound(err, "group "+name)
		}
		for _, c := range []struct{ what, query string }{
			{"members", `SELECT COUNT(*) FROM iam_group_members WHERE group_id = ?`},
			{"inline policies", `SELECT COUNT(*) FROM iam_inline_policies WHERE owner_id = ?`},
			{"attached policies", `SELECT COUNT(*) FROM iam_attachments WHERE owner_id = ?`},
		} {
			if err := t.inUse(ctx, c.what, c.query, g.ID); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, `DELETE FROM iam_groups WHERE id = ?`, g.ID); err != nil {
			return err
		}
		t.changed(meta.TopicGroup, entityKey(account, g.Name))
		return nil
	})
}

// member resolves and locks a group and a user.
func (t *tx) member(ctx context.Context, account, group, user string) (groupID, userID string, err error) {
	if groupID, err = t.entity(ctx, meta.EntityRef{Account: account, Type: meta.EntityGroup, Name: group}, true); err != nil {
		return "", "", err
	}
	userID, err = t.entity(ctx, meta.EntityRef{Account: account, Type: meta.EntityUser, Name: user}, true)
	return groupID, userID, err
}

// AddUserToGroup implements meta.IAMStore.
func (db *DB) AddUserToGroup(ctx context.Context, account, group, user string, maxGroups int) error {
	return db.write(ctx, func(t *tx) error {
		gid, uid, err := t.member(ctx, account, group, user)
		if err != nil {
			return err
		}
		var n, already int
		err = t.row(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN group_id = ? THEN 1 ELSE 0 END), 0) FROM iam_group_members WHERE user_id = ?`, gid, uid).Scan(&n, &already)
		if err != nil {
			return err
		}
		if already > 0 {
			return nil
		}
		if n >= maxGroups {
			return fmt.Errorf("user %s in %d groups: %w", user, n, meta.ErrLimitExceeded)
		}
		if _, err := t.exec(ctx, `INSERT INTO iam_group_members (group_id, user_id) VALUES (?, ?)`, gid, uid); err != nil {
			return err
		}
		t.changed(meta.TopicUser, entityKey(account, user))
		t.changed(meta.TopicGroup, entityKey(account, group))
		return nil
	})
}

// RemoveUserFromGroup implements meta.IAMStore.
func (db *DB) RemoveUserFromGroup(ctx context.Context, account, group, user string) error {
	return db.write(ctx, func(t *tx) error {
		gid, uid, err := t.member(ctx, account, group, user)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `DELETE FROM iam_group_members WHERE group_id = ? AND user_id = ?`, gid, uid)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("user %s in group %s: %w", user, group, meta.ErrNotFound)
		}
		t.changed(meta.TopicUser, entityKey(account, user))
		t.changed(meta.TopicGroup, entityKey(account, group))
		return nil
	})
}

// ListGroupMembers implements meta.IAMStore.
func (db *DB) ListGroupMembers(ctx context.Context, account, group string, p meta.Page) ([]meta.User, error) {
	var users []meta.User
	err := db.read(ctx, func(t *tx) error {
		gid, err := t.entity(ctx, meta.EntityRef{Account: account, Type: meta.EntityGroup, Name: group}, false)
		if err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT u.account_id, u.name, u.id, u.path, u.permissions_boundary, u.created_at
			FROM iam_group_members m JOIN iam_users u ON u.id = m.user_id
			WHERE m.group_id = ? AND u.name_key > ? ORDER BY u.name_key LIMIT ?`, gid, p.After, limit(p, 100, 1001))
		if err != nil {
			return err
		}
		users, err = collect(rows, scanUser)
		return err
	})
	return users, err
}

// ListGroupsForUser implements meta.IAMStore.
func (db *DB) ListGroupsForUser(ctx context.Context, account, user string, p meta.Page) ([]meta.Group, error) {
	var groups []meta.Group
	err := db.read(ctx, func(t *tx) error {
		uid, err := t.entity(ctx, meta.EntityRef{Account: account, Type: meta.EntityUser, Name: user}, false)
		if err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT g.account_id, g.name, g.id, g.path, g.created_at
			FROM iam_group_members m JOIN iam_groups g ON g.id = m.group_id
			WHERE m.user_id = ? AND g.name_key > ? ORDER BY g.name_key LIMIT ?`, uid, p.After, limit(p, 100, 1001))
		if err != nil {
			return err
		}
		groups, err = collect(rows, scanGroup)
		return err
	})
	return groups, err
}

// CreateOIDCProvider implements meta.IAMStore.
func (db *DB) CreateOIDCProvider(ctx context.Context, p meta.OIDCProvider) error {
	return db.write(ctx, func(t *tx) error {
		ids, _ := json.Marshal(nonNil(p.ClientIDs))
		thumbs, _ := json.Marshal(nonNil(p.Thumbprints))
		_, err := t.exec(ctx, `INSERT INTO iam_oidc_providers (arn, account_id, url, client_ids, thumbprints, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			p.ARN, p.AccountID, p.URL, string(ids), string(thumbs), nanos(p.CreatedAt))
		if err := db.exists(err, "OIDC provider "+p.ARN); err != nil {
			return err
		}
		if err := t.insertTags(ctx, p.ARN, p.Tags); err != nil {
			return err
		}
		t.changed(meta.TopicPolicy, p.ARN)
		return nil
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

const oidcCols = `arn, account_id, url, client_ids, thumbprints, created_at`

func scanOIDC(s scanner) (meta.OIDCProvider, error) {
	var p meta.OIDCProvider
	var ids, thumbs string
	var created int64
	if err := s.Scan(&p.ARN, &p.AccountID, &p.URL, &ids, &thumbs, &created); err != nil {
		return p, err
	}
	p.CreatedAt = fromNanos(created)
	if err := json.Unmarshal([]byte(ids), &p.ClientIDs); err != nil {
		return p, fmt.Errorf("OIDC provider %s client IDs: %w", p.ARN, err)
	}
	if err := json.Unmarshal([]byte(thumbs), &p.Thumbprints); err != nil {
		return p, fmt.Errorf("OIDC provider %s thumbprints: %w", p.ARN, err)
	}
	return p, nil
}

// GetOIDCProvider implements meta.IAMStore.
func (db *DB) GetOIDCProvider(ctx context.Context, arn string) (meta.OIDCProvider, error) {
	var p meta.OIDCProvider
	err := db.read(ctx, func(t *tx) error {
		var err error
		if p, err = scanOIDC(t.row(ctx, `SELECT `+oidcCols+` FROM iam_oidc_providers WHERE arn = ?`, arn)); err != nil {
			return notFound(err, "OIDC provider "+arn)
		}
		p.Tags, err = t.tags(ctx, arn)
		return err
	})
	return p, err
}

// ListOIDCProviders implements meta.IAMStore.
func (db *DB) ListOIDCProviders(ctx context.Context, account string) ([]meta.OIDCProvider, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+oidcCols+` FROM iam_oidc_providers WHERE account_id = ? ORDER BY arn`), account)
	if err != nil {
		return nil, fmt.Errorf("list OIDC providers: %w", err)
	}
	return collect(rows, scanOIDC)
}

// UpdateOIDCProvider implements meta.IAMStore.
func (db *DB) UpdateOIDCProvider(ctx context.Context, arn string, fn func(*meta.OIDCProvider) error) error {
	return db.write(ctx, func(t *tx) error {
		if _, err := t.entity(ctx, meta.EntityRef{Type: meta.EntityOIDC, Name: arn}, true); err != nil {
			return err
		}
		p, err := scanOIDC(t.row(ctx, `SELECT `+oidcCols+` FROM iam_oidc_providers WHERE arn = ?`, arn))
		if err != nil {
			return notFound(err, "OIDC provider "+arn)
		}
		if err := fn(&p); err != nil {
			return err
		}
		ids, _ := json.Marshal(nonNil(p.ClientIDs))
		thumbs, _ := json.Marshal(nonNil(p.Thumbprints))
		if _, err := t.exec(ctx, `UPDATE iam_oidc_providers SET client_ids = ?, thumbprints = ? WHERE arn = ?`, string(ids), string(thumbs), arn); err != nil {
			return err
		}
		t.changed(meta.TopicPolicy, arn)
		return nil
	})
}

// DeleteOIDCProvider implements meta.IAMStore.
func (db *DB) DeleteOIDCProvider(ctx context.Context, arn string) error {
	return db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM iam_oidc_providers WHERE arn = ?`, arn)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("OIDC provider %s: %w", arn, meta.ErrNotFound)
		}
		if _, err := t.exec(ctx, `DELETE FROM iam_tags WHERE resource = ?`, arn); err != nil {
			return err
		}
		t.changed(meta.TopicPolicy, arn)
		return nil
	})
}
