package grants

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/grantd/grantd/internal/meta"
)

// tagRe is the model's pattern for tag keys and values.
var tagRe = regexp.MustCompile(`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`)

// validateTagKey checks one key: 1–128 characters of the model's pattern,
// not starting with the reserved aws: prefix.
func validateTagKey(k string) error {
	if n := utf8.RuneCountInString(k); n < 1 || n > 128 || !tagRe.MatchString(k) {
		return withMsg(errInvalidTag, "The TagKey you have provided is invalid: %q", k)
	}
	if strings.HasPrefix(strings.ToLower(k), "aws:") {
		return withMsg(errInvalidTags, "System tags cannot be added/updated by requester: %s", k)
	}
	return nil
}

// validateTags checks the tags of a request: at most 50, unique keys,
// keys and values of the model's lengths and pattern.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_Tag.html
func validateTags(tags []meta.Tag) error {
	if len(tags) > MaxTags {
		return withMsg(errTooManyTags, "The number of tags exceeds the limit of %d tags", MaxTags)
	}
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		if err := validateTagKey(t.Key); err != nil {
			return err
		}
		if utf8.RuneCountInString(t.Value) > 256 || !tagRe.MatchString(t.Value) {
			return withMsg(errInvalidTag, "The TagValue you have provided is invalid: %q", t.Value)
		}
		if seen[t.Key] {
			return withMsg(errInvalidTag, "Cannot provide multiple Tags with the same key: %q", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// ResourceRef names an Access Grants resource by its ARN's parts.
type ResourceRef struct {
	Region  string
	Account string
	Kind    meta.GrantsResourceKind
	// ID is empty for an instance.
	ID string
}

var (
	taggableARNRe = regexp.MustCompile(`^arn:[^:]+:s3(express)?:[^:].*$`)
	accountRe     = regexp.MustCompile(`^\d{12}$`)
	idRe          = regexp.MustCompile(`^[a-zA-Z0-9\-]{1,64}$`)
	regionRe      = regexp.MustCompile(`^[a-z0-9\-]{1,64}$`)
)

// ParseResourceARN parses the ARN of an instance, location or grant, as
// the tagging operations receive it.
func ParseResourceARN(arn string) (ResourceRef, error) {
	var ref ResourceRef
	if len(arn) > 1011 || !taggableARNRe.MatchString(arn) {
		return ref, invalidRequest("Value '%s' at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[^:]+:s3(express)?:[^:].*", arn)
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[1] != "aws" || parts[2] != "s3" || !regionRe.MatchString(parts[3]) || !accountRe.MatchString(parts[4]) {
		return ref, invalidRequest("Invalid ARN: %s", arn)
	}
	ref.Region, ref.Account = parts[3], parts[4]
	res, ok := strings.CutPrefix(parts[5], "access-grants/"+InstanceID)
	if !ok {
		return ref, invalidRequest("Unsupported resource type in ARN %s; grantd tags S3 Access Grants resources", arn)
	}
	switch {
	case res == "":
		ref.Kind = meta.GrantsInstanceResource
		return ref, nil
	case strings.HasPrefix(res, "/location/"):
		ref.Kind, ref.ID = meta.GrantsLocationResource, res[len("/location/"):]
	case strings.HasPrefix(res, "/grant/"):
		ref.Kind, ref.ID = meta.GrantResource, res[len("/grant/"):]
	default:
		return ref, invalidRequest("Invalid ARN: %s", arn)
	}
	if !idRe.MatchString(ref.ID) {
		return ref, invalidRequest("Invalid ARN: %s", arn)
	}
	return ref, nil
}

// String returns the ARN.
func (r ResourceRef) String() string {
	switch r.Kind {
	case meta.GrantsLocationResource:
		return LocationARN(r.Region, r.Account, r.ID)
	case meta.GrantResource:
		return GrantARN(r.Region, r.Account, r.ID)
	}
	return InstanceARN(r.Region, r.Account)
}

// notFoundFor is the 404 of a missing resource of kind k.
func notFoundFor(k meta.GrantsResourceKind) error {
	switch k {
	case meta.GrantsLocationResource:
		return ErrLocationNotFound
	case meta.GrantResource:
		return ErrGrantNotFound
	}
	return ErrInstanceNotFound
}

// onTagged authorizes a tagging action on the resource arn and returns
// the resource and its current tags.
func (s *Service) onTagged(ctx context.Context, account, arn, action string, keys map[string][]string) (meta.GrantsResource, []meta.Tag, error) {
	var r meta.GrantsResource
	ref, err := ParseResourceARN(arn)
	if err != nil {
		return r, nil, err
	}
	// Tags are managed by the owner only, in the owner's account.
	if ref.Account != account {
		return r, nil, ErrAccessDenied
	}
	if err := gate(ctx, account, action); err != nil {
		return r, nil, err
	}
	st, err := s.instanceState(ctx, account)
	if err != nil {
		return r, nil, err
	}
	r = meta.GrantsResource{Account: account, Region: region(ctx), Kind: ref.Kind, ID: ref.ID}
	var tags []meta.Tag
	found := st != nil && ref.Region == region(ctx)
	if found {
		tags, err = s.store.GrantsTags(ctx, r)
		if errors.Is(err, meta.ErrNotFound) {
			found = false
		} else if err != nil {
			return r, nil, fmt.Errorf("load tags: %w", err)
		}
	}
	if err := s.authorize(ctx, check{account: account, st: st, action: action, resource: arn, tags: tags, keys: keys}); err != nil {
		return r, nil, err
	}
	switch {
	case st == nil:
		return r, nil, ErrInstanceNotFound
	case !found:
		return r, nil, notFoundFor(ref.Kind)
	}
	return r, tags, nil
}

// TagResource adds tags to an instance, location or grant, replacing the
// values of keys it has; it may then have at most 50.
func (s *Service) TagResource(ctx context.Context, account, arn string, tags []meta.Tag) error {
	r, _, err := s.onTagged(ctx, account, arn, "s3:TagResource", requestTagKeys(tags))
	if err != nil {
		return err
	}
	if len(tags) == 0 {
		return invalidRequest("Missing required field Tags")
	}
	if err := validateTags(tags); err != nil {
		return err
	}
	err = s.store.TagGrantsResource(ctx, r, tags, MaxTags)
	switch {
	case errors.Is(err, meta.ErrQuota):
		return withMsg(errTooManyTags, "The number of tags exceeds the limit of %d tags", MaxTags)
	case errors.Is(err, meta.ErrNotFound):
		return notFoundFor(r.Kind)
	case err != nil:
		return fmt.Errorf("tag resource: %w", err)
	}
	return nil
}

// UntagResource removes tags by key; keys it lacks are ignored.
func (s *Service) UntagResource(ctx context.Context, account, arn string, keys []string) error {
	r, _, err := s.onTagged(ctx, account, arn, "s3:UntagResource", map[string][]string{keyTagKeys: keys})
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		return invalidRequest("Missing required field TagKeys")
	}
	if len(keys) > MaxTags {
		return withMsg(errTooManyTags, "The number of tag keys exceeds the limit of %d", MaxTags)
	}
	for _, k := range keys {
		if err := validateTagKey(k); err != nil {
			return err
		}
	}
	err = s.store.UntagGrantsResource(ctx, r, keys)
	switch {
	case errors.Is(err, meta.ErrNotFound):
		return notFoundFor(r.Kind)
	case err != nil:
		return fmt.Errorf("untag resource: %w", err)
	}
	return nil
}

// ListTags returns the tags of an instance, location or grant.
func (s *Service) ListTags(ctx context.Context, account, arn string) ([]meta.Tag, error) {
	_, tags, err := s.onTagged(ctx, account, arn, "s3:ListTagsForResource", nil)
	return tags, err
}
