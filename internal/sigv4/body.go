package sigv4

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net/http"
)

// hashBody reads the whole body (at most v.maxBody bytes), returns its hex
// SHA-256, and puts an equivalent body back on r. It serves requests that
// sign the payload hash without sending it (IAM, STS: small form bodies).
func (v *Verifier) hashBody(r *http.Request) (string, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return EmptySHA256, nil
	}
	if r.ContentLength > v.maxBody {
		return "", newErr(KindBodyTooLarge, "Your request was too big.")
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, v.maxBody+1))
	if err != nil {
		return "", bodyError(err)
	}
	if int64(len(data)) > v.maxBody {
		return "", newErr(KindBodyTooLarge, "Your request was too big.")
	}
	sum := sha256.Sum256(data)
	r.Body = &bufferedBody{Reader: bytes.NewReader(data), orig: r.Body}
	return hex.EncodeToString(sum[:]), nil
}

// bodyError turns a short body into KindIncompleteBody and passes every
// other read error (a closed connection, http.MaxBytesError) through.
func bodyError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{Kind: KindIncompleteBody, Message: msgIncompleteBody, Err: err}
	}
	return err
}

// bufferedBody is a body already read into memory.
type bufferedBody struct {
	*bytes.Reader
	orig io.Closer
}

// Close closes the original body.
func (b *bufferedBody) Close() error { return b.orig.Close() }

// hashingBody hashes the body while it streams and fails the read that
// reaches EOF when the hash differs from x-amz-content-sha256.
type hashingBody struct {
	rc   io.ReadCloser
	h    hash.Hash
	want [32]byte
	sum  [32]byte
	err  error
}

// newHashingBody wraps r.Body to check it against payloadHash (64 hex
// digits, already validated). An empty body with the empty hash is left
// alone.
func newHashingBody(r *http.Request, payloadHash string) io.ReadCloser {
	body := r.Body
	if body == nil {
		body = http.NoBody
	}
	var want [32]byte
	decodeSignature(&want, payloadHash)
	if body == http.NoBody && want == emptySum {
		return body
	}
	return &hashingBody{rc: body, h: sha256.New(), want: want}
}

var emptySum = sha256.Sum256(nil)

// Read implements io.Reader.
func (b *hashingBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.rc.Read(p)
	b.h.Write(p[:n])
	switch {
	case err == io.EOF:
		if [32]byte(b.h.Sum(b.sum[:0])) != b.want {
			b.err = newErr(KindContentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.")
		} else {
			b.err = io.EOF
		}
	case err != nil:
		b.err = bodyError(err)
	}
	return n, b.err
}

// Close closes the underlying body.
func (b *hashingBody) Close() error { return b.rc.Close() }
