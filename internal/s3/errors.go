package s3

import (
	"errors"
	"fmt"

	"github.com/grantd/grantd/internal/errs"
)

// Detail is an extra element S3 puts in an error body, such as BucketName
// or ActualObjectSize.
type Detail struct {
	Name  string
	Value string
}

// DetailedError is a domain error with extra elements for the wire.
type DetailedError struct {
	Err     *errs.Error
	Details []Detail
}

// Error implements error.
func (e *DetailedError) Error() string { return e.Err.Error() }

// Unwrap returns the classified error, so errs.As finds it.
func (e *DetailedError) Unwrap() error { return e.Err }

// DetailsOf returns the extra elements of err, if any.
func DetailsOf(err error) []Detail {
	var d *DetailedError
	if errors.As(err, &d) {
		return d.Details
	}
	return nil
}

// fail returns a domain error whose reason is the S3 error code, with
// name/value pairs as details.
func fail(k errs.Kind, code, msg string, details ...string) error {
	e := &errs.Error{Kind: k, Reason: code, Msg: msg}
	if len(details) == 0 {
		return e
	}
	d := &DetailedError{Err: e}
	for i := 0; i+1 < len(details); i += 2 {
		d.Details = append(d.Details, Detail{details[i], details[i+1]})
	}
	return d
}

// The S3 error codes the domain returns. The wire layer maps each reason
// to its code, status and AWS's default message; messages here are set
// only where S3 words them specifically.
const (
	codeNoSuchBucket            = "NoSuchBucket"
	codeNoSuchKey               = "NoSuchKey"
	codeNoSuchUpload            = "NoSuchUpload"
	codeNoSuchBucketPolicy      = "NoSuchBucketPolicy"
	codeNoSuchTagSet            = "NoSuchTagSet"
	codeBucketAlreadyExists     = "BucketAlreadyExists"
	codeBucketAlreadyOwnedByYou = "BucketAlreadyOwnedByYou"
	codeBucketNotEmpty          = "BucketNotEmpty"
	codeInvalidBucketName       = "InvalidBucketName"
	codeKeyTooLong              = "KeyTooLongError"
	codeMetadataTooLarge        = "MetadataTooLarge"
	codeInvalidArgument         = "InvalidArgument"
	codeInvalidRequest          = "InvalidRequest"
	codeInvalidRange            = "InvalidRange"
	codeInvalidDigest           = "InvalidDigest"
	codeBadDigest               = "BadDigest"
	codeInvalidPart             = "InvalidPart"
	codeInvalidPartOrder        = "InvalidPartOrder"
	codeEntityTooSmall          = "EntityTooSmall"
	codeEntityTooLarge          = "EntityTooLarge"
	codeMalformedXML            = "MalformedXML"
	codeMalformedPolicy         = "MalformedPolicy"
	codeInvalidTag              = "InvalidTag"
	codePreconditionFailed      = "PreconditionFailed"
	codeConditionalConflict     = "ConditionalRequestConflict"
	codeAccessDenied            = "AccessDenied"
	codeIllegalLocation         = "IllegalLocationConstraintException"
	codeInvalidLocation         = "InvalidLocationConstraint"
	codeAuthorizationMalformed  = "AuthorizationHeaderMalformed"
	codeIncompleteBody          = "IncompleteBody"
	codeNotImplemented          = "NotImplemented"
	codeInvalidStorageClass     = "InvalidStorageClass"
	codeMissingContentLength    = "MissingContentLength"
	codeInternalError           = "InternalError"
	codeMethodNotAllowed        = "MethodNotAllowed"
)

func noSuchBucket(name string) error {
	return fail(errs.NotFound, codeNoSuchBucket, "The specified bucket does not exist", "BucketName", name)
}

func noSuchKey(key string) error {
	return fail(errs.NotFound, codeNoSuchKey, "The specified key does not exist.", "Key", key)
}

func noSuchUpload(id string) error {
	return fail(errs.NotFound, codeNoSuchUpload, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", "UploadId", id)
}

func invalidArgument(msg, name, value string) error {
	return fail(errs.Invalid, codeInvalidArgument, msg, "ArgumentName", name, "ArgumentValue", value)
}

func invalidRequest(msg string) error { return fail(errs.Invalid, codeInvalidRequest, msg) }

func accessDenied() error { return fail(errs.Denied, codeAccessDenied, "Access Denied") }

func preconditionFailed(condition string) error {
	return fail(errs.Precondition, codePreconditionFailed, "At least one of the pre-conditions you specified did not hold", "Condition", condition)
}

// internal wraps an unexpected failure (store, blobs) with context; the
// wire layer renders it as InternalError and logs the cause.
func internal(err error, format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, err)...)
}
