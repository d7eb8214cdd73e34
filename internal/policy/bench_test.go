package policy

import (
	"fmt"
	"strings"
	"testing"
)

// benchStatements returns n identity statements mixing exact and wildcard
// actions, ARN patterns (some with variables) and conditions of several
// families. Statement i of policy p is distinct from every other.
func benchStatements(p, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, `{"Sid":"S%d%d","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::bucket-%d-%d","arn:aws:s3:::bucket-%d-%d/*"],"Condition":{"IpAddress":{"aws:SourceIp":["10.%d.0.0/16","2001:db8::/32"]},"Bool":{"aws:SecureTransport":"true"}}}`, p, i, p, i, p, i, i)
		case 1:
			fmt.Fprintf(&b, `{"Sid":"S%d%d","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home-%d/${aws:username}/*","Condition":{"StringLike":{"s3:prefix":["","home/${aws:username}/*"]}}}`, p, i, p)
		case 2:
			fmt.Fprintf(&b, `{"Sid":"S%d%d","Effect":"Deny","Action":["iam:*","organizations:*"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`, p, i)
		case 3:
			fmt.Fprintf(&b, `{"Sid":"S%d%d","Effect":"Allow","Action":"ec2:Describe*","Resource":"arn:aws:ec2:*:111122223333:instance/*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}`, p, i)
		case 4:
			fmt.Fprintf(&b, `{"Sid":"S%d%d","Effect":"Allow","NotAction":["iam:*","sts:*"],"Resource":"arn:aws:dynamodb:*:111122223333:table/t%d","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["env","team"]}}}`, p, i, p)
		}
	}
	return b.String()
}

type benchSetup struct {
	in Input
}

// newBenchSetup builds 10 policies with 50 statements in all: 8 identity
// policies of 5 statements, a permissions boundary of 4 and a bucket policy
// of 6.
func newBenchSetup(b testing.TB) benchSetup {
	var identity []*Policy
	for p := 0; p < 8; p++ {
		identity = append(identity, mustParse(b, doc(benchStatements(p, 5)), Identity))
	}
	boundary := mustParse(b, doc(`{"Effect":"Allow","Action":["s3:*","ec2:*","dynamodb:*"],"Resource":"*"},
		{"Effect":"Deny","Action":"s3:Delete*","Resource":"*"},
		{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::logs/*"},
		{"Effect":"Allow","Action":"cloudwatch:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1","us-west-2"]}}}`), Identity)
	bucket := mustParse(b, doc(`{"Sid":"Read","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:user/alice","arn:aws:iam::111122223333:role/dev"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::home-3/*"},
		{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::home-3","arn:aws:s3:::home-3/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},
		{"Sid":"Org","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::home-3/*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-abc"}}},
		{"Sid":"Anon","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::home-3/public/*"},
		{"Sid":"Acct","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":["s3:List*","s3:Get*"],"Resource":"arn:aws:s3:::home-3*"},
		{"Sid":"Vpc","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::home-3/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}`), Resource)
	for i, p := range identity {
		p.Name = fmt.Sprintf("user/alice/policy-%d", i)
	}
	boundary.Name, bucket.Name = "boundary", "bucket:home-3"
	c := NewContext(16)
	alice.AddToContext(c)
	c.Set("aws:SourceIp", "10.3.7.9")
	c.Set("aws:SecureTransport", "true")
	c.Set("aws:CurrentTime", "2025-06-01T12:00:00Z")
	c.Set("aws:EpochTime", "1748779200")
	c.Set("aws:MultiFactorAuthPresent", "true")
	c.Set("aws:PrincipalTag/team", "blue")
	c.Set("aws:PrincipalOrgID", "o-abc")
	c.Set("aws:RequestedRegion", "us-east-1")
	c.Set("s3:prefix", "home/alice/")
	req := &Request{Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::home-3/alice/report.csv", Context: c}
	return benchSetup{in: Input{Request: req, Identity: identity, Boundary: boundary, Resource: bucket, ResourceAccount: acctA}}
}

// BenchmarkDecide evaluates one request against 10 policies holding 50
// statements with conditions, wildcards and variables.
func BenchmarkDecide(b *testing.B) {
	s := newBenchSetup(b)
	if d := Decide(s.in); d.Effect != Allow || len(d.Reasons) < 3 {
		b.Fatalf("unexpected decision %v", d)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = Decide(s.in)
	}
}

// benchPolicy is a ~6 KiB identity policy.
func benchPolicy() []byte {
	text := `{"Version":"2012-10-17","Statement":[` + benchStatements(0, 30) + `]}`
	return []byte(text)
}

// BenchmarkParse parses and compiles a ~6 KiB policy.
func BenchmarkParse(b *testing.B) {
	data := benchPolicy()
	if len(data) < 5500 || len(data) > 7000 {
		b.Fatalf("bench policy is %d bytes, want about 6 KiB", len(data))
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(data, Identity); err != nil {
			b.Fatal(err)
		}
	}
}

// benchUniqueStatements is benchStatements with every action, resource and
// condition made distinct, so that nothing in the document repeats.
func benchUniqueStatements(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, `{"Sid":"S%d","Effect":"Allow","Action":["s3:Get%d*","s3:List%d*"],"Resource":["arn:aws:s3:::bucket-%d","arn:aws:s3:::bucket-%d/*"],"Condition":{"IpAddress":{"aws:SourceIp":["10.%d.0.0/16","2001:db8:%d::/48"]},"Bool":{"aws:SecureTransport":"true"}}}`, i, i, i, i, i, i, i)
		case 1:
			fmt.Fprintf(&b, `{"Sid":"S%d","Effect":"Allow","Action":"s3:Put%d*","Resource":"arn:aws:s3:::home-%d/${aws:username}/*","Condition":{"StringLike":{"s3:prefix":["","home%d/${aws:username}/*"]}}}`, i, i, i, i)
		case 2:
			fmt.Fprintf(&b, `{"Sid":"S%d","Effect":"Deny","Action":["iam:Create%d*","organizations:Describe%d*"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`, i, i, i)
		case 3:
			fmt.Fprintf(&b, `{"Sid":"S%d","Effect":"Allow","Action":"ec2:Describe%d*","Resource":"arn:aws:ec2:*:1111222233%02d:instance/*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-%02dT00:00:00Z"},"StringEquals":{"aws:ResourceTag/team%d":"${aws:PrincipalTag/team}"}}}`, i, i, i, i%28+1, i)
		case 4:
			fmt.Fprintf(&b, `{"Sid":"S%d","Effect":"Allow","NotAction":["iam:Delete%d*","sts:Tag%d*"],"Resource":"arn:aws:dynamodb:*:111122223333:table/t%d","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["env%d","team"]}}}`, i, i, i, i, i)
		}
	}
	return b.String()
}

// BenchmarkParseUnique is BenchmarkParse for a ~6 KiB policy in which no
// action, resource or condition repeats.
func BenchmarkParseUnique(b *testing.B) {
	data := []byte(`{"Version":"2012-10-17","Statement":[` + benchUniqueStatements(30) + `]}`)
	if len(data) < 5500 || len(data) > 7000 {
		b.Fatalf("bench policy is %d bytes, want about 6 KiB", len(data))
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(data, Identity); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluate measures one policy's evaluation.
func BenchmarkEvaluate(b *testing.B) {
	s := newBenchSetup(b)
	p := s.in.Identity[3]
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = p.Evaluate(s.in.Request)
	}
}
