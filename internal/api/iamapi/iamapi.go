// Package iamapi is the wire side of AWS IAM: the Query protocol
// (namespace https://iam.amazonaws.com/doc/2010-05-08/, version
// 2010-05-08). Every request is first checked against the operation's
// input shape from botocore's model (validate.go), then handed to
// internal/iam; domain errors become IAM's error codes in wireError.
package iamapi

import (
	"encoding/xml"
	"net/http"

	"github.com/grantd/grantd/internal/api"
	"github.com/grantd/grantd/internal/api/query"
	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/errs"
	"github.com/grantd/grantd/internal/iam"
	"github.com/grantd/grantd/internal/meta"
)

// Namespace is IAM's XML namespace.
const Namespace = "https://iam.amazonaws.com/doc/2010-05-08/"

// IAM's error codes and the HTTP statuses IAM sends with them
// (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
// and each operation's Errors section).
var (
	noSuchEntity            = awserr.Code{Name: "NoSuchEntity", Status: http.StatusNotFound, Message: "The request was rejected because it referenced a resource entity that does not exist."}
	entityAlreadyExists     = awserr.Code{Name: "EntityAlreadyExists", Status: http.StatusConflict, Message: "The request was rejected because it attempted to create a resource that already exists."}
	deleteConflict          = awserr.Code{Name: "DeleteConflict", Status: http.StatusConflict, Message: "The request was rejected because it attempted to delete a resource that has attached subordinate entities."}
	limitExceeded           = awserr.Code{Name: "LimitExceeded", Status: http.StatusConflict, Message: "The request was rejected because it attempted to create resources beyond the current AWS account limits."}
	invalidInput            = awserr.Code{Name: "InvalidInput", Status: http.StatusBadRequest, Message: "The request was rejected because an invalid or out-of-range value was supplied for an input parameter."}
	malformedPolicyDocument = awserr.Code{Name: "MalformedPolicyDocument", Status: http.StatusBadRequest, Message: "The request was rejected because the policy document was malformed."}
	accessDenied            = awserr.Code{Name: "AccessDenied", Status: http.StatusForbidden, Message: "Access Denied"}
)

var reasonCodes = map[string]awserr.Code{
	"NoSuchEntity":            noSuchEntity,
	"EntityAlreadyExists":     entityAlreadyExists,
	"DeleteConflict":          deleteConflict,
	"LimitExceeded":           limitExceeded,
	"InvalidInput":            invalidInput,
	"MalformedPolicyDocument": malformedPolicyDocument,
	"ValidationError":         awserr.ValidationError,
	"AccessDenied":            accessDenied,
}

// wireError maps a domain error to IAM's code; anything unclassified is
// an internal error (ServiceFailure on the wire).
func wireError(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*awserr.Error); ok {
		return err
	}
	e, ok := errs.As(err)
	if !ok {
		return err
	}
	if c, ok := reasonCodes[e.Reason]; ok {
		return &awserr.Error{Code: c, Message: e.Msg}
	}
	if e.Kind == errs.Denied {
		return &awserr.Error{Code: accessDenied, Message: e.Msg}
	}
	return err
}

type handler struct{ svc *iam.Service }

type op func(r *http.Request, p query.Params) (any, error)

// New returns the IAM handler.
func New(svc *iam.Service) api.Handler {
	h := &handler{svc: svc}
	ops := map[string]op{}
	for _, table := range []map[string]func(*handler, *http.Request, query.Params) (any, error){userOps, roleOps, policyOps, otherOps} {
		for name, fn := range table {
			ops[name] = func(r *http.Request, p query.Params) (any, error) { return fn(h, r, p) }
		}
	}
	h.genericOps(ops)
	s := &query.Service{Namespace: Namespace, Ops: map[string]query.Operation{}}
	for name, fn := range ops {
		s.Ops[name] = wrap(name, fn)
	}
	return s
}

// wrap validates the parameters against the operation's shape and maps
// the operation's errors.
func wrap(name string, fn op) query.Operation {
	return func(r *http.Request, p query.Params) (any, error) {
		if err := validate(name, p); err != nil {
			return nil, err
		}
		out, err := fn(r, p)
		if err != nil || out == nil {
			return nil, wireError(err)
		}
		return named{out}, nil
	}
}

// named gives a result of an unnamed struct type an element name, which
// encoding/xml needs at the top level (query.Write strips it again).
type named struct{ v any }

// MarshalXML implements xml.Marshaler.
func (n named) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(n.v, start)
}

// pageParam reads Marker and MaxItems.
func pageParam(p query.Params) (iam.Page, error) {
	n, err := p.Int("MaxItems", 0)
	return iam.Page{Marker: p.Get("Marker"), MaxItems: n}, err
}

// tagsParam reads a Tags list.
func tagsParam(p query.Params, name string) []meta.Tag {
	var tags []meta.Tag
	for _, s := range p.Structs(name) {
		tags = append(tags, meta.Tag{Key: s.Get("Key"), Value: s.Get("Value")})
	}
	return tags
}

// none is the result of operations whose response has no result element.
var none any
