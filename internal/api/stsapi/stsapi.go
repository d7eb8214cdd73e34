// Package stsapi is the wire side of AWS STS (Query protocol, version
// 2011-06-15): it decodes requests into internal/sts inputs, encodes the
// results in the shapes of botocore's sts service-2.json, and maps the
// domain's errors to STS's codes.
package stsapi

import (
	"net/http"
	"time"

	"github.com/grantd/grantd/internal/api"
	"github.com/grantd/grantd/internal/api/query"
	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/sessiontoken"
	"github.com/grantd/grantd/internal/sts"
)

// Namespace is STS's XML namespace.
const Namespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// malformedPolicyDocument is STS's code for an invalid session policy.
var malformedPolicyDocument = awserr.Code{Name: "MalformedPolicyDocument", Status: http.StatusBadRequest,
	Message: "The request was rejected because the policy document was malformed."}

type handler struct{ svc *sts.Service }

// New returns the STS handler. svc may be nil for a node without STS
// sessions; then only GetCallerIdentity is served.
func New(svc *sts.Service) api.Handler {
	h := &handler{svc: svc}
	ops := map[string]query.Operation{"GetCallerIdentity": getCallerIdentity}
	if svc != nil {
		ops["AssumeRole"] = h.assumeRole
		ops["GetSessionToken"] = h.getSessionToken
		ops["AssumeRoleWithWebIdentity"] = h.assumeRoleWithWebIdentity
	}
	return &query.Service{
		Namespace: Namespace,
		Ops:       ops,
		// AssumeRoleWithWebIdentity is authenticated by its token, not by
		// a signature: the SDKs send it unsigned.
		Anonymous: map[string]bool{"AssumeRoleWithWebIdentity": true},
	}
}

type callerIdentity struct {
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
	ARN     string `xml:"Arn"`
}

// getCallerIdentity needs no permission: AWS answers it even when a policy
// denies sts:GetCallerIdentity explicitly.
func getCallerIdentity(r *http.Request, _ query.Params) (any, error) {
	c := api.FromContext(r.Context()).Caller
	return callerIdentity{UserID: c.UserID, Account: c.Account, ARN: c.ARN}, nil
}

// credentials is the Credentials shape.
type credentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

func credentialsOut(c sts.Credentials) credentials {
	return credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey,
		SessionToken: c.SessionToken, Expiration: c.Expiration.UTC().Format(time.RFC3339)}
}

type assumedRoleUser struct {
	AssumedRoleID string `xml:"AssumedRoleId"`
	ARN           string `xml:"Arn"`
}

// assumeRoleResult is AssumeRoleResponse. SessionTokenSize and
// SessionTokenUtilization are newer than botocore's model (aws-sdk-go-v2's
// sts model has them, and marks PackedPolicySize deprecated); grantd sends
// both generations.
type assumeRoleResult struct {
	Credentials             credentials     `xml:"Credentials"`
	AssumedRoleUser         assumedRoleUser `xml:"AssumedRoleUser"`
	PackedPolicySize        int             `xml:"PackedPolicySize,omitempty"`
	SourceIdentity          string          `xml:"SourceIdentity,omitempty"`
	SessionTokenSize        int             `xml:"SessionTokenSize"`
	SessionTokenUtilization int             `xml:"SessionTokenUtilization"`
}

func roleSessionOut(s *sts.RoleSession) assumeRoleResult {
	return assumeRoleResult{
		Credentials:             credentialsOut(s.Credentials),
		AssumedRoleUser:         assumedRoleUser{AssumedRoleID: s.AssumedRoleUser.AssumedRoleID, ARN: s.AssumedRoleUser.ARN},
		PackedPolicySize:        s.PackedPolicySize,
		SourceIdentity:          s.SourceIdentity,
		SessionTokenSize:        len(s.Credentials.SessionToken),
		SessionTokenUtilization: (len(s.Credentials.SessionToken)*100 + sessiontoken.MaxTokenLen - 1) / sessiontoken.MaxTokenLen,
	}
}

func (h *handler) assumeRole(r *http.Request, p query.Params) (any, error) {
	in := sts.AssumeRoleInput{
		RoleARN: str(p, "RoleArn"), RoleSessionName: str(p, "RoleSessionName"),
		PolicyARNs: policyARNs(p), Policy: str(p, "Policy"),
		Tags: tags(p), TransitiveTagKeys: p.Members("TransitiveTagKeys"),
		ExternalID: str(p, "ExternalId"), SerialNumber: str(p, "SerialNumber"), TokenCode: str(p, "TokenCode"),
		SourceIdentity: str(p, "SourceIdentity"),
	}
	var err error
	if in.DurationSeconds, err = integer(p, "DurationSeconds"); err != nil {
		return nil, err
	}
	in.ProvidedContexts, in.ProvidedContextsSent = providedContexts(p)
	s, err := h.svc.AssumeRole(r.Context(), in)
	if err != nil {
		return nil, wireError(err)
	}
	return roleSessionOut(s), nil
}

type getSessionTokenResult struct {
	Credentials credentials `xml:"Credentials"`
}

