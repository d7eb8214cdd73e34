package s3

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/grantd/grantd/internal/errs"
)

func TestParseRange(t *testing.T) {
	tests := []struct {
		name, h string
		want    *Range
	}{
		{"closed", "bytes=0-99", &Range{Start: 0, End: 99}},
		{"open", "bytes=100-", &Range{Start: 100, End: -1}},
		{"suffix", "bytes=-500", &Range{IsSuffix: true, Suffix: 500, End: -1}},
		{"spaces", " bytes= 5-6 ", &Range{Start: 5, End: 6}},
		{"several ranges are ignored", "bytes=0-1,3-4", nil},
		{"other unit", "items=0-1", nil},
		{"reversed", "bytes=9-1", nil},
		{"no dash", "bytes=5", nil},
		{"junk", "bytes=a-b", nil},
		{"negative", "bytes=--1", nil},
		{"empty", "bytes=-", nil},
		{"overflow", "bytes=0-99999999999999999999", nil},
		{"plus sign", "bytes=+1-2", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseRange(tt.h)
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(Range{}, "Raw")); diff != "" {
				t.Errorf("ParseRange(%q) (-want +got):\n%s", tt.h, diff)
			}
		})
	}
}

func TestRangeResolve(t *testing.T) {
	tests := []struct {
		name        string
		h           string
		size        int64
		off, length int64
		invalid     bool
	}{
		{"inside", "bytes=2-5", 10, 2, 4, false},
		{"end past size is clamped", "bytes=5-100", 10, 5, 5, false},
		{"open", "bytes=7-", 10, 7, 3, false},
		{"last byte", "bytes=9-9", 10, 9, 1, false},
		{"start at size", "bytes=10-", 10, 0, 0, true},
		{"suffix", "bytes=-3", 10, 7, 3, false},
		{"suffix longer than object", "bytes=-30", 10, 0, 10, false},
		{"zero suffix", "bytes=-0", 10, 0, 0, true},
		{"empty object", "bytes=0-", 0, 0, 0, true},
		{"suffix of empty object", "bytes=-5", 0, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			off, n, err := ParseRange(tt.h).Resolve(tt.size)
			if tt.invalid {
				e, ok := errs.As(err)
				if !ok || e.Reason != codeInvalidRange {
					t.Fatalf("Resolve = %d, %d, %v; want InvalidRange", off, n, err)
				}
				want := []Detail{{"RangeRequested", tt.h}, {"ActualObjectSize", itoa(int(tt.size))}}
				if diff := cmp.Diff(want, DetailsOf(err)); diff != "" {
					t.Errorf("details (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil || off != tt.off || n != tt.length {
				t.Errorf("Resolve = %d, %d, %v; want %d, %d", off, n, err, tt.off, tt.length)
			}
		})
	}
}

// FuzzRange checks that any header either is ignored or selects a range
// inside the object, and never panics.
func FuzzRange(f *testing.F) {
	for _, s := range []string{"bytes=0-1", "bytes=-1", "bytes=5-", "bytes=0-1,2-3", "bytes=", "bytes=9223372036854775807-", "bytes=-9223372036854775807"} {
		f.Add(s, int64(10))
	}
	f.Fuzz(func(t *testing.T, h string, size int64) {
		if size < 0 {
			size = -size
		}
		if size < 0 {
			return
		}
		r := ParseRange(h)
		if r == nil {
			return
		}
		off, n, err := r.Resolve(size)
		if err != nil {
			return
		}
		if off < 0 || n <= 0 || off+n > size || off+n < off {
			t.Fatalf("ParseRange(%q).Resolve(%d) = %d, %d: outside the object", h, size, off, n)
		}
	})
}
