package s3proxy_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/grantd/grantd/internal/blob"
	"github.com/grantd/grantd/internal/blob/blobtest"
	"github.com/grantd/grantd/internal/blob/s3proxy"
)

const bucket = "grantd-blobs"

// upstream is an independent S3-compatible server: gofakes3 with its
// in-memory backend, served over HTTP in-process.
type upstream struct {
	srv     *httptest.Server
	backend *s3mem.Backend
	stores  atomic.Int64
}

func newUpstream(t *testing.T) *upstream {
	t.Helper()
	backend := s3mem.New()
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	return &upstream{srv: srv, backend: backend}
}

func (u *upstream) options(prefix string) s3proxy.Options {
	return s3proxy.Options{
		Endpoint:        u.srv.URL,
		Region:          "us-east-1",
		Bucket:          bucket,
		Prefix:          prefix,
		AccessKeyID:     "AKIAGRANTDTEST",
		SecretAccessKey: "secret",
		UsePathStyle:    true,
		HTTPClient:      u.srv.Client(),
		PartSize:        s3proxy.MinPartSize,
	}
}

func (u *upstream) open(t *testing.T, prefix string) *s3proxy.Store {
	t.Helper()
	return u.openIn(t, bucket, prefix)
}

// openIn opens a store on bucket b, creating the bucket if needed.
func (u *upstream) openIn(t *testing.T, b, prefix string) *s3proxy.Store {
	t.Helper()
	if ok, _ := u.backend.BucketExists(b); !ok {
		if err := u.backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	opts := u.options(prefix)
	opts.Bucket = b
	st, err := s3proxy.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// client returns a plain S3 client of the upstream, to look behind the
// store's back.
func (u *upstream) client() *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(u.srv.URL),
		UsePathStyle: true,
		HTTPClient:   u.srv.Client(),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIAGRANTDTEST", SecretAccessKey: "secret"}, nil
		}),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	})
}

// xmlUnsafe reports keys that gofakes3 cannot list exactly. It ignores
// EncodingType=url and writes keys into the XML listing with encoding/xml,
// which replaces invalid UTF-8 and the characters XML 1.0 excludes (NUL
// and most C0 controls) with U+FFFD; so the mangled forms (containing
// U+FFFD) are excluded too. Get, Stat, Put and Delete of these keys work.
func xmlUnsafe(key string) bool {
	if !utf8.ValidString(key) {
		return true
	}
	for _, r := range key {
		if r == utf8.RuneError || !isXMLChar(r) {
			return true
		}
	}
	return false
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

func TestConformance(t *testing.T) {
	u := newUpstream(t)
	var (
		mu      sync.Mutex
		buckets []string
	)
	blobtest.RunOptions(t, func(t *testing.T) blob.Store {
		// A bucket per store and no prefix: S3 limits the whole object
		// key to 1,024 bytes, so with a prefix the suite's
		// blob.MaxKeyLen keys would not fit (see TestKeyTooLongWithPrefix).
		// TestPrefixes covers prefixes.
		b := fmt.Sprintf("store-%d", u.stores.Add(1))
		mu.Lock()
		buckets = append(buckets, b)
		mu.Unlock()
		return u.openIn(t, b, "")
	}, blobtest.Options{
		Unlistable: xmlUnsafe,
		// gofakes3 runs in this process and holds every object in memory,
		// so process-wide allocation counts say nothing about the driver;
		// TestPutMemoryBounded measures the uploader alone.
		SkipAllocCheck: true,
	})
	// Every failed or cancelled Put aborted its multipart upload.
	for _, b := range buckets {
		out, err := u.client().ListMultipartUploads(context.Background(), &s3.ListMultipartUploadsInput{Bucket: aws.String(b)})
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) && apiErr.ErrorCode() == "NoSuchUpload" {
			continue // gofakes3's answer for a bucket that never had an upload
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Uploads) != 0 {
			t.Errorf("bucket %s: %d multipart uploads left behind, want none", b, len(out.Uploads))
		}
	}
}

