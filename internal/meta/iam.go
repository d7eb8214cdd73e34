package meta

import (
	"context"
	"time"
)

// Tag is a key/value pair attached to a resource.
type Tag struct {
	Key   string
	Value string
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

// IAMStore keeps IAM entities.
type IAMStore interface {
	// GetUser returns a user by name (case-insensitive, as IAM).
	GetUser(ctx context.Context, account, name string) (User, error)
	// GetRole returns a role by name (case-insensitive, as IAM).
	GetRole(ctx context.Context, account, name string) (Role, error)
	// UserPolicies returns every identity policy of a user.
	UserPolicies(ctx context.Context, account, name string) (PrincipalPolicies, error)
	// RolePolicies returns every identity policy of a role.
	RolePolicies(ctx context.Context, account, name string) (PrincipalPolicies, error)
	// PolicyDocument returns the default version's document of a managed
	// policy.
	PolicyDocument(ctx context.Context, arn string) (string, error)
}
