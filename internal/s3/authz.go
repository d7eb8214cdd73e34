package s3

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/authz"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/policy"
)

// Authorizer decides access questions; *authz.Authorizer implements it.
// Check returns nil, or an error of kind errs.Denied.
type Authorizer interface {
	Check(ctx context.Context, req authz.Request) error
}

// The IAM actions of the S3 operations grantd implements
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
const (
	ActionListAllMyBuckets           = "s3:ListAllMyBuckets"
	ActionCreateBucket               = "s3:CreateBucket"
	ActionDeleteBucket               = "s3:DeleteBucket"
	ActionListBucket                 = "s3:ListBucket"
	ActionGetBucketLocation          = "s3:GetBucketLocation"
	ActionGetBucketPolicy            = "s3:GetBucketPolicy"
	ActionPutBucketPolicy            = "s3:PutBucketPolicy"
	ActionDeleteBucketPolicy         = "s3:DeleteBucketPolicy"
	ActionGetBucketTagging           = "s3:GetBucketTagging"
	ActionPutBucketTagging           = "s3:PutBucketTagging"
	ActionGetBucketVersioning        = "s3:GetBucketVersioning"
	ActionGetBucketAcl               = "s3:GetBucketAcl"
	ActionListBucketMultipartUploads = "s3:ListBucketMultipartUploads"
	ActionListBucketVersions         = "s3:ListBucketVersions"
	ActionGetObject                  = "s3:GetObject"
	ActionPutObject                  = "s3:PutObject"
	ActionDeleteObject               = "s3:DeleteObject"
	ActionGetObjectTagging           = "s3:GetObjectTagging"
	ActionPutObjectTagging           = "s3:PutObjectTagging"
	ActionDeleteObjectTagging        = "s3:DeleteObjectTagging"
	ActionGetObjectAcl               = "s3:GetObjectAcl"
	ActionListMultipartUploadParts   = "s3:ListMultipartUploadParts"
	ActionAbortMultipartUpload       = "s3:AbortMultipartUpload"
)

// BucketARN returns the ARN of a bucket.
func BucketARN(bucket string) string { return "arn:aws:s3:::" + bucket }

// ObjectARN returns the ARN of an object.
func ObjectARN(bucket, key string) string { return "arn:aws:s3:::" + bucket + "/" + key }

// RequestInfo is what the wire layer knows of a request beyond the
// caller: how it was signed (for S3's signature condition keys) and the
// x-amz-expected-bucket-owner headers. It travels in the context.
type RequestInfo struct {
	// Signed is false for anonymous requests.
	Signed bool
	// Time is the signing time.
	Time time.Time
	// ContentSHA256 is the x-amz-content-sha256 value.
	ContentSHA256 string
	// TLSVersion is "1.2" or "1.3" when the connection is TLS.
	TLSVersion string
	// ExpectedBucketOwner and ExpectedSourceOwner are the
	// x-amz-expected-bucket-owner and x-amz-source-expected-bucket-owner
	// headers: a bucket owned by another account answers AccessDenied.
	ExpectedBucketOwner string
	ExpectedSourceOwner string
}

type infoKey struct{}

// WithRequestInfo returns ctx carrying info.
func WithRequestInfo(ctx context.Context, info RequestInfo) context.Context {
	return context.WithValue(ctx, infoKey{}, info)
}

func infoFrom(ctx context.Context) RequestInfo {
	info, _ := ctx.Value(infoKey{}).(RequestInfo)
	return info
}

// conditionKeys returns the S3 condition keys every request has, then
// extra.
func (s *Service) conditionKeys(ctx context.Context, b *meta.Bucket, extra map[string][]string) []authz.Key {
	req := auth.FromContext(ctx)
	sig := infoFrom(ctx)
	keys := make([]authz.Key, 0, len(extra)+6)
	if sig.Signed {
		age := max(s.now().Sub(sig.Time).Milliseconds(), 0)
		keys = append(keys, authz.Key{Name: "s3:signatureversion", Values: []string{"AWS4-HMAC-SHA256"}},
			authz.Key{Name: "s3:authType", Values: []string{req.AuthType}},
			authz.Key{Name: "s3:signatureAge", Values: []string{strconv.FormatInt(age, 10)}})
		if sig.ContentSHA256 != "" {
			keys = append(keys, authz.Key{Name: "s3:x-amz-content-sha256", Values: []string{sig.ContentSHA256}})
		}
	}
	if sig.TLSVersion != "" {
		keys = append(keys, authz.Key{Name: "s3:TlsVersion", Values: []string{sig.TLSVersion}})
	}
	if b != nil {
		keys = append(keys, authz.Key{Name: "s3:ResourceAccount", Values: []string{b.AccountID}})
	}
	for k, v := range extra {
		keys = append(keys, authz.Key{Name: k, Values: v})
	}
	return keys
}

