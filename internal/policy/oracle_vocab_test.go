package policy_test

import (
	"strings"

	"github.com/grantd/grantd/internal/policy"
)

// The vocabulary of the differential test's generator: callers, actions,
// resources and condition keys, small enough that random policies often
// apply to random requests.

const (
	acctA = "111122223333"
	acctB = "444455556666"
)

// caller is a request principal as both implementations see it.
type caller struct {
	name string
	p    *policy.Principal
	// oracle is the principal string iam-simulate takes: the caller's ARN,
	// a service principal name, or "" for an anonymous request.
	oracle string
}

func (c *caller) typ() policy.PrincipalType { return c.p.Type }

// hasPrincipalPolicies reports callers that can have identity, boundary and
// session policies.
func (c *caller) hasPrincipalPolicies() bool {
	switch c.p.Type {
	case policy.User, policy.AssumedRole, policy.FederatedUser:
		return true
	}
	return false
}

// Callers. Web-identity callers and canonical-user principals are not
// generated: iam-simulate has no model of them (see DISAGREEMENTS.md).
// Federated users are named after the IAM user that federated, because
// iam-simulate derives the federating user's ARN from the session name.
var callers = []*caller{
	{name: "alice", p: &policy.Principal{Type: policy.User, Account: acctA, ARN: "arn:aws:iam::111122223333:user/alice", UserID: "AIDAALICEEXAMPLE"}},
	{name: "carol (with a path)", p: &policy.Principal{Type: policy.User, Account: acctA, ARN: "arn:aws:iam::111122223333:user/division/carol", UserID: "AIDACAROLEXAMPLE"}},
	{name: "bob (account B)", p: &policy.Principal{Type: policy.User, Account: acctB, ARN: "arn:aws:iam::444455556666:user/bob", UserID: "AIDABOBEXAMPLE"}},
	{name: "dev/s1 role session", p: &policy.Principal{Type: policy.AssumedRole, Account: acctA, ARN: "arn:aws:sts::111122223333:assumed-role/dev/s1", RoleARN: "arn:aws:iam::111122223333:role/dev", UserID: "AROADEVEXAMPLE:s1"}},
	{name: "ops/s2 session of a role with a path", p: &policy.Principal{Type: policy.AssumedRole, Account: acctA, ARN: "arn:aws:sts::111122223333:assumed-role/ops/s2", RoleARN: "arn:aws:iam::111122223333:role/service-role/ops", UserID: "AROAOPSEXAMPLE:s2"}},
	{name: "auditor/a1 session (account B)", p: &policy.Principal{Type: policy.AssumedRole, Account: acctB, ARN: "arn:aws:sts::444455556666:assumed-role/auditor/a1", RoleARN: "arn:aws:iam::444455556666:role/auditor", UserID: "AROAAUDITOREXAMPLE:a1"}},
	{name: "federated user alice", p: &policy.Principal{Type: policy.FederatedUser, Account: acctA, ARN: "arn:aws:sts::111122223333:federated-user/alice", UserARN: "arn:aws:iam::111122223333:user/alice"}},
	{name: "federated user bob (account B)", p: &policy.Principal{Type: policy.FederatedUser, Account: acctB, ARN: "arn:aws:sts::444455556666:federated-user/bob", UserARN: "arn:aws:iam::444455556666:user/bob"}},
	{name: "root of A", p: &policy.Principal{Type: policy.Root, Account: acctA, ARN: "arn:aws:iam::111122223333:root"}},
	{name: "root of B", p: &policy.Principal{Type: policy.Root, Account: acctB, ARN: "arn:aws:iam::444455556666:root"}},
	{name: "access-grants service", p: &policy.Principal{Type: policy.Service, Service: "access-grants.s3.amazonaws.com"}, oracle: "access-grants.s3.amazonaws.com"},
	{name: "cloudtrail service", p: &policy.Principal{Type: policy.Service, Service: "cloudtrail.amazonaws.com"}, oracle: "cloudtrail.amazonaws.com"},
	{name: "anonymous", p: &policy.Principal{Type: policy.Anonymous}},
}

