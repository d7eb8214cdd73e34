package iam

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/meta"
)

// JWKSTag is the tag of an OIDC provider that holds the provider's JSON
// Web Key Set. AWS fetches a provider's signing keys from the provider
// itself; grantd is often deployed without outbound access, so the keys
// are handed to it with the provider, through the ordinary IAM tagging
// API (CreateOpenIDConnectProvider --tags or TagOpenIDConnectProvider,
// which also rotates them):
//
//	aws iam tag-open-id-connect-provider --open-id-connect-provider-arn ARN \
//	    --tags '[{"Key":"grantd:jwks","Value":"{\"keys\":[...]}"}]'
//
// For this one key, and only on OIDC providers, the value may be a JWKS
// document of up to MaxJWKSSize bytes instead of IAM's 256 tag characters.
const JWKSTag = "grantd:jwks"

// MaxJWKSSize bounds the JWKS tag value.
const MaxJWKSSize = 64 << 10

// JWKS returns the key set stored with a provider, if any.
func JWKS(p meta.OIDCProvider) (string, bool) {
	for _, t := range p.Tags {
		if strings.EqualFold(t.Key, JWKSTag) {
			return t.Value, true
		}
	}
	return "", false
}

// checkJWKSTags validates grantd:jwks tags: allowed only on OIDC
// providers, and holding a key set.
func checkJWKSTags(typ meta.EntityType, tags []meta.Tag) error {
	for _, t := range tags {
		if !strings.EqualFold(t.Key, JWKSTag) {
			continue
		}
		if typ != meta.EntityOIDC {
			return invalidInput("The tag %s is reserved for OpenID Connect providers.", JWKSTag)
		}
		var set struct {
			Keys []struct {
				Kty string `json:"kty"`
			} `json:"keys"`
		}
		if len(t.Value) > MaxJWKSSize || json.Unmarshal([]byte(t.Value), &set) != nil || len(set.Keys) == 0 {
			return invalidInput("The %s tag must hold a JSON Web Key Set of at most %d bytes: {\"keys\":[...]}.", JWKSTag, MaxJWKSSize)
		}
		for _, k := range set.Keys {
			if k.Kty == "" {
				return invalidInput("Every key of the %s tag needs a kty.", JWKSTag)
			}
		}
	}
	return nil
}

func oidcNotFound(arn string) error {
	return noSuchEntity("OpenIDConnect Provider not found for arn %s", arn)
}

// providerHost validates an issuer URL and returns it without https://,
// the form IAM shows and puts in the provider's ARN.
func providerHost(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", invalidInput("Invalid provider URL: %s. The URL must begin with https:// and have no query or fragment.", raw)
	}
	return strings.TrimSuffix(u.Host+u.Path, "/"), nil
}

func checkOIDCLists(clientIDs, thumbprints []string) error {
	if len(thumbprints) > MaxThumbprintsPerOIDC {
		return invalidInput("Thumbprint list must contain fewer than %d entries.", MaxThumbprintsPerOIDC+1)
	}
	for _, t := range thumbprints {
		if _, err := hex.DecodeString(t); err != nil || len(t) != 40 {
			return invalidInput("Thumbprint %s is not a 40-character hex SHA-1 digest.", t)
		}
	}
	if len(clientIDs) > MaxClientIDsPerOIDC {
		return limitExceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: %d", MaxClientIDsPerOIDC)
	}
	return nil
}

// CreateOpenIDConnectProvider registers an OIDC identity provider.
func (s *Service) CreateOpenIDConnectProvider(ctx context.Context, rawURL string, clientIDs, thumbprints []string, tags []meta.Tag) (meta.OIDCProvider, error) {
	_, acct := caller(ctx)
	host, herr := providerHost(rawURL)
	p := meta.OIDCProvider{ARN: "arn:aws:iam::" + acct + ":oidc-provider/" + host, AccountID: acct, URL: host,
		ClientIDs: dedupe(clientIDs), Thumbprints: dedupe(thumbprints), CreatedAt: s.now().UTC(), Tags: tags}
	if err := s.authorize(ctx, "CreateOpenIDConnectProvider", p.ARN, tagKeys(tags)...); err != nil {
		return p, err
	}
	if herr != nil {
		return p, herr
	}
	if err := checkOIDCLists(p.ClientIDs, p.Thumbprints); err != nil {
		return p, err
	}
	if err := checkTags(tags); err != nil {
		return p, err
	}
	if err := checkJWKSTags(meta.EntityOIDC, tags); err != nil {
		return p, err
	}
	err := s.store.CreateOIDCProvider(ctx, p)
	if errors.Is(err, meta.ErrExists) {
		return p, alreadyExists("Provider with url %s already exists.", rawURL)
	}
	return p, storeErr(err, "create OIDC provider")
}