// authorize asks whether the caller may do action on the bucket (key
// empty) or on one of its objects; b nil asks about the account.
func (s *Service) authorize(ctx context.Context, action string, b *meta.Bucket, key string, extra map[string][]string) error {
	req := authz.Request{Action: action, Resource: "*", Keys: s.conditionKeys(ctx, b, extra)}
	if b != nil {
		req.Resource = BucketARN(b.Name)
		if key != "" {
			req.Resource = ObjectARN(b.Name, key)
		}
		req.ResourceAccount = b.AccountID
		pol, err := s.policies.get(b)
		if err != nil {
			return internal(err, "bucket policy of %s", b.Name)
		}
		req.ResourcePolicy = pol
	}
	err := s.authz.Check(ctx, req)
	if err != nil && !errs.Is(err, errs.Denied) {
		return internal(err, "authorize %s", action)
	}
	return err
}

// tagKeys returns s3:ExistingObjectTag/<key> keys for an object's tags.
func existingTagKeys(tags []meta.Tag) map[string][]string {
	keys := make(map[string][]string, len(tags))
	for _, t := range tags {
		keys["s3:ExistingObjectTag/"+t.Key] = []string{t.Value}
	}
	return keys
}

// requestTagKeys returns s3:RequestObjectTag/<key> and
// s3:RequestObjectTagKeys for tags a request sets.
func requestTagKeys(keys map[string][]string, tags []meta.Tag) {
	names := make([]string, 0, len(tags))
	for _, t := range tags {
		keys["s3:RequestObjectTag/"+t.Key] = []string{t.Value}
		names = append(names, t.Key)
	}
	keys["s3:RequestObjectTagKeys"] = names
}

// policyCache keeps bucket policies parsed: a bucket's policy is parsed
// again only when its text changes.
type policyCache struct {
	mu sync.Mutex
	m  map[string]cachedPolicy // by bucket ID
}

type cachedPolicy struct {
	doc string
	pol *policy.Policy
}

func (c *policyCache) get(b *meta.Bucket) (*policy.Policy, error) {
	if b.Policy == "" {
		return nil, nil
	}
	c.mu.Lock()
	cp, ok := c.m[b.ID]
	c.mu.Unlock()
	if ok && cp.doc == b.Policy {
		return cp.pol, nil
	}
	pol, err := policy.Parse([]byte(b.Policy), policy.Resource)
	if err != nil {
		return nil, err
	}
	pol.Name = "bucket-policy/" + b.Name
	c.mu.Lock()
	if c.m == nil || len(c.m) > 10000 {
		c.m = map[string]cachedPolicy{}
	}
	c.m[b.ID] = cachedPolicy{b.Policy, pol}
	c.mu.Unlock()
	return pol, nil
}

// authorizeWrite is the common start of PutObject and
// CreateMultipartUpload: it finds the bucket, checks the key, parses the
// x-amz-tagging header and authorizes s3:PutObject with the s3:x-amz-acl
// and s3:RequestObjectTag keys the request carries.
func (s *Service) authorizeWrite(ctx context.Context, bucket, key, tagging, acl string) (*meta.Bucket, []meta.Tag, error) {
	b, err := s.bucket(ctx, bucket)
	if err != nil {
		return nil, nil, err
	}
	if err := checkKey(key); err != nil {
		return nil, nil, err
	}
	tags, err := ParseTaggingHeader(tagging)
	if err != nil {
		return nil, nil, err
	}
	keys := map[string][]string{}
	if acl != "" {
		keys["s3:x-amz-acl"] = []string{acl}
	}
	if tagging != "" {
		requestTagKeys(keys, tags)
	}
	if err := s.authorize(ctx, ActionPutObject, b, key, keys); err != nil {
		return nil, nil, err
	}
	return b, tags, nil
}
