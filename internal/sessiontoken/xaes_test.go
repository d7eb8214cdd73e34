package sessiontoken

import (
	"bytes"
	"crypto/sha3"
	"encoding/hex"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// xaesSeal is XAES-256-GCM Seal, for the test vectors.
func xaesSeal(t testing.TB, key, nonce, plaintext, aad []byte) []byte {
	t.Helper()
	x, err := newXAES(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, n, err := x.aead(nonce, make([]byte, scratchLen))
	if err != nil {
		t.Fatal(err)
	}
	ct := aead.Seal(nil, n, plaintext, aad)
	// And back, with a fresh subkey derivation.
	aead, n, err = x.aead(nonce, make([]byte, scratchLen))
	if err != nil {
		t.Fatal(err)
	}
	pt, err := aead.Open(nil, n, ct, aad)
	if err != nil || !bytes.Equal(pt, plaintext) {
		t.Fatalf("open after seal: %v, %x != %x", err, pt, plaintext)
	}
	return ct
}

// TestXAESVectors checks the two test vectors of https://c2sp.org/XAES-256-GCM
// (one with MSB(L) = 0 and one with MSB(L) = 1), including the intermediate
// CMAC subkey K1.
func TestXAESVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, key, k1, aad, ciphertext string
	}{
		{
			name:       "msb0",
			key:        "0101010101010101010101010101010101010101010101010101010101010101",
			k1:         "e531954aca063d5b8d9c47a47d4cc6f0",
			ciphertext: "ce546ef63c9cc60765923609b33a9a1974e96e52daf2fcf7075e2271",
		},
		{
			name:       "msb1",
			key:        "0303030303030303030303030303030303030303030303030303030303030303",
			k1:         "23810ec50edb99f374409466ed1f4b7b",
			aad:        "c2sp.org/XAES-256-GCM",
			ciphertext: "986ec1832593df5443a179437fd083bf3fdb41abd740a21f71eb769d",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			x, err := newXAES(unhex(t, tt.key))
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(x.k1[:]); got != tt.k1 {
				t.Errorf("K1 = %s, want %s", got, tt.k1)
			}
			ct := xaesSeal(t, unhex(t, tt.key), []byte("ABCDEFGHIJKLMNOPQRSTUVWX"), []byte("XAES-256-GCM"), []byte(tt.aad))
			if got := hex.EncodeToString(ct); got != tt.ciphertext {
				t.Errorf("ciphertext = %s, want %s", got, tt.ciphertext)
			}
		})
	}
}

// TestXAESAccumulated runs the spec's 10,000-iteration randomized test:
// inputs from one SHAKE-128 stream, ciphertexts hashed into another.
func TestXAESAccumulated(t *testing.T) {
	t.Parallel()
	const want = "e6b9edf2df6cec60c8cbd864e2211b597fb69a529160cd040d56c0c210081939"
	s, d := sha3.NewSHAKE128(), sha3.NewSHAKE128()
	for range 10_000 {
		key := make([]byte, xaesKeySize)
		nonce := make([]byte, xaesNonceSize)
		var n [1]byte
		s.Read(key)
		s.Read(nonce)
		s.Read(n[:])
		plaintext := make([]byte, n[0])
		s.Read(plaintext)
		s.Read(n[:])
		aad := make([]byte, n[0])
		s.Read(aad)
		d.Write(xaesSeal(t, key, nonce, plaintext, aad))
	}
	sum := make([]byte, 32)
	d.Read(sum)
	if got := hex.EncodeToString(sum); got != want {
		t.Errorf("accumulated hash = %s, want %s", got, want)
	}
}
