package meta

import (
	"context"
	"errors"
	"time"
)

// IAM records. Change-feed keys for IAM topics: TopicUser, TopicGroup and
// TopicRole use "ACCOUNT/name-lower-cased" (TopicUser also when a user's
// groups change), TopicPolicy the policy ARN (also for OIDC providers),
// TopicAccessKey the key ID.

// ErrLimitExceeded: the write would exceed a quota the caller passed
// (access keys per user, policy versions, inline policy size…).
var ErrLimitExceeded = errors.New("meta: limit exceeded")

// InUseError is returned (wrapping ErrConflict) when a record cannot be
// deleted because others still depend on it.
type InUseError struct {
	// Dependent names what is in the way: "access keys", "groups",
	// "members", "inline policies", "attached policies", "attachments",
	// "versions", "default version".
	Dependent string
}

// Error implements error.
func (e *InUseError) Error() string { return "meta: in use by " + e.Dependent }

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *InUseError) Unwrap() error { return ErrConflict }

// Tag is a key/value pair attached to a resource.
type Tag struct {
	Key   string
	Value string
}

// EntityType names the kind of an IAM entity or resource.
type EntityType string

// The entity types.
const (
	EntityUser   EntityType = "user"
	EntityGroup  EntityType = "group"
	EntityRole   EntityType = "role"
	EntityPolicy EntityType = "policy"
	EntityOIDC   EntityType = "oidc-provider"
)

// EntityRef names an IAM entity: a user, group or role by Name in
// Account, or a managed policy or OIDC provider by ARN (in Name).
type EntityRef struct {
	Account string
	Type    EntityType
	Name    string
}

// Role is an IAM role.
type Role struct {
	AccountID           string
	Name                string
	ID                  string // AROA…
	Path                string
	ARN                 string
	TrustPolicy         string // URL-decoded JSON
	Description         string
	MaxSessionDuration  int // seconds
	PermissionsBoundary string
	CreatedAt           time.Time
	Tags                []Tag
}

// InlinePolicy is a policy embedded in a user, group or role.
type InlinePolicy struct {
	Name     string
	Document string
	// Size is what counts against the owner's quota: the document's
	// length without whitespace.
	Size int
}

// NewRole is a role created with its policies in one transaction.
type NewRole struct {
	Role             Role
	InlinePolicies   []InlinePolicy
	AttachedPolicies []string // managed policy ARNs
}

// User is an IAM user.
type User struct {
	AccountID           string
	Name                string
	ID                  string // AIDA…
	Path                string
	ARN                 string
	PermissionsBoundary string
	CreatedAt           time.Time
	Tags                []Tag
}

// Group is an IAM group.
type Group struct {
	AccountID string
	Name      string
	ID        string // AGPA…
	Path      string
	ARN       string
	CreatedAt time.Time
}

// ManagedPolicy is a customer or AWS managed policy. The counts are those
// of the account it was read for.
type ManagedPolicy struct {
	ARN            string
	AccountID      string // "aws" for AWS managed policies
	Name           string
	ID             string // ANPA…
	Path           string
	Description    string
	DefaultVersion string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// AttachmentCount counts the users, groups and roles it is attached to.
	AttachmentCount int
	// BoundaryUsageCount counts the users and roles it bounds.
	BoundaryUsageCount int
	Tags               []Tag
}

// PolicyVersion is one version of a managed policy.
type PolicyVersion struct {
	VersionID string // v1, v2…
	Document  string
	IsDefault bool
	CreatedAt time.Time
}

// AttachedPolicy is a managed policy attached to an entity.
type AttachedPolicy struct {
	ARN  string
	Name string
}

// PolicyEntity is a user, group or role a policy is attached to.
type PolicyEntity struct {
	Type EntityType
	Name string
	ID   string
}

// OIDCProvider is an OpenID Connect identity provider.
type OIDCProvider struct {
	ARN         string
	AccountID   string
	URL         string // without https://
	ClientIDs   []string
	Thumbprints []string
	CreatedAt   time.Time
	Tags        []Tag
}

// PolicyDocument is one policy document with where it came from.
type PolicyDocument struct {
	// Source names the policy for decisions' reasons and the simulator:
	// a managed policy's ARN, or "user/NAME/POLICY", "group/NAME/POLICY",
	// "role/NAME/POLICY" for inline policies.
	Source   string
	Document string
}

// PrincipalPolicies are the identity policies that apply to a user or
// role, read in one snapshot.
type PrincipalPolicies struct {
	// Documents are the inline and attached policies (for users, also
	// those of their groups).
	Documents []PolicyDocument
	// Boundary is the permissions boundary, if one is set.
	Boundary *PolicyDocument
}

// ListFilter selects one page of a list of IAM entities ordered by
// lower-cased name (the cursor After is the last name returned).
type ListFilter struct {
	// PathPrefix keeps entities whose path starts with it; "" keeps all.
	PathPrefix string
	Page
}

