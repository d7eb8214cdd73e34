package sqlstore

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/grantd/grantd/internal/meta"
)

// grantDedupKey is what makes two grants the same grant.
func grantDedupKey(g meta.AccessGrant) string {
	return digest(g.GranteeType, g.GranteeIdentifier, g.Permission, g.GrantScope, g.PrefixType, g.ApplicationARN)
}

// CreateGrant implements meta.GrantsStore.
func (db *DB) CreateGrant(ctx context.Context, g meta.AccessGrant, tags []meta.Tag, quota int) error {
	return db.write(ctx, func(t *tx) error {
		// The counters lock the location and the instance against
		// concurrent deletes and carry the quota.
		res, err := t.exec(ctx, `UPDATE ag_locations SET grant_count = grant_count + 1 WHERE account_id = ? AND region = ? AND id = ?`,
			g.Account, g.Region, g.LocationID)
		if err := rowsChanged(res, err, "access grants location "+g.LocationID); err != nil {
			return err
		}
		res, err = t.exec(ctx, `UPDATE ag_instances SET grant_count = grant_count + 1 WHERE account_id = ? AND region = ? AND grant_count < ?`,
			g.Account, g.Region, quota)
		if err := rowsChanged(res, err, "access grants instance"); err != nil {
			return fmt.Errorf("access grants quota %d: %w", quota, meta.ErrQuota)
		}
		_, err = t.exec(ctx, `INSERT INTO ag_grants (account_id, region, id, location_id, grantee_type, grantee_id, permission, sub_prefix, prefix_type, grant_scope, application_arn, dedup_key, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			g.Account, g.Region, g.ID, g.LocationID, g.GranteeType, g.GranteeIdentifier, g.Permission, g.SubPrefix, g.PrefixType,
			g.GrantScope, g.ApplicationARN, grantDedupKey(g), nanos(g.CreatedAt))
		if err := db.exists(err, "access grant "+g.GrantScope); err != nil {
			return err
		}
		r := meta.GrantsResource{Account: g.Account, Region: g.Region, Kind: meta.GrantResource, ID: g.ID}
		if err := t.putGrantsTags(ctx, r, tags); err != nil {
			return err
		}
		t.changed(meta.TopicGrant, meta.GrantsKey(g.Account, g.Region, g.ID))
		return nil
	})
}

const grantCols = `account_id, region, id, location_id, grantee_type, grantee_id, permission, sub_prefix, prefix_type, grant_scope, application_arn, created_at`

func scanGrant(s interface{ Scan(...any) error }) (meta.AccessGrant, error) {
	var g meta.AccessGrant
	var created int64
	err := s.Scan(&g.Account, &g.Region, &g.ID, &g.LocationID, &g.GranteeType, &g.GranteeIdentifier, &g.Permission,
		&g.SubPrefix, &g.PrefixType, &g.GrantScope, &g.ApplicationARN, &created)
	g.CreatedAt = fromNanos(created)
	return g, err
}

func (t *tx) grant(ctx context.Context, account, region, id string) (meta.AccessGrant, error) {
	g, err := scanGrant(t.row(ctx, `SELECT `+grantCols+` FROM ag_grants WHERE account_id = ? AND region = ? AND id = ?`, account, region, id))
	return g, notFound(err, "access grant "+id)
}

// GetGrant implements meta.GrantsStore.
func (db *DB) GetGrant(ctx context.Context, account, region, id string) (meta.AccessGrant, error) {
	var g meta.AccessGrant
	err := db.read(ctx, func(t *tx) error {
		var err error
		g, err = t.grant(ctx, account, region, id)
		return err
	})
	return g, err
}

// DeleteGrant implements meta.GrantsStore.
func (db *DB) DeleteGrant(ctx context.Context, account, region, id string) error {
	return db.write(ctx, func(t *tx) error {
		g, err := t.grant(ctx, account, region, id)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `DELETE FROM ag_grants WHERE account_id = ? AND region = ? AND id = ?`, account, region, id)
		if err := rowsChanged(res, err, "access grant "+id); err != nil {
			return err
		}
		res, err = t.exec(ctx, `UPDATE ag_locations SET grant_count = grant_count - 1 WHERE account_id = ? AND region = ? AND id = ?`, account, region, g.LocationID)
		if err := rowsChanged(res, err, "access grants location "+g.LocationID); err != nil {
			return err
		}
		res, err = t.exec(ctx, `UPDATE ag_instances SET grant_count = grant_count - 1 WHERE account_id = ? AND region = ?`, account, region)
		if err := rowsChanged(res, err, "access grants instance"); err != nil {
			return err
		}
		if err := t.deleteGrantsTags(ctx, meta.GrantsResource{Account: account, Region: region, Kind: meta.GrantResource, ID: id}); err != nil {
			return err
		}
		t.changed(meta.TopicGrant, meta.GrantsKey(account, region, id))
		return nil
	})
}

// ListGrants implements meta.GrantsStore.
func (db *DB) ListGrants(ctx context.Context, account, region string, f meta.GrantFilter, p meta.Page) ([]meta.AccessGrant, string, error) {
	q := `SELECT ` + grantCols + ` FROM ag_grants WHERE account_id = ? AND region = ?`
	args := []any{account, region}
	for _, c := range []struct{ col, val string }{
		{"grantee_type", f.GranteeType},
		{"grantee_id", f.GranteeIdentifier},
		{"permission", f.Permission},
		{"application_arn", f.ApplicationARN},
	} {
		if c.val != "" {
			q += ` AND ` + c.col + ` = ?`
			args = append(args, c.val)
		}
	}
	if f.ScopePrefix != "" {
		// substr counts characters in both engines; LIKE would need
		// escaping of % and _, which scopes may contain.
		q += ` AND substr(grant_scope, 1, ?) = ?`
		args = append(args, utf8.RuneCountInString(f.ScopePrefix), f.ScopePrefix)
	}
	q, args, n, err := keyset(q, args, p)
	if err != nil {
		return nil, "", err
	}
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, "", fmt.Errorf("list access grants: %w", err)
	}
	list, err := collect(rows, scanGrant)
	if err != nil {
		return nil, "", fmt.Errorf("list access grants: %w", err)
	}
	next := ""
	if len(list) > n {
		list = list[:n]
		next = grantsCursor(nanos(list[n-1].CreatedAt), list[n-1].ID)
	}
	return list, next, nil
}
