package grants

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/grantd/grantd/internal/meta"
)

// Identity Center ARN patterns: the model's constraint, and the form of a
// real instance ARN (arn:aws:sso:::instance/ssoins-<16 hex>).
var (
	identityCenterARNRe = regexp.MustCompile(`^arn:[^:]+:sso::(\d{12})?:instance/.*$`)
	ssoInstanceRe       = regexp.MustCompile(`^arn:aws:sso::(\d{12})?:instance/(ssoins-[0-9a-f]{16})$`)
)

// validateIdentityCenter checks an IdentityCenterArn and returns the
// instance's ID (ssoins-…).
func validateIdentityCenter(arn string) (string, error) {
	if n := len(arn); n < 10 || n > 1224 || !identityCenterARNRe.MatchString(arn) {
		return "", invalidRequest("Value '%s' at 'identityCenterArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[^:]+:sso::(\\d{12}){0,1}:instance/.*$", arn)
	}
	m := ssoInstanceRe.FindStringSubmatch(arn)
	if m == nil {
		return "", withMsg(errInvalidIDC, "The specified identity center instance is invalid: %s", arn)
	}
	return m[2], nil
}

// applicationARN names the Identity Center application that S3 Access
// Grants registers for an association (AWS creates one; the form is
// arn:aws:sso::ACCOUNT:application/ssoins-…/apl-<16 hex>).
func (s *Service) applicationARN(account, ssoInstanceID string) (string, error) {
	var b [8]byte
	if _, err := io.ReadFull(s.rand, b[:]); err != nil {
		return "", fmt.Errorf("generate application ID: %w", err)
	}
	return "arn:aws:sso::" + account + ":application/" + ssoInstanceID + "/apl-" + hex.EncodeToString(b[:]), nil
}

// CreateInstanceInput is CreateAccessGrantsInstance's request.
type CreateInstanceInput struct {
	IdentityCenterARN string
	Tags              []meta.Tag
}

// CreateInstance creates the account's instance in the request's region.
func (s *Service) CreateInstance(ctx context.Context, account string, in CreateInstanceInput) (meta.GrantsInstance, error) {
	const action = "s3:CreateAccessGrantsInstance"
	var inst meta.GrantsInstance
	if err := gate(ctx, account, action); err != nil {
		return inst, err
	}
	c := check{account: account, action: action, resource: InstanceARN(region(ctx), account), keys: requestTagKeys(in.Tags)}
	if err := s.authorize(ctx, c); err != nil {
		return inst, err
	}
	if err := validateTags(in.Tags); err != nil {
		return inst, err
	}
	inst = meta.GrantsInstance{Account: account, Region: region(ctx), CreatedAt: s.nowUTC()}
	if in.IdentityCenterARN != "" {
		id, err := validateIdentityCenter(in.IdentityCenterARN)
		if err != nil {
			return inst, err
		}
		inst.IdentityCenterInstanceARN = in.IdentityCenterARN
		if inst.IdentityCenterApplicationARN, err = s.applicationARN(account, id); err != nil {
			return inst, err
		}
	}
	err := s.store.CreateGrantsInstance(ctx, inst, in.Tags)
	if errors.Is(err, meta.ErrExists) {
		return inst, ErrInstanceExists
	}
	if err != nil {
		return inst, fmt.Errorf("create access grants instance: %w", err)
	}
	return inst, nil
}

// GetInstance returns the account's instance. Only the owner may ask.
func (s *Service) GetInstance(ctx context.Context, account string) (meta.GrantsInstance, error) {
	st, err := s.onInstance(ctx, account, "s3:GetAccessGrantsInstance", nil)
	if err != nil {
		return meta.GrantsInstance{}, err
	}
	return st.Instance, nil
}

// DeleteInstance deletes the account's instance, which must have no
// locations and no Identity Center association.
func (s *Service) DeleteInstance(ctx context.Context, account string) error {
	if _, err := s.onInstance(ctx, account, "s3:DeleteAccessGrantsInstance", nil); err != nil {
		return err
	}
	err := s.store.DeleteGrantsInstance(ctx, account, region(ctx))
	switch {
	case errors.Is(err, meta.ErrNotEmpty):
		return ErrInstanceNotEmpty
	case errors.Is(err, meta.ErrConflict):
		// AWS requires dissociating Identity Center first; the code is
		// not documented.
		return invalidRequest("Please dissociate the IAM Identity Center instance before deleting the access grants instance")
	case errors.Is(err, meta.ErrNotFound):
		return ErrInstanceNotFound
	case err != nil:
		return fmt.Errorf("delete access grants instance: %w", err)
	}
	return nil
}

