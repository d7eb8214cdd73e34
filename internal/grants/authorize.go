package grants

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/authz"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/policy"
)

// The IAM actions of the operations. Each operation's action is "s3:" and
// its name.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
const (
	ActionGetDataAccess                    = "s3:GetDataAccess"
	ActionListAccessGrants                 = "s3:ListAccessGrants"
	ActionListAccessGrantsLocations        = "s3:ListAccessGrantsLocations"
	ActionGetAccessGrantsInstanceForPrefix = "s3:GetAccessGrantsInstanceForPrefix"
	ActionListCallerAccessGrants           = "s3:ListCallerAccessGrants"
)

// CrossAccountActions are the only actions that callers of other accounts
// may be granted on an instance, through its resource policy; they are
// also the only actions a resource policy may name.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-cross-accounts.html
var CrossAccountActions = []string{
	ActionGetDataAccess,
	ActionListAccessGrants,
	ActionListAccessGrantsLocations,
	ActionGetAccessGrantsInstanceForPrefix,
	ActionListCallerAccessGrants,
}

// IsCrossAccountAction reports whether action is one of CrossAccountActions.
func IsCrossAccountAction(action string) bool {
	for _, a := range CrossAccountActions {
		if a == action {
			return true
		}
	}
	return false
}

// Condition keys of Access Grants requests.
const (
	KeyLocationScope   = "s3:AccessGrantsLocationScope"
	KeyGrantScope      = "s3:AccessGrantScope"
	keyResourceAccount = "s3:ResourceAccount"
	keyAuthType        = "s3:authType"
	keySigVersion      = "s3:signatureversion"
	keyRequestTag      = "aws:RequestTag/"
	keyResourceTag     = "aws:ResourceTag/"
	keyTagKeys         = "aws:TagKeys"
	keyPassedToService = "iam:PassedToService"
)

// ServicePrincipal is the principal that assumes location roles.
const ServicePrincipal = "access-grants.s3.amazonaws.com"

// gate applies the rules that need no policy: anonymous callers may do
// nothing, and callers of another account than x-amz-account-id may only
// ask for the cross-account actions.
func gate(ctx context.Context, account, action string) error {
	c := auth.CallerFrom(ctx)
	if c == nil || c.Kind == auth.Anonymous {
		return ErrAccessDenied
	}
	if c.Account != account && !IsCrossAccountAction(action) {
		return ErrAccessDenied
	}
	return nil
}

// check is one authorization question about a resource of the instance st
// (nil when the account has no instance in the region).
type check struct {
	account  string
	st       *meta.GrantsInstanceState
	action   string
	resource string
	// tags are the resource's tags (aws:ResourceTag).
	tags []meta.Tag
	keys map[string][]string
}

// authorize asks the Authorizer, with the instance's resource policy and
// the request's S3 condition keys.
func (s *Service) authorize(ctx context.Context, c check) error {
	if s.authz == nil {
		return errors.New("grants: no authorizer configured")
	}
	req := authz.Request{Action: c.action, Resource: c.resource, ResourceAccount: c.account}
	if c.st != nil && c.st.Policy != nil {
		p, err := s.policies.compile(c.st.Policy.Policy)
		if err != nil {
			return err
		}
		req.ResourcePolicy = p
	}
	r := auth.FromContext(ctx)
	req.Set(keyResourceAccount, c.account)
	if r.AuthType != "" {
		req.Set(keyAuthType, r.AuthType)
		req.Set(keySigVersion, "AWS4-HMAC-SHA256")
	}
	for _, t := range c.tags {
		req.Set(keyResourceTag+t.Key, t.Value)
	}
	names := make([]string, 0, len(c.keys))
	for k := range c.keys {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		req.Set(k, c.keys[k]...)
	}
	err := s.authz.Check(ctx, req)
	switch {
	case err == nil:
		return nil
	case errs.Is(err, errs.Denied):
		return err
	}
	return fmt.Errorf("authorize %s: %w", c.action, err)
}

// policyCache keeps instance resource policies compiled, by document text.
type policyCache struct {
	mu sync.Mutex
	m  map[string]*policy.Policy
}

// compile returns the compiled form of a stored resource policy.
func (pc *policyCache) compile(doc string) (*policy.Policy, error) {
	pc.mu.Lock()
	p := pc.m[doc]
	pc.mu.Unlock()
	if p != nil {
		return p, nil
	}
	p, err := policy.Parse([]byte(doc), policy.Resource)
	if err != nil {
		return nil, fmt.Errorf("stored access grants resource policy does not parse: %w", err)
	}
	p.Name = "access-grants-instance-policy"
	pc.mu.Lock()
	if pc.m == nil || len(pc.m) > 1000 { // bound memory; parsed again on demand
		pc.m = map[string]*policy.Policy{}
	}
	pc.m[doc] = p
	pc.mu.Unlock()
	return p, nil
}

// requestTagKeys returns aws:RequestTag/… and aws:TagKeys for tags.
func requestTagKeys(tags []meta.Tag) map[string][]string {
	keys := map[string][]string{}
	if len(tags) == 0 {
		return keys
	}
	names := make([]string, 0, len(tags))
	for _, t := range tags {
		keys[keyRequestTag+t.Key] = []string{t.Value}
		names = append(names, t.Key)
	}
	sort.Strings(names)
	keys[keyTagKeys] = names
	return keys
}

// instanceState loads the account's instance in the request's region; nil
// when there is none.
func (s *Service) instanceState(ctx context.Context, account string) (*meta.GrantsInstanceState, error) {
	st, err := s.store.GrantsInstanceState(ctx, account, region(ctx))
	if errors.Is(err, meta.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load access grants instance: %w", err)
	}
	return &st, nil
}

// onInstance authorizes action on the account's instance and returns it:
// AccessDenied before AccessGrantsInstanceNotExistsError, so callers
// without permission learn nothing about the instance.
func (s *Service) onInstance(ctx context.Context, account, action string, keys map[string][]string) (*meta.GrantsInstanceState, error) {
	if err := gate(ctx, account, action); err != nil {
		return nil, err
	}
	st, err := s.instanceState(ctx, account)
	if err != nil {
		return nil, err
	}
	c := check{account: account, st: st, action: action, resource: InstanceARN(region(ctx), account), keys: keys}
	if st != nil {
		c.tags = st.Tags
	}
	if err := s.authorize(ctx, c); err != nil {
		return nil, err
	}
	if st == nil {
		return nil, ErrInstanceNotFound
	}
	return st, nil
}
