package s3

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
)

// Tag limits (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html).
const (
	MaxObjectTags  = 10
	MaxBucketTags  = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

func invalidTag(msg string) error { return fail(errs.Invalid, codeInvalidTag, msg) }

// checkTags validates a tag set: at most max tags, keys of 1 to 128 and
// values of up to 256 characters from S3's allowed set, no duplicate keys,
// no aws: keys.
func checkTags(tags []meta.Tag, max int) error {
	if len(tags) > max {
		if max == MaxObjectTags {
			return invalidTag("Object tags cannot be greater than 10")
		}
		return invalidTag("Bucket tag count cannot be greater than 50")
	}
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		n := utf8.RuneCountInString(t.Key)
		switch {
		case n == 0 || n > maxTagKeyLen || !validTagText(t.Key):
			return invalidTag("The TagKey you have provided is invalid")
		case utf8.RuneCountInString(t.Value) > maxTagValueLen || !validTagText(t.Value):
			return invalidTag("The TagValue you have provided is invalid")
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return invalidTag("System tags cannot be added/updated by requester")
		case seen[t.Key]:
			return invalidTag("Cannot provide multiple Tags with the same key")
		}
		seen[t.Key] = true
	}
	return nil
}

// validTagText reports whether s has only the characters tags allow:
// letters, digits, white space and + - = . _ : / @.
func validTagText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsSpace(r) && !unicode.IsMark(r) && !strings.ContainsRune("+-=._:/@", r) {
			return false
		}
	}
	return true
}

// ParseTaggingHeader parses the x-amz-tagging header: URL query syntax,
// "k1=v1&k2=v2".
func ParseTaggingHeader(h string) ([]meta.Tag, error) {
	if h == "" {
		return nil, nil
	}
	bad := invalidArgument("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.", "x-amz-tagging", h)
	var tags []meta.Tag
	seen := map[string]bool{}
	for _, pair := range strings.Split(h, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || seen[key] {
			return nil, bad
		}
		seen[key] = true
		tags = append(tags, meta.Tag{Key: key, Value: val})
	}
	return tags, checkTags(tags, MaxObjectTags)
}
