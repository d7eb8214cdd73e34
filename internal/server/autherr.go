package server

import (
	"errors"
	"net/http"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/sigv4"
)

// JSON-protocol authentication codes (they are all 400s there) and S3's
// few extra ones.
var (
	incompleteSignatureException = awserr.Code{Name: "IncompleteSignatureException", Status: http.StatusBadRequest, Message: "The request signature does not conform to AWS standards."}
	invalidChunkSize             = awserr.Code{Name: "InvalidChunkSizeError", Status: http.StatusForbidden, Message: "Only the last chunk is allowed to have a size less than 8192 bytes"}
	malformedTrailer             = awserr.Code{Name: "MalformedTrailerError", Status: http.StatusBadRequest, Message: "The request contained trailing data that was not well-formed or did not conform to our published schema."}
	missingContentLength         = awserr.Code{Name: "MissingContentLength", Status: http.StatusLengthRequired, Message: "You must provide the Content-Length HTTP header."}
)

// authError renders an authentication failure in the protocol of the
// service that was called: the same failure is InvalidAccessKeyId in S3,
// InvalidClientTokenId in IAM/STS and UnrecognizedClientException in JSON
// services.
func authError(p awserr.Protocol, err error) error {
	switch {
	case errors.Is(err, auth.ErrUnknownKey):
		return pick(p, awserr.InvalidAccessKeyID, awserr.InvalidClientTokenID, awserr.UnrecognizedClientException)
	case errors.Is(err, auth.ErrInvalidToken):
		return pick(p, awserr.InvalidToken, awserr.InvalidClientTokenID, awserr.UnrecognizedClientException)
	case errors.Is(err, auth.ErrExpiredToken):
		return pick(p, awserr.ExpiredToken, awserr.ExpiredTokenQuery, awserr.ExpiredTokenException)
	}
	var se *sigv4.Error
	if !errors.As(err, &se) {
		return err // a store failure: InternalError
	}
	e := &awserr.Error{Code: sigCode(p, se.Kind), Message: se.Message, Err: err}
	if p != awserr.S3 && p != awserr.S3Control {
		return e
	}
	switch se.Kind {
	case sigv4.KindSignatureDoesNotMatch:
		e.Fields = append(e.Fields, awserr.Field{Name: "AWSAccessKeyId", Value: se.AccessKeyID},
			awserr.Field{Name: "StringToSign", Value: se.StringToSign},
			awserr.Field{Name: "SignatureProvided", Value: se.SignatureProvided},
			awserr.Field{Name: "CanonicalRequest", Value: se.CanonicalRequest})
	case sigv4.KindRequestTimeTooSkewed:
		e.Fields = append(e.Fields, awserr.Field{Name: "RequestTime", Value: se.RequestTime.Format(http.TimeFormat)},
			awserr.Field{Name: "ServerTime", Value: se.ServerTime.UTC().Format("2006-01-02T15:04:05Z")},
			awserr.Field{Name: "MaxAllowedSkewMilliseconds", Value: "900000"})
	}
	return e
}

func pick(p awserr.Protocol, s3, query, json awserr.Code) error {
	switch p {
	case awserr.Query:
		return awserr.New(query)
	case awserr.JSON, awserr.RESTJSON:
		return awserr.New(json)
	}
	return awserr.New(s3)
}

// sigCode maps a signature failure to the protocol's code.
func sigCode(p awserr.Protocol, k sigv4.Kind) awserr.Code {
	if p == awserr.JSON || p == awserr.RESTJSON {
		switch k {
		case sigv4.KindSignatureDoesNotMatch, sigv4.KindRequestTimeTooSkewed, sigv4.KindExpired, sigv4.KindChunkSignatureMismatch:
			return awserr.InvalidSignatureException
		}
		return incompleteSignatureException
	}
	if p == awserr.Query {
		switch k {
		case sigv4.KindSignatureDoesNotMatch, sigv4.KindRequestTimeTooSkewed, sigv4.KindChunkSignatureMismatch:
			return awserr.SignatureDoesNotMatch
		case sigv4.KindExpired:
			return awserr.RequestExpired
		case sigv4.KindBodyTooLarge:
			return awserr.MaxMessageLengthExceeded
		}
		return awserr.IncompleteSignature
	}
	switch k {
	case sigv4.KindAuthorizationHeaderMalformed, sigv4.KindIncompleteSignature:
		return awserr.AuthorizationHeaderMalformed
	case sigv4.KindAuthorizationQueryParametersError:
		return awserr.AuthorizationQueryParametersError
	case sigv4.KindUnsupportedAuth, sigv4.KindMissingContentSHA256:
		return awserr.InvalidRequest
	case sigv4.KindInvalidContentSHA256:
		return awserr.InvalidArgument
	case sigv4.KindMissingDate, sigv4.KindHeadersNotSigned, sigv4.KindExpired:
		return awserr.AccessDenied
	case sigv4.KindSignatureDoesNotMatch, sigv4.KindChunkSignatureMismatch:
		return awserr.SignatureDoesNotMatch
	case sigv4.KindRequestTimeTooSkewed:
		return awserr.RequestTimeTooSkewed
	case sigv4.KindContentSHA256Mismatch:
		return awserr.XAmzContentSHA256Mismatch
	case sigv4.KindMissingContentLength:
		return missingContentLength
	case sigv4.KindIncompleteBody, sigv4.KindMalformedChunk:
		return awserr.IncompleteBody
	case sigv4.KindInvalidChunkSize:
		return invalidChunkSize
	case sigv4.KindMalformedTrailer:
		return malformedTrailer
	case sigv4.KindBodyTooLarge:
		return awserr.MaxMessageLengthExceeded
	}
	return awserr.AccessDenied
}
