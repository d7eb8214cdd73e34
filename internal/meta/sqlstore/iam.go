package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/grantd/grantd/internal/meta"
)

// nameKey is the case-folded form under which IAM names are unique.
func nameKey(name string) string { return strings.ToLower(name) }

// entityKey is the change-feed key of a user, group or role.
func entityKey(account, name string) string { return account + "/" + nameKey(name) }

type scanner = interface{ Scan(...any) error }

// entityTables maps entity types to their tables and change topics.
var entityTables = map[meta.EntityType]struct{ table, topic string }{
	meta.EntityUser:  {"iam_users", meta.TopicUser},
	meta.EntityGroup: {"iam_groups", meta.TopicGroup},
	meta.EntityRole:  {"iam_roles", meta.TopicRole},
}

// entity resolves e to the ID its dependent rows use (the ARN for
// policies and OIDC providers). In writing transactions (lock) it takes
// the row's write lock, so that quota checks on its dependents serialize
// on PostgreSQL too.
func (t *tx) entity(ctx context.Context, e meta.EntityRef, lock bool) (string, error) {
	var table, where string
	args := []any{e.Name}
	col := "id"
	switch e.Type {
	case meta.EntityPolicy:
		table, where, col = "iam_policies", "arn = ?", "arn"
	case meta.EntityOIDC:
		table, where, col = "iam_oidc_providers", "arn = ?", "arn"
	default:
		et, ok := entityTables[e.Type]
		if !ok {
			return "", fmt.Errorf("unknown entity type %q", e.Type)
		}
		table, where, args = et.table, "account_id = ? AND name_key = ?", []any{e.Account, nameKey(e.Name)}
	}
	q := `SELECT ` + col + ` FROM ` + table + ` WHERE ` + where
	if lock {
		q = `UPDATE ` + table + ` SET created_at = created_at WHERE ` + where + ` RETURNING ` + col
	}
	var id string
	err := t.row(ctx, q, args...).Scan(&id)
	return id, notFound(err, string(e.Type)+" "+e.Name)
}

// touched records the change of an entity in the feed.
func (t *tx) touched(e meta.EntityRef) {
	switch e.Type {
	case meta.EntityPolicy, meta.EntityOIDC:
		t.changed(meta.TopicPolicy, e.Name)
	default:
		t.changed(entityTables[e.Type].topic, entityKey(e.Account, e.Name))
	}
}

// pathCond filters on a path prefix; it adds nothing for "".
func pathCond(col, prefix string, args []any) (string, []any) {
	if prefix == "" || prefix == "/" {
		return "", args
	}
	return ` AND substr(` + col + `, 1, ?) = ?`, append(args, len(prefix), prefix)
}

// insertRole stores a role with its inline policies, attachments and tags.
func (t *tx) insertRole(ctx context.Context, nr meta.NewRole) error {
	r := nr.Role
	_, err := t.exec(ctx, `INSERT INTO iam_roles (account_id, name_key, name, id, path, trust_policy, description, max_session_duration, permissions_boundary, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.AccountID, nameKey(r.Name), r.Name, r.ID, r.Path, r.TrustPolicy, r.Description, r.MaxSessionDuration, r.PermissionsBoundary, nanos(r.CreatedAt))
	if err := t.db.exists(err, "role "+r.Name); err != nil {
		return err
	}
	if r.PermissionsBoundary != "" {
		if err := t.policyExists(ctx, r.PermissionsBoundary); err != nil {
			return err
		}
	}
	for _, p := range nr.InlinePolicies {
		if _, err := t.exec(ctx, `INSERT INTO iam_inline_policies (owner_id, name_key, name, document, size) VALUES (?, ?, ?, ?, ?)`,
			r.ID, nameKey(p.Name), p.Name, p.Document, p.Size); err != nil {
			return err
		}
	}
	for _, arn := range nr.AttachedPolicies {
		if err := t.policyExists(ctx, arn); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO iam_attachments (account_id, owner_type, owner_id, policy_arn) VALUES (?, 'role', ?, ?)`,
			r.AccountID, r.ID, arn); err != nil {
			return err
		}
	}
	if err := t.insertTags(ctx, r.ID, r.Tags); err != nil {
		return err
	}
	t.changed(meta.TopicRole, entityKey(r.AccountID, r.Name))
	return nil
}

func (t *tx) policyExists(ctx context.Context, arn string) error {
	var one int
	err := t.row(ctx, `SELECT 1 FROM iam_policies WHERE arn = ?`, arn).Scan(&one)
	return notFound(err, "policy "+arn)
}

// CreateRole implements meta.IAMStore.
func (db *DB) CreateRole(ctx context.Context, nr meta.NewRole) error {
	return db.write(ctx, func(t *tx) error { return t.insertRole(ctx, nr) })
}

