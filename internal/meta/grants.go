package meta

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Change-feed topics of S3 Access Grants. Keys are GrantsInstanceKey(…)
// for instances and resource policies, GrantsKey(…) for locations and
// grants. A tag change is reported under the tagged resource's topic.
const (
	TopicGrantsInstance = "grantsinstance"
	TopicGrantsPolicy   = "grantspolicy"
	TopicGrantsLocation = "grantslocation"
	TopicGrant          = "grant"
)

// Errors of the grants store besides ErrNotFound, ErrExists and ErrConflict.
var (
	// ErrNotEmpty: an instance still has locations, or a location still
	// has grants. It is also an ErrConflict.
	ErrNotEmpty = fmt.Errorf("%w: not empty", ErrConflict)
	// ErrQuota: the write would exceed the quota the caller passed.
	ErrQuota = errors.New("meta: quota exceeded")
	// ErrInvalidCursor: Page.After is not a cursor this store returned.
	ErrInvalidCursor = errors.New("meta: invalid page cursor")
)

// GrantsInstanceKey is the change-feed key of the instance of account in
// region: "ACCOUNT/REGION".
func GrantsInstanceKey(account, region string) string { return account + "/" + region }

// GrantsKey is the change-feed key of a location or grant: "ACCOUNT/REGION/ID".
func GrantsKey(account, region, id string) string { return account + "/" + region + "/" + id }

// GrantsInstance is an S3 Access Grants instance: at most one per account
// and region. Its ID is always "default".
type GrantsInstance struct {
	Account string
	Region  string
	// IdentityCenterInstanceARN is the associated IAM Identity Center
	// instance; IdentityCenterApplicationARN the application made for it.
	// Both are empty when no Identity Center is associated.
	IdentityCenterInstanceARN    string
	IdentityCenterApplicationARN string
	CreatedAt                    time.Time
}

// GrantsResourcePolicy is the resource policy of an instance.
type GrantsResourcePolicy struct {
	// Policy is the JSON document exactly as it was put.
	Policy       string
	Organization string
	CreatedAt    time.Time
}

// GrantsInstanceState is an instance with what authorizing a request on it
// needs, read in one snapshot.
type GrantsInstanceState struct {
	Instance GrantsInstance
	// Policy is nil when the instance has no resource policy.
	Policy *GrantsResourcePolicy
	Tags   []Tag
}

// GrantsLocation is a registered location of an instance.
type GrantsLocation struct {
	Account string
	Region  string
	// ID is "default" for the scope s3://, else a UUID.
	ID string
	// Scope is the location scope: s3://, s3://bucket or s3://bucket/prefix.
	// Scopes that differ only by one trailing "/" are the same location.
	Scope      string
	IAMRoleARN string
	CreatedAt  time.Time
}

// AccessGrant is a grant of an instance.
type AccessGrant struct {
	Account    string
	Region     string
	ID         string
	LocationID string
	// GranteeType is IAM, DIRECTORY_USER or DIRECTORY_GROUP.
	GranteeType       string
	GranteeIdentifier string
	// Permission is READ, WRITE or READWRITE.
	Permission string
	// SubPrefix is the S3SubPrefix as given at creation; empty when none
	// was given.
	SubPrefix string
	// PrefixType is "Object" for a grant on one object, else empty.
	PrefixType string
	// GrantScope is the location scope joined with SubPrefix.
	GrantScope     string
	ApplicationARN string
	CreatedAt      time.Time
}

// GrantFilter narrows ListGrants. Empty fields match everything; the
// others must all match.
type GrantFilter struct {
	GranteeType       string
	GranteeIdentifier string
	Permission        string
	// ScopePrefix matches grants whose GrantScope begins with it.
	ScopePrefix    string
	ApplicationARN string
}

// GrantsResourceKind names what a GrantsResource is.
type GrantsResourceKind string

// The taggable kinds of Access Grants resources.
const (
	GrantsInstanceResource GrantsResourceKind = "instance"
	GrantsLocationResource GrantsResourceKind = "location"
	GrantResource          GrantsResourceKind = "grant"
)

// GrantsResource names a taggable Access Grants resource. ID is empty for
// an instance.
type GrantsResource struct {
	Account string
	Region  string
	Kind    GrantsResourceKind
	ID      string
}

