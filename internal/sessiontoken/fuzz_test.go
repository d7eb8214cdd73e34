package sessiontoken

import (
	"crypto/sha3"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzOpen feeds Open arbitrary tokens and access key IDs. Open must not
// panic, must return one of its four errors or claims, and must return
// claims only for a token Seal made, with the access key ID it was made
// for: no modification of a token survives.
func FuzzOpen(f *testing.F) {
	r := testRing(f, testKey(f, 1, 1), testKey(f, 2, 2))
	old := testRing(f, testKey(f, 2, 2))
	// The fuzzing workers are separate processes that each run this setup:
	// the seed tokens must come out the same in all of them.
	r.rand, old.rand = deterministic("fuzz r"), deterministic("fuzz old")
	type sealed struct {
		akid   string
		claims *Claims
	}
	valid := map[string]sealed{}
	add := func(r *Keyring, c *Claims) string {
		tok := seal(f, r, c)
		valid[tok] = sealed{c.AccessKeyID, c}
		return tok
	}
	full, role := fullClaims(), roleClaims()
	expired := roleClaims()
	expired.Expiration = now
	tokens := []string{add(r, full), add(r, role), add(old, role), seal(f, r, expired)}
	for _, tok := range tokens {
		f.Add(tok, role.AccessKeyID)
		f.Add(tok, full.AccessKeyID)
		f.Add(tok[:len(tok)/2], role.AccessKeyID)
		f.Add(tok[:len(tok)-1], role.AccessKeyID)
		f.Add(tok+"A", role.AccessKeyID)
		f.Add(strings.Replace(tok, "A", "B", 1), role.AccessKeyID)
	}
	f.Add("", "")
	f.Add("AQAAAAE", role.AccessKeyID)
	f.Add(strings.Repeat("A", 100), role.AccessKeyID)
	f.Add(strings.Repeat("_", MaxTokenLen+1), role.AccessKeyID)
	f.Add("FwoGZXIvYXdzEBYaDH2yXbfEXAMPLE==", "ASIAIOSFODNN7EXAMPLE")
	f.Add("\x00\xff\n\r=", "\x00")

	f.Fuzz(func(t *testing.T, token, akid string) {
		c, err := r.Open(token, akid, now)
		if err != nil {
			if c != nil {
				t.Fatalf("claims returned with error %v", err)
			}
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnknownKey) &&
				!errors.Is(err, ErrInvalid) && !errors.Is(err, ErrExpired) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		s, ok := valid[token]
		if !ok {
			t.Fatalf("Open accepted a token Seal never made: %q", token)
		}
		if akid != s.akid {
			t.Fatalf("Open accepted access key ID %q for a token of %q", akid, s.akid)
		}
		if diff := cmp.Diff(s.claims, c, cmpClaims); diff != "" {
			t.Fatalf("claims (-want +got):\n%s", diff)
		}
	})
}

// FuzzDecodeClaims checks the claims decoder on its own, where the fuzzer
// reaches far more of it than through the AEAD: no panic, and whatever it
// accepts re-encodes to claims that decode the same.
func FuzzDecodeClaims(f *testing.F) {
	f.Add(string(appendClaims(nil, fullClaims())))
	f.Add(string(appendClaims(nil, roleClaims())))
	f.Add(string(cat(field(tagSecretAccessKey, "s"), field(0x90, "x"))))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		var c Claims
		if err := decodeClaims(s, &c); err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			return
		}
		var again Claims
		if err := decodeClaims(string(appendClaims(nil, &c)), &again); err != nil {
			t.Fatalf("re-encoding does not decode: %v", err)
		}
		if diff := cmp.Diff(&c, &again, cmpClaims); diff != "" {
			t.Fatalf("re-encoding changed the claims (-first +second):\n%s", diff)
		}
	})
}

// deterministic returns a fixed random-looking stream for nonces.
func deterministic(seed string) *sha3.SHAKE {
	s := sha3.NewSHAKE128()
	s.Write([]byte(seed))
	return s
}
