package sts

import (
	"context"
	"crypto"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/grantd/grantd/internal/iam"
	"github.com/grantd/grantd/internal/meta"
)

// OIDCStore reads IAM OpenID Connect providers.
type OIDCStore interface {
	GetOIDCProvider(ctx context.Context, arn string) (meta.OIDCProvider, error)
}

// A provider's keys are the JSON Web Key Set in its grantd:jwks tag when it
// has one (iam.JWKSTag: for deployments that must not reach out, and for
// providers no network path leads to), else they are fetched as OpenID
// Connect Discovery describes and AWS does: the issuer's
// /.well-known/openid-configuration names the jwks_uri, which serves the
// JSON Web Key Set. As on AWS, the TLS server certificate of
// those endpoints is trusted when it chains to a root the system trusts or
// when the SHA-1 thumbprint of a certificate it presents is one of the
// provider's thumbprints
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc_verify-thumbprint.html);
// grantd accepts a match on any certificate of the presented chain, which
// also covers self-signed test providers. Key sets are cached per provider
// URL and thumbprint list for keySetTTL, and fetched again sooner when a
// token names a key the cached set lacks (key rotation), at most once per
// refetchAfter.
const (
	keySetTTL     = 15 * time.Minute
	refetchAfter  = 30 * time.Second
	fetchTimeout  = 10 * time.Second
	maxDocumentSz = 1 << 20
)

// Messages AWS answers verification failures with.
const (
	msgNoKey = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"
	msgIDP   = "The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached. Try again later."
)

type oidcVerifier struct {
	store  OIDCStore
	client *http.Client // fixed client from Options, or nil
	now    func() time.Time

	mu   sync.Mutex
	sets map[string]*keySet
}

// keySet is one provider's cached keys.
type keySet struct {
	mu      sync.Mutex // serializes fetches of this set
	keys    []jwk
	fetched time.Time
}

func newOIDCVerifier(store OIDCStore, client *http.Client, now func() time.Time) *oidcVerifier {
	return &oidcVerifier{store: store, client: client, now: now, sets: map[string]*keySet{}}
}

// key returns the provider's public key for the token's kid and alg.
func (v *oidcVerifier) key(ctx context.Context, p meta.OIDCProvider, t *jwt) (crypto.PublicKey, error) {
	if doc, ok := iam.JWKS(p); ok {
		var set struct {
			Keys []jwk `json:"keys"`
		}
		if json.Unmarshal([]byte(doc), &set) != nil {
			return nil, stsErr(ReasonInvalidIdentityToken, msgNoKey)
		}
		return publicKey(set.Keys, t.header)
	}
	cacheKey := p.URL + "|" + strings.Join(p.Thumbprints, ",")
	v.mu.Lock()
	ks := v.sets[cacheKey]
	if ks == nil {
		ks = &keySet{}
		v.sets[cacheKey] = ks
	}
	v.mu.Unlock()

	ks.mu.Lock()
	defer ks.mu.Unlock()
	now := v.now()
	stale := ks.fetched.IsZero() || now.Sub(ks.fetched) > keySetTTL
	_, found := pickKey(ks.keys, t.header)
	if stale || !found && now.Sub(ks.fetched) > refetchAfter {
		keys, err := v.fetch(ctx, p)
		if err != nil {
			return nil, err
		}
		ks.keys, ks.fetched = keys, now
	}
	return publicKey(ks.keys, t.header)
}

// publicKey returns the key of keys that the token header names.
func publicKey(keys []jwk, h jwtHeader) (crypto.PublicKey, error) {
	k, found := pickKey(keys, h)
	if !found {
		return nil, stsErr(ReasonInvalidIdentityToken, msgNoKey)
	}
	pub, err := k.publicKey()
	if err != nil {
		return nil, stsErr(ReasonInvalidIdentityToken, msgNoKey)
	}
	return pub, nil
}

