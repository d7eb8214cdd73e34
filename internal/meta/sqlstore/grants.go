package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/grantd/grantd/internal/meta"
)

// Access Grants instances, resource policies and tags. Locations are in
// grants_locations.go, grants in grants_grants.go.

// CreateGrantsInstance implements meta.GrantsStore.
func (db *DB) CreateGrantsInstance(ctx context.Context, inst meta.GrantsInstance, tags []meta.Tag) error {
	return db.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO ag_instances (account_id, region, identity_center_arn, identity_center_app_arn, location_count, grant_count, created_at)
			VALUES (?, ?, ?, ?, 0, 0, ?)`,
			inst.Account, inst.Region, inst.IdentityCenterInstanceARN, inst.IdentityCenterApplicationARN, nanos(inst.CreatedAt))
		if err := db.exists(err, "access grants instance "+inst.Account+" "+inst.Region); err != nil {
			return err
		}
		r := meta.GrantsResource{Account: inst.Account, Region: inst.Region, Kind: meta.GrantsInstanceResource}
		if err := t.putGrantsTags(ctx, r, tags); err != nil {
			return err
		}
		t.changed(meta.TopicGrantsInstance, meta.GrantsInstanceKey(inst.Account, inst.Region))
		return nil
	})
}

func (t *tx) grantsInstance(ctx context.Context, account, region string) (meta.GrantsInstance, error) {
	inst := meta.GrantsInstance{Account: account, Region: region}
	var created int64
	err := t.row(ctx, `SELECT identity_center_arn, identity_center_app_arn, created_at FROM ag_instances WHERE account_id = ? AND region = ?`,
		account, region).Scan(&inst.IdentityCenterInstanceARN, &inst.IdentityCenterApplicationARN, &created)
	inst.CreatedAt = fromNanos(created)
	return inst, notFound(err, "access grants instance "+account+" "+region)
}

// GetGrantsInstance implements meta.GrantsStore.
func (db *DB) GetGrantsInstance(ctx context.Context, account, region string) (meta.GrantsInstance, error) {
	var inst meta.GrantsInstance
	err := db.read(ctx, func(t *tx) error {
		var err error
		inst, err = t.grantsInstance(ctx, account, region)
		return err
	})
	return inst, err
}

// GrantsInstanceState implements meta.GrantsStore.
func (db *DB) GrantsInstanceState(ctx context.Context, account, region string) (meta.GrantsInstanceState, error) {
	var st meta.GrantsInstanceState
	err := db.read(ctx, func(t *tx) error {
		var err error
		if st.Instance, err = t.grantsInstance(ctx, account, region); err != nil {
			return err
		}
		p, err := t.grantsPolicy(ctx, account, region)
		switch {
		case err == nil:
			st.Policy = &p
		case !errors.Is(err, meta.ErrNotFound):
			return err
		}
		st.Tags, err = t.grantsTags(ctx, meta.GrantsResource{Account: account, Region: region, Kind: meta.GrantsInstanceResource})
		return err
	})
	return st, err
}

// DeleteGrantsInstance implements meta.GrantsStore.
func (db *DB) DeleteGrantsInstance(ctx context.Context, account, region string) error {
	return db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM ag_instances WHERE account_id = ? AND region = ? AND location_count = 0 AND identity_center_arn = ''`, account, region)
		if err != nil {
			return fmt.Errorf("delete access grants instance: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return t.whyNotDeleted(ctx, account, region, err)
		}
		for _, q := range []string{
			`DELETE FROM ag_policies WHERE account_id = ? AND region = ?`,
			`DELETE FROM ag_tags WHERE account_id = ? AND region = ?`,
		} {
			if _, err := t.exec(ctx, q, account, region); err != nil {
				return fmt.Errorf("delete access grants instance: %w", err)
			}
		}
		t.changed(meta.TopicGrantsInstance, meta.GrantsInstanceKey(account, region))
		t.changed(meta.TopicGrantsPolicy, meta.GrantsInstanceKey(account, region))
		return nil
	})
}

