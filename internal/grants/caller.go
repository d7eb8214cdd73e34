package grants

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/grantd/grantd/internal/meta"
)

// BucketOwners finds who owns a bucket and where it is: the S3 data
// plane's bucket registry.
type BucketOwners interface {
	// BucketOwner returns the bucket's account and region; ok is false
	// when there is no such bucket.
	BucketOwner(ctx context.Context, bucket string) (account, region string, ok bool, err error)
}

// CallerGrantsInput is ListCallerAccessGrants' request.
type CallerGrantsInput struct {
	ListInput
	// GrantScope, when set, keeps the grants whose scope begins with it
	// (a trailing * is dropped first) or covers it.
	GrantScope string
	// AllowedByApplication, when true, keeps only grants for the caller's
	// Identity Center application or for all applications (ALL).
	AllowedByApplication bool
}

// CallerGrant is one entry of ListCallerAccessGrants.
type CallerGrant struct {
	Permission string
	GrantScope string
	// ApplicationARN is the grant's application, "NA" when it has none (as
	// AWS's examples show).
	ApplicationARN string
}

// ListCallerAccessGrants lists the grants of the instance of account whose
// grantee is the caller (its IAM user or role, its directory user and
// groups), in creation order. Other accounts may call it when the
// instance's resource policy allows.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_ListCallerAccessGrants.html
func (s *Service) ListCallerAccessGrants(ctx context.Context, account string, in CallerGrantsInput) ([]CallerGrant, string, error) {
	if err := gate(ctx, account, ActionListCallerAccessGrants); err != nil {
		return nil, "", err
	}
	p, err := in.page()
	if err != nil {
		return nil, "", err
	}
	frag, err := scopeFragment(in.GrantScope)
	if err != nil {
		return nil, "", err
	}
	ix, err := s.authorizedIndex(ctx, account, ActionListCallerAccessGrants)
	if err != nil {
		return nil, "", err
	}
	id, err := s.identify(ctx)
	if err != nil {
		return nil, "", err
	}
	list := ix.callerGrants(id.keys, frag, in.GrantScope != "")
	if in.AllowedByApplication {
		kept := list[:0]
		for _, e := range list {
			if e.application != "" && appAllows(e.application, id.app) {
				kept = append(kept, e)
			}
		}
		list = kept
	}
	return pageCallerGrants(list, p)
}

// scopeFragment validates a grantscope filter and returns what follows
// s3://, without a trailing *.
func scopeFragment(gs string) (string, error) {
	if gs == "" {
		return "", nil
	}
	if utf8.RuneCountInString(gs) > 2000 {
		return "", invalidRequest("Value at 'grantScope' failed to satisfy constraint: Member must have length less than or equal to 2000")
	}
	rest, ok := cutScheme(gs)
	if !ok {
		return "", invalidRequest("The grant scope %s is not valid: it must start with s3://", gs)
	}
	return strings.TrimSuffix(rest, "*"), nil
}

// callerGrants returns the grants of the grantee keys, narrowed to those
// under or covering frag when filter is set, in creation order.
func (ix *instanceIndex) callerGrants(keys []string, frag string, filter bool) []*entry {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	seen := map[string]bool{}
	var out []*entry
	add := func(e *entry) {
		if !seen[e.id] {
			seen[e.id] = true
			out = append(out, e)
		}
	}
	for _, k := range keys {
		root := ix.grantees[k]
		if root == nil {
			continue
		}
		if !filter {
			root.each(add)
			continue
		}
		root.under(frag, add)
		// Prefix grants on the fragment's path cover it.
		root.walk(frag, func(depth int, es []*entry) {
			for _, e := range es {
				if !e.sc.exact && strings.HasPrefix(frag, e.sc.matchKey()) {
					add(e)
				}
			}
		})
	}
	sort.Slice(out, func(i, j int) bool { return entryCursor(out[i]) < entryCursor(out[j]) })
	return out
}

// entryCursor orders entries by creation time, then ID.
func entryCursor(e *entry) string {
	return fmt.Sprintf("%020d.%s", e.createdAt.UnixNano(), e.id)
}

