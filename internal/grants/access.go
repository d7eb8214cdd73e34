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

// Grantee types, permissions and the one S3PrefixType.
const (
	GranteeIAM            = "IAM"
	GranteeDirectoryUser  = "DIRECTORY_USER"
	GranteeDirectoryGroup = "DIRECTORY_GROUP"
	PermissionRead        = "READ"
	PermissionWrite       = "WRITE"
	PermissionReadWrite   = "READWRITE"
	PrefixTypeObject      = "Object"
)

var (
	// An IAM grantee is a user or role ARN, of any account.
	iamGranteeRe = regexp.MustCompile(`^arn:aws:iam::\d{12}:(user|role)/([\w+=,.@-]+/)*[\w+=,.@-]+$`)
	// Identity Store user and group IDs (GUIDs, optionally prefixed).
	directoryIDRe  = regexp.MustCompile(`^[A-Za-z0-9-]{1,47}$`)
	applicationRe  = regexp.MustCompile(`^arn:[^:]+:sso::\d{12}:application/.*$`)
	validGrantee   = map[string]bool{GranteeIAM: true, GranteeDirectoryUser: true, GranteeDirectoryGroup: true}
	validPermision = map[string]bool{PermissionRead: true, PermissionWrite: true, PermissionReadWrite: true}
)

func invalidGrant(format string, args ...any) error {
	return withMsg(errInvalidGrant, "The specified Access Grant is invalid: "+format, args...)
}

// GrantScope joins a location scope and a grant's S3SubPrefix (nil when
// absent) into the grant's scope: one trailing "/" of the location and one
// leading "/" of the subprefix are dropped and the two joined with "/". A
// "*" may only end the scope, meaning every key that begins with what
// precedes it; an Object grant names one key and has none.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-grant.html
func GrantScope(locationScope string, subPrefix *string, prefixType string) (string, error) {
	loc, err := ParseLocationScope(locationScope)
	if err != nil {
		return "", invalidGrant("the location scope %q is not valid", locationScope)
	}
	if loc != "s3://" {
		loc = strings.TrimSuffix(loc, "/")
	}
	scope := loc
	if subPrefix != nil {
		sub := *subPrefix
		if n := utf8.RuneCountInString(sub); n < 1 || n > 2000 {
			return "", invalidRequest("Value at 's3SubPrefix' failed to satisfy constraint: Member must have length between 1 and 2000")
		}
		sub = strings.TrimPrefix(sub, "/")
		if loc == "s3://" {
			scope = loc + sub
		} else {
			scope = loc + "/" + sub
		}
	}
	rest := scope[len("s3://"):]
	if rest == "" {
		return "", invalidGrant("you cannot create a grant for the entire default location s3://; give a bucket, prefix or object in S3SubPrefix")
	}
	bucket, key, hasKey := strings.Cut(rest, "/")
	if !validBucket(bucket) {
		return "", invalidGrant("%q is not a valid bucket name", bucket)
	}
	if i := strings.IndexByte(scope, '*'); i >= 0 && i != len(scope)-1 {
		return "", invalidGrant("the wildcard * may only end the grant scope %s", scope)
	}
	if utf8.RuneCountInString(scope) > 2000 {
		return "", invalidGrant("the grant scope is longer than 2000 characters")
	}
	if prefixType == PrefixTypeObject && (!hasKey || key == "" || strings.HasSuffix(key, "*")) {
		return "", invalidGrant("an Object grant must name one object key without a wildcard, not %s", scope)
	}
	return scope, nil
}

// CreateGrantInput is CreateAccessGrant's request.
type CreateGrantInput struct {
	LocationID string
	// SubPrefix is AccessGrantsLocationConfiguration.S3SubPrefix; nil when
	// absent.
	SubPrefix         *string
	GranteeType       string
	GranteeIdentifier string
	Permission        string
	ApplicationARN    string
	// PrefixType is S3PrefixType: "" or Object.
	PrefixType string
	Tags       []meta.Tag
}

// CreateGrant creates a grant on a registered location.
func (s *Service) CreateGrant(ctx context.Context, account string, in CreateGrantInput) (meta.AccessGrant, error) {
	const action = "s3:CreateAccessGrant"
	var g meta.AccessGrant
	if err := gate(ctx, account, action); err != nil {
		return g, err
	}
	st, err := s.instanceState(ctx, account)
	if err != nil {
		return g, err
	}
	var loc meta.GrantsLocation
	found := false
	if st != nil && idRe.MatchString(in.LocationID) {
		r := meta.GrantsResource{Account: account, Region: region(ctx), Kind: meta.GrantsLocationResource, ID: in.LocationID}
		if found, _, err = s.loadLocation(ctx, st, r, &loc); err != nil {
			return g, err
		}
	}
	id, err := s.newUUID()
	if err != nil {
		return g, err
	}
	if err := s.authorizeCreateGrant(ctx, account, st, &loc, found, id, in); err != nil {
		return g, err
	}
	if st == nil {
		return g, ErrInstanceNotFound
	}
	if err := validateID("accessGrantsLocationId", in.LocationID); err != nil {
		return g, err
	}
	if !found {
		return g, ErrLocationNotFound
	}
	g = meta.AccessGrant{Account: account, Region: region(ctx), ID: id, LocationID: loc.ID, GranteeType: in.GranteeType,
		GranteeIdentifier: in.GranteeIdentifier, Permission: in.Permission, PrefixType: in.PrefixType,
		ApplicationARN: in.ApplicationARN, CreatedAt: s.nowUTC()}
	if in.SubPrefix != nil {
		g.SubPrefix = *in.SubPrefix
	}
	if g.GrantScope, err = validateGrant(st, loc, in); err != nil {
		return g, err
	}
	return g, s.storeGrant(ctx, g, in.Tags)
}