// whyNotDeleted explains a conditional instance delete that deleted nothing.
func (t *tx) whyNotDeleted(ctx context.Context, account, region string, err error) error {
	if err != nil {
		return err
	}
	var locations int64
	var idc string
	err = t.row(ctx, `SELECT location_count, identity_center_arn FROM ag_instances WHERE account_id = ? AND region = ?`, account, region).Scan(&locations, &idc)
	switch {
	case err != nil:
		return notFound(err, "access grants instance "+account+" "+region)
	case locations > 0:
		return fmt.Errorf("access grants instance has %d locations: %w", locations, meta.ErrNotEmpty)
	default:
		return fmt.Errorf("access grants instance is associated with %s: %w", idc, meta.ErrConflict)
	}
}

// SetGrantsIdentityCenter implements meta.GrantsStore.
func (db *DB) SetGrantsIdentityCenter(ctx context.Context, account, region, instanceARN, applicationARN string) error {
	return db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE ag_instances SET identity_center_arn = ?, identity_center_app_arn = ? WHERE account_id = ? AND region = ?`,
			instanceARN, applicationARN, account, region)
		if err := rowsChanged(res, err, "access grants instance "+account+" "+region); err != nil {
			return err
		}
		t.changed(meta.TopicGrantsInstance, meta.GrantsInstanceKey(account, region))
		return nil
	})
}

// rowsChanged turns an UPDATE or DELETE that touched no row into
// ErrNotFound.
func rowsChanged(res interface{ RowsAffected() (int64, error) }, err error, what string) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, meta.ErrNotFound)
	}
	return nil
}

// PutGrantsResourcePolicy implements meta.GrantsStore.
func (db *DB) PutGrantsResourcePolicy(ctx context.Context, account, region string, p meta.GrantsResourcePolicy) error {
	return db.write(ctx, func(t *tx) error {
		if _, err := t.lockGrantsInstance(ctx, account, region); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM ag_policies WHERE account_id = ? AND region = ?`, account, region); err != nil {
			return fmt.Errorf("replace resource policy: %w", err)
		}
		if _, err := t.exec(ctx, `INSERT INTO ag_policies (account_id, region, policy, organization, created_at) VALUES (?, ?, ?, ?, ?)`,
			account, region, p.Policy, p.Organization, nanos(p.CreatedAt)); err != nil {
			return fmt.Errorf("put resource policy: %w", err)
		}
		t.changed(meta.TopicGrantsPolicy, meta.GrantsInstanceKey(account, region))
		return nil
	})
}

// lockGrantsInstance checks that the instance exists and, on PostgreSQL,
// locks its row until the transaction ends (the no-op update takes the row
// lock), so that a concurrent delete waits. It returns the grant count.
func (t *tx) lockGrantsInstance(ctx context.Context, account, region string) (int64, error) {
	res, err := t.exec(ctx, `UPDATE ag_instances SET grant_count = grant_count WHERE account_id = ? AND region = ?`, account, region)
	if err := rowsChanged(res, err, "access grants instance "+account+" "+region); err != nil {
		return 0, err
	}
	var n int64
	err = t.row(ctx, `SELECT grant_count FROM ag_instances WHERE account_id = ? AND region = ?`, account, region).Scan(&n)
	return n, err
}

func (t *tx) grantsPolicy(ctx context.Context, account, region string) (meta.GrantsResourcePolicy, error) {
	var p meta.GrantsResourcePolicy
	var created int64
	err := t.row(ctx, `SELECT policy, organization, created_at FROM ag_policies WHERE account_id = ? AND region = ?`, account, region).
		Scan(&p.Policy, &p.Organization, &created)
	p.CreatedAt = fromNanos(created)
	return p, notFound(err, "access grants resource policy "+account+" "+region)
}

