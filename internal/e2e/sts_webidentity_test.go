package e2e

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/grantd/grantd/internal/apptest"
)

// oidcIdP is an OpenID Connect provider for tests: a TLS server publishing
// its discovery document and key set, and the keys to sign ID tokens.
type oidcIdP struct {
	srv        *httptest.Server
	issuer     string // https://127.0.0.1:PORT
	host       string // the IAM provider URL: issuer without https://
	thumbprint string
	rsa        *rsa.PrivateKey
	ec         *ecdsa.PrivateKey
	jwks       []byte // the published key set
}

func newIdP(t *testing.T) *oidcIdP {
	t.Helper()
	idp := &oidcIdP{}
	var err error
	if idp.rsa, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	if idp.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	ecPub, err := idp.ec.PublicKey.Bytes() // uncompressed: 04 || X || Y
	if err != nil {
		t.Fatal(err)
	}
	jwks := map[string]any{"keys": []map[string]any{
		{"kty": "RSA", "kid": "rsa-1", "use": "sig", "alg": "RS256", "n": b64(idp.rsa.N.Bytes()), "e": b64(big.NewInt(int64(idp.rsa.E)).Bytes())},
		{"kty": "EC", "kid": "ec-1", "use": "sig", "crv": "P-256", "x": b64(ecPub[1:33]), "y": b64(ecPub[33:])},
	}}
	idp.jwks, err = json.Marshal(jwks)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"issuer": idp.issuer, "jwks_uri": idp.issuer + "/keys"})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) { json.NewEncoder(w).Encode(jwks) })
	idp.srv = httptest.NewTLSServer(mux)
	t.Cleanup(idp.srv.Close)
	idp.issuer = idp.srv.URL
	idp.host = strings.TrimPrefix(idp.srv.URL, "https://")
	sum := sha1.Sum(idp.srv.Certificate().Raw)
	idp.thumbprint = hex.EncodeToString(sum[:])
	return idp
}