// TestPrefixes checks that stores sharing a bucket under different
// prefixes (one of them empty) see only their own blobs.
func TestPrefixes(t *testing.T) {
	t.Parallel()
	u := newUpstream(t)
	ctx := context.Background()
	stores := map[string]*s3proxy.Store{"": u.open(t, ""), "p/": u.open(t, "p/"), "q/r/": u.open(t, "q/r/")}
	for prefix, st := range stores {
		for _, k := range []string{"a", "a/b", "/lead", "x" + prefix} {
			if _, err := st.Put(ctx, k, strings.NewReader(prefix+k), -1); err != nil {
				t.Fatal(err)
			}
		}
	}
	for prefix, st := range stores {
		got := map[string]int64{}
		if err := st.List(ctx, "", func(k string, n int64) error { got[k] = n; return nil }); err != nil {
			t.Fatal(err)
		}
		want := map[string]int64{}
		for _, k := range []string{"a", "a/b", "/lead", "x" + prefix} {
			want[k] = int64(len(prefix + k))
		}
		if prefix == "" {
			// The store without a prefix sees the whole bucket.
			for p := range stores {
				for _, k := range []string{"a", "a/b", "/lead", "x" + p} {
					want[p+k] = int64(len(p + k))
				}
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("store %q: List (-want +got):\n%s", prefix, diff)
		}
		b, err := st.Get(ctx, "a", 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := io.ReadAll(b)
		b.Close()
		if string(v) != prefix+"a" {
			t.Errorf("store %q: Get(a) = %q", prefix, v)
		}
	}
}

// TestKeyTooLongWithPrefix checks that a key the upstream rejects as too
// long (S3 limits Prefix + key to 1,024 bytes) is ErrInvalidKey.
func TestKeyTooLongWithPrefix(t *testing.T) {
	t.Parallel()
	u := newUpstream(t)
	st := u.open(t, "prefix/")
	key := strings.Repeat("k", blob.MaxKeyLen)
	if _, err := st.Put(context.Background(), key, strings.NewReader("x"), 1); !errors.Is(err, blob.ErrInvalidKey) {
		t.Errorf("Put = %v, want ErrInvalidKey", err)
	}
}

// TestUpstreamLayout checks that blob k is the upstream object Prefix + k.
func TestUpstreamLayout(t *testing.T) {
	t.Parallel()
	u := newUpstream(t)
	st := u.open(t, "grantd/")
	ctx := context.Background()
	for _, k := range []string{"obj/b1/x", "../up", "a b+c"} {
		if _, err := st.Put(ctx, k, strings.NewReader("bytes of "+k), -1); err != nil {
			t.Fatal(err)
		}
		out, err := u.client().GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("grantd/" + k)})
		if err != nil {
			t.Fatalf("upstream object for %q: %v", k, err)
		}
		b, _ := io.ReadAll(out.Body)
		out.Body.Close()
		if string(b) != "bytes of "+k {
			t.Errorf("upstream object for %q = %q", k, b)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	u := newUpstream(t)
	ctx := context.Background()
	for name, mutate := range map[string]func(*s3proxy.Options){
		"missing-bucket": func(o *s3proxy.Options) { o.Bucket = "no-such-bucket" },
		"no-bucket":      func(o *s3proxy.Options) { o.Bucket = "" },
		"no-secret":      func(o *s3proxy.Options) { o.SecretAccessKey = "" },
		"small-parts":    func(o *s3proxy.Options) { o.PartSize = 1 << 20 },
		"bad-endpoint":   func(o *s3proxy.Options) { o.Endpoint = "http://127.0.0.1:1" },
	} {
		t.Run(name, func(t *testing.T) {
			opts := u.options("")
			mutate(&opts)
			if st, err := s3proxy.Open(ctx, opts); err == nil {
				st.Close()
				t.Fatal("Open succeeded")
			}
		})
	}
}

// TestMissingBucketIsNotNotFound checks that losing the bucket is an
// error, not a missing blob (which the S3 layer would report as NoSuchKey).
func TestMissingBucketIsNotNotFound(t *testing.T) {
	t.Parallel()
	u := newUpstream(t)
	st := u.open(t, "")
	if err := u.backend.ForceDeleteBucket(bucket); err != nil {
		t.Fatal(err)
	}
	_, err := st.Get(context.Background(), "k", 0, -1)
	if err == nil || errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Get after the bucket was deleted = %v, want an error other than ErrNotFound", err)
	}
	_, err = st.Put(context.Background(), "k", bytes.NewReader([]byte("x")), 1)
	if err == nil {
		t.Error("Put after the bucket was deleted succeeded")
	}
}
