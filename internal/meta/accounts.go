package meta

import (
	"context"
	"time"
)

// Account is an AWS account: a 12-digit ID with a root user.
type Account struct {
	ID           string
	Name         string
	Email        string
	Status       string // ACTIVE
	JoinedMethod string // CREATED or INVITED
	CreatedAt    time.Time
}

// AccessKey is a long-term access key of an account's root user
// (UserName empty) or of an IAM user.
type AccessKey struct {
	ID        string
	AccountID string
	UserName  string
	Secret    string
	Status    string // Active or Inactive
	CreatedAt time.Time
}

// Organization is the AWS Organizations organization whose management
// account is the installation's first account.
type Organization struct {
	ID                  string
	ManagementAccountID string
	CreatedAt           time.Time
}

// CreateAccountStatus records one Organizations CreateAccount request.
type CreateAccountStatus struct {
	ID            string // car-…
	AccountName   string
	State         string // IN_PROGRESS, SUCCEEDED, FAILED
	AccountID     string
	FailureReason string
	RequestedAt   time.Time
	CompletedAt   time.Time
}

// NewAccount is everything written when an account is created, in one
// transaction: the account, its root user's access key, and optionally the
// Organizations request that created it and the IAM roles AWS puts in a new
// member account.
type NewAccount struct {
	Account Account
	RootKey AccessKey
	// Status, when set, is stored with the account (Organizations CreateAccount).
	Status *CreateAccountStatus
	// Roles are created in the new account with their inline policies.
	Roles []NewRole
}

// AccountStore keeps accounts, the organization and access keys.
type AccountStore interface {
	// CreateAccount stores a new account; ErrExists if its ID is taken.
	CreateAccount(ctx context.Context, a NewAccount) error
	// GetAccount returns one account.
	GetAccount(ctx context.Context, id string) (Account, error)
	// ListAccounts returns accounts ordered by ID. The cursor is an account ID.
	ListAccounts(ctx context.Context, p Page) ([]Account, error)
	// CreateOrganization stores the organization; ErrExists if there is one.
	CreateOrganization(ctx context.Context, o Organization) error
	// GetOrganization returns the organization or ErrNotFound.
	GetOrganization(ctx context.Context) (Organization, error)
	// AddCreateAccountStatus records a CreateAccount request that created
	// no account (a failed one).
	AddCreateAccountStatus(ctx context.Context, s CreateAccountStatus) error
	// GetCreateAccountStatus returns a CreateAccount request's status.
	GetCreateAccountStatus(ctx context.Context, id string) (CreateAccountStatus, error)
	// ListCreateAccountStatus returns requests ordered by ID.
	ListCreateAccountStatus(ctx context.Context, p Page) ([]CreateAccountStatus, error)

	// GetAccessKey returns one long-term access key.
	GetAccessKey(ctx context.Context, id string) (AccessKey, error)
}

// SessionKey is a key that seals session tokens. Exactly one is current;
// retired keys still open tokens sealed before the rotation.
type SessionKey struct {
	ID        uint32
	Secret    string // text form, see sessiontoken.ParseKey
	Current   bool
	CreatedAt time.Time
}

// KeyStore keeps the session-token sealing keys.
type KeyStore interface {
	// SessionKeys returns all keys.
	SessionKeys(ctx context.Context) ([]SessionKey, error)
	// AddSessionKey stores k; when k.Current, it becomes the only current
	// key. ErrExists if a key with that ID exists.
	AddSessionKey(ctx context.Context, k SessionKey) error
}
