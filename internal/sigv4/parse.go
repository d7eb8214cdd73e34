package sigv4

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Algorithm is the only signing algorithm grantd accepts.
const Algorithm = "AWS4-HMAC-SHA256"

// Payload hash values with a special meaning (x-amz-content-sha256).
const (
	UnsignedPayload                 = "UNSIGNED-PAYLOAD"
	StreamingPayload                = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	StreamingPayloadTrailer         = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	StreamingUnsignedPayloadTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
	// EmptySHA256 is the hex SHA-256 of an empty payload.
	EmptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

const (
	amzDateLayout  = "20060102T150405Z"
	scopeDateLen   = len("20060102")
	maxExpires     = 7 * 24 * time.Hour
	scopeTerminal  = "aws4_request"
	defaultExpires = 15 * time.Minute
)

// Scope is the credential scope: the day, region and service the signing
// key was derived for.
type Scope struct {
	Date    string // YYYYMMDD
	Region  string
	Service string
}

// String returns the scope as it appears in the string to sign:
// "YYYYMMDD/region/service/aws4_request".
func (s Scope) String() string {
	return s.Date + "/" + s.Region + "/" + s.Service + "/" + scopeTerminal
}

// Auth is the signing information of a request, extracted by Parse without
// any secret.
type Auth struct {
	// AccessKeyID names the key the request claims to be signed with.
	AccessKeyID string
	// Date is the signing time: X-Amz-Date (header or query), else the Date
	// header.
	Date time.Time
	// Scope is the credential scope from the Credential component.
	Scope Scope
	// SignedHeaders lists the signed header names as sent (lowercase).
	SignedHeaders []string
	// Signature is the hex signature as sent.
	Signature string
	// Presigned is true for query-string authentication.
	Presigned bool
	// Expires is X-Amz-Expires for presigned requests (15 minutes when a
	// non-S3 presigned request omits it); zero for header-signed requests.
	Expires time.Duration
	// PayloadHash is the x-amz-content-sha256 value; UNSIGNED-PAYLOAD for an
	// S3 presigned request without it; empty when the request does not say
	// (non-S3 services), in which case Verify hashes the body itself.
	PayloadHash string
	// SecurityToken is X-Amz-Security-Token from the query (presigned) or
	// the header.
	SecurityToken string

	amzDate       string // the timestamp exactly as used in the string to sign
	scope         string // the credential scope as sent
	signedHeaders string // the SignedHeaders value as sent
}

// Parse extracts the signing information of r. It returns ErrNoAuth for an
// unsigned request and a *Error for a request whose signing information is
// malformed or uses a mechanism other than AWS4-HMAC-SHA256.
func Parse(r *http.Request) (*Auth, error) {
	q := rawQuery(r)
	queryAuth := hasQueryAuth(q)
	if h, ok := r.Header["Authorization"]; ok {
		if queryAuth {
			return nil, newErr(KindUnsupportedAuth, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified")
		}
		if len(h) != 1 {
			return nil, newErr(KindAuthorizationHeaderMalformed, "The authorization header is malformed; multiple Authorization headers.")
		}
		return parseHeader(r, h[0])
	}
	if queryAuth {
		return parseQuery(r, q)
	}
	if queryHasKey(q, "AWSAccessKeyId") && queryHasKey(q, "Signature") {
		return nil, newErr(KindUnsupportedAuth, msgUnsupported)
	}
	return nil, ErrNoAuth
}

// parseHeader parses "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
// Signature=…" (components in any order, separated by commas and optional
// spaces) and the date headers.
func parseHeader(r *http.Request, h string) (*Auth, error) {
	cred, signed, sig, err := splitAuthorization(h)
	if err != nil {
		return nil, err
	}
	a := &Auth{Signature: sig, PayloadHash: firstHeader(r, "X-Amz-Content-Sha256"), SecurityToken: firstHeader(r, "X-Amz-Security-Token")}
	if !a.setCredential(cred) {
		return nil, newErr(KindAuthorizationHeaderMalformed, msgHeaderCredential)
	}
	if !a.setSignedHeaders(signed) {
		return nil, newErr(KindAuthorizationHeaderMalformed, "The authorization header is malformed; SignedHeaders is empty or malformed.")
	}
	if d := firstHeader(r, "X-Amz-Date"); d != "" {
		t, ok := parseAmzDate(d)
		if !ok {
			return nil, newErr(KindMissingDate, msgMissingDate)
		}
		a.Date, a.amzDate = t, d
	} else if d := firstHeader(r, "Date"); d != "" {
		t, err := http.ParseTime(d)
		if err != nil {
			return nil, newErr(KindMissingDate, msgMissingDate)
		}
		a.Date = t.UTC()
		a.amzDate = a.Date.Format(amzDateLayout)
	} else {
		return nil, newErr(KindMissingDate, msgMissingDate)
	}
	return a, nil
}

// splitAuthorization returns the components of an Authorization header.
func splitAuthorization(h string) (cred, signed, sig string, err error) {
	alg, rest, _ := strings.Cut(strings.TrimLeft(h, " "), " ")
	if alg != Algorithm {
		return "", "", "", newErr(KindUnsupportedAuth, msgUnsupported)
	}
	var haveCred, haveSigned, haveSig bool
	for rest != "" {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		if part = strings.Trim(part, " "); part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return "", "", "", newErr(KindAuthorizationHeaderMalformed, "The authorization header is malformed; invalid key=value pair (missing equal-sign) in Authorization header: '"+part+"'.")
		}
		var dup bool
		switch k {
		case "Credential":
			dup, cred, haveCred = haveCred, v, true
		case "SignedHeaders":
			dup, signed, haveSigned = haveSigned, v, true
		case "Signature":
			dup, sig, haveSig = haveSig, v, true
		}
		if dup {
			return "", "", "", newErr(KindAuthorizationHeaderMalformed, "The authorization header is malformed; duplicate "+k+" component.")
		}
	}
	if haveCred && haveSigned && haveSig {
		return cred, signed, sig, nil
	}
	// AWS's wording (Query protocol): one sentence per missing component.
	var b strings.Builder
	for _, c := range [...]struct {
		have bool
		name string
	}{{haveCred, "Credential"}, {haveSig, "Signature"}, {haveSigned, "SignedHeaders"}} {
		if !c.have {
			b.WriteString("Authorization header requires '" + c.name + "' parameter. ")
		}
	}
	b.WriteString("Authorization=" + h)
	return "", "", "", newErr(KindIncompleteSignature, b.String())
}

// queryAuthParams are the presigned-URL parameters, decoded.
type queryAuthParams struct {
	alg, cred, date, expires, signed, sig, token, sha string
	haveExpires                                       bool
}

// scanQueryAuth collects the X-Amz-* authentication parameters; the first
// occurrence of each wins.
func scanQueryAuth(q string) (queryAuthParams, error) {
	var p queryAuthParams
	for q != "" {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		k, v, _ := strings.Cut(pair, "=")
		hasEsc := strings.IndexByte(k, '%') >= 0
		if !hasEsc && !strings.HasPrefix(k, "X-Amz-") {
			continue
		}
		if hasEsc {
			var err error
			if k, err = url.QueryUnescape(k); err != nil {
				continue
			}
		}
		dst := p.field(k)
		if dst == nil || *dst != "" {
			continue
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return p, newErr(KindAuthorizationQueryParametersError, "Error parsing the query parameter "+k+".")
		}
		*dst = val
		p.haveExpires = p.haveExpires || k == "X-Amz-Expires"
	}
	return p, nil
}

func (p *queryAuthParams) field(k string) *string {
	switch k {
	case "X-Amz-Algorithm":
		return &p.alg
	case "X-Amz-Credential":
		return &p.cred
	case "X-Amz-Date":
		return &p.date
	case "X-Amz-Expires":
		return &p.expires
	case "X-Amz-SignedHeaders":
		return &p.signed
	case "X-Amz-Signature":
		return &p.sig
	case "X-Amz-Security-Token":
		return &p.token
	case "X-Amz-Content-Sha256":
		return &p.sha
	}
	return nil
}

// parseQuery parses the presigned-URL parameters.
func parseQuery(r *http.Request, q string) (*Auth, error) {
	p, err := scanQueryAuth(q)
	if err != nil {
		return nil, err
	}
	if p.alg == "" || p.cred == "" || p.date == "" || p.signed == "" || p.sig == "" {
		return nil, newErr(KindAuthorizationQueryParametersError, msgQueryRequired)
	}
	if p.alg != Algorithm {
		return nil, newErr(KindAuthorizationQueryParametersError, `X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"`)
	}
	a := &Auth{Presigned: true, Signature: p.sig, SecurityToken: p.token}
	if a.SecurityToken == "" {
		a.SecurityToken = firstHeader(r, "X-Amz-Security-Token")
	}
	if !a.setCredential(p.cred) {
		return nil, newErr(KindAuthorizationQueryParametersError, msgQueryCredential)
	}
	t, ok := parseAmzDate(p.date)
	if !ok {
		return nil, newErr(KindAuthorizationQueryParametersError, `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`)
	}
	a.Date, a.amzDate = t, p.date
	if !a.setSignedHeaders(p.signed) {
		return nil, newErr(KindAuthorizationQueryParametersError, "X-Amz-SignedHeaders is empty or malformed.")
	}
	switch {
	case p.haveExpires:
		if a.Expires, err = parseExpires(p.expires); err != nil {
			return nil, err
		}
	case a.Scope.Service == "s3":
		return nil, newErr(KindAuthorizationQueryParametersError, msgQueryRequired)
	default:
		a.Expires = defaultExpires
	}
	a.PayloadHash = firstHeader(r, "X-Amz-Content-Sha256")
	if a.PayloadHash == "" {
		a.PayloadHash = p.sha
	}
	if a.PayloadHash == "" && a.Scope.Service == "s3" {
		// S3 presigned URLs sign "UNSIGNED-PAYLOAD"; other services sign the
		// body's hash (botocore's SigV4QueryAuth, the SDKs' presigners).
		a.PayloadHash = UnsignedPayload
	}
	return a, nil
}

func parseExpires(s string) (time.Duration, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil:
		return 0, newErr(KindAuthorizationQueryParametersError, "X-Amz-Expires should be a number")
	case n < 0:
		return 0, newErr(KindAuthorizationQueryParametersError, "X-Amz-Expires must be non-negative")
	case n == 0:
		return 0, newErr(KindAuthorizationQueryParametersError, "X-Amz-Expires must be greater than 0")
	case n > int64(maxExpires/time.Second):
		return 0, newErr(KindAuthorizationQueryParametersError, "X-Amz-Expires must be less than a week (in seconds) that is 604800")
	}
	return time.Duration(n) * time.Second, nil
}

