package awserr

import "net/http"

// Code is an AWS error code as it appears on the wire, with the HTTP status
// and default message AWS pairs with it. Each code is declared exactly once
// below so that status and text cannot drift between services.
type Code struct {
	// Name is the wire string, e.g. "NoSuchBucket".
	Name string
	// Status is the HTTP status AWS answers with.
	Status int
	// Message is the default human-readable message.
	Message string
}

// Codes shared by several protocols.
var (
	AccessDenied                      = Code{"AccessDenied", http.StatusForbidden, "Access Denied"}
	InternalError                     = Code{"InternalError", http.StatusInternalServerError, "We encountered an internal error. Please try again."}
	NotImplemented                    = Code{"NotImplemented", http.StatusNotImplemented, "A header or query you provided implies functionality that is not implemented."}
	InvalidRequest                    = Code{"InvalidRequest", http.StatusBadRequest, "Invalid Request"}
	InvalidArgument                   = Code{"InvalidArgument", http.StatusBadRequest, "Invalid Argument"}
	MalformedXML                      = Code{"MalformedXML", http.StatusBadRequest, "The XML you provided was not well-formed or did not validate against our published schema."}
	SignatureDoesNotMatch             = Code{"SignatureDoesNotMatch", http.StatusForbidden, "The request signature we calculated does not match the signature you provided. Check your key and signing method."}
	InvalidAccessKeyID                = Code{"InvalidAccessKeyId", http.StatusForbidden, "The AWS Access Key Id you provided does not exist in our records."}
	RequestTimeTooSkewed              = Code{"RequestTimeTooSkewed", http.StatusForbidden, "The difference between the request time and the current time is too large."}
	ExpiredToken                      = Code{"ExpiredToken", http.StatusBadRequest, "The provided token has expired."}
	InvalidToken                      = Code{"InvalidToken", http.StatusBadRequest, "The provided token is malformed or otherwise invalid."}
	AuthorizationHeaderMalformed      = Code{"AuthorizationHeaderMalformed", http.StatusBadRequest, "The authorization header is malformed."}
	AuthorizationQueryParametersError = Code{"AuthorizationQueryParametersError", http.StatusBadRequest, "Error parsing the X-Amz-Credential parameter."}
	IncompleteBody                    = Code{"IncompleteBody", http.StatusBadRequest, "You did not provide the number of bytes specified by the Content-Length HTTP header."}
	XAmzContentSHA256Mismatch         = Code{"XAmzContentSHA256Mismatch", http.StatusBadRequest, "The provided 'x-amz-content-sha256' header does not match what was computed."}
	MaxMessageLengthExceeded          = Code{"MaxMessageLengthExceeded", http.StatusBadRequest, "Your request was too big."}
	MethodNotAllowed                  = Code{"MethodNotAllowed", http.StatusMethodNotAllowed, "The specified method is not allowed against this resource."}
)

// Query protocol (IAM, STS) codes.
var (
	MalformedQueryString        = Code{"MalformedQueryString", http.StatusBadRequest, "The query string is malformed."}
	InvalidAction               = Code{"InvalidAction", http.StatusBadRequest, "The action or operation requested is invalid. Verify that the action is typed correctly."}
	InvalidClientTokenID        = Code{"InvalidClientTokenId", http.StatusForbidden, "The security token included in the request is invalid."}
	IncompleteSignature         = Code{"IncompleteSignature", http.StatusBadRequest, "The request signature does not conform to AWS standards."}
	MissingAuthenticationToken  = Code{"MissingAuthenticationToken", http.StatusForbidden, "Request is missing Authentication Token"}
	MissingAction               = Code{"MissingAction", http.StatusBadRequest, "The request is missing an action or a required parameter."}
	MissingParameter            = Code{"MissingParameter", http.StatusBadRequest, "A required parameter for the specified action is not supplied."}
	InvalidParameterValue       = Code{"InvalidParameterValue", http.StatusBadRequest, "An invalid or out-of-range value was supplied for the input parameter."}
	InvalidParameterCombination = Code{"InvalidParameterCombination", http.StatusBadRequest, "Parameters that must not be used together were used together."}
	ValidationError             = Code{"ValidationError", http.StatusBadRequest, "The input fails to satisfy the constraints specified by an AWS service."}
	RequestExpired              = Code{"RequestExpired", http.StatusBadRequest, "The request reached the service more than 15 minutes after the date stamp on the request or more than 15 minutes after the request expiration date."}
	ServiceUnavailable          = Code{"ServiceUnavailable", http.StatusServiceUnavailable, "The request has failed due to a temporary failure of the server."}
	InternalFailure             = Code{"InternalFailure", http.StatusInternalServerError, "The request processing has failed because of an unknown error, exception or failure."}
	ServiceFailure              = Code{"ServiceFailure", http.StatusInternalServerError, "The request processing has failed because of an unknown error, exception or failure."}
	// ExpiredTokenQuery is ExpiredToken as IAM and STS answer it (403),
	// unlike S3's 400 ExpiredToken.
	ExpiredTokenQuery = Code{"ExpiredToken", http.StatusForbidden, "The security token included in the request is expired"}
)