// token signs claims with alg ("RS256", "ES256", "none") under kid.
func (idp *oidcIdP) token(t *testing.T, alg, kid string, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	signed := enc(map[string]string{"alg": alg, "kid": kid, "typ": "JWT"}) + "." + enc(claims)
	digest := sha256.Sum256([]byte(signed))
	var sig []byte
	var err error
	switch alg {
	case "RS256":
		sig, err = rsa.SignPKCS1v15(rand.Reader, idp.rsa, crypto.SHA256, digest[:])
	case "ES256":
		var r, s *big.Int
		r, s, err = ecdsa.Sign(rand.Reader, idp.ec, digest[:])
		sig = make([]byte, 64)
		r.FillBytes(sig[:32])
		s.FillBytes(sig[32:])
	}
	if err != nil {
		t.Fatal(err)
	}
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// claims are a valid token's claims for client-1 and subject repo:org/app.
func (idp *oidcIdP) claims(extra map[string]any) map[string]any {
	now := time.Now()
	c := map[string]any{"iss": idp.issuer, "sub": "repo:org/app", "aud": "client-1",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(10 * time.Minute).Unix()}
	for k, v := range extra {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

func TestAssumeRoleWithWebIdentity(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ctx := t.Context()
	iam := newIAM(t, env)
	acct := apptest.Account
	idp := newIdP(t)
	providerARN := iam.oidcProvider(acct, idp.host, []string{"client-1"}, []string{idp.thumbprint})
	// A second provider whose pinned thumbprint is wrong.
	other := newIdP(t)
	iam.oidcProvider(acct, other.host, []string{"client-1"}, []string{strings.Repeat("0", 40)})

	trust := func(actions ...string) string {
		return doc(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Federated": providerARN}, "Action": actions,
			"Condition": map[string]any{"StringEquals": map[string]any{idp.host + ":aud": "client-1"},
				"StringLike": map[string]any{idp.host + ":sub": "repo:org/*"}}})
	}
	// Sessions of the web role may describe the organization when they
	// came through the provider and carry the team=ci session tag.
	webPolicy := doc(map[string]any{"Effect": "Allow", "Action": "organizations:DescribeOrganization", "Resource": "*",
		"Condition": map[string]any{"StringEquals": map[string]any{"aws:FederatedProvider": providerARN, "aws:PrincipalTag/team": "ci"}}})
	web := iam.role(acct, "web", trust("sts:AssumeRoleWithWebIdentity", "sts:TagSession", "sts:SetSourceIdentity"), roleOpts{}, webPolicy)
	plain := iam.role(acct, "web-plain", trust("sts:AssumeRoleWithWebIdentity"), roleOpts{}, webPolicy)
	// The call is unsigned: the SDK sends it without credentials.
	client := sts.NewFromConfig(env.Config(aws.Credentials{}), noClientValidation)
	call := func(role, token string) (*sts.AssumeRoleWithWebIdentityOutput, error) {
		return client.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(role),
			RoleSessionName: aws.String("ci-run"), WebIdentityToken: aws.String(token)})
	}

	tagged := idp.claims(map[string]any{"https://aws.amazon.com/tags": map[string]any{
		"principal_tags": map[string]any{"team": []string{"ci"}}, "transitive_tag_keys": []string{"team"}},
		"https://aws.amazon.com/source_identity": "octocat"})
	for _, alg := range []string{"RS256", "ES256"} {
		t.Run(alg, func(t *testing.T) {
			kid := map[string]string{"RS256": "rsa-1", "ES256": "ec-1"}[alg]
			out, err := call(web, idp.token(t, alg, kid, tagged))
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToString(out.SubjectFromWebIdentityToken) != "repo:org/app" || aws.ToString(out.Audience) != "client-1" ||
				aws.ToString(out.Provider) != idp.issuer || aws.ToString(out.SourceIdentity) != "octocat" ||
				aws.ToString(out.AssumedRoleUser.Arn) != "arn:aws:sts::"+acct+":assumed-role/web/ci-run" {
				t.Errorf("response = %+v %+v", out, out.AssumedRoleUser)
			}
			if !canDescribeOrg(t, env, sessionCreds(out.Credentials)) {
				t.Error("the session lacks aws:FederatedProvider or its token's session tags")
			}
		})
	}

	now := time.Now()
	tests := []struct {
		name   string
		role   string
		token  string
		code   string
		status int
		msg    string // exact, or a prefix ending in "…"
	}{
		{"expiry within the five-minute skew", plain, idp.token(t, "RS256", "rsa-1", idp.claims(map[string]any{"exp": now.Add(-2 * time.Minute).Unix()})), "", 200, ""},
		{"expired", plain, idp.token(t, "RS256", "rsa-1", idp.claims(map[string]any{"exp": now.Add(-6 * time.Minute).Unix()})),
			"ExpiredTokenException", 400, "Token expired: current date/time …"},
		{"no exp", plain, idp.token(t, "RS256", "rsa-1", idp.claims(map[string]any{"exp": nil})), "InvalidIdentityToken", 400, ""},
		{"not yet valid", plain, idp.token(t, "RS256", "rsa-1", idp.claims(map[string]any{"nbf": now.Add(time.Hour).Unix()})), "IDPRejectedClaim", 403, ""},
		{"wrong audience", plain, idp.token(t, "RS256", "rsa-1", idp.claims(map[string]any{"aud": "client-2"})),
			"InvalidIdentityToken", 400, "Incorrect token audience"},
		{"audience list", plain, idp.token(t, "RS256", "rsa-1", idp.claims(map[string]any{"aud": []string{"x", "client-1"}})), "", 200, ""},
		{"authorized party the trust policy refuses", plain, idp.token(t, "RS256", "rsa-1", idp.claims(map[string]any{"azp": "client-9"})), "AccessDenied", 403,
			"Not authorized to perform sts:AssumeRoleWithWebIdentity"}, // :aud is azp when the token has one
		{"unknown issuer", plain, idp.token(t, "RS256", "rsa-1", idp.claims(map[string]any{"iss": "https://idp.example.com"})),
			"InvalidIdentityToken", 400, "No OpenIDConnect provider found in your account for https://idp.example.com"},
		{"subject the trust policy refuses", plain, idp.token(t, "RS256", "rsa-1", idp.claims(map[string]any{"sub": "repo:evil/app"})),
			"AccessDenied", 403, "Not authorized to perform sts:AssumeRoleWithWebIdentity"},
		{"session tags without sts:TagSession", plain, idp.token(t, "RS256", "rsa-1", tagged), "AccessDenied", 403, ""},
		{"signed with another key", plain, other.token(t, "RS256", "rsa-1", idp.claims(nil)), "InvalidIdentityToken", 400,
			"The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request."},
		{"unknown key ID", plain, idp.token(t, "RS256", "rsa-9", idp.claims(nil)), "InvalidIdentityToken", 400, "Couldn't retrieve verification key …"},
		{"alg none", plain, idp.token(t, "none", "rsa-1", idp.claims(nil)), "InvalidIdentityToken", 400, ""},
		{"not a JWT", plain, "not.a-jwt", "InvalidIdentityToken", 400, "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)"},
		{"provider with a wrong thumbprint", plain, other.token(t, "RS256", "rsa-1", other.claims(nil)), "InvalidIdentityToken", 400, "Couldn't retrieve verification key …"},
		{"role that does not exist", "arn:aws:iam::" + acct + ":role/none", idp.token(t, "RS256", "rsa-1", idp.claims(nil)), "AccessDenied", 403, ""},
		{"token too short", plain, "abc", "ValidationError", 400,
			"1 validation error detected: Value 'abc' at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := call(tt.role, tt.token)
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantAPIError(t, err, tt.code, tt.status)
			if prefix, ok := strings.CutSuffix(tt.msg, "…"); ok {
				if err != nil && !strings.Contains(err.Error(), prefix) {
					t.Errorf("message %v\nwant prefix %q", err, prefix)
				}
			} else if tt.msg != "" {
				wantMessage(t, err, tt.msg)
			}
		})
	}
}