// GetGrantsResourcePolicy implements meta.GrantsStore.
func (db *DB) GetGrantsResourcePolicy(ctx context.Context, account, region string) (meta.GrantsResourcePolicy, error) {
	var p meta.GrantsResourcePolicy
	err := db.read(ctx, func(t *tx) error {
		var err error
		p, err = t.grantsPolicy(ctx, account, region)
		return err
	})
	return p, err
}

// DeleteGrantsResourcePolicy implements meta.GrantsStore.
func (db *DB) DeleteGrantsResourcePolicy(ctx context.Context, account, region string) error {
	return db.write(ctx, func(t *tx) error {
		if _, err := t.lockGrantsInstance(ctx, account, region); err != nil {
			return err
		}
		res, err := t.exec(ctx, `DELETE FROM ag_policies WHERE account_id = ? AND region = ?`, account, region)
		if err != nil {
			return fmt.Errorf("delete resource policy: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			t.changed(meta.TopicGrantsPolicy, meta.GrantsInstanceKey(account, region))
		}
		return nil
	})
}

// grantsResourceExists checks that the tagged resource exists.
func (t *tx) grantsResourceExists(ctx context.Context, r meta.GrantsResource) error {
	var q string
	args := []any{r.Account, r.Region}
	switch r.Kind {
	case meta.GrantsInstanceResource:
		q = `SELECT 1 FROM ag_instances WHERE account_id = ? AND region = ?`
	case meta.GrantsLocationResource:
		q = `SELECT 1 FROM ag_locations WHERE account_id = ? AND region = ? AND id = ?`
		args = append(args, r.ID)
	case meta.GrantResource:
		q = `SELECT 1 FROM ag_grants WHERE account_id = ? AND region = ? AND id = ?`
		args = append(args, r.ID)
	default:
		return fmt.Errorf("access grants resource kind %q: %w", r.Kind, meta.ErrNotFound)
	}
	var one int
	return notFound(t.row(ctx, q, args...).Scan(&one), fmt.Sprintf("access grants %s %s", r.Kind, r.ID))
}

func (t *tx) grantsTags(ctx context.Context, r meta.GrantsResource) ([]meta.Tag, error) {
	rows, err := t.query(ctx, `SELECT key, value FROM ag_tags WHERE account_id = ? AND region = ? AND resource_kind = ? AND resource_id = ? ORDER BY key`,
		r.Account, r.Region, string(r.Kind), r.ID)
	if err != nil {
		return nil, fmt.Errorf("read tags: %w", err)
	}
	return collect(rows, func(s interface{ Scan(...any) error }) (meta.Tag, error) {
		var tag meta.Tag
		return tag, s.Scan(&tag.Key, &tag.Value)
	})
}

// putGrantsTags inserts or replaces tags of r.
func (t *tx) putGrantsTags(ctx context.Context, r meta.GrantsResource, tags []meta.Tag) error {
	for _, tag := range tags {
		if _, err := t.exec(ctx, `DELETE FROM ag_tags WHERE account_id = ? AND region = ? AND resource_kind = ? AND resource_id = ? AND key = ?`,
			r.Account, r.Region, string(r.Kind), r.ID, tag.Key); err != nil {
			return fmt.Errorf("replace tag: %w", err)
		}
		if _, err := t.exec(ctx, `INSERT INTO ag_tags (account_id, region, resource_kind, resource_id, key, value) VALUES (?, ?, ?, ?, ?, ?)`,
			r.Account, r.Region, string(r.Kind), r.ID, tag.Key, tag.Value); err != nil {
			return fmt.Errorf("insert tag: %w", err)
		}
	}
	return nil
}

func (t *tx) deleteGrantsTags(ctx context.Context, r meta.GrantsResource) error {
	_, err := t.exec(ctx, `DELETE FROM ag_tags WHERE account_id = ? AND region = ? AND resource_kind = ? AND resource_id = ?`,
		r.Account, r.Region, string(r.Kind), r.ID)
	if err != nil {
		return fmt.Errorf("delete tags: %w", err)
	}
	return nil
}

// GrantsTags implements meta.GrantsStore.
func (db *DB) GrantsTags(ctx context.Context, r meta.GrantsResource) ([]meta.Tag, error) {
	var tags []meta.Tag
	err := db.read(ctx, func(t *tx) error {
		if err := t.grantsResourceExists(ctx, r); err != nil {
			return err
		}
		var err error
		tags, err = t.grantsTags(ctx, r)
		return err
	})
	return tags, err
}

// TagGrantsResource implements meta.GrantsStore.
func (db *DB) TagGrantsResource(ctx context.Context, r meta.GrantsResource, tags []meta.Tag, max int) error {
	return db.write(ctx, func(t *tx) error {
		if err := t.grantsResourceExists(ctx, r); err != nil {
			return err
		}
		if err := t.putGrantsTags(ctx, r, tags); err != nil {
			return err
		}
		var n int
		err := t.row(ctx, `SELECT COUNT(*) FROM ag_tags WHERE account_id = ? AND region = ? AND resource_kind = ? AND resource_id = ?`,
			r.Account, r.Region, string(r.Kind), r.ID).Scan(&n)
		if err != nil {
			return fmt.Errorf("count tags: %w", err)
		}
		if n > max {
			return fmt.Errorf("%d tags, at most %d: %w", n, max, meta.ErrQuota)
		}
		t.changed(grantsTopic(r.Kind), grantsChangeKey(r))
		return nil
	})
}

// UntagGrantsResource implements meta.GrantsStore.
func (db *DB) UntagGrantsResource(ctx context.Context, r meta.GrantsResource, keys []string) error {
	return db.write(ctx, func(t *tx) error {
		if err := t.grantsResourceExists(ctx, r); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := t.exec(ctx, `DELETE FROM ag_tags WHERE account_id = ? AND region = ? AND resource_kind = ? AND resource_id = ? AND key = ?`,
				r.Account, r.Region, string(r.Kind), r.ID, k); err != nil {
				return fmt.Errorf("delete tag: %w", err)
			}
		}
		t.changed(grantsTopic(r.Kind), grantsChangeKey(r))
		return nil
	})
}

