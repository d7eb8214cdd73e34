package condition

import (
	"bytes"
	"encoding/base64"
)

// Binary condition operator ("IAM JSON policy elements: Condition
// operators", Binary condition operators): BinaryEquals "compares the value
// of the specified key byte for byte against a base-64 encoded
// representation of the binary value in the policy". Policy variables are
// not supported.
//
// Request-context values are strings; a binary key's value is expected in
// base64 as well and is decoded before comparing. A request value that is
// not valid base64 is compared as raw bytes.

type binaryMatcher struct {
	blobs [][]byte
}

func newBinaryMatcher(cc *Compiler, _ string, values []string) *Cond {
	c, m := newCond(&cc.bins)
	for _, v := range values {
		if b, ok := decodeBase64(v); ok {
			m.blobs = append(m.blobs, b)
		}
	}
	return c
}

func (m *binaryMatcher) match(_ *Context, v string) (ok, hit bool) {
	b, ok := decodeBase64(v)
	if !ok {
		b = []byte(v)
	}
	for _, want := range m.blobs {
		if bytes.Equal(b, want) {
			return true, true
		}
	}
	return true, false
}

// decodeBase64 accepts standard base64 with or without padding.
func decodeBase64(s string) ([]byte, bool) {
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, true
	}
	if b, err := base64.RawStdEncoding.DecodeString(s); err == nil {
		return b, true
	}
	return nil, false
}
