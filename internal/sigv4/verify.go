package sigv4

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure a Verifier.
type Options struct {
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// MaxSkew is how far a header-signed request's time may be from Now
	// (and how early a presigned URL may be used); 15 minutes when zero.
	MaxSkew time.Duration
	// MaxBufferedBody bounds the body Verify reads into memory to hash it
	// when a request does not carry x-amz-content-sha256 (IAM, STS and other
	// non-S3 services sign the body's hash without sending it); 10 MiB when
	// zero.
	MaxBufferedBody int64
	// MaxCachedKeys bounds the derived signing-key cache; 4096 when zero.
	MaxCachedKeys int
}

// Verifier checks SigV4 signatures. It caches derived signing keys and is
// safe for concurrent use.
type Verifier struct {
	now     func() time.Time
	maxSkew time.Duration
	maxBody int64
	maxKeys int

	mu   sync.RWMutex
	keys map[keyID]cachedKey
}

type keyID struct{ accessKeyID, date, region, service string }

type cachedKey struct {
	secret string // the secret the key came from: a changed secret misses
	key    [32]byte
}

// NewVerifier returns a Verifier with the given options.
func NewVerifier(opts Options) *Verifier {
	v := &Verifier{now: opts.Now, maxSkew: opts.MaxSkew, maxBody: opts.MaxBufferedBody, maxKeys: opts.MaxCachedKeys, keys: make(map[keyID]cachedKey)}
	if v.now == nil {
		v.now = time.Now
	}
	if v.maxSkew <= 0 {
		v.maxSkew = 15 * time.Minute
	}
	if v.maxBody <= 0 {
		v.maxBody = 10 << 20
	}
	if v.maxKeys <= 0 {
		v.maxKeys = 4096
	}
	return v
}

// Verify checks that r is signed by secret as a claims, and wraps r.Body so
// that reading it verifies the payload:
//   - a hex SHA-256 payload hash: the body must hash to it, or the read that
//     would return EOF fails with KindContentSHA256Mismatch;
//   - UNSIGNED-PAYLOAD: the body is left as is;
//   - the STREAMING-* modes: the body is decoded from aws-chunked, chunk and
//     trailer signatures are verified, x-amz-decoded-content-length is
//     enforced, and r.ContentLength is set to the decoded length; trailers
//     are available from Trailers(r.Body) after EOF. The headers are left
//     as sent: the S3 layer drops "aws-chunked" from Content-Encoding
//     before storing it;
//   - no payload hash at all (non-S3 services sign the body's hash without
//     sending it): the body, at most Options.MaxBufferedBody bytes, is read
//     and hashed first and put back as an in-memory reader.
//
// Content-MD5 and x-amz-checksum-* values are not checked here; the S3
// layer does that with the decoded bytes and Trailers.
//
// Checks, in order: the clock (RequestTimeTooSkewed for header-signed
// requests, Expired for presigned URLs), the scope date against the
// request date, host among the signed headers, unsigned x-amz-* headers
// (S3 only), the payload hash's form, then the signature itself, compared
// in constant time.
//
// When the signature does not match, Verify also tries the canonical forms
// of the few documented client differences before failing: for S3, the
// path re-encoded from its decoded form; for other services, the path not
// normalised (the Go SDK does not normalise); and a literal '+' in the
// query. AWS-conformant clients match on the first attempt.
//
// Verify fills in the unexported fields of an Auth built by hand rather
// than by Parse. A *Error of KindSignatureDoesNotMatch carries the
// canonical request, which holds the signed header values as sent
// (x-amz-security-token included): render it, do not log it.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
func (v *Verifier) Verify(r *http.Request, a *Auth, secret string) error {
	a.fillDerived()
	if err := v.checkTime(a); err != nil {
		return err
	}
	if err := checkScope(r, a); err != nil {
		return err
	}
	mode, err := payloadModeOf(a)
	if err != nil {
		return err
	}
	var decodedLen int64
	if mode.chunked {
		if decodedLen, err = decodedLength(r); err != nil {
			return err
		}
	}
	payload := a.PayloadHash
	if payload == "" {
		if payload, err = v.hashBody(r); err != nil {
			return err
		}
	}
	key := v.signingKey(a, secret)
	if err := v.checkSignature(r, a, &key, payload); err != nil {
		return err
	}
	switch {
	case mode.chunked:
		var seed [32]byte
		decodeSignature(&seed, a.Signature)
		cr := newChunkedReader(r.Body, chunkConfig{
			key: key, seed: seed, amzDate: a.amzDate, scope: a.scope,
			signed: mode.signed, trailer: mode.trailer, decodedLength: decodedLen,
			trailerNames: r.Header.Values("X-Amz-Trailer"),
		})
		r.Body = cr
		r.ContentLength = decodedLen
	case mode.hashed && a.PayloadHash != "":
		r.Body = newHashingBody(r, a.PayloadHash)
	}
	return nil
}