// setCredential splits "AKID/YYYYMMDD/region/service/aws4_request".
func (a *Auth) setCredential(c string) bool {
	ak, scope, ok := strings.Cut(c, "/")
	if !ok || ak == "" {
		return false
	}
	date, rest, _ := strings.Cut(scope, "/")
	region, rest, _ := strings.Cut(rest, "/")
	service, term, _ := strings.Cut(rest, "/")
	if term != scopeTerminal || region == "" || service == "" || len(date) != scopeDateLen || !validScopeDate(date) {
		return false
	}
	a.AccessKeyID = ak
	a.Scope = Scope{Date: date, Region: region, Service: service}
	a.scope = scope
	return true
}

// setSignedHeaders splits the ";"-separated list; every name must be a
// non-empty header token.
func (a *Auth) setSignedHeaders(s string) bool {
	if s == "" {
		return false
	}
	n := strings.Count(s, ";") + 1
	if n > maxSignedHeaders {
		return false
	}
	names := make([]string, 0, n)
	for rest := s; ; {
		name, tail, more := strings.Cut(rest, ";")
		if !validHeaderName(name) {
			return false
		}
		names = append(names, name)
		if !more {
			break
		}
		rest = tail
	}
	a.SignedHeaders = names
	a.signedHeaders = s
	return true
}

