package grants

import (
	"strings"
	"unicode/utf8"
)

// A scope is where a grant, a GetDataAccess target or a vended credential
// applies: one bucket and either every key that begins with a prefix or
// one exact key. It is the form the matching index and the session-policy
// generator share.
type scope struct {
	bucket string
	// key is the key prefix (prefix scopes) or the object key (exact).
	key string
	// exact: the scope is one object, key.
	exact bool
}

// matchKey is the string the index keys scopes by: "bucket/key". A
// prefix scope covers every target whose matchKey begins with its own.
func (s scope) matchKey() string { return s.bucket + "/" + s.key }

// covers reports whether s covers t: every key t names is in s.
func (s scope) covers(t scope) bool {
	if s.bucket != t.bucket {
		return false
	}
	if s.exact {
		return t.exact && t.key == s.key
	}
	return strings.HasPrefix(t.key, s.key)
}

// String is the scope as an S3 URI: s3://bucket/key for an object,
// s3://bucket/prefix* for a prefix.
func (s scope) String() string {
	if s.exact {
		return "s3://" + s.bucket + "/" + s.key
	}
	return "s3://" + s.bucket + "/" + s.key + "*"
}

// grantScopeOf returns the scope of a stored grant. A trailing "*" means
// every key that begins with what precedes it (character-level:
// s3://b/prefix* covers prefixA/x and prefix.txt); an Object grant is one
// key; a scope with neither is a prefix too (the docs' S3SubPrefix
// "2024-03-research-results/"), and a bare bucket (a bucket location
// granted whole) covers the whole bucket.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-grant.html
func grantScopeOf(grantScope, prefixType string) (scope, bool) {
	rest, ok := strings.CutPrefix(grantScope, "s3://")
	if !ok || rest == "" {
		return scope{}, false
	}
	bucket, key, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return scope{}, false
	}
	if prefixType == PrefixTypeObject {
		return scope{bucket: bucket, key: key, exact: true}, key != ""
	}
	return scope{bucket: bucket, key: strings.TrimSuffix(key, "*")}, true
}

// target is a parsed GetDataAccess target.
type target struct {
	raw string
	scope
}

// parseTarget validates a GetDataAccess target: an S3 URI s3://bucket,
// s3://bucket/, s3://bucket/prefix* (every key that begins with prefix)
// or s3://bucket/key (one object, or with targetType absent and privilege
// Default a prefix the client lists). A "*" may only end it. targetType
// Object declares the target one object and excludes a "*".
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetDataAccess.html
func parseTarget(raw, targetType string) (target, error) {
	t := target{raw: raw}
	if raw == "" {
		return t, invalidRequest("Missing required parameter target")
	}
	if n := utf8.RuneCountInString(raw); n > 2000 {
		return t, invalidRequest("Value at 'target' failed to satisfy constraint: Member must have length less than or equal to 2000")
	}
	if !utf8.ValidString(raw) {
		return t, invalidRequest("The target %q is not a valid S3 URI", raw)
	}
	if targetType != "" && targetType != PrefixTypeObject {
		return t, invalidRequest("Value '%s' at 'targetType' failed to satisfy constraint: Member must satisfy enum value set: [Object]", targetType)
	}
	rest, ok := cutScheme(raw)
	if !ok {
		return t, invalidRequest("The target %s is not a valid S3 URI: it must start with s3://", raw)
	}
	bucket, key, _ := strings.Cut(rest, "/")
	if !validBucket(bucket) {
		return t, invalidRequest("The target %s is not a valid S3 URI: %q is not a valid bucket name", raw, bucket)
	}
	wild := strings.HasSuffix(key, "*")
	if strings.Contains(strings.TrimSuffix(key, "*"), "*") {
		return t, invalidRequest("The target %s is not valid: the wildcard * may only end it", raw)
	}
	if targetType == PrefixTypeObject && (wild || key == "") {
		return t, invalidRequest("The target %s is not an object: with targetType Object the target names one object key, without a wildcard", raw)
	}
	t.bucket = bucket
	t.key = strings.TrimSuffix(key, "*")
	// s3://bucket and s3://bucket/ are the whole bucket; an object target
	// is one key. Any other target without a "*" is one key too, as far as
	// credentials go (privilege Minimal); matching treats it as a key the
	// grant's prefix must cover.
	t.exact = !wild && key != ""
	return t, nil
}

// cutScheme strips "s3://" (in any case, as the docs print S3://).
func cutScheme(s string) (string, bool) {
	if len(s) < 5 || !strings.EqualFold(s[:5], "s3://") {
		return "", false
	}
	return s[5:], true
}
