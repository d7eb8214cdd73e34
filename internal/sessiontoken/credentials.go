package sessiontoken

import (
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"io"
)

// AccessKeyIDPrefix starts every temporary access key ID, as on AWS
// (long-term keys start with AKIA).
const AccessKeyIDPrefix = "ASIA"

const (
	accessKeyIDLen = 20
	secretLen      = 40
)

// NewAccessKeyID returns a fresh temporary access key ID: "ASIA" followed
// by 16 characters of the RFC 4648 base32 alphabet (A–Z, 2–7), which is the
// shape of AWS's key IDs. The 16 characters carry 80 random bits read from
// rand (use crypto/rand.Reader).
func NewAccessKeyID(rand io.Reader) (string, error) {
	var b [10]byte // 10 bytes = 80 bits = exactly 16 base32 characters
	if _, err := io.ReadFull(rand, b[:]); err != nil {
		return "", fmt.Errorf("sessiontoken: reading randomness: %w", err)
	}
	return AccessKeyIDPrefix + base32.StdEncoding.EncodeToString(b[:]), nil
}

// ValidAccessKeyID reports whether s has the form NewAccessKeyID returns.
// Front ends can use it to tell a temporary key ID from a long-term one
// before looking anything up.
func ValidAccessKeyID(s string) bool {
	if len(s) != accessKeyIDLen || s[:len(AccessKeyIDPrefix)] != AccessKeyIDPrefix {
		return false
	}
	for i := len(AccessKeyIDPrefix); i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}

// NewSecret returns a fresh secret access key: 40 characters of the standard
// base64 alphabet (A–Z, a–z, 0–9, +, /), like AWS's, carrying 240 random
// bits read from rand (use crypto/rand.Reader).
func NewSecret(rand io.Reader) (string, error) {
	var b [30]byte // 30 bytes = 240 bits = exactly 40 base64 characters, no padding
	if _, err := io.ReadFull(rand, b[:]); err != nil {
		return "", fmt.Errorf("sessiontoken: reading randomness: %w", err)
	}
	return base64.StdEncoding.EncodeToString(b[:]), nil
}
