package sessiontoken

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Errors returned by [Keyring.Open], possibly wrapped with detail: test with
// errors.Is. STS and IAM answer ErrMalformed, ErrUnknownKey and ErrInvalid
// with InvalidClientTokenId and ErrExpired with ExpiredToken; S3 answers
// InvalidToken and ExpiredToken.
var (
	// ErrMalformed means the text is not a session token this version
	// understands: too long or too short, not base64url, an unknown format
	// version, or (after authentication) claims it cannot decode.
	ErrMalformed = errors.New("sessiontoken: malformed token")
	// ErrUnknownKey means the token names a key that is not in the keyring:
	// retired, never configured on this node, or made up.
	ErrUnknownKey = errors.New("sessiontoken: token sealed with an unknown key")
	// ErrInvalid means authentication failed: the token was modified or
	// forged, or presented with another access key ID than the one it was
	// issued with.
	ErrInvalid = errors.New("sessiontoken: invalid token")
	// ErrExpired means the token is authentic but its session has expired.
	ErrExpired = errors.New("sessiontoken: token expired")
	// ErrTooLarge is returned by Seal when the claims do not fit in
	// MaxTokenLen (STS answers PackedPolicyTooLarge).
	ErrTooLarge = errors.New("sessiontoken: claims too large for a session token")
)

// MaxTokenLen is the length of the longest token Seal makes and Open reads.
const MaxTokenLen = 16 << 10

const (
	version1   = 1
	keyIDLen   = 4
	headerLen  = 1 + keyIDLen + xaesNonceSize // version, key ID, nonce
	minBinLen  = headerLen + xaesOverhead
	scratchLen = 64
	// maxAccessKeyIDLen bounds the access key ID Open accepts (AWS's limit
	// for any key ID); Seal only makes 20-character ones.
	maxAccessKeyIDLen = 128
	// hkdfInfo separates the token keys from any other use of a Key's secret.
	hkdfInfo = "grantd sessiontoken v1 XAES-256-GCM"
)

// b64 is the token alphabet: URL-safe, so a token needs no escaping in a
// presigned URL, and unpadded. Strict rejects non-zero padding bits, so each
// token has exactly one spelling.
var b64 = base64.RawURLEncoding.Strict()

// Key is one token-sealing key. Every node of a deployment must hold the
// same keys under the same IDs.
type Key struct {
	// ID names the key in tokens sealed with it. Never reuse an ID for
	// another secret.
	ID uint32
	// Secret is the key material; generate it with GenerateKey.
	Secret [32]byte
}

const keyTextPrefix = "gk1:"

// GenerateKey returns a new key with the given ID and a secret read from
// rand (use crypto/rand.Reader).
func GenerateKey(rand io.Reader, id uint32) (Key, error) {
	k := Key{ID: id}
	if _, err := io.ReadFull(rand, k.Secret[:]); err != nil {
		return Key{}, fmt.Errorf("sessiontoken: reading randomness: %w", err)
	}
	return k, nil
}

// String returns the key's text form, "gk1:<id>:<secret>" with the ID in
// decimal and the secret in unpadded base64url (43 characters), as read by
// ParseKey. It contains the secret: do not log it.
func (k Key) String() string {
	return keyTextPrefix + strconv.FormatUint(uint64(k.ID), 10) + ":" + base64.RawURLEncoding.EncodeToString(k.Secret[:])
}

// LogValue implements slog.LogValuer: logs show the key's ID, never its
// secret.
func (k Key) LogValue() slog.Value {
	return slog.StringValue(keyTextPrefix + strconv.FormatUint(uint64(k.ID), 10) + ":REDACTED")
}

