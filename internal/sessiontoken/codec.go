package sessiontoken

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// The sealed claims are a sequence of fields in strictly increasing tag
// order, each
//
//	tag (1 byte) || uvarint(len) || value (len bytes)
//
// Strings are their bytes. Lists are a sequence of uvarint-length-prefixed
// strings (tags and provided contexts alternate key and value). Times are
// Unix nanoseconds as a big-endian int64. Flags carry no value: presence
// means true. Empty strings, empty lists and false flags are left out.
//
// A reader that meets a tag it does not know rejects the token when the tag
// is below 0x80 ("critical": a new field may narrow the session, and
// ignoring it would widen it) and skips it when the tag is 0x80 or above
// ("optional": informational fields). Tag values are a wire contract: never
// renumber or reuse one.
const (
	tagSecretAccessKey   = 1
	tagIssuedAt          = 2
	tagExpiration        = 3
	tagAccount           = 4
	tagKind              = 5
	tagRoleARN           = 6
	tagRoleID            = 7
	tagSessionName       = 8
	tagUserARN           = 9
	tagUserID            = 10
	tagSessionPolicy     = 11
	tagPolicyARNs        = 12
	tagSourceIdentity    = 13
	tagTags              = 14
	tagTransitiveTagKeys = 15
	tagProvidedContexts  = 16
	tagChained           = 17
	tagWebIdentity       = 18
	tagGrantARN          = 19
	tagInstanceARN       = 20
	tagDirectoryUserID   = 21
	tagIdentityStoreARN  = 22

	firstOptionalTag = 0x80

	// required lists the fields every token has.
	required = 1<<tagSecretAccessKey | 1<<tagIssuedAt | 1<<tagExpiration | 1<<tagAccount | 1<<tagKind
)

// claimsSizeBound returns an upper bound of the encoded size of c, so that
// Seal allocates its buffer once.
func claimsSizeBound(c *Claims) int {
	const perField = 1 + binary.MaxVarintLen64
	n := 3*perField + 8 + 8 + 1 // times and kind
	for _, s := range [...]string{c.SecretAccessKey, c.Account, c.RoleARN, c.RoleID,
		c.SessionName, c.UserARN, c.UserID, c.SessionPolicy, c.SourceIdentity,
		c.GrantARN, c.InstanceARN, c.DirectoryUserID, c.IdentityStoreARN} {
		n += perField + len(s)
	}
	n += 6 * perField // the lists and the flag
	for _, s := range c.PolicyARNs {
		n += binary.MaxVarintLen64 + len(s)
	}
	for _, s := range c.TransitiveTagKeys {
		n += binary.MaxVarintLen64 + len(s)
	}
	for _, t := range c.Tags {
		n += 2*binary.MaxVarintLen64 + len(t.Key) + len(t.Value)
	}
	for _, p := range c.ProvidedContexts {
		n += 2*binary.MaxVarintLen64 + len(p.ProviderARN) + len(p.ContextAssertion)
	}
	if w := c.WebIdentity; w != nil {
		n += 3*binary.MaxVarintLen64 + len(w.Provider) + len(w.Subject) + len(w.Audience)
	}
	return n
}

