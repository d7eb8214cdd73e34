package authz

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/policy"
	"github.com/grantd/grantd/internal/sessiontoken"
)

// input assembles policy.Decide's input for req made by r.Caller.
func (a *Authorizer) input(ctx context.Context, r *auth.Request, req Request) (policy.Input, error) {
	c := r.Caller
	resAcct := req.ResourceAccount
	if resAcct == "" {
		resAcct = c.Account
	}
	set, err := a.principalPolicies(ctx, c)
	if err != nil {
		return policy.Input{}, err
	}
	p := Principal(c)
	in := policy.Input{
		Request: &policy.Request{
			Principal: p,
			Action:    req.Action,
			Resource:  req.Resource,
			Context:   a.context(ctx, r, p, set, req, resAcct),
		},
		Resource:        req.ResourcePolicy,
		ResourceAccount: resAcct,
	}
	if set != nil {
		in.Identity, in.Boundary = set.identity, set.boundary
	}
	if c.Session != nil && c.Kind == auth.AssumedRole {
		if in.Session, err = a.sessionPolicies(ctx, c.Session); err != nil {
			return in, err
		}
	}
	if c.Session != nil && c.Session.GrantARN != "" && a.grantLive != nil {
		live, err := a.grantLive(ctx, c.Session.GrantARN)
		if err != nil {
			return in, fmt.Errorf("check access grant %s: %w", c.Session.GrantARN, err)
		}
		if !live {
			in.Session = append(in.Session, revoked)
		}
	}
	return in, nil
}

