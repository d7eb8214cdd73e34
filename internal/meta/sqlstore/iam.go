package sqlstore

import (
	"context"
	"strings"

	"github.com/grantd/grantd/internal/meta"
)

// nameKey is the case-folded form under which IAM names are unique.
func nameKey(name string) string { return strings.ToLower(name) }

// insertRole stores a role with its inline policies and attachments.
func (t *tx) insertRole(ctx context.Context, nr meta.NewRole) error {
	r := nr.Role
	_, err := t.exec(ctx, `INSERT INTO iam_roles (account_id, name_key, name, id, path, trust_policy, description, max_session_duration, permissions_boundary, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.AccountID, nameKey(r.Name), r.Name, r.ID, r.Path, r.TrustPolicy, r.Description, r.MaxSessionDuration, r.PermissionsBoundary, nanos(r.CreatedAt))
	if err := t.db.exists(err, "role "+r.Name); err != nil {
		return err
	}
	for _, p := range nr.InlinePolicies {
		if _, err := t.exec(ctx, `INSERT INTO iam_inline_policies (account_id, owner_type, owner_key, name_key, name, document) VALUES (?, 'role', ?, ?, ?, ?)`,
			r.AccountID, nameKey(r.Name), nameKey(p.Name), p.Name, p.Document); err != nil {
			return err
		}
	}
	for _, arn := range nr.AttachedPolicies {
		if _, err := t.exec(ctx, `INSERT INTO iam_attachments (account_id, owner_type, owner_key, policy_arn) VALUES (?, 'role', ?, ?)`,
			r.AccountID, nameKey(r.Name), arn); err != nil {
			return err
		}
	}
	for _, tag := range r.Tags {
		if _, err := t.exec(ctx, `INSERT INTO iam_tags (resource_arn, key_key, key, value) VALUES (?, ?, ?, ?)`,
			r.ARN, nameKey(tag.Key), tag.Key, tag.Value); err != nil {
			return err
		}
	}
	t.changed(meta.TopicRole, r.AccountID+"/"+nameKey(r.Name))
	return nil
}

const userCols = `account_id, name, id, path, permissions_boundary, created_at`

func scanUser(s interface{ Scan(...any) error }) (meta.User, error) {
	var u meta.User
	var created int64
	err := s.Scan(&u.AccountID, &u.Name, &u.ID, &u.Path, &u.PermissionsBoundary, &created)
	u.CreatedAt = fromNanos(created)
	u.ARN = "arn:aws:iam::" + u.AccountID + ":user" + u.Path + u.Name
	return u, err
}

// GetUser implements meta.IAMStore.
func (db *DB) GetUser(ctx context.Context, account, name string) (meta.User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, db.q(`SELECT `+userCols+` FROM iam_users WHERE account_id = ? AND name_key = ?`), account, nameKey(name)))
	return u, notFound(err, "user "+name)
}

const roleCols = `account_id, name, id, path, trust_policy, description, max_session_duration, permissions_boundary, created_at`

func scanRole(s interface{ Scan(...any) error }) (meta.Role, error) {
	var r meta.Role
	var created int64
	err := s.Scan(&r.AccountID, &r.Name, &r.ID, &r.Path, &r.TrustPolicy, &r.Description, &r.MaxSessionDuration, &r.PermissionsBoundary, &created)
	r.CreatedAt = fromNanos(created)
	r.ARN = "arn:aws:iam::" + r.AccountID + ":role" + r.Path + r.Name
	return r, err
}

// GetRole implements meta.IAMStore.
func (db *DB) GetRole(ctx context.Context, account, name string) (meta.Role, error) {
	r, err := scanRole(db.r.QueryRowContext(ctx, db.q(`SELECT `+roleCols+` FROM iam_roles WHERE account_id = ? AND name_key = ?`), account, nameKey(name)))
	return r, notFound(err, "role "+name)
}

// UserPolicies implements meta.IAMStore.
func (db *DB) UserPolicies(ctx context.Context, account, name string) (meta.PrincipalPolicies, error) {
	var pp meta.PrincipalPolicies
	err := db.read(ctx, func(t *tx) error {
		var boundary string
		err := t.row(ctx, `SELECT permissions_boundary FROM iam_users WHERE account_id = ? AND name_key = ?`, account, nameKey(name)).Scan(&boundary)
		if err != nil {
			return notFound(err, "user "+name)
		}
		owners := []owner{{"user", nameKey(name)}}
		rows, err := t.query(ctx, `SELECT group_key FROM iam_group_members WHERE account_id = ? AND user_key = ?`, account, nameKey(name))
		if err != nil {
			return err
		}
		groups, err := collect(rows, func(s interface{ Scan(...any) error }) (string, error) {
			var g string
			return g, s.Scan(&g)
		})
		if err != nil {
			return err
		}
		for _, g := range groups {
			owners = append(owners, owner{"group", g})
		}
		return t.principalPolicies(ctx, account, owners, boundary, &pp)
	})
	return pp, err
}

// RolePolicies implements meta.IAMStore.
func (db *DB) RolePolicies(ctx context.Context, account, name string) (meta.PrincipalPolicies, error) {
	var pp meta.PrincipalPolicies
	err := db.read(ctx, func(t *tx) error {
		var boundary string
		err := t.row(ctx, `SELECT permissions_boundary FROM iam_roles WHERE account_id = ? AND name_key = ?`, account, nameKey(name)).Scan(&boundary)
		if err != nil {
			return notFound(err, "role "+name)
		}
		return t.principalPolicies(ctx, account, []owner{{"role", nameKey(name)}}, boundary, &pp)
	})
	return pp, err
}

type owner struct{ typ, key string }

// principalPolicies collects the inline and attached policies of owners
// and the boundary document.
func (t *tx) principalPolicies(ctx context.Context, account string, owners []owner, boundary string, pp *meta.PrincipalPolicies) error {
	for _, o := range owners {
		rows, err := t.query(ctx, `SELECT name, document FROM iam_inline_policies
			WHERE account_id = ? AND owner_type = ? AND owner_key = ? ORDER BY name_key`, account, o.typ, o.key)
		if err != nil {
			return err
		}
		docs, err := collect(rows, func(s interface{ Scan(...any) error }) (meta.PolicyDocument, error) {
			var name, doc string
			err := s.Scan(&name, &doc)
			return meta.PolicyDocument{Source: o.typ + "/" + o.key + "/" + name, Document: doc}, err
		})
		if err != nil {
			return err
		}
		pp.Documents = append(pp.Documents, docs...)
		rows, err = t.query(ctx, `SELECT a.policy_arn, v.document FROM iam_attachments a
			JOIN iam_policies p ON p.arn = a.policy_arn
			JOIN iam_policy_versions v ON v.policy_arn = p.arn AND v.version_id = p.default_version
			WHERE a.account_id = ? AND a.owner_type = ? AND a.owner_key = ? ORDER BY a.policy_arn`, account, o.typ, o.key)
		if err != nil {
			return err
		}
		docs, err = collect(rows, func(s interface{ Scan(...any) error }) (meta.PolicyDocument, error) {
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
