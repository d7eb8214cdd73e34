package condition

import "sort"

// Context is the request context that conditions and policy variables read:
// a set of condition keys, each with zero or more string values, exactly as
// AWS transmits them (numbers, dates, booleans and IP addresses are strings
// here; operators parse them).
//
// Keys are case-insensitive ("IAM policy elements: Variables and tags": "Key
// names are case-insensitive. For example, aws:CurrentTime is equivalent to
// AWS:currenttime"). Set lower-cases a key once; the evaluator compares
// pre-lower-cased keys, so lookups do not allocate.
//
// The zero value is an empty context ready to use; a nil *Context is an empty
// context too. A Context may be read concurrently but not written
// concurrently with reads.
type Context struct {
	keys []string   // lower-cased
	vals [][]string // vals[i] belongs to keys[i]
}

// NewContext returns an empty context with room for n keys.
func NewContext(n int) *Context {
	return &Context{keys: make([]string, 0, n), vals: make([][]string, 0, n)}
}

// Set gives key the values, replacing any earlier values. Setting a key with
// no values makes it present with an empty set of values, which is not the
// same as absent: ForAllValues is true and ForAnyValue false on it, and Null
// reports it as present. The values slice is kept, not copied.
func (c *Context) Set(key string, values ...string) {
	k := lowerASCII(key)
	if i := c.index(k); i >= 0 {
		c.vals[i] = values
		return
	}
	c.keys = append(c.keys, k)
	c.vals = append(c.vals, values)
}

// Add appends values to those key already has (or sets them if it has none).
func (c *Context) Add(key string, values ...string) {
	k := lowerASCII(key)
	if i := c.index(k); i >= 0 {
		c.vals[i] = append(c.vals[i][:len(c.vals[i]):len(c.vals[i])], values...)
		return
	}
	c.keys = append(c.keys, k)
	c.vals = append(c.vals, values)
}

// Delete removes key.
func (c *Context) Delete(key string) {
	i := c.index(lowerASCII(key))
	if i < 0 {
		return
	}
	last := len(c.keys) - 1
	c.keys[i], c.vals[i] = c.keys[last], c.vals[last]
	c.keys, c.vals = c.keys[:last], c.vals[:last]
}

// Get returns the values of key, compared case-insensitively, and whether the
// key is present. It does not allocate.
func (c *Context) Get(key string) ([]string, bool) {
	if c == nil {
		return nil, false
	}
	for i, k := range c.keys {
		if len(k) == len(key) && equalFoldASCII(k, key) {
			return c.vals[i], true
		}
	}
	return nil, false
}

// Lookup is Get for a key that is already lower-case, as compiled conditions
// and variables hold them. It is the evaluator's hot path.
func (c *Context) Lookup(lowerKey string) ([]string, bool) {
	if c == nil {
		return nil, false
	}
	for i, k := range c.keys {
		if k == lowerKey {
			return c.vals[i], true
		}
	}
	return nil, false
}

// Len returns the number of keys.
func (c *Context) Len() int {
	if c == nil {
		return 0
	}
	return len(c.keys)
}

// Keys returns the (lower-cased) keys in sorted order.
func (c *Context) Keys() []string {
	if c == nil {
		return nil
	}
	out := append([]string(nil), c.keys...)
	sort.Strings(out)
	return out
}

// Clone returns a copy of c that can be changed without affecting c. Value
// slices are shared until replaced.
func (c *Context) Clone() *Context {
	if c == nil {
		return &Context{}
	}
	return &Context{keys: append([]string(nil), c.keys...), vals: append([][]string(nil), c.vals...)}
}

func (c *Context) index(lowerKey string) int {
	for i, k := range c.keys {
		if k == lowerKey {
			return i
		}
	}
	return -1
}

// knownKeys interns the lower-case forms of common global condition keys so
// that compiling policies and building contexts does not allocate for them.
var knownKeys = map[string]string{}

func init() {
	for _, k := range []string{
		"aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:CurrentTime", "aws:EpochTime",
		"aws:FederatedProvider", "aws:MultiFactorAuthAge", "aws:MultiFactorAuthPresent", "aws:PrincipalAccount",
		"aws:PrincipalArn", "aws:PrincipalIsAWSService", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
		"aws:PrincipalServiceName", "aws:PrincipalServiceNamesList", "aws:PrincipalType", "aws:Referer",
		"aws:RequestedRegion", "aws:SecureTransport", "aws:SourceAccount", "aws:SourceArn", "aws:SourceIp",
		"aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceVpc", "aws:SourceVpce", "aws:TagKeys",
		"aws:TokenIssueTime", "aws:UserAgent", "aws:userid", "aws:username", "aws:ViaAWSService",
		"aws:VpcSourceIp", "aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths",
		"aws:SourceIdentity", "aws:RequestTag", "aws:ResourceTag", "aws:PrincipalTag",
		"s3:prefix", "s3:delimiter", "s3:max-keys", "s3:x-amz-acl", "s3:x-amz-server-side-encryption",
		"s3:ExistingObjectTag", "s3:RequestObjectTagKeys", "s3:DataAccessPointArn", "s3:DataAccessPointAccount",
		"s3:AccessGrantsInstanceArn", "s3:ResourceAccount", "s3:signatureversion", "s3:authType",
		"sts:ExternalId", "sts:RoleSessionName", "sts:SourceIdentity", "sts:TransitiveTagKeys",
		"iam:PermissionsBoundary", "iam:PolicyARN", "iam:PassedToService",
	} {
		knownKeys[lowerCopy(k)] = lowerCopy(k)
	}
}

func lowerCopy(s string) string {
	return string(appendLowerASCII(nil, s))
}

// lowerASCII lower-cases ASCII letters, returning s itself (no allocation)
// when it has none, or an interned string for common keys. Condition keys are ASCII in practice; other bytes are
// left as they are, so a key differing only in non-ASCII case is a different
// key.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			if k, ok := internedKey(s); ok {
				return k
			}
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// internedKey returns the interned lower-case form of s, if it is a common
// key with upper-case letters.
func internedKey(s string) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	var buf [64]byte
	k, ok := knownKeys[string(appendLowerASCII(buf[:0], s))]
	return k, ok
}

// equalFoldASCII reports whether a (already lower-case) equals b with b's
// ASCII letters lower-cased.
func equalFoldASCII(a, b string) bool {
	for i := 0; i < len(a); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if a[i] != c {
			return false
		}
	}
	return true
}

// LowerKey returns key in the form Lookup expects.
func LowerKey(key string) string { return lowerASCII(key) }
