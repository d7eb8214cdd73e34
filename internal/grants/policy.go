package grants

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/policy"
)

var organizationRe = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)

// MaxPolicyLength is the model's limit on a resource policy.
const MaxPolicyLength = 350000

// PutPolicyInput is PutAccessGrantsInstanceResourcePolicy's request.
type PutPolicyInput struct {
	Policy       string
	Organization string
}

// PutResourcePolicy replaces the instance's resource policy.
func (s *Service) PutResourcePolicy(ctx context.Context, account string, in PutPolicyInput) (meta.GrantsResourcePolicy, error) {
	var p meta.GrantsResourcePolicy
	if _, err := s.onInstance(ctx, account, "s3:PutAccessGrantsInstanceResourcePolicy", nil); err != nil {
		return p, err
	}
	if in.Policy == "" {
		return p, invalidRequest("Missing required field Policy")
	}
	if n := utf8.RuneCountInString(in.Policy); n > MaxPolicyLength {
		return p, invalidRequest("Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to %d", MaxPolicyLength)
	}
	if in.Organization != "" && !organizationRe.MatchString(in.Organization) {
		return p, invalidRequest("Value '%s' at 'organization' failed to satisfy constraint: Member must satisfy regular expression pattern: ^o-[a-z0-9]{10,32}$", in.Organization)
	}
	if err := ValidateResourcePolicy(in.Policy, InstanceARN(region(ctx), account)); err != nil {
		return p, err
	}
	p = meta.GrantsResourcePolicy{Policy: in.Policy, Organization: in.Organization, CreatedAt: s.nowUTC()}
	err := s.store.PutGrantsResourcePolicy(ctx, account, region(ctx), p)
	if errors.Is(err, meta.ErrNotFound) {
		return p, ErrInstanceNotFound
	}
	if err != nil {
		return p, fmt.Errorf("put resource policy: %w", err)
	}
	return p, nil
}

// GetResourcePolicy returns the instance's resource policy.
func (s *Service) GetResourcePolicy(ctx context.Context, account string) (meta.GrantsResourcePolicy, error) {
	st, err := s.onInstance(ctx, account, "s3:GetAccessGrantsInstanceResourcePolicy", nil)
	if err != nil {
		return meta.GrantsResourcePolicy{}, err
	}
	if st.Policy == nil {
		return meta.GrantsResourcePolicy{}, ErrPolicyNotFound
	}
	return *st.Policy, nil
}

// DeleteResourcePolicy removes the instance's resource policy; deleting
// none succeeds.
func (s *Service) DeleteResourcePolicy(ctx context.Context, account string) error {
	if _, err := s.onInstance(ctx, account, "s3:DeleteAccessGrantsInstanceResourcePolicy", nil); err != nil {
		return err
	}
	err := s.store.DeleteGrantsResourcePolicy(ctx, account, region(ctx))
	if errors.Is(err, meta.ErrNotFound) {
		return ErrInstanceNotFound
	}
	if err != nil {
		return fmt.Errorf("delete resource policy: %w", err)
	}
	return nil
}

func invalidPolicy(format string, args ...any) error {
	return withMsg(errInvalidPolicy, "The specified Resource Policy is invalid: "+format, args...)
}

// ValidateResourcePolicy checks an instance resource policy: a valid
// resource policy (policy.Parse) whose statements name a principal, only
// the cross-account actions and only the instance's ARN as resource.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-cross-accounts.html
func ValidateResourcePolicy(doc, instanceARN string) error {
	p, err := policy.Parse([]byte(doc), policy.Resource)
	var pe *policy.Error
	if errors.As(err, &pe) {
		return withMsg(errInvalidPolicy, "%s", pe.Message)
	}
	if err != nil {
		return fmt.Errorf("parse resource policy: %w", err)
	}
	for _, st := range p.Statements() {
		if why := statementProblem(st, instanceARN); why != "" {
			return invalidPolicy("%s (statement %d)", why, st.Index+1)
		}
	}
	return nil
}

// statementProblem returns the Access Grants rule a statement breaks, or "".
func statementProblem(st policy.Statement, instanceARN string) string {
	switch {
	case st.Principal == nil:
		return "a statement needs a Principal"
	case len(st.NotAction) > 0:
		return "NotAction is not supported"
	case len(st.NotResource) > 0:
		return "NotResource is not supported"
	}
	for _, a := range st.Action {
		if !isCrossAccountActionFold(a) {
			return "action " + a + " is not supported; allowed are " + strings.Join(CrossAccountActions, ", ")
		}
	}
	for _, r := range st.Resource {
		if r != instanceARN {
			return "resource " + r + " is not this access grants instance, " + instanceARN
		}
	}
	return ""
}

// isCrossAccountActionFold compares action names as IAM does, without case.
func isCrossAccountActionFold(a string) bool {
	for _, c := range CrossAccountActions {
		if strings.EqualFold(a, c) {
			return true
		}
	}
	return false
}
