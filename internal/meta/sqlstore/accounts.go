package sqlstore

import (
	"context"
	"fmt"

	"github.com/grantd/grantd/internal/meta"
)

// CreateAccount implements meta.AccountStore.
func (db *DB) CreateAccount(ctx context.Context, na meta.NewAccount) error {
	return db.write(ctx, func(t *tx) error {
		a := na.Account
		_, err := t.exec(ctx, `INSERT INTO accounts (id, name, email, status, joined_method, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			a.ID, a.Name, a.Email, a.Status, a.JoinedMethod, nanos(a.CreatedAt))
		if err := db.exists(err, "account "+a.ID); err != nil {
			return err
		}
		if err := t.insertAccessKey(ctx, na.RootKey); err != nil {
			return err
		}
		if s := na.Status; s != nil {
			if err := t.insertStatus(ctx, *s); err != nil {
				return err
			}
		}
		for _, r := range na.Roles {
			if err := t.insertRole(ctx, r); err != nil {
				return err
			}
		}
		t.changed(meta.TopicAccount, a.ID)
		return nil
	})
}

const accountCols = `id, name, email, status, joined_method, created_at`

func scanAccount(s interface{ Scan(...any) error }) (meta.Account, error) {
	var a meta.Account
	var created int64
	err := s.Scan(&a.ID, &a.Name, &a.Email, &a.Status, &a.JoinedMethod, &created)
	a.CreatedAt = fromNanos(created)
	return a, err
}

// GetAccount implements meta.AccountStore.
func (db *DB) GetAccount(ctx context.Context, id string) (meta.Account, error) {
	a, err := scanAccount(db.r.QueryRowContext(ctx, db.q(`SELECT `+accountCols+` FROM accounts WHERE id = ?`), id))
	return a, notFound(err, "account "+id)
}

// ListAccounts implements meta.AccountStore.
func (db *DB) ListAccounts(ctx context.Context, p meta.Page) ([]meta.Account, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+accountCols+` FROM accounts WHERE id > ? ORDER BY id LIMIT ?`), p.After, limit(p, 1000, 1000))
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return collect(rows, scanAccount)
}

// CreateOrganization implements meta.AccountStore.
func (db *DB) CreateOrganization(ctx context.Context, o meta.Organization) error {
	return db.write(ctx, func(t *tx) error {
		var n int
		if err := t.row(ctx, `SELECT COUNT(*) FROM organization`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("organization: %w", meta.ErrExists)
		}
		_, err := t.exec(ctx, `INSERT INTO organization (id, management_account_id, created_at) VALUES (?, ?, ?)`,
			o.ID, o.ManagementAccountID, nanos(o.CreatedAt))
		return db.exists(err, "organization "+o.ID)
	})
}

// GetOrganization implements meta.AccountStore.
func (db *DB) GetOrganization(ctx context.Context) (meta.Organization, error) {
	var o meta.Organization
	var created int64
	err := db.r.QueryRowContext(ctx, `SELECT id, management_account_id, created_at FROM organization`).Scan(&o.ID, &o.ManagementAccountID, &created)
	o.CreatedAt = fromNanos(created)
	return o, notFound(err, "organization")
}

func (t *tx) insertStatus(ctx context.Context, s meta.CreateAccountStatus) error {
	_, err := t.exec(ctx, `INSERT INTO create_account_status (id, account_name, state, account_id, failure_reason, requested_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.AccountName, s.State, s.AccountID, s.FailureReason, nanos(s.RequestedAt), nanos(s.CompletedAt))
	return t.db.exists(err, "create account status "+s.ID)
}

// AddCreateAccountStatus implements meta.AccountStore.
func (db *DB) AddCreateAccountStatus(ctx context.Context, s meta.CreateAccountStatus) error {
	return db.write(ctx, func(t *tx) error { return t.insertStatus(ctx, s) })
}

const statusCols = `id, account_name, state, account_id, failure_reason, requested_at, completed_at`

func scanStatus(s interface{ Scan(...any) error }) (meta.CreateAccountStatus, error) {
	var c meta.CreateAccountStatus
	var req, done int64
	err := s.Scan(&c.ID, &c.AccountName, &c.State, &c.AccountID, &c.FailureReason, &req, &done)
	c.RequestedAt, c.CompletedAt = fromNanos(req), fromNanos(done)
	return c, err
}

// GetCreateAccountStatus implements meta.AccountStore.
func (db *DB) GetCreateAccountStatus(ctx context.Context, id string) (meta.CreateAccountStatus, error) {
	c, err := scanStatus(db.r.QueryRowContext(ctx, db.q(`SELECT `+statusCols+` FROM create_account_status WHERE id = ?`), id))
	return c, notFound(err, "create account status "+id)
}

// ListCreateAccountStatus implements meta.AccountStore.
func (db *DB) ListCreateAccountStatus(ctx context.Context, p meta.Page) ([]meta.CreateAccountStatus, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+statusCols+` FROM create_account_status WHERE id > ? ORDER BY id LIMIT ?`), p.After, limit(p, 20, 20))
	if err != nil {
		return nil, fmt.Errorf("list create account status: %w", err)
	}
	return collect(rows, scanStatus)
}

func (t *tx) insertAccessKey(ctx context.Context, k meta.AccessKey) error {
	_, err := t.exec(ctx, `INSERT INTO access_keys (id, account_id, user_name, secret, status, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		k.ID, k.AccountID, k.UserName, k.Secret, k.Status, nanos(k.CreatedAt))
	if err := t.db.exists(err, "access key "+k.ID); err != nil {
		return err
	}
	t.changed(meta.TopicAccessKey, k.ID)
	return nil
}

// GetAccessKey implements meta.AccountStore.
func (db *DB) GetAccessKey(ctx context.Context, id string) (meta.AccessKey, error) {
	var k meta.AccessKey
	var created int64
	err := db.r.QueryRowContext(ctx, db.q(`SELECT id, account_id, user_name, secret, status, created_at FROM access_keys WHERE id = ?`), id).
		Scan(&k.ID, &k.AccountID, &k.UserName, &k.Secret, &k.Status, &created)
	k.CreatedAt = fromNanos(created)
	return k, notFound(err, "access key "+id)
}

// collect scans every row with scan.
func collect[T any](rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