// authorizeCreateGrant asks for s3:CreateAccessGrant on the location and on
// the new grant, with the grant's scope when it can be computed.
func (s *Service) authorizeCreateGrant(ctx context.Context, account string, st *meta.GrantsInstanceState, loc *meta.GrantsLocation, found bool, id string, in CreateGrantInput) error {
	keys := requestTagKeys(in.Tags)
	if found {
		if scope, err := GrantScope(loc.Scope, in.SubPrefix, in.PrefixType); err == nil {
			keys[KeyGrantScope] = []string{scope}
		}
	}
	c := check{account: account, st: st, action: "s3:CreateAccessGrant", keys: keys}
	c.resource = LocationARN(region(ctx), account, in.LocationID)
	if err := s.authorize(ctx, c); err != nil {
		return err
	}
	c.resource = GrantARN(region(ctx), account, id)
	return s.authorize(ctx, c)
}

// validateGrant checks a grant request against its instance and location
// and returns the grant's scope.
func validateGrant(st *meta.GrantsInstanceState, loc meta.GrantsLocation, in CreateGrantInput) (string, error) {
	switch {
	case in.GranteeType == "" || in.GranteeIdentifier == "":
		return "", invalidRequest("Missing required field Grantee: both GranteeType and GranteeIdentifier are required")
	case !validGrantee[in.GranteeType]:
		return "", invalidRequest("Value '%s' at 'grantee.granteeType' failed to satisfy constraint: Member must satisfy enum value set: [DIRECTORY_USER, DIRECTORY_GROUP, IAM]", in.GranteeType)
	case in.Permission == "":
		return "", invalidRequest("Missing required field Permission")
	case !validPermision[in.Permission]:
		return "", invalidRequest("Value '%s' at 'permission' failed to satisfy constraint: Member must satisfy enum value set: [READ, WRITE, READWRITE]", in.Permission)
	case in.PrefixType != "" && in.PrefixType != PrefixTypeObject:
		return "", invalidRequest("Value '%s' at 's3PrefixType' failed to satisfy constraint: Member must satisfy enum value set: [Object]", in.PrefixType)
	case in.ApplicationARN != "" && (len(in.ApplicationARN) < 10 || len(in.ApplicationARN) > 1224 || !applicationRe.MatchString(in.ApplicationARN)):
		return "", invalidRequest("Value '%s' at 'applicationArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[^:]+:sso::\\d{12}:application/.*$", in.ApplicationARN)
	}
	if err := validateTags(in.Tags); err != nil {
		return "", err
	}
	idc := st.Instance.IdentityCenterInstanceARN
	switch {
	case in.GranteeType == GranteeIAM && !iamGranteeRe.MatchString(in.GranteeIdentifier):
		return "", invalidGrant("the IAM grantee %q is not an IAM user or role ARN", in.GranteeIdentifier)
	case in.GranteeType != GranteeIAM && idc == "":
		return "", withMsg(errInvalidIDC, "The specified identity center instance is invalid: associate an IAM Identity Center instance before granting to %s", in.GranteeType)
	case in.GranteeType != GranteeIAM && !directoryIDRe.MatchString(in.GranteeIdentifier):
		return "", invalidGrant("%q is not a directory user or group ID", in.GranteeIdentifier)
	case in.ApplicationARN != "" && idc == "":
		return "", withMsg(errInvalidIDC, "The specified identity center instance is invalid: an ApplicationArn needs an associated IAM Identity Center instance")
	}
	return GrantScope(loc.Scope, in.SubPrefix, in.PrefixType)
}

func (s *Service) storeGrant(ctx context.Context, g meta.AccessGrant, tags []meta.Tag) error {
	err := s.store.CreateGrant(ctx, g, tags, s.grantsQuota)
	switch {
	case errors.Is(err, meta.ErrExists):
		return ErrGrantExists
	case errors.Is(err, meta.ErrQuota):
		return withMsg(errGrantsQuota, "The access grants quota has been exceeded. Access Grants Quota: %d.", s.grantsQuota)
	case errors.Is(err, meta.ErrNotFound):
		return ErrLocationNotFound
	case err != nil:
		return fmt.Errorf("create access grant: %w", err)
	}
	return nil
}

