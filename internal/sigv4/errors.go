package sigv4

import (
	"errors"
	"fmt"
	"time"
)

// ErrNoAuth is returned by Parse for a request that carries no signature at
// all: no Authorization header and no X-Amz-* authentication query
// parameters. The server treats such a request as anonymous.
var ErrNoAuth = errors.New("sigv4: request is not signed")

// Kind classifies a verification failure. The server maps each kind to the
// wire code of the protocol it answers in; the suggested codes are noted on
// each constant (S3 first, then the Query/JSON protocols where they differ).
type Kind uint8

// The kinds of verification failures.
const (
	// KindAuthorizationHeaderMalformed: the Authorization header cannot be
	// parsed, its credential is malformed or its date disagrees with
	// X-Amz-Date. S3: AuthorizationHeaderMalformed; Query: IncompleteSignature.
	KindAuthorizationHeaderMalformed Kind = iota + 1
	// KindAuthorizationQueryParametersError: the presigned query parameters
	// are missing, malformed or out of range. S3:
	// AuthorizationQueryParametersError; Query: IncompleteSignature.
	KindAuthorizationQueryParametersError
	// KindIncompleteSignature: a required part of the signature is absent
	// (Credential, SignedHeaders, Signature, or host among the signed
	// headers). S3: AuthorizationHeaderMalformed; Query: IncompleteSignature.
	KindIncompleteSignature
	// KindUnsupportedAuth: an authentication mechanism grantd does not accept
	// (signature version 2, SigV4a, an unknown algorithm) or more than one
	// mechanism in one request. S3: InvalidRequest or InvalidArgument;
	// Query: IncompleteSignature.
	KindUnsupportedAuth
	// KindMissingDate: neither a valid X-Amz-Date nor a valid Date header.
	// S3: AccessDenied; Query: IncompleteSignature.
	KindMissingDate
	// KindHeadersNotSigned: an S3 request carries x-amz-* headers that are
	// not among the signed headers. S3: AccessDenied.
	KindHeadersNotSigned
	// KindSignatureDoesNotMatch: the signature is wrong. S3 and Query:
	// SignatureDoesNotMatch; JSON: InvalidSignatureException.
	KindSignatureDoesNotMatch
	// KindRequestTimeTooSkewed: a header-signed request's time is more than
	// the allowed skew away from the server's clock. S3:
	// RequestTimeTooSkewed; Query: RequestExpired or SignatureDoesNotMatch.
	KindRequestTimeTooSkewed
	// KindExpired: a presigned URL has expired or is not valid yet. S3:
	// AccessDenied; Query: RequestExpired.
	KindExpired
	// KindMissingContentSHA256: an S3 header-signed request without
	// x-amz-content-sha256. S3: InvalidRequest.
	KindMissingContentSHA256
	// KindInvalidContentSHA256: x-amz-content-sha256 is neither a hex
	// SHA-256 nor a payload mode grantd supports. S3: InvalidArgument.
	KindInvalidContentSHA256
	// KindContentSHA256Mismatch: the body does not hash to
	// x-amz-content-sha256. S3: XAmzContentSHA256Mismatch.
	KindContentSHA256Mismatch
	// KindMissingContentLength: a streaming upload without a valid
	// x-amz-decoded-content-length. S3: MissingContentLength (411).
	KindMissingContentLength
	// KindChunkSignatureMismatch: a chunk or trailer signature of a streaming
	// upload is wrong. S3: SignatureDoesNotMatch.
	KindChunkSignatureMismatch
	// KindIncompleteBody: the body ended early, or decoded to fewer bytes than
	// x-amz-decoded-content-length. S3: IncompleteBody.
	KindIncompleteBody
	// KindMalformedChunk: the aws-chunked framing is not well formed (bad
	// chunk header, missing CRLF, more data than declared). S3: IncompleteBody
	// is the closest documented code.
	KindMalformedChunk
	// KindInvalidChunkSize: a signed chunk other than the last is smaller
	// than 8 KiB. S3: InvalidChunkSizeError.
	KindInvalidChunkSize
	// KindMalformedTrailer: the trailing headers of a streaming upload are
	// not well formed, or differ from those announced in x-amz-trailer. S3:
	// MalformedTrailerError.
	KindMalformedTrailer
	// KindBodyTooLarge: a body that has to be hashed before the signature
	// can be checked (no x-amz-content-sha256 on a non-S3 request) is larger
	// than Options.MaxBufferedBody. S3 and Query: MaxMessageLengthExceeded.
	KindBodyTooLarge
)