// AssociateIdentityCenter associates an IAM Identity Center instance.
// Associating the one already associated succeeds; another one must be
// dissociated first.
func (s *Service) AssociateIdentityCenter(ctx context.Context, account, identityCenterARN string) error {
	st, err := s.onInstance(ctx, account, "s3:AssociateAccessGrantsIdentityCenter", nil)
	if err != nil {
		return err
	}
	if identityCenterARN == "" {
		return invalidRequest("Missing required field IdentityCenterArn")
	}
	id, err := validateIdentityCenter(identityCenterARN)
	if err != nil {
		return err
	}
	switch cur := st.Instance.IdentityCenterInstanceARN; cur {
	case identityCenterARN:
		return nil
	case "":
	default:
		return withMsg(errInvalidIDC, "The access grants instance is already associated with the identity center instance %s", cur)
	}
	app, err := s.applicationARN(account, id)
	if err != nil {
		return err
	}
	return s.setIdentityCenter(ctx, account, identityCenterARN, app)
}

// DissociateIdentityCenter removes the Identity Center association, if any.
func (s *Service) DissociateIdentityCenter(ctx context.Context, account string) error {
	st, err := s.onInstance(ctx, account, "s3:DissociateAccessGrantsIdentityCenter", nil)
	if err != nil {
		return err
	}
	if st.Instance.IdentityCenterInstanceARN == "" {
		return nil
	}
	return s.setIdentityCenter(ctx, account, "", "")
}

func (s *Service) setIdentityCenter(ctx context.Context, account, instanceARN, appARN string) error {
	err := s.store.SetGrantsIdentityCenter(ctx, account, region(ctx), instanceARN, appARN)
	if errors.Is(err, meta.ErrNotFound) {
		return ErrInstanceNotFound
	}
	if err != nil {
		return fmt.Errorf("set identity center: %w", err)
	}
	return nil
}

// ListInput pages a list operation.
type ListInput struct {
	// NextToken is the previous page's NextToken; empty for the first.
	NextToken string
	// MaxResults is 0–1000; 0 means 1000.
	MaxResults int
}

// page turns in into a store page.
func (in ListInput) page() (meta.Page, error) {
	if in.MaxResults < 0 || in.MaxResults > 1000 {
		return meta.Page{}, invalidRequest("Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000", in.MaxResults)
	}
	p := meta.Page{Limit: in.MaxResults}
	if in.NextToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		if err != nil || len(b) == 0 {
			return p, invalidRequest("The continuation token provided is incorrect")
		}
		p.After = string(b)
	}
	return p, nil
}

// nextToken is the opaque form of a store cursor.
func nextToken(cursor string) string {
	if cursor == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(cursor))
}

// listErr maps a store list failure.
func listErr(what string, err error) error {
	if errors.Is(err, meta.ErrInvalidCursor) {
		return invalidRequest("The continuation token provided is incorrect")
	}
	return fmt.Errorf("list %s: %w", what, err)
}

// ListInstances lists the account's instance in the request's region and
// the instances shared with the account.
func (s *Service) ListInstances(ctx context.Context, account string, in ListInput) ([]meta.GrantsInstance, string, error) {
	const action = "s3:ListAccessGrantsInstances"
	if err := gate(ctx, account, action); err != nil {
		return nil, "", err
	}
	if err := s.authorize(ctx, check{account: account, action: action, resource: "*"}); err != nil {
		return nil, "", err
	}
	p, err := in.page()
	if err != nil {
		return nil, "", err
	}
	var all []meta.GrantsInstance
	own, err := s.store.GetGrantsInstance(ctx, account, region(ctx))
	switch {
	case err == nil:
		all = append(all, own)
	case !errors.Is(err, meta.ErrNotFound):
		return nil, "", fmt.Errorf("list access grants instances: %w", err)
	}
	if s.shared != nil {
		shared, err := s.shared.SharedGrantsInstances(ctx, account, region(ctx))
		if err != nil {
			return nil, "", fmt.Errorf("list shared access grants instances: %w", err)
		}
		all = append(all, shared...)
	}
	return pageInstances(all, p)
}

// pageInstances pages a small in-memory list by (CreatedAt, account).
func pageInstances(all []meta.GrantsInstance, p meta.Page) ([]meta.GrantsInstance, string, error) {
	key := func(i meta.GrantsInstance) string {
		return fmt.Sprintf("%020d.%s", i.CreatedAt.UnixNano(), i.Account)
	}
	sort.Slice(all, func(a, b int) bool { return key(all[a]) < key(all[b]) })
	if p.After != "" {
		if n, _, ok := strings.Cut(p.After, "."); !ok || len(n) != 20 {
			return nil, "", invalidRequest("The continuation token provided is incorrect")
		} else if _, err := strconv.ParseUint(n, 10, 64); err != nil {
			return nil, "", invalidRequest("The continuation token provided is incorrect")
		}
		i := sort.Search(len(all), func(i int) bool { return key(all[i]) > p.After })
		all = all[i:]
	}
	n := p.Limit
	if n == 0 {
		n = 1000
	}
	if len(all) <= n {
		return all, "", nil
	}
	return all[:n], nextToken(key(all[n-1])), nil
}
