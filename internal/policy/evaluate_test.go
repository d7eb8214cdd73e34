package policy

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// "IAM JSON policy elements: Condition": operators in a Condition block are
// ANDed, keys within an operator are ANDed, values for one key are ORed.
func TestStatementConditions(t *testing.T) {
	t.Parallel()
	p := doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{
		"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]},
		"StringEquals":{"aws:username":"alice","s3:x-amz-acl":["private","bucket-owner-full-control"]}}}`)
	full := func(ip, user, acl string) *Context {
		return ctx("aws:SourceIp", ip, "aws:username", user, "s3:x-amz-acl", acl)
	}
	runEvalCases(t, []evalCase{
		{name: "all conditions true", policy: p, action: "s3:PutObject", resource: "*", ctx: full("203.0.113.5", "alice", "private"), allow: true},
		{name: "values of one key are ORed", policy: p, action: "s3:PutObject", resource: "*", ctx: full("2001:db8::1", "alice", "bucket-owner-full-control"), allow: true},
		{name: "operators are ANDed", policy: p, action: "s3:PutObject", resource: "*", ctx: full("198.51.100.1", "alice", "private")},
		{name: "keys within an operator are ANDed", policy: p, action: "s3:PutObject", resource: "*", ctx: full("203.0.113.5", "alice", "public-read")},
		{name: "a missing key fails its condition", policy: p, action: "s3:PutObject", resource: "*", ctx: ctx("aws:SourceIp", "203.0.113.5", "aws:username", "alice")},
		{name: "no context fails every positive condition", policy: p, action: "s3:PutObject", resource: "*"},
		{name: "deny with negated condition and missing key applies", policy: doc(`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/dept":"eng"}}}`), action: "s3:GetObject", resource: "*", deny: true},
		{name: "deny with negated IfExists condition and missing key applies", policy: doc(`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalTag/dept":"eng"}}}`), action: "s3:GetObject", resource: "*", deny: true},
		{name: "Null condition requires temporary credentials to be absent", policy: doc(`{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"Null":{"aws:TokenIssueTime":"true"}}}`), action: "ec2:RunInstances", resource: "*", allow: true},
		{name: "Null condition with temporary credentials", policy: doc(`{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"Null":{"aws:TokenIssueTime":"true"}}}`), action: "ec2:RunInstances", resource: "*", ctx: ctx("aws:TokenIssueTime", "2024-01-01T00:00:00Z")},
		{name: "condition keys are case-insensitive", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"AWS:UserName":"alice"}}}`), action: "s3:GetObject", resource: "*", ctx: ctx("aws:username", "alice"), allow: true},
		{name: "unquoted boolean condition value", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true}}}`), action: "s3:GetObject", resource: "*", ctx: ctx("aws:SecureTransport", "true"), allow: true},
		{name: "unquoted number condition value", policy: doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":10}}}`), action: "s3:ListBucket", resource: "*", ctx: ctx("s3:max-keys", "10"), allow: true},
		{name: "multi-valued key with ForAllValues", policy: doc(`{"Effect":"Allow","Action":"s3:PutObjectTagging","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}}`), action: "s3:PutObjectTagging", resource: "*", ctx: ctxMap(map[string][]string{"aws:TagKeys": {"env", "team"}}), allow: true},
		{name: "multi-valued key with ForAllValues and an extra tag", policy: doc(`{"Effect":"Allow","Action":"s3:PutObjectTagging","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}}`), action: "s3:PutObjectTagging", resource: "*", ctx: ctxMap(map[string][]string{"aws:TagKeys": {"env", "owner"}})},
		{name: "ForAllValues with Allow and no tags at all allows", policy: doc(`{"Effect":"Allow","Action":"s3:PutObjectTagging","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}}`), action: "s3:PutObjectTagging", resource: "*", allow: true},
		{name: "ForAnyValue deny on a forbidden tag", policy: doc(`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["secret"]}}}`), action: "s3:PutObjectTagging", resource: "*", ctx: ctxMap(map[string][]string{"aws:TagKeys": {"env", "secret"}}), deny: true},
		{name: "ForAnyValue deny without tags does not apply", policy: doc(`{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["secret"]}}}`), action: "s3:PutObjectTagging", resource: "*"},
		{name: "date window", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2020-06-30T23:59:59Z"}}}`), action: "s3:GetObject", resource: "*", ctx: ctx("aws:CurrentTime", "2020-05-01T12:00:00Z"), allow: true},
		{name: "date window closed", policy: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2020-06-30T23:59:59Z"}}}`), action: "s3:GetObject", resource: "*", ctx: ctx("aws:CurrentTime", "2020-07-01T00:00:00Z")},
		{name: "principal, resource and condition together", policy: doc(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}`), kind: Resource, principal: alice, action: "s3:GetObject", resource: "arn:aws:s3:::b/x", ctx: ctx("aws:PrincipalTag/team", "blue"), allow: true},
		{name: "trust policy has no resource to match", policy: doc(`{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}`), kind: Trust, principal: alice, action: "sts:AssumeRole", resource: "arn:aws:iam::111122223333:role/r", allow: true},
		{name: "trust policy with external ID condition", policy: doc(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"xyz"}}}`), kind: Trust, principal: bob, action: "sts:AssumeRole", resource: "arn:aws:iam::111122223333:role/r", ctx: ctx("sts:ExternalId", "wrong")},
		{name: "trust policy action TagSession", policy: doc(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":["sts:AssumeRole","sts:TagSession"]}`), kind: Trust, principal: bob, action: "sts:TagSession", resource: "arn:aws:iam::111122223333:role/r", allow: true},
	})
}

func TestEvaluateResult(t *testing.T) {
	t.Parallel()
	p := mustParse(t, doc(`{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"B","Effect":"Allow","Action":"iam:*","Resource":"*"},{"Sid":"C","Effect":"Deny","Action":"s3:Delete*","Resource":"*"}`), Identity)
	p.Name = "user/alice/inline/s3"
	r := p.Evaluate(&Request{Principal: alice, Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/k"})
	want := Result{Allowed: true, Denied: true, Matched: []Reason{
		{Policy: "user/alice/inline/s3", Type: IdentityPolicy, Statement: 0, Sid: "A", Effect: EffectAllow, Start: Position{1, 38}, End: Position{1, 97}},
		{Policy: "user/alice/inline/s3", Type: IdentityPolicy, Statement: 2, Sid: "C", Effect: EffectDeny, Start: Position{1, 159}, End: Position{1, 223}},
	}}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("Evaluate mismatch (-want +got):\n%s", diff)
	}
	if got, want := r.String(), `allowed=true denied=true [Allow user/alice/inline/s3[0 "A"], Deny user/alice/inline/s3[2 "C"]]`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	rp := mustParse(t, doc(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}`), Resource)
	if r := rp.Evaluate(&Request{Action: "s3:GetObject", Resource: "*"}); r.Matched[0].Type != ResourcePolicy {
		t.Errorf("resource policy reason type = %v", r.Matched[0].Type)
	}
}

func TestEvaluateIsConcurrencySafe(t *testing.T) {
	t.Parallel()
	p := mustParse(t, doc(`{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"}`), Identity)
	done := make(chan bool)
	for i := 0; i < 8; i++ {
		go func() {
			user := []string{"alice", "bob"}[i%2]
			ok := true
			for j := 0; j < 200; j++ {
				r := p.Evaluate(&Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/" + user + "/k", Context: ctx("aws:username", user)})
				ok = ok && r.Allowed
			}
			done <- ok
		}()
	}
	for i := 0; i < 8; i++ {
		if !<-done {
			t.Error("concurrent evaluation gave a wrong answer")
		}
	}
}
