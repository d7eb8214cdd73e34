package arn

import (
	"strings"
	"unicode/utf8"
)

// Glob is a compiled IAM wildcard pattern. Most policy patterns are plain
// text, "*", "prefix*", "*suffix" or "*infix*"; those are matched with
// string comparisons instead of the general matcher.
type Glob struct {
	lit  string // the text for exact, prefix, suffix and infix patterns
	pat  string // the whole pattern
	kind globKind
	fold bool
	head int // general patterns: length of the literal text before the first wildcard
}

type globKind uint8

const (
	globExact globKind = iota
	globAny
	globPrefix
	globSuffix
	globInfix
	globGeneral
)

// CompileGlob compiles pattern. With fold, ASCII letters match
// case-insensitively (as MatchFold).
func CompileGlob(pattern string, fold bool) Glob {
	var st globStats
	for i := 0; i < len(pattern); i++ {
		st.add(i, pattern[i])
	}
	return st.glob(pattern, fold)
}

// globStats describes the wildcards of a pattern, gathered in one pass over
// it (possibly as part of a longer one, as ParsePattern does).
type globStats struct {
	first, last int // offsets of the first and last wildcard; valid if wild > 0
	wild        int // number of wildcards
	question    bool
	nonASCII    bool
}

// add accounts for byte c at offset i of the pattern.
func (st *globStats) add(i int, c byte) {
	switch {
	case c == '*' || c == '?':
		if st.wild == 0 {
			st.first = i
		}
		st.last, st.wild = i, st.wild+1
		st.question = st.question || c == '?'
	case c >= utf8.RuneSelf:
		st.nonASCII = true
	}
}

// glob compiles pattern, whose statistics st holds.
func (st *globStats) glob(pattern string, fold bool) Glob {
	g := Glob{pat: pattern, fold: fold, kind: globGeneral}
	n, first, last, wild := len(pattern), st.first, st.last, st.wild
	valid := !st.nonASCII || utf8.ValidString(pattern)
	switch {
	case wild == 0:
		g.kind, g.lit = globExact, pattern
	case wild == n && !st.question:
		g.kind = globAny // only stars
	case !valid:
		// Byte-wise shortcuts are character-exact only for valid UTF-8.
	case st.question:
		g.head = first // '?' needs the general matcher after the literal head
	case wild == 1 && last == n-1:
		g.kind, g.lit = globPrefix, pattern[:n-1]
	case wild == 1 && first == 0:
		g.kind, g.lit = globSuffix, pattern[1:]
	case wild == 2 && first == 0 && last == n-1 && !fold:
		g.kind, g.lit = globInfix, pattern[1:n-1]
	default:
		g.head = first
	}
	return g
}

// String returns the pattern.
func (g *Glob) String() string { return g.pat }

// IsLiteral reports whether the pattern has no wildcards.
func (g *Glob) IsLiteral() bool { return g.kind == globExact }

// Match reports whether s matches the pattern.
func (g *Glob) Match(s string) bool {
	switch g.kind {
	case globExact:
		return len(s) == len(g.lit) && g.eq(s, g.lit)
	case globAny:
		return true
	case globPrefix:
		// The first byte rejects most mismatches without calling into the
		// string comparison.
		if len(s) < len(g.lit) || !g.fold && len(g.lit) > 0 && s[0] != g.lit[0] {
			return false
		}
		return g.eq(s[:len(g.lit)], g.lit)
	case globSuffix:
		return len(s) >= len(g.lit) && g.eq(s[len(s)-len(g.lit):], g.lit)
	case globInfix:
		return strings.Contains(s, g.lit)
	}
	if len(s) < g.head || !g.eq(s[:g.head], g.pat[:g.head]) {
		return false
	}
	mode := globMode(0)
	if g.fold {
		mode = modeFold
	}
	return glob(g.pat[g.head:], s[g.head:], mode)
}

func (g *Glob) eq(a, b string) bool {
	if !g.fold {
		return a == b
	}
	return equalFoldASCII(a, b)
}

// equalFoldASCII compares a and b with ASCII letters folded.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}
