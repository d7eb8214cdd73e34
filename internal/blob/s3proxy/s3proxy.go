// Package s3proxy is the blob driver that keeps blobs in a bucket of
// another S3-compatible service (AWS S3, MinIO, Ceph RGW…), using grantd's
// own credentials for that service. It lets grantd nodes stay stateless:
// the blob with key k is the upstream object Options.Prefix + k.
//
// Atomicity comes from the upstream: PutObject and CompleteMultipartUpload
// replace an object atomically, and a GET streams one version. Put reads the
// caller's reader to its end before it commits, and aborts the multipart
// upload of a failed Put, so a failed Put leaves nothing at the key (an old
// blob stays). A process killed in the middle of a multipart Put leaves an
// incomplete upload (invisible, but billed on AWS); configure the bucket's
// lifecycle rule AbortIncompleteMultipartUpload to reap those.
//
// List asks for URL-encoded keys (EncodingType=url) so that keys with bytes
// XML cannot carry survive; an upstream that ignores the parameter returns
// such keys altered.
package s3proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/grantd/grantd/internal/blob"
)

// Options configures Open.
type Options struct {
	// Endpoint is the base URL of the S3 service, such as
	// "http://127.0.0.1:9000". Empty means AWS's endpoint for Region.
	Endpoint string
	// Region is the signing region; "us-east-1" if empty.
	Region string
	// Bucket holds the blobs. It must exist.
	Bucket string
	// Prefix is prepended verbatim to every key; end it with "/" to keep
	// the blobs in a folder. Different stores sharing a bucket need
	// prefixes of which none is a prefix of another.
	Prefix string
	// AccessKeyID and SecretAccessKey are grantd's credentials for the
	// upstream service. Both are required.
	AccessKeyID     string
	SecretAccessKey string
	// UsePathStyle addresses the bucket as https://host/bucket rather than
	// https://bucket.host, as most self-hosted services need.
	UsePathStyle bool
	// HTTPClient sends the requests; nil means the SDK's default client.
	HTTPClient *http.Client
	// PartSize is the size of the parts of a multipart upload, and the
	// largest blob sent with a single PutObject: DefaultPartSize if zero,
	// at least MinPartSize. Puts buffer at most Concurrency parts each.
	PartSize int64
	// Concurrency is the number of parts of one Put uploaded in parallel:
	// DefaultConcurrency if zero.
	Concurrency int
}

const (
	// DefaultPartSize is the part size used when Options.PartSize is zero.
	DefaultPartSize = 8 << 20
	// MinPartSize is S3's minimum size of a part other than the last.
	MinPartSize = 5 << 20
	// maxPartSize is S3's maximum size of a part.
	maxPartSize = 5 << 30
	// DefaultConcurrency is the concurrency used when Options.Concurrency is
	// zero.
	DefaultConcurrency = 4
)