var kindNames = [...]string{
	KindAuthorizationHeaderMalformed:      "AuthorizationHeaderMalformed",
	KindAuthorizationQueryParametersError: "AuthorizationQueryParametersError",
	KindIncompleteSignature:               "IncompleteSignature",
	KindUnsupportedAuth:                   "UnsupportedAuth",
	KindMissingDate:                       "MissingDate",
	KindHeadersNotSigned:                  "HeadersNotSigned",
	KindSignatureDoesNotMatch:             "SignatureDoesNotMatch",
	KindRequestTimeTooSkewed:              "RequestTimeTooSkewed",
	KindExpired:                           "Expired",
	KindMissingContentSHA256:              "MissingContentSHA256",
	KindInvalidContentSHA256:              "InvalidContentSHA256",
	KindContentSHA256Mismatch:             "ContentSHA256Mismatch",
	KindMissingContentLength:              "MissingContentLength",
	KindChunkSignatureMismatch:            "ChunkSignatureMismatch",
	KindIncompleteBody:                    "IncompleteBody",
	KindMalformedChunk:                    "MalformedChunk",
	KindInvalidChunkSize:                  "InvalidChunkSize",
	KindMalformedTrailer:                  "MalformedTrailer",
	KindBodyTooLarge:                      "BodyTooLarge",
}

// String returns the kind's name (not a wire code).
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Error is a verification failure. Message is in AWS's wording; the other
// fields carry what AWS returns as extra elements of the error, where they
// apply, so the server can render them without recomputing anything.
type Error struct {
	Kind    Kind
	Message string

	// For KindSignatureDoesNotMatch: the access key, the signature the client
	// sent, and what the server signed (never the key or secret).
	AccessKeyID       string
	SignatureProvided string
	StringToSign      string
	CanonicalRequest  string

	// For KindRequestTimeTooSkewed and KindExpired.
	RequestTime time.Time
	ServerTime  time.Time
	MaxSkew     time.Duration // KindRequestTimeTooSkewed
	ExpiresAt   time.Time     // KindExpired: the end of the validity window

	// For KindHeadersNotSigned: the offending header names, comma-separated.
	HeadersNotSigned string

	// Err is an underlying cause, if any.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	s := "sigv4: " + e.Kind.String() + ": " + e.Message
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error of the same kind, so that
// errors.Is(err, &sigv4.Error{Kind: sigv4.KindExpired}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind
}

// KindOf returns the kind of a *Error in err's chain, or 0 if there is none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

func newErr(k Kind, msg string) *Error { return &Error{Kind: k, Message: msg} }

// AWS's messages, reused below.
const (
	msgSignatureDoesNotMatch = "The request signature we calculated does not match the signature you provided. Check your key and signing method."
	msgHeaderCredential      = `The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`
	msgQueryCredential       = `Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`
	msgQueryRequired         = "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
	msgUnsupported           = "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."
	msgMissingDate           = "AWS authentication requires a valid Date or x-amz-date header"
	msgIncompleteBody        = "You did not provide the number of bytes specified by the Content-Length HTTP header."
	msgBodyTerminated        = "The request body terminated unexpectedly"
	msgMalformedTrailer      = "The request contained trailing data that was not well-formed or did not conform to our published schema."
	msgInvalidContentSHA256  = "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value."
)
