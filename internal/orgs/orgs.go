// Package orgs is AWS Organizations as grantd needs it: the installation's
// one organization, whose management account is created on first start,
// and the member accounts created in it — through the Organizations API or
// offline with `grantd accounts create`. Each new account gets a root user
// with an access key and, as on AWS, a role that the management account
// may assume with full access.
package orgs

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	"regexp"
	"time"

	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
)

// Store is what the service keeps its records in.
type Store interface {
	meta.AccountStore
}

// Authorizer decides whether the caller may perform action on resource.
// It returns an error of kind errs.Denied when not.
type Authorizer interface {
	Authorize(ctx context.Context, action, resource string) error
}

// Service implements the Organizations operations.
type Service struct {
	store Store
	authz Authorizer
	now   func() time.Time
	rand  io.Reader
}

// Options configure New.
type Options struct {
	Store Store
	// Authz authorizes API calls; offline use (Bootstrap, the accounts
	// command) does not need it.
	Authz Authorizer
	Now   func() time.Time
	Rand  io.Reader
}

// New returns the service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	return &Service{store: o.Store, authz: o.Authz, now: o.Now, rand: o.Rand}
}

// DefaultRoleName is the role Organizations creates in new member accounts.
const DefaultRoleName = "OrganizationAccountAccessRole"

// AdministratorAccessARN is the AWS managed policy attached to that role.
const AdministratorAccessARN = "arn:aws:iam::aws:policy/AdministratorAccess"