// STS codes (botocore sts service-2.json error shapes).
var (
	PackedPolicyTooLarge  = Code{"PackedPolicyTooLarge", http.StatusBadRequest, "The request was rejected because the total packed size of the session policies and session tags combined was too large."}
	InvalidIdentityToken  = Code{"InvalidIdentityToken", http.StatusBadRequest, "The web identity token that was passed could not be validated by Amazon Web Services."}
	IDPRejectedClaim      = Code{"IDPRejectedClaim", http.StatusForbidden, "The identity provider (IdP) reported that authentication failed."}
	IDPCommunicationError = Code{"IDPCommunicationError", http.StatusBadRequest, "The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached."}
)

// JSON protocol codes (Organizations and friends).
var (
	UnknownOperationException           = Code{"UnknownOperationException", http.StatusBadRequest, "The action or operation requested is invalid."}
	SerializationException              = Code{"SerializationException", http.StatusBadRequest, "Start of structure or map found where not expected."}
	ValidationException                 = Code{"ValidationException", http.StatusBadRequest, "Invalid input."}
	AccessDeniedException               = Code{"AccessDeniedException", http.StatusBadRequest, "You don't have permissions to access this resource."}
	InternalFailureException            = Code{"InternalFailure", http.StatusInternalServerError, "The request processing has failed because of an unknown error, exception or failure."}
	UnrecognizedClientException         = Code{"UnrecognizedClientException", http.StatusBadRequest, "The security token included in the request is invalid."}
	MissingAuthenticationTokenException = Code{"MissingAuthenticationTokenException", http.StatusBadRequest, "Missing Authentication Token"}
	InvalidSignatureException           = Code{"InvalidSignatureException", http.StatusBadRequest, "The request signature we calculated does not match the signature you provided."}
	ExpiredTokenException               = Code{"ExpiredTokenException", http.StatusBadRequest, "The security token included in the request is expired"}
)

// S3 Control codes of S3 Access Grants.
// Codes, statuses and messages: the S3 Access Grants spec, §4.4 (from the
// S3 Control API reference of each operation).
var (
	AccessGrantAlreadyExists                    = Code{"AccessGrantAlreadyExists", http.StatusConflict, "The specified access grant already exists"}
	AccessGrantsInstanceAlreadyExists           = Code{"AccessGrantsInstanceAlreadyExists", http.StatusConflict, "Access Grants Instance already exists"}
	AccessGrantsInstanceNotEmptyError           = Code{"AccessGrantsInstanceNotEmptyError", http.StatusBadRequest, "Please clean up locations before deleting the access grants instance"}
	AccessGrantsInstanceNotExistsError          = Code{"AccessGrantsInstanceNotExistsError", http.StatusNotFound, "Access Grants Instance does not exist"}
	AccessGrantsInstanceResourcePolicyNotExists = Code{"AccessGrantsInstanceResourcePolicyNotExists", http.StatusNotFound, "Access Grants Instance Resource Policy does not exist"}
	AccessGrantsLocationAlreadyExistsError      = Code{"AccessGrantsLocationAlreadyExistsError", http.StatusConflict, "The specified access grants location already exists"}
	AccessGrantsLocationNotEmptyError           = Code{"AccessGrantsLocationNotEmptyError", http.StatusBadRequest, "Please clean up access grants before deleting access grants location"}
	AccessGrantsLocationsQuotaExceededError     = Code{"AccessGrantsLocationsQuotaExceededError", http.StatusConflict, "The access grants location quota has been exceeded."}
	AccessGrantsQuotaExceededError              = Code{"AccessGrantsQuotaExceededError", http.StatusConflict, "The access grants quota has been exceeded."}
	InvalidAccessGrant                          = Code{"InvalidAccessGrant", http.StatusBadRequest, "The specified Access Grant is invalid"}
	InvalidAccessGrantsLocation                 = Code{"InvalidAccessGrantsLocation", http.StatusBadRequest, "The specified Access Grants Location is invalid"}
	InvalidIamRole                              = Code{"InvalidIamRole", http.StatusBadRequest, "The specified IAM Role is invalid"}
	InvalidIdentityCenterInstance               = Code{"InvalidIdentityCenterInstance", http.StatusBadRequest, "The specified identity center instance is invalid"}
	InvalidResourcePolicy                       = Code{"InvalidResourcePolicy", http.StatusBadRequest, "The specified Resource Policy is invalid"}
	InvalidTag                                  = Code{"InvalidTag", http.StatusBadRequest, "The tag provided was not a valid tag."}
	InvalidTags                                 = Code{"InvalidTags", http.StatusBadRequest, "System tags cannot be added/updated by requester"}
	TooManyTags                                 = Code{"TooManyTags", http.StatusBadRequest, "The number of tags exceeds the limit of 50 tags"}
	NoSuchAccessGrantError                      = Code{"NoSuchAccessGrantError", http.StatusNotFound, "The specified access grant does not exist"}
	NoSuchAccessGrantsLocationError             = Code{"NoSuchAccessGrantsLocationError", http.StatusNotFound, "The specified access grants location does not exist"}
	// GetDataAccess's answers when STS refuses to assume the location role.
	StsNotAuthorizedError        = Code{"StsNotAuthorizedError", http.StatusForbidden, "User: access-grants.s3.amazonaws.com is not authorized to perform: sts:AssumeRole"}
	StsValidationError           = Code{"StsValidationError", http.StatusBadRequest, "The request was rejected by STS validation"}
	StsPackedPolicyTooLargeError = Code{"StsPackedPolicyTooLargeError", http.StatusBadRequest, "The session policy is too large"}
)