func grantsTopic(k meta.GrantsResourceKind) string {
	switch k {
	case meta.GrantsLocationResource:
		return meta.TopicGrantsLocation
	case meta.GrantResource:
		return meta.TopicGrant
	}
	return meta.TopicGrantsInstance
}

func grantsChangeKey(r meta.GrantsResource) string {
	if r.Kind == meta.GrantsInstanceResource {
		return meta.GrantsInstanceKey(r.Account, r.Region)
	}
	return meta.GrantsKey(r.Account, r.Region, r.ID)
}

// digest is the hex SHA-256 of parts joined by NUL bytes.
func digest(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:])
}

// Keyset cursors are "CREATEDNANOS.ID".

func grantsCursor(createdNanos int64, id string) string {
	return strconv.FormatInt(createdNanos, 10) + "." + id
}

func parseGrantsCursor(c string) (int64, string, error) {
	n, id, ok := strings.Cut(c, ".")
	nanos, err := strconv.ParseInt(n, 10, 64)
	if !ok || err != nil || id == "" {
		return 0, "", fmt.Errorf("cursor %q: %w", c, meta.ErrInvalidCursor)
	}
	return nanos, id, nil
}

// keyset appends the keyset condition for p.After, the order and the limit
// (one more than the page, to learn whether another page follows) to a
// query on a table with created_at and id columns. It returns the page size.
func keyset(q string, args []any, p meta.Page) (string, []any, int, error) {
	if p.After != "" {
		at, id, err := parseGrantsCursor(p.After)
		if err != nil {
			return "", nil, 0, err
		}
		// A row-value comparison is an index range in both engines.
		q += ` AND (created_at, id) > (?, ?)`
		args = append(args, at, id)
	}
	n := limit(p, 1000, 1000)
	return q + ` ORDER BY created_at, id LIMIT ?`, append(args, n+1), n, nil
}
