package s3

import (
	"context"
	"errors"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/policy"
)

// MaxBucketPolicySize is the largest bucket policy S3 accepts: 20 KB.
const MaxBucketPolicySize = 20 << 10

// ownerOnly runs the checks S3 applies to the bucket policy operations:
// the caller needs the permission, must belong to the bucket owner's
// account (405 MethodNotAllowed otherwise), and the owner's root user is
// always allowed so that a policy cannot lock the account out
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html).
func (s *Service) ownerOnly(ctx context.Context, action string, b *meta.Bucket) error {
	caller := auth.CallerFrom(ctx)
	if caller.Kind == auth.Root && caller.Account == b.AccountID {
		return nil
	}
	if err := s.authorize(ctx, action, b, "", nil); err != nil {
		return err
	}
	if caller.Account != b.AccountID {
		return fail(errs.Invalid, codeMethodNotAllowed, "The specified method is not allowed against this resource.")
	}
	return nil
}

// GetBucketPolicy returns the bucket's policy as it was put.
func (s *Service) GetBucketPolicy(ctx context.Context, name string) (string, error) {
	b, err := s.bucket(ctx, name)
	if err != nil {
		return "", err
	}
	if err := s.ownerOnly(ctx, ActionGetBucketPolicy, b); err != nil {
		return "", err
	}
	if b.Policy == "" {
		return "", fail(errs.NotFound, codeNoSuchBucketPolicy, "The bucket policy does not exist", "BucketName", name)
	}
	return b.Policy, nil
}

// PutBucketPolicy validates and stores a bucket policy.
func (s *Service) PutBucketPolicy(ctx context.Context, name, doc string) error {
	b, err := s.bucket(ctx, name)
	if err != nil {
		return err
	}
	if err := s.ownerOnly(ctx, ActionPutBucketPolicy, b); err != nil {
		return err
	}
	if err := ValidateBucketPolicy(doc, name); err != nil {
		return err
	}
	return s.setPolicy(ctx, name, doc)
}

// DeleteBucketPolicy removes the bucket's policy; deleting a missing
// policy succeeds.
func (s *Service) DeleteBucketPolicy(ctx context.Context, name string) error {
	b, err := s.bucket(ctx, name)
	if err != nil {
		return err
	}
	if err := s.ownerOnly(ctx, ActionDeleteBucketPolicy, b); err != nil {
		return err
	}
	return s.setPolicy(ctx, name, "")
}

func (s *Service) setPolicy(ctx context.Context, name, doc string) error {
	err := s.store.SetBucketPolicy(ctx, name, doc)
	if errors.Is(err, meta.ErrNotFound) {
		return noSuchBucket(name)
	}
	if err != nil {
		return internal(err, "set policy of %s", name)
	}
	return nil
}

func malformedPolicy(msg string) error { return fail(errs.Invalid, codeMalformedPolicy, msg) }

// ValidateBucketPolicy checks a bucket policy as S3 does: a valid resource
// policy (policy.Parse, which words its errors as S3), whose actions are S3
// actions and whose resources are the bucket or its objects, each
// statement with at least one action that applies to one of its
// resources.
func ValidateBucketPolicy(doc, bucket string) error {
	if len(doc) > MaxBucketPolicySize {
		return malformedPolicy("Policy exceeds the maximum allowed document size.")
	}
	pol, err := policy.Parse([]byte(doc), policy.Resource)
	if err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			return malformedPolicy(pe.Message)
		}
		return malformedPolicy("Policies must be valid JSON and the first byte must be '{'")
	}
	for _, st := range pol.Statements() {
		if err := checkStatement(st, bucket); err != nil {
			return err
		}
	}
	return nil
}

func checkStatement(st policy.Statement, bucket string) error {
	acts := map[resourceType]bool{}
	for _, a := range append(append([]string(nil), st.Action...), st.NotAction...) {
		types, ok := actionTypes(a)
		if !ok {
			return malformedPolicy("Policy has invalid action")
		}
		for t := range types {
			acts[t] = true
		}
	}
	res := map[resourceType]bool{}
	for _, r := range append(append([]string(nil), st.Resource...), st.NotResource...) {
		types, ok := resourceTypeIn(r, bucket)
		if !ok {
			return malformedPolicy("Policy has invalid resource")
		}
		for t, yes := range types {
			res[t] = res[t] || yes
		}
	}
	if len(st.NotAction) > 0 || len(st.NotResource) > 0 {
		return nil // applies to everything but a list: nothing to match up
	}
	if !(acts[onBucket] && res[onBucket]) && !(acts[onObject] && res[onObject]) {
		return malformedPolicy("Action does not apply to any resource(s) in statement")
	}
	return nil
}

// GetBucketTagging returns the bucket's tag set.
func (s *Service) GetBucketTagging(ctx context.Context, name string) ([]meta.Tag, error) {
	b, err := s.bucket(ctx, name)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(ctx, ActionGetBucketTagging, b, "", nil); err != nil {
		return nil, err
	}
	if b.Tags == nil {
		return nil, fail(errs.NotFound, codeNoSuchTagSet, "The TagSet does not exist", "BucketName", name)
	}
	return b.Tags, nil
}

// PutBucketTagging replaces the bucket's tag set.
func (s *Service) PutBucketTagging(ctx context.Context, name string, tags []meta.Tag) error {
	b, err := s.bucket(ctx, name)
	if err != nil {
		return err
	}
	if err := s.authorize(ctx, ActionPutBucketTagging, b, "", nil); err != nil {
		return err
	}
	if err := checkTags(tags, 50); err != nil {
		return err
	}
	if tags == nil {
		tags = []meta.Tag{}
	}
	return s.setTags(ctx, name, tags)
}

// DeleteBucketTagging removes the bucket's tag set (s3:PutBucketTagging,
// as AWS authorizes it).
func (s *Service) DeleteBucketTagging(ctx context.Context, name string) error {
	b, err := s.bucket(ctx, name)
	if err != nil {
		return err
	}
	if err := s.authorize(ctx, ActionPutBucketTagging, b, "", nil); err != nil {
		return err
	}
	return s.setTags(ctx, name, nil)
}

func (s *Service) setTags(ctx context.Context, name string, tags []meta.Tag) error {
	err := s.store.SetBucketTags(ctx, name, tags)
	if errors.Is(err, meta.ErrNotFound) {
		return noSuchBucket(name)
	}
	if err != nil {
		return internal(err, "set tags of %s", name)
	}
	return nil
}

// GetBucketVersioning checks access to the bucket's versioning state.
// grantd does not version objects, so the state is always "never enabled",
// which S3 reports as an empty VersioningConfiguration.
func (s *Service) GetBucketVersioning(ctx context.Context, name string) error {
	b, err := s.bucket(ctx, name)
	if err != nil {
		return err
	}
	return s.authorize(ctx, ActionGetBucketVersioning, b, "", nil)
}

// GetBucketACL returns the bucket's owner. Buckets have S3's default
// Object Ownership (BucketOwnerEnforced): ACLs are disabled and the owner
// has FULL_CONTROL, which is all an ACL can say.
func (s *Service) GetBucketACL(ctx context.Context, name string) (Owner, error) {
	b, err := s.bucket(ctx, name)
	if err != nil {
		return Owner{}, err
	}
	if err := s.authorize(ctx, ActionGetBucketAcl, b, "", nil); err != nil {
		return Owner{}, err
	}
	return s.owner(ctx, b.AccountID), nil
}
