// Package sigv4 verifies AWS Signature Version 4 requests the way AWS
// services do: header-signed requests (Authorization: AWS4-HMAC-SHA256 …),
// presigned URLs (X-Amz-Algorithm … X-Amz-Signature in the query), and the
// S3 streaming payload modes (aws-chunked bodies with chained chunk
// signatures and optional trailing checksums).
//
// Verification is two steps so the caller can look the secret up in
// between: Parse extracts the access key, scope and signature without any
// secret; Verifier.Verify recomputes the signature with the secret, checks
// the clock, and wraps the request body so that reading it verifies the
// payload (hash, chunk signatures, decoded length) and fails before EOF
// when anything is wrong — a store that consumes the body then aborts and
// keeps nothing.
//
// Errors are *Error values with a Kind and AWS's message; the server maps
// kinds to wire codes per protocol. This package renders nothing.
//
// References:
//   - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
//   - https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
//   - https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
//   - https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
//   - https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
package sigv4