// maxSignedHeaders bounds the signed-header list (AWS has no documented
// limit; a request with more headers than this is not a real client).
const maxSignedHeaders = 128

// validHeaderName reports whether s is an HTTP token (RFC 9110 §5.6.2).
func validHeaderName(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenChar[s[i]] {
			return false
		}
	}
	return true
}

var tokenChar = func() (t [256]bool) {
	for c := 0x21; c < 0x7f; c++ {
		t[c] = !strings.ContainsRune(`"(),/:;<=>?@[\]{}`, rune(c))
	}
	return t
}()

// parseAmzDate parses the ISO 8601 basic format "20060102T150405Z".
func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != len(amzDateLayout) || s[8] != 'T' || s[15] != 'Z' || !isDigits(s[:8], 8) || !isDigits(s[9:15], 6) {
		return time.Time{}, false
	}
	n := func(i, j int) int {
		v := 0
		for _, c := range s[i:j] {
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, mo, d, h, mi, sec := n(0, 4), n(4, 6), n(6, 8), n(9, 11), n(11, 13), n(13, 15)
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)
	if t.Month() != time.Month(mo) || t.Day() != d || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false // out of range, e.g. February 30
	}
	return t, true
}

// validScopeDate reports whether s is a real day in the form YYYYMMDD.
func validScopeDate(s string) bool {
	_, ok := parseAmzDate(s + "T000000Z")
	return ok
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// firstHeader returns the first value of a header given in canonical form,
// without allocating.
func firstHeader(r *http.Request, canonicalKey string) string {
	if v := r.Header[canonicalKey]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}

// hasQueryAuth reports whether the raw query carries SigV4 query
// authentication parameters.
func hasQueryAuth(q string) bool {
	for q != "" {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		if strings.HasPrefix(pair, "X-Amz-") {
			k, _, _ := strings.Cut(pair, "=")
			if k == "X-Amz-Algorithm" || k == "X-Amz-Credential" || k == "X-Amz-Signature" {
				return true
			}
		}
	}
	return false
}

// queryHasKey reports whether the raw query has a parameter named key
// (compared as sent; the SDKs never encode these names).
func queryHasKey(q, key string) bool {
	for q != "" {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		k, _, _ := strings.Cut(pair, "=")
		if k == key {
			return true
		}
	}
	return false
}

// rawQuery returns the query string exactly as the client sent it.
func rawQuery(r *http.Request) string {
	if r.RequestURI != "" {
		if _, q, ok := strings.Cut(r.RequestURI, "?"); ok {
			return q
		}
		return ""
	}
	return r.URL.RawQuery
}

// rawPath returns the request path exactly as the client sent it (still
// percent-encoded), also for absolute-form request targets such as those
// that reach grantd through an HTTP proxy.
func rawPath(r *http.Request) string {
	uri := r.RequestURI
	if uri == "" {
		// A request built in-process (tests, not a server request).
		if r.URL.Opaque != "" {
			uri = r.URL.Opaque
			if strings.HasPrefix(uri, "//") {
				if i := strings.IndexByte(uri[2:], '/'); i >= 0 {
					return uri[2+i:]
				}
				return "/"
			}
			return uri
		}
		if p := r.URL.EscapedPath(); p != "" {
			return p
		}
		return "/"
	}
	if uri[0] != '/' {
		i := strings.Index(uri, "://")
		if i < 0 {
			return "/" // "*" (OPTIONS) or an authority-form target
		}
		rest := uri[i+3:]
		j := strings.IndexAny(rest, "/?")
		if j < 0 || rest[j] == '?' {
			return "/"
		}
		uri = rest[j:]
	}
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	if uri == "" {
		return "/"
	}
	return uri
}
