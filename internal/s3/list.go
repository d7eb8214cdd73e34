package s3

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/grantd/grantd/internal/meta"
)

// MaxListKeys is the most entries one listing page returns.
const MaxListKeys = 1000

// ListObjectsInput is a ListObjects (V1) or ListObjectsV2 request.
type ListObjectsInput struct {
	Bucket    string
	Prefix    string
	Delimiter string
	V2        bool
	// Marker (V1) and StartAfter (V2) are exclusive start keys;
	// ContinuationToken (V2) continues a previous page and wins over
	// StartAfter.
	Marker            string
	StartAfter        string
	ContinuationToken string
	// MaxKeys is the requested page size; MaxKeysSet is false when the
	// request had none (1000).
	MaxKeys    int
	MaxKeysSet bool
	FetchOwner bool
	// Versions asks for ListObjectVersions: Marker is the key-marker, and
	// every object is its only version, "null" (grantd does not version).
	Versions bool
}

// ListObjectsOutput is one page of a listing.
type ListObjectsOutput struct {
	Objects        []meta.Object
	CommonPrefixes []string
	IsTruncated    bool
	// NextMarker (V1, only with a delimiter, as S3) and
	// NextContinuationToken (V2) continue the listing.
	NextMarker            string
	NextContinuationToken string
	// Owner is set for V1 and for V2 with FetchOwner.
	Owner *Owner
	// MaxKeys is the page size used.
	MaxKeys int
}

// KeyCount is what ListObjectsV2 reports: objects plus common prefixes.
func (o *ListObjectsOutput) KeyCount() int { return len(o.Objects) + len(o.CommonPrefixes) }

// ListObjects lists a bucket's objects, grouping keys that share a prefix
// up to the delimiter into common prefixes.
func (s *Service) ListObjects(ctx context.Context, in ListObjectsInput) (*ListObjectsOutput, error) {
	b, err := s.bucket(ctx, in.Bucket)
	if err != nil {
		return nil, err
	}
	if in.MaxKeys < 0 {
		return nil, invalidArgument("Provided max-keys not an integer or within integer range", "max-keys", itoa(in.MaxKeys))
	}
	keys := map[string][]string{}
	if in.Prefix != "" {
		keys["s3:prefix"] = []string{in.Prefix}
	}
	if in.Delimiter != "" {
		keys["s3:delimiter"] = []string{in.Delimiter}
	}
	limit := MaxListKeys
	if in.MaxKeysSet {
		keys["s3:max-keys"] = []string{itoa(in.MaxKeys)}
		limit = min(in.MaxKeys, MaxListKeys)
	}
	action := ActionListBucket
	if in.Versions {
		action = ActionListBucketVersions
	}
	if err := s.authorize(ctx, action, b, "", keys); err != nil {
		return nil, err
	}
	start := in.Marker
	if in.V2 {
		start = in.StartAfter
		if in.ContinuationToken != "" {
			if start, err = decodeToken(in.ContinuationToken); err != nil || !utf8.ValidString(start) {
				return nil, invalidArgument("The continuation token provided is incorrect", "continuation-token", in.ContinuationToken)
			}
		}
	}
	out := &ListObjectsOutput{MaxKeys: limit}
	last, err := s.listPage(ctx, b.ID, in, start, limit, out)
	if err != nil {
		return nil, err
	}
	if out.IsTruncated {
		if in.V2 {
			out.NextContinuationToken = encodeToken(last)
		} else if in.Delimiter != "" || in.Versions {
			out.NextMarker = last
		}
	}
	if !in.V2 || in.FetchOwner {
		o := s.owner(ctx, b.AccountID)
		out.Owner = &o
	}
	return out, nil
}

// listPage fills out with up to limit entries after start and returns the
// last entry (key or common prefix). A page of zero entries is never
// truncated (S3 answers max-keys=0 with an empty, complete page).
func (s *Service) listPage(ctx context.Context, bucketID string, in ListObjectsInput, start string, limit int, out *ListObjectsOutput) (string, error) {
	if limit == 0 {
		return "", nil
	}
	q := meta.KeyRange{Prefix: in.Prefix, After: start}
	// A cursor inside a common prefix (our own NextMarker is one) resumes
	// after the whole group: it was reported already.
	if cp, ok := commonPrefix(start, in.Prefix, in.Delimiter); ok {
		end, ok := prefixEnd(cp)
		if !ok {
			return "", nil
		}
		q.From = end
	}
	last := ""
	for {
		q.Limit = limit - out.KeyCount() + 1
		page, err := s.store.ListObjects(ctx, bucketID, q)
		if err != nil {
			return "", internal(err, "list objects")
		}
		jumped := false
		for _, o := range page {
			if out.KeyCount() == limit {
				out.IsTruncated = true
				return last, nil
			}
			if cp, grouped := commonPrefix(o.Key, in.Prefix, in.Delimiter); grouped {
				out.CommonPrefixes = append(out.CommonPrefixes, cp)
				last = cp
				end, ok := prefixEnd(cp)
				if !ok {
					return last, nil // nothing sorts after this group
				}
				q.From, q.After, jumped = end, "", true
				break
			}
			out.Objects = append(out.Objects, o)
			last, q.After = o.Key, o.Key
		}
		if !jumped && len(page) < q.Limit {
			return last, nil
		}
	}
}

// commonPrefix returns the common prefix key belongs to: prefix plus the
// rest of key up to and including the first delimiter after the prefix.
func commonPrefix(key, prefix, delimiter string) (string, bool) {
	if delimiter == "" || !strings.HasPrefix(key, prefix) {
		return "", false
	}
	i := strings.Index(key[len(prefix):], delimiter)
	if i < 0 {
		return "", false
	}
	return key[:len(prefix)+i+len(delimiter)], true
}

// prefixEnd returns the least string above every string with the prefix
// (see sqlstore's twin), and false if there is none.
func prefixEnd(prefix string) (string, bool) {
	for prefix != "" {
		r, size := utf8.DecodeLastRuneInString(prefix)
		prefix = prefix[:len(prefix)-size]
		if r == utf8.RuneError && size <= 1 {
			continue
		}
		next := r + 1
		if next == 0xD800 {
			next = 0xE000
		}
		if next <= utf8.MaxRune {
			return prefix + string(next), true
		}
	}
	return "", false
}
