package arn

import "strings"

// Pattern is a compiled Resource-element ARN pattern.
//
// Per the IAM User Guide ("IAM JSON policy elements: Resource", Using
// wildcards in resource ARNs,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html):
// wildcards may appear in any colon-separated segment and match within that
// segment only, except that the resource part (everything after the fifth
// colon) is one segment, so a wildcard there may span `/` and `:`; and "if
// the * wildcard is the last character of a resource ARN segment, it can
// expand to match beyond colon boundaries" — a pattern with fewer than six
// segments whose last segment ends in `*` (such as "arn:aws:s3:*") lets that
// segment match the rest of the ARN. Matching is case-sensitive.
type Pattern struct {
	raw     string
	head    string // "arn:p:s:r:a:" when n == 6 and those segments have no wildcards
	last    Glob   // the last segment
	mid     []Glob // segments 1..n-2 when head is empty
	at      int32  // offset of the last segment in raw
	svc     int32  // offset of the service segment (the third) in raw, or 0
	n       uint8  // number of segments, 2..6
	any     bool   // the pattern "*"
	literal bool   // six segments, no wildcards: plain string equality
}

// ParsePattern compiles s, which must be "*" or start with "arn:" and either
// have six colon-separated segments or end its last segment with `*`.
func ParsePattern(s string) (Pattern, error) {
	if s == "*" {
		return Pattern{raw: s, any: true}, nil
	}
	if !strings.HasPrefix(s, prefix) {
		return Pattern{}, &Error{Input: s, Reason: `pattern must be "*" or start with "arn:"`}
	}
	// One pass finds the colons ending the first five segments and the
	// wildcards of the last segment and of those before it.
	n, at, svc, wildHead := 1, 0, 0, false
	var st globStats
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ':' && n < 6 {
			if n == 2 {
				svc = i + 1
			}
			n, at = n+1, i+1
			wildHead = wildHead || st.wild > 0
			st = globStats{}
		} else {
			st.add(i-at, c)
		}
	}
	if n < 6 && !strings.HasSuffix(s, "*") {
		return Pattern{}, &Error{Input: s, Reason: "fewer than six colon-separated parts"}
	}
	p := Pattern{raw: s, n: uint8(n), at: int32(at), svc: int32(svc), last: st.glob(s[at:], false)}
	if n == 6 && !wildHead {
		p.head, p.literal = s[:at], st.wild == 0
		return p, nil
	}
	sp := Split(s)
	p.mid = make([]Glob, 0, n-2)
	for i := 1; i < n-1; i++ {
		p.mid = append(p.mid, CompileGlob(sp.Segment(i), false))
	}
	return p, nil
}

// MustParsePattern is ParsePattern for patterns known to be valid; it panics
// otherwise. It is meant for tests and package-level tables.
func MustParsePattern(s string) Pattern {
	p, err := ParsePattern(s)
	if err != nil {
		panic(err)
	}
	return p
}

// String returns the pattern as written.
func (p *Pattern) String() string { return p.raw }

// IsAny reports whether the pattern is "*".
func (p *Pattern) IsAny() bool { return p.any }

// Segments returns the number of colon-separated segments of an ARN pattern
// (2 to 6), or 0 for "*".
func (p *Pattern) Segments() int { return int(p.n) }

// Segment returns segment i (0 "arn", 1 partition, 2 service, 3 region,
// 4 account, 5 resource) as written, or "" if the pattern is shorter.
func (p *Pattern) Segment(i int) string {
	if i == int(p.n)-1 {
		return p.raw[p.at:]
	}
	sp := Split(p.raw)
	return sp.Segment(i)
}

// Service returns the service segment of a pattern of four or more segments
// as written, or "".
func (p *Pattern) Service() string {
	if p.n < 4 {
		return ""
	}
	return p.raw[p.svc : p.svc+int32(strings.IndexByte(p.raw[p.svc:], ':'))]
}

// Match reports whether the ARN string v matches the pattern.
func (p *Pattern) Match(v string) bool {
	if p.any {
		return true
	}
	if p.literal {
		return v == p.raw
	}
	parts := Split(v)
	return p.MatchParts(&parts)
}

// MatchParts is Match for a value that was already split.
func (p *Pattern) MatchParts(v *Parts) bool {
	switch {
	case p.any:
		return true
	case p.literal:
		return v.s == p.raw
	case !v.ok:
		return false
	case p.head != "":
		// A value starting with the five literal segments and their colons
		// has exactly those segments.
		return strings.HasPrefix(v.s, p.head) && p.last.Match(v.s[len(p.head):])
	}
	return p.MatchPrefix(v) && p.last.Match(p.LastValue(v))
}

// MatchPrefix reports whether the segments before the pattern's last one
// (for a full pattern: partition, service, region and account) match v. It
// lets callers match the last segment themselves, for example after
// substituting policy variables into it.
func (p *Pattern) MatchPrefix(v *Parts) bool {
	switch {
	case p.any:
		return true
	case !v.ok:
		return false
	case p.head != "":
		return strings.HasPrefix(v.s, p.head)
	}
	// The service segment is checked first: it rejects most mismatches.
	if len(p.mid) > 1 && !p.mid[1].Match(v.Segment(2)) {
		return false
	}
	for i := range p.mid {
		if i != 1 && !p.mid[i].Match(v.Segment(i+1)) {
			return false
		}
	}
	return true
}

// LastValue returns the part of v that the pattern's last segment is matched
// against: the resource for a six-segment pattern, otherwise everything from
// the last pattern segment's position to the end of v.
func (p *Pattern) LastValue(v *Parts) string {
	if p.n == 6 {
		return v.Segment(5)
	}
	return v.Rest(int(p.n) - 1)
}