// TestWebIdentityJWKSTag covers providers whose keys are given in IAM as
// the grantd:jwks tag: grantd then never contacts the provider (its host
// here does not even resolve), and retagging rotates the keys.
func TestWebIdentityJWKSTag(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	ctx := t.Context()
	iam := newIAM(t, env)
	acct := apptest.Account
	idp, next := newIdP(t), newIdP(t)
	const host = "idp.grantd.invalid"
	idp.issuer, next.issuer = "https://"+host, "https://"+host
	providerARN := iam.oidcProvider(acct, host, []string{"client-1"}, nil, iamtypes.Tag{Key: aws.String("grantd:jwks"), Value: aws.String(string(idp.jwks))})
	role := iam.role(acct, "tagged-keys", doc(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Federated": providerARN},
		"Action": "sts:AssumeRoleWithWebIdentity"}), roleOpts{})
	client := sts.NewFromConfig(env.Config(aws.Credentials{}))
	call := func(token string) error {
		_, err := client.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(role),
			RoleSessionName: aws.String("tagged"), WebIdentityToken: aws.String(token)})
		return err
	}
	for _, alg := range []string{"RS256", "ES256"} {
		kid := map[string]string{"RS256": "rsa-1", "ES256": "ec-1"}[alg]
		if err := call(idp.token(t, alg, kid, idp.claims(nil))); err != nil {
			t.Errorf("%s with the tagged key set: %v", alg, err)
		}
	}
	// Rotate: the provider now publishes next's keys.
	if _, err := iam.client(acct).TagOpenIDConnectProvider(ctx, &awsiam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(providerARN),
		Tags: []iamtypes.Tag{{Key: aws.String("grantd:jwks"), Value: aws.String(string(next.jwks))}}}); err != nil {
		t.Fatal(err)
	}
	if err := call(next.token(t, "RS256", "rsa-1", next.claims(nil))); err != nil {
		t.Errorf("token signed with the rotated key: %v", err)
	}
	err := call(idp.token(t, "RS256", "rsa-1", idp.claims(nil)))
	wantAPIError(t, err, "InvalidIdentityToken", http.StatusBadRequest)
}