func (h *handler) getSessionToken(r *http.Request, p query.Params) (any, error) {
	in := sts.GetSessionTokenInput{SerialNumber: str(p, "SerialNumber"), TokenCode: str(p, "TokenCode")}
	var err error
	if in.DurationSeconds, err = integer(p, "DurationSeconds"); err != nil {
		return nil, err
	}
	c, err := h.svc.GetSessionToken(r.Context(), in)
	if err != nil {
		return nil, wireError(err)
	}
	return getSessionTokenResult{Credentials: credentialsOut(c)}, nil
}

type webIdentityResult struct {
	Credentials                 credentials     `xml:"Credentials"`
	SubjectFromWebIdentityToken string          `xml:"SubjectFromWebIdentityToken"`
	AssumedRoleUser             assumedRoleUser `xml:"AssumedRoleUser"`
	PackedPolicySize            int             `xml:"PackedPolicySize,omitempty"`
	Provider                    string          `xml:"Provider"`
	Audience                    string          `xml:"Audience"`
	SourceIdentity              string          `xml:"SourceIdentity,omitempty"`
	SessionTokenSize            int             `xml:"SessionTokenSize"`
	SessionTokenUtilization     int             `xml:"SessionTokenUtilization"`
}

func (h *handler) assumeRoleWithWebIdentity(r *http.Request, p query.Params) (any, error) {
	in := sts.AssumeRoleWithWebIdentityInput{
		RoleARN: str(p, "RoleArn"), RoleSessionName: str(p, "RoleSessionName"),
		WebIdentityToken: str(p, "WebIdentityToken"), ProviderID: str(p, "ProviderId"),
		PolicyARNs: policyARNs(p), Policy: str(p, "Policy"),
	}
	var err error
	if in.DurationSeconds, err = integer(p, "DurationSeconds"); err != nil {
		return nil, err
	}
	s, err := h.svc.AssumeRoleWithWebIdentity(r.Context(), in)
	if err != nil {
		return nil, wireError(err)
	}
	rs := roleSessionOut(&s.RoleSession)
	return webIdentityResult{Credentials: rs.Credentials, SubjectFromWebIdentityToken: s.SubjectFromWebIdentityToken,
		AssumedRoleUser: rs.AssumedRoleUser, PackedPolicySize: rs.PackedPolicySize,
		Provider: s.Provider, Audience: s.Audience, SourceIdentity: rs.SourceIdentity,
		SessionTokenSize: rs.SessionTokenSize, SessionTokenUtilization: rs.SessionTokenUtilization}, nil
}

// str returns the parameter, or nil when it was not sent.
func str(p query.Params, name string) *string {
	if !p.Has(name) {
		return nil
	}
	v := p.Get(name)
	return &v
}

// integer returns the integer parameter, or nil when it was not sent.
func integer(p query.Params, name string) (*int, error) {
	if !p.Has(name) {
		return nil, nil
	}
	n, err := p.Int(name, 0)
	if err != nil {
		return nil, err
	}
	return &n, nil
}

func policyARNs(p query.Params) []string {
	var out []string
	for _, s := range p.Structs("PolicyArns") {
		out = append(out, s.Get("arn"))
	}
	return out
}

func tags(p query.Params) []sts.Tag {
	var out []sts.Tag
	for _, s := range p.Structs("Tags") {
		out = append(out, sts.Tag{Key: s.Get("Key"), Value: s.Get("Value")})
	}
	return out
}

// providedContexts returns ProvidedContexts and whether it was sent at all
// (an empty list arrives as "ProvidedContexts=").
func providedContexts(p query.Params) ([]sts.ProvidedContext, bool) {
	var out []sts.ProvidedContext
	for _, s := range p.Structs("ProvidedContexts") {
		out = append(out, sts.ProvidedContext{ProviderARN: s.Get("ProviderArn"), ContextAssertion: s.Get("ContextAssertion")})
	}
	return out, len(out) > 0 || p.Has("ProvidedContexts")
}

// wireError maps the domain's errors to STS's codes; everything else stays
// an internal error.
func wireError(err error) error {
	e, ok := errs.As(err)
	if !ok {
		return err
	}
	var code awserr.Code
	switch e.Reason {
	case sts.ReasonAccessDenied:
		code = awserr.AccessDenied
	case sts.ReasonValidation:
		code = awserr.ValidationError
	case sts.ReasonMalformedPolicy:
		code = malformedPolicyDocument
	case sts.ReasonPackedPolicyTooLarge:
		code = awserr.PackedPolicyTooLarge
	case sts.ReasonInvalidParameterValue:
		code = awserr.InvalidParameterValue
	case sts.ReasonInvalidIdentityToken:
		code = awserr.InvalidIdentityToken
	case sts.ReasonExpiredToken:
		code = awserr.ExpiredTokenException
	case sts.ReasonIDPRejectedClaim:
		code = awserr.IDPRejectedClaim
	case sts.ReasonIDPCommunication:
		code = awserr.IDPCommunicationError
	default:
		return err
	}
	return &awserr.Error{Code: code, Message: e.Msg, Err: err}
}
