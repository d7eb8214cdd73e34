// Package authz decides whether a request is allowed. It gathers the
// policies that apply — the caller's identity policies, permissions
// boundary and session policies from the store, the resource's policy from
// the service asking — builds the request context AWS builds (aws:* keys
// plus the service's own), and hands everything to policy.Decide, AWS's
// evaluation logic. Every service asks here; no handler decides on its own.
//
// Compiled policies are cached by document text, and each user's and
// role's policy set until the change feed reports an IAM change in its
// account, so a decision for a known principal reads nothing from the store.
package authz

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/policy"
)

// Store is what authz reads.
type Store interface {
	UserPolicies(ctx context.Context, account, name string) (meta.PrincipalPolicies, error)
	RolePolicies(ctx context.Context, account, name string) (meta.PrincipalPolicies, error)
	// GetUser and GetRole give the principal's IAM tags (aws:PrincipalTag).
	GetUser(ctx context.Context, account, name string) (meta.User, error)
	GetRole(ctx context.Context, account, name string) (meta.Role, error)
	PolicyDocument(ctx context.Context, arn string) (string, error)
	GetOrganization(ctx context.Context) (meta.Organization, error)
}

// Request is one authorization question about the request in the context.
type Request struct {
	// Action is the IAM action, e.g. "s3:GetObject".
	Action string
	// Resource is the ARN acted on ("*" for actions without a resource).
	Resource string
	// ResourceAccount owns the resource; empty means the caller's account.
	ResourceAccount string
	// ResourcePolicy is the resource's policy, if it has one.
	ResourcePolicy *policy.Policy
	// Keys are service-specific condition keys (s3:prefix, sts:ExternalId…).
	Keys []Key
}

// Key is one condition key with its values.
type Key struct {
	Name   string
	Values []string
}

// Set adds a condition key to the request.
func (r *Request) Set(name string, values ...string) { r.Keys = append(r.Keys, Key{name, values}) }

// Authorizer answers authorization questions.
type Authorizer struct {
	store Store

	mu       sync.RWMutex
	compiled map[string]*policy.Policy // by kind, source and document text
	sets     map[setKey]*policySet
	orgID    string
	// gen counts invalidations, so a load that raced with one does not
	// cache what it read before it.
	gen uint64

	// grantLive, when set, says whether the Access Grants grant a vended
	// session came from still exists (SetGrantCheck).
	grantLive func(ctx context.Context, grantARN string) (bool, error)
}

type setKey struct{ kind, account, name string }

// policySet is a principal's compiled identity policies and its IAM tags.
type policySet struct {
	identity []*policy.Policy
	boundary *policy.Policy
	tags     []meta.Tag
}

// New returns an authorizer reading from store.
func New(store Store) *Authorizer {
	return &Authorizer{store: store, compiled: map[string]*policy.Policy{}, sets: map[setKey]*policySet{}}
}

// SetGrantCheck makes every decision about a session that S3 Access
// Grants vended (sessiontoken.Claims.GrantARN set) first ask live whether
// that grant still exists; when it does not, a session policy that denies
// everything is added, so the session can do nothing.
// AWS leaves such credentials valid until they expire; grantd revokes them
// as soon as the grant's deletion is acknowledged, on every node, because
// live reads the store. Call it before the node serves.
func (a *Authorizer) SetGrantCheck(live func(ctx context.Context, grantARN string) (bool, error)) {
	a.grantLive = live
}

// HandleChanges drops cached policy sets that the changes make stale: any
// IAM change in an account drops that account's sets. It is a
// changefeed.Handler.
func (a *Authorizer) HandleChanges(changes []meta.Change) {
	for _, c := range changes {
		switch c.Topic {
		case meta.TopicUser, meta.TopicRole, meta.TopicGroup, meta.TopicPolicy:
			account, _, _ := strings.Cut(c.Key, "/")
			a.mu.Lock()
			a.gen++
			for k := range a.sets {
				// A managed policy (key: its ARN) may be attached in any
				// account, AWS managed ones in all: drop every set.
				if k.account == account || c.Topic == meta.TopicPolicy {
					delete(a.sets, k)
				}
			}
			a.mu.Unlock()
		}
	}
}

// Decide evaluates req for the caller of ctx.
func (a *Authorizer) Decide(ctx context.Context, req Request) (policy.Decision, error) {
	in, err := a.input(ctx, auth.FromContext(ctx), req)
	if err != nil {
		return policy.Decision{}, err
	}
	return policy.Decide(in), nil
}

// Check returns nil when req is allowed, and otherwise an errs.Denied error
// worded as AWS words it.
func (a *Authorizer) Check(ctx context.Context, req Request) error {
	d, err := a.Decide(ctx, req)
	if err != nil {
		return err
	}
	if d.Allowed() {
		return nil
	}
	return Denied(auth.CallerFrom(ctx), req.Action, req.Resource, d)
}

// Authorize checks action on resource in the caller's own account with no
// resource policy; it suits services whose resources have no policies of
// their own (IAM, Organizations).
func (a *Authorizer) Authorize(ctx context.Context, action, resource string) error {
	return a.Check(ctx, Request{Action: action, Resource: resource})
}

// ReasonDenied is the errs reason of authorization failures.
const ReasonDenied = "AccessDenied"

// Denied returns the error for a denied request, worded as IAM words it:
// "User: ARN is not authorized to perform: ACTION on resource: RES because
// no identity-based policy allows the ACTION action".
func Denied(c *auth.Caller, action, resource string, d policy.Decision) error {
	who := c.ARN
	if c.Kind == auth.Anonymous {
		who = "anonymous"
	}
	var why string
	switch {
	case d.Effect == policy.ExplicitDeny:
		why = "with an explicit deny in " + article(d.DeniedBy.String()) + " " + d.DeniedBy.String()
	case d.DeniedBy != 0:
		why = "because no " + d.DeniedBy.String() + " allows the " + action + " action"
	default:
		why = "because no identity-based policy allows the " + action + " action"
	}
	return errs.E(errs.Denied, ReasonDenied, "User: %s is not authorized to perform: %s on resource: %s %s", who, action, resource, why)
}

// Compile returns the compiled policy of doc parsed as kind, labelled
// source, parsing each distinct document once. Services use it for the
// resource policies they pass in Request.ResourcePolicy (a role's trust
// policy, for example), so those are cached like identity policies.
func (a *Authorizer) Compile(kind policy.Kind, source, doc string) (*policy.Policy, error) {
	return a.compile(kind, source, doc)
}

// compile returns the compiled policy of doc, parsing it once.
func (a *Authorizer) compile(kind policy.Kind, source, doc string) (*policy.Policy, error) {
	key := kind.String() + "\x00" + source + "\x00" + doc
	a.mu.RLock()
	p := a.compiled[key]
	a.mu.RUnlock()
	if p != nil {
		return p, nil
	}
	p, err := policy.Parse([]byte(doc), kind)
	if err != nil {
		return nil, fmt.Errorf("stored policy %s does not parse: %w", source, err)
	}
	p.Name = source
	a.mu.Lock()
	if len(a.compiled) > 10000 { // bound memory; documents are parsed again on demand
		clear(a.compiled)
	}
	a.compiled[key] = p
	a.mu.Unlock()
	return p, nil
}

// article returns "an" before a vowel sound, else "a".
func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an"
	}
	return "a"
}
