// Package stsapi is the wire side of AWS STS (Query protocol, version
// 2011-06-15).
package stsapi

import (
	"net/http"

	"github.com/grantd/grantd/internal/api"
	"github.com/grantd/grantd/internal/api/query"
)

// Namespace is STS's XML namespace.
const Namespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// New returns the STS handler.
func New() api.Handler {
	return &query.Service{
		Namespace: Namespace,
		Ops: map[string]query.Operation{
			"GetCallerIdentity": getCallerIdentity,
		},
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
