package s3

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"regexp"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
)

// bucket returns the bucket a request addresses, checking that a signed
// request was signed for the bucket's region, as S3's regional endpoints
// do, and the expected owner the request names, if any.
func (s *Service) bucket(ctx context.Context, name string) (*meta.Bucket, error) {
	info := infoFrom(ctx)
	b, err := s.lookupBucket(ctx, name, info.ExpectedBucketOwner)
	if err != nil {
		return b, err
	}
	if info.Signed {
		if region := auth.FromContext(ctx).Region; region != b.Region {
			return b, wrongRegion(region, b.Region)
		}
	}
	return b, nil
}

// sourceBucket returns the bucket of a copy's source, which may be in
// any region.
func (s *Service) sourceBucket(ctx context.Context, name string) (*meta.Bucket, error) {
	return s.lookupBucket(ctx, name, infoFrom(ctx).ExpectedSourceOwner)
}

func (s *Service) lookupBucket(ctx context.Context, name, expectedOwner string) (*meta.Bucket, error) {
	b, err := s.store.GetBucket(ctx, name)
	if errors.Is(err, meta.ErrNotFound) {
		return nil, noSuchBucket(name)
	}
	if err != nil {
		return nil, internal(err, "look up bucket %s", name)
	}
	if expectedOwner != "" && expectedOwner != b.AccountID {
		return nil, accessDenied()
	}
	return &b, nil
}

// WrongRegion is the reason of the error a request signed for another
// region than its bucket's gets; its Region detail names the bucket's.
const WrongRegion = codeAuthorizationMalformed

func wrongRegion(got, want string) error {
	return fail(errs.Invalid, codeAuthorizationMalformed,
		"The authorization header is malformed; the region '"+got+"' is wrong; expecting '"+want+"'", "Region", want)
}

// CanonicalUserID returns the S3 canonical user ID of an account: 64 hex
// digits, stable for the account.
func CanonicalUserID(account string) string {
	sum := sha256.Sum256([]byte("grantd canonical user " + account))
	return hex.EncodeToString(sum[:])
}

// Owner is the owner of a bucket or object as S3 reports it.
type Owner struct {
	ID          string
	DisplayName string
}

func (s *Service) owner(ctx context.Context, account string) Owner {
	o := Owner{ID: CanonicalUserID(account), DisplayName: account}
	if a, err := s.store.GetAccount(ctx, account); err == nil && a.Name != "" {
		o.DisplayName = a.Name
	}
	return o
}

// CreateBucketInput is a CreateBucket request.
type CreateBucketInput struct {
	Name string
	// LocationConstraint is the requested region; empty when the request
	// had no CreateBucketConfiguration (which means us-east-1).
	LocationConstraint string
}