// appendClaims appends the encoding of c (but not c.AccessKeyID, which is
// bound as additional data) to b.
func appendClaims(b []byte, c *Claims) []byte {
	b = appendString(b, tagSecretAccessKey, c.SecretAccessKey)
	b = appendTime(b, tagIssuedAt, c.IssuedAt)
	b = appendTime(b, tagExpiration, c.Expiration)
	b = appendString(b, tagAccount, c.Account)
	b = append(b, tagKind, 1, byte(c.Kind))
	b = appendString(b, tagRoleARN, c.RoleARN)
	b = appendString(b, tagRoleID, c.RoleID)
	b = appendString(b, tagSessionName, c.SessionName)
	b = appendString(b, tagUserARN, c.UserARN)
	b = appendString(b, tagUserID, c.UserID)
	b = appendString(b, tagSessionPolicy, c.SessionPolicy)
	b = appendList(b, tagPolicyARNs, len(c.PolicyARNs), func(i int) string { return c.PolicyARNs[i] })
	b = appendString(b, tagSourceIdentity, c.SourceIdentity)
	b = appendList(b, tagTags, 2*len(c.Tags), func(i int) string {
		if i%2 == 0 {
			return c.Tags[i/2].Key
		}
		return c.Tags[i/2].Value
	})
	b = appendList(b, tagTransitiveTagKeys, len(c.TransitiveTagKeys), func(i int) string { return c.TransitiveTagKeys[i] })
	b = appendList(b, tagProvidedContexts, 2*len(c.ProvidedContexts), func(i int) string {
		if i%2 == 0 {
			return c.ProvidedContexts[i/2].ProviderARN
		}
		return c.ProvidedContexts[i/2].ContextAssertion
	})
	if c.Chained {
		b = append(b, tagChained, 0)
	}
	if w := c.WebIdentity; w != nil {
		parts := [...]string{w.Provider, w.Subject, w.Audience}
		b = appendList(b, tagWebIdentity, len(parts), func(i int) string { return parts[i] })
	}
	b = appendString(b, tagGrantARN, c.GrantARN)
	b = appendString(b, tagInstanceARN, c.InstanceARN)
	b = appendString(b, tagDirectoryUserID, c.DirectoryUserID)
	b = appendString(b, tagIdentityStoreARN, c.IdentityStoreARN)
	return b
}

