package sigv4

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"net/http"
	"net/textproto"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// scratch holds the buffers one verification needs, so a warm Verify does
// not allocate for them. Scratches are pooled.
type scratch struct {
	mac   hmacer
	canon []byte   // the canonical request
	sts   []byte   // the string to sign
	norm  []byte   // path normalisation
	query []byte   // encoded query components
	pairs []qpair  // spans of query into (key, value)
	sig   [32]byte // the computed signature
}

// qpair locates one encoded key and value in scratch.query.
type qpair struct{ k0, k1, v1 int32 }

var scratchPool = sync.Pool{New: func() any {
	return &scratch{
		mac:   hmacer{h: sha256.New()},
		canon: make([]byte, 0, 1024),
		sts:   make([]byte, 0, 256),
		norm:  make([]byte, 0, 256),
		query: make([]byte, 0, 512),
		pairs: make([]qpair, 0, 16),
	}
}}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

func putScratch(s *scratch) {
	if cap(s.canon) > 64<<10 || cap(s.query) > 64<<10 {
		return // do not keep buffers grown by a huge request
	}
	scratchPool.Put(s)
}

// variant selects how ambiguous parts of the request are canonicalised.
// Variant 0 is what AWS and the SDKs do; the others accept requests signed
// by clients that differ in a documented corner (see Verify).
type variant struct {
	altPath     bool // S3: re-encode the path; others: do not normalise it
	plusLiteral bool // a '+' in the query is a plus sign, not a space
}

// buildCanonical writes the canonical request of r into s.canon and the
// string to sign into s.sts.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#create-canonical-request
func (s *scratch) buildCanonical(r *http.Request, a *Auth, payload string, v variant) {
	b := append(s.canon[:0], r.Method...)
	b = append(b, '\n')
	b = s.appendURI(b, rawPath(r), a.Scope.Service == "s3", v.altPath)
	b = append(b, '\n')
	b = s.appendQuery(b, rawQuery(r), a.Presigned, v.plusLiteral)
	b = append(b, '\n')
	b = appendHeaders(b, r, a.SignedHeaders)
	b = append(b, '\n')
	b = append(b, a.signedHeaders...)
	b = append(b, '\n')
	b = append(b, payload...)
	s.canon = b

	sum := sha256.Sum256(b)
	t := append(s.sts[:0], Algorithm+"\n"...)
	t = append(t, a.amzDate...)
	t = append(t, '\n')
	t = append(t, a.scope...)
	t = append(t, '\n')
	t = hex.AppendEncode(t, sum[:])
	s.sts = t
}

// appendURI appends the canonical URI. S3 signs the path as sent (already
// percent-encoded once, never normalised); every other service removes dot
// segments and repeated slashes and then encodes the encoded path again.
// The alternates: S3 paths re-encoded from their decoded form (for clients
// that leave reserved characters unencoded on the wire), and non-S3 paths
// without normalisation (the Go SDK does not normalise).
func (s *scratch) appendURI(b []byte, raw string, isS3, alt bool) []byte {
	switch {
	case isS3 && !alt:
		return append(b, raw...)
	case isS3:
		return appendReencoded(b, raw)
	case !alt:
		s.norm = normalizePath(s.norm[:0], raw)
		return appendEscaped(b, s.norm, true)
	default:
		return appendEscaped(b, raw, true)
	}
}

// normalizePath removes "." and ".." segments and empty segments, keeping a
// leading and (for a non-empty result) a trailing slash, like botocore's
// remove_dot_segments.
func normalizePath(dst []byte, p string) []byte {
	for rest := p; rest != ""; {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		switch seg {
		case "", ".":
		case "..":
			if i := bytes.LastIndexByte(dst, '/'); i >= 0 {
				dst = dst[:i]
			}
		default:
			dst = append(dst, '/')
			dst = append(dst, seg...)
		}
	}
	switch {
	case len(dst) == 0:
		if strings.HasPrefix(p, "/") {
			dst = append(dst, '/')
		}
	case strings.HasSuffix(p, "/"):
		dst = append(dst, '/')
	}
	if !strings.HasPrefix(p, "/") && len(dst) > 0 && dst[0] == '/' {
		dst = dst[1:]
	}
	return dst
}

