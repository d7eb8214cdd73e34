package grants

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzGrantScope checks the invariants of every grant scope GrantScope
// accepts: it starts with s3:// and a valid bucket, a * can only end it,
// an Object scope names a key, and it is at most 2,000 characters.
func FuzzGrantScope(f *testing.F) {
	f.Add("s3://", "bucket/prefix*", false, true)
	f.Add("s3://bucket/", "/object-key", true, true)
	f.Add("s3://bucket/pre", "fix", false, true)
	f.Add("s3://", "", false, false)
	f.Fuzz(func(t *testing.T, location, sub string, object, hasSub bool) {
		if _, err := ParseLocationScope(location); err != nil {
			return
		}
		var sp *string
		if hasSub {
			sp = &sub
		}
		pt := ""
		if object {
			pt = PrefixTypeObject
		}
		scope, err := GrantScope(location, sp, pt)
		if err != nil {
			if reason(err) != "InvalidAccessGrant" && reason(err) != "InvalidRequest" {
				t.Fatalf("GrantScope(%q, %q) error %v", location, sub, err)
			}
			return
		}
		rest, ok := strings.CutPrefix(scope, "s3://")
		bucket, key, hasKey := strings.Cut(rest, "/")
		switch {
		case !ok || !validBucket(bucket):
			t.Fatalf("GrantScope(%q, %q) = %q: no bucket", location, sub, scope)
		case strings.Contains(strings.TrimSuffix(scope, "*"), "*"):
			t.Fatalf("GrantScope(%q, %q) = %q: * not at the end", location, sub, scope)
		case object && (!hasKey || key == "" || strings.HasSuffix(key, "*")):
			t.Fatalf("GrantScope(%q, %q, Object) = %q", location, sub, scope)
		case utf8.RuneCountInString(scope) > 2000:
			t.Fatalf("GrantScope(%q, %q) is %d characters", location, sub, utf8.RuneCountInString(scope))
		}
	})
}

// FuzzParseLocationScope: accepted scopes keep their text (but for the
// scheme's case) and never hold wildcards.
func FuzzParseLocationScope(f *testing.F) {
	for _, s := range []string{"s3://", "S3://bucket/", "s3://bucket/pre*", "s3://a..b", "s3:/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ParseLocationScope(in)
		if err != nil {
			return
		}
		if !strings.HasPrefix(got, "s3://") || got[5:] != in[5:] || strings.ContainsAny(got, "*?") {
			t.Fatalf("ParseLocationScope(%q) = %q", in, got)
		}
	})
}

// FuzzParseTarget checks parseTarget on any input: it never panics, fails
// only with InvalidRequest, and what it accepts names a valid bucket, keeps
// a "*" only as the end of a prefix, and round-trips: the scope's URI
// parses back to the same scope.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"s3://bucket/prefix*", "s3://bucket", "s3://bucket/", "S3://bucket/a/b.txt",
		"s3://bucket/a*b", "s3://", "bucket/x", "s3://bucket/\xff", "s3://bucket/${*}?$"} {
		f.Add(s, "")
		f.Add(s, PrefixTypeObject)
	}
	f.Fuzz(func(t *testing.T, raw, typ string) {
		tg, err := parseTarget(raw, typ)
		if err != nil {
			if reason(err) != "InvalidRequest" {
				t.Fatalf("parseTarget(%q, %q) error %v", raw, typ, err)
			}
			return
		}
		switch {
		case !validBucket(tg.bucket):
			t.Fatalf("parseTarget(%q) accepted bucket %q", raw, tg.bucket)
		case strings.Contains(tg.key, "*"):
			t.Fatalf("parseTarget(%q) kept a * in the key %q", raw, tg.key)
		case typ == PrefixTypeObject && !tg.exact:
			t.Fatalf("parseTarget(%q, Object) is not one object", raw)
		case !utf8.ValidString(tg.key):
			t.Fatalf("parseTarget(%q) key is not UTF-8", raw)
		}
		back, err := parseTarget(tg.String(), "")
		if err != nil || back.scope != tg.scope {
			t.Fatalf("parseTarget(%q) = %v; its URI %s parses to %v, %v", raw, tg.scope, tg.String(), back.scope, err)
		}
	})
}
