package server

import (
	"net/http"
	"testing"

	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/awserr"
)

// TestSessionTokenErrors pins how each protocol reports an invalid or
// expired session token: IAM and STS (Query) with 403 InvalidClientTokenId
// and ExpiredToken, S3 and S3 Control with 400 InvalidToken and
// ExpiredToken, JSON services with UnrecognizedClientException and
// ExpiredTokenException.
func TestSessionTokenErrors(t *testing.T) {
	tests := []struct {
		protocol awserr.Protocol
		err      error
		code     string
		status   int
	}{
		{awserr.Query, auth.ErrInvalidToken, "InvalidClientTokenId", http.StatusForbidden},
		{awserr.Query, auth.ErrExpiredToken, "ExpiredToken", http.StatusForbidden},
		{awserr.S3, auth.ErrInvalidToken, "InvalidToken", http.StatusBadRequest},
		{awserr.S3, auth.ErrExpiredToken, "ExpiredToken", http.StatusBadRequest},
		{awserr.S3Control, auth.ErrInvalidToken, "InvalidToken", http.StatusBadRequest},
		{awserr.S3Control, auth.ErrExpiredToken, "ExpiredToken", http.StatusBadRequest},
		{awserr.JSON, auth.ErrInvalidToken, "UnrecognizedClientException", http.StatusBadRequest},
		{awserr.JSON, auth.ErrExpiredToken, "ExpiredTokenException", http.StatusBadRequest},
	}
	for _, tt := range tests {
		e := awserr.As(authError(tt.protocol, tt.err))
		if e.Code.Name != tt.code || e.Code.Status != tt.status {
			t.Errorf("protocol %v, %v: got %s %d, want %s %d", tt.protocol, tt.err, e.Code.Name, e.Code.Status, tt.code, tt.status)
		}
	}
}
