package sts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/grantd/grantd/internal/arn"
	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/authz"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/policy"
	"github.com/grantd/grantd/internal/sessiontoken"
)

// Session limits (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
const (
	minDuration     = 900
	maxRoleDuration = 43200
	// defaultRoleDuration applies when DurationSeconds is absent.
	defaultRoleDuration = 3600
	// maxChainedDuration caps sessions made with temporary credentials
	// ("role chaining limits your AWS CLI or AWS API role session to a
	// maximum of one hour"); AWS applies it to GetSessionToken
	// credentials too.
	maxChainedDuration = 3600
	// defaultMaxSessionDuration is a role's MaxSessionDuration when the
	// store has none.
	defaultMaxSessionDuration = 3600
	maxSessionTags            = 50
)

// sessionSpec is everything a new role session is made from.
type sessionSpec struct {
	role           meta.Role
	name           string
	duration       time.Duration
	policy         string // compact inline session policy
	policyARNs     []string
	tags           []Tag
	transitive     []string
	sourceIdentity string
	contexts       []ProvidedContext
	chained        bool
	web            *sessiontoken.WebIdentity
	grantARN       string
	instanceARN    string
	directoryUser  string
	identityStore  string
}

// issue makes the session's credentials: it checks the packed size, draws
// an access key and secret, and seals the claims.
func (s *Service) issue(spec *sessionSpec, packedErr func(packed) error) (*RoleSession, error) {
	pk := pack(spec.policy, spec.policyARNs, spec.tags, spec.transitive)
	if err := packedErr(pk); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	c := &sessiontoken.Claims{
		IssuedAt: now, Expiration: now.Add(spec.duration),
		Account: spec.role.AccountID, Kind: sessiontoken.AssumedRole,
		RoleARN: spec.role.ARN, RoleID: spec.role.ID, SessionName: spec.name,
		SessionPolicy: spec.policy, PolicyARNs: spec.policyARNs,
		SourceIdentity: spec.sourceIdentity, Tags: spec.tags, TransitiveTagKeys: spec.transitive,
		ProvidedContexts: spec.contexts, Chained: spec.chained, WebIdentity: spec.web,
		GrantARN: spec.grantARN, InstanceARN: spec.instanceARN,
		DirectoryUserID: spec.directoryUser, IdentityStoreARN: spec.identityStore,
	}
	creds, err := s.seal(c)
	if errors.Is(err, sessiontoken.ErrTooLarge) {
		// The packed checks passed but the whole token does not fit (many
		// provided contexts, say): still the packed limit to the caller.
		return nil, packedErr(packed{policy: 101, tags: pk.tags})
	}
	if err != nil {
		return nil, err
	}
	return &RoleSession{
		Credentials: creds,
		AssumedRoleUser: AssumedRoleUser{
			AssumedRoleID: spec.role.ID + ":" + spec.name,
			ARN:           "arn:aws:sts::" + spec.role.AccountID + ":assumed-role/" + spec.role.Name + "/" + spec.name,
		},
		PackedPolicySize: pk.size(),
		SourceIdentity:   spec.sourceIdentity,
		Claims:           c,
	}, nil
}

// seal fills in a fresh access key and secret and seals c.
func (s *Service) seal(c *sessiontoken.Claims) (Credentials, error) {
	var err error
	if c.AccessKeyID, err = sessiontoken.NewAccessKeyID(s.rand); err != nil {
		return Credentials{}, err
	}
	if c.SecretAccessKey, err = sessiontoken.NewSecret(s.rand); err != nil {
		return Credentials{}, err
	}
	ring := s.keyring()
	if ring == nil {
		return Credentials{}, errors.New("sts: no session-token keyring configured")
	}
	token, err := ring.Seal(c)
	if err != nil {
		return Credentials{}, fmt.Errorf("seal session token: %w", err)
	}
	return Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey,
		SessionToken: token, Expiration: c.Expiration}, nil
}

// roleRef is a parsed role ARN.
type roleRef struct {
	arn     string
	account string
	path    string // "/" or "/a/b/"
	name    string
}

// parseRoleARN parses arn:aws:iam::ACCOUNT:role/PATH/NAME. A string that is
// not an ARN at all is AWS's ValidationError "Request ARN is invalid"; an
// ARN of something other than a role returns ok false, which callers answer
// like a role that does not exist (AccessDenied: AWS does not say which
// roles exist).
func parseRoleARN(s string) (ref roleRef, ok bool, err error) {
	a, perr := arn.Parse(s)
	if perr != nil || !validAccount(a.Account) && a.Account != "" {
		return ref, false, validationError("Request ARN is invalid")
	}
	res, isRole := strings.CutPrefix(a.Resource, "role/")
	if a.Partition != "aws" || a.Service != "iam" || a.Region != "" || !validAccount(a.Account) || !isRole || res == "" {
		return ref, false, nil
	}
	i := strings.LastIndexByte(res, '/')
	ref = roleRef{arn: s, account: a.Account, path: "/", name: res[i+1:]}
	if i >= 0 {
		ref.path = "/" + res[:i+1]
	}
	return ref, ref.name != "" && !strings.Contains(ref.path, "//"), nil
}

func validAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// findRole returns the role ref names, or ok false when there is none with
// that name and path.
func (s *Service) findRole(ctx context.Context, ref roleRef) (meta.Role, bool, error) {
	r, err := s.roles.get(ctx, s.store, ref.account, ref.name)
	if errors.Is(err, meta.ErrNotFound) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("look up role %s: %w", ref.arn, err)
	}
	if r.Path != ref.path || r.Name != ref.name {
		// Role names are unique regardless of case, but a session's ARN
		// must name the role exactly, path included.
		return r, false, nil
	}
	if r.MaxSessionDuration == 0 {
		r.MaxSessionDuration = defaultMaxSessionDuration
	}
	return r, true, nil
}