// appendQuery appends the canonical query string: every parameter decoded
// and re-encoded with AWS's rules, sorted by key and then value.
// X-Amz-Signature is left out of presigned requests.
func (s *scratch) appendQuery(b []byte, q string, presigned, plusLiteral bool) []byte {
	s.query, s.pairs = s.query[:0], s.pairs[:0]
	for q != "" {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if presigned && k == "X-Amz-Signature" {
			continue
		}
		k0 := int32(len(s.query))
		s.query = appendQueryComponent(s.query, k, plusLiteral)
		k1 := int32(len(s.query))
		s.query = appendQueryComponent(s.query, v, plusLiteral)
		s.pairs = append(s.pairs, qpair{k0, k1, int32(len(s.query))})
	}
	if len(s.pairs) <= 12 {
		for i := 1; i < len(s.pairs); i++ { // insertion sort: typical queries are short
			for j := i; j > 0 && s.Less(j, j-1); j-- {
				s.Swap(j, j-1)
			}
		}
	} else {
		sort.Sort(s)
	}
	for i, p := range s.pairs {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, s.query[p.k0:p.k1]...)
		b = append(b, '=')
		b = append(b, s.query[p.k1:p.v1]...)
	}
	return b
}

// Len, Less and Swap sort the query pairs (sort.Interface).
func (s *scratch) Len() int { return len(s.pairs) }

// Less orders query pairs by encoded key, then encoded value.
func (s *scratch) Less(i, j int) bool {
	p, q := s.pairs[i], s.pairs[j]
	if c := bytes.Compare(s.query[p.k0:p.k1], s.query[q.k0:q.k1]); c != 0 {
		return c < 0
	}
	return bytes.Compare(s.query[p.k1:p.v1], s.query[q.k1:q.v1]) < 0
}

// Swap swaps two query pairs.
func (s *scratch) Swap(i, j int) { s.pairs[i], s.pairs[j] = s.pairs[j], s.pairs[i] }

// appendHeaders appends "name:value\n" for each signed header: values
// trimmed, inner runs of spaces collapsed, repeated headers joined by ",".
func appendHeaders(b []byte, r *http.Request, names []string) []byte {
	for _, name := range names {
		b = appendLower(b, name)
		b = append(b, ':')
		if equalFoldASCII(name, "host") {
			host := r.Host
			if host == "" {
				host = r.URL.Host
			}
			b = appendTrimmed(b, host)
		} else {
			vals := headerValues(r.Header, name)
			for i, v := range vals {
				if i > 0 {
					b = append(b, ',')
				}
				b = appendTrimmed(b, v)
			}
			if len(vals) == 0 {
				b = appendMissing(b, r, name)
			}
		}
		b = append(b, '\n')
	}
	return b
}

// appendMissing supplies the headers net/http moves out of Header.
func appendMissing(b []byte, r *http.Request, name string) []byte {
	switch {
	case equalFoldASCII(name, "content-length") && r.ContentLength > 0:
		return strconv.AppendInt(b, r.ContentLength, 10)
	case equalFoldASCII(name, "transfer-encoding"):
		for i, te := range r.TransferEncoding {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, te...)
		}
	}
	return b
}

// headerValues looks name up in h without allocating for ordinary names.
func headerValues(h http.Header, name string) []string {
	var buf [64]byte
	if len(name) > len(buf) {
		return h[textproto.CanonicalMIMEHeaderKey(name)]
	}
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z':
			if upper {
				c -= 'a' - 'A'
			}
		case c >= 'A' && c <= 'Z':
			if !upper {
				c += 'a' - 'A'
			}
		case c == '-' || c >= '0' && c <= '9':
		default:
			return h[textproto.CanonicalMIMEHeaderKey(name)]
		}
		buf[i] = c
		upper = c == '-'
	}
	return h[string(buf[:len(name)])]
}

// equalFoldASCII compares two header names case-insensitively (ASCII).
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if lx := x | 0x20; lx != y|0x20 || lx < 'a' || lx > 'z' {
			return false
		}
	}
	return true
}

