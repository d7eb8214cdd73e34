package arn

import "testing"

func TestMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		pattern, value string
		want, wantFold bool
	}{
		{name: "exact", pattern: "abc", value: "abc", want: true, wantFold: true},
		{name: "exact is case-sensitive", pattern: "abc", value: "ABC", want: false, wantFold: true},
		{name: "star matches empty", pattern: "a*", value: "a", want: true, wantFold: true},
		{name: "star matches many", pattern: "a*c", value: "abbbc", want: true, wantFold: true},
		{name: "star alone matches empty string", pattern: "*", value: "", want: true, wantFold: true},
		{name: "star spans slash and colon", pattern: "a*z", value: "a/b:c/z", want: true, wantFold: true},
		{name: "question matches one", pattern: "a?c", value: "abc", want: true, wantFold: true},
		{name: "question needs a character", pattern: "a?", value: "a", want: false, wantFold: false},
		{name: "question matches one rune not one byte", pattern: "a?c", value: "aéc", want: true, wantFold: true},
		{name: "two questions do not match one rune", pattern: "a??c", value: "aéc", want: false, wantFold: false},
		{name: "backtracking", pattern: "*abc*abd", value: "abcabcabd", want: true, wantFold: true},
		{name: "backtracking failure", pattern: "*abc*abd", value: "abcabcab", want: false, wantFold: false},
		{name: "multiple stars", pattern: "s3:*Object*", value: "s3:GetObjectAcl", want: true, wantFold: true},
		{name: "fold action", pattern: "s3:get*", value: "S3:GetObject", want: false, wantFold: true},
		{name: "fold leaves non-ASCII alone", pattern: "é", value: "É", want: false, wantFold: false},
		{name: "empty pattern matches only empty", pattern: "", value: "x", want: false, wantFold: false},
		{name: "backslash is literal in raw patterns", pattern: `a\*`, value: `a\bc`, want: true, wantFold: true},
		{name: "trailing stars", pattern: "abc***", value: "abc", want: true, wantFold: true},
		{name: "no partial match", pattern: "abc", value: "abcd", want: false, wantFold: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Match(tt.pattern, tt.value); got != tt.want {
				t.Errorf("Match(%q, %q) = %v, want %v", tt.pattern, tt.value, got, tt.want)
			}
			if got := MatchFold(tt.pattern, tt.value); got != tt.wantFold {
				t.Errorf("MatchFold(%q, %q) = %v, want %v", tt.pattern, tt.value, got, tt.wantFold)
			}
			if got, want := reference(tt.pattern, tt.value, 0), tt.want; got != want {
				t.Errorf("reference(%q, %q) = %v, want %v", tt.pattern, tt.value, got, want)
			}
		})
	}
}

func TestMatchQuoted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pattern []byte
		value   string
		want    bool
	}{
		{name: "quoted star is literal", pattern: AppendQuoted([]byte("a"), "*"), value: "a*", want: true},
		{name: "quoted star does not match other text", pattern: AppendQuoted([]byte("a"), "*"), value: "ab", want: false},
		{name: "quoted question is literal", pattern: AppendQuoted(nil, "a?"), value: "ab", want: false},
		{name: "pattern wildcards survive AppendPattern", pattern: AppendPattern(nil, "home/*"), value: "home/x", want: true},
		{name: "pattern backslash becomes literal", pattern: AppendPattern(nil, `a\*`), value: `a\zz`, want: true},
		{name: "mixed", pattern: AppendQuoted(AppendPattern(nil, "u/"), "al*ce"), value: "u/al*ce", want: true},
		{name: "mixed literal star", pattern: AppendQuoted(AppendPattern(nil, "u/"), "al*ce"), value: "u/alXce", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := MatchQuoted(tt.pattern, tt.value); got != tt.want {
				t.Errorf("MatchQuoted(%q, %q) = %v, want %v", tt.pattern, tt.value, got, tt.want)
			}
		})
	}
}

func TestGlob(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern string
		fold    bool
		value   string
		want    bool
	}{
		{"abc", false, "abc", true}, {"abc", false, "ABC", false}, {"abc", true, "ABC", true},
		{"*", false, "", true}, {"**", false, "x", true},
		{"ab*", false, "abc", true}, {"ab*", false, "a", false}, {"ab*", true, "ABC", true},
		{"*bc", false, "abc", true}, {"*bc", false, "bd", false}, {"*BC", true, "abc", true},
		{"*b*", false, "abc", true}, {"*b*", false, "ac", false}, {"*B*", true, "abc", true},
		{"a?c", false, "abc", true}, {"a*c*e", false, "abcde", true}, {"a*c*e", false, "abcd", false},
	}
	for _, tt := range tests {
		g := CompileGlob(tt.pattern, tt.fold)
		if got := g.Match(tt.value); got != tt.want {
			t.Errorf("CompileGlob(%q, %v).Match(%q) = %v, want %v", tt.pattern, tt.fold, tt.value, got, tt.want)
		}
		mode := globMode(0)
		if tt.fold {
			mode = modeFold
		}
		if ref := reference(tt.pattern, tt.value, mode); ref != tt.want {
			t.Errorf("reference disagrees on %q %q", tt.pattern, tt.value)
		}
	}
}
