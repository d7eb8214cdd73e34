package arn

import (
	"testing"
	"unicode/utf8"
)

// reference is a deliberately simple dynamic-programming matcher used to
// check glob.
// It works on characters (runes, invalid bytes counting as one character).
func reference(p, s string, mode globMode) bool {
	pc, sc := chars(p), chars(s)
	if mode&modeQuoted != 0 {
		return refMatch(quotedTokens(pc), sc, mode)
	}
	toks := make([]token, len(pc))
	for i, c := range pc {
		toks[i] = token{text: c, wild: c == "*" || c == "?"}
	}
	return refMatch(toks, sc, mode)
}

type token struct {
	text string
	wild bool
}

func quotedTokens(pc []string) []token {
	var toks []token
	for i := 0; i < len(pc); i++ {
		c := pc[i]
		if c == `\` && i+1 < len(pc) {
			toks = append(toks, token{text: pc[i+1]})
			i++
			continue
		}
		toks = append(toks, token{text: c, wild: c == "*" || c == "?"})
	}
	return toks
}

func chars(s string) []string {
	var out []string
	for len(s) > 0 {
		_, n := utf8.DecodeRuneInString(s)
		out = append(out, s[:n])
		s = s[n:]
	}
	return out
}

func refMatch(p []token, s []string, mode globMode) bool {
	// dp[i][j]: p[i:] matches s[j:].
	dp := make([][]bool, len(p)+1)
	for i := range dp {
		dp[i] = make([]bool, len(s)+1)
	}
	dp[len(p)][len(s)] = true
	for i := len(p) - 1; i >= 0; i-- {
		t := p[i]
		for j := len(s); j >= 0; j-- {
			switch {
			case t.wild && t.text == "*":
				dp[i][j] = dp[i+1][j] || (j < len(s) && dp[i][j+1])
			case j == len(s):
				dp[i][j] = false
			case t.wild && t.text == "?":
				dp[i][j] = dp[i+1][j+1]
			default:
				dp[i][j] = charEq(t.text, s[j], mode) && dp[i+1][j+1]
			}
		}
	}
	return dp[0][0]
}

func charEq(a, b string, mode globMode) bool {
	if a == b {
		return true
	}
	if mode&modeFold != 0 && len(a) == 1 && len(b) == 1 && a[0] < utf8.RuneSelf && b[0] < utf8.RuneSelf {
		return lower(a[0]) == lower(b[0])
	}
	return false
}

// FuzzMatch checks that the linear matcher agrees with the recursive
// reference in every mode and never panics.
func FuzzMatch(f *testing.F) {
	seeds := [][2]string{
		{"*", ""}, {"a*c", "abbbc"}, {"a?c", "aéc"}, {"*abc*abd", "abcabcabd"},
		{"s3:Get*", "S3:GETOBJECT"}, {`\*`, "*"}, {`a\`, `a\`}, {"?*?", "é"},
		{"\xc3*", "é"}, {"*?*?", "é"}, {"arn:aws:s3:::b/*", "arn:aws:s3:::b/k"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, p, s string) {
		for _, fold := range []bool{false, true} {
			g := CompileGlob(p, fold)
			mode := globMode(0)
			if fold {
				mode = modeFold
			}
			if got, want := g.Match(s), reference(p, s, mode); got != want {
				t.Fatalf("CompileGlob(%q, %v).Match(%q) = %v, reference says %v", p, fold, s, got, want)
			}
		}
		for _, mode := range []globMode{0, modeFold, modeQuoted, modeQuoted | modeFold} {
			got := glob(p, s, mode)
			want := reference(p, s, mode)
			if got != want {
				t.Fatalf("glob(%q, %q, %d) = %v, reference says %v", p, s, mode, got, want)
			}
		}
		q := AppendQuoted(nil, s)
		if !MatchQuoted(q, s) {
			t.Fatalf("MatchQuoted(AppendQuoted(%q)) = false", s)
		}
	})
}

// FuzzARN checks that Parse never panics and that a parsed ARN formats back
// to the same string.
func FuzzARN(f *testing.F) {
	for _, s := range []string{
		"arn:aws:s3:::bucket", "arn:aws:iam::111122223333:user/a/b", "arn:aws:sns:r:a:t:s",
		"arn:::::", "arn:a:b:c:d:", "", "arn", "arn:aws:s3:*", "arn:aws:s3:::b/${aws:username}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err == nil {
			if got := a.String(); got != s {
				t.Fatalf("Parse(%q).String() = %q", s, got)
			}
			b, err := Parse(a.String())
			if err != nil || b != a {
				t.Fatalf("reparse of %q: %v, %+v != %+v", s, err, b, a)
			}
		}
		if p := Split(s); err == nil && !p.IsARN() {
			t.Fatalf("Split(%q).IsARN() = false for a parsed ARN", s)
		}
		if pat, err := ParsePattern(s); err == nil {
			_ = pat.Match(s)
			if pat.Segments() == 6 && !HasWildcard(s) && !pat.Match(s) {
				t.Fatalf("literal pattern %q does not match itself", s)
			}
		}
	})
}