// api is the subset of *s3.Client the store uses; tests substitute it to
// measure the uploader alone.
type api interface {
	HeadBucket(context.Context, *s3.HeadBucketInput, ...func(*s3.Options)) (*s3.HeadBucketOutput, error)
	PutObject(context.Context, *s3.PutObjectInput, ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	GetObject(context.Context, *s3.GetObjectInput, ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	HeadObject(context.Context, *s3.HeadObjectInput, ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	DeleteObject(context.Context, *s3.DeleteObjectInput, ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
	ListObjectsV2(context.Context, *s3.ListObjectsV2Input, ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	CreateMultipartUpload(context.Context, *s3.CreateMultipartUploadInput, ...func(*s3.Options)) (*s3.CreateMultipartUploadOutput, error)
	UploadPart(context.Context, *s3.UploadPartInput, ...func(*s3.Options)) (*s3.UploadPartOutput, error)
	CompleteMultipartUpload(context.Context, *s3.CompleteMultipartUploadInput, ...func(*s3.Options)) (*s3.CompleteMultipartUploadOutput, error)
	AbortMultipartUpload(context.Context, *s3.AbortMultipartUploadInput, ...func(*s3.Options)) (*s3.AbortMultipartUploadOutput, error)
}

// Store is a blob.Store backed by an S3-compatible bucket.
type Store struct {
	api         api
	bucket      *string
	prefix      string
	partSize    int64
	concurrency int
	parts       sync.Pool // *[]byte of partSize bytes
}

var _ blob.Store = (*Store)(nil)

// Open connects to the upstream service and checks that the bucket is
// reachable with the credentials.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.Bucket == "" {
		return nil, errors.New("s3proxy: Options.Bucket is empty")
	}
	if opts.AccessKeyID == "" || opts.SecretAccessKey == "" {
		return nil, errors.New("s3proxy: Options.AccessKeyID and SecretAccessKey are required")
	}
	region := opts.Region
	if region == "" {
		region = "us-east-1"
	}
	creds := aws.Credentials{AccessKeyID: opts.AccessKeyID, SecretAccessKey: opts.SecretAccessKey, Source: "grantd s3proxy"}
	client := s3.New(s3.Options{
		Region: region,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return creds, nil
		}),
		UsePathStyle: opts.UsePathStyle,
		// Only what S3 requires: the SDK's default since 2025 adds CRC32
		// checksums that many S3-compatible services reject. Integrity is
		// covered by the signed payload hash (or TLS), and grantd keeps
		// its own checksums in the metadata store.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}, func(o *s3.Options) {
		if opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(opts.Endpoint)
		}
		if opts.HTTPClient != nil {
			o.HTTPClient = opts.HTTPClient
		}
	})
	s, err := newStore(client, opts)
	if err != nil {
		return nil, err
	}
	if _, err := client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: s.bucket}); err != nil {
		return nil, fmt.Errorf("s3proxy: bucket %q: %w", opts.Bucket, err)
	}
	return s, nil
}

func newStore(client api, opts Options) (*Store, error) {
	s := &Store{
		api:         client,
		bucket:      aws.String(opts.Bucket),
		prefix:      opts.Prefix,
		partSize:    opts.PartSize,
		concurrency: opts.Concurrency,
	}
	switch {
	case s.partSize == 0:
		s.partSize = DefaultPartSize
	case s.partSize < MinPartSize || s.partSize > maxPartSize:
		return nil, fmt.Errorf("s3proxy: PartSize %d is outside [%d, %d]", s.partSize, MinPartSize, maxPartSize)
	}
	switch {
	case s.concurrency == 0:
		s.concurrency = DefaultConcurrency
	case s.concurrency < 0:
		return nil, fmt.Errorf("s3proxy: Concurrency %d is negative", s.concurrency)
	}
	s.parts.New = func() any { b := make([]byte, s.partSize); return &b }
	return s, nil
}

// Close implements blob.Store; the store holds nothing that needs closing.
func (s *Store) Close() error { return nil }

func (s *Store) key(key string) *string { return aws.String(s.prefix + key) }

// Get implements blob.Store with one ranged GetObject; the reader streams
// the response body.
func (s *Store) Get(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := blob.ValidateKey(key); err != nil {
		return nil, err
	}
	if err := blob.ValidateRange(offset, length); err != nil {
		return nil, err
	}
	if length == 0 {
		// S3 has no empty range; just confirm the blob exists.
		if _, err := s.Stat(ctx, key); err != nil {
			return nil, err
		}
		return io.NopCloser(strings.NewReader("")), nil
	}
	in := &s3.GetObjectInput{Bucket: s.bucket, Key: s.key(key)}
	if offset > 0 || length > 0 {
		in.Range = aws.String(httpRange(offset, length))
	}
	out, err := s.api.GetObject(ctx, in)
	if err != nil {
		if isCode(err, "InvalidRange", http.StatusRequestedRangeNotSatisfiable) {
			// The range starts at or past the end. S3 answers NoSuchKey
			// before it looks at the range, so the blob exists.
			return io.NopCloser(strings.NewReader("")), nil
		}
		return nil, classify("get", key, err)
	}
	return out.Body, nil
}

