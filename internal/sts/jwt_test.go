package sts

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
)

type testKeys struct {
	rsa  *rsa.PrivateKey
	p256 *ecdsa.PrivateKey
	p384 *ecdsa.PrivateKey
}

func newTestKeys(t testing.TB) testKeys {
	t.Helper()
	r, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	return testKeys{rsa: r, p256: p256, p384: p384}
}

// sign makes a compact JWS of claims with alg.
func (k testKeys) sign(t testing.TB, alg, kid string, claims any) string {
	t.Helper()
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	signed := enc(map[string]string{"alg": alg, "kid": kid}) + "." + enc(claims)
	a, ok := jwsAlgs[alg]
	if !ok {
		return signed + ".c2ln"
	}
	h := a.hash.New()
	h.Write([]byte(signed))
	digest := h.Sum(nil)
	var sig []byte
	var err error
	switch {
	case a.kty == "RSA" && a.pss:
		sig, err = rsa.SignPSS(rand.Reader, k.rsa, a.hash, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	case a.kty == "RSA":
		sig, err = rsa.SignPKCS1v15(rand.Reader, k.rsa, a.hash, digest)
	default:
		key := k.p256
		if a.crv == elliptic.P384() {
			key = k.p384
		}
		var r, s *big.Int
		r, s, err = ecdsa.Sign(rand.Reader, key, digest)
		n := (a.crv.Params().BitSize + 7) / 8
		sig = make([]byte, 2*n)
		r.FillBytes(sig[:n])
		s.FillBytes(sig[n:])
	}
	if err != nil {
		t.Fatal(err)
	}
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func TestJWTVerify(t *testing.T) {
	k := newTestKeys(t)
	other := newTestKeys(t)
	claims := map[string]any{"iss": "https://idp.example", "sub": "s", "aud": []string{"a", "b"}, "exp": 2000000000}
	tests := []struct {
		alg  string
		key  crypto.PublicKey
		want bool
	}{
		{"RS256", &k.rsa.PublicKey, true},
		{"RS384", &k.rsa.PublicKey, true},
		{"RS512", &k.rsa.PublicKey, true},
		{"PS256", &k.rsa.PublicKey, true},
		{"PS512", &k.rsa.PublicKey, true},
		{"ES256", &k.p256.PublicKey, true},
		{"ES384", &k.p384.PublicKey, true},
		{"RS256", &other.rsa.PublicKey, false},
		{"ES256", &other.p256.PublicKey, false},
		{"ES256", &k.p384.PublicKey, false}, // wrong curve for the alg
		{"ES256", &k.rsa.PublicKey, false},  // wrong key type
		{"RS256", &k.p256.PublicKey, false},
		{"none", &k.rsa.PublicKey, false},
		{"HS256", &k.rsa.PublicKey, false},
	}
	for _, tt := range tests {
		t.Run(tt.alg, func(t *testing.T) {
			tok, err := parseJWT(k.sign(t, tt.alg, "k", claims))
			if err != nil {
				t.Fatal(err)
			}
			if got := tok.verify(tt.key) == nil; got != tt.want {
				t.Errorf("verify = %v, want %v", got, tt.want)
			}
			if tok.claims.Iss != "https://idp.example" || len(tok.claims.Aud) != 2 {
				t.Errorf("claims = %+v", tok.claims)
			}
		})
	}
}

func TestJWTParseRejects(t *testing.T) {
	k := newTestKeys(t)
	good := k.sign(t, "RS256", "k", map[string]any{"iss": "x"})
	parts := strings.Split(good, ".")
	for name, tok := range map[string]string{
		"two parts":        parts[0] + "." + parts[1],
		"four parts":       good + ".x",
		"header not JSON":  "bm90anNvbg." + parts[1] + "." + parts[2],
		"claims not JSON":  parts[0] + ".bm90anNvbg." + parts[2],
		"aud not a string": parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"aud":5}`)) + "." + parts[2],
		"bad base64":       parts[0] + ".!!!." + parts[2],
		"too long":         strings.Repeat("a", maxTokenLen+1),
	} {
		if _, err := parseJWT(tok); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

func TestJWKPublicKey(t *testing.T) {
	k := newTestKeys(t)
	b64 := base64.RawURLEncoding.EncodeToString
	pub, _ := k.p256.PublicKey.Bytes()
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	tests := []struct {
		name string
		key  jwk
		ok   bool
	}{
		{"RSA", jwk{Kty: "RSA", N: b64(k.rsa.N.Bytes()), E: b64(big.NewInt(int64(k.rsa.E)).Bytes())}, true},
		{"RSA under 2048 bits", jwk{Kty: "RSA", N: b64(small.N.Bytes()), E: b64(big.NewInt(int64(small.E)).Bytes())}, false},
		{"EC P-256", jwk{Kty: "EC", Crv: "P-256", X: b64(pub[1:33]), Y: b64(pub[33:])}, true},
		{"EC point off the curve", jwk{Kty: "EC", Crv: "P-256", X: b64(pub[1:33]), Y: b64(pub[1:33])}, false},
		{"unknown curve", jwk{Kty: "EC", Crv: "P-192", X: b64(pub[1:33]), Y: b64(pub[33:])}, false},
		{"symmetric", jwk{Kty: "oct"}, false},
	}
	for _, tt := range tests {
		if _, err := tt.key.publicKey(); (err == nil) != tt.ok {
			t.Errorf("%s: err = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

func TestPickKey(t *testing.T) {
	keys := []jwk{{Kty: "RSA", Kid: "a"}, {Kty: "RSA", Kid: "b", Use: "enc"}, {Kty: "EC", Kid: "c"}}
	for _, tt := range []struct {
		alg, kid, want string
	}{
		{"RS256", "a", "a"},
		{"RS256", "b", ""}, // an encryption key
		{"ES256", "c", "c"},
		{"ES256", "", "c"}, // the only EC key
		{"RS256", "", "a"}, // b is for encryption, so a is the only signing RSA key
		{"RS256", "z", ""},
		{"none", "a", ""},
	} {
		k, ok := pickKey(keys, jwtHeader{Alg: tt.alg, Kid: tt.kid})
		if got := map[bool]string{true: k.Kid}[ok]; got != tt.want {
			t.Errorf("pickKey(%s, %q) = %q, want %q", tt.alg, tt.kid, got, tt.want)
		}
	}
}

// FuzzParseJWT feeds arbitrary text to the token parser, which sees
// unauthenticated input.
func FuzzParseJWT(f *testing.F) {
	k := newTestKeys(f)
	f.Add(k.sign(f, "RS256", "k", map[string]any{"iss": "https://x", "aud": "a", "exp": 1}))
	f.Add(k.sign(f, "ES256", "k", map[string]any{"https://aws.amazon.com/tags": map[string]any{"principal_tags": map[string]any{"a": []string{"b"}}}}))
	f.Add("e30.e30.")
	f.Add("..")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := parseJWT(s)
		if err != nil {
			return
		}
		tok.verify(&k.rsa.PublicKey)
		tok.verify(&k.p256.PublicKey)
		numericDate(tok.claims.Exp)
	})
}
