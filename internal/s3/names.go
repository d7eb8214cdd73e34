package s3

import (
	"net/netip"
	"strings"
	"unicode/utf8"

	"github.com/grantd/grantd/internal/errs"
)

// ValidBucketName reports whether name follows the naming rules of general
// purpose buckets
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
// 3 to 63 characters of lower-case letters, digits, dots and hyphens,
// starting and ending with a letter or digit, no two adjacent dots, not an
// IPv4 address, and none of the reserved prefixes and suffixes.
func ValidBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '.' || c == '-':
			if i == 0 || i == len(name)-1 {
				return false
			}
			if c == '.' && name[i-1] == '.' {
				return false
			}
		default:
			return false
		}
	}
	if addr, err := netip.ParseAddr(name); err == nil && addr.Is4() {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return false
		}
	}
	return true
}

func invalidBucketName(name string) error {
	return fail(errs.Invalid, codeInvalidBucketName, "The specified bucket is not valid.", "BucketName", name)
}

// checkKey validates an object key: at most MaxKeyLen bytes of UTF-8.
// S3 stores keys as UTF-8, and so does the metadata store (PostgreSQL
// rejects other bytes and NUL in text).
func checkKey(key string) error {
	switch {
	case len(key) > MaxKeyLen:
		return fail(errs.Invalid, codeKeyTooLong, "Your key is too long", "Size", itoa(len(key)), "MaxSizeAllowed", itoa(MaxKeyLen))
	case key == "":
		return invalidArgument("Object key must not be empty", "key", "")
	case !utf8.ValidString(key) || strings.IndexByte(key, 0) >= 0:
		return invalidArgument("Object key is not valid UTF-8", "key", "")
	}
	return nil
}