// fillDerived completes an Auth built by hand rather than by Parse.
func (a *Auth) fillDerived() {
	if a.amzDate == "" {
		a.amzDate = a.Date.UTC().Format(amzDateLayout)
	}
	if a.scope == "" {
		a.scope = a.Scope.Date + "/" + a.Scope.Region + "/" + a.Scope.Service + "/" + scopeTerminal
	}
	if a.signedHeaders == "" {
		a.signedHeaders = strings.Join(a.SignedHeaders, ";")
	}
}

// checkTime enforces the skew window for header-signed requests and the
// validity window of presigned URLs.
func (v *Verifier) checkTime(a *Auth) error {
	now := v.now()
	if !a.Presigned {
		if d := now.Sub(a.Date); d > v.maxSkew || d < -v.maxSkew {
			return &Error{Kind: KindRequestTimeTooSkewed, Message: "The difference between the request time and the current time is too large.",
				RequestTime: a.Date, ServerTime: now, MaxSkew: v.maxSkew}
		}
		return nil
	}
	expires := a.Date.Add(a.Expires)
	switch {
	case a.Date.Sub(now) > v.maxSkew:
		return &Error{Kind: KindExpired, Message: "Request is not valid yet", RequestTime: a.Date, ServerTime: now, ExpiresAt: expires}
	case now.After(expires):
		return &Error{Kind: KindExpired, Message: "Request has expired", RequestTime: a.Date, ServerTime: now, ExpiresAt: expires}
	}
	return nil
}