// Errors of this package, for the API layer to map.
var (
	ErrAccessDenied    = errs.E(errs.Denied, "AccessDeniedException", "You don't have permissions to access this resource.")
	ErrAccountNotFound = errs.E(errs.NotFound, "AccountNotFoundException", "You specified an account that doesn't exist.")
	ErrStatusNotFound  = errs.E(errs.NotFound, "CreateAccountStatusNotFoundException", "We can't find an create account request with the CreateAccountRequestId that you specified.")
	ErrNotInUse        = errs.E(errs.Invalid, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
	ErrAccountExists   = errs.E(errs.Conflict, "AccountAlreadyExists", "An account with this ID already exists.")
	errInvalid         = errs.E(errs.Invalid, "InvalidInputException", "")
)

func invalid(format string, args ...any) error {
	e := *errInvalid
	e.Msg = fmt.Sprintf(format, args...)
	return &e
}

var (
	accountIDRe   = regexp.MustCompile(`^\d{12}$`)
	emailRe       = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@]+$`)
	accountNameRe = regexp.MustCompile(`^[\x{0020}-\x{007E}]+$`)
	roleNameRe    = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
)

// ValidAccountID reports whether id is a 12-digit account ID.
func ValidAccountID(id string) bool { return accountIDRe.MatchString(id) }

// Credentials are a root user's long-term access key.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
}

// Bootstrap creates the management account and the organization on first
// start. creds, when non-empty, become the root user's keys; otherwise they
// are generated. It returns the keys it created, or nil when the account
// existed already.
func (s *Service) Bootstrap(ctx context.Context, accountID string, creds Credentials) (*Credentials, error) {
	if !ValidAccountID(accountID) {
		return nil, fmt.Errorf("management account ID %q: must be 12 digits", accountID)
	}
	_, err := s.store.GetAccount(ctx, accountID)
	switch {
	case err == nil:
		return nil, s.ensureOrganization(ctx, accountID)
	case !errors.Is(err, meta.ErrNotFound):
		return nil, fmt.Errorf("look up management account: %w", err)
	}
	key, err := s.rootKey(accountID, creds)
	if err != nil {
		return nil, err
	}
	na := meta.NewAccount{
		Account: meta.Account{ID: accountID, Name: "management", Email: "root@" + accountID + ".grantd.invalid",
			Status: "ACTIVE", JoinedMethod: "CREATED", CreatedAt: s.now()},
		RootKey: key,
	}
	if err := s.store.CreateAccount(ctx, na); err != nil && !errors.Is(err, meta.ErrExists) {
		return nil, fmt.Errorf("create management account: %w", err)
	} else if err != nil {
		return nil, s.ensureOrganization(ctx, accountID) // another node won the race
	}
	if err := s.ensureOrganization(ctx, accountID); err != nil {
		return nil, err
	}
	return &Credentials{AccessKeyID: key.ID, SecretAccessKey: key.Secret}, nil
}

func (s *Service) ensureOrganization(ctx context.Context, mgmt string) error {
	if _, err := s.store.GetOrganization(ctx); err == nil {
		return nil
	}
	id, err := randomString(s.rand, "o-", "abcdefghijklmnopqrstuvwxyz0123456789", 10)
	if err != nil {
		return err
	}
	err = s.store.CreateOrganization(ctx, meta.Organization{ID: id, ManagementAccountID: mgmt, CreatedAt: s.now()})
	if err != nil && !errors.Is(err, meta.ErrExists) {
		return fmt.Errorf("create organization: %w", err)
	}
	return nil
}

func (s *Service) rootKey(account string, creds Credentials) (meta.AccessKey, error) {
	if creds.AccessKeyID == "" {
		var err error
		if creds.AccessKeyID, err = NewAccessKeyID(s.rand); err != nil {
			return meta.AccessKey{}, err
		}
		if creds.SecretAccessKey, err = NewSecret(s.rand); err != nil {
			return meta.AccessKey{}, err
		}
	}
	if creds.SecretAccessKey == "" {
		return meta.AccessKey{}, errors.New("root access key ID given without a secret access key")
	}
	return meta.AccessKey{ID: creds.AccessKeyID, AccountID: account, Secret: creds.SecretAccessKey,
		Status: "Active", CreatedAt: s.now()}, nil
}

// CreateAccountOffline creates account id with a root key, as
// `grantd accounts create` does. The account joins the organization and
// gets the management role like any other.
func (s *Service) CreateAccountOffline(ctx context.Context, id, name string) (*Credentials, error) {
	if !ValidAccountID(id) {
		return nil, invalid("account ID %q must be 12 digits", id)
	}
	org, err := s.store.GetOrganization(ctx)
	if err != nil {
		return nil, fmt.Errorf("the data directory has no organization yet (start grantd serve once): %w", err)
	}
	if name == "" {
		name = "account-" + id
	}
	na, creds, err := s.newMember(id, name, id+"@grantd.invalid", DefaultRoleName, org.ManagementAccountID)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateAccount(ctx, na); errors.Is(err, meta.ErrExists) {
		return nil, ErrAccountExists
	} else if err != nil {
		return nil, fmt.Errorf("create account %s: %w", id, err)
	}
	return creds, nil
}

// newMember builds a member account's records.
func (s *Service) newMember(id, name, email, roleName, mgmt string) (meta.NewAccount, *Credentials, error) {
	key, err := s.rootKey(id, Credentials{})
	if err != nil {
		return meta.NewAccount{}, nil, err
	}
	roleID, err := randomString(s.rand, "AROA", base32Alphabet, 17)
	if err != nil {
		return meta.NewAccount{}, nil, err
	}
	now := s.now()
	trust := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"}]}`, mgmt)
	na := meta.NewAccount{
		Account: meta.Account{ID: id, Name: name, Email: email, Status: "ACTIVE", JoinedMethod: "CREATED", CreatedAt: now},
		RootKey: key,
		Roles: []meta.NewRole{{
			Role: meta.Role{AccountID: id, Name: roleName, ID: roleID, Path: "/",
				ARN: "arn:aws:iam::" + id + ":role/" + roleName, TrustPolicy: trust,
				MaxSessionDuration: 3600, CreatedAt: now},
			AttachedPolicies: []string{AdministratorAccessARN},
		}},
	}
	return na, &Credentials{AccessKeyID: key.ID, SecretAccessKey: key.Secret}, nil
}

const base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// NewAccessKeyID returns a long-term access key ID: AKIA and 16 characters.
func NewAccessKeyID(r io.Reader) (string, error) { return randomString(r, "AKIA", base32Alphabet, 16) }

// NewSecret returns a 40-character secret access key.
func NewSecret(r io.Reader) (string, error) {
	return randomString(r, "", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40)
}

func randomString(r io.Reader, prefix, alphabet string, n int) (string, error) {
	b := []byte(prefix)
	max := big.NewInt(int64(len(alphabet)))
	for range n {
		i, err := rand.Int(r, max)
		if err != nil {
			return "", fmt.Errorf("random: %w", err)
		}
		b = append(b, alphabet[i.Int64()])
	}
	return string(b), nil
}
