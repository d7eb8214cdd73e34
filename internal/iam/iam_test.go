package iam

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/policy"
)

func TestPolicySize(t *testing.T) {
	tests := []struct {
		doc  string
		want int
	}{
		{`{"a": 1}`, 7},
		{"{\n\t\"a\" :\r\n 1 }", 7},
		{`{"ü": " "}`, 8}, // whitespace inside strings is not counted either, as IAM
	}
	for _, tt := range tests {
		if got := policySize(tt.doc); got != tt.want {
			t.Errorf("policySize(%q) = %d, want %d", tt.doc, got, tt.want)
		}
	}
}

func TestProviderHost(t *testing.T) {
	tests := []struct {
		url, want string
		ok        bool
	}{
		{"https://idp.example.com", "idp.example.com", true},
		{"https://idp.example.com/", "idp.example.com", true},
		{"https://idp.example.com/realms/x", "idp.example.com/realms/x", true},
		{"http://idp.example.com", "", false},
		{"https://idp.example.com/?a=b", "", false},
		{"https://user@idp.example.com", "", false},
		{"idp.example.com", "", false},
	}
	for _, tt := range tests {
		got, err := providerHost(tt.url)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("providerHost(%q) = %q, %v; want %q ok=%v", tt.url, got, err, tt.want, tt.ok)
		}
	}
}

func TestIsPolicyARN(t *testing.T) {
	for arn, want := range map[string]bool{
		"arn:aws:iam::aws:policy/AdministratorAccess":           true,
		"arn:aws:iam::aws:policy/service-role/AWSConfigRole":    true,
		"arn:aws:iam::111122223333:policy/team/a/p":             true,
		"arn:aws:iam::111122223333:role/r":                      false,
		"arn:aws:iam::11112222333:policy/p":                     false,
		"arn:aws:iam::111122223333:policy/":                     false,
		"arn:aws:s3:::bucket":                                   false,
		"arn:aws:iam::111122223333:policy/with space":           false,
		"arn:aws:iam::111122223333:policy/p?":                   false,
		"arn:aws:iam::111122223333:policy/ok+=,.@-_0123456789z": true,
	} {
		if got := isPolicyARN(arn); got != want {
			t.Errorf("isPolicyARN(%s) = %v", arn, got)
		}
	}
}

func TestPageMarkers(t *testing.T) {
	items := []string{"a", "b", "c"}
	p := Page{MaxItems: 2}
	l := finish(items, p, func(s string) string { return s })
	if !l.IsTruncated || len(l.Items) != 2 || l.Marker == "" {
		t.Fatalf("first page = %+v", l)
	}
	mp, err := Page{Marker: l.Marker}.store()
	if err != nil || mp.After != "b" || mp.Limit != defaultMaxItems+1 {
		t.Errorf("marker decodes to %+v, %v", mp, err)
	}
	if _, err := (Page{Marker: "%%%"}).store(); err == nil {
		t.Error("a marker that is not base64url was accepted")
	}
	if l := finish(items, Page{}, func(s string) string { return s }); l.IsTruncated || l.Marker != "" {
		t.Errorf("whole list = %+v", l)
	}
}

func TestMissingContextValues(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[
	  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*",
	   "Condition":{"StringEquals":{"s3:ExistingObjectTag/team":"x"},"Bool":{"aws:SecureTransport":"true"}}},
	  {"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`
	p, err := policy.Parse([]byte(doc), policy.Identity)
	if err != nil {
		t.Fatal(err)
	}
	ctx := policy.NewContext(1)
	ctx.Set("aws:SecureTransport", "true")
	sim := simulation{principal: &policy.Principal{Type: policy.User, Account: "111122223333"},
		identity: []simPolicy{{id: "PolicyInputList.1", typ: "IAM Policy", p: p}}, owner: "111122223333", ctx: ctx}
	got := sim.missing(&policy.Request{Principal: sim.principal, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/alice/k", Context: ctx})
	if diff := cmp.Diff([]string{"s3:ExistingObjectTag/team", "aws:username"}, got); diff != "" {
		t.Errorf("missing for GetObject (-want +got):\n%s", diff)
	}
	if got := sim.missing(&policy.Request{Principal: sim.principal, Action: "s3:DeleteObject", Resource: "*", Context: ctx}); len(got) != 0 {
		t.Errorf("missing for an action no statement names = %v", got)
	}
}

// BenchmarkSimulate measures one simulated decision with a condition,
// including the missing-context scan.
func BenchmarkSimulate(b *testing.B) {
	p, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[
	  {"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"arn:aws:s3:::data/*"},
	  {"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::data/private/*"},
	  {"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}`), policy.Identity)
	if err != nil {
		b.Fatal(err)
	}
	ctx := policy.NewContext(1)
	ctx.Set("aws:SourceIp", "203.0.113.7")
	sim := simulation{principal: &policy.Principal{Type: policy.User, Account: "111122223333"},
		identity: []simPolicy{{id: "PolicyInputList.1", typ: "IAM Policy", p: p}}, owner: "111122223333", ctx: ctx}
	b.ReportAllocs()
	for b.Loop() {
		if r := sim.run("s3:PutObject", "arn:aws:s3:::data/x", true); r.Decision != "allowed" {
			b.Fatal(r.Decision)
		}
	}
}