func init() {
	for _, c := range callers {
		if c.oracle == "" && c.p.Type != policy.Anonymous {
			c.oracle = c.p.ARN
		}
	}
}

// AWS principal values for Principal and NotPrincipal elements.
var (
	awsPrincipals = []string{
		"*", acctA, acctB, "arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root",
		"arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/division/carol",
		"arn:aws:iam::444455556666:user/bob", "arn:aws:iam::111122223333:user/mallory",
		"arn:aws:iam::111122223333:role/dev", "arn:aws:iam::111122223333:role/service-role/ops",
		"arn:aws:iam::444455556666:role/auditor",
		"arn:aws:sts::111122223333:assumed-role/dev/s1", "arn:aws:sts::111122223333:assumed-role/dev/other",
		"arn:aws:sts::111122223333:assumed-role/ops/s2", "arn:aws:sts::444455556666:assumed-role/auditor/a1",
		"arn:aws:sts::111122223333:federated-user/alice", "arn:aws:sts::444455556666:federated-user/bob",
	}
	servicePrincipals = []string{"access-grants.s3.amazonaws.com", "cloudtrail.amazonaws.com", "ec2.amazonaws.com"}
)

// relatedPrincipals are the AWS principal values that name c or a link of
// its chain (account, role, federating user); the generator prefers them so
// that resource policies often apply.
func relatedPrincipals(c *caller) []string {
	p := c.p
	switch p.Type {
	case policy.Anonymous:
		return []string{"*"}
	case policy.Service:
		return nil
	}
	out := []string{p.Account, "arn:aws:iam::" + p.Account + ":root", p.ARN}
	if p.RoleARN != "" {
		out = append(out, p.RoleARN)
	}
	if p.UserARN != "" {
		out = append(out, p.UserARN)
	}
	return out
}

// resKind is the type of the resource a request acts on.
type resKind uint8

const (
	object resKind = iota
	bucket
	queue
	role
)

// requestAction is an action requests are made with, and the action patterns
// that match it.
type requestAction struct {
	name     string
	kind     resKind
	patterns []string
}

var requestActions = []requestAction{
	{"s3:GetObject", object, []string{"s3:GetObject", "s3:Get*", "s3:*Object", "s3:getobject", "s3:Get?bject"}},
	{"s3:PutObject", object, []string{"s3:PutObject", "s3:Put*", "s3:*Object", "s3:*"}},
	{"s3:DeleteObject", object, []string{"s3:DeleteObject", "s3:Delete*", "s3:*Object"}},
	{"s3:ListBucket", bucket, []string{"s3:ListBucket", "s3:List*", "s3:*Bucket", "s3:*"}},
	{"s3:GetBucketPolicy", bucket, []string{"s3:GetBucketPolicy", "s3:Get*", "s3:*Policy"}},
	{"sqs:SendMessage", queue, []string{"sqs:SendMessage", "sqs:Send*", "sqs:*Message", "sqs:*"}},
	{"sqs:ReceiveMessage", queue, []string{"sqs:ReceiveMessage", "sqs:*Message", "sqs:receive*"}},
	{"sts:AssumeRole", role, []string{"sts:AssumeRole", "sts:Assume*", "sts:*"}},
}

// otherActions are patterns that match other actions or everything.
var otherActions = []string{"*", "s3:*", "sqs:*", "iam:PassRole", "s3:ListAllMyBuckets", "S3:GetObject", "s3:*Tagging"}