// revoked is the session policy of a session whose access grant is gone:
// it denies everything, explicitly, so that not even a resource policy
// naming the session allows it.
var revoked = func() *policy.Policy {
	p, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"AccessGrantDeleted","Effect":"Deny","Action":"*","Resource":"*"}]}`), policy.Identity)
	if err != nil {
		panic(err)
	}
	p.Name = "access-grant-revoked"
	return p
}()

// Principal describes c for the policy engine.
func Principal(c *auth.Caller) *policy.Principal {
	p := &policy.Principal{Account: c.Account, ARN: c.ARN, UserID: c.UserID}
	switch c.Kind {
	case auth.Anonymous:
		p.Type = policy.Anonymous
	case auth.Root:
		p.Type = policy.Root
	case auth.User:
		p.Type = policy.User
		if c.Session != nil && c.Session.Kind == sessiontoken.FederatedUser {
			p.Type, p.UserARN = policy.FederatedUser, c.Session.UserARN
		}
	case auth.AssumedRole:
		p.Type, p.RoleARN = policy.AssumedRole, c.RoleARN
	case auth.Service:
		p.Type, p.Service = policy.Service, c.Service
	case auth.WebIdentity:
		p.Type, p.Federated = policy.WebIdentity, c.Federated
	}
	return p
}

// principalPolicies returns the caller's identity policies and boundary;
// nil for principals that have none (root, services, anonymous, federated
// users, whose permissions are their session policy).
func (a *Authorizer) principalPolicies(ctx context.Context, c *auth.Caller) (*policySet, error) {
	var key setKey
	switch {
	case c.Kind == auth.User && (c.Session == nil || c.Session.Kind == sessiontoken.UserSession):
		key = setKey{"user", c.Account, c.Name}
	case c.Kind == auth.AssumedRole:
		key = setKey{"role", c.Account, c.Name}
	default:
		return nil, nil
	}
	a.mu.RLock()
	set, gen := a.sets[key], a.gen
	a.mu.RUnlock()
	if set != nil {
		return set, nil
	}
	var pp meta.PrincipalPolicies
	var err error
	if key.kind == "user" {
		pp, err = a.store.UserPolicies(ctx, c.Account, c.Name)
	} else {
		pp, err = a.store.RolePolicies(ctx, c.Account, c.Name)
	}
	if errors.Is(err, meta.ErrNotFound) {
		return &policySet{}, nil // deleted: no permissions are left
	}
	if err != nil {
		return nil, fmt.Errorf("load policies of %s: %w", c.ARN, err)
	}
	set = &policySet{}
	if set.tags, err = a.principalTags(ctx, key); err != nil {
		return nil, fmt.Errorf("load tags of %s: %w", c.ARN, err)
	}
	for _, d := range pp.Documents {
		p, err := a.compile(policy.Identity, d.Source, d.Document)
		if err != nil {
			return nil, err
		}
		set.identity = append(set.identity, p)
	}
	if pp.Boundary != nil {
		if set.boundary, err = a.compile(policy.Identity, pp.Boundary.Source, pp.Boundary.Document); err != nil {
			return nil, err
		}
	}
	a.mu.Lock()
	if a.gen == gen {
		a.sets[key] = set
	}
	a.mu.Unlock()
	return set, nil
}

// principalTags returns the IAM tags of the user or role key names; they
// are the principal's aws:PrincipalTag values (a role session's own
// session tags override them).
func (a *Authorizer) principalTags(ctx context.Context, key setKey) ([]meta.Tag, error) {
	var tags []meta.Tag
	var err error
	if key.kind == "user" {
		var u meta.User
		u, err = a.store.GetUser(ctx, key.account, key.name)
		tags = u.Tags
	} else {
		var r meta.Role
		r, err = a.store.GetRole(ctx, key.account, key.name)
		tags = r.Tags
	}
	if errors.Is(err, meta.ErrNotFound) {
		return nil, nil // deleted since its policies were read
	}
	return tags, err
}

// sessionPolicies returns the session policies of a role session: the
// inline one and the managed ones named when it was created. nil means the
// session has none (no limit); a non-nil empty list allows nothing.
func (a *Authorizer) sessionPolicies(ctx context.Context, s *sessiontoken.Claims) ([]*policy.Policy, error) {
	if s.SessionPolicy == "" && len(s.PolicyARNs) == 0 {
		return nil, nil
	}
	out := []*policy.Policy{}
	if s.SessionPolicy != "" {
		p, err := a.compile(policy.Identity, "session-policy", s.SessionPolicy)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	for _, arn := range s.PolicyARNs {
		doc, err := a.store.PolicyDocument(ctx, arn)
		if errors.Is(err, meta.ErrNotFound) {
			continue // a deleted managed policy grants nothing
		}
		if err != nil {
			return nil, fmt.Errorf("load session policy %s: %w", arn, err)
		}
		p, err := a.compile(policy.Identity, arn, doc)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// context builds the request context: the global aws:* keys AWS sets for
// this caller and request, then the service's keys.
func (a *Authorizer) context(ctx context.Context, r *auth.Request, p *policy.Principal, set *policySet, req Request, resAcct string) *policy.Context {
	pc := policy.NewContext(24 + len(req.Keys))
	t := r.Time.UTC()
	pc.Set("aws:CurrentTime", t.Format(time.RFC3339))
	pc.Set("aws:EpochTime", strconv.FormatInt(t.Unix(), 10))
	if r.SourceIP != "" {
		pc.Set("aws:SourceIp", r.SourceIP)
	}
	pc.Set("aws:SecureTransport", strconv.FormatBool(r.Secure))
	if r.Region != "" {
		pc.Set("aws:RequestedRegion", r.Region)
	}
	if r.UserAgent != "" {
		pc.Set("aws:UserAgent", r.UserAgent)
	}
	pc.Set("aws:ResourceAccount", resAcct)
	p.AddToContext(pc)
	c := r.Caller
	if c.Kind == auth.Service {
		pc.Set("aws:PrincipalIsAWSService", "true")
	} else {
		pc.Set("aws:PrincipalIsAWSService", "false")
		pc.Set("aws:ViaAWSService", "false")
	}
	if c.Kind != auth.Anonymous && c.Kind != auth.Service {
		if org := a.org(ctx); org != "" {
			pc.Set("aws:PrincipalOrgID", org)
		}
	}
	if set != nil {
		// The user's or role's IAM tags; keys are case-insensitive, so a
		// session tag set below replaces a role tag of the same key, as
		// "New session tags override existing assumed role or federated
		// user tags with the same tag key, regardless of case"
		// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html).
		for _, tag := range set.tags {
			pc.Set("aws:PrincipalTag/"+tag.Key, tag.Value)
		}
	}
	if s := c.Session; s != nil {
		sessionContext(pc, s)
	}
	for _, k := range req.Keys {
		pc.Set(k.Name, k.Values...)
	}
	return pc
}

// sessionContext sets the keys AWS adds for requests signed with temporary
// credentials (reference_policies_condition-keys.html): the token's issue
// time, aws:MultiFactorAuthPresent ("false": grantd issues no MFA
// sessions; the key is absent for long-term keys), the source identity, the
// session tags, the web-identity provider of a federated role session, and
// the Access Grants instance of a GetDataAccess session.
func sessionContext(pc *policy.Context, s *sessiontoken.Claims) {
	pc.Set("aws:TokenIssueTime", s.IssuedAt.UTC().Format(time.RFC3339))
	pc.Set("aws:MultiFactorAuthPresent", "false")
	if s.SourceIdentity != "" {
		pc.Set("aws:SourceIdentity", s.SourceIdentity)
	}
	for _, tag := range s.Tags {
		pc.Set("aws:PrincipalTag/"+tag.Key, tag.Value)
	}
	if s.WebIdentity != nil && s.WebIdentity.Provider != "" {
		pc.Set("aws:FederatedProvider", s.WebIdentity.Provider)
	}
	if s.InstanceARN != "" {
		pc.Set("s3:AccessGrantsInstanceArn", s.InstanceARN)
	}
}

// org returns the organization ID (aws:PrincipalOrgID): every account of a
// grantd installation belongs to its one organization.
func (a *Authorizer) org(ctx context.Context) string {
	a.mu.RLock()
	id := a.orgID
	a.mu.RUnlock()
	if id != "" {
		return id
	}
	o, err := a.store.GetOrganization(ctx)
	if err != nil {
		return ""
	}
	a.mu.Lock()
	a.orgID = o.ID
	a.mu.Unlock()
	return o.ID
}
