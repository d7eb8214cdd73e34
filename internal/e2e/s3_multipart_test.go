//lint:file-ignore SA1019 feature/s3/manager is deprecated in favour of transfermanager, but it is what most programs use today, so it is what grantd must serve.

package e2e

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/grantd/grantd/internal/apptest"
)

const mib = 1 << 20

// TestS3UploadManager uploads a large file with the SDK's upload manager
// (multipart, parts in parallel, CRC32 checksums) and downloads it with the
// download manager (ranged GETs), on both metadata stores.
func TestS3UploadManager(t *testing.T) {
	backends(t, func(t *testing.T, pg bool) {
		env := apptest.Start(t, apptest.Options{Postgres: pg})
		c := s3Client(env, env.Root(), virtualHosted)
		ctx := t.Context()
		mustCreateBucket(t, c, "big")
		data := randomBytes(t, 23*mib+12345)
		path := filepath.Join(t.TempDir(), "upload.bin")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		up := manager.NewUploader(c, func(u *manager.Uploader) { u.PartSize = 5 * mib; u.Concurrency = 3 })
		res, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String("big"), Key: aws.String("file.bin"), Body: f})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.CompletedParts) != 5 {
			t.Errorf("upload used %d parts, want 5", len(res.CompletedParts))
		}
		if want := fmt.Sprintf(`"%s-5"`, partsETag(data, 5*mib)); aws.ToString(res.ETag) != want {
			t.Errorf("ETag = %s, want %s", aws.ToString(res.ETag), want)
		}
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("big"), Key: aws.String("file.bin"), ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToInt64(head.ContentLength) != int64(len(data)) || head.ChecksumType != types.ChecksumTypeComposite || aws.ToString(head.ChecksumCRC32) == "" {
			t.Errorf("HeadObject: length %d, checksum %s %s", aws.ToInt64(head.ContentLength), head.ChecksumType, aws.ToString(head.ChecksumCRC32))
		}
		buf := manager.NewWriteAtBuffer(make([]byte, 0, len(data)))
		down := manager.NewDownloader(c, func(d *manager.Downloader) { d.PartSize = 4 * mib; d.Concurrency = 3 })
		n, err := down.Download(ctx, buf, &s3.GetObjectInput{Bucket: aws.String("big"), Key: aws.String("file.bin")})
		if err != nil {
			t.Fatal(err)
		}
		if n != int64(len(data)) || !bytes.Equal(buf.Bytes(), data) {
			t.Errorf("downloaded %d bytes, different from the upload", n)
		}
		// Part 2 by part number.
		part, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("big"), Key: aws.String("file.bin"), PartNumber: aws.Int32(2)})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(part.Body)
		part.Body.Close()
		if !bytes.Equal(got, data[5*mib:10*mib]) || aws.ToInt32(part.PartsCount) != 5 {
			t.Errorf("part 2: %d bytes, parts count %d", len(got), aws.ToInt32(part.PartsCount))
		}
	})
}

// partsETag is the multipart ETag (without the count) of data cut into
// parts of size.
func partsETag(data []byte, size int) string {
	var sums []byte
	for off := 0; off < len(data); off += size {
		s := md5.Sum(data[off:min(off+size, len(data))])
		sums = append(sums, s[:]...)
	}
	s := md5.Sum(sums)
	return hex.EncodeToString(s[:])
}

// mpu drives multipart uploads in one bucket.
type mpu struct {
	t      *testing.T
	c      *s3.Client
	bucket string
}

func (m mpu) create(key string) string {
	m.t.Helper()
	out, err := m.c.CreateMultipartUpload(m.t.Context(), &s3.CreateMultipartUploadInput{Bucket: aws.String(m.bucket), Key: aws.String(key), ContentType: aws.String("application/x-test")})
	if err != nil {
		m.t.Fatal(err)
	}
	return aws.ToString(out.UploadId)
}

func (m mpu) upload(key, id string, n int32, body []byte) string {
	m.t.Helper()
	out, err := m.c.UploadPart(m.t.Context(), &s3.UploadPartInput{Bucket: aws.String(m.bucket), Key: aws.String(key), UploadId: aws.String(id), PartNumber: aws.Int32(n), Body: bytes.NewReader(body)})
	if err != nil {
		m.t.Fatalf("UploadPart %d: %v", n, err)
	}
	return aws.ToString(out.ETag)
}

