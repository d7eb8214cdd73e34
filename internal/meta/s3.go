package meta

import (
	"context"
	"fmt"
	"time"
)

// TopicBucket is the change-feed topic of bucket records (key: the bucket
// name). Objects and multipart uploads are never cached, so their writes do
// not go through the feed: a feed row per PUT would double the write load
// and, on PostgreSQL, serialize every object commit of every node on the
// feed's commit lock.
const TopicBucket = "bucket"

// ErrBucketGone is returned (wrapped) by writes into a bucket that was
// deleted; it is also an ErrNotFound.
var ErrBucketGone = fmt.Errorf("bucket does not exist: %w", ErrNotFound)

// Bucket is an S3 bucket.
type Bucket struct {
	// ID is generated at creation; blob keys and object rows refer to it,
	// so a bucket deleted and created again under the same name shares
	// nothing with its predecessor.
	ID        string
	Name      string
	AccountID string // the owner
	Region    string
	CreatedAt time.Time
	// Policy is the bucket policy document as the owner sent it; empty
	// when the bucket has none.
	Policy string
	// Tags is the bucket's tag set; nil when it has none.
	Tags []Tag
}

// ObjectAttrs are what a writer sets on an object (or on a multipart
// upload, for the object it will make) besides its bytes.
type ObjectAttrs struct {
	ContentType        string            `json:"ct,omitempty"`
	ContentEncoding    string            `json:"ce,omitempty"`
	ContentDisposition string            `json:"cd,omitempty"`
	ContentLanguage    string            `json:"cl,omitempty"`
	CacheControl       string            `json:"cc,omitempty"`
	Expires            string            `json:"ex,omitempty"`
	StorageClass       string            `json:"sc,omitempty"`
	Metadata           map[string]string `json:"md,omitempty"` // x-amz-meta-*, lower-case names without the prefix
	Tags               []Tag             `json:"tg,omitempty"`
}

// Checksum is an object's or part's flexible checksum.
type Checksum struct {
	// Algorithm is CRC32, CRC32C, SHA1, SHA256 or CRC64NVME; empty when
	// there is none.
	Algorithm string `json:"a,omitempty"`
	// Type is FULL_OBJECT or COMPOSITE.
	Type string `json:"t,omitempty"`
	// Value is the base64 checksum; composite values end in "-N".
	Value string `json:"v,omitempty"`
}

// Object is the current version of an object: its attributes and where
// its bytes are. The bytes of a single-blob object (PartsCount 0) are the
// blob named by ID; those of a multipart object are its Parts in order.
type Object struct {
	BucketID string
	Key      string
	// ID is generated per write (for a multipart object it is the upload
	// ID) and names the object's blobs.
	ID           string
	Size         int64
	ETag         string // without quotes: hex MD5, or hex-N for multipart
	LastModified time.Time
	Attrs        ObjectAttrs
	Checksum     Checksum
	// PartsCount is the number of parts of a multipart object, 0 for a
	// single-blob object.
	PartsCount int
	// Parts is the manifest of a multipart object, in object order. List
	// methods leave it nil.
	Parts []Part
}

// Part is one part of a multipart upload, and after completion one piece
// of the object's manifest.
type Part struct {
	// UploadID is the upload the part was uploaded to (for a completed
	// multipart object, its ID); stores fill it in on reads.
	UploadID string
	Number   int
	// ID names the part's blob; a part uploaded again gets a new ID.
	ID           string
	Size         int64
	ETag         string // hex MD5, without quotes
	Checksum     string // base64 value of the upload's checksum algorithm, if any
	LastModified time.Time
}

// Upload is a multipart upload in progress.
type Upload struct {
	ID        string
	BucketID  string
	Key       string
	Initiated time.Time
	// InitiatorARN and InitiatorID describe who created it.
	InitiatorARN string
	InitiatorID  string
	Attrs        ObjectAttrs
	// Checksum holds the upload's algorithm and type; Value is empty.
	Checksum Checksum
}

// ObjectCondition makes an object write conditional; the store checks it
// in the writing transaction.
type ObjectCondition struct {
	// IfAbsent: fail with ErrExists when the key has an object.
	IfAbsent bool
	// IfETag, when set, is the ETag the current object must have: ErrNotFound
	// when there is no object, ErrConflict when its ETag differs.
	IfETag string
	// IfID, when set, is the ID the current object must have (the version
	// a read-modify-write read): ErrNotFound or ErrConflict otherwise.
	IfID string
}