func appendString(b []byte, tag byte, s string) []byte {
	if s == "" {
		return b
	}
	b = append(b, tag)
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendTime(b []byte, tag byte, t time.Time) []byte {
	b = append(b, tag, 8)
	return binary.BigEndian.AppendUint64(b, uint64(t.UnixNano()))
}

// appendList appends a list field of n items; item(i) returns the i-th.
func appendList(b []byte, tag byte, n int, item func(int) string) []byte {
	if n == 0 {
		return b
	}
	size := 0
	for i := range n {
		s := item(i)
		size += uvarintLen(len(s)) + len(s)
	}
	b = append(b, tag)
	b = binary.AppendUvarint(b, uint64(size))
	for i := range n {
		s := item(i)
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

func uvarintLen(n int) int {
	l := 1
	for ; n >= 0x80; n >>= 7 {
		l++
	}
	return l
}

// uvarint reads a minimally encoded uvarint of at most 4 bytes (lengths
// are bounded by the token size, far below 2^28) from s at off, and returns
// it with the offset after it.
func uvarint(s string, off int) (v, next int, ok bool) {
	for i, shift := 0, 0; i < 4 && off+i < len(s); i, shift = i+1, shift+7 {
		c := s[off+i]
		v |= int(c&0x7f) << shift
		if c < 0x80 {
			if c == 0 && i > 0 {
				return 0, off, false // not minimal: the encoding is canonical
			}
			return v, off + i + 1, true
		}
	}
	return 0, off, false
}

// decodeClaims decodes the fields in s into c. The strings in c share s's
// memory, so Open makes one copy of the plaintext instead of one per field.
// Errors are fmt-wrapped ErrMalformed.
func decodeClaims(s string, c *Claims) error {
	var seen uint64
	last := 0
	for off := 0; off < len(s); {
		tag := int(s[off])
		if tag <= last {
			return fmt.Errorf("%w: field %d out of order", ErrMalformed, tag)
		}
		last = tag
		n, next, ok := uvarint(s, off+1)
		if !ok || n > len(s)-next {
			return fmt.Errorf("%w: field %d: bad length", ErrMalformed, tag)
		}
		v := s[next : next+n]
		off = next + n
		if tag < 64 {
			seen |= 1 << tag
		}
		if err := decodeField(c, tag, v); err != nil {
			return fmt.Errorf("%w: field %d: %v", ErrMalformed, tag, err)
		}
	}
	if seen&required != required {
		return fmt.Errorf("%w: required field missing", ErrMalformed)
	}
	return nil
}

func decodeField(c *Claims, tag int, v string) error {
	var err error
	switch tag {
	case tagSecretAccessKey:
		c.SecretAccessKey, err = nonEmpty(v)
	case tagIssuedAt:
		c.IssuedAt, err = decodeTime(v)
	case tagExpiration:
		c.Expiration, err = decodeTime(v)
	case tagAccount:
		if !validAccount(v) {
			return errBadValue
		}
		c.Account = v
	case tagKind:
		if len(v) != 1 || v[0] == 0 || Kind(v[0]) > maxKind {
			return errBadValue
		}
		c.Kind = Kind(v[0])
	case tagRoleARN:
		c.RoleARN, err = nonEmpty(v)
	case tagRoleID:
		c.RoleID, err = nonEmpty(v)
	case tagSessionName:
		c.SessionName, err = nonEmpty(v)
	case tagUserARN:
		c.UserARN, err = nonEmpty(v)
	case tagUserID:
		c.UserID, err = nonEmpty(v)
	case tagSessionPolicy:
		c.SessionPolicy, err = nonEmpty(v)
	case tagPolicyARNs:
		c.PolicyARNs, err = decodeStrings(v)
	case tagSourceIdentity:
		c.SourceIdentity, err = nonEmpty(v)
	case tagTags:
		c.Tags, err = decodeTags(v)
	case tagTransitiveTagKeys:
		c.TransitiveTagKeys, err = decodeStrings(v)
	case tagProvidedContexts:
		c.ProvidedContexts, err = decodeProvidedContexts(v)
	case tagChained:
		if v != "" {
			return errBadValue
		}
		c.Chained = true
	case tagWebIdentity:
		c.WebIdentity, err = decodeWebIdentity(v)
	case tagGrantARN:
		c.GrantARN, err = nonEmpty(v)
	case tagInstanceARN:
		c.InstanceARN, err = nonEmpty(v)
	case tagDirectoryUserID:
		c.DirectoryUserID, err = nonEmpty(v)
	case tagIdentityStoreARN:
		c.IdentityStoreARN, err = nonEmpty(v)
	default:
		if tag < firstOptionalTag {
			return errUnknownCritical
		}
	}
	return err
}

var (
	errBadValue        = errors.New("bad value")
	errUnknownCritical = errors.New("unknown critical field")
)

// nonEmpty rejects an empty string field, which the encoder never writes.
func nonEmpty(v string) (string, error) {
	if v == "" {
		return "", errBadValue
	}
	return v, nil
}

func decodeTime(v string) (time.Time, error) {
	if len(v) != 8 {
		return time.Time{}, errBadValue
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64([]byte(v)))).UTC(), nil
}

// listLen validates v as a list and returns its number of items.
func listLen(v string) (int, error) {
	if v == "" {
		return 0, errBadValue // the encoder leaves empty lists out
	}
	n := 0
	for off := 0; off < len(v); n++ {
		l, next, ok := uvarint(v, off)
		if !ok || l > len(v)-next {
			return 0, errBadValue
		}
		off = next + l
	}
	return n, nil
}

// listNext returns the first item of a list that listLen accepted, and the
// rest of the list.
func listNext(v string) (item, rest string) {
	l, next, _ := uvarint(v, 0)
	return v[next : next+l], v[next+l:]
}

func decodeStrings(v string) ([]string, error) {
	n, err := listLen(v)
	if err != nil {
		return nil, err
	}
	out := make([]string, n)
	for i := range out {
		out[i], v = listNext(v)
	}
	return out, nil
}

func decodeTags(v string) ([]Tag, error) {
	n, err := listLen(v)
	if err != nil || n%2 != 0 {
		return nil, errBadValue
	}
	out := make([]Tag, n/2)
	for i := range out {
		out[i].Key, v = listNext(v)
		out[i].Value, v = listNext(v)
	}
	return out, nil
}

func decodeProvidedContexts(v string) ([]ProvidedContext, error) {
	n, err := listLen(v)
	if err != nil || n%2 != 0 {
		return nil, errBadValue
	}
	out := make([]ProvidedContext, n/2)
	for i := range out {
		out[i].ProviderARN, v = listNext(v)
		out[i].ContextAssertion, v = listNext(v)
	}
	return out, nil
}

func decodeWebIdentity(v string) (*WebIdentity, error) {
	if n, err := listLen(v); err != nil || n != 3 {
		return nil, errBadValue
	}
	w := new(WebIdentity)
	w.Provider, v = listNext(v)
	w.Subject, v = listNext(v)
	w.Audience, _ = listNext(v)
	return w, nil
}
