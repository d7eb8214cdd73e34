package awserr

import "net/http"

// S3 data-plane codes
// (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).
var (
	NoSuchBucket                  = Code{"NoSuchBucket", http.StatusNotFound, "The specified bucket does not exist"}
	NoSuchKey                     = Code{"NoSuchKey", http.StatusNotFound, "The specified key does not exist."}
	NoSuchUpload                  = Code{"NoSuchUpload", http.StatusNotFound, "The specified multipart upload does not exist. The upload ID might not be valid, or the multipart upload might have been aborted or completed."}
	NoSuchVersion                 = Code{"NoSuchVersion", http.StatusNotFound, "The specified version does not exist."}
	NoSuchBucketPolicy            = Code{"NoSuchBucketPolicy", http.StatusNotFound, "The bucket policy does not exist"}
	NoSuchTagSet                  = Code{"NoSuchTagSet", http.StatusNotFound, "The TagSet does not exist"}
	BucketAlreadyExists           = Code{"BucketAlreadyExists", http.StatusConflict, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."}
	BucketAlreadyOwnedByYou       = Code{"BucketAlreadyOwnedByYou", http.StatusConflict, "Your previous request to create the named bucket succeeded and you already own it."}
	BucketNotEmpty                = Code{"BucketNotEmpty", http.StatusConflict, "The bucket you tried to delete is not empty"}
	InvalidBucketName             = Code{"InvalidBucketName", http.StatusBadRequest, "The specified bucket is not valid."}
	KeyTooLongError               = Code{"KeyTooLongError", http.StatusBadRequest, "Your key is too long"}
	MetadataTooLarge              = Code{"MetadataTooLarge", http.StatusBadRequest, "Your metadata headers exceed the maximum allowed metadata size"}
	InvalidRange                  = Code{"InvalidRange", http.StatusRequestedRangeNotSatisfiable, "The requested range is not satisfiable"}
	InvalidPartNumber             = Code{"InvalidPartNumber", http.StatusRequestedRangeNotSatisfiable, "The requested partnumber is not satisfiable"}
	InvalidDigest                 = Code{"InvalidDigest", http.StatusBadRequest, "The Content-MD5 you specified was invalid."}
	BadDigest                     = Code{"BadDigest", http.StatusBadRequest, "The Content-MD5 you specified did not match what we received."}
	InvalidPart                   = Code{"InvalidPart", http.StatusBadRequest, "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified ETag might not have matched the uploaded part's ETag."}
	InvalidPartOrder              = Code{"InvalidPartOrder", http.StatusBadRequest, "The list of parts was not in ascending order. The parts list must be specified in order by part number."}
	EntityTooSmall                = Code{"EntityTooSmall", http.StatusBadRequest, "Your proposed upload is smaller than the minimum allowed object size."}
	EntityTooLarge                = Code{"EntityTooLarge", http.StatusBadRequest, "Your proposed upload exceeds the maximum allowed object size."}
	MalformedPolicy               = Code{"MalformedPolicy", http.StatusBadRequest, "Policy has invalid resource"}
	PreconditionFailed            = Code{"PreconditionFailed", http.StatusPreconditionFailed, "At least one of the pre-conditions you specified did not hold"}
	ConditionalRequestConflict    = Code{"ConditionalRequestConflict", http.StatusConflict, "A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CompleteMultipartUpload request."}
	IllegalLocationConstraint     = Code{"IllegalLocationConstraintException", http.StatusBadRequest, "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."}
	InvalidLocationConstraint     = Code{"InvalidLocationConstraint", http.StatusBadRequest, "The specified location-constraint is not valid"}
	AccessControlListNotSupported = Code{"AccessControlListNotSupported", http.StatusBadRequest, "The bucket does not allow ACLs"}
	InvalidStorageClass           = Code{"InvalidStorageClass", http.StatusBadRequest, "The storage class you specified is not valid"}
	MissingContentLength          = Code{"MissingContentLength", http.StatusLengthRequired, "You must provide the Content-Length HTTP header."}
	PermanentRedirect             = Code{"PermanentRedirect", http.StatusMovedPermanently, "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint."}
	InvalidURI                    = Code{"InvalidURI", http.StatusBadRequest, "Couldn't parse the specified URI."}
	MissingSecurityHeader         = Code{"MissingSecurityHeader", http.StatusBadRequest, "Your request was missing a required header"}
)
