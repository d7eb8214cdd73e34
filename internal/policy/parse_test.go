package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseErrors(t *testing.T) {
	t.Parallel()
	allow := `"Effect":"Allow","Action":"s3:GetObject","Resource":"*"`
	tests := []struct {
		name   string
		kind   Kind
		doc    string
		reason ErrorReason
		stmt   int
		field  string
		msg    string
	}{
		// Document level.
		{name: "IAM: invalid JSON", kind: Identity, doc: `{"Version":`, reason: ErrSyntax, stmt: -1, msg: "Syntax errors in policy."},
		{name: "S3: invalid JSON", kind: Resource, doc: `not json`, reason: ErrSyntax, stmt: -1, msg: "Policies must be valid JSON and the first byte must be '{'"},
		{name: "document must be an object", kind: Identity, doc: `[]`, reason: ErrSyntax, stmt: -1, msg: "Syntax errors in policy."},
		{name: "trailing garbage", kind: Identity, doc: doc(`{`+allow+`}`) + `x`, reason: ErrSyntax, stmt: -1, msg: "Syntax errors in policy."},
		{name: "duplicate member", kind: Identity, doc: `{"Version":"2012-10-17","Version":"2012-10-17","Statement":{` + allow + `}}`, reason: ErrSyntax, stmt: -1, msg: "Syntax errors in policy."},
		{name: "trailing comma", kind: Identity, doc: `{"Statement":[{` + allow + `},]}`, reason: ErrSyntax, stmt: -1, msg: "Syntax errors in policy."},
		{name: "invalid UTF-8", kind: Identity, doc: "{\"Id\":\"\xff\",\"Statement\":{" + allow + "}}", reason: ErrSyntax, stmt: -1, msg: "Syntax errors in policy."},
		{name: "unknown top-level element", kind: Identity, doc: `{"Version":"2012-10-17","Foo":1,"Statement":{` + allow + `}}`, reason: ErrSyntax, stmt: -1, field: "Foo", msg: "Syntax errors in policy."},
		{name: "element names are case-sensitive", kind: Identity, doc: `{"version":"2012-10-17","Statement":{` + allow + `}}`, reason: ErrSyntax, stmt: -1, field: "version", msg: "Syntax errors in policy."},
		{name: "unsupported Version", kind: Identity, doc: `{"Version":"2012-10-18","Statement":{` + allow + `}}`, reason: ErrVersion, stmt: -1, field: "Version", msg: "The policy failed legacy parsing"},
		{name: "Version must be a string", kind: Identity, doc: `{"Version":2012,"Statement":{` + allow + `}}`, reason: ErrVersion, stmt: -1, field: "Version", msg: "The policy failed legacy parsing"},
		{name: "Id must be a string", kind: Identity, doc: `{"Id":1,"Statement":{` + allow + `}}`, reason: ErrSyntax, stmt: -1, field: "Id", msg: "Syntax errors in policy."},
		{name: "IAM: missing Statement", kind: Identity, doc: `{"Version":"2012-10-17"}`, reason: ErrMissing, stmt: -1, field: "Statement", msg: "Syntax errors in policy."},
		{name: "S3: missing Statement", kind: Resource, doc: `{"Version":"2012-10-17"}`, reason: ErrMissing, stmt: -1, field: "Statement", msg: "Missing required field Statement"},
		{name: "S3: empty Statement", kind: Resource, doc: `{"Version":"2012-10-17","Statement":[]}`, reason: ErrMissing, stmt: -1, field: "Statement", msg: "Could not parse the policy: Statement is empty!"},
		{name: "Statement must be object or array", kind: Identity, doc: `{"Statement":"x"}`, reason: ErrSyntax, stmt: -1, field: "Statement", msg: "Syntax errors in policy."},
		{name: "statement must be an object", kind: Identity, doc: `{"Statement":["x"]}`, reason: ErrSyntax, stmt: 0, field: "Statement", msg: "Syntax errors in policy."},
		// Statement elements.
		{name: "unknown statement element", kind: Identity, doc: doc(`{` + allow + `,"Foo":"x"}`), reason: ErrSyntax, stmt: 0, field: "Foo", msg: "Syntax errors in policy."},
		{name: "missing Effect", kind: Identity, doc: doc(`{"Action":"s3:*","Resource":"*"}`), reason: ErrMissing, stmt: 0, field: "Effect", msg: "Missing required field Effect"},
		{name: "IAM: Effect is case-sensitive", kind: Identity, doc: doc(`{"Effect":"allow","Action":"s3:*","Resource":"*"}`), reason: ErrEffect, stmt: 0, field: "Effect", msg: "The policy failed legacy parsing"},
		{name: "S3: invalid Effect", kind: Resource, doc: doc(`{"Effect":"hello","Principal":"*","Action":"s3:*","Resource":"*"}`), reason: ErrEffect, stmt: 0, field: "Effect", msg: "Invalid effect: hello"},
		{name: "IAM: missing Action", kind: Identity, doc: doc(`{"Effect":"Allow","Resource":"*"}`), reason: ErrMissing, stmt: 0, field: "Action", msg: "Policy statement must contain actions."},
		{name: "S3: missing Action", kind: Resource, doc: doc(`{"Effect":"Allow","Principal":"*","Resource":"*"}`), reason: ErrMissing, stmt: 0, field: "Action", msg: "Missing required field Action"},
		{name: "IAM: empty Action array", kind: Identity, doc: doc(`{"Effect":"Allow","Action":[],"Resource":"*"}`), reason: ErrMissing, stmt: 0, field: "Action", msg: "Policy statement must contain actions."},
		{name: "Action and NotAction together", kind: Identity, doc: doc(`{"Effect":"Allow","Action":"s3:*","NotAction":"iam:*","Resource":"*"}`), reason: ErrSyntax, stmt: 0, field: "NotAction", msg: "Syntax errors in policy."},
		{name: "Action entries must be strings", kind: Identity, doc: doc(`{"Effect":"Allow","Action":[1],"Resource":"*"}`), reason: ErrSyntax, stmt: 0, field: "Action", msg: "Syntax errors in policy."},
		{name: "action without service prefix", kind: Identity, doc: doc(`{"Effect":"Allow","Action":"GetObject","Resource":"*"}`), reason: ErrAction, stmt: 0, field: "Action", msg: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{name: "action with empty service prefix", kind: Identity, doc: doc(`{"Effect":"Allow","Action":":GetObject","Resource":"*"}`), reason: ErrAction, stmt: 0, field: "Action", msg: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{name: "action with two colons", kind: Identity, doc: doc(`{"Effect":"Allow","Action":"s3:Get:Object","Resource":"*"}`), reason: ErrAction, stmt: 0, field: "Action", msg: "Actions/Condition can contain only one colon."},
		{name: "wildcard in action service prefix", kind: Identity, doc: doc(`{"Effect":"Allow","Action":"*:Untag*","Resource":"*"}`), reason: ErrAction, stmt: 0, field: "Action", msg: "Action vendors (e.g., aws, ec2, etc.) must not contain wildcards."},
		{name: "S3: invalid action", kind: Resource, doc: doc(`{"Effect":"Allow","Principal":"*","Action":"GetObject","Resource":"*"}`), reason: ErrAction, stmt: 0, field: "Action", msg: "Policy has invalid action"},
		{name: "IAM: missing Resource", kind: Identity, doc: doc(`{"Effect":"Allow","Action":"s3:*"}`), reason: ErrMissing, stmt: 0, field: "Resource", msg: "Policy statement must contain resources."},
		{name: "S3: missing Resource", kind: Resource, doc: doc(`{"Effect":"Allow","Principal":"*","Action":"s3:*"}`), reason: ErrMissing, stmt: 0, field: "Resource", msg: "Missing required field Resource"},
		{name: "Resource and NotResource together", kind: Identity, doc: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*","NotResource":"*"}`), reason: ErrSyntax, stmt: 0, field: "NotResource", msg: "Syntax errors in policy."},
		{name: "IAM: resource not an ARN", kind: Identity, doc: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}`), reason: ErrResource, stmt: 0, field: "Resource", msg: `Resource bucket must be in ARN format or "*".`},
		{name: "IAM: short resource without wildcard", kind: Identity, doc: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3"}`), reason: ErrResource, stmt: 0, field: "Resource", msg: `Resource arn:aws:s3 must be in ARN format or "*".`},
		{name: "S3: invalid resource", kind: Resource, doc: doc(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"bucket/*"}`), reason: ErrResource, stmt: 0, field: "Resource", msg: "Policy has invalid resource"},
		// Principal.
		{name: "identity policy with Principal", kind: Identity, doc: doc(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}`), reason: ErrProhibited, stmt: 0, field: "Principal", msg: "Policy document should not specify a principal."},
		{name: "identity policy with NotPrincipal", kind: Identity, doc: doc(`{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}`), reason: ErrProhibited, stmt: 0, field: "NotPrincipal", msg: "Policy document should not specify a principal."},
		{name: "resource policy without Principal", kind: Resource, doc: doc(`{` + allow + `}`), reason: ErrMissing, stmt: 0, field: "Principal", msg: "Missing required field Principal"},
		{name: "trust policy without Principal", kind: Trust, doc: doc(`{"Effect":"Allow","Action":"sts:AssumeRole"}`), reason: ErrMissing, stmt: 0, field: "Principal", msg: "Missing required field Principal"},
		{name: "Principal and NotPrincipal together", kind: Resource, doc: doc(`{"Effect":"Deny","Principal":"*","NotPrincipal":"*","Action":"s3:*","Resource":"*"}`), reason: ErrSyntax, stmt: 0, field: "NotPrincipal", msg: "Syntax errors in policy."},
		{name: "S3: partial wildcard in principal ARN", kind: Resource, doc: doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/*"},"Action":"s3:*","Resource":"*"}`), reason: ErrPrincipal, stmt: 0, field: "Principal", msg: "Invalid principal in policy"},
		{name: "IAM trust: invalid principal names the value", kind: Trust, doc: doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:group/admins"},"Action":"sts:AssumeRole"}`), reason: ErrPrincipal, stmt: 0, field: "Principal", msg: `Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:group/admins"`},
		{name: "wildcard account in root ARN", kind: Resource, doc: doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"s3:*","Resource":"*"}`), reason: ErrPrincipal, stmt: 0, field: "Principal", msg: "Invalid principal in policy"},
		{name: "wildcard session name", kind: Resource, doc: doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/r/*"},"Action":"s3:*","Resource":"*"}`), reason: ErrPrincipal, stmt: 0, field: "Principal", msg: "Invalid principal in policy"},
		{name: "short account ID", kind: Resource, doc: doc(`{"Effect":"Allow","Principal":{"AWS":"12345"},"Action":"s3:*","Resource":"*"}`), reason: ErrPrincipal, stmt: 0, field: "Principal", msg: "Invalid principal in policy"},
		{name: "principal string other than star", kind: Resource, doc: doc(`{"Effect":"Allow","Principal":"111122223333","Action":"s3:*","Resource":"*"}`), reason: ErrPrincipal, stmt: 0, field: "Principal", msg: "Invalid principal in policy"},
		{name: "unknown principal type", kind: Resource, doc: doc(`{"Effect":"Allow","Principal":{"User":"alice"},"Action":"s3:*","Resource":"*"}`), reason: ErrPrincipal, stmt: 0, field: "Principal", msg: "Invalid principal in policy"},
		{name: "empty principal object", kind: Resource, doc: doc(`{"Effect":"Allow","Principal":{},"Action":"s3:*","Resource":"*"}`), reason: ErrPrincipal, stmt: 0, field: "Principal", msg: "Invalid principal in policy"},
		{name: "empty principal list", kind: Resource, doc: doc(`{"Effect":"Allow","Principal":{"AWS":[]},"Action":"s3:*","Resource":"*"}`), reason: ErrPrincipal, stmt: 0, field: "Principal", msg: "Invalid principal in policy"},
		{name: "wildcard service principal", kind: Resource, doc: doc(`{"Effect":"Allow","Principal":{"Service":"*.amazonaws.com"},"Action":"s3:*","Resource":"*"}`), reason: ErrPrincipal, stmt: 0, field: "Principal", msg: "Invalid principal in policy"},
		{name: "user ARN with region", kind: Resource, doc: doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam:us-east-1:111122223333:user/a"},"Action":"s3:*","Resource":"*"}`), reason: ErrPrincipal, stmt: 0, field: "Principal", msg: "Invalid principal in policy"},
		// Trust policies.
		{name: "trust policy with Resource", kind: Trust, doc: doc(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}`), reason: ErrProhibited, stmt: 0, field: "Resource", msg: "Has prohibited field Resource"},
		{name: "trust policy with NotResource", kind: Trust, doc: doc(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","NotResource":"*"}`), reason: ErrProhibited, stmt: 0, field: "NotResource", msg: "Has prohibited field NotResource"},
		{name: "trust policy with NotPrincipal", kind: Trust, doc: doc(`{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}`), reason: ErrProhibited, stmt: 0, field: "NotPrincipal", msg: "Has prohibited field NotPrincipal"},
		{name: "trust policy with a non-STS action", kind: Trust, doc: doc(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject"}`), reason: ErrAction, stmt: 0, field: "Action", msg: "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML, and sts:AssumeRoleWithWebIdentity"},
		{name: "trust policy with an STS action not allowed there", kind: Trust, doc: doc(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:GetCallerIdentity"}`), reason: ErrAction, stmt: 0, field: "Action", msg: "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML, and sts:AssumeRoleWithWebIdentity"},
		// Condition.
		{name: "unknown condition operator", kind: Identity, doc: doc(`{` + allow + `,"Condition":{"StringEqualz":{"aws:username":"a"}}}`), reason: ErrCondition, stmt: 0, field: "Condition", msg: "Invalid Condition type : StringEqualz"},
		{name: "NullIfExists is not an operator", kind: Identity, doc: doc(`{` + allow + `,"Condition":{"NullIfExists":{"aws:username":"true"}}}`), reason: ErrCondition, stmt: 0, field: "Condition", msg: "Invalid Condition type : NullIfExists"},
		{name: "condition key without prefix", kind: Identity, doc: doc(`{` + allow + `,"Condition":{"StringEquals":{"username":"a"}}}`), reason: ErrCondition, stmt: 0, field: "Condition", msg: "Policy has an invalid condition key"},
		{name: "condition must be an object", kind: Identity, doc: doc(`{` + allow + `,"Condition":["x"]}`), reason: ErrSyntax, stmt: 0, field: "Condition", msg: "Syntax errors in policy."},
		{name: "condition block must be an object", kind: Identity, doc: doc(`{` + allow + `,"Condition":{"StringEquals":"x"}}`), reason: ErrSyntax, stmt: 0, field: "Condition", msg: "Syntax errors in policy."},
		{name: "condition value cannot be null", kind: Identity, doc: doc(`{` + allow + `,"Condition":{"StringEquals":{"aws:username":null}}}`), reason: ErrSyntax, stmt: 0, field: "Condition", msg: "Syntax errors in policy."},
		{name: "condition value cannot be an object", kind: Identity, doc: doc(`{` + allow + `,"Condition":{"StringEquals":{"aws:username":[{}]}}}`), reason: ErrSyntax, stmt: 0, field: "Condition", msg: "Syntax errors in policy."},
		// Sid.
		{name: "duplicate Sid", kind: Identity, doc: doc(`{"Sid":"A",` + allow + `},{"Sid":"A",` + allow + `}`), reason: ErrSid, stmt: 1, field: "Sid", msg: "Statement IDs (SID) in a single policy must be unique."},
		{name: "IAM: Sid must be alphanumeric", kind: Identity, doc: doc(`{"Sid":"read-only",` + allow + `}`), reason: ErrSid, stmt: 0, field: "Sid", msg: "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"},
		{name: "Sid must be a string", kind: Identity, doc: doc(`{"Sid":1,` + allow + `}`), reason: ErrSyntax, stmt: 0, field: "Sid", msg: "Syntax errors in policy."},
		{name: "second statement is located", kind: Identity, doc: doc(`{` + allow + `},{"Effect":"Allow","Action":"s3:*"}`), reason: ErrMissing, stmt: 1, field: "Resource", msg: "Policy statement must contain resources."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tt.doc), tt.kind)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse error = %v, want *Error", err)
			}
			got := []any{e.Reason, e.Statement, e.Field, e.Error()}
			want := []any{tt.reason, tt.stmt, tt.field, tt.msg}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s\n(%s: %s)", diff, e.Location(), e.Detail)
			}
			if e.Line == 0 || e.Column == 0 {
				t.Errorf("error has no position: %+v", e)
			}
		})
	}
}

func TestParseErrorLocation(t *testing.T) {
	t.Parallel()
	text := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Sid\": \"One\",\n    \"Effect\": \"Allow\",\n    \"Action\": \"nope\",\n    \"Resource\": \"*\"\n  }]\n}"
	_, err := Parse([]byte(text), Identity)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v", err)
	}
	if e.Line != 6 || e.Column != 15 || e.Sid != "One" || e.Value != "nope" {
		t.Errorf("got line %d col %d sid %q value %q, want 6 15 One nope", e.Line, e.Column, e.Sid, e.Value)
	}
	if loc := e.Location(); loc != `statement 0 (Sid "One"), Action, line 6 column 15` {
		t.Errorf("Location() = %q", loc)
	}
}

func TestParseAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		kind Kind
		doc  string
	}{
		{name: "no Version (2008-10-17 semantics)", kind: Identity, doc: `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`},
		{name: "Version 2008-10-17", kind: Identity, doc: `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`},
		{name: "Statement as a single object", kind: Identity, doc: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`},
		{name: "Id element", kind: Resource, doc: `{"Version":"2012-10-17","Id":"Policy1","Statement":[{"Sid":"Any chars here!","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`},
		{name: "S3 Sids may contain spaces", kind: Resource, doc: doc(`{"Sid":"Allow read","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}`)},
		{name: "empty Sid is allowed and not unique-checked", kind: Identity, doc: doc(`{"Sid":"","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"","Effect":"Allow","Action":"s3:*","Resource":"*"}`)},
		{name: "action star", kind: Identity, doc: doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`)},
		{name: "action wildcards in name", kind: Identity, doc: doc(`{"Effect":"Allow","Action":["s3:Get*","iam:*AccessKey*","ec2:Describe?pc*"],"Resource":"*"}`)},
		{name: "short resource with trailing star", kind: Identity, doc: doc(`{"Effect":"Allow","Action":"logs:*","Resource":["arn:aws:logs:*:*:*","arn:aws:codebuild:*"]}`)},
		{name: "unquoted numbers and booleans in conditions", kind: Identity, doc: doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true}}}`)},
		{name: "empty Condition", kind: Identity, doc: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{}}`)},
		{name: "condition keys with many colons", kind: Identity, doc: doc(`{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:aws:pi:service":"rds"}}}`)},
		{name: "all principal forms", kind: Resource, doc: doc(`{"Effect":"Allow","Principal":{"AWS":["*","111122223333","arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:user/a/b","arn:aws:iam::111122223333:role/r","arn:aws:sts::111122223333:assumed-role/r/s","arn:aws:sts::111122223333:federated-user/f","AIDACKCEVSQ6C2EXAMPLE"],"Service":["ec2.amazonaws.com"],"Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:*","Resource":"*"}`)},
		{name: "NotPrincipal with Deny", kind: Resource, doc: doc(`{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/Bob","arn:aws:iam::444455556666:root"]},"Action":"s3:*","Resource":["arn:aws:s3:::BUCKETNAME","arn:aws:s3:::BUCKETNAME/*"]}`)},
		{name: "trust policy for a service", kind: Trust, doc: doc(`{"Effect":"Allow","Principal":{"Service":"access-grants.s3.amazonaws.com"},"Action":["sts:AssumeRole","sts:SetSourceIdentity","sts:SetContext"]}`)},
		{name: "trust policy with sts wildcard", kind: Trust, doc: doc(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["sts:*","sts:TagSession"]}`)},
		{name: "trust policy for web identity", kind: Trust, doc: doc(`{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}}`)},
		{name: "escapes in strings", kind: Identity, doc: doc(`{"Sid":"A\u0062c","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b\/\u00e9\ud83d\ude00"}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mustParse(t, tt.doc, tt.kind)
		})
	}
}

func TestStatementsAndPositions(t *testing.T) {
	t.Parallel()
	text := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:Get*\", \"Resource\": \"*\"},\n    {\n      \"Effect\": \"Deny\",\n      \"NotAction\": [\"iam:*\"],\n      \"NotResource\": \"arn:aws:s3:::b\"\n    }\n  ]\n}"
	p := mustParse(t, text, Identity)
	got := p.Statements()
	want := []Statement{
		{Index: 0, Sid: "A", Effect: EffectAllow, Action: []string{"s3:Get*"}, Resource: []string{"*"},
			Start: Position{Line: 4, Column: 5}, End: Position{Line: 4, Column: 74}},
		{Index: 1, Effect: EffectDeny, NotAction: []string{"iam:*"}, NotResource: []string{"arn:aws:s3:::b"},
			Start: Position{Line: 5, Column: 5}, End: Position{Line: 9, Column: 6}},
	}
	opts := cmp.Options{cmp.AllowUnexported(Statement{}), cmp.FilterPath(func(p cmp.Path) bool {
		s := p.String()
		return s == "form" || s == "c"
	}, cmp.Ignore())}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("Statements() mismatch (-want +got):\n%s", diff)
	}
	if p.Version() != Version2012 || p.Kind() != Identity || p.ID() != "" || string(p.Raw()) != text {
		t.Errorf("accessors: %q %v %q", p.Version(), p.Kind(), p.ID())
	}
	if !strings.HasPrefix(Identity.String()+Resource.String()+Trust.String(), "identityresourcetrust") {
		t.Error("Kind.String")
	}
}

func TestParseInvalidKind(t *testing.T) {
	t.Parallel()
	if _, err := Parse([]byte(`{}`), 0); err == nil {
		t.Error("Parse with Kind 0 succeeded")
	}
}
