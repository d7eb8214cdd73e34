package arn

import (
	"unicode/utf8"
	"unsafe"
)

// Wildcard semantics follow the IAM User Guide ("IAM JSON policy elements:
// Condition operators", StringLike; "IAM JSON policy elements: Resource"):
// `*` matches any sequence of characters, including none; `?` matches exactly
// one character. There is no escape character in policy text: a literal `*`
// or `?` can only be produced with the ${*} and ${?} policy variables, which
// the policy package turns into quoted patterns (see MatchQuoted).
//
// A "character" is a UTF-8 encoded rune; bytes that are not valid UTF-8 count
// as one character each.

type globMode uint8

const (
	modeFold   globMode = 1 << iota // ASCII letters compare case-insensitively
	modeQuoted                      // `\` makes the next character literal
)

// Match reports whether value matches the IAM wildcard pattern, comparing
// case-sensitively.
func Match(pattern, value string) bool { return glob(pattern, value, 0) }

// MatchFold is Match with ASCII letters compared case-insensitively, as IAM
// does for action names ("s3:Get*" matches "S3:GETOBJECT").
func MatchFold(pattern, value string) bool { return glob(pattern, value, modeFold) }

// MatchQuoted is Match for a pattern in which a backslash makes the following
// character literal, so `\*` matches only an asterisk and `\\` only a
// backslash. Build such patterns with AppendQuoted. The pattern is read during
// the call only.
func MatchQuoted(pattern []byte, value string) bool {
	return glob(bytesToString(pattern), value, modeQuoted)
}

// MatchQuotedFold is MatchQuoted with ASCII letters compared
// case-insensitively.
func MatchQuotedFold(pattern []byte, value string) bool {
	return glob(bytesToString(pattern), value, modeQuoted|modeFold)
}

// AppendQuoted appends s to dst so that every character of s is matched
// literally by MatchQuoted.
func AppendQuoted(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '*', '?', '\\':
			dst = append(dst, '\\', c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// AppendPattern appends the raw IAM pattern s to dst in quoted form: its
// wildcards stay wildcards and its backslashes become literal.
func AppendPattern(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\\' {
			dst = append(dst, '\\', c)
		} else {
			dst = append(dst, c)
		}
	}
	return dst
}

// HasWildcard reports whether s contains `*` or `?`.
func HasWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' || s[i] == '?' {
			return true
		}
	}
	return false
}

// bytesToString views b as a string without copying. The callers only read
// the string during the call, while b is not modified.
func bytesToString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// glob is the classic linear-space wildcard matcher: on a mismatch it
// backtracks to the most recent `*` and lets it swallow one more character.
// Remembering only the last star is enough because a later star can absorb
// anything an earlier one could.
func glob(p, s string, mode globMode) bool {
	px, sx := 0, 0
	starPx, starSx := -1, 0
	for px < len(p) || sx < len(s) {
		if px < len(p) {
			switch c := p[px]; c {
			case '*':
				if px == len(p)-1 {
					return true // a trailing star matches the rest
				}
				starPx, starSx = px, sx
				px++
				continue
			case '?':
				if sx < len(s) {
					px++
					sx += runeLen(s, sx)
					continue
				}
			default:
				lit := px
				if c == '\\' && mode&modeQuoted != 0 && px+1 < len(p) {
					lit++
					c = p[lit]
				}
				if sx < len(s) {
					// ASCII fast path, then the general comparison.
					if d := s[sx]; c < utf8.RuneSelf && d < utf8.RuneSelf {
						if c == d || mode&modeFold != 0 && lower(c) == lower(d) {
							px, sx = lit+1, sx+1
							continue
						}
					} else if n, ok := litMatch(p, lit, s, sx, mode); ok {
						px = lit + runeLen(p, lit)
						sx += n
						continue
					}
				}
			}
		}
		if starPx >= 0 && starSx < len(s) {
			starSx += runeLen(s, starSx)
			px, sx = starPx+1, starSx
			continue
		}
		return false
	}
	return true
}

// litMatch compares the character of p at pi with the character of s at si
// and returns the width of the latter.
func litMatch(p string, pi int, s string, si int, mode globMode) (int, bool) {
	pc, sc := p[pi], s[si]
	if pc < utf8.RuneSelf && sc < utf8.RuneSelf {
		if pc == sc {
			return 1, true
		}
		if mode&modeFold != 0 && lower(pc) == lower(sc) {
			return 1, true
		}
		return 0, false
	}
	pn, sn := runeLen(p, pi), runeLen(s, si)
	if pn != sn || p[pi:pi+pn] != s[si:si+sn] {
		return 0, false
	}
	return sn, true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// runeLen returns the width of the character at s[i]: the size of a valid
// UTF-8 sequence, or 1 for a byte that does not start one.
func runeLen(s string, i int) int {
	if s[i] < utf8.RuneSelf {
		return 1
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	return n
}
