package grants

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		name       string
		raw, typ   string
		want       scope
		wantReason string
	}{
		{name: "prefix", raw: "s3://bk1/prefixA*", want: scope{bucket: "bk1", key: "prefixA"}},
		{name: "whole bucket", raw: "s3://bk1/*", want: scope{bucket: "bk1"}},
		{name: "bucket only", raw: "s3://bk1", want: scope{bucket: "bk1"}},
		{name: "bucket slash", raw: "s3://bk1/", want: scope{bucket: "bk1"}},
		{name: "object", raw: "s3://bk1/a/b.txt", want: scope{bucket: "bk1", key: "a/b.txt", exact: true}},
		{name: "object declared", raw: "s3://bk1/a/b.txt", typ: "Object", want: scope{bucket: "bk1", key: "a/b.txt", exact: true}},
		{name: "upper-case scheme", raw: "S3://bk1/x*", want: scope{bucket: "bk1", key: "x"}},
		{name: "key with specials", raw: "s3://bk1/a?b$c", want: scope{bucket: "bk1", key: "a?b$c", exact: true}},
		{name: "empty", raw: "", wantReason: "InvalidRequest"},
		{name: "no scheme", raw: "bk1/x", wantReason: "InvalidRequest"},
		{name: "http", raw: "https://bk1.s3.amazonaws.com/x", wantReason: "InvalidRequest"},
		{name: "bad bucket", raw: "s3://B_1/x", wantReason: "InvalidRequest"},
		{name: "no bucket", raw: "s3://", wantReason: "InvalidRequest"},
		{name: "inner wildcard", raw: "s3://bk1/a*b", wantReason: "InvalidRequest"},
		{name: "object with wildcard", raw: "s3://bk1/a*", typ: "Object", wantReason: "InvalidRequest"},
		{name: "object without key", raw: "s3://bk1", typ: "Object", wantReason: "InvalidRequest"},
		{name: "unknown type", raw: "s3://bk1/a", typ: "Prefix", wantReason: "InvalidRequest"},
		{name: "not utf-8", raw: "s3://bk1/\xff", wantReason: "InvalidRequest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseTarget(tt.raw, tt.typ)
			if r := reason(err); r != tt.wantReason {
				t.Fatalf("parseTarget(%q, %q) error = %v, want reason %q", tt.raw, tt.typ, err, tt.wantReason)
			}
			if err == nil {
				if diff := cmp.Diff(tt.want, got.scope, cmp.AllowUnexported(scope{})); diff != "" {
					t.Errorf("scope (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestScopeCovers(t *testing.T) {
	g := func(s, typ string) scope {
		sc, ok := grantScopeOf(s, typ)
		if !ok {
			t.Fatalf("grantScopeOf(%q) failed", s)
		}
		return sc
	}
	tg := func(s string) scope {
		tt, err := parseTarget(s, "")
		if err != nil {
			t.Fatal(err)
		}
		return tt.scope
	}
	tests := []struct {
		name   string
		grant  scope
		target scope
		want   bool
	}{
		{"prefix covers object", g("s3://bkt/prefixA*", ""), tg("s3://bkt/prefixA/f.txt"), true},
		{"prefix is character level", g("s3://bkt/prefix*", ""), tg("s3://bkt/prefix.txt"), true},
		{"prefix covers itself", g("s3://bkt/prefixA*", ""), tg("s3://bkt/prefixA*"), true},
		{"prefix covers narrower prefix", g("s3://bkt/p*", ""), tg("s3://bkt/pA/x*"), true},
		{"prefix does not cover wider", g("s3://bkt/prefixA*", ""), tg("s3://bkt/prefix*"), false},
		{"prefix does not cover sibling", g("s3://bkt/prefixA*", ""), tg("s3://bkt/prefixB/f"), false},
		{"other bucket", g("s3://bkt/*", ""), tg("s3://ckt/x"), false},
		{"bucket grant covers bucket", g("s3://bkt/*", ""), tg("s3://bkt"), true},
		{"bucket location grant covers keys", g("s3://bkt", ""), tg("s3://bkt/any/key"), true},
		{"bucket location grant is not a name prefix", g("s3://bkt", ""), tg("s3://bktb/x"), false},
		{"prefix grant does not cover bucket", g("s3://bkt/p*", ""), tg("s3://bkt"), false},
		{"non-wildcard prefix", g("s3://bkt/2024/", ""), tg("s3://bkt/2024/x"), true},
		{"object grant covers object", g("s3://bkt/k.txt", "Object"), tg("s3://bkt/k.txt"), true},
		{"object grant does not cover prefix", g("s3://bkt/k.txt", "Object"), tg("s3://bkt/k.txt*"), false},
		{"object grant does not cover longer key", g("s3://bkt/k", "Object"), tg("s3://bkt/k2"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.grant.covers(tt.target); got != tt.want {
				t.Errorf("%v covers %v = %v, want %v", tt.grant, tt.target, got, tt.want)
			}
		})
	}
}

func TestSatisfies(t *testing.T) {
	tests := []struct {
		granted, asked string
		want           bool
	}{
		{PermissionRead, PermissionRead, true},
		{PermissionWrite, PermissionWrite, true},
		{PermissionReadWrite, PermissionRead, true},
		{PermissionReadWrite, PermissionWrite, true},
		{PermissionReadWrite, PermissionReadWrite, true},
		{PermissionRead, PermissionWrite, false},
		{PermissionRead, PermissionReadWrite, false},
		{PermissionWrite, PermissionRead, false},
		{PermissionWrite, PermissionReadWrite, false},
	}
	for _, tt := range tests {
		t.Run(tt.granted+"/"+tt.asked, func(t *testing.T) {
			if got := satisfies(tt.granted, tt.asked); got != tt.want {
				t.Errorf("satisfies(%s, %s) = %v", tt.granted, tt.asked, got)
			}
		})
	}
}

// TestValidBucket checks the hand-written bucket-name check against the
// regular expression it replaced, on names that probe its edges and on
// random ones.
func TestValidBucket(t *testing.T) {
	re := regexp.MustCompile(`^[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]$`)
	want := func(b string) bool { return re.MatchString(b) && !strings.Contains(b, "..") }
	names := []string{"", "a", "ab", "abc", "a.b", "a..b", "-ab", "ab-", ".ab", "ab.", "a-b", "A-b", "a_b",
		strings.Repeat("a", 63), strings.Repeat("a", 64), "192.168.0.1", "bücket"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		n := r.IntN(70)
		b := make([]byte, n)
		for i := range b {
			b[i] = "ab9.-A_"[r.IntN(7)]
		}
		names = append(names, string(b))
	}
	for _, b := range names {
		if got := validBucket(b); got != want(b) {
			t.Errorf("validBucket(%q) = %v, want %v", b, got, want(b))
		}
	}
}
