package sts

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	_ "crypto/sha256" // SHA-256 for RS256, PS256, ES256
	_ "crypto/sha512" // SHA-384 and SHA-512
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// A JSON Web Token (RFC 7519) in JWS compact serialization (RFC 7515),
// signed with one of the algorithms of RFC 7518 §3 that identity providers
// use: RSASSA-PKCS1-v1_5 (RS256/384/512), RSASSA-PSS (PS256/384/512) and
// ECDSA (ES256/384/512). "none" and HMAC algorithms are refused: a token
// must be signed by the provider's published public key.

// maxTokenLen bounds the token before any decoding (STS's model allows
// 20,000 characters).
const maxTokenLen = 20000

// jwt is a parsed, not yet verified token.
type jwt struct {
	header    jwtHeader
	claims    jwtClaims
	signed    string // header.payload: the signing input
	signature []byte
}

type jwtHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
}

// jwtClaims are the claims STS reads.
type jwtClaims struct {
	Iss string       `json:"iss"`
	Sub string       `json:"sub"`
	Aud audience     `json:"aud"`
	Azp string       `json:"azp"`
	Amr audience     `json:"amr"`
	Exp *json.Number `json:"exp"`
	Nbf *json.Number `json:"nbf"`
	Iat *json.Number `json:"iat"`
	// AWSTags are session tags passed by the provider
	// (id_session-tags.html#id_session-tags_adding-assume-role-idp).
	AWSTags *struct {
		PrincipalTags     map[string][]string `json:"principal_tags"`
		TransitiveTagKeys []string            `json:"transitive_tag_keys"`
	} `json:"https://aws.amazon.com/tags"`
	// SourceIdentity is the provider's source identity claim.
	SourceIdentity *string `json:"https://aws.amazon.com/source_identity"`
}

// audience is a claim that is one string or an array of strings.
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*a = audience{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("not a string or an array of strings")
	}
	*a = many
	return nil
}

var b64url = base64.RawURLEncoding

// parseJWT splits and decodes a compact JWS without verifying it.
func parseJWT(token string) (*jwt, error) {
	if len(token) > maxTokenLen {
		return nil, errors.New("token too long")
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("not three dot-separated parts")
	}
	var t jwt
	if err := decodeSegment(parts[0], &t.header); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if err := decodeSegment(parts[1], &t.claims); err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	sig, err := b64url.DecodeString(strings.TrimRight(parts[2], "="))
	if err != nil {
		return nil, fmt.Errorf("signature: %w", err)
	}
	t.signed, t.signature = parts[0]+"."+parts[1], sig
	return &t, nil
}

func decodeSegment(seg string, v any) error {
	b, err := b64url.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return err
	}
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	return d.Decode(v)
}

// jwsAlg describes a signature algorithm.
type jwsAlg struct {
	hash crypto.Hash
	kty  string // "RSA" or "EC"
	pss  bool
	crv  elliptic.Curve
}

var jwsAlgs = map[string]jwsAlg{
	"RS256": {hash: crypto.SHA256, kty: "RSA"},
	"RS384": {hash: crypto.SHA384, kty: "RSA"},
	"RS512": {hash: crypto.SHA512, kty: "RSA"},
	"PS256": {hash: crypto.SHA256, kty: "RSA", pss: true},
	"PS384": {hash: crypto.SHA384, kty: "RSA", pss: true},
	"PS512": {hash: crypto.SHA512, kty: "RSA", pss: true},
	"ES256": {hash: crypto.SHA256, kty: "EC", crv: elliptic.P256()},
	"ES384": {hash: crypto.SHA384, kty: "EC", crv: elliptic.P384()},
	"ES512": {hash: crypto.SHA512, kty: "EC", crv: elliptic.P521()},
}

// verify checks t's signature with key.
func (t *jwt) verify(key crypto.PublicKey) error {
	alg, ok := jwsAlgs[t.header.Alg]
	if !ok {
		return fmt.Errorf("unsupported alg %q", t.header.Alg)
	}
	h := alg.hash.New()
	h.Write([]byte(t.signed))
	digest := h.Sum(nil)
	switch k := key.(type) {
	case *rsa.PublicKey:
		if alg.kty != "RSA" {
			return errors.New("key type does not match alg")
		}
		if alg.pss {
			return rsa.VerifyPSS(k, alg.hash, digest, t.signature, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		}
		return rsa.VerifyPKCS1v15(k, alg.hash, digest, t.signature)
	case *ecdsa.PublicKey:
		if alg.kty != "EC" || k.Curve != alg.crv {
			return errors.New("key type does not match alg")
		}
		// JWS ECDSA signatures are R || S, each the curve's byte size.
		n := (alg.crv.Params().BitSize + 7) / 8
		if len(t.signature) != 2*n {
			return errors.New("bad ECDSA signature length")
		}
		r := new(big.Int).SetBytes(t.signature[:n])
		s := new(big.Int).SetBytes(t.signature[n:])
		if !ecdsa.Verify(k, digest, r, s) {
			return errors.New("ECDSA signature does not verify")
		}
		return nil
	}
	return errors.New("unsupported key type")
}

// jwk is one key of a JSON Web Key Set (RFC 7517), RSA or EC public.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// publicKey decodes k, or returns an error for keys it cannot use.
func (k *jwk) publicKey() (crypto.PublicKey, error) {
	switch k.Kty {
	case "RSA":
		n, err1 := b64url.DecodeString(strings.TrimRight(k.N, "="))
		e, err2 := b64url.DecodeString(strings.TrimRight(k.E, "="))
		if err1 != nil || err2 != nil || len(e) == 0 || len(e) > 4 {
			return nil, errors.New("bad RSA key")
		}
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		if pub.N.BitLen() < 2048 {
			return nil, errors.New("RSA key shorter than 2048 bits")
		}
		return pub, nil
	case "EC":
		var crv elliptic.Curve
		switch k.Crv {
		case "P-256":
			crv = elliptic.P256()
		case "P-384":
			crv = elliptic.P384()
		case "P-521":
			crv = elliptic.P521()
		default:
			return nil, fmt.Errorf("unsupported curve %q", k.Crv)
		}
		x, err1 := b64url.DecodeString(strings.TrimRight(k.X, "="))
		y, err2 := b64url.DecodeString(strings.TrimRight(k.Y, "="))
		if err1 != nil || err2 != nil {
			return nil, errors.New("bad EC key")
		}
		// Uncompressed point encoding; NewPublicKey checks it is on the curve.
		size := (crv.Params().BitSize + 7) / 8
		if len(x) > size || len(y) > size {
			return nil, errors.New("bad EC key")
		}
		point := make([]byte, 1+2*size)
		point[0] = 4
		copy(point[1+size-len(x):], x)
		copy(point[1+2*size-len(y):], y)
		return ecdsa.ParseUncompressedPublicKey(crv, point)
	}
	return nil, fmt.Errorf("unsupported key type %q", k.Kty)
}