// GrantsStore keeps S3 Access Grants instances, their resource policies,
// locations, grants and tags. Every mutation records a change-feed entry.
//
// List methods page by keyset on (CreatedAt, ID): the cursor they return
// (empty on the last page) is passed back as Page.After. A record created
// while a caller pages may or may not appear, but no record is skipped or
// repeated. To keep an in-memory copy of an instance's grants current,
// read LastChange, page through ListGrants, then apply TopicGrant changes
// after that sequence number.
type GrantsStore interface {
	// CreateGrantsInstance stores an instance with its tags; ErrExists if
	// the account has one in the region.
	CreateGrantsInstance(ctx context.Context, inst GrantsInstance, tags []Tag) error
	// GetGrantsInstance returns the instance of account in region.
	GetGrantsInstance(ctx context.Context, account, region string) (GrantsInstance, error)
	// GrantsInstanceState returns the instance with its policy and tags.
	GrantsInstanceState(ctx context.Context, account, region string) (GrantsInstanceState, error)
	// DeleteGrantsInstance deletes an instance with its policy and tags:
	// ErrNotEmpty while it has locations, ErrConflict while an Identity
	// Center instance is associated.
	DeleteGrantsInstance(ctx context.Context, account, region string) error
	// SetGrantsIdentityCenter records (or, with empty ARNs, removes) the
	// instance's Identity Center association.
	SetGrantsIdentityCenter(ctx context.Context, account, region, instanceARN, applicationARN string) error

	// PutGrantsResourcePolicy replaces the instance's resource policy.
	PutGrantsResourcePolicy(ctx context.Context, account, region string, p GrantsResourcePolicy) error
	// GetGrantsResourcePolicy returns the policy; ErrNotFound without one.
	GetGrantsResourcePolicy(ctx context.Context, account, region string) (GrantsResourcePolicy, error)
	// DeleteGrantsResourcePolicy removes the policy; nil if there was none.
	DeleteGrantsResourcePolicy(ctx context.Context, account, region string) error

	// CreateGrantsLocation stores a location: ErrNotFound without the
	// instance, ErrExists if the scope is registered, ErrQuota if the
	// instance has quota locations already.
	CreateGrantsLocation(ctx context.Context, loc GrantsLocation, tags []Tag, quota int) error
	// GetGrantsLocation returns one location.
	GetGrantsLocation(ctx context.Context, account, region, id string) (GrantsLocation, error)
	// UpdateGrantsLocation sets a location's IAM role and returns it.
	UpdateGrantsLocation(ctx context.Context, account, region, id, roleARN string) (GrantsLocation, error)
	// DeleteGrantsLocation deletes a location and its tags; ErrNotEmpty
	// while grants use it.
	DeleteGrantsLocation(ctx context.Context, account, region, id string) error
	// ListGrantsLocations returns a page of locations, only those whose
	// scope is scope when it is not empty.
	ListGrantsLocations(ctx context.Context, account, region, scope string, p Page) ([]GrantsLocation, string, error)

	// CreateGrant stores a grant: ErrNotFound without the instance or the
	// location, ErrExists if a grant with the same grantee, permission,
	// scope, prefix type and application exists, ErrQuota if the instance
	// has quota grants already.
	CreateGrant(ctx context.Context, g AccessGrant, tags []Tag, quota int) error
	// GetGrant returns one grant.
	GetGrant(ctx context.Context, account, region, id string) (AccessGrant, error)
	// DeleteGrant deletes a grant and its tags.
	DeleteGrant(ctx context.Context, account, region, id string) error
	// ListGrants returns a page of the instance's grants that match f.
	ListGrants(ctx context.Context, account, region string, f GrantFilter, p Page) ([]AccessGrant, string, error)

	// GrantsTags returns a resource's tags ordered by key; ErrNotFound
	// without the resource.
	GrantsTags(ctx context.Context, r GrantsResource) ([]Tag, error)
	// TagGrantsResource adds tags, replacing the values of existing keys;
	// ErrQuota if the resource would have more than max tags.
	TagGrantsResource(ctx context.Context, r GrantsResource, tags []Tag, max int) error
	// UntagGrantsResource removes the tags with the given keys.
	UntagGrantsResource(ctx context.Context, r GrantsResource, keys []string) error
}
