package orgs

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/grantd/grantd/internal/meta"
)

// Caller is who calls the Organizations API.
type Caller struct {
	Account string
}

// Organization is DescribeOrganization's answer.
type Organization struct {
	meta.Organization
	ManagementEmail string
}

// ARN returns the organization's ARN.
func (o Organization) ARN() string {
	return "arn:aws:organizations::" + o.ManagementAccountID + ":organization/" + o.ID
}

// AccountARN returns the ARN of a member account of org.
func AccountARN(org meta.Organization, account string) string {
	return "arn:aws:organizations::" + org.ManagementAccountID + ":account/" + org.ID + "/" + account
}

// org returns the organization and checks that the caller is its
// management account (mgmtOnly) or a member.
func (s *Service) org(ctx context.Context, c Caller, mgmtOnly bool) (meta.Organization, error) {
	org, err := s.store.GetOrganization(ctx)
	if errors.Is(err, meta.ErrNotFound) {
		return org, ErrNotInUse
	}
	if err != nil {
		return org, fmt.Errorf("load organization: %w", err)
	}
	if mgmtOnly && c.Account != org.ManagementAccountID {
		return org, ErrAccessDenied
	}
	return org, nil
}

func (s *Service) authorize(ctx context.Context, action, resource string) error {
	if s.authz == nil {
		return errors.New("orgs: no authorizer configured")
	}
	return s.authz.Authorize(ctx, "organizations:"+action, resource)
}

// CreateAccountInput is CreateAccount's request.
type CreateAccountInput struct {
	AccountName string
	Email       string
	RoleName    string
}

// CreateAccount creates a member account. It completes at once, so the
// status it returns is SUCCEEDED (or FAILED when the email is taken, as AWS
// reports it).
func (s *Service) CreateAccount(ctx context.Context, c Caller, in CreateAccountInput) (meta.CreateAccountStatus, error) {
	var st meta.CreateAccountStatus
	if err := validateCreate(in); err != nil {
		return st, err
	}
	org, err := s.org(ctx, c, true)
	if err != nil {
		return st, err
	}
	if err := s.authorize(ctx, "CreateAccount", "*"); err != nil {
		return st, err
	}
	if in.RoleName == "" {
		in.RoleName = DefaultRoleName
	}
	reqID, err := randomString(s.rand, "car-", "0123456789abcdef", 32)
	if err != nil {
		return st, err
	}
	now := s.now()
	st = meta.CreateAccountStatus{ID: reqID, AccountName: in.AccountName, State: "SUCCEEDED", RequestedAt: now, CompletedAt: now}
	if taken, err := s.emailTaken(ctx, in.Email); err != nil {
		return st, err
	} else if taken {
		st.State, st.FailureReason = "FAILED", "EMAIL_ALREADY_EXISTS"
		if err := s.store.AddCreateAccountStatus(ctx, st); err != nil {
			return st, fmt.Errorf("record failed request: %w", err)
		}
		return st, nil
	}
	// Account IDs are random; retry on the rare collision.
	for attempt := 0; ; attempt++ {
		id, err := randomString(s.rand, "", "0123456789", 12)
		if err != nil {
			return st, err
		}
		na, _, err := s.newMember(id, in.AccountName, in.Email, in.RoleName, org.ManagementAccountID)
		if err != nil {
			return st, err
		}
		st.AccountID = id
		na.Status = &st
		err = s.store.CreateAccount(ctx, na)
		if err == nil {
			return st, nil
		}
		if !errors.Is(err, meta.ErrExists) || attempt > 5 {
			return st, fmt.Errorf("create account: %w", err)
		}
	}
}

func validateCreate(in CreateAccountInput) error {
	switch {
	case in.AccountName == "" || in.Email == "":
		return invalid("You must specify AccountName and Email.")
	case len(in.AccountName) > 50 || !accountNameRe.MatchString(in.AccountName):
		return invalid("You provided a value that does not match the required pattern for AccountName.")
	case len(in.Email) < 6 || len(in.Email) > 64 || !emailRe.MatchString(in.Email):
		return invalid("You provided a value that does not match the required pattern for Email.")
	case in.RoleName != "" && !roleNameRe.MatchString(in.RoleName):
		return invalid("You provided a value that does not match the required pattern for RoleName.")
	}
	return nil
}

func (s *Service) emailTaken(ctx context.Context, email string) (bool, error) {
	p := meta.Page{}
	for {
		accts, err := s.store.ListAccounts(ctx, p)
		if err != nil {
			return false, err
		}
		for _, a := range accts {
			if strings.EqualFold(a.Email, email) {
				return true, nil
			}
		}
		if len(accts) == 0 {
			return false, nil
		}
		p.After = accts[len(accts)-1].ID
	}
}

