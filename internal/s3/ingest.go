package s3

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"strconv"

	"github.com/grantd/grantd/internal/blob"
	"github.com/grantd/grantd/internal/errs"
)

// Body is a request body to store and the digests the request claims for
// it.
type Body struct {
	Reader io.Reader
	// Size is the exact length (the decoded length of an aws-chunked
	// body); the wire layer refuses bodies of unknown length.
	Size int64
	// ContentMD5 is the Content-MD5 header, base64.
	ContentMD5 string
	Checksum   ChecksumClaim
}

// ChecksumClaim is the flexible checksum a request carries.
type ChecksumClaim struct {
	// Algorithm is the algorithm named by x-amz-sdk-checksum-algorithm or
	// by the checksum header or trailer; empty when there is none.
	Algorithm string
	// Value is the x-amz-checksum-* header's value; empty when the value
	// comes in the trailer.
	Value string
	// Trailer, when set, returns the value from the aws-chunked trailer
	// once the body has been read to its end.
	Trailer func() string
}

// digester reads a body while computing its MD5 and checksum, and fails
// the read that would return EOF when a claimed digest does not match, so
// the blob store never commits a body that fails verification.
type digester struct {
	r       io.Reader
	md5     hash.Hash
	alg     string
	sum     hash.Hash
	wantMD5 []byte
	claim   ChecksumClaim
	n       int64
	err     error
}

// newDigester validates the claims of b before anything is read. alg is
// the checksum algorithm to compute when the request claims none (the
// object's or upload's, or CRC64NVME, which S3 computes by default).
func newDigester(b Body, alg string) (*digester, error) {
	d := &digester{r: b.Reader, md5: md5.New(), claim: b.Checksum}
	if b.ContentMD5 != "" {
		sum, err := base64.StdEncoding.DecodeString(b.ContentMD5)
		if err != nil || len(sum) != md5.Size {
			return nil, fail(errs.Invalid, codeInvalidDigest, "The Content-MD5 you specified was invalid.", "Content-MD5", b.ContentMD5)
		}
		d.wantMD5 = sum
	}
	c := b.Checksum
	if c.Algorithm != "" {
		if NormalizeAlgorithm(c.Algorithm) == "" {
			return nil, unsupportedAlgorithm()
		}
		c.Algorithm = NormalizeAlgorithm(c.Algorithm)
		if c.Value == "" && c.Trailer == nil {
			return nil, invalidRequest("x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")
		}
		if c.Value != "" {
			if _, ok := decodeChecksum(c.Algorithm, c.Value); !ok {
				return nil, invalidRequest("Value for " + HeaderName(c.Algorithm) + " header is invalid.")
			}
		}
		alg = c.Algorithm
	}
	d.claim = c
	d.alg = alg
	d.sum = newHash(alg)
	return d, nil
}

// Read implements io.Reader.
func (d *digester) Read(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	n, err := d.r.Read(p)
	d.md5.Write(p[:n])
	d.sum.Write(p[:n])
	d.n += int64(n)
	if err == io.EOF {
		if verr := d.verify(); verr != nil {
			err = verr
		}
	}
	if err != nil {
		d.err = err
	}
	return n, err
}

func (d *digester) verify() error {
	if d.wantMD5 != nil && string(d.md5.Sum(nil)) != string(d.wantMD5) {
		return badDigest("MD5")
	}
	if d.claim.Algorithm == "" {
		return nil
	}
	want := d.claim.Value
	if want == "" {
		want = d.claim.Trailer()
		if _, ok := decodeChecksum(d.claim.Algorithm, want); !ok {
			return invalidRequest("Value for " + HeaderName(d.claim.Algorithm) + " trailing header is invalid.")
		}
	}
	if want != d.checksum() {
		return badDigest(d.claim.Algorithm)
	}
	return nil
}

// etag returns the hex MD5 of what was read.
func (d *digester) etag() string { return hex.EncodeToString(d.md5.Sum(nil)) }

// checksum returns the base64 checksum of what was read.
func (d *digester) checksum() string { return base64.StdEncoding.EncodeToString(d.sum.Sum(nil)) }

// putBlob streams body into a new blob under key, verifying it on the way.
func (s *Service) putBlob(ctx context.Context, key string, d *digester, size int64) error {
	_, err := s.blobs.Put(ctx, key, d, size)
	if err == nil {
		return nil
	}
	return bodyError(err)
}

// bodyError classifies a failed body upload: a digest mismatch keeps its
// error; a body shorter than its length is IncompleteBody.
func bodyError(err error) error {
	var de *errs.Error
	switch {
	case errors.As(err, &de):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, blob.ErrSizeMismatch):
		return fail(errs.Invalid, codeIncompleteBody, "You did not provide the number of bytes specified by the Content-Length HTTP header.")
	case errors.Is(err, context.Canceled):
		return err
	}
	// Other failures keep their chain: a *sigv4.Error from a body whose
	// chunk signature did not verify is rendered by the router.
	return internal(err, "store body")
}

// checkSize refuses a body of unknown length and one above limit.
func checkSize(size, limit int64) error {
	if size < 0 {
		return fail(errs.Invalid, codeMissingContentLength, "You must provide the Content-Length HTTP header.")
	}
	if size > limit {
		return fail(errs.Invalid, codeEntityTooLarge, "Your proposed upload exceeds the maximum allowed size",
			"ProposedSize", strconv.FormatInt(size, 10), "MaxSizeAllowed", strconv.FormatInt(limit, 10))
	}
	return nil
}

// ReadBody reads a small request body (an XML or JSON document) of at most
// limit bytes, verifying its Content-MD5 and flexible checksum as an
// object's body is verified.
func ReadBody(b Body, limit int64) ([]byte, error) {
	tooBig := fail(errs.Invalid, "MaxMessageLengthExceeded", "Your request was too big.")
	if b.Size > limit {
		return nil, tooBig
	}
	d, err := newDigester(b, CRC32)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(d, limit+1))
	if err != nil {
		return nil, bodyError(err)
	}
	if int64(len(data)) > limit {
		return nil, tooBig
	}
	if b.Size >= 0 && int64(len(data)) != b.Size {
		return nil, bodyError(io.ErrUnexpectedEOF)
	}
	return data, nil
}
