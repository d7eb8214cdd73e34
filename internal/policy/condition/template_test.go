package condition

import (
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/grantd/grantd/internal/arn"
)

func TestTemplateText(t *testing.T) {
	t.Parallel()
	ctx := newCtx(map[string][]string{
		"aws:username":          {"alice"},
		"aws:principaltag/team": {"blue"},
		"aws:tagkeys":           {"a", "b"},
		"s3:prefix":             {"home/"},
		"test:star":             {"a*b"},
	})
	tests := []struct {
		name   string
		in     string
		novars bool
		want   string
		ok     bool
	}{
		{name: "no variables", in: "plain", want: "plain", ok: true},
		{name: "simple variable", in: "home/${aws:username}/", want: "home/alice/", ok: true},
		{name: "variable keys are case-insensitive", in: "${AWS:UserName}", want: "alice", ok: true},
		{name: "tag variable", in: "${aws:PrincipalTag/team}", want: "blue", ok: true},
		{name: "service key", in: "${s3:prefix}x", want: "home/x", ok: true},
		{name: "two variables", in: "${aws:username}-${aws:PrincipalTag/team}", want: "alice-blue", ok: true},
		{name: "missing key does not resolve", in: "${aws:userid}", ok: false},
		{name: "default value used when missing", in: "${aws:PrincipalTag/dept, 'none'}", want: "none", ok: true},
		{name: "default value ignored when present", in: "${aws:username, 'anonymous'}", want: "alice", ok: true},
		{name: "default value without space", in: "${aws:userid,'anon'}", want: "anon", ok: true},
		{name: "multi-valued key cannot be a variable", in: "${aws:TagKeys}", ok: false},
		{name: "special star", in: "a${*}b", want: "a*b", ok: true},
		{name: "special question", in: "a${?}", want: "a?", ok: true},
		{name: "special dollar", in: "${$}{x}", want: "${x}", ok: true},
		{name: "unterminated is literal", in: "a${aws:username", want: "a${aws:username", ok: true},
		{name: "empty braces are literal", in: "a${}b", want: "a${}b", ok: true},
		{name: "2008-10-17 policy treats variables literally", in: "home/${aws:username}", novars: true, want: "home/${aws:username}", ok: true},
		{name: "dollar without brace", in: "$5", want: "$5", ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tp := ParseTemplate(tt.in, !tt.novars)
			got, ok := tp.AppendText(nil, ctx)
			if ok != tt.ok || ok && string(got) != tt.want {
				t.Errorf("AppendText(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
			if tp.String() != tt.in {
				t.Errorf("String() = %q", tp.String())
			}
		})
	}
}

func TestTemplateKeys(t *testing.T) {
	t.Parallel()
	tp := ParseTemplate("${aws:username}/${*}/${AWS:PrincipalTag/Team, 'x'}", true)
	if diff := cmp.Diff([]string{"aws:username", "aws:principaltag/team"}, tp.Keys()); diff != "" {
		t.Errorf("Keys() mismatch (-want +got):\n%s", diff)
	}
	if tp.IsLiteral() {
		t.Error("IsLiteral() = true")
	}
}

// Variables in StringLike: substituted values and ${*} are literal, text
// written in the policy keeps its wildcards.
func TestVariablesInStringLike(t *testing.T) {
	t.Parallel()
	ctx := func(user, prefix string) map[string][]string {
		return map[string][]string{"aws:username": {user}, "s3:prefix": {prefix}}
	}
	runEvalCases(t, []evalCase{
		{name: "home directory prefix", op: "StringLike", key: "s3:prefix", values: []string{"", "home/", "home/${aws:username}/*"}, ctx: ctx("alice", "home/alice/docs/"), want: true},
		{name: "other user's home", op: "StringLike", key: "s3:prefix", values: []string{"home/${aws:username}/*"}, ctx: ctx("alice", "home/bob/"), want: false},
		{name: "substituted wildcard is literal", op: "StringLike", key: "s3:prefix", values: []string{"home/${aws:username}/*"}, ctx: ctx("*", "home/bob/"), want: false},
		{name: "substituted wildcard matches itself", op: "StringLike", key: "s3:prefix", values: []string{"home/${aws:username}/*"}, ctx: ctx("*", "home/*/x"), want: true},
		{name: "special star is literal", op: "StringLike", key: "s3:prefix", values: []string{"a${*}"}, ctx: ctx("u", "abc"), want: false},
		{name: "special star matches a star", op: "StringLike", key: "s3:prefix", values: []string{"a${*}"}, ctx: ctx("u", "a*"), want: true},
		{name: "special question is literal", op: "StringLike", key: "s3:prefix", values: []string{"a${?}"}, ctx: ctx("u", "ab"), want: false},
		{name: "missing variable makes the value not match", op: "StringLike", key: "s3:prefix", values: []string{"${aws:PrincipalTag/x}*"}, ctx: ctx("u", "anything"), want: false},
		{name: "missing variable with default", op: "StringLike", key: "s3:prefix", values: []string{"${aws:PrincipalTag/x, 'tmp'}/*"}, ctx: ctx("u", "tmp/a"), want: true},
		{name: "StringEquals with variable", op: "StringEquals", key: "s3:prefix", values: []string{"${aws:username}"}, ctx: ctx("alice", "alice"), want: true},
		{name: "StringEquals with variable mismatch", op: "StringEquals", key: "s3:prefix", values: []string{"${aws:username}"}, ctx: ctx("alice", "bob"), want: false},
		{name: "StringEqualsIgnoreCase with variable", op: "StringEqualsIgnoreCase", key: "s3:prefix", values: []string{"${aws:username}"}, ctx: ctx("Alice", "ALICE"), want: true},
		{name: "StringNotEquals with unresolved variable is true", op: "StringNotEquals", key: "s3:prefix", values: []string{"${aws:PrincipalTag/x}"}, ctx: ctx("u", "p"), want: true},
		{name: "2008 policy compares variables literally", op: "StringEquals", key: "s3:prefix", values: []string{"${aws:username}"}, ctx: ctx("alice", "${aws:username}"), novars: true, want: true},
		{name: "2008 policy does not substitute", op: "StringEquals", key: "s3:prefix", values: []string{"${aws:username}"}, ctx: ctx("alice", "alice"), novars: true, want: false},
	})
}

func TestTemplateLiteralPrefix(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"home/${aws:username}/*": "home/",
		"${aws:username}":        "",
		"plain*text":             "plain",
		"plain":                  "plain",
		"a?${x}":                 "a",
		"${*}x":                  "",
	} {
		tp := ParseTemplate(in, true)
		if got := tp.LiteralPrefix(); got != want {
			t.Errorf("LiteralPrefix(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzMatchPattern checks Template.MatchPattern, where it decides, against
// matching the pattern AppendPattern builds.
func FuzzMatchPattern(f *testing.F) {
	for _, s := range [][3]string{
		{"home/${aws:username}/*", "alice", "home/alice/x"},
		{"${aws:username}", "bob", "bob"},
		{"a${*}b${?}*", "", "a*b?c"},
		{"x/${aws:username, 'def'}/y", "", "x/def/y"},
		{"é/${aws:username}*", "\xc3", "é/\xc3\xa9"},
		{"\\${aws:username}*", "a?", "\\a?z"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, tmpl, value, s string) {
		if !utf8.ValidString(tmpl) {
			return // templates come from documents, which are valid UTF-8
		}
		tp := ParseTemplate(tmpl, true)
		c := NewContext(1)
		if value != "" {
			c.Set("aws:username", value)
		}
		matched, handled := tp.MatchPattern(c, s)
		if !handled {
			return
		}
		p, ok := tp.AppendPattern(nil, c)
		if want := ok && arn.MatchQuoted(p, s); matched != want {
			t.Fatalf("MatchPattern(%q) of %q with %q = %v, the quoted pattern %q says %v", tmpl, s, value, matched, p, want)
		}
	})
}
