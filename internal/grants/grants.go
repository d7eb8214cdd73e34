// Package grants is the S3 Access Grants control plane: instances (one per
// account and region), their resource policies and Identity Center
// association, registered locations, grants and their tags. It validates
// requests the way AWS does, asks an Authorizer whether the caller may act
// (AWS's cross-account rule included), and keeps its records in a
// meta.GrantsStore. It knows nothing of HTTP or SQL; the wire side is
// internal/api/s3controlapi.
//
// Methods take the account named by the request's x-amz-account-id header;
// the caller and the region (the SigV4 scope's) come from the context
// (auth.FromContext).
package grants

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/authz"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
)

// Quotas AWS documents for S3 Access Grants.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-limitations.html
const (
	DefaultLocationsQuota = 1000
	DefaultGrantsQuota    = 100000
	MaxTags               = 50
)

// Store is what the service keeps its records in, plus the IAM roles that
// locations name.
type Store interface {
	meta.GrantsStore
	GetRole(ctx context.Context, account, name string) (meta.Role, error)
}

// Authorizer answers authorization questions about the request in the
// context: nil, or an error of kind errs.Denied. *authz.Authorizer is one.
// When ResourceAccount is not the caller's account, both the caller's
// identity policies and the resource policy must allow (AWS's
// cross-account rule).
type Authorizer interface {
	Check(ctx context.Context, req authz.Request) error
}

// SharedInstances lists the instances of other accounts that are shared
// with an account (resource sharing); ListAccessGrantsInstances includes
// them.
type SharedInstances interface {
	SharedGrantsInstances(ctx context.Context, account, region string) ([]meta.GrantsInstance, error)
}

// Options configure New.
type Options struct {
	Store Store
	Authz Authorizer
	// Shared, when set, adds shared instances to ListAccessGrantsInstances.
	Shared SharedInstances
	// Quotas; zero means AWS's.
	LocationsQuota int
	GrantsQuota    int
	Now            func() time.Time
	// Rand is the source of IDs; nil means crypto/rand.
	Rand io.Reader

	// Feed is the store's change feed: the matching index reads its
	// position before it loads an instance, so it misses no change made
	// while it loads. nil skips that catch-up (tests of the control plane).
	Feed meta.ChangeFeed
	// Assumer vends GetDataAccess credentials; nil answers GetDataAccess
	// with NotImplemented.
	Assumer RoleAssumer
	// Buckets finds the owner of a bucket for
	// GetAccessGrantsInstanceForPrefix; nil answers it with
	// AccessGrantsInstanceNotExistsError for every prefix.
	Buckets BucketOwners
	// Directory resolves the groups of directory users; nil leaves
	// DIRECTORY_GROUP grants unmatched.
	Directory DirectoryGroups
	// Log receives the matching index's maintenance warnings.
	Log *slog.Logger
}

// Service implements the S3 Access Grants control-plane operations.
type Service struct {
	store          Store
	authz          Authorizer
	shared         SharedInstances
	locationsQuota int
	grantsQuota    int
	now            func() time.Time
	rand           io.Reader
	policies       policyCache
	assumer        RoleAssumer
	buckets        BucketOwners
	directory      DirectoryGroups
	log            *slog.Logger
	index          *indexer
}

