package s3

import (
	"strings"
	"time"

	"github.com/grantd/grantd/internal/meta"
)

// Conditions are the conditional headers of a read (If-Match…) or of a
// copy's source (x-amz-copy-source-if-match…). Unparseable dates are left
// nil by the wire layer: HTTP says to ignore them.
type Conditions struct {
	IfMatch           string
	IfNoneMatch       string
	IfModifiedSince   *time.Time
	IfUnmodifiedSince *time.Time
}

// Check evaluates the conditions against o in S3's order
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html and
// RFC 9110 §13.2.2): If-Match, else If-Unmodified-Since, may fail the
// request (412); then If-None-Match, else If-Modified-Since, may make it
// "not modified". So If-Match true overrides a failing
// If-Unmodified-Since, and a matching If-None-Match answers "not modified"
// whatever If-Modified-Since says. The names returned with
// PreconditionFailed are the headers that failed, as S3 reports them.
func (c Conditions) Check(o *meta.Object) (notModified bool, failed string) {
	modified := o.LastModified.Truncate(time.Second)
	switch {
	case c.IfMatch != "":
		if !etagMatches(c.IfMatch, o.ETag) {
			return false, "If-Match"
		}
	case c.IfUnmodifiedSince != nil:
		if modified.After(*c.IfUnmodifiedSince) {
			return false, "If-Unmodified-Since"
		}
	}
	switch {
	case c.IfNoneMatch != "":
		return etagMatches(c.IfNoneMatch, o.ETag), ""
	case c.IfModifiedSince != nil:
		return !modified.After(*c.IfModifiedSince), ""
	}
	return false, ""
}

// etagMatches reports whether the If-Match/If-None-Match list names etag
// (unquoted) or is "*".
func etagMatches(list, etag string) bool {
	for _, e := range strings.Split(list, ",") {
		e = strings.TrimSpace(e)
		if e == "*" {
			return true
		}
		e = strings.TrimPrefix(e, "W/")
		if strings.Trim(e, `"`) == etag {
			return true
		}
	}
	return false
}
