package s3api

import (
	"net/http"

	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/s3"
)

// codes maps the domain's reasons (S3 error codes) to wire codes.
var codes = func() map[string]awserr.Code {
	m := map[string]awserr.Code{}
	for _, c := range []awserr.Code{
		awserr.NoSuchBucket, awserr.NoSuchKey, awserr.NoSuchUpload, awserr.NoSuchVersion,
		awserr.NoSuchBucketPolicy, awserr.NoSuchTagSet, awserr.BucketAlreadyExists,
		awserr.BucketAlreadyOwnedByYou, awserr.BucketNotEmpty, awserr.InvalidBucketName,
		awserr.KeyTooLongError, awserr.MetadataTooLarge, awserr.InvalidRange, awserr.InvalidPartNumber,
		awserr.InvalidDigest, awserr.BadDigest, awserr.InvalidPart, awserr.InvalidPartOrder,
		awserr.EntityTooSmall, awserr.EntityTooLarge, awserr.MalformedPolicy, awserr.InvalidTag,
		awserr.PreconditionFailed, awserr.ConditionalRequestConflict, awserr.IllegalLocationConstraint,
		awserr.InvalidLocationConstraint, awserr.AccessControlListNotSupported, awserr.InvalidStorageClass,
		awserr.MissingContentLength, awserr.MalformedXML, awserr.InvalidArgument, awserr.InvalidRequest,
		awserr.NotImplemented, awserr.IncompleteBody, awserr.MethodNotAllowed, awserr.AccessDenied,
		awserr.AuthorizationHeaderMalformed, awserr.MaxMessageLengthExceeded, awserr.InternalError,
	} {
		m[c.Name] = c
	}
	return m
}()

// byKind is the code of a domain error whose reason is not an S3 code.
var byKind = map[errs.Kind]awserr.Code{
	errs.Invalid:       awserr.InvalidRequest,
	errs.NotFound:      awserr.NoSuchKey,
	errs.Conflict:      awserr.ConditionalRequestConflict,
	errs.Denied:        awserr.AccessDenied,
	errs.LimitExceeded: awserr.InvalidRequest,
	errs.Precondition:  awserr.PreconditionFailed,
}

// toWire maps a domain error to its S3 wire error. Errors that are not
// domain errors (a store failure, a body whose signature failed) pass
// through: the router renders them.
func toWire(err error) error {
	e, ok := errs.As(err)
	if !ok {
		return err
	}
	code, known := codes[e.Reason]
	if !known {
		if code, known = byKind[e.Kind]; !known {
			return err
		}
	}
	we := &awserr.Error{Code: code, Message: e.Msg, Err: err}
	for _, d := range s3.DetailsOf(err) {
		we.Fields = append(we.Fields, awserr.Field{Name: d.Name, Value: d.Value})
	}
	return we
}

// wireError maps err and sets the headers S3 sends with some errors: the
// bucket's region when the request was signed for another one (as a 301
// PermanentRedirect for HEAD, which has no body to carry the region).
func (h *Handler) wireError(w http.ResponseWriter, r *request, err error) error {
	we := toWire(err)
	e, ok := we.(*awserr.Error)
	if !ok {
		return we
	}
	if e.Code.Name == s3.WrongRegion {
		for _, f := range e.Fields {
			if f.Name == "Region" {
				w.Header().Set("x-amz-bucket-region", f.Value)
			}
		}
		if r.Method == http.MethodHead {
			return awserr.New(awserr.PermanentRedirect)
		}
	}
	return e
}

func notImplemented() error {
	return awserr.New(awserr.NotImplemented)
}
