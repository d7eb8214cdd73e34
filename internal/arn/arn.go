// Package arn parses and formats Amazon Resource Names and implements the
// IAM wildcard matching used by policies: plain `*`/`?` globs (Match,
// MatchFold) and ARN patterns whose colon-separated segments are matched
// separately (Pattern).
//
// The format is described in the IAM User Guide, "Identify AWS resources with
// Amazon Resource Names (ARNs)":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
//
//	arn:partition:service:region:account-id:resource
//
// The resource part may itself contain colons and slashes; it is everything
// after the fifth colon.
package arn

import "strings"

// ARN is a parsed Amazon Resource Name. Region and Account may be empty (S3
// bucket and IAM ARNs omit one or both); Partition, Service and Resource may
// not.
type ARN struct {
	Partition string
	Service   string
	Region    string
	Account   string
	Resource  string
}

// Error reports a string that is not a well-formed ARN.
type Error struct {
	// Input is the rejected string.
	Input string
	// Reason says what is wrong with it.
	Reason string
}

// Error returns a description such as `arn: "x": missing "arn:" prefix`.
func (e *Error) Error() string {
	return "arn: " + quote(e.Input) + ": " + e.Reason
}

func quote(s string) string {
	const max = 80
	if len(s) > max {
		s = s[:max] + "..."
	}
	return `"` + s + `"`
}

const prefix = "arn:"

// Parse splits s into its five fields. It does not allocate: the fields are
// substrings of s. It rejects strings without the "arn:" prefix, with fewer
// than six colon-separated parts, or with an empty partition, service or
// resource.
func Parse(s string) (ARN, error) {
	sp := Split(s)
	if !sp.ok {
		return ARN{}, &Error{Input: s, Reason: sp.reason()}
	}
	a := ARN{
		Partition: sp.Segment(1),
		Service:   sp.Segment(2),
		Region:    sp.Segment(3),
		Account:   sp.Segment(4),
		Resource:  sp.Segment(5),
	}
	switch {
	case a.Partition == "":
		return ARN{}, &Error{Input: s, Reason: "empty partition"}
	case a.Service == "":
		return ARN{}, &Error{Input: s, Reason: "empty service"}
	case a.Resource == "":
		return ARN{}, &Error{Input: s, Reason: "empty resource"}
	}
	return a, nil
}

// String formats a as "arn:partition:service:region:account:resource".
func (a ARN) String() string {
	var b strings.Builder
	b.Grow(len(prefix) + len(a.Partition) + len(a.Service) + len(a.Region) + len(a.Account) + len(a.Resource) + 4)
	b.WriteString(prefix)
	b.WriteString(a.Partition)
	b.WriteByte(':')
	b.WriteString(a.Service)
	b.WriteByte(':')
	b.WriteString(a.Region)
	b.WriteByte(':')
	b.WriteString(a.Account)
	b.WriteByte(':')
	b.WriteString(a.Resource)
	return b.String()
}

// Parts is a string split at its first five colons, without copying. Segment 0
// is the literal "arn" when the string is an ARN; segment 5 is the resource.
// It lets one request ARN be matched against many patterns cheaply.
type Parts struct {
	s   string
	end [6]int // end offset of each segment; segment i starts at end[i-1]+1
	n   int    // number of segments found (1..6)
	ok  bool   // six segments and an "arn" first segment
}

// Split splits s into at most six colon-separated segments.
func Split(s string) Parts {
	var p Parts
	p.s = s
	// A plain loop: ARN segments are short, so it beats IndexByte calls.
	for i := 0; i < len(s) && p.n < 5; i++ {
		if s[i] == ':' {
			p.end[p.n] = i
			p.n++
		}
	}
	p.end[p.n] = len(s)
	p.n++
	p.ok = p.n == 6 && p.end[0] == 3 && s[:3] == "arn"
	return p
}

// IsARN reports whether the split string has the "arn:" prefix and six
// segments.
func (p *Parts) IsARN() bool { return p.ok }

// String returns the string that was split.
func (p *Parts) String() string { return p.s }

// Len returns the number of segments (1 to 6).
func (p *Parts) Len() int { return p.n }

// Segment returns segment i (0 to 5), or "" if there are fewer segments.
func (p *Parts) Segment(i int) string {
	if i >= p.n {
		return ""
	}
	return p.s[p.start(i):p.end[i]]
}

// Rest returns the text from the start of segment i to the end of the string,
// colons included.
func (p *Parts) Rest(i int) string {
	if i >= p.n {
		return ""
	}
	return p.s[p.start(i):]
}

func (p *Parts) start(i int) int {
	if i == 0 {
		return 0
	}
	return p.end[i-1] + 1
}

func (p *Parts) reason() string {
	switch {
	case !strings.HasPrefix(p.s, prefix):
		return `missing "arn:" prefix`
	default:
		return "fewer than six colon-separated parts"
	}
}