// notAuthorized is AWS's trust-failure message.
func notAuthorized(c *auth.Caller, action, resource string) error {
	return denied("User: %s is not authorized to perform: %s on resource: %s", c.ARN, action, resource)
}

// trustRequest is an authorization question about assuming role: the role
// is the resource, its trust policy the resource policy and its account
// the resource account.
func (s *Service) trustRequest(role meta.Role, keys []authz.Key) (authz.Request, error) {
	trust, err := s.authz.Compile(policy.Trust, "role/"+role.Name+"/trust", role.TrustPolicy)
	if err != nil {
		return authz.Request{}, fmt.Errorf("trust policy of %s: %w", role.ARN, err)
	}
	return authz.Request{Resource: role.ARN, ResourceAccount: role.AccountID, ResourcePolicy: trust, Keys: keys}, nil
}

// authorize decides each action for the caller in ctx and returns the
// first that is denied, or "" when all are allowed.
func (s *Service) authorize(ctx context.Context, req authz.Request, actions []string) (string, error) {
	for _, a := range actions {
		req.Action = a
		d, err := s.authz.Decide(ctx, req)
		if err != nil {
			return "", fmt.Errorf("authorize %s on %s: %w", a, req.Resource, err)
		}
		if !d.Allowed() {
			return a, nil
		}
	}
	return "", nil
}

// sessionKeys are the condition keys of an assume-role request
// (reference_policies_iam-condition-keys.html#condition-keys-sts and
// id_session-tags.html): the session name, the source identity, the
// session tags (aws:RequestTag/*, aws:TagKeys, sts:TransitiveTagKeys) and
// the role's own tags (aws:ResourceTag/*, iam:ResourceTag/*).
func sessionKeys(spec *sessionSpec) []authz.Key {
	keys := make([]authz.Key, 0, 8+2*len(spec.tags)+2*len(spec.role.Tags))
	keys = append(keys, authz.Key{Name: "sts:RoleSessionName", Values: []string{spec.name}})
	if spec.sourceIdentity != "" {
		keys = append(keys, authz.Key{Name: "sts:SourceIdentity", Values: []string{spec.sourceIdentity}})
	}
	if len(spec.tags) > 0 {
		tagKeys := make([]string, len(spec.tags))
		for i, t := range spec.tags {
			tagKeys[i] = t.Key
			keys = append(keys, authz.Key{Name: "aws:RequestTag/" + t.Key, Values: []string{t.Value}})
		}
		keys = append(keys, authz.Key{Name: "aws:TagKeys", Values: tagKeys})
	}
	if len(spec.transitive) > 0 {
		keys = append(keys, authz.Key{Name: "sts:TransitiveTagKeys", Values: spec.transitive})
	}
	for _, t := range spec.role.Tags {
		keys = append(keys, authz.Key{Name: "aws:ResourceTag/" + t.Key, Values: []string{t.Value}},
			authz.Key{Name: "iam:ResourceTag/" + t.Key, Values: []string{t.Value}})
	}
	return keys
}

// sessionActions lists what a new session needs besides the assume-role
// action: sts:TagSession for session tags (also inherited transitive
// ones), sts:SetSourceIdentity for a source identity (also an inherited
// one: "permissions for sts:SetSourceIdentity are required in both the
// permissions policy of the principal who is assuming the role and in the
// role trust policy of the target role"), sts:SetContext for provided
// contexts.
func sessionActions(assume string, spec *sessionSpec) []string {
	actions := []string{assume}
	if len(spec.tags) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	if spec.sourceIdentity != "" {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	if len(spec.contexts) > 0 {
		actions = append(actions, "sts:SetContext")
	}
	return actions
}

// sessionPolicy parses an inline session policy (an identity policy) and
// returns its compact form, which is what the token carries.
func sessionPolicy(doc *string) (string, error) {
	if doc == nil {
		return "", nil
	}
	return compactPolicies.get(*doc, compactPolicy)
}

// compactPolicy parses a session policy and marshals it compactly.
func compactPolicy(doc string) (string, error) {
	p, err := policy.Parse([]byte(doc), policy.Identity)
	if err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			return "", errs.E(errs.Invalid, ReasonMalformedPolicy, "%s", pe.Message)
		}
		return "", err
	}
	b, err := p.MarshalJSON()
	if err != nil {
		return "", fmt.Errorf("compact session policy: %w", err)
	}
	return string(b), nil
}

// checkPolicyARNs checks that the managed session policies exist and may
// be used with role: AWS managed policies, or customer managed policies of
// the role's own account.
func (s *Service) checkPolicyARNs(ctx context.Context, role meta.Role, arns []string) error {
	for _, pa := range arns {
		a, err := arn.Parse(pa)
		ok := err == nil && a.Service == "iam" && strings.HasPrefix(a.Resource, "policy/") &&
			(a.Account == "aws" || a.Account == role.AccountID)
		if ok {
			_, err = s.store.PolicyDocument(ctx, pa)
			if errors.Is(err, meta.ErrNotFound) {
				ok = false
			} else if err != nil {
				return fmt.Errorf("look up session policy %s: %w", pa, err)
			}
		}
		if !ok {
			return invalidParameter("The policy %s does not exist or is not attachable.", pa)
		}
	}
	return nil
}

// checkDuration applies the role's maximum session duration and the
// role-chaining cap to a requested duration.
func checkDuration(seconds int, role meta.Role, chained bool) error {
	switch {
	case chained && seconds > maxChainedDuration:
		return validationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	case seconds > role.MaxSessionDuration:
		return validationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	return nil
}

func authzKey(name string, values ...string) authz.Key { return authz.Key{Name: name, Values: values} }