func pageCallerGrants(list []*entry, p meta.Page) ([]CallerGrant, string, error) {
	if p.After != "" {
		n, _, ok := strings.Cut(p.After, ".")
		if _, err := strconv.ParseUint(n, 10, 64); !ok || len(n) != 20 || err != nil {
			return nil, "", invalidRequest("The continuation token provided is incorrect")
		}
		i := sort.Search(len(list), func(i int) bool { return entryCursor(list[i]) > p.After })
		list = list[i:]
	}
	limit := p.Limit
	if limit == 0 {
		limit = 1000
	}
	next := ""
	if len(list) > limit {
		list = list[:limit]
		next = nextToken(entryCursor(list[limit-1]))
	}
	out := make([]CallerGrant, len(list))
	for i, e := range list {
		app := e.application
		if app == "" {
			app = "NA"
		}
		out[i] = CallerGrant{Permission: e.permission, GrantScope: e.grantScope, ApplicationARN: app}
	}
	return out, next, nil
}

// InstanceForPrefix is GetAccessGrantsInstanceForPrefix's answer.
type InstanceForPrefix struct {
	Account, Region string
	ARN, ID         string
}

// GetInstanceForPrefix finds the instance that covers an S3 prefix: the
// bucket's owner (from the S3 bucket registry), that account's instance in
// the request's region, and one of its locations covering the prefix.
// account is the caller's own (x-amz-account-id). The caller's policies
// must allow s3:GetAccessGrantsInstanceForPrefix on the owner's instance
// and, for another account's instance, its resource policy too ("The
// prefix owner account must grant you … s3:GetAccessGrantsInstanceForPrefix").
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetAccessGrantsInstanceForPrefix.html
func (s *Service) GetInstanceForPrefix(ctx context.Context, account, s3prefix string) (InstanceForPrefix, error) {
	var out InstanceForPrefix
	const action = ActionGetAccessGrantsInstanceForPrefix
	if err := gate(ctx, account, action); err != nil {
		return out, err
	}
	bucket, path, err := parsePrefix(s3prefix)
	if err != nil {
		return out, err
	}
	owner, found := account, false
	if s.buckets != nil {
		acct, reg, ok, err := s.buckets.BucketOwner(ctx, bucket)
		if err != nil {
			return out, fmt.Errorf("look up owner of bucket %s: %w", bucket, err)
		}
		if ok && reg == region(ctx) {
			owner, found = acct, true
		}
	}
	ix, err := s.authorizedIndex(ctx, owner, action)
	if err != nil {
		return out, err
	}
	if !found || !ix.coversPrefix(bucket, path) {
		return out, ErrInstanceNotFound
	}
	return InstanceForPrefix{Account: owner, Region: ix.region, ARN: InstanceARN(ix.region, owner), ID: InstanceID}, nil
}

// parsePrefix validates an s3prefix and returns its bucket and its path
// after "s3://" (without a trailing *).
func parsePrefix(p string) (bucket, path string, err error) {
	if p == "" {
		return "", "", invalidRequest("Missing required parameter s3prefix")
	}
	if utf8.RuneCountInString(p) > 2000 {
		return "", "", invalidRequest("Value at 's3Prefix' failed to satisfy constraint: Member must have length less than or equal to 2000")
	}
	rest, ok := cutScheme(p)
	if !ok {
		return "", "", invalidRequest("The S3 prefix %s is not valid: it must start with s3://", p)
	}
	rest = strings.TrimSuffix(rest, "*")
	bucket, _, _ = strings.Cut(rest, "/")
	if !validBucket(bucket) {
		return "", "", invalidRequest("The S3 prefix %s is not valid: %q is not a valid bucket name", p, bucket)
	}
	return bucket, rest, nil
}

// coversPrefix reports whether a location of the instance covers path
// ("bucket/key…"): the default location s3:// covers every bucket of the
// account, s3://bucket the bucket, s3://bucket/prefix the keys beginning
// with prefix.
func (ix *instanceIndex) coversPrefix(bucket, path string) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for _, l := range ix.locations {
		loc := strings.TrimPrefix(l.Scope, "s3://")
		switch {
		case loc == "":
			return true
		case !strings.Contains(loc, "/"):
			if loc == bucket {
				return true
			}
		case strings.HasPrefix(path, strings.TrimSuffix(loc, "/")) || path == loc:
			return true
		}
	}
	return false
}
