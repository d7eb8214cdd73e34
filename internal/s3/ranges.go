package s3

import (
	"strconv"
	"strings"

	"github.com/grantd/grantd/internal/errs"
)

// Range is a parsed "Range: bytes=…" header with a single range, which is
// all S3 serves.
type Range struct {
	// Start and End are the first and last byte positions; End is -1 for
	// an open range ("bytes=100-"). For a suffix range ("bytes=-500")
	// Suffix is the length and Start and End are unused.
	Start, End int64
	Suffix     int64
	IsSuffix   bool
	// Raw is the header as sent, for the InvalidRange error.
	Raw string
}

// ParseRange parses a Range header. It returns nil, with no error, for a
// header S3 ignores and answers with the whole object: one that is not a
// syntactically valid single byte range (RFC 9110 says to ignore those; S3
// does not serve several ranges in one response either).
func ParseRange(h string) *Range {
	spec, ok := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return nil
	}
	first, last, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return nil
	}
	r := &Range{Raw: h, End: -1}
	if first == "" {
		n, ok := parsePos(last)
		if !ok {
			return nil
		}
		r.IsSuffix, r.Suffix = true, n
		return r
	}
	start, ok := parsePos(first)
	if !ok {
		return nil
	}
	r.Start = start
	if last != "" {
		end, ok := parsePos(last)
		if !ok || end < start {
			return nil
		}
		r.End = end
	}
	return r
}

func parsePos(s string) (int64, bool) {
	if s == "" || len(s) > 19 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// Resolve returns the offset and length the range selects in an object of
// size bytes, or InvalidRange when it selects nothing.
func (r *Range) Resolve(size int64) (offset, length int64, err error) {
	switch {
	case r.IsSuffix && r.Suffix > 0 && size > 0:
		n := min(r.Suffix, size)
		return size - n, n, nil
	case !r.IsSuffix && r.Start < size:
		end := size - 1
		if r.End >= 0 && r.End < end {
			end = r.End
		}
		return r.Start, end - r.Start + 1, nil
	}
	return 0, 0, fail(errs.Invalid, codeInvalidRange, "The requested range is not satisfiable",
		"RangeRequested", r.Raw, "ActualObjectSize", strconv.FormatInt(size, 10))
}
