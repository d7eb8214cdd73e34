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

var (
	roleARNRe = regexp.MustCompile(`^arn:[^:]+:iam::\d{12}:role/.*`)
)

// validBucket reports whether b is a bucket name S3 accepts: 3–63
// characters of a-z, 0-9, "." and "-", starting and ending with a letter
// or digit, without "..". (Written out rather than as a regular
// expression: GetDataAccess checks every target's bucket.)
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
func validBucket(b string) bool {
	if len(b) < 3 || len(b) > 63 {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
		case (c == '.' || c == '-') && i > 0 && i < len(b)-1:
			if c == '.' && b[i-1] == '.' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func invalidLocation(format string, args ...any) error {
	return withMsg(errInvalidLocation, "The specified Access Grants Location is invalid: "+format, args...)
}

// ParseLocationScope validates a location scope — s3://, s3://bucket,
// s3://bucket/ or s3://bucket/prefix — and returns it with the scheme in
// lower case (documentation also prints S3://).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-location.html
func ParseLocationScope(scope string) (string, error) {
	if n := utf8.RuneCountInString(scope); n < 1 || n > 2000 {
		return "", invalidRequest("Value at 'locationScope' failed to satisfy constraint: Member must have length between 1 and 2000")
	}
	if len(scope) < 5 || !strings.EqualFold(scope[:5], "s3://") {
		return "", invalidLocation("the location scope must start with s3://")
	}
	scope = "s3://" + scope[5:]
	rest := scope[5:]
	if rest == "" {
		return scope, nil
	}
	// Wildcards are for grants; a location is a plain bucket or prefix.
	if strings.ContainsAny(rest, "*?") {
		return "", invalidLocation("the location scope %s may not contain wildcards", scope)
	}
	bucket, _, _ := strings.Cut(rest, "/")
	if !validBucket(bucket) {
		return "", invalidLocation("%q is not a valid bucket name", bucket)
	}
	return scope, nil
}

// validateRole checks a location's role: an IAM role ARN of account
// naming a role that exists.
func (s *Service) validateRole(ctx context.Context, account, roleARN string) error {
	if roleARN == "" {
		return invalidRequest("Missing required field IAMRoleArn")
	}
	bad := func(why string) error {
		return withMsg(errInvalidRole, "The specified IAM Role is invalid: %s %s", roleARN, why)
	}
	if len(roleARN) > 2048 || !roleARNRe.MatchString(roleARN) {
		return bad("is not an IAM role ARN")
	}
	parts := strings.SplitN(roleARN, ":", 6)
	if parts[1] != "aws" || parts[4] != account {
		return bad("is not a role of account " + account)
	}
	res := strings.TrimPrefix(parts[5], "role")
	i := strings.LastIndexByte(res, '/')
	path, name := res[:i+1], res[i+1:]
	if name == "" {
		return bad("names no role")
	}
	role, err := s.store.GetRole(ctx, account, name)
	// Names are case-insensitive in IAM; paths are not.
	if errors.Is(err, meta.ErrNotFound) || (err == nil && role.Path != path) {
		return bad("does not exist")
	}
	if err != nil {
		return fmt.Errorf("look up location role: %w", err)
	}
	return nil
}

// passRole authorizes iam:PassRole on the location role, which AWS
// requires of whoever registers or updates a location.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-location.html
func (s *Service) passRole(ctx context.Context, account, roleARN string) error {
	return s.authorize(ctx, check{account: account, action: "iam:PassRole", resource: roleARN,
		keys: map[string][]string{keyPassedToService: {ServicePrincipal}}})
}

// CreateLocationInput is CreateAccessGrantsLocation's request.
type CreateLocationInput struct {
	LocationScope string
	IAMRoleARN    string
	Tags          []meta.Tag
}

// CreateLocation registers a location.
func (s *Service) CreateLocation(ctx context.Context, account string, in CreateLocationInput) (meta.GrantsLocation, error) {
	const action = "s3:CreateAccessGrantsLocation"
	var loc meta.GrantsLocation
	if err := gate(ctx, account, action); err != nil {
		return loc, err
	}
	st, err := s.instanceState(ctx, account)
	if err != nil {
		return loc, err
	}
	scope, scopeErr := ParseLocationScope(in.LocationScope)
	id := DefaultLocationID
	if scopeErr != nil || scope != "s3://" {
		if id, err = s.newUUID(); err != nil {
			return loc, err
		}
	}
	keys := requestTagKeys(in.Tags)
	keys[KeyLocationScope] = []string{in.LocationScope}
	if scopeErr == nil {
		keys[KeyLocationScope] = []string{scope}
	}
	if err := s.authorize(ctx, check{account: account, st: st, action: action, resource: LocationARN(region(ctx), account, id), keys: keys}); err != nil {
		return loc, err
	}
	if st == nil {
		return loc, ErrInstanceNotFound
	}
	if scopeErr != nil {
		return loc, scopeErr
	}
	if err := validateTags(in.Tags); err != nil {
		return loc, err
	}
	if err := s.validateRole(ctx, account, in.IAMRoleARN); err != nil {
		return loc, err
	}
	if err := s.passRole(ctx, account, in.IAMRoleARN); err != nil {
		return loc, err
	}
	loc = meta.GrantsLocation{Account: account, Region: region(ctx), ID: id, Scope: scope, IAMRoleARN: in.IAMRoleARN, CreatedAt: s.nowUTC()}
	err = s.store.CreateGrantsLocation(ctx, loc, in.Tags, s.locationsQuota)
	switch {
	case errors.Is(err, meta.ErrExists):
		return loc, ErrLocationExists
	case errors.Is(err, meta.ErrQuota):
		return loc, withMsg(errLocationsQuota, "The access grants location quota has been exceeded. Access Grants Locations Quota: %d.", s.locationsQuota)
	case errors.Is(err, meta.ErrNotFound):
		return loc, ErrInstanceNotFound
	case err != nil:
		return loc, fmt.Errorf("create access grants location: %w", err)
	}
	return loc, nil
}

// validateID checks a location or grant ID from a request.
func validateID(field, id string) error {
	if !idRe.MatchString(id) {
		return invalidRequest("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9\\-]+", id, field)
	}
	return nil
}

// onLocation authorizes action on a location and returns it: AccessDenied
// before the instance's or the location's 404.
func (s *Service) onLocation(ctx context.Context, account, id, action string) (meta.GrantsLocation, error) {
	var loc meta.GrantsLocation
	if err := gate(ctx, account, action); err != nil {
		return loc, err
	}
	if err := validateID("accessGrantsLocationId", id); err != nil {
		return loc, err
	}
	st, err := s.instanceState(ctx, account)
	if err != nil {
		return loc, err
	}
	r := meta.GrantsResource{Account: account, Region: region(ctx), Kind: meta.GrantsLocationResource, ID: id}
	found, tags, err := s.loadLocation(ctx, st, r, &loc)
	if err != nil {
		return loc, err
	}
	c := check{account: account, st: st, action: action, resource: LocationARN(region(ctx), account, id), tags: tags}
	if found {
		c.keys = map[string][]string{KeyLocationScope: {loc.Scope}}
	}
	if err := s.authorize(ctx, c); err != nil {
		return loc, err
	}
	switch {
	case st == nil:
		return loc, ErrInstanceNotFound
	case !found:
		return loc, ErrLocationNotFound
	}
	return loc, nil
}

// loadLocation reads a location and its tags into loc; found is false when
// the instance or the location does not exist.
func (s *Service) loadLocation(ctx context.Context, st *meta.GrantsInstanceState, r meta.GrantsResource, loc *meta.GrantsLocation) (found bool, tags []meta.Tag, err error) {
	if st == nil {
		return false, nil, nil
	}
	*loc, err = s.store.GetGrantsLocation(ctx, r.Account, r.Region, r.ID)
	if errors.Is(err, meta.ErrNotFound) {
		return false, nil, nil
	}
	if err != nil {
		return false, nil, fmt.Errorf("load access grants location: %w", err)
	}
	tags, err = s.store.GrantsTags(ctx, r)
	if errors.Is(err, meta.ErrNotFound) { // deleted meanwhile
		return false, nil, nil
	}
	if err != nil {
		return false, nil, fmt.Errorf("load location tags: %w", err)
	}
	return true, tags, nil
}

// GetLocation returns a location.
func (s *Service) GetLocation(ctx context.Context, account, id string) (meta.GrantsLocation, error) {
	return s.onLocation(ctx, account, id, "s3:GetAccessGrantsLocation")
}

// UpdateLocation changes a location's IAM role, the only thing about a
// location that can change.
func (s *Service) UpdateLocation(ctx context.Context, account, id, roleARN string) (meta.GrantsLocation, error) {
	loc, err := s.onLocation(ctx, account, id, "s3:UpdateAccessGrantsLocation")
	if err != nil {
		return loc, err
	}
	if err := s.validateRole(ctx, account, roleARN); err != nil {
		return loc, err
	}
	if err := s.passRole(ctx, account, roleARN); err != nil {
		return loc, err
	}
	loc, err = s.store.UpdateGrantsLocation(ctx, account, region(ctx), id, roleARN)
	if errors.Is(err, meta.ErrNotFound) {
		return loc, ErrLocationNotFound
	}
	if err != nil {
		return loc, fmt.Errorf("update access grants location: %w", err)
	}
	return loc, nil
}

// DeleteLocation deletes a location that no grant uses.
func (s *Service) DeleteLocation(ctx context.Context, account, id string) error {
	if _, err := s.onLocation(ctx, account, id, "s3:DeleteAccessGrantsLocation"); err != nil {
		return err
	}
	err := s.store.DeleteGrantsLocation(ctx, account, region(ctx), id)
	switch {
	case errors.Is(err, meta.ErrNotEmpty):
		return ErrLocationNotEmpty
	case errors.Is(err, meta.ErrNotFound):
		return ErrLocationNotFound
	case err != nil:
		return fmt.Errorf("delete access grants location: %w", err)
	}
	return nil
}

// ListLocationsInput is ListAccessGrantsLocations' request.
type ListLocationsInput struct {
	ListInput
	// LocationScope, when set, lists only the location with that scope.
	LocationScope string
}

// ListLocations lists the instance's locations. Other accounts may call it
// when the instance's resource policy allows.
func (s *Service) ListLocations(ctx context.Context, account string, in ListLocationsInput) ([]meta.GrantsLocation, string, error) {
	if _, err := s.onInstance(ctx, account, ActionListAccessGrantsLocations, nil); err != nil {
		return nil, "", err
	}
	p, err := in.page()
	if err != nil {
		return nil, "", err
	}
	scope := in.LocationScope
	if scope != "" {
		if n := utf8.RuneCountInString(scope); n > 2000 {
			return nil, "", invalidRequest("Value at 'locationScope' failed to satisfy constraint: Member must have length less than or equal to 2000")
		}
		if len(scope) >= 5 && strings.EqualFold(scope[:5], "s3://") {
			scope = "s3://" + scope[5:]
		}
	}
	list, next, err := s.store.ListGrantsLocations(ctx, account, region(ctx), scope, p)
	if err != nil {
		return nil, "", listErr("access grants locations", err)
	}
	return list, nextToken(next), nil
}
