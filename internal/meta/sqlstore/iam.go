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