// KeyRange selects keys in byte order: those that start with Prefix, are
// above After and not below From, at most Limit of them.
type KeyRange struct {
	Prefix string
	After  string
	// AfterID continues a listing of uploads inside key After.
	AfterID string
	From    string
	Limit   int
}

// CompleteUpload is what CompleteMultipartUpload commits.
type CompleteUpload struct {
	UploadID string
	// Object is the new object; its Parts list the chosen parts, each with
	// the ID the caller read: ErrConflict when a part has changed since.
	Object    Object
	Condition ObjectCondition
}

// S3Store keeps buckets, objects and multipart uploads.
type S3Store interface {
	// CreateBucket stores a new bucket; ErrExists if its name is taken.
	CreateBucket(ctx context.Context, b Bucket) error
	// GetBucket returns a bucket by name.
	GetBucket(ctx context.Context, name string) (Bucket, error)
	// ListBuckets returns an account's buckets (all accounts' when account
	// is empty) whose names start with prefix, ordered by name, after the
	// cursor p.After (a bucket name).
	ListBuckets(ctx context.Context, account, prefix string, p Page) ([]Bucket, error)
	// DeleteBucket deletes the bucket with this name and ID, together
	// with its multipart uploads, whose parts it returns so the caller can
	// delete their blobs. ErrConflict if the bucket still has objects.
	DeleteBucket(ctx context.Context, name, id string) ([]Part, error)
	// SetBucketPolicy replaces the bucket's policy; empty deletes it.
	SetBucketPolicy(ctx context.Context, name, policy string) error
	// SetBucketTags replaces the bucket's tag set; nil deletes it.
	SetBucketTags(ctx context.Context, name string, tags []Tag) error

	// GetObject returns an object with its manifest.
	GetObject(ctx context.Context, bucketID, key string) (Object, error)
	// PutObject makes o the object under its key if c holds, and returns
	// the object it replaced (nil if none) so the caller can delete its
	// blobs. ErrBucketGone if the bucket was deleted.
	PutObject(ctx context.Context, o Object, c ObjectCondition) (*Object, error)
	// SetObjectTags replaces the tags of the object whose ID is id;
	// ErrNotFound if that version is no longer current.
	SetObjectTags(ctx context.Context, bucketID, key, id string, tags []Tag) error
	// DeleteObjects deletes the objects under keys that exist and returns
	// them; missing keys are skipped.
	DeleteObjects(ctx context.Context, bucketID string, keys []string) ([]Object, error)
	// ListObjects returns objects in key order (bytewise), without
	// manifests.
	ListObjects(ctx context.Context, bucketID string, q KeyRange) ([]Object, error)

	// CreateUpload stores a new multipart upload; ErrBucketGone if the
	// bucket was deleted.
	CreateUpload(ctx context.Context, u Upload) error
	// GetUpload returns an upload of the bucket.
	GetUpload(ctx context.Context, bucketID, uploadID string) (Upload, error)
	// PutPart stores a part of an upload, replacing the part with its
	// number, which it returns (nil if none). ErrNotFound if the upload no
	// longer exists.
	PutPart(ctx context.Context, uploadID string, p Part) (*Part, error)
	// ListParts returns up to limit parts numbered above after, in order.
	ListParts(ctx context.Context, uploadID string, after, limit int) ([]Part, error)
	// ListUploads returns uploads of the bucket ordered by key and then
	// upload ID (IDs increase with initiation time); with q.AfterID set,
	// the uploads of key q.After with greater IDs come first.
	ListUploads(ctx context.Context, bucketID string, q KeyRange) ([]Upload, error)
	// CompleteUpload turns an upload into its object in one transaction.
	// It returns the object replaced (or nil) and the upload's parts that
	// the object does not use, so the caller can delete their blobs.
	CompleteUpload(ctx context.Context, c CompleteUpload) (replaced *Object, unused []Part, err error)
	// AbortUpload deletes an upload and returns its parts.
	AbortUpload(ctx context.Context, bucketID, uploadID string) ([]Part, error)

	// LiveBlobIDs returns which of ids name an object or a part that is
	// stored (in an upload or in a multipart object). The orphan sweep
	// deletes blobs whose IDs are not live.
	LiveBlobIDs(ctx context.Context, ids []string) (map[string]bool, error)
}