// Request resources and the Resource patterns written for each kind.
var (
	requestResources = map[resKind][]string{
		object: {"arn:aws:s3:::b1/k1", "arn:aws:s3:::b1/home/alice/notes.txt", "arn:aws:s3:::b1/home/carol/x", "arn:aws:s3:::b2/red/k1", "arn:aws:s3:::b2/blue", "arn:aws:s3:::b3/k1"},
		bucket: {"arn:aws:s3:::b1", "arn:aws:s3:::b2", "arn:aws:s3:::b3"},
		queue:  {"arn:aws:sqs:us-east-1:111122223333:q1", "arn:aws:sqs:us-east-1:444455556666:q2"},
		role:   {"arn:aws:iam::111122223333:role/target", "arn:aws:iam::444455556666:role/target"},
	}
	resourcePatterns = map[resKind][]string{
		object: {
			"arn:aws:s3:::b1/*", "arn:aws:s3:::b1/k1", "arn:aws:s3:::b?/*", "arn:aws:s3:::*/k1",
			"arn:aws:s3:::b1/home/${aws:username}/*", "arn:aws:s3:::b2/${aws:PrincipalTag/team}/*",
			"arn:aws:s3:::b2/${aws:PrincipalTag/team, 'red'}*", "arn:aws:s3:::b1/home/*", "arn:aws:s3:::b1*",
			"arn:aws:s3:::B1/*", "arn:aws:s3:*:*:b1/*", "arn:aws:s3:::b1/k?", "arn:aws:s3:::b1/${*}",
		},
		bucket: {"arn:aws:s3:::b1", "arn:aws:s3:::b*", "arn:aws:s3:::b1/*", "arn:aws:s3:::b?"},
		queue:  {"arn:aws:sqs:us-east-1:111122223333:q1", "arn:aws:sqs:*:111122223333:*", "arn:aws:sqs:us-east-1:*:q?", "arn:aws:sqs:us-east-1:444455556666:*"},
		role:   {"arn:aws:iam::111122223333:role/target", "arn:aws:iam::*:role/t*", "arn:aws:iam::111122223333:role/*"},
	}
)

// keyKind is the condition-operator family that fits a context key.
type keyKind uint8

const (
	kString keyKind = iota
	kNumeric
	kDate
	kBool
	kIP
	kARN
)

// keyDef is a condition key the generator uses.
type keyDef struct {
	name  string
	kind  keyKind
	multi bool
	// only lists the request actions whose request context has the key
	// (iam-simulate drops keys not defined for the action); nil means a
	// global key.
	only []string
	// principal keys are set from the caller (Principal.AddToContext)
	// rather than drawn from req.
	principal bool
	// req are request values (for a multivalued key, the possible members).
	req []string
	// pol are policy values, some with wildcards or policy variables.
	pol []string
}

func (k *keyDef) appliesTo(action string) bool {
	if k.only == nil {
		return true
	}
	for _, a := range k.only {
		if a == action {
			return true
		}
	}
	return false
}