func dedupe(list []string) []string {
	out := []string{}
	for _, v := range list {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// oidcARN authorizes action on a provider ARN, which may name another
// account's provider (then denied).
func (s *Service) oidcARN(ctx context.Context, action, arn string) error {
	return s.authorizeARN(ctx, action, arn)
}

// GetOpenIDConnectProvider returns a provider.
func (s *Service) GetOpenIDConnectProvider(ctx context.Context, arn string) (meta.OIDCProvider, error) {
	if err := s.oidcARN(ctx, "GetOpenIDConnectProvider", arn); err != nil {
		return meta.OIDCProvider{}, err
	}
	p, err := s.store.GetOIDCProvider(ctx, arn)
	if isNotFound(err) {
		return p, oidcNotFound(arn)
	}
	return p, storeErr(err, "get OIDC provider")
}

// ListOpenIDConnectProviders lists the account's providers.
func (s *Service) ListOpenIDConnectProviders(ctx context.Context) ([]meta.OIDCProvider, error) {
	_, acct := caller(ctx)
	if err := s.authorize(ctx, "ListOpenIDConnectProviders", "*"); err != nil {
		return nil, err
	}
	ps, err := s.store.ListOIDCProviders(ctx, acct)
	return ps, storeErr(err, "list OIDC providers")
}

// DeleteOpenIDConnectProvider deletes a provider.
func (s *Service) DeleteOpenIDConnectProvider(ctx context.Context, arn string) error {
	if err := s.oidcARN(ctx, "DeleteOpenIDConnectProvider", arn); err != nil {
		return err
	}
	err := s.store.DeleteOIDCProvider(ctx, arn)
	if isNotFound(err) {
		return oidcNotFound(arn)
	}
	return storeErr(err, "delete OIDC provider")
}

// updateProvider changes a provider's lists in one transaction.
func (s *Service) updateProvider(ctx context.Context, action, arn string, fn func(*meta.OIDCProvider)) error {
	if err := s.oidcARN(ctx, action, arn); err != nil {
		return err
	}
	err := s.store.UpdateOIDCProvider(ctx, arn, func(p *meta.OIDCProvider) error {
		fn(p)
		return checkOIDCLists(p.ClientIDs, p.Thumbprints)
	})
	if isNotFound(err) {
		return oidcNotFound(arn)
	}
	if _, ok := errs.As(err); ok {
		return err
	}
	return storeErr(err, action)
}

// AddClientIDToOpenIDConnectProvider adds an audience (a no-op if present).
func (s *Service) AddClientIDToOpenIDConnectProvider(ctx context.Context, arn, clientID string) error {
	return s.updateProvider(ctx, "AddClientIDToOpenIDConnectProvider", arn, func(p *meta.OIDCProvider) {
		p.ClientIDs = dedupe(append(p.ClientIDs, clientID))
	})
}

// RemoveClientIDFromOpenIDConnectProvider removes an audience (a no-op if
// absent, as in IAM).
func (s *Service) RemoveClientIDFromOpenIDConnectProvider(ctx context.Context, arn, clientID string) error {
	return s.updateProvider(ctx, "RemoveClientIDFromOpenIDConnectProvider", arn, func(p *meta.OIDCProvider) {
		p.ClientIDs = slices.DeleteFunc(p.ClientIDs, func(c string) bool { return c == clientID })
	})
}

// UpdateOpenIDConnectProviderThumbprint replaces the thumbprint list.
func (s *Service) UpdateOpenIDConnectProviderThumbprint(ctx context.Context, arn string, thumbprints []string) error {
	return s.updateProvider(ctx, "UpdateOpenIDConnectProviderThumbprint", arn, func(p *meta.OIDCProvider) {
		p.Thumbprints = dedupe(thumbprints)
	})
}