// httpRange returns the Range header for a valid offset and length != 0.
func httpRange(offset, length int64) string {
	r := "bytes=" + strconv.FormatInt(offset, 10) + "-"
	if length > 0 && length-1 <= (1<<63-1)-offset {
		r += strconv.FormatInt(offset+length-1, 10)
	}
	return r
}

// Stat implements blob.Store with HeadObject.
func (s *Store) Stat(ctx context.Context, key string) (int64, error) {
	if err := blob.ValidateKey(key); err != nil {
		return 0, err
	}
	out, err := s.api.HeadObject(ctx, &s3.HeadObjectInput{Bucket: s.bucket, Key: s.key(key)})
	if err != nil {
		return 0, classify("stat", key, err)
	}
	return aws.ToInt64(out.ContentLength), nil
}

// Delete implements blob.Store with DeleteObject.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := blob.ValidateKey(key); err != nil {
		return err
	}
	_, err := s.api.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: s.bucket, Key: s.key(key)})
	if err != nil {
		if err := classify("delete", key, err); !errors.Is(err, blob.ErrNotFound) {
			return err
		}
	}
	return nil
}

// List implements blob.Store with ListObjectsV2 under Prefix + prefix.
func (s *Store) List(ctx context.Context, prefix string, fn func(key string, size int64) error) error {
	p := s3.NewListObjectsV2Paginator(s.api, &s3.ListObjectsV2Input{
		Bucket:       s.bucket,
		Prefix:       s.key(prefix),
		EncodingType: types.EncodingTypeUrl,
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("s3proxy: list %q: %w", prefix, err)
		}
		for _, o := range page.Contents {
			k := aws.ToString(o.Key)
			if page.EncodingType == types.EncodingTypeUrl {
				// S3 encodes keys as form values (space as '+'), like
				// boto3's unquote_plus expects.
				if k, err = url.QueryUnescape(k); err != nil {
					return fmt.Errorf("s3proxy: list %q: bad key %q in listing: %w", prefix, aws.ToString(o.Key), err)
				}
			}
			k, ok := strings.CutPrefix(k, s.prefix)
			if !ok || !strings.HasPrefix(k, prefix) {
				continue
			}
			if err := fn(k, aws.ToInt64(o.Size)); err != nil {
				return err
			}
		}
	}
	return nil
}

// classify wraps an SDK error for op on key, mapping a missing object to
// blob.ErrNotFound and a key the upstream rejects as too long to
// blob.ErrInvalidKey. NoSuchBucket is deliberately not ErrNotFound: it is a
// configuration error, not a missing blob.
func classify(op, key string, err error) error {
	var kind error
	switch {
	case isCode(err, "NoSuchKey", 0), isCode(err, "NotFound", 0):
		kind = blob.ErrNotFound
	case isCode(err, "NoSuchBucket", 0):
	case isCode(err, "", http.StatusNotFound):
		kind = blob.ErrNotFound
	case isCode(err, "KeyTooLongError", 0):
		kind = blob.ErrInvalidKey
	}
	if kind != nil {
		return fmt.Errorf("s3proxy: %s %q: %w (%w)", op, key, kind, err)
	}
	return fmt.Errorf("s3proxy: %s %q: %w", op, key, err)
}

// isCode reports whether err is an S3 error with the given code (if not
// empty) or the given HTTP status (if not zero).
func isCode(err error, code string, status int) bool {
	var ae smithy.APIError
	if code != "" && errors.As(err, &ae) && ae.ErrorCode() == code {
		return true
	}
	var re *awshttp.ResponseError
	return status != 0 && errors.As(err, &re) && re.HTTPStatusCode() == status
}