// checkScope enforces the rules on the credential scope and the signed
// header list that do not need the secret.
func checkScope(r *http.Request, a *Auth) error {
	if a.Scope.Date != a.amzDate[:min(len(a.amzDate), scopeDateLen)] {
		if a.Presigned {
			return newErr(KindAuthorizationQueryParametersError, `Invalid credential date "`+a.Scope.Date+`". This date is not the same as X-Amz-Date: "`+a.amzDate[:min(len(a.amzDate), scopeDateLen)]+`".`)
		}
		return newErr(KindAuthorizationHeaderMalformed, "The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.")
	}
	if !a.Signs("host") {
		return newErr(KindIncompleteSignature, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if a.Scope.Service != "s3" {
		return nil
	}
	// S3 rejects x-amz-* headers that the signature does not cover, so that
	// the holder of a presigned URL cannot add, say, x-amz-copy-source.
	var unsigned []string
	for name := range r.Header {
		if len(name) > 6 && equalFoldASCII(name[:6], "x-amz-") && !a.Signs(name) {
			unsigned = append(unsigned, strings.ToLower(name))
		}
	}
	if len(unsigned) > 0 {
		e := newErr(KindHeadersNotSigned, "There were headers present in the request which were not signed")
		e.HeadersNotSigned = strings.Join(unsigned, ", ")
		return e
	}
	return nil
}

// Signs reports whether the header name (any case) is among the signed
// headers, e.g. to require a signed x-amz-security-token.
func (a *Auth) Signs(name string) bool {
	for _, s := range a.SignedHeaders {
		if equalFoldASCII(s, name) {
			return true
		}
	}
	return false
}

// payloadMode says how the body relates to the payload hash.
type payloadMode struct {
	hashed  bool // a hex SHA-256 (or unknown: Verify hashes the body)
	chunked bool // aws-chunked
	signed  bool // chunk signatures
	trailer bool // trailing headers
}

func payloadModeOf(a *Auth) (payloadMode, error) {
	switch a.PayloadHash {
	case UnsignedPayload:
		return payloadMode{}, nil
	case "":
		if a.Scope.Service == "s3" && !a.Presigned {
			return payloadMode{}, newErr(KindMissingContentSHA256, "Missing required header for this request: x-amz-content-sha256")
		}
		return payloadMode{hashed: true}, nil
	case StreamingPayload, StreamingPayloadTrailer, StreamingUnsignedPayloadTrailer:
		if a.Presigned {
			return payloadMode{}, newErr(KindInvalidContentSHA256, msgInvalidContentSHA256)
		}
		return payloadMode{
			chunked: true,
			signed:  a.PayloadHash != StreamingUnsignedPayloadTrailer,
			trailer: a.PayloadHash != StreamingPayload,
		}, nil
	}
	if len(a.PayloadHash) != sha256.Size*2 || !isHexString(a.PayloadHash) {
		return payloadMode{}, newErr(KindInvalidContentSHA256, msgInvalidContentSHA256)
	}
	return payloadMode{hashed: true}, nil
}

// decodeSignature decodes a 64-digit hex signature into dst.
func decodeSignature[T string | []byte](dst *[32]byte, s T) bool {
	if len(s) != 2*len(dst) {
		return false
	}
	for i := range dst {
		hi, lo := s[2*i], s[2*i+1]
		if !isHex(hi) || !isHex(lo) {
			return false
		}
		dst[i] = unhex(hi)<<4 | unhex(lo)
	}
	return true
}

func isHexString(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// decodedLength reads x-amz-decoded-content-length, required by every
// streaming mode.
func decodedLength(r *http.Request) (int64, error) {
	s := firstHeader(r, "X-Amz-Decoded-Content-Length")
	n, err := strconv.ParseInt(s, 10, 64)
	if s == "" || err != nil || n < 0 {
		return 0, newErr(KindMissingContentLength, "You must provide the Content-Length HTTP header.")
	}
	return n, nil
}

// signingKey returns the derived key for a's scope, from the cache when the
// same access key, scope and secret were seen before.
func (v *Verifier) signingKey(a *Auth, secret string) [32]byte {
	id := keyID{a.AccessKeyID, a.Scope.Date, a.Scope.Region, a.Scope.Service}
	v.mu.RLock()
	c, ok := v.keys[id]
	v.mu.RUnlock()
	if ok && c.secret == secret {
		return c.key
	}
	s := getScratch()
	key := s.mac.deriveKey(secret, a.Scope.Date, a.Scope.Region, a.Scope.Service)
	putScratch(s)
	v.mu.Lock()
	if len(v.keys) >= v.maxKeys {
		clear(v.keys) // keys are cheap to derive again; dates roll daily
	}
	v.keys[id] = cachedKey{secret: secret, key: key}
	v.mu.Unlock()
	return key
}

// checkSignature recomputes the signature and compares it in constant time.
func (v *Verifier) checkSignature(r *http.Request, a *Auth, key *[32]byte, payload string) error {
	var want [32]byte
	valid := decodeSignature(&want, a.Signature)
	s := getScratch()
	defer putScratch(s)
	try := func(vr variant) bool {
		s.buildCanonical(r, a, payload, vr)
		s.mac.sum(&s.sig, key[:], s.sts)
		return subtle.ConstantTimeCompare(s.sig[:], want[:]) == 1 && valid
	}
	if try(variant{}) {
		return nil
	}
	e := &Error{Kind: KindSignatureDoesNotMatch, Message: msgSignatureDoesNotMatch, AccessKeyID: a.AccessKeyID,
		SignatureProvided: a.Signature, StringToSign: string(s.sts), CanonicalRequest: string(s.canon)}
	if !valid {
		return e
	}
	plus := strings.IndexByte(rawQuery(r), '+') >= 0
	for _, vr := range [...]variant{{altPath: true}, {plusLiteral: true}, {altPath: true, plusLiteral: true}} {
		if vr.plusLiteral && !plus {
			continue
		}
		if try(vr) {
			return nil
		}
	}
	return e
}
