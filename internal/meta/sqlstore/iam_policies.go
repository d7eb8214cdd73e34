package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/grantd/grantd/internal/meta"
)

// policyCols selects a policy with the attachment and boundary counts of
// the account given as the first two arguments.
const policyCols = `p.arn, p.account_id, p.name, p.id, p.path, p.description, p.default_version, p.created_at, p.updated_at,
	(SELECT COUNT(*) FROM iam_attachments a WHERE a.policy_arn = p.arn AND a.account_id = ?) AS attached,
	(SELECT COUNT(*) FROM iam_users u WHERE u.account_id = ? AND u.permissions_boundary = p.arn) +
	(SELECT COUNT(*) FROM iam_roles r WHERE r.account_id = ? AND r.permissions_boundary = p.arn) AS bounds`

func scanPolicy(s scanner) (meta.ManagedPolicy, error) {
	var p meta.ManagedPolicy
	var created, updated int64
	err := s.Scan(&p.ARN, &p.AccountID, &p.Name, &p.ID, &p.Path, &p.Description, &p.DefaultVersion, &created, &updated,
		&p.AttachmentCount, &p.BoundaryUsageCount)
	p.CreatedAt, p.UpdatedAt = fromNanos(created), fromNanos(updated)
	return p, err
}

// CreatePolicy implements meta.IAMStore.
func (db *DB) CreatePolicy(ctx context.Context, p meta.ManagedPolicy, document string) error {
	return db.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO iam_policies (arn, account_id, name_key, name, id, path, description, default_version, next_version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'v1', 2, ?, ?)`,
			p.ARN, p.AccountID, nameKey(p.Name), p.Name, p.ID, p.Path, p.Description, nanos(p.CreatedAt), nanos(p.CreatedAt))
		if err := db.exists(err, "policy "+p.Name); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO iam_policy_versions (policy_arn, version_id, version_no, document, created_at) VALUES (?, 'v1', 1, ?, ?)`,
			p.ARN, document, nanos(p.CreatedAt)); err != nil {
			return err
		}
		if err := t.insertTags(ctx, p.ARN, p.Tags); err != nil {
			return err
		}
		t.changed(meta.TopicPolicy, p.ARN)
		return nil
	})
}

// GetPolicy implements meta.IAMStore.
func (db *DB) GetPolicy(ctx context.Context, account, arn string) (meta.ManagedPolicy, error) {
	var p meta.ManagedPolicy
	err := db.read(ctx, func(t *tx) error {
		var err error
		p, err = scanPolicy(t.row(ctx, `SELECT `+policyCols+` FROM iam_policies p WHERE p.arn = ?`, account, account, account, arn))
		if err != nil {
			return notFound(err, "policy "+arn)
		}
		p.Tags, err = t.tags(ctx, arn)
		return err
	})
	return p, err
}

// ListPolicies implements meta.IAMStore.
func (db *DB) ListPolicies(ctx context.Context, account string, f meta.PolicyFilter) ([]meta.ManagedPolicy, error) {
	args := []any{account, account, account}
	var where string
	switch f.Scope {
	case "AWS":
		where = `p.account_id = 'aws'`
	case "Local":
		where, args = `p.account_id = ?`, append(args, account)
	default:
		where, args = `p.account_id IN (?, 'aws')`, append(args, account)
	}
	cond, args := pathCond("p.path", f.PathPrefix, args)
	var outer string
	if f.OnlyAttached {
		switch f.Usage {
		case "PermissionsPolicy":
			outer = ` WHERE attached > 0`
		case "PermissionsBoundary":
			outer = ` WHERE bounds > 0`
		default:
			outer = ` WHERE attached > 0 OR bounds > 0`
		}
	}
	args = append(args, f.After, limit(f.Page, 100, 1001))
	q := `SELECT * FROM (SELECT ` + policyCols + ` FROM iam_policies p WHERE ` + where + cond + `) x` + outer
	q = `SELECT * FROM (` + q + `) y WHERE arn > ? ORDER BY arn LIMIT ?`
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("list policies: %w", err)
	}
	return collect(rows, scanPolicy)
}

// DeletePolicy implements meta.IAMStore.
func (db *DB) DeletePolicy(ctx context.Context, arn string) error {
	return db.write(ctx, func(t *tx) error {
		if _, err := t.entity(ctx, meta.EntityRef{Type: meta.EntityPolicy, Name: arn}, true); err != nil {
			return err
		}
		for _, c := range []struct{ what, query string }{
			{"attachments", `SELECT COUNT(*) FROM iam_attachments WHERE policy_arn = ?`},
			{"attachments", `SELECT COUNT(*) FROM iam_users WHERE permissions_boundary = ?`},
			{"attachments", `SELECT COUNT(*) FROM iam_roles WHERE permissions_boundary = ?`},
			{"versions", `SELECT COUNT(*) - 1 FROM iam_policy_versions WHERE policy_arn = ?`},
		} {
			if err := t.inUse(ctx, c.what, c.query, arn); err != nil {
				return err
			}
		}
		for _, q := range []string{`DELETE FROM iam_policy_versions WHERE policy_arn = ?`, `DELETE FROM iam_policies WHERE arn = ?`, `DELETE FROM iam_tags WHERE resource = ?`} {
			if _, err := t.exec(ctx, q, arn); err != nil {
				return err
			}
		}
		t.changed(meta.TopicPolicy, arn)
		return nil
	})
}

