// Package iam is AWS Identity and Access Management as grantd serves it:
// users, groups, roles, access keys, inline and managed policies,
// permissions boundaries, tags, OIDC identity providers, the account
// authorization report and the policy simulator.
//
// IAM is per account: every operation acts in the caller's own account,
// and every operation is first authorized through internal/authz on the
// resource the Service Authorization Reference names (so an account's root
// user may do anything in its account, and nothing with another account's
// policies or providers). Policy documents are validated with
// internal/policy, the engine that also decides real requests and the
// simulator's answers. The package knows nothing of HTTP or SQL: errors
// are errs kinds whose Reason is IAM's error code, for iamapi to render.
package iam

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
	"unicode"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/authz"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
)

// Store is what the service keeps its records in.
type Store interface {
	meta.IAMStore
	GetAccount(ctx context.Context, id string) (meta.Account, error)
	GetAccessKey(ctx context.Context, id string) (meta.AccessKey, error)
}

// Authorizer decides whether the caller of ctx may make a request.
type Authorizer interface {
	Check(ctx context.Context, r authz.Request) error
}

// Service implements the IAM operations.
type Service struct {
	store Store
	authz Authorizer
	now   func() time.Time
	rand  io.Reader
}

// Options configure New.
type Options struct {
	Store Store
	Authz Authorizer
	Now   func() time.Time
	// Rand is the source of entity IDs and secrets; nil means crypto/rand.
	Rand io.Reader
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

// Quotas from "IAM and AWS STS quotas"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
// Policy sizes count characters without whitespace, as IAM does.
const (
	MaxAccessKeysPerUser   = 2
	MaxGroupsPerUser       = 10
	MaxManagedPerEntity    = 10
	MaxTags                = 50
	MaxPolicyVersions      = 5
	MaxUserInlineSize      = 2048
	MaxGroupInlineSize     = 5120
	MaxRoleInlineSize      = 10240
	MaxManagedPolicySize   = 6144
	MaxTrustPolicySize     = 2048
	MaxClientIDsPerOIDC    = 100
	MaxThumbprintsPerOIDC  = 5
	defaultMaxItems        = 100
	defaultSessionDuration = 3600
)

// Error constructors; the Reason is IAM's error code.
func noSuchEntity(format string, args ...any) error {
	return errs.E(errs.NotFound, "NoSuchEntity", format, args...)
}

func alreadyExists(format string, args ...any) error {
	return errs.E(errs.Conflict, "EntityAlreadyExists", format, args...)
}

func deleteConflict(format string, args ...any) error {
	return errs.E(errs.Conflict, "DeleteConflict", format, args...)
}

func limitExceeded(format string, args ...any) error {
	return errs.E(errs.LimitExceeded, "LimitExceeded", format, args...)
}

func invalidInput(format string, args ...any) error {
	return errs.E(errs.Invalid, "InvalidInput", format, args...)
}

func validationError(format string, args ...any) error {
	return errs.E(errs.Invalid, "ValidationError", format, args...)
}

// caller returns the caller and the account IAM acts in.
func caller(ctx context.Context) (*auth.Caller, string) {
	c := auth.CallerFrom(ctx)
	return c, c.Account
}

// authorize checks iam:action on resource in the caller's account.
func (s *Service) authorize(ctx context.Context, action, resource string, keys ...authz.Key) error {
	return s.authz.Check(ctx, authz.Request{Action: "iam:" + action, Resource: resource, Keys: keys})
}

// authorizeARN checks iam:action on an IAM resource named by ARN, which
// may belong to another account (denied unless that account allows it)
// or to AWS (managed policies, readable by everyone).
func (s *Service) authorizeARN(ctx context.Context, action, arn string, keys ...authz.Key) error {
	acct := arnAccount(arn)
	if acct == "aws" || acct == "" {
		acct = auth.CallerFrom(ctx).Account
	}
	return s.authz.Check(ctx, authz.Request{Action: "iam:" + action, Resource: arn, ResourceAccount: acct, Keys: keys})
}

// arnAccount returns the account field of an ARN ("" when malformed).
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

func entityARN(account, typ, path, name string) string {
	if path == "" {
		path = "/"
	}
	return "arn:aws:iam::" + account + ":" + typ + path + name
}

const base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// newID returns an IAM unique ID: the 4-letter prefix (AIDA, AROA, AGPA,
// ANPA) and 17 upper-case base32 characters, 21 in all like AWS's.
func (s *Service) newID(prefix string) (string, error) {
	return randomString(s.rand, prefix, base32Alphabet, 17)
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

// storeErr maps the store's errors that need no context: an *InUseError
// or ErrLimitExceeded left unmapped by the caller is an internal error.
func storeErr(err error, what string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// isNotFound reports meta.ErrNotFound.
func isNotFound(err error) bool { return errors.Is(err, meta.ErrNotFound) }

// policySize is a document's length as IAM's quotas count it: characters
// other than whitespace.
func policySize(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// tagKeys returns the condition keys of a tagging request.
func tagKeys(tags []meta.Tag) []authz.Key {
	if len(tags) == 0 {
		return nil
	}
	keys := make([]authz.Key, 0, len(tags)+1)
	names := make([]string, len(tags))
	for i, t := range tags {
		keys = append(keys, authz.Key{Name: "aws:RequestTag/" + t.Key, Values: []string{t.Value}})
		names[i] = t.Key
	}
	return append(keys, authz.Key{Name: "aws:TagKeys", Values: names})
}

// checkTags rejects duplicate keys (tag keys are case-insensitive).
func checkTags(tags []meta.Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		k := strings.ToLower(t.Key)
		if seen[k] {
			return invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
		if strings.HasPrefix(k, "aws:") {
			return invalidInput("User-defined tags cannot have a key beginning with aws:")
		}
	}
	if len(tags) > MaxTags {
		return limitExceeded("The number of tags has reached the maximum limit.")
	}
	return nil
}

func errorf(reason, format string, args ...any) error {
	return errs.E(errs.Invalid, reason, format, args...)
}

// nameKey is the case-folded form under which IAM names are unique (the
// store's cursor for name-ordered lists).
func nameKey(name string) string { return strings.ToLower(name) }