const userCols = `account_id, name, id, path, permissions_boundary, created_at`

func scanUser(s scanner) (meta.User, error) {
	var u meta.User
	var created int64
	err := s.Scan(&u.AccountID, &u.Name, &u.ID, &u.Path, &u.PermissionsBoundary, &created)
	u.CreatedAt = fromNanos(created)
	u.ARN = "arn:aws:iam::" + u.AccountID + ":user" + u.Path + u.Name
	return u, err
}

// CreateUser implements meta.IAMStore.
func (db *DB) CreateUser(ctx context.Context, u meta.User) error {
	return db.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO iam_users (account_id, name_key, name, id, path, permissions_boundary, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			u.AccountID, nameKey(u.Name), u.Name, u.ID, u.Path, u.PermissionsBoundary, nanos(u.CreatedAt))
		if err := db.exists(err, "user "+u.Name); err != nil {
			return err
		}
		if u.PermissionsBoundary != "" {
			if err := t.policyExists(ctx, u.PermissionsBoundary); err != nil {
				return err
			}
		}
		if err := t.insertTags(ctx, u.ID, u.Tags); err != nil {
			return err
		}
		t.changed(meta.TopicUser, entityKey(u.AccountID, u.Name))
		return nil
	})
}

// GetUser implements meta.IAMStore.
func (db *DB) GetUser(ctx context.Context, account, name string) (meta.User, error) {
	var u meta.User
	err := db.read(ctx, func(t *tx) error {
		var err error
		u, err = scanUser(t.row(ctx, `SELECT `+userCols+` FROM iam_users WHERE account_id = ? AND name_key = ?`, account, nameKey(name)))
		if err != nil {
			return notFound(err, "user "+name)
		}
		u.Tags, err = t.tags(ctx, u.ID)
		return err
	})
	return u, err
}

// ListUsers implements meta.IAMStore.
func (db *DB) ListUsers(ctx context.Context, account string, f meta.ListFilter) ([]meta.User, error) {
	cond, args := pathCond("path", f.PathPrefix, []any{account, f.After})
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+userCols+` FROM iam_users WHERE account_id = ? AND name_key > ?`+cond+` ORDER BY name_key LIMIT ?`),
		append(args, limit(f.Page, 100, 1001))...)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return collect(rows, scanUser)
}

// UpdateUser implements meta.IAMStore.
func (db *DB) UpdateUser(ctx context.Context, account, name, newName, newPath string) error {
	return db.write(ctx, func(t *tx) error {
		u, err := scanUser(t.row(ctx, `SELECT `+userCols+` FROM iam_users WHERE account_id = ? AND name_key = ?`, account, nameKey(name)))
		if err != nil {
			return notFound(err, "user "+name)
		}
		if newName == "" {
			newName = u.Name
		}
		if newPath == "" {
			newPath = u.Path
		}
		_, err = t.exec(ctx, `UPDATE iam_users SET name_key = ?, name = ?, path = ? WHERE id = ?`, nameKey(newName), newName, newPath, u.ID)
		if err := db.exists(err, "user "+newName); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE access_keys SET user_name = ? WHERE account_id = ? AND user_name = ?`, newName, account, u.Name); err != nil {
			return err
		}
		t.changed(meta.TopicUser, entityKey(account, u.Name))
		t.changed(meta.TopicUser, entityKey(account, newName))
		return nil
	})
}

// DeleteUser implements meta.IAMStore.
func (db *DB) DeleteUser(ctx context.Context, account, name string) error {
	return db.write(ctx, func(t *tx) error {
		u, err := scanUser(t.row(ctx, `SELECT `+userCols+` FROM iam_users WHERE account_id = ? AND name_key = ?`, account, nameKey(name)))
		if err != nil {
			return notFound(err, "user "+name)
		}
		if err := t.inUse(ctx, "access keys", `SELECT COUNT(*) FROM access_keys WHERE account_id = ? AND user_name = ?`, account, u.Name); err != nil {
			return err
		}
		for _, c := range []struct{ what, query string }{
			{"inline policies", `SELECT COUNT(*) FROM iam_inline_policies WHERE owner_id = ?`},
			{"attached policies", `SELECT COUNT(*) FROM iam_attachments WHERE owner_id = ?`},
			{"groups", `SELECT COUNT(*) FROM iam_group_members WHERE user_id = ?`},
		} {
			if err := t.inUse(ctx, c.what, c.query, u.ID); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, `DELETE FROM iam_users WHERE id = ?`, u.ID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM iam_tags WHERE resource = ?`, u.ID); err != nil {
			return err
		}
		t.changed(meta.TopicUser, entityKey(account, u.Name))
		return nil
	})
}

