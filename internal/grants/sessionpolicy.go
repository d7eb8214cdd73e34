package grants

import (
	"strings"
	"unicode/utf8"
)

// The S3 actions vended credentials may perform, by permission: object
// actions on the scope's keys and, for reading, listing the bucket under
// the scope's prefix (s3:prefix). HeadObject is s3:GetObject and
// HeadBucket s3:ListBucket on the data plane; multipart uploads are
// s3:PutObject.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-grant.html (permission levels)
var (
	readObjectActions = []string{
		"s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAcl", "s3:GetObjectVersionAcl",
		"s3:ListMultipartUploadParts",
	}
	writeObjectActions = []string{
		"s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectVersionAcl", "s3:DeleteObject",
		"s3:DeleteObjectVersion", "s3:AbortMultipartUpload",
	}
	readBucketActions = []string{"s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"}
)

// SessionPolicy returns the session policy of credentials vended for
// permission (READ, WRITE or READWRITE) on sc: it allows the permission's
// object actions on the scope's objects only, and for READ and READWRITE
// listing the bucket only under the scope's prefix. The role's own
// policies still apply; the session can do at most the intersection.
//
// Keys are matched as IAM patterns, so a literal "*", "?" or "$" in a key
// is written as the policy variable ${*}, ${?} or ${$} (IAM policy
// variables, "Special characters"), and only the scope's own trailing "*"
// is a wildcard.
func sessionPolicy(permission string, sc scope) string {
	pattern := keyPattern(sc)
	var objActions []string
	list := false
	switch permission {
	case PermissionRead:
		objActions, list = readObjectActions, true
	case PermissionWrite:
		objActions = writeObjectActions
	default: // READWRITE
		objActions = append(append(make([]string, 0, 11), readObjectActions...), writeObjectActions...)
		list = true
	}
	var b strings.Builder
	b.Grow(512 + len(pattern)*2 + len(sc.bucket)*2)
	b.WriteString(`{"Version":"2012-10-17","Statement":[{"Sid":"AccessGrantsObjects","Effect":"Allow","Action":`)
	writeStrings(&b, objActions)
	b.WriteString(`,"Resource":`)
	b.WriteString(quoteJSON("arn:aws:s3:::" + sc.bucket + "/" + pattern))
	b.WriteString(`}`)
	if list {
		b.WriteString(`,{"Sid":"AccessGrantsList","Effect":"Allow","Action":`)
		writeStrings(&b, readBucketActions)
		b.WriteString(`,"Resource":`)
		b.WriteString(quoteJSON("arn:aws:s3:::" + sc.bucket))
		if pattern != "*" {
			// A whole-bucket scope may also list without a prefix.
			b.WriteString(`,"Condition":{"StringLike":{"s3:prefix":`)
			b.WriteString(quoteJSON(pattern))
			b.WriteString(`}}`)
		}
		b.WriteString(`}`)
	}
	b.WriteString(`]}`)
	return b.String()
}

// keyPattern is the IAM pattern of the keys in sc: the escaped key,
// followed by "*" for a prefix.
func keyPattern(sc scope) string {
	p := escapePattern(sc.key)
	if !sc.exact {
		p += "*"
	}
	return p
}

// escapePattern quotes the characters that IAM patterns and policy
// variables give a meaning to.
func escapePattern(s string) string {
	if !strings.ContainsAny(s, "*?$") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*', '?', '$':
			b.WriteString("${")
			b.WriteRune(r)
			b.WriteString("}")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func writeStrings(b *strings.Builder, ss []string) {
	b.WriteByte('[')
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(quoteJSON(s))
	}
	b.WriteByte(']')
}

// quoteJSON returns s as a JSON string literal.
func quoteJSON(s string) string {
	const hex = "0123456789abcdef"
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		case c < utf8.RuneSelf:
			b = append(b, c)
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		i++
	}
	return string(append(b, '"'))
}