// ParseKey parses the text form made by Key.String. The error never
// contains the secret.
func ParseKey(s string) (Key, error) {
	rest, ok := strings.CutPrefix(s, keyTextPrefix)
	if !ok {
		return Key{}, errors.New(`sessiontoken: key does not start with "gk1:"`)
	}
	idText, secret, ok := strings.Cut(rest, ":")
	if !ok {
		return Key{}, errors.New(`sessiontoken: key is not "gk1:<id>:<secret>"`)
	}
	id, err := strconv.ParseUint(idText, 10, 32)
	if err != nil || strconv.FormatUint(id, 10) != idText {
		return Key{}, fmt.Errorf("sessiontoken: key ID %q is not a decimal uint32", idText)
	}
	k := Key{ID: uint32(id)}
	if len(secret) != base64.RawURLEncoding.EncodedLen(len(k.Secret)) {
		return Key{}, errors.New("sessiontoken: key secret is not 43 characters of unpadded base64url")
	}
	if n, err := b64.Decode(k.Secret[:], []byte(secret)); err != nil || n != len(k.Secret) {
		return Key{}, errors.New("sessiontoken: key secret is not 43 characters of unpadded base64url")
	}
	return k, nil
}

// ParseKeyring parses a comma-separated list of keys in text form, the
// current key first, as kept in one configuration value or environment
// variable: "gk1:2:…,gk1:1:…". Spaces around keys are ignored.
func ParseKeyring(s string) (*Keyring, error) {
	var keys []Key
	for f := range strings.SplitSeq(s, ",") {
		k, err := ParseKey(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return NewKeyring(keys[0], keys[1:]...)
}

// Keyring seals tokens with its current key and opens tokens sealed with
// any of its keys. It is immutable and safe for concurrent use; to rotate,
// build a new Keyring and swap it in.
type Keyring struct {
	current *ringKey
	keys    []*ringKey // current first; few, so a linear scan beats a map
	rand    io.Reader  // nonce source; crypto/rand.Reader unless a test sets it
}

type ringKey struct {
	id   uint32
	aead *xaes
}

// NewKeyring returns a keyring that seals with current and opens tokens
// sealed with current or any of old. Key IDs must be distinct and secrets
// not all zero.
func NewKeyring(current Key, old ...Key) (*Keyring, error) {
	r := &Keyring{rand: rand.Reader}
	for _, k := range append([]Key{current}, old...) {
		if slices.ContainsFunc(r.keys, func(rk *ringKey) bool { return rk.id == k.ID }) {
			return nil, fmt.Errorf("sessiontoken: key ID %d appears twice", k.ID)
		}
		if k.Secret == ([32]byte{}) {
			return nil, fmt.Errorf("sessiontoken: key %d has an all-zero secret", k.ID)
		}
		tk, err := hkdf.Key(sha256.New, k.Secret[:], nil, hkdfInfo, xaesKeySize)
		if err != nil {
			return nil, err
		}
		x, err := newXAES(tk)
		clear(tk)
		if err != nil {
			return nil, err
		}
		r.keys = append(r.keys, &ringKey{id: k.ID, aead: x})
	}
	r.current = r.keys[0]
	return r, nil
}

// CurrentKeyID returns the ID of the key Seal uses.
func (r *Keyring) CurrentKeyID() uint32 { return r.current.id }

// Seal validates c and returns it as a session token sealed with the
// current key and bound to c.AccessKeyID. Two calls with the same claims
// return different tokens.
func (r *Keyring) Seal(c *Claims) (string, error) {
	if err := c.validate(); err != nil {
		return "", err
	}
	k := r.current
	// One buffer: header | plaintext, sealed in place | tag | AAD | scratch.
	b := make([]byte, headerLen, headerLen+claimsSizeBound(c)+xaesOverhead+keyIDLen+1+len(c.AccessKeyID)+scratchLen)
	b[0] = version1
	binary.BigEndian.PutUint32(b[1:], k.id)
	if _, err := io.ReadFull(r.rand, b[1+keyIDLen:headerLen]); err != nil {
		return "", fmt.Errorf("sessiontoken: reading randomness: %w", err)
	}
	b = appendClaims(b, c)
	ptEnd := len(b)
	end := ptEnd + xaesOverhead
	if b64.EncodedLen(end) > MaxTokenLen {
		return "", ErrTooLarge
	}
	// A no-op unless claimsSizeBound was wrong; it keeps the tag's room in b.
	b = slices.Grow(b, xaesOverhead+1+keyIDLen+len(c.AccessKeyID)+scratchLen)
	work := b[end:end]
	aad := appendAAD(work, b, c.AccessKeyID)
	aead, nonce, err := k.aead.aead(b[1+keyIDLen:headerLen], work[len(aad):cap(work)])
	if err != nil {
		return "", err
	}
	aead.Seal(b[headerLen:headerLen], nonce, b[headerLen:ptEnd], aad)
	return encodeToken(b[:end]), nil
}

// encodeToken is b64.EncodeToString without its intermediate []byte: it
// encodes through a stack buffer into a strings.Builder, whose String does
// not copy. That is one allocation of the token's size instead of two.
func encodeToken(bin []byte) string {
	var sb strings.Builder
	sb.Grow(b64.EncodedLen(len(bin)))
	var chunk [64]byte // 48 input bytes (a multiple of 3) → 64 characters
	for len(bin) > 0 {
		n := min(len(bin), 48)
		b64.Encode(chunk[:], bin[:n])
		sb.Write(chunk[:b64.EncodedLen(n)])
		bin = bin[n:]
	}
	return sb.String()
}

// appendAAD appends the additional data of a token: its version and key ID
// (the first bytes of bin) and the access key ID it is bound to.
func appendAAD(dst, bin []byte, accessKeyID string) []byte {
	dst = append(dst, bin[:1+keyIDLen]...)
	return append(dst, accessKeyID...)
}

// Open authenticates token as issued with accessKeyID under one of the
// ring's keys and returns its claims, with AccessKeyID set. It checks
// expiry (now ≥ Expiration is expired) only after authentication, so a
// forged or modified token always gets ErrInvalid, never ErrExpired or
// claims. Errors are ErrMalformed, ErrUnknownKey, ErrInvalid or ErrExpired,
// possibly wrapped.
func (r *Keyring) Open(token, accessKeyID string, now time.Time) (*Claims, error) {
	// Bound the work before allocating anything: the token comes straight
	// from a request header or query string.
	if len(token) > MaxTokenLen {
		return nil, fmt.Errorf("%w: longer than %d characters", ErrMalformed, MaxTokenLen)
	}
	n := b64.DecodedLen(len(token))
	if n < minBinLen {
		return nil, fmt.Errorf("%w: too short", ErrMalformed)
	}
	if len(accessKeyID) > maxAccessKeyIDLen {
		return nil, ErrInvalid
	}
	// One buffer: token bytes (opened in place) | AAD | scratch.
	buf := make([]byte, n, n+1+keyIDLen+len(accessKeyID)+scratchLen)
	// The decoder skips CR and LF. Only a token without them has exactly
	// the length of the encoding of what it decodes to, so this check keeps
	// one spelling per token. (Comparing m with n is not enough: n is the
	// same for lengths 4k and 4k+1.)
	if m, err := b64.Decode(buf, []byte(token)); err != nil || b64.EncodedLen(m) != len(token) {
		return nil, fmt.Errorf("%w: not unpadded base64url", ErrMalformed)
	}
	if buf[0] != version1 {
		return nil, fmt.Errorf("%w: unknown version %d", ErrMalformed, buf[0])
	}
	id := binary.BigEndian.Uint32(buf[1:])
	i := slices.IndexFunc(r.keys, func(k *ringKey) bool { return k.id == id })
	if i < 0 {
		return nil, fmt.Errorf("%w: key ID %d", ErrUnknownKey, id)
	}
	work := buf[n:]
	aad := appendAAD(work, buf, accessKeyID)
	aead, nonce, err := r.keys[i].aead.aead(buf[1+keyIDLen:headerLen], work[len(aad):cap(work)])
	if err != nil {
		return nil, err
	}
	pt, err := aead.Open(buf[headerLen:headerLen], nonce, buf[headerLen:n], aad)
	if err != nil {
		return nil, ErrInvalid
	}
	c := &Claims{AccessKeyID: accessKeyID}
	if err := decodeClaims(string(pt), c); err != nil {
		return nil, err
	}
	if !now.Before(c.Expiration) {
		return nil, ErrExpired
	}
	return c, nil
}