// inUse fails with *meta.InUseError when the count query finds rows.
func (t *tx) inUse(ctx context.Context, what, query string, args ...any) error {
	var n int
	if err := t.row(ctx, query, args...).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &meta.InUseError{Dependent: what}
	}
	return nil
}

const roleCols = `account_id, name, id, path, trust_policy, description, max_session_duration, permissions_boundary, created_at`

func scanRole(s scanner) (meta.Role, error) {
	var r meta.Role
	var created int64
	err := s.Scan(&r.AccountID, &r.Name, &r.ID, &r.Path, &r.TrustPolicy, &r.Description, &r.MaxSessionDuration, &r.PermissionsBoundary, &created)
	r.CreatedAt = fromNanos(created)
	r.ARN = "arn:aws:iam::" + r.AccountID + ":role" + r.Path + r.Name
	return r, err
}

// GetRole implements meta.IAMStore.
func (db *DB) GetRole(ctx context.Context, account, name string) (meta.Role, error) {
	var r meta.Role
	err := db.read(ctx, func(t *tx) error {
		var err error
		r, err = scanRole(t.row(ctx, `SELECT `+roleCols+` FROM iam_roles WHERE account_id = ? AND name_key = ?`, account, nameKey(name)))
		if err != nil {
			return notFound(err, "role "+name)
		}
		r.Tags, err = t.tags(ctx, r.ID)
		return err
	})
	return r, err
}

// ListRoles implements meta.IAMStore.
func (db *DB) ListRoles(ctx context.Context, account string, f meta.ListFilter) ([]meta.Role, error) {
	cond, args := pathCond("path", f.PathPrefix, []any{account, f.After})
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+roleCols+` FROM iam_roles WHERE account_id = ? AND name_key > ?`+cond+` ORDER BY name_key LIMIT ?`),
		append(args, limit(f.Page, 100, 1001))...)
	if err != nil {
		return nil, fmt.Errorf("list roles: %w", err)
	}
	return collect(rows, scanRole)
}

// UpdateRole implements meta.IAMStore.
func (db *DB) UpdateRole(ctx context.Context, account, name string, u meta.RoleUpdate) error {
	return db.write(ctx, func(t *tx) error {
		r, err := scanRole(t.row(ctx, `SELECT `+roleCols+` FROM iam_roles WHERE account_id = ? AND name_key = ?`, account, nameKey(name)))
		if err != nil {
			return notFound(err, "role "+name)
		}
		if u.Description != nil {
			r.Description = *u.Description
		}
		if u.MaxSessionDuration != nil {
			r.MaxSessionDuration = *u.MaxSessionDuration
		}
		if u.TrustPolicy != nil {
			r.TrustPolicy = *u.TrustPolicy
		}
		if _, err := t.exec(ctx, `UPDATE iam_roles SET description = ?, max_session_duration = ?, trust_policy = ? WHERE id = ?`,
			r.Description, r.MaxSessionDuration, r.TrustPolicy, r.ID); err != nil {
			return err
		}
		t.changed(meta.TopicRole, entityKey(account, r.Name))
		return nil
	})
}

// DeleteRole implements meta.IAMStore.
func (db *DB) DeleteRole(ctx context.Context, account, name string) error {
	return db.write(ctx, func(t *tx) error {
		var id, realName string
		err := t.row(ctx, `SELECT id, name FROM iam_roles WHERE account_id = ? AND name_key = ?`, account, nameKey(name)).Scan(&id, &realName)
		if err != nil {
			return notFound(err, "role "+name)
		}
		if err := t.inUse(ctx, "inline policies", `SELECT COUNT(*) FROM iam_inline_policies WHERE owner_id = ?`, id); err != nil {
			return err
		}
		if err := t.inUse(ctx, "attached policies", `SELECT COUNT(*) FROM iam_attachments WHERE owner_id = ?`, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM iam_roles WHERE id = ?`, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM iam_tags WHERE resource = ?`, id); err != nil {
			return err
		}
		t.changed(meta.TopicRole, entityKey(account, realName))
		return nil
	})
}

// SetPermissionsBoundary implements meta.IAMStore.
func (db *DB) SetPermissionsBoundary(ctx context.Context, e meta.EntityRef, policyARN string) error {
	if e.Type != meta.EntityUser && e.Type != meta.EntityRole {
		return fmt.Errorf("permissions boundary of a %s", e.Type)
	}
	return db.write(ctx, func(t *tx) error {
		id, err := t.entity(ctx, e, true)
		if err != nil {
			return err
		}
		if policyARN != "" {
			if err := t.policyExists(ctx, policyARN); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, `UPDATE `+entityTables[e.Type].table+` SET permissions_boundary = ? WHERE id = ?`, policyARN, id); err != nil {
			return err
		}
		t.touched(e)
		return nil
	})
}

