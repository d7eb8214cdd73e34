package sts

import (
	"context"
	"time"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/sessiontoken"
)

// GetSessionToken limits
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html).
const (
	maxUserSessionDuration     = 129600
	defaultUserSessionDuration = 43200
	// maxRootSessionDuration: "Sessions for AWS account owners are
	// restricted to a maximum of 3,600 seconds (one hour). If the duration
	// is longer than one hour, the session for AWS account owners defaults
	// to one hour."
	maxRootSessionDuration = 3600
)

// GetSessionTokenInput is GetSessionToken's request.
type GetSessionTokenInput struct {
	DurationSeconds *int
	SerialNumber    *string
	TokenCode       *string
}

// GetSessionToken returns temporary credentials for the IAM user or root
// user in ctx, acting with that user's permissions. It needs no permission
// ("No permissions are required for users to perform this operation"), and
// fails for callers that already use temporary credentials.
func (s *Service) GetSessionToken(ctx context.Context, in GetSessionTokenInput) (Credentials, error) {
	var v violations
	v.integer("durationSeconds", in.DurationSeconds, minDuration, maxUserSessionDuration)
	v.str("serialNumber", in.SerialNumber, false, 9, 256, &serialPattern)
	v.str("tokenCode", in.TokenCode, false, 6, 6, &tokenPattern)
	if err := v.err(); err != nil {
		return Credentials{}, err
	}
	caller := auth.CallerFrom(ctx)
	if caller.IsSession() {
		return Credentials{}, denied("Cannot call GetSessionToken with session credentials")
	}
	if caller.Kind != auth.Root && caller.Kind != auth.User {
		return Credentials{}, denied("User: %s is not authorized to perform: sts:GetSessionToken", caller.ARN)
	}
	if in.SerialNumber != nil || in.TokenCode != nil {
		return Credentials{}, errMFA
	}
	seconds := defaultUserSessionDuration
	if in.DurationSeconds != nil {
		seconds = *in.DurationSeconds
	}
	now := s.now().UTC()
	c := &sessiontoken.Claims{IssuedAt: now, Account: caller.Account, UserARN: caller.ARN, UserID: caller.UserID}
	if caller.Kind == auth.Root {
		c.Kind = sessiontoken.RootSession
		seconds = min(seconds, maxRootSessionDuration)
	} else {
		c.Kind = sessiontoken.UserSession
	}
	c.Expiration = now.Add(time.Duration(seconds) * time.Second)
	return s.seal(c)
}