var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// CreateBucket creates a bucket owned by the caller's account in the
// region the request was signed for.
//
// A re-create of the caller's own bucket answers BucketAlreadyOwnedByYou,
// except in us-east-1, where S3 answers 200 for legacy compatibility
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html,
// "BucketAlreadyOwnedByYou"). Another account's name is BucketAlreadyExists.
func (s *Service) CreateBucket(ctx context.Context, in CreateBucketInput) (*meta.Bucket, error) {
	caller := auth.CallerFrom(ctx)
	if caller.Kind == auth.Anonymous {
		return nil, accessDenied()
	}
	if !ValidBucketName(in.Name) {
		return nil, invalidBucketName(in.Name)
	}
	region, err := s.createRegion(ctx, in.LocationConstraint)
	if err != nil {
		return nil, err
	}
	if err := s.authorize(ctx, ActionCreateBucket, nil, "", nil); err != nil {
		return nil, err
	}
	b := meta.Bucket{ID: newID(s.now()), Name: in.Name, AccountID: caller.Account, Region: region, CreatedAt: s.now()}
	err = s.store.CreateBucket(ctx, b)
	if errors.Is(err, meta.ErrExists) {
		cur, gerr := s.store.GetBucket(ctx, in.Name)
		switch {
		case gerr != nil:
			return nil, internal(gerr, "look up existing bucket %s", in.Name)
		case cur.AccountID != caller.Account:
			return nil, fail(errs.Conflict, codeBucketAlreadyExists, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.", "BucketName", in.Name)
		case region == "us-east-1" && cur.Region == "us-east-1":
			return &cur, nil
		}
		return nil, fail(errs.Conflict, codeBucketAlreadyOwnedByYou, "Your previous request to create the named bucket succeeded and you already own it.", "BucketName", in.Name)
	}
	if err != nil {
		return nil, internal(err, "create bucket %s", in.Name)
	}
	return &b, nil
}

// createRegion checks the LocationConstraint against the region the
// request was sent to, as a regional S3 endpoint does: no constraint
// means us-east-1, and an explicit "us-east-1" is not a valid constraint.
func (s *Service) createRegion(ctx context.Context, constraint string) (string, error) {
	sent := auth.FromContext(ctx).Region
	if sent == "" {
		sent = s.region
	}
	switch {
	case constraint == "us-east-1":
		return "", fail(errs.Invalid, codeInvalidLocation, "The specified location-constraint is not valid", "LocationConstraint", constraint)
	case constraint != "" && constraint != "EU" && !regionPattern.MatchString(constraint):
		return "", fail(errs.Invalid, codeInvalidLocation, "The specified location-constraint is not valid", "LocationConstraint", constraint)
	}
	want := constraint
	switch want {
	case "":
		want = "us-east-1"
	case "EU":
		want = "eu-west-1"
	}
	if want != sent {
		shown := constraint
		if shown == "" {
			shown = "unspecified"
		}
		return "", fail(errs.Invalid, codeIllegalLocation, "The "+shown+" location constraint is incompatible for the region specific endpoint this request was sent to.")
	}
	return want, nil
}

// HeadBucket checks that the bucket exists and the caller may list it. It
// returns the bucket even with an AccessDenied error, because S3 reports
// the bucket's region on 403 answers too.
func (s *Service) HeadBucket(ctx context.Context, name string) (*meta.Bucket, error) {
	b, err := s.bucket(ctx, name)
	if err != nil {
		return b, err
	}
	return b, s.authorize(ctx, ActionListBucket, b, "", nil)
}

// GetBucketLocation returns the bucket's LocationConstraint: empty for
// us-east-1, as S3.
func (s *Service) GetBucketLocation(ctx context.Context, name string) (string, error) {
	b, err := s.store.GetBucket(ctx, name) // any region's endpoint answers this
	if errors.Is(err, meta.ErrNotFound) {
		return "", noSuchBucket(name)
	}
	if err != nil {
		return "", internal(err, "look up bucket %s", name)
	}
	if err := s.authorize(ctx, ActionGetBucketLocation, &b, "", nil); err != nil {
		return "", err
	}
	if b.Region == "us-east-1" {
		return "", nil
	}
	return b.Region, nil
}

// DeleteBucket deletes an empty bucket; multipart uploads in progress are
// discarded with it (only directory buckets require them aborted first:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html).
func (s *Service) DeleteBucket(ctx context.Context, name string) error {
	b, err := s.bucket(ctx, name)
	if err != nil {
		return err
	}
	if err := s.authorize(ctx, ActionDeleteBucket, b, "", nil); err != nil {
		return err
	}
	parts, err := s.store.DeleteBucket(ctx, b.Name, b.ID)
	switch {
	case errors.Is(err, meta.ErrConflict):
		return fail(errs.Conflict, codeBucketNotEmpty, "The bucket you tried to delete is not empty", "BucketName", name)
	case errors.Is(err, meta.ErrNotFound):
		return noSuchBucket(name)
	case err != nil:
		return internal(err, "delete bucket %s", name)
	}
	s.deleteParts(ctx, parts)
	return nil
}

// ListBucketsInput is a ListBuckets request.
type ListBucketsInput struct {
	Prefix            string
	BucketRegion      string
	ContinuationToken string
	// MaxBuckets is 1 to 10000; 0 means all.
	MaxBuckets int
}

// ListBucketsOutput is a page of the caller's buckets.
type ListBucketsOutput struct {
	Buckets           []meta.Bucket
	Owner             Owner
	ContinuationToken string
}

// ListBuckets lists the caller's account's buckets.
func (s *Service) ListBuckets(ctx context.Context, in ListBucketsInput) (*ListBucketsOutput, error) {
	caller := auth.CallerFrom(ctx)
	if caller.Kind == auth.Anonymous {
		return nil, accessDenied()
	}
	if in.MaxBuckets < 0 || in.MaxBuckets > 10000 {
		return nil, invalidArgument("Max buckets must be between 1 and 10000", "max-buckets", itoa(in.MaxBuckets))
	}
	if err := s.authorize(ctx, ActionListAllMyBuckets, nil, "", nil); err != nil {
		return nil, err
	}
	after, err := decodeToken(in.ContinuationToken)
	if err != nil {
		return nil, invalidArgument("The continuation token provided is incorrect", "continuation-token", in.ContinuationToken)
	}
	limit := in.MaxBuckets
	if limit == 0 {
		limit = 10000
	}
	out := &ListBucketsOutput{Owner: s.owner(ctx, caller.Account)}
	for {
		page, err := s.store.ListBuckets(ctx, caller.Account, in.Prefix, meta.Page{After: after, Limit: limit + 1})
		if err != nil {
			return nil, internal(err, "list buckets")
		}
		for _, b := range page {
			after = b.Name
			if in.BucketRegion != "" && b.Region != in.BucketRegion {
				continue
			}
			if len(out.Buckets) == limit {
				out.ContinuationToken = encodeToken(out.Buckets[limit-1].Name)
				return out, nil
			}
			out.Buckets = append(out.Buckets, b)
		}
		if len(page) < limit+1 {
			return out, nil
		}
	}
}
