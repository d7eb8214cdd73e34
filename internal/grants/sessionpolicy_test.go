package grants

import (
	"strings"
	"testing"

	"github.com/grantd/grantd/internal/policy"
)

// vendedSession is the principal of vended credentials.
var vendedSession = &policy.Principal{Type: policy.AssumedRole, Account: "111122223333",
	ARN: "arn:aws:sts::111122223333:assumed-role/loc/access-grants-0", RoleARN: "arn:aws:iam::111122223333:role/loc"}

// allows evaluates the session policy doc for one S3 request.
func allows(t testing.TB, doc, action, resource string, keys ...string) bool {
	t.Helper()
	p, err := policy.Parse([]byte(doc), policy.Identity)
	if err != nil {
		t.Fatalf("session policy does not parse: %v\n%s", err, doc)
	}
	c := policy.NewContext(2)
	for i := 0; i+1 < len(keys); i += 2 {
		c.Set(keys[i], keys[i+1])
	}
	r := p.Evaluate(&policy.Request{Principal: vendedSession, Action: action, Resource: resource, Context: c})
	return r.Allowed && !r.Denied
}

func TestSessionPolicy(t *testing.T) {
	prefix := scope{bucket: "b", key: "prefixA"}
	object := scope{bucket: "b", key: "dir/f*?$.txt", exact: true}
	bucket := scope{bucket: "b"}
	tests := []struct {
		name       string
		permission string
		sc         scope
		action     string
		resource   string
		keys       []string
		want       bool
	}{
		{"read object in prefix", "READ", prefix, "s3:GetObject", "arn:aws:s3:::b/prefixA/f.txt", nil, true},
		{"read is character level", "READ", prefix, "s3:GetObject", "arn:aws:s3:::b/prefixA.txt", nil, true},
		{"read outside prefix", "READ", prefix, "s3:GetObject", "arn:aws:s3:::b/prefixB/f.txt", nil, false},
		{"read other bucket", "READ", prefix, "s3:GetObject", "arn:aws:s3:::c/prefixA/f.txt", nil, false},
		{"read cannot write", "READ", prefix, "s3:PutObject", "arn:aws:s3:::b/prefixA/f.txt", nil, false},
		{"read cannot delete", "READ", prefix, "s3:DeleteObject", "arn:aws:s3:::b/prefixA/f.txt", nil, false},
		{"write can put", "WRITE", prefix, "s3:PutObject", "arn:aws:s3:::b/prefixA/f.txt", nil, true},
		{"write cannot read", "WRITE", prefix, "s3:GetObject", "arn:aws:s3:::b/prefixA/f.txt", nil, false},
		{"write cannot list", "WRITE", prefix, "s3:ListBucket", "arn:aws:s3:::b", []string{"s3:prefix", "prefixA/"}, false},
		{"readwrite reads", "READWRITE", prefix, "s3:GetObject", "arn:aws:s3:::b/prefixA/x", nil, true},
		{"readwrite writes", "READWRITE", prefix, "s3:PutObject", "arn:aws:s3:::b/prefixA/x", nil, true},
		{"list under prefix", "READ", prefix, "s3:ListBucket", "arn:aws:s3:::b", []string{"s3:prefix", "prefixA/sub/"}, true},
		{"list above prefix", "READ", prefix, "s3:ListBucket", "arn:aws:s3:::b", []string{"s3:prefix", "prefix"}, false},
		{"list without prefix", "READ", prefix, "s3:ListBucket", "arn:aws:s3:::b", nil, false},
		{"list whole bucket", "READ", bucket, "s3:ListBucket", "arn:aws:s3:::b", nil, true},
		{"list other bucket", "READ", bucket, "s3:ListBucket", "arn:aws:s3:::c", nil, false},
		{"no other service", "READWRITE", bucket, "iam:CreateUser", "*", nil, false},
		{"no bucket policy change", "READWRITE", bucket, "s3:PutBucketPolicy", "arn:aws:s3:::b", nil, false},
		{"object literal", "READ", object, "s3:GetObject", "arn:aws:s3:::b/dir/f*?$.txt", nil, true},
		{"object specials are literal", "READ", object, "s3:GetObject", "arn:aws:s3:::b/dir/fXY$.txt", nil, false},
		{"object exact", "READ", object, "s3:GetObject", "arn:aws:s3:::b/dir/f*?$.txt2", nil, false},
		{"object list exact prefix", "READ", object, "s3:ListBucket", "arn:aws:s3:::b", []string{"s3:prefix", "dir/f*?$.txt"}, true},
		{"object list other prefix", "READ", object, "s3:ListBucket", "arn:aws:s3:::b", []string{"s3:prefix", "dir/"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := sessionPolicy(tt.permission, tt.sc)
			if got := allows(t, doc, tt.action, tt.resource, tt.keys...); got != tt.want {
				t.Errorf("%s on %s = %v, want %v\n%s", tt.action, tt.resource, got, tt.want, doc)
			}
		})
	}
}

func TestQuoteJSON(t *testing.T) {
	for _, s := range []string{"plain", `q"b\s`, "ctl\x01\n", "é€😀", "bad\xffutf"} {
		got := quoteJSON(s)
		p, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"x","Effect":"Allow","Action":"s3:GetObject","Resource":`+quoteJSON("arn:aws:s3:::b/"+s)+`}]}`), policy.Identity)
		if err != nil {
			t.Errorf("quoteJSON(%q) = %s: policy does not parse: %v", s, got, err)
			continue
		}
		if !strings.HasPrefix(got, `"`) || !strings.HasSuffix(got, `"`) {
			t.Errorf("quoteJSON(%q) = %s", s, got)
		}
		_ = p
	}
}