// DescribeCreateAccountStatus returns one CreateAccount request.
func (s *Service) DescribeCreateAccountStatus(ctx context.Context, c Caller, id string) (meta.CreateAccountStatus, error) {
	if _, err := s.org(ctx, c, true); err != nil {
		return meta.CreateAccountStatus{}, err
	}
	if err := s.authorize(ctx, "DescribeCreateAccountStatus", "*"); err != nil {
		return meta.CreateAccountStatus{}, err
	}
	if !createRequestIDRe.MatchString(id) {
		return meta.CreateAccountStatus{}, invalid("You provided a value that does not match the required pattern for CreateAccountRequestId.")
	}
	st, err := s.store.GetCreateAccountStatus(ctx, id)
	if errors.Is(err, meta.ErrNotFound) {
		return st, ErrStatusNotFound
	}
	return st, err
}

var createRequestIDRe = regexp.MustCompile(`^car-[a-z0-9]{8,32}$`)

// Account is a member account as the API lists it.
type Account struct {
	meta.Account
	ARN string
}

// ListAccounts returns one page of the organization's accounts.
func (s *Service) ListAccounts(ctx context.Context, c Caller, p meta.Page) ([]Account, string, error) {
	org, err := s.org(ctx, c, true)
	if err != nil {
		return nil, "", err
	}
	if err := s.authorize(ctx, "ListAccounts", "*"); err != nil {
		return nil, "", err
	}
	if p.Limit <= 0 || p.Limit > 20 {
		p.Limit = 20
	}
	accts, err := s.store.ListAccounts(ctx, meta.Page{After: p.After, Limit: p.Limit + 1})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(accts) > p.Limit {
		accts = accts[:p.Limit]
		next = accts[len(accts)-1].ID
	}
	out := make([]Account, len(accts))
	for i, a := range accts {
		out[i] = Account{Account: a, ARN: AccountARN(org, a.ID)}
	}
	return out, next, nil
}

// DescribeAccount returns one member account.
func (s *Service) DescribeAccount(ctx context.Context, c Caller, id string) (Account, error) {
	org, err := s.org(ctx, c, true)
	if err != nil {
		return Account{}, err
	}
	if !ValidAccountID(id) {
		return Account{}, invalid("You provided a value that does not match the required pattern for AccountId.")
	}
	if err := s.authorize(ctx, "DescribeAccount", AccountARN(org, id)); err != nil {
		return Account{}, err
	}
	a, err := s.store.GetAccount(ctx, id)
	if errors.Is(err, meta.ErrNotFound) {
		return Account{}, ErrAccountNotFound
	}
	if err != nil {
		return Account{}, err
	}
	return Account{Account: a, ARN: AccountARN(org, id)}, nil
}

// DescribeOrganization returns the organization; any member may call it.
func (s *Service) DescribeOrganization(ctx context.Context, c Caller) (Organization, error) {
	org, err := s.org(ctx, c, false)
	if err != nil {
		return Organization{}, err
	}
	if _, err := s.store.GetAccount(ctx, c.Account); err != nil {
		return Organization{}, ErrNotInUse
	}
	if err := s.authorize(ctx, "DescribeOrganization", "*"); err != nil {
		return Organization{}, err
	}
	mgmt, err := s.store.GetAccount(ctx, org.ManagementAccountID)
	if err != nil {
		return Organization{}, fmt.Errorf("load management account: %w", err)
	}
	return Organization{Organization: org, ManagementEmail: mgmt.Email}, nil
}

// ListCreateAccountStatus returns one page of CreateAccount requests,
// optionally only those in the given states.
func (s *Service) ListCreateAccountStatus(ctx context.Context, c Caller, states []string, p meta.Page) ([]meta.CreateAccountStatus, string, error) {
	if _, err := s.org(ctx, c, true); err != nil {
		return nil, "", err
	}
	if err := s.authorize(ctx, "ListCreateAccountStatus", "*"); err != nil {
		return nil, "", err
	}
	for _, st := range states {
		if st != "IN_PROGRESS" && st != "SUCCEEDED" && st != "FAILED" {
			return nil, "", invalid("You specified an invalid value for States: %s", st)
		}
	}
	if p.Limit <= 0 || p.Limit > 20 {
		p.Limit = 20
	}
	var out []meta.CreateAccountStatus
	cursor := p.After
	for len(out) <= p.Limit {
		page, err := s.store.ListCreateAccountStatus(ctx, meta.Page{After: cursor, Limit: 20})
		if err != nil {
			return nil, "", err
		}
		if len(page) == 0 {
			break
		}
		for _, st := range page {
			if len(states) == 0 || slices.Contains(states, st.State) {
				out = append(out, st)
			}
		}
		cursor = page[len(page)-1].ID
	}
	if len(out) > p.Limit {
		out = out[:p.Limit]
		return out, out[len(out)-1].ID, nil
	}
	return out, "", nil
}