// CreatePolicyVersion implements meta.IAMStore.
func (db *DB) CreatePolicyVersion(ctx context.Context, arn, document string, setDefault bool, max int, at time.Time) (meta.PolicyVersion, error) {
	var v meta.PolicyVersion
	err := db.write(ctx, func(t *tx) error {
		var next, n int
		err := t.row(ctx, `UPDATE iam_policies SET next_version = next_version + 1 WHERE arn = ? RETURNING next_version - 1`, arn).Scan(&next)
		if err != nil {
			return notFound(err, "policy "+arn)
		}
		if err := t.row(ctx, `SELECT COUNT(*) FROM iam_policy_versions WHERE policy_arn = ?`, arn).Scan(&n); err != nil {
			return err
		}
		if n >= max {
			return fmt.Errorf("policy %s has %d versions: %w", arn, n, meta.ErrLimitExceeded)
		}
		v = meta.PolicyVersion{VersionID: "v" + strconv.Itoa(next), Document: document, IsDefault: setDefault, CreatedAt: at}
		if _, err := t.exec(ctx, `INSERT INTO iam_policy_versions (policy_arn, version_id, version_no, document, created_at) VALUES (?, ?, ?, ?, ?)`,
			arn, v.VersionID, next, document, nanos(at)); err != nil {
			return err
		}
		if setDefault {
			if _, err := t.exec(ctx, `UPDATE iam_policies SET default_version = ?, updated_at = ? WHERE arn = ?`, v.VersionID, nanos(at), arn); err != nil {
				return err
			}
		}
		t.changed(meta.TopicPolicy, arn)
		return nil
	})
	return v, err
}

const versionCols = `v.version_id, v.document, v.created_at, CASE WHEN v.version_id = p.default_version THEN 1 ELSE 0 END`

func scanVersion(s scanner) (meta.PolicyVersion, error) {
	var v meta.PolicyVersion
	var created int64
	var def int
	err := s.Scan(&v.VersionID, &v.Document, &created, &def)
	v.CreatedAt, v.IsDefault = fromNanos(created), def == 1
	return v, err
}

// GetPolicyVersion implements meta.IAMStore.
func (db *DB) GetPolicyVersion(ctx context.Context, arn, version string) (meta.PolicyVersion, error) {
	v, err := scanVersion(db.r.QueryRowContext(ctx, db.q(`SELECT `+versionCols+` FROM iam_policy_versions v JOIN iam_policies p ON p.arn = v.policy_arn
		WHERE v.policy_arn = ? AND v.version_id = ?`), arn, version))
	return v, notFound(err, "policy version "+arn+" "+version)
}

// ListPolicyVersions implements meta.IAMStore.
func (db *DB) ListPolicyVersions(ctx context.Context, arn string) ([]meta.PolicyVersion, error) {
	var vs []meta.PolicyVersion
	err := db.read(ctx, func(t *tx) error {
		if _, err := t.entity(ctx, meta.EntityRef{Type: meta.EntityPolicy, Name: arn}, false); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT `+versionCols+` FROM iam_policy_versions v JOIN iam_policies p ON p.arn = v.policy_arn
			WHERE v.policy_arn = ? ORDER BY v.version_no DESC`, arn)
		if err != nil {
			return err
		}
		vs, err = collect(rows, scanVersion)
		return err
	})
	return vs, err
}

// DeletePolicyVersion implements meta.IAMStore.
func (db *DB) DeletePolicyVersion(ctx context.Context, arn, version string) error {
	return db.write(ctx, func(t *tx) error {
		var def string
		if err := t.row(ctx, `SELECT default_version FROM iam_policies WHERE arn = ?`, arn).Scan(&def); err != nil {
			return notFound(err, "policy "+arn)
		}
		if def == version {
			return &meta.InUseError{Dependent: "default version"}
		}
		res, err := t.exec(ctx, `DELETE FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?`, arn, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("policy version %s: %w", version, meta.ErrNotFound)
		}
		t.changed(meta.TopicPolicy, arn)
		return nil
	})
}

// SetDefaultPolicyVersion implements meta.IAMStore.
func (db *DB) SetDefaultPolicyVersion(ctx context.Context, arn, version string, at time.Time) error {
	return db.write(ctx, func(t *tx) error {
		var one int
		if err := t.row(ctx, `SELECT 1 FROM iam_policy_versions WHERE policy_arn = ? AND version_id = ?`, arn, version).Scan(&one); err != nil {
			return notFound(err, "policy version "+version)
		}
		if _, err := t.exec(ctx, `UPDATE iam_policies SET default_version = ?, updated_at = ? WHERE arn = ?`, version, nanos(at), arn); err != nil {
			return err
		}
		t.changed(meta.TopicPolicy, arn)
		return nil
	})
}

// AttachPolicy implements meta.IAMStore.
func (db *DB) AttachPolicy(ctx context.Context, e meta.EntityRef, policyARN string, max int) error {
	return db.write(ctx, func(t *tx) error {
		id, err := t.entity(ctx, e, true)
		if err != nil {
			return err
		}
		if err := t.policyExists(ctx, policyARN); err != nil {
			return err
		}
		var n, already int
		err = t.row(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN policy_arn = ? THEN 1 ELSE 0 END), 0) FROM iam_attachments WHERE owner_id = ?`, policyARN, id).Scan(&n, &already)
		if err != nil {
			return err
		}
		if already > 0 {
			return nil
		}
		if n >= max {
			return fmt.Errorf("%s %s has %d policies: %w", e.Type, e.Name, n, meta.ErrLimitExceeded)
		}
		if _, err := t.exec(ctx, `INSERT INTO iam_attachments (account_id, owner_type, owner_id, policy_arn) VALUES (?, ?, ?, ?)`,
			e.Account, string(e.Type), id, policyARN); err != nil {
			return err
		}
		t.touched(e)
		return nil
	})
}