var keyDefs = []*keyDef{
	{name: "aws:SourceIp", kind: kIP, req: []string{"203.0.113.5", "198.51.100.7", "10.1.2.3", "2001:db8::1", "192.0.2.200"},
		pol: []string{"203.0.113.0/24", "10.0.0.0/8", "198.51.100.7", "198.51.100.7/32", "2001:db8::/32", "192.0.2.0/25", "0.0.0.0/0", "198.51.100.0/31", "2001:db8::1/128", "203.0.113.5/24"}},
	{name: "aws:SecureTransport", kind: kBool, req: []string{"true", "false"}, pol: []string{"true", "false"}},
	{name: "aws:MultiFactorAuthPresent", kind: kBool, req: []string{"true", "false"}, pol: []string{"true", "false", "TRUE"}},
	{name: "aws:CurrentTime", kind: kDate, req: []string{"2024-01-01T00:00:00Z", "2025-06-15T12:30:00Z", "2026-03-01T08:00:00Z"},
		pol: []string{"2025-01-01T00:00:00Z", "2025-06-15T12:30:00Z", "2024-06-01", "2025-06-15T14:30:00+02:00", "2026-03-01T08:00:00.000Z", "2025-12-31T23:59:59Z", "1735689600"}},
	{name: "aws:EpochTime", kind: kDate, req: []string{"1700000000", "1735689600", "1760000000"},
		pol: []string{"1735689600", "1750000000", "1760000000", "1700000001", "2025-01-01T00:00:00Z"}},
	{name: "aws:MultiFactorAuthAge", kind: kNumeric, req: []string{"0", "30", "3600", "86400"}, pol: []string{"3600", "30", "86400", "100.5", "0"}},
	{name: "s3:max-keys", kind: kNumeric, only: []string{"s3:ListBucket"}, req: []string{"10", "1000", "5000"}, pol: []string{"1000", "100", "10.0"}},
	{name: "aws:PrincipalTag/team", kind: kString, req: []string{"red", "blue", "Red"}, pol: []string{"red", "blue", "r*", "R?d", "${aws:username}"}},
	{name: "aws:RequestTag/env", kind: kString, req: []string{"prod", "dev"}, pol: []string{"prod", "dev", "p*", "${aws:PrincipalTag/team, 'prod'}"}},
	{name: "aws:PrincipalOrgID", kind: kString, req: []string{"o-aaaa1111", "o-bbbb2222"}, pol: []string{"o-aaaa1111", "o-*"}},
	{name: "aws:username", kind: kString, principal: true, pol: []string{"alice", "carol", "Alice", "a*", "${aws:PrincipalTag/team}"}},
	{name: "aws:PrincipalType", kind: kString, principal: true, pol: []string{"User", "AssumedRole", "Account", "FederatedUser", "Anonymous"}},
	{name: "aws:PrincipalAccount", kind: kString, principal: true, pol: []string{acctA, acctB}},
	{name: "aws:userid", kind: kString, principal: true, pol: []string{"AIDAALICEEXAMPLE", "AROADEVEXAMPLE:*", "*:s1", "${aws:PrincipalAccount}:*"}},
	{name: "aws:PrincipalArn", kind: kARN, principal: true, pol: []string{"arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:role/*", "arn:aws:iam::*:user/*", "arn:aws:iam::111122223333:user/${aws:username}", "arn:aws:iam::444455556666:*"}},
	{name: "aws:SourceArn", kind: kARN, req: []string{"arn:aws:sqs:us-east-1:111122223333:q1", "arn:aws:s3:::b1", "arn:aws:sns:us-east-1:444455556666:topic"},
		pol: []string{"arn:aws:sqs:*:111122223333:*", "arn:aws:s3:::b*", "arn:aws:sns:us-east-1:444455556666:topic", "arn:aws:sqs:us-east-1:111122223333:q?"}},
	{name: "aws:TagKeys", kind: kString, multi: true, req: []string{"env", "team", "cost"}, pol: []string{"env", "team", "t*", "Env"}},
	{name: "aws:CalledVia", kind: kString, multi: true, req: []string{"athena.amazonaws.com", "cloudformation.amazonaws.com"}, pol: []string{"athena.amazonaws.com", "*.amazonaws.com"}},
	{name: "s3:prefix", kind: kString, only: []string{"s3:ListBucket"}, req: []string{"home/alice/", "home/", "public/x"}, pol: []string{"home/", "home/${aws:username}/*", "public/*", "home/*"}},
	{name: "s3:x-amz-acl", kind: kString, only: []string{"s3:PutObject"}, req: []string{"private", "public-read"}, pol: []string{"private", "public-*"}},
	{name: "s3:ExistingObjectTag/team", kind: kString, only: []string{"s3:GetObject"}, req: []string{"red", "blue"}, pol: []string{"red", "${aws:PrincipalTag/team}"}},
	{name: "s3:RequestObjectTagKeys", kind: kString, multi: true, only: []string{"s3:PutObject"}, req: []string{"env", "team"}, pol: []string{"env", "team"}},
	{name: "sts:ExternalId", kind: kString, only: []string{"sts:AssumeRole"}, req: []string{"ext-1", "ext-2"}, pol: []string{"ext-1", "ext-*"}},
}

// Operators per family; the negated ones are listed separately so that the
// generator can tell them apart.
var (
	stringOps = []string{"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike"}
	numOps    = []string{"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals"}
	dateOps   = []string{"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals"}
	ipOps     = []string{"IpAddress", "NotIpAddress"}
	arnOps    = []string{"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"}
)

func opsFor(k keyKind) []string {
	switch k {
	case kNumeric:
		return numOps
	case kDate:
		return dateOps
	case kBool:
		return []string{"Bool"}
	case kIP:
		return ipOps
	case kARN:
		return arnOps
	}
	return stringOps
}

// negated reports operators that are the negation of a positive twin.
func negated(op string) bool {
	base := op
	if _, rest, ok := strings.Cut(op, ":"); ok {
		base = rest
	}
	return strings.Contains(base, "Not")
}