func (m mpu) complete(key, id string, parts ...types.CompletedPart) (*s3.CompleteMultipartUploadOutput, error) {
	return m.c.CompleteMultipartUpload(m.t.Context(), &s3.CompleteMultipartUploadInput{Bucket: aws.String(m.bucket), Key: aws.String(key), UploadId: aws.String(id),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
}

func part(n int32, etag string) types.CompletedPart {
	return types.CompletedPart{PartNumber: aws.Int32(n), ETag: aws.String(etag)}
}

func TestS3MultipartRules(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := s3Client(env, env.Root(), pathStyle)
	ctx := t.Context()
	mustCreateBucket(t, c, "mpu")
	m := mpu{t, c, "mpu"}
	big, small := randomBytes(t, 5*mib), []byte("tail")

	id := m.create("obj")
	e1 := m.upload("obj", id, 1, small)
	e2 := m.upload("obj", id, 2, small)
	_, err := m.complete("obj", id, part(1, e1), part(2, e2))
	wantAPIError(t, err, "EntityTooSmall", http.StatusBadRequest)
	e1 = m.upload("obj", id, 1, big) // replaces part 1
	_, err = m.complete("obj", id, part(2, e2), part(1, e1))
	wantAPIError(t, err, "InvalidPartOrder", http.StatusBadRequest)
	_, err = m.complete("obj", id, part(1, e1), part(3, e2))
	wantAPIError(t, err, "InvalidPart", http.StatusBadRequest)
	_, err = m.complete("obj", id, part(1, `"0123456789abcdef0123456789abcdef"`), part(2, e2))
	wantAPIError(t, err, "InvalidPart", http.StatusBadRequest)
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("obj"), UploadId: aws.String(id), PartNumber: aws.Int32(10001), Body: bytes.NewReader(small)})
	wantAPIError(t, err, "InvalidArgument", http.StatusBadRequest)

	parts, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mpu"), Key: aws.String("obj"), UploadId: aws.String(id), MaxParts: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts.Parts) != 1 || !aws.ToBool(parts.IsTruncated) || aws.ToString(parts.NextPartNumberMarker) != "1" || aws.ToInt64(parts.Parts[0].Size) != 5*mib {
		t.Errorf("ListParts page 1: %+v", parts)
	}
	uploads, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("mpu")})
	if err != nil || len(uploads.Uploads) != 1 || aws.ToString(uploads.Uploads[0].UploadId) != id {
		t.Errorf("ListMultipartUploads = %+v, %v", uploads, err)
	}

	done, err := m.complete("obj", id, part(1, e1), part(2, e2))
	if err != nil {
		t.Fatal(err)
	}
	got, err := getBody(t, c, "mpu", "obj")
	if err != nil || !bytes.Equal(got, append(append([]byte(nil), big...), small...)) {
		t.Errorf("completed object: %d bytes, %v", len(got), err)
	}
	// A retried completion answers the same; other calls on the upload
	// find it gone.
	again, err := m.complete("obj", id, part(1, e1), part(2, e2))
	if err != nil || aws.ToString(again.ETag) != aws.ToString(done.ETag) {
		t.Errorf("repeated CompleteMultipartUpload = %v, %v", again, err)
	}
	_, err = c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mpu"), Key: aws.String("obj"), UploadId: aws.String(id)})
	wantAPIError(t, err, "NoSuchUpload", http.StatusNotFound)
}

func TestS3MultipartAbortAndCopy(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	c := s3Client(env, env.Root(), pathStyle)
	ctx := t.Context()
	mustCreateBucket(t, c, "mpu")
	m := mpu{t, c, "mpu"}
	big, small := randomBytes(t, 5*mib), []byte("tail")
	mustPut(t, c, "mpu", "obj", append(append([]byte(nil), big...), small...))

	// Abort removes an upload.
	id2 := m.create("aborted")
	m.upload("aborted", id2, 1, small)
	if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("aborted"), UploadId: aws.String(id2)}); err != nil {
		t.Fatal(err)
	}
	_, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("aborted"), UploadId: aws.String(id2)})
	wantAPIError(t, err, "NoSuchUpload", http.StatusNotFound)
	_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("aborted"), UploadId: aws.String(id2), PartNumber: aws.Int32(1), Body: bytes.NewReader(small)})
	wantAPIError(t, err, "NoSuchUpload", http.StatusNotFound)

	// UploadPartCopy with a range.
	id3 := m.create("copied")
	cp, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("mpu"), Key: aws.String("copied"), UploadId: aws.String(id3),
		PartNumber: aws.Int32(1), CopySource: aws.String("mpu/obj"), CopySourceRange: aws.String(fmt.Sprintf("bytes=%d-%d", 5*mib-2, 5*mib+1))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.complete("copied", id3, part(1, aws.ToString(cp.CopyPartResult.ETag))); err != nil {
		t.Fatal(err)
	}
	if got, _ := getBody(t, c, "mpu", "copied"); !bytes.Equal(got, append(append([]byte(nil), big[5*mib-2:]...), small[:2]...)) {
		t.Errorf("UploadPartCopy range copied %q", got)
	}
	_, err = c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("mpu"), Key: aws.String("copied"), UploadId: aws.String(m.create("copied")),
		PartNumber: aws.Int32(1), CopySource: aws.String("mpu/obj"), CopySourceRange: aws.String("bytes=0-99999999")})
	wantAPIError(t, err, "InvalidArgument", http.StatusBadRequest)
}