// pickKey finds the key a token header names: by kid when it has one,
// else the only key of the algorithm's type.
func pickKey(keys []jwk, h jwtHeader) (jwk, bool) {
	alg, ok := jwsAlgs[h.Alg]
	if !ok {
		return jwk{}, false
	}
	var match []jwk
	for _, k := range keys {
		if k.Kty != alg.kty || k.Use != "" && k.Use != "sig" || k.Alg != "" && k.Alg != h.Alg {
			continue
		}
		if h.Kid != "" && k.Kid == h.Kid {
			return k, true
		}
		match = append(match, k)
	}
	if h.Kid == "" && len(match) == 1 {
		return match[0], true
	}
	return jwk{}, false
}

// fetch reads the provider's discovery document and key set.
func (v *oidcVerifier) fetch(ctx context.Context, p meta.OIDCProvider) ([]jwk, error) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	client := v.httpClient(p.Thumbprints)
	issuer := "https://" + strings.TrimSuffix(p.URL, "/")
	var disc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := getJSON(ctx, client, issuer+"/.well-known/openid-configuration", &disc); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(disc.JWKSURI, "https://") {
		return nil, stsErr(ReasonInvalidIdentityToken, msgNoKey)
	}
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := getJSON(ctx, client, disc.JWKSURI, &set); err != nil {
		return nil, err
	}
	return set.Keys, nil
}

// getJSON fetches url into v. Unreachable providers are IDPCommunicationError;
// every other failure (TLS trust, HTTP status, document) means no usable key.
func getJSON(ctx context.Context, client *http.Client, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return stsErr(ReasonInvalidIdentityToken, msgNoKey)
	}
	resp, err := client.Do(req)
	if err != nil {
		var ne net.Error
		var oe *net.OpError
		if errors.As(err, &oe) && oe.Op == "dial" || errors.As(err, &ne) && ne.Timeout() {
			return stsErr(ReasonIDPCommunication, msgIDP)
		}
		return stsErr(ReasonInvalidIdentityToken, msgNoKey)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentSz+1))
	if err != nil || resp.StatusCode != http.StatusOK || len(body) > maxDocumentSz || json.Unmarshal(body, v) != nil {
		return stsErr(ReasonInvalidIdentityToken, msgNoKey)
	}
	return nil
}

// httpClient returns the client for a provider with these thumbprints.
func (v *oidcVerifier) httpClient(thumbprints []string) *http.Client {
	if v.client != nil {
		return v.client
	}
	return &http.Client{Transport: &http.Transport{
		Proxy:             nil,
		DisableKeepAlives: true, // fetches are rare; no idle connections per provider
		TLSClientConfig: &tls.Config{
			MinVersion: tls.VersionTLS12,
			// Verified in VerifyConnection instead: system roots or a
			// pinned thumbprint, which crypto/tls alone cannot express.
			InsecureSkipVerify: true,
			VerifyConnection:   func(cs tls.ConnectionState) error { return verifyIdPCert(cs, thumbprints) },
		},
	}}
}

// verifyIdPCert trusts the server when a presented certificate's SHA-1
// thumbprint is pinned, or when the chain verifies against the system roots
// for the server name.
func verifyIdPCert(cs tls.ConnectionState, thumbprints []string) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("no server certificate")
	}
	for _, c := range cs.PeerCertificates {
		sum := sha1.Sum(c.Raw)
		fp := hex.EncodeToString(sum[:])
		for _, t := range thumbprints {
			if strings.EqualFold(t, fp) {
				return nil
			}
		}
	}
	opts := x509.VerifyOptions{DNSName: cs.ServerName, Intermediates: x509.NewCertPool()}
	for _, c := range cs.PeerCertificates[1:] {
		opts.Intermediates.AddCert(c)
	}
	if _, err := cs.PeerCertificates[0].Verify(opts); err != nil {
		return fmt.Errorf("identity provider certificate: %w", err)
	}
	return nil
}