// UserPolicies implements meta.IAMStore.
func (db *DB) UserPolicies(ctx context.Context, account, name string) (meta.PrincipalPolicies, error) {
	var pp meta.PrincipalPolicies
	err := db.read(ctx, func(t *tx) error {
		var id, realName, boundary string
		err := t.row(ctx, `SELECT id, name, permissions_boundary FROM iam_users WHERE account_id = ? AND name_key = ?`, account, nameKey(name)).Scan(&id, &realName, &boundary)
		if err != nil {
			return notFound(err, "user "+name)
		}
		owners := []owner{{"user", realName, id}}
		rows, err := t.query(ctx, `SELECT g.name, g.id FROM iam_group_members m JOIN iam_groups g ON g.id = m.group_id WHERE m.user_id = ? ORDER BY g.name_key`, id)
		if err != nil {
			return err
		}
		groups, err := collect(rows, func(s scanner) (owner, error) {
			o := owner{typ: "group"}
			return o, s.Scan(&o.name, &o.id)
		})
		if err != nil {
			return err
		}
		return t.principalPolicies(ctx, append(owners, groups...), boundary, &pp)
	})
	return pp, err
}

// RolePolicies implements meta.IAMStore.
func (db *DB) RolePolicies(ctx context.Context, account, name string) (meta.PrincipalPolicies, error) {
	return db.ownerPolicies(ctx, "iam_roles", "role", account, name)
}

// GroupPolicies implements meta.IAMStore.
func (db *DB) GroupPolicies(ctx context.Context, account, name string) (meta.PrincipalPolicies, error) {
	return db.ownerPolicies(ctx, "iam_groups", "group", account, name)
}

func (db *DB) ownerPolicies(ctx context.Context, table, typ, account, name string) (meta.PrincipalPolicies, error) {
	var pp meta.PrincipalPolicies
	boundaryCol := "permissions_boundary"
	if table == "iam_groups" {
		boundaryCol = "''"
	}
	err := db.read(ctx, func(t *tx) error {
		var id, realName, boundary string
		err := t.row(ctx, `SELECT id, name, `+boundaryCol+` FROM `+table+` WHERE account_id = ? AND name_key = ?`, account, nameKey(name)).Scan(&id, &realName, &boundary)
		if err != nil {
			return notFound(err, typ+" "+name)
		}
		return t.principalPolicies(ctx, []owner{{typ, realName, id}}, boundary, &pp)
	})
	return pp, err
}

type owner struct{ typ, name, id string }

// principalPolicies collects the inline and attached policies of owners
// and the boundary document.
func (t *tx) principalPolicies(ctx context.Context, owners []owner, boundary string, pp *meta.PrincipalPolicies) error {
	for _, o := range owners {
		rows, err := t.query(ctx, `SELECT name, document FROM iam_inline_policies WHERE owner_id = ? ORDER BY name_key`, o.id)
		if err != nil {
			return err
		}
		docs, err := collect(rows, func(s scanner) (meta.PolicyDocument, error) {
			var name, doc string
			err := s.Scan(&name, &doc)
			return meta.PolicyDocument{Source: o.typ + "/" + o.name + "/" + name, Document: doc}, err
		})
		if err != nil {
			return err
		}
		pp.Documents = append(pp.Documents, docs...)
		rows, err = t.query(ctx, `SELECT a.policy_arn, v.document FROM iam_attachments a
			JOIN iam_policies p ON p.arn = a.policy_arn
			JOIN iam_policy_versions v ON v.policy_arn = p.arn AND v.version_id = p.default_version
			WHERE a.owner_id = ? ORDER BY a.policy_arn`, o.id)
		if err != nil {
			return err
		}
		docs, err = collect(rows, func(s scanner) (meta.PolicyDocument, error) {
			var d meta.PolicyDocument
			return d, s.Scan(&d.Source, &d.Document)
		})
		if err != nil {
			return err
		}
		pp.Documents = append(pp.Documents, docs...)
	}
	if boundary != "" {
		doc, err := t.policyDocument(ctx, boundary)
		if err != nil {
			return err
		}
		pp.Boundary = &meta.PolicyDocument{Source: boundary, Document: doc}
	}
	return nil
}

func (t *tx) policyDocument(ctx context.Context, arn string) (string, error) {
	var doc string
	err := t.row(ctx, `SELECT v.document FROM iam_policies p JOIN iam_policy_versions v ON v.policy_arn = p.arn AND v.version_id = p.default_version WHERE p.arn = ?`, arn).Scan(&doc)
	return doc, notFound(err, "policy "+arn)
}

// PolicyDocument implements meta.IAMStore.
func (db *DB) PolicyDocument(ctx context.Context, arn string) (string, error) {
	var doc string
	err := db.read(ctx, func(t *tx) error {
		var err error
		doc, err = t.policyDocument(ctx, arn)
		return err
	})
	return doc, err
}
