package meta

import "time"

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
