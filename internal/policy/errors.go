package policy

import (
	"strconv"
	"strings"
)

// Error is a policy document that IAM (or S3) would reject. Callers map it
// to MalformedPolicyDocument (IAM), MalformedPolicy (S3) or
// InvalidResourcePolicy (S3 Control); Error() is the message to send, in
// the service's wording where known.
type Error struct {
	// Reason classifies the problem.
	Reason ErrorReason
	// Statement is the index of the offending statement, or -1 when the
	// problem is in the document as a whole.
	Statement int
	// Sid is the offending statement's Sid, if it has one.
	Sid string
	// Field is the element at fault: "Version", "Statement", "Sid",
	// "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
	// "Resource", "NotResource", "Condition", or "" for JSON syntax.
	Field string
	// Value is the offending value, when there is one.
	Value string
	// Message is the AWS-worded message returned by Error.
	Message string
	// Line and Column locate the problem in the document (1-based), or are
	// 0 when unknown.
	Line, Column int
	// Detail is a longer explanation for logs; it is never sent to clients.
	Detail string
}

// Error returns the AWS-worded message, suitable for the wire.
func (e *Error) Error() string { return e.Message }

// Location describes where the error is, for logs: "statement 2 (Sid
// "Read"), Action, line 7 column 5".
func (e *Error) Location() string {
	var parts []string
	if e.Statement >= 0 {
		s := "statement " + strconv.Itoa(e.Statement)
		if e.Sid != "" {
			s += " (Sid " + strconv.Quote(e.Sid) + ")"
		}
		parts = append(parts, s)
	}
	if e.Field != "" {
		parts = append(parts, e.Field)
	}
	if e.Line > 0 {
		parts = append(parts, "line "+strconv.Itoa(e.Line)+" column "+strconv.Itoa(e.Column))
	}
	return strings.Join(parts, ", ")
}

// ErrorReason classifies an Error.
type ErrorReason uint8

// Error reasons.
const (
	// ErrSyntax: not JSON, wrong JSON types, or unknown elements.
	ErrSyntax ErrorReason = iota + 1
	// ErrVersion: a Version other than 2012-10-17 or 2008-10-17.
	ErrVersion
	// ErrMissing: a required element is absent or empty.
	ErrMissing
	// ErrProhibited: an element this kind of policy must not have.
	ErrProhibited
	// ErrEffect: an Effect other than "Allow" or "Deny".
	ErrEffect
	// ErrPrincipal: a principal IAM would not accept.
	ErrPrincipal
	// ErrAction: a malformed action.
	ErrAction
	// ErrResource: a malformed resource.
	ErrResource
	// ErrCondition: an unknown condition operator or an invalid key.
	ErrCondition
	// ErrSid: a duplicate or (for IAM) non-alphanumeric Sid.
	ErrSid
)

// msgID names a message; text picks IAM's or S3's wording by policy kind.
type msgID uint8

const (
	msgJSON msgID = iota
	msgSyntax
	msgVersion
	msgStatementMissing
	msgStatementEmpty
	msgEffectMissing
	msgEffectInvalid
	msgActionMissing
	msgResourceMissing
	msgPrincipalMissing
	msgPrincipalInIdentity
	msgProhibited
	msgPrincipalInvalid
	msgActionVendor
	msgActionColons
	msgActionVendorWildcard
	msgTrustAction
	msgResourceFormat
	msgConditionType
	msgConditionKey
	msgSidUnique
	msgSidChars
)

// iamMessages and s3Messages hold the wording of IAM (identity and trust
// policies) and S3 (resource policies). "%s" is replaced by a value.
// Sources: messages IAM and S3 return, as quoted in public issue trackers,
// and the IAM User Guide; see the package tests for each case.
var iamMessages = [...]string{
	msgJSON:                 "Syntax errors in policy.",
	msgSyntax:               "Syntax errors in policy.",
	msgVersion:              "The policy failed legacy parsing",
	msgStatementMissing:     "Syntax errors in policy.",
	msgStatementEmpty:       "Syntax errors in policy.",
	msgEffectMissing:        "Missing required field Effect",
	msgEffectInvalid:        "The policy failed legacy parsing",
	msgActionMissing:        "Policy statement must contain actions.",
	msgResourceMissing:      "Policy statement must contain resources.",
	msgPrincipalMissing:     "Missing required field Principal",
	msgPrincipalInIdentity:  "Policy document should not specify a principal.",
	msgProhibited:           "Has prohibited field %s",
	msgPrincipalInvalid:     "Invalid principal in policy: %s",
	msgActionVendor:         "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
	msgActionColons:         "Actions/Condition can contain only one colon.",
	msgActionVendorWildcard: "Action vendors (e.g., aws, ec2, etc.) must not contain wildcards.",
	msgTrustAction:          "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML, and sts:AssumeRoleWithWebIdentity",
	msgResourceFormat:       "Resource %s must be in ARN format or \"*\".",
	msgConditionType:        "Invalid Condition type : %s",
	msgConditionKey:         "Policy has an invalid condition key",
	msgSidUnique:            "Statement IDs (SID) in a single policy must be unique.",
	msgSidChars:             "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*",
}

var s3Messages = [...]string{
	msgJSON:                 "Policies must be valid JSON and the first byte must be '{'",
	msgSyntax:               "Syntax errors in policy.",
	msgVersion:              "The policy failed legacy parsing",
	msgStatementMissing:     "Missing required field Statement",
	msgStatementEmpty:       "Could not parse the policy: Statement is empty!",
	msgEffectMissing:        "Missing required field Effect",
	msgEffectInvalid:        "Invalid effect: %s",
	msgActionMissing:        "Missing required field Action",
	msgResourceMissing:      "Missing required field Resource",
	msgPrincipalMissing:     "Missing required field Principal",
	msgPrincipalInIdentity:  "Policy document should not specify a principal.",
	msgProhibited:           "Has prohibited field %s",
	msgPrincipalInvalid:     "Invalid principal in policy",
	msgActionVendor:         "Policy has invalid action",
	msgActionColons:         "Policy has invalid action",
	msgActionVendorWildcard: "Policy has invalid action",
	msgTrustAction:          "Policy has invalid action",
	msgResourceFormat:       "Policy has invalid resource",
	msgConditionType:        "Invalid Condition type : %s",
	msgConditionKey:         "Policy has an invalid condition key",
	msgSidUnique:            "Statement IDs (SID) in a single policy must be unique.",
	msgSidChars:             "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*",
}

func messageText(kind Kind, id msgID, value string) string {
	t := iamMessages[id]
	if kind == Resource {
		t = s3Messages[id]
	}
	return strings.Replace(t, "%s", value, 1)
}