// PolicyFilter selects one page of managed policies ordered by ARN (the
// cursor After is the last ARN returned).
type PolicyFilter struct {
	// Scope is "All" (or ""), "AWS" or "Local".
	Scope string
	// OnlyAttached keeps policies attached to an entity of the account.
	OnlyAttached bool
	// Usage is "PermissionsPolicy", "PermissionsBoundary" or "" for any
	// (with OnlyAttached: how the policy must be used).
	Usage      string
	PathPrefix string
	Page
}

// RoleUpdate lists the role fields to change; nil fields stay.
type RoleUpdate struct {
	Description        *string
	MaxSessionDuration *int
	TrustPolicy        *string
}

// IAMStore keeps IAM entities. Every method runs in one transaction; a
// missing user, group, role or policy is ErrNotFound, a taken name
// ErrExists, a quota passed by the caller ErrLimitExceeded and a delete
// blocked by dependents an *InUseError.
type IAMStore interface {
	// CreateUser stores u with its tags.
	CreateUser(ctx context.Context, u User) error
	// GetUser returns a user by name (case-insensitive, as IAM), with tags.
	GetUser(ctx context.Context, account, name string) (User, error)
	// ListUsers returns users ordered by lower-cased name, without tags.
	ListUsers(ctx context.Context, account string, f ListFilter) ([]User, error)
	// UpdateUser renames a user and/or changes its path ("" keeps each).
	UpdateUser(ctx context.Context, account, name, newName, newPath string) error
	// DeleteUser deletes a user with its tags; it fails with *InUseError
	// while the user has access keys, groups or policies.
	DeleteUser(ctx context.Context, account, name string) error

	// CreateGroup stores g.
	CreateGroup(ctx context.Context, g Group) error
	// GetGroup returns a group by name.
	GetGroup(ctx context.Context, account, name string) (Group, error)
	// ListGroups returns groups ordered by lower-cased name.
	ListGroups(ctx context.Context, account string, f ListFilter) ([]Group, error)
	// DeleteGroup deletes a group without members or policies.
	DeleteGroup(ctx context.Context, account, name string) error
	// AddUserToGroup adds a member (a no-op if it is one); a user may be
	// in at most maxGroups groups.
	AddUserToGroup(ctx context.Context, account, group, user string, maxGroups int) error
	// RemoveUserFromGroup removes a member; ErrNotFound if it is none.
	RemoveUserFromGroup(ctx context.Context, account, group, user string) error
	// ListGroupMembers returns a group's users ordered by lower-cased name.
	ListGroupMembers(ctx context.Context, account, group string, p Page) ([]User, error)
	// ListGroupsForUser returns a user's groups ordered by lower-cased name.
	ListGroupsForUser(ctx context.Context, account, user string, p Page) ([]Group, error)

	// CreateRole stores a role with its tags, inline and attached policies.
	CreateRole(ctx context.Context, nr NewRole) error
	// GetRole returns a role by name (case-insensitive, as IAM), with tags.
	GetRole(ctx context.Context, account, name string) (Role, error)
	// ListRoles returns roles ordered by lower-cased name, without tags.
	ListRoles(ctx context.Context, account string, f ListFilter) ([]Role, error)
	// UpdateRole changes the fields of u that are set.
	UpdateRole(ctx context.Context, account, name string, u RoleUpdate) error
	// DeleteRole deletes a role without policies.
	DeleteRole(ctx context.Context, account, name string) error

	// SetPermissionsBoundary sets (or with "" removes) the boundary of a
	// user or role; the policy must exist.
	SetPermissionsBoundary(ctx context.Context, e EntityRef, policyARN string) error

	// CreateAccessKey stores a key of an IAM user (k.UserName) or of the
	// root user (k.UserName ""); a user may hold at most max keys.
	CreateAccessKey(ctx context.Context, k AccessKey, max int) error
	// ListAccessKeys returns a user's (or with "" the root user's) keys
	// ordered by ID.
	ListAccessKeys(ctx context.Context, account, user string, p Page) ([]AccessKey, error)
	// UpdateAccessKey sets the status of a key of the user.
	UpdateAccessKey(ctx context.Context, account, user, id, status string) error
	// DeleteAccessKey deletes a key of the user.
	DeleteAccessKey(ctx context.Context, account, user, id string) error

	// PutInlinePolicy creates or replaces an inline policy of a user, group
	// or role, provided the sizes of its inline policies add up to at most
	// maxTotal.
	PutInlinePolicy(ctx context.Context, e EntityRef, p InlinePolicy, maxTotal int) error
	// GetInlinePolicy returns one inline policy.
	GetInlinePolicy(ctx context.Context, e EntityRef, name string) (InlinePolicy, error)
	// DeleteInlinePolicy deletes one inline policy.
	DeleteInlinePolicy(ctx context.Context, e EntityRef, name string) error
	// ListInlinePolicies returns the names of an entity's inline policies,
	// ordered by lower-cased name.
	ListInlinePolicies(ctx context.Context, e EntityRef, p Page) ([]string, error)

	// CreatePolicy stores a managed policy with its first version (v1,
	// the default) and tags.
	CreatePolicy(ctx context.Context, p ManagedPolicy, document string) error
	// GetPolicy returns a managed policy, with the attachment counts of
	// account and its tags.
	GetPolicy(ctx context.Context, account, arn string) (ManagedPolicy, error)
	// ListPolicies returns the managed policies visible in account (its
	// own and AWS's), without tags.
	ListPolicies(ctx context.Context, account string, f PolicyFilter) ([]ManagedPolicy, error)
	// DeletePolicy deletes a managed policy that is attached nowhere, is
	// no boundary and has only its default version.
	DeletePolicy(ctx context.Context, arn string) error
	// CreatePolicyVersion adds a version (made the default when
	// setDefault) to a policy holding fewer than max versions, and
	// returns it.
	CreatePolicyVersion(ctx context.Context, arn, document string, setDefault bool, max int, at time.Time) (PolicyVersion, error)
	// GetPolicyVersion returns one version.
	GetPolicyVersion(ctx context.Context, arn, version string) (PolicyVersion, error)
	// ListPolicyVersions returns every version, newest first.
	ListPolicyVersions(ctx context.Context, arn string) ([]PolicyVersion, error)
	// DeletePolicyVersion deletes a version that is not the default.
	DeletePolicyVersion(ctx context.Context, arn, version string) error
	// SetDefaultPolicyVersion makes a version the default.
	SetDefaultPolicyVersion(ctx context.Context, arn, version string, at time.Time) error

	// AttachPolicy attaches a managed policy to a user, group or role (a
	// no-op if attached); an entity may have at most max attached.
	AttachPolicy(ctx context.Context, e EntityRef, policyARN string, max int) error
	// DetachPolicy detaches it; ErrNotFound if it is not attached.
	DetachPolicy(ctx context.Context, e EntityRef, policyARN string) error
	// ListAttachedPolicies returns an entity's managed policies ordered by
	// ARN, keeping those whose path starts with pathPrefix.
	ListAttachedPolicies(ctx context.Context, e EntityRef, pathPrefix string, p Page) ([]AttachedPolicy, error)
	// ListEntitiesForPolicy returns the users, groups and roles of account
	// that the policy is attached to (usage "PermissionsPolicy" or "") or
	// bounds (usage "PermissionsBoundary" or ""), of the given types
	// (all when empty), ordered by ID.
	ListEntitiesForPolicy(ctx context.Context, account, arn, usage string, types []EntityType, pathPrefix string, p Page) ([]PolicyEntity, error)

	// TagResource adds or replaces tags of a user, role, policy or OIDC
	// provider, provided it ends with at most max tags.
	TagResource(ctx context.Context, e EntityRef, tags []Tag, max int) error
	// UntagResource removes the tags with the given keys.
	UntagResource(ctx context.Context, e EntityRef, keys []string) error
	// ListTags returns a resource's tags ordered by lower-cased key.
	ListTags(ctx context.Context, e EntityRef) ([]Tag, error)

	// CreateOIDCProvider stores a provider with its tags.
	CreateOIDCProvider(ctx context.Context, p OIDCProvider) error
	// GetOIDCProvider returns a provider with its tags.
	GetOIDCProvider(ctx context.Context, arn string) (OIDCProvider, error)
	// ListOIDCProviders returns an account's providers ordered by ARN.
	ListOIDCProviders(ctx context.Context, account string) ([]OIDCProvider, error)
	// UpdateOIDCProvider reads a provider, lets fn change its client IDs
	// and thumbprints, and writes it back in one transaction. An error
	// from fn is returned as is and writes nothing.
	UpdateOIDCProvider(ctx context.Context, arn string, fn func(*OIDCProvider) error) error
	// DeleteOIDCProvider deletes a provider and its tags.
	DeleteOIDCProvider(ctx context.Context, arn string) error

	// UserPolicies returns every identity policy of a user.
	UserPolicies(ctx context.Context, account, name string) (PrincipalPolicies, error)
	// RolePolicies returns every identity policy of a role.
	RolePolicies(ctx context.Context, account, name string) (PrincipalPolicies, error)
	// GroupPolicies returns the inline and attached policies of a group.
	GroupPolicies(ctx context.Context, account, name string) (PrincipalPolicies, error)
	// PolicyDocument returns the default version's document of a managed
	// policy.
	PolicyDocument(ctx context.Context, arn string) (string, error)
}