func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// appendTrimmed appends v without leading and trailing whitespace and with
// each run of spaces collapsed to one (the SDKs' and AWS's Trimall).
func appendTrimmed(b []byte, v string) []byte {
	for len(v) > 0 && (v[0] == ' ' || v[0] == '\t') {
		v = v[1:]
	}
	for len(v) > 0 && (v[len(v)-1] == ' ' || v[len(v)-1] == '\t') {
		v = v[:len(v)-1]
	}
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b = append(b, c)
	}
	return b
}

const upperHex = "0123456789ABCDEF"

// unreserved marks the bytes SigV4 never percent-encodes.
var unreserved = func() (t [256]bool) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c], t[c+'a'-'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['-'], t['.'], t['_'], t['~'] = true, true, true, true
	return t
}()

// appendEscaped percent-encodes every byte of s except the unreserved ones
// (and '/' when keepSlash).
func appendEscaped[T string | []byte](b []byte, s T, keepSlash bool) []byte {
	for i := 0; i < len(s); i++ {
		b = appendEscapedByte(b, s[i], keepSlash)
	}
	return b
}

func appendEscapedByte(b []byte, c byte, keepSlash bool) []byte {
	if unreserved[c] || c == '/' && keepSlash {
		return append(b, c)
	}
	return append(b, '%', upperHex[c>>4], upperHex[c&15])
}

// appendReencoded decodes the percent-escapes of a path and encodes it
// again with SigV4's rules, keeping '/'.
func appendReencoded(b []byte, p string) []byte {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == '%' && i+2 < len(p) && isHex(p[i+1]) && isHex(p[i+2]) {
			c = unhex(p[i+1])<<4 | unhex(p[i+2])
			i += 2
			b = appendEscapedByte(b, c, false)
			continue
		}
		b = appendEscapedByte(b, c, true)
	}
	return b
}

// appendQueryComponent decodes one key or value of a query string ('+' is
// a space unless plusLiteral) and encodes it with SigV4's rules.
func appendQueryComponent(b []byte, s string, plusLiteral bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			c = unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
		case c == '+' && !plusLiteral:
			c = ' '
		}
		b = appendEscapedByte(b, c, false)
	}
	return b
}

// hexVal maps a hex digit to its value and every other byte to 0xff.
var hexVal = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c], t[c-'a'+'A'] = byte(c-'a'+10), byte(c-'a'+10)
	}
	return t
}()

func isHex(c byte) bool { return hexVal[c] != 0xff }

func unhex(c byte) byte { return hexVal[c] }

// hmacer computes HMAC-SHA256 with a reusable hash and pad buffer, so a
// signature costs no allocation.
type hmacer struct {
	h     hash.Hash
	pad   [64]byte
	inner [32]byte
}

// sum sets out to HMAC-SHA256(key, msg). key must be at most 64 bytes
// (signing keys are 32).
func (m *hmacer) sum(out *[32]byte, key, msg []byte) {
	if len(key) > len(m.pad) {
		k := sha256.Sum256(key)
		key = k[:]
	}
	for i := range m.pad {
		m.pad[i] = 0x36
	}
	for i, c := range key {
		m.pad[i] ^= c
	}
	m.h.Reset()
	m.h.Write(m.pad[:])
	m.h.Write(msg)
	m.h.Sum(m.inner[:0])
	for i := range m.pad {
		m.pad[i] ^= 0x36 ^ 0x5c
	}
	m.h.Reset()
	m.h.Write(m.pad[:])
	m.h.Write(m.inner[:])
	m.h.Sum(out[:0])
}

// SigningKey derives the SigV4 signing key for a secret access key and a
// credential scope: HMAC chain over the date, region, service and
// "aws4_request".
func SigningKey(secret, date, region, service string) []byte {
	m := hmacer{h: sha256.New()}
	k := m.deriveKey(secret, date, region, service)
	return k[:]
}

func (m *hmacer) deriveKey(secret, date, region, service string) [32]byte {
	var k [32]byte
	m.sum(&k, []byte("AWS4"+secret), []byte(date))
	m.sum(&k, k[:], []byte(region))
	m.sum(&k, k[:], []byte(service))
	m.sum(&k, k[:], []byte(scopeTerminal))
	return k
}
