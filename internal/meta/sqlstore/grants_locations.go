package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/grantd/grantd/internal/meta"
)

// locationScopeKey is the identity of a location scope: the scope without
// one trailing "/" (s3://bucket/ and s3://bucket are the same location),
// hashed to keep index entries short.
func locationScopeKey(scope string) string {
	if scope != "s3://" {
		scope = strings.TrimSuffix(scope, "/")
	}
	return digest(scope)
}

// CreateGrantsLocation implements meta.GrantsStore.
func (db *DB) CreateGrantsLocation(ctx context.Context, loc meta.GrantsLocation, tags []meta.Tag, quota int) error {
	return db.write(ctx, func(t *tx) error {
		// Counting in the instance row both checks the quota and locks the
		// instance against a concurrent delete.
		res, err := t.exec(ctx, `UPDATE ag_instances SET location_count = location_count + 1
			WHERE account_id = ? AND region = ? AND location_count < ?`, loc.Account, loc.Region, quota)
		if err := rowsChanged(res, err, "access grants instance "+loc.Account+" "+loc.Region); err != nil {
			if _, err2 := t.grantsInstance(ctx, loc.Account, loc.Region); err2 != nil {
				return err2
			}
			return fmt.Errorf("access grants locations quota %d: %w", quota, meta.ErrQuota)
		}
		_, err = t.exec(ctx, `INSERT INTO ag_locations (account_id, region, id, scope, scope_key, iam_role_arn, grant_count, created_at)
			VALUES (?, ?, ?, ?, ?, ?, 0, ?)`,
			loc.Account, loc.Region, loc.ID, loc.Scope, locationScopeKey(loc.Scope), loc.IAMRoleARN, nanos(loc.CreatedAt))
		if err := db.exists(err, "access grants location "+loc.Scope); err != nil {
			return err
		}
		r := meta.GrantsResource{Account: loc.Account, Region: loc.Region, Kind: meta.GrantsLocationResource, ID: loc.ID}
		if err := t.putGrantsTags(ctx, r, tags); err != nil {
			return err
		}
		t.changed(meta.TopicGrantsLocation, meta.GrantsKey(loc.Account, loc.Region, loc.ID))
		return nil
	})
}

const locationCols = `account_id, region, id, scope, iam_role_arn, created_at`

func scanLocation(s interface{ Scan(...any) error }) (meta.GrantsLocation, error) {
	var l meta.GrantsLocation
	var created int64
	err := s.Scan(&l.Account, &l.Region, &l.ID, &l.Scope, &l.IAMRoleARN, &created)
	l.CreatedAt = fromNanos(created)
	return l, err
}

func (t *tx) grantsLocation(ctx context.Context, account, region, id string) (meta.GrantsLocation, error) {
	l, err := scanLocation(t.row(ctx, `SELECT `+locationCols+` FROM ag_locations WHERE account_id = ? AND region = ? AND id = ?`, account, region, id))
	return l, notFound(err, "access grants location "+id)
}

// GetGrantsLocation implements meta.GrantsStore.
func (db *DB) GetGrantsLocation(ctx context.Context, account, region, id string) (meta.GrantsLocation, error) {
	var l meta.GrantsLocation
	err := db.read(ctx, func(t *tx) error {
		var err error
		l, err = t.grantsLocation(ctx, account, region, id)
		return err
	})
	return l, err
}

// UpdateGrantsLocation implements meta.GrantsStore.
func (db *DB) UpdateGrantsLocation(ctx context.Context, account, region, id, roleARN string) (meta.GrantsLocation, error) {
	var l meta.GrantsLocation
	err := db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE ag_locations SET iam_role_arn = ? WHERE account_id = ? AND region = ? AND id = ?`, roleARN, account, region, id)
		if err := rowsChanged(res, err, "access grants location "+id); err != nil {
			return err
		}
		if l, err = t.grantsLocation(ctx, account, region, id); err != nil {
			return err
		}
		t.changed(meta.TopicGrantsLocation, meta.GrantsKey(account, region, id))
		return nil
	})
	return l, err
}

// DeleteGrantsLocation implements meta.GrantsStore.
func (db *DB) DeleteGrantsLocation(ctx context.Context, account, region, id string) error {
	return db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM ag_locations WHERE account_id = ? AND region = ? AND id = ? AND grant_count = 0`, account, region, id)
		if err := rowsChanged(res, err, "access grants location "+id); err != nil {
			if _, err2 := t.grantsLocation(ctx, account, region, id); err2 != nil {
				return err2
			}
			return fmt.Errorf("access grants location %s has grants: %w", id, meta.ErrNotEmpty)
		}
		res, err = t.exec(ctx, `UPDATE ag_instances SET location_count = location_count - 1 WHERE account_id = ? AND region = ?`, account, region)
		if err := rowsChanged(res, err, "access grants instance "+account+" "+region); err != nil {
			return err
		}
		r := meta.GrantsResource{Account: account, Region: region, Kind: meta.GrantsLocationResource, ID: id}
		if err := t.deleteGrantsTags(ctx, r); err != nil {
			return err
		}
		t.changed(meta.TopicGrantsLocation, meta.GrantsKey(account, region, id))
		return nil
	})
}

// ListGrantsLocations implements meta.GrantsStore.
func (db *DB) ListGrantsLocations(ctx context.Context, account, region, scope string, p meta.Page) ([]meta.GrantsLocation, string, error) {
	q := `SELECT ` + locationCols + ` FROM ag_locations WHERE account_id = ? AND region = ?`
	args := []any{account, region}
	if scope != "" {
		q += ` AND scope_key = ?`
		args = append(args, locationScopeKey(scope))
	}
	q, args, n, err := keyset(q, args, p)
	if err != nil {
		return nil, "", err
	}
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, "", fmt.Errorf("list access grants locations: %w", err)
	}
	list, err := collect(rows, scanLocation)
	if err != nil {
		return nil, "", fmt.Errorf("list access grants locations: %w", err)
	}
	next := ""
	if len(list) > n {
		list = list[:n]
		next = grantsCursor(nanos(list[n-1].CreatedAt), list[n-1].ID)
	}
	return list, next, nil
}
