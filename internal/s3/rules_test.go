package s3

import (
	"strings"
	"testing"
	"time"

	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
)

func TestValidBucketName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"abc", true}, {"my-bucket.example", true}, {"a1-b2", true}, {strings.Repeat("a", 63), true},
		{"ab", false}, {strings.Repeat("a", 64), false}, {"Upper", false}, {"under_score", false},
		{"-lead", false}, {"trail-", false}, {".lead", false}, {"a..b", false}, {"192.168.5.4", false},
		{"xn--abc", false}, {"sthree-x", false}, {"amzn-s3-demo-x", false}, {"x-s3alias", false},
		{"x--ol-s3", false}, {"x.mrap", false}, {"x--x-s3", false}, {"x--table-s3", false}, {"sp ace", false},
	}
	for _, tt := range tests {
		if got := ValidBucketName(tt.name); got != tt.ok {
			t.Errorf("ValidBucketName(%q) = %v, want %v", tt.name, got, tt.ok)
		}
	}
}

func reason(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Reason
	}
	if err == nil {
		return ""
	}
	return "?" + err.Error()
}

func TestCheckKey(t *testing.T) {
	tests := []struct {
		key, want string
	}{
		{"a", ""}, {strings.Repeat("k", 1024), ""}, {strings.Repeat("é", 512), ""},
		{strings.Repeat("k", 1025), codeKeyTooLong}, {"", codeInvalidArgument}, {"a\xffb", codeInvalidArgument}, {"a\x00b", codeInvalidArgument},
	}
	for _, tt := range tests {
		if got := reason(checkKey(tt.key)); got != tt.want {
			t.Errorf("checkKey(%.20q…) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

func TestConditions(t *testing.T) {
	mod := time.Date(2026, 3, 1, 10, 0, 0, 500, time.UTC)
	o := &meta.Object{ETag: "abc", LastModified: mod}
	before, at, after := mod.Add(-time.Hour), mod.Truncate(time.Second), mod.Add(time.Hour)
	tests := []struct {
		name        string
		c           Conditions
		notModified bool
		failed      string
	}{
		{"none", Conditions{}, false, ""},
		{"if-match hit", Conditions{IfMatch: `"abc"`}, false, ""},
		{"if-match list and weak", Conditions{IfMatch: `"x", W/"abc"`}, false, ""},
		{"if-match star", Conditions{IfMatch: "*"}, false, ""},
		{"if-match miss", Conditions{IfMatch: `"x"`}, false, "If-Match"},
		{"unmodified since after", Conditions{IfUnmodifiedSince: &after}, false, ""},
		{"unmodified since at second", Conditions{IfUnmodifiedSince: &at}, false, ""},
		{"unmodified since before", Conditions{IfUnmodifiedSince: &before}, false, "If-Unmodified-Since"},
		{"if-match wins over unmodified-since", Conditions{IfMatch: `"abc"`, IfUnmodifiedSince: &before}, false, ""},
		{"none-match hit", Conditions{IfNoneMatch: `"abc"`}, true, ""},
		{"none-match miss", Conditions{IfNoneMatch: `"x"`}, false, ""},
		{"modified since before", Conditions{IfModifiedSince: &before}, false, ""},
		{"modified since at second", Conditions{IfModifiedSince: &at}, true, ""},
		{"none-match miss ignores modified-since", Conditions{IfNoneMatch: `"x"`, IfModifiedSince: &after}, false, ""},
		{"none-match hit wins over modified-since", Conditions{IfNoneMatch: `"abc"`, IfModifiedSince: &before}, true, ""},
		{"failure before not-modified", Conditions{IfMatch: `"x"`, IfNoneMatch: `"abc"`}, false, "If-Match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nm, failed := tt.c.Check(o)
			if nm != tt.notModified || failed != tt.failed {
				t.Errorf("Check = %v, %q; want %v, %q", nm, failed, tt.notModified, tt.failed)
			}
		})
	}
}

func TestCommonPrefix(t *testing.T) {
	tests := []struct {
		key, prefix, delim, want string
		ok                       bool
	}{
		{"a/b/c", "", "/", "a/", true},
		{"a/b/c", "a/", "/", "a/b/", true},
		{"a/b", "a/", "/", "", false},
		{"abc", "", "", "", false},
		{"x--y--z", "x", "--", "x--", true},
		{"b/x", "a/", "/", "", false},
	}
	for _, tt := range tests {
		got, ok := commonPrefix(tt.key, tt.prefix, tt.delim)
		if got != tt.want || ok != tt.ok {
			t.Errorf("commonPrefix(%q, %q, %q) = %q, %v", tt.key, tt.prefix, tt.delim, got, ok)
		}
	}
}

func TestPrefixEnd(t *testing.T) {
	tests := []struct {
		prefix, want string
		ok           bool
	}{
		{"a", "b", true}, {"a/", "a0", true}, {"a\U0010FFFF", "b", true},
		{"\U0010FFFF", "", false}, {"", "", false}, {"a\uD7FF", "a\uE000", true},
	}
	for _, tt := range tests {
		got, ok := prefixEnd(tt.prefix)
		if got != tt.want || ok != tt.ok {
			t.Errorf("prefixEnd(%q) = %q, %v; want %q, %v", tt.prefix, got, ok, tt.want, tt.ok)
		}
	}
}

func TestValidateBucketPolicy(t *testing.T) {
	stmt := func(action, resource string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":` + action + `,"Resource":` + resource + `}]}`
	}
	tests := []struct {
		name, doc, msg string
	}{
		{"object action on objects", stmt(`"s3:GetObject"`, `"arn:aws:s3:::bkt/*"`), ""},
		{"bucket action on bucket", stmt(`"s3:ListBucket"`, `"arn:aws:s3:::bkt"`), ""},
		{"wildcards", stmt(`["s3:Get*","s3:List*"]`, `["arn:aws:s3:::bkt","arn:aws:s3:::bkt/*"]`), ""},
		{"all actions", stmt(`"*"`, `"arn:aws:s3:::bkt*"`), ""},
		{"object action on bucket", stmt(`"s3:GetObject"`, `"arn:aws:s3:::bkt"`), "Action does not apply to any resource(s) in statement"},
		{"other bucket", stmt(`"s3:GetObject"`, `"arn:aws:s3:::other/*"`), "Policy has invalid resource"},
		{"not an s3 arn", stmt(`"s3:GetObject"`, `"arn:aws:iam::111122223333:root"`), "Policy has invalid resource"},
		{"unknown action", stmt(`"s3:GetObjectz"`, `"arn:aws:s3:::bkt/*"`), "Policy has invalid action"},
		{"other service", stmt(`"iam:CreateUser"`, `"arn:aws:s3:::bkt/*"`), "Policy has invalid action"},
		{"account action", stmt(`"s3:ListAllMyBuckets"`, `"arn:aws:s3:::bkt"`), "Action does not apply to any resource(s) in statement"},
		{"not json", `nope`, "Policies must be valid JSON and the first byte must be '{'"},
		{"no principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}]}`, "Missing required field Principal"},
		{"too large", `{"Id":"` + strings.Repeat("x", MaxBucketPolicySize) + `"}`, "Policy exceeds the maximum allowed document size."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateBucketPolicy(tt.doc, "bkt")
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("ValidateBucketPolicy = %v, want nil", err)
				}
				return
			}
			e, ok := errs.As(err)
			if !ok || e.Reason != codeMalformedPolicy || e.Msg != tt.msg {
				t.Errorf("ValidateBucketPolicy = %v; want MalformedPolicy %q", err, tt.msg)
			}
		})
	}
}

func TestTags(t *testing.T) {
	tests := []struct {
		name, header, want string
	}{
		{"ok", "a=1&b=two%20words", ""},
		{"empty value", "a=", ""},
		{"duplicate", "a=1&a=2", codeInvalidArgument},
		{"bad escape", "a=%zz", codeInvalidArgument},
		{"system key", "aws%3Ax=1", codeInvalidTag},
		{"bad character", "a=%3C", codeInvalidTag},
		{"too many", "a=1&b=1&c=1&d=1&e=1&f=1&g=1&h=1&i=1&j=1&k=1", codeInvalidTag},
		{"long key", strings.Repeat("k", 129) + "=1", codeInvalidTag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTaggingHeader(tt.header)
			if got := reason(err); got != tt.want {
				t.Errorf("ParseTaggingHeader(%q) = %v, want reason %q", tt.header, err, tt.want)
			}
		})
	}
}