// DetachPolicy implements meta.IAMStore.
func (db *DB) DetachPolicy(ctx context.Context, e meta.EntityRef, policyARN string) error {
	return db.write(ctx, func(t *tx) error {
		id, err := t.entity(ctx, e, true)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `DELETE FROM iam_attachments WHERE owner_id = ? AND policy_arn = ?`, id, policyARN)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("attachment of %s: %w", policyARN, meta.ErrNotFound)
		}
		t.touched(e)
		return nil
	})
}

// ListAttachedPolicies implements meta.IAMStore.
func (db *DB) ListAttachedPolicies(ctx context.Context, e meta.EntityRef, pathPrefix string, p meta.Page) ([]meta.AttachedPolicy, error) {
	var out []meta.AttachedPolicy
	err := db.read(ctx, func(t *tx) error {
		id, err := t.entity(ctx, e, false)
		if err != nil {
			return err
		}
		cond, args := pathCond("p.path", pathPrefix, []any{id, p.After})
		rows, err := t.query(ctx, `SELECT p.arn, p.name FROM iam_attachments a JOIN iam_policies p ON p.arn = a.policy_arn
			WHERE a.owner_id = ? AND a.policy_arn > ?`+cond+` ORDER BY a.policy_arn LIMIT ?`, append(args, limit(p, 100, 1001))...)
		if err != nil {
			return err
		}
		out, err = collect(rows, func(s scanner) (meta.AttachedPolicy, error) {
			var a meta.AttachedPolicy
			return a, s.Scan(&a.ARN, &a.Name)
		})
		return err
	})
	return out, err
}

// ListEntitiesForPolicy implements meta.IAMStore.
func (db *DB) ListEntitiesForPolicy(ctx context.Context, account, arn, usage string, types []meta.EntityType, pathPrefix string, p meta.Page) ([]meta.PolicyEntity, error) {
	var parts []string
	var args []any
	if usage != "PermissionsBoundary" {
		for _, tb := range []struct{ typ, table string }{{"user", "iam_users"}, {"group", "iam_groups"}, {"role", "iam_roles"}} {
			parts = append(parts, `SELECT '`+tb.typ+`' AS typ, e.name, e.id, e.path FROM iam_attachments a JOIN `+tb.table+` e ON e.id = a.owner_id
				WHERE a.policy_arn = ? AND a.account_id = ?`)
			args = append(args, arn, account)
		}
	}
	if usage != "PermissionsPolicy" {
		for _, tb := range []struct{ typ, table string }{{"user", "iam_users"}, {"role", "iam_roles"}} {
			parts = append(parts, `SELECT '`+tb.typ+`' AS typ, name, id, path FROM `+tb.table+` WHERE permissions_boundary = ? AND account_id = ?`)
			args = append(args, arn, account)
		}
	}
	q := `SELECT typ, name, id FROM (` + strings.Join(parts, " UNION ") + `) x WHERE id > ?`
	args = append(args, p.After)
	if len(types) > 0 {
		marks := make([]string, len(types))
		for i, typ := range types {
			marks[i] = "?"
			args = append(args, string(typ))
		}
		q += ` AND typ IN (` + strings.Join(marks, ", ") + `)`
	}
	cond, args := pathCond("path", pathPrefix, args)
	rows, err := db.r.QueryContext(ctx, db.q(q+cond+` ORDER BY id LIMIT ?`), append(args, limit(p, 100, 1001))...)
	if err != nil {
		return nil, fmt.Errorf("list entities for policy: %w", err)
	}
	return collect(rows, func(s scanner) (meta.PolicyEntity, error) {
		var e meta.PolicyEntity
		var typ string
		err := s.Scan(&typ, &e.Name, &e.ID)
		e.Type = meta.EntityType(typ)
		return e, err
	})
}