// New returns the service.
func New(o Options) *Service {
	if o.LocationsQuota <= 0 {
		o.LocationsQuota = DefaultLocationsQuota
	}
	if o.GrantsQuota <= 0 {
		o.GrantsQuota = DefaultGrantsQuota
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	s := &Service{store: o.Store, authz: o.Authz, shared: o.Shared, locationsQuota: o.LocationsQuota,
		grantsQuota: o.GrantsQuota, now: o.Now, rand: o.Rand,
		assumer: o.Assumer, buckets: o.Buckets, directory: o.Directory, log: o.Log}
	s.index = newIndexer(o.Store, o.Feed, o.Log, s.policies.compile)
	if o.Store != nil {
		// The control plane's writes reach the index before they are
		// acknowledged.
		s.store = syncStore{Store: o.Store, x: s.index}
	}
	return s
}

// HandleChanges keeps the matching index current: it queues the changes
// of the instances the index holds and applies them in the background.
// It is a changefeed.Handler; subscribe it to the node's watcher.
func (s *Service) HandleChanges(changes []meta.Change) { s.index.HandleChanges(changes) }

// Errors of this package. Reasons are the S3 Control wire codes;
// internal/api/s3controlapi maps them. Messages are AWS's.
var (
	ErrAccessDenied     = errs.E(errs.Denied, "AccessDenied", "Access Denied")
	ErrInstanceExists   = errs.E(errs.Conflict, "AccessGrantsInstanceAlreadyExists", "Access Grants Instance already exists")
	ErrInstanceNotFound = errs.E(errs.NotFound, "AccessGrantsInstanceNotExistsError", "Access Grants Instance does not exist")
	ErrInstanceNotEmpty = errs.E(errs.Conflict, "AccessGrantsInstanceNotEmptyError", "Please clean up locations before deleting the access grants instance")
	ErrPolicyNotFound   = errs.E(errs.NotFound, "AccessGrantsInstanceResourcePolicyNotExists", "Access Grants Instance Resource Policy does not exist")
	ErrLocationExists   = errs.E(errs.Conflict, "AccessGrantsLocationAlreadyExistsError", "The specified access grants location already exists")
	ErrLocationNotEmpty = errs.E(errs.Conflict, "AccessGrantsLocationNotEmptyError", "Please clean up access grants before deleting access grants location")
	ErrLocationNotFound = errs.E(errs.NotFound, "NoSuchAccessGrantsLocationError", "The specified access grants location does not exist")
	ErrGrantExists      = errs.E(errs.Conflict, "AccessGrantAlreadyExists", "The specified access grant already exists")
	ErrGrantNotFound    = errs.E(errs.NotFound, "NoSuchAccessGrantError", "The specified access grant does not exist")
	errLocationsQuota   = errs.E(errs.LimitExceeded, "AccessGrantsLocationsQuotaExceededError", "")
	errGrantsQuota      = errs.E(errs.LimitExceeded, "AccessGrantsQuotaExceededError", "")
	errInvalidRequest   = errs.E(errs.Invalid, "InvalidRequest", "")
	errInvalidGrant     = errs.E(errs.Invalid, "InvalidAccessGrant", "")
	errInvalidLocation  = errs.E(errs.Invalid, "InvalidAccessGrantsLocation", "")
	errInvalidRole      = errs.E(errs.Invalid, "InvalidIamRole", "")
	errInvalidIDC       = errs.E(errs.Invalid, "InvalidIdentityCenterInstance", "")
	errInvalidPolicy    = errs.E(errs.Invalid, "InvalidResourcePolicy", "")
	errInvalidTag       = errs.E(errs.Invalid, "InvalidTag", "")
	errInvalidTags      = errs.E(errs.Invalid, "InvalidTags", "")
	errTooManyTags      = errs.E(errs.Invalid, "TooManyTags", "")
)

// withMsg returns a copy of sentinel with a formatted message.
func withMsg(sentinel *errs.Error, format string, args ...any) error {
	e := *sentinel
	e.Msg = fmt.Sprintf(format, args...)
	return &e
}

func invalidRequest(format string, args ...any) error {
	return withMsg(errInvalidRequest, format, args...)
}

// InstanceID is the ID of every Access Grants instance.
const InstanceID = "default"

// DefaultLocationID is the ID of the location with scope s3://.
const DefaultLocationID = "default"

// InstanceARN returns the ARN of the instance of account in region.
func InstanceARN(region, account string) string {
	return "arn:aws:s3:" + region + ":" + account + ":access-grants/" + InstanceID
}

// LocationARN returns the ARN of a location.
func LocationARN(region, account, id string) string {
	return InstanceARN(region, account) + "/location/" + id
}

// GrantARN returns the ARN of a grant.
func GrantARN(region, account, id string) string {
	return InstanceARN(region, account) + "/grant/" + id
}

// region returns the request's region: the SigV4 scope's.
func region(ctx context.Context) string { return auth.FromContext(ctx).Region }

// newUUID returns a random (version 4) UUID, the form of AWS's location
// and grant IDs.
func (s *Service) newUUID() (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(s.rand, b[:]); err != nil {
		return "", fmt.Errorf("generate ID: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

// nowUTC is the service clock in UTC. Records keep its full precision, so
// lists come in creation order; the wire shows milliseconds.
func (s *Service) nowUTC() time.Time { return s.now().UTC() }