// onGrant authorizes action on a grant and returns it: AccessDenied before
// the instance's or the grant's 404.
func (s *Service) onGrant(ctx context.Context, account, id, action string) (meta.AccessGrant, error) {
	var g meta.AccessGrant
	if err := gate(ctx, account, action); err != nil {
		return g, err
	}
	if err := validateID("accessGrantId", id); err != nil {
		return g, err
	}
	st, err := s.instanceState(ctx, account)
	if err != nil {
		return g, err
	}
	found := false
	var tags []meta.Tag
	if st != nil {
		g, err = s.store.GetGrant(ctx, account, region(ctx), id)
		found = err == nil
		if err != nil && !errors.Is(err, meta.ErrNotFound) {
			return g, fmt.Errorf("load access grant: %w", err)
		}
	}
	if found {
		tags, err = s.store.GrantsTags(ctx, meta.GrantsResource{Account: account, Region: region(ctx), Kind: meta.GrantResource, ID: id})
		if err != nil && !errors.Is(err, meta.ErrNotFound) {
			return g, fmt.Errorf("load grant tags: %w", err)
		}
		found = err == nil
	}
	c := check{account: account, st: st, action: action, resource: GrantARN(region(ctx), account, id), tags: tags}
	if found {
		c.keys = map[string][]string{KeyGrantScope: {g.GrantScope}}
	}
	if err := s.authorize(ctx, c); err != nil {
		return g, err
	}
	switch {
	case st == nil:
		return g, ErrInstanceNotFound
	case !found:
		return g, ErrGrantNotFound
	}
	return g, nil
}

// GetGrant returns a grant.
func (s *Service) GetGrant(ctx context.Context, account, id string) (meta.AccessGrant, error) {
	return s.onGrant(ctx, account, id, "s3:GetAccessGrant")
}

// DeleteGrant deletes a grant.
func (s *Service) DeleteGrant(ctx context.Context, account, id string) error {
	if _, err := s.onGrant(ctx, account, id, "s3:DeleteAccessGrant"); err != nil {
		return err
	}
	err := s.store.DeleteGrant(ctx, account, region(ctx), id)
	if errors.Is(err, meta.ErrNotFound) {
		return ErrGrantNotFound
	}
	if err != nil {
		return fmt.Errorf("delete access grant: %w", err)
	}
	return nil
}

// ListGrantsInput is ListAccessGrants' request.
type ListGrantsInput struct {
	ListInput
	GranteeType       string
	GranteeIdentifier string
	Permission        string
	// GrantScope lists grants whose scope begins with it (a trailing *
	// is dropped first).
	GrantScope     string
	ApplicationARN string
}

// ListGrants lists the instance's grants that match every filter given.
// Other accounts may call it when the instance's resource policy allows.
func (s *Service) ListGrants(ctx context.Context, account string, in ListGrantsInput) ([]meta.AccessGrant, string, error) {
	if _, err := s.onInstance(ctx, account, ActionListAccessGrants, nil); err != nil {
		return nil, "", err
	}
	p, err := in.page()
	if err != nil {
		return nil, "", err
	}
	f, err := grantFilter(in)
	if err != nil {
		return nil, "", err
	}
	list, next, err := s.store.ListGrants(ctx, account, region(ctx), f, p)
	if err != nil {
		return nil, "", listErr("access grants", err)
	}
	return list, nextToken(next), nil
}

func grantFilter(in ListGrantsInput) (meta.GrantFilter, error) {
	f := meta.GrantFilter{GranteeType: in.GranteeType, GranteeIdentifier: in.GranteeIdentifier,
		Permission: in.Permission, ApplicationARN: in.ApplicationARN}
	switch {
	case in.GranteeType != "" && !validGrantee[in.GranteeType]:
		return f, invalidRequest("Value '%s' at 'granteeType' failed to satisfy constraint: Member must satisfy enum value set: [DIRECTORY_USER, DIRECTORY_GROUP, IAM]", in.GranteeType)
	case in.Permission != "" && !validPermision[in.Permission]:
		return f, invalidRequest("Value '%s' at 'permission' failed to satisfy constraint: Member must satisfy enum value set: [READ, WRITE, READWRITE]", in.Permission)
	case in.ApplicationARN != "" && !applicationRe.MatchString(in.ApplicationARN):
		return f, invalidRequest("Value '%s' at 'applicationArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[^:]+:sso::\\d{12}:application/.*$", in.ApplicationARN)
	case utf8.RuneCountInString(in.GrantScope) > 2000:
		return f, invalidRequest("Value at 'grantScope' failed to satisfy constraint: Member must have length less than or equal to 2000")
	}
	scope := strings.TrimSuffix(in.GrantScope, "*")
	if len(scope) >= 5 && strings.EqualFold(scope[:5], "s3://") {
		scope = "s3://" + scope[5:]
	}
	f.ScopePrefix = scope
	return f, nil
}
