package policy

import (
	"sort"
	"testing"
)

const (
	acctA = "111122223333"
	acctB = "444455556666"
)

// Callers used across the tests.
var (
	alice = &Principal{Type: User, Account: acctA, ARN: "arn:aws:iam::111122223333:user/alice", UserID: "AIDAALICE"}
	// pathUser has a path in its ARN.
	pathUser = &Principal{Type: User, Account: acctA, ARN: "arn:aws:iam::111122223333:user/division/team/carol"}
	bob      = &Principal{Type: User, Account: acctB, ARN: "arn:aws:iam::444455556666:user/bob"}
	rootA    = &Principal{Type: Root, Account: acctA, ARN: "arn:aws:iam::111122223333:root"}
	rootB    = &Principal{Type: Root, Account: acctB, ARN: "arn:aws:iam::444455556666:root"}
	devSess  = &Principal{Type: AssumedRole, Account: acctA, ARN: "arn:aws:sts::111122223333:assumed-role/dev/s1", RoleARN: "arn:aws:iam::111122223333:role/dev"}
	pathSess = &Principal{Type: AssumedRole, Account: acctA, ARN: "arn:aws:sts::111122223333:assumed-role/ops/s2", RoleARN: "arn:aws:iam::111122223333:role/service-role/ops"}
	bSess    = &Principal{Type: AssumedRole, Account: acctB, ARN: "arn:aws:sts::444455556666:assumed-role/auditor/a1", RoleARN: "arn:aws:iam::444455556666:role/auditor"}
	fedUser  = &Principal{Type: FederatedUser, Account: acctA, ARN: "arn:aws:sts::111122223333:federated-user/fred", UserARN: "arn:aws:iam::111122223333:user/alice"}
	svc      = &Principal{Type: Service, Service: "access-grants.s3.amazonaws.com"}
	webUser  = &Principal{Type: WebIdentity, Federated: "accounts.google.com"}
	anon     = &Principal{Type: Anonymous}
)

// doc wraps statements (JSON objects separated by commas) in a 2012-10-17
// policy document.
func doc(statements string) string {
	return `{"Version":"2012-10-17","Statement":[` + statements + `]}`
}

func mustParse(t testing.TB, text string, kind Kind) *Policy {
	t.Helper()
	p, err := Parse([]byte(text), kind)
	if err != nil {
		t.Fatalf("Parse(%s): %v (%s; %s)", text, err, err.(*Error).Location(), err.(*Error).Detail)
	}
	return p
}

// ctx builds a context from key/value pairs: ctx("aws:username", "alice").
func ctx(kv ...string) *Context {
	c := NewContext(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		c.Set(kv[i], kv[i+1])
	}
	return c
}

func ctxMap(m map[string][]string) *Context {
	c := NewContext(len(m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c.Set(k, m[k]...)
	}
	return c
}

// evalCase is one Policy.Evaluate check; name states the AWS rule.
type evalCase struct {
	name      string
	policy    string // a whole document
	kind      Kind   // Identity when zero
	principal *Principal
	action    string
	resource  string
	ctx       *Context
	allow     bool
	deny      bool
}

func runEvalCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kind := tt.kind
			if kind == 0 {
				kind = Identity
			}
			p := mustParse(t, tt.policy, kind)
			r := p.Evaluate(&Request{Principal: tt.principal, Action: tt.action, Resource: tt.resource, Context: tt.ctx})
			if r.Allowed != tt.allow || r.Denied != tt.deny {
				t.Errorf("Evaluate(%s %s) = allowed %v denied %v, want %v %v\npolicy: %s", tt.action, tt.resource, r.Allowed, r.Denied, tt.allow, tt.deny, tt.policy)
			}
		})
	}
}
