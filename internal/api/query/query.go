// Package query implements the AWS Query protocol that IAM and STS speak:
// form-encoded requests (Action=Op&Version=…&Param.member.N=…) and XML
// responses wrapped in <OpResponse><OpResult>…</OpResult><ResponseMetadata/>.
package query

import (
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/grantd/grantd/internal/api"
	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/awserr"
)

// MaxBody caps a Query request body. IAM's largest inputs (policy
// documents for the simulator) stay far below it.
const MaxBody = 1 << 20

// Params are a Query request's parameters.
type Params struct{ url.Values }

// Operation handles one Action and returns the value marshalled inside
// <ActionResult>, or nil for an empty result.
type Operation func(r *http.Request, p Params) (any, error)

// Service dispatches Actions to operations.
type Service struct {
	// Namespace is the XML namespace of responses and errors.
	Namespace string
	Ops       map[string]Operation
	// Anonymous lists the actions that may be called unsigned (STS's
	// AssumeRoleWithWebIdentity); all others need a signature.
	Anonymous map[string]bool
}

// ServeAWS implements api.Handler.
func (s *Service) ServeAWS(w http.ResponseWriter, r *http.Request) error {
	p, err := Parse(r)
	if err != nil {
		return err
	}
	action := p.Get("Action")
	if action == "" {
		return awserr.Newf(awserr.MissingAction, "Missing Action")
	}
	api.SetOperation(r.Context(), action)
	op, ok := s.Ops[action]
	if !ok {
		return awserr.Newf(awserr.InvalidAction, "Could not find operation %s for version %s", action, p.Get("Version"))
	}
	if api.FromContext(r.Context()).Caller.Kind == auth.Anonymous && !s.Anonymous[action] {
		return awserr.New(awserr.MissingAuthenticationToken)
	}
	result, err := op(r, p)
	if err != nil {
		return err
	}
	return Write(w, r, s.Namespace, action, result)
}

// Parse reads the parameters from the query string and, for POST, the
// form body.
func Parse(r *http.Request) (Params, error) {
	values := r.URL.Query()
	if r.Method == http.MethodPost {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct != "" && ct != "application/x-www-form-urlencoded" {
			return Params{}, awserr.Newf(awserr.InvalidAction, "Content-Type %q is not supported; use application/x-www-form-urlencoded", ct)
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
		if err != nil {
			return Params{}, fmt.Errorf("read body: %w", err)
		}
		if len(body) > MaxBody {
			return Params{}, awserr.Newf(awserr.ValidationError, "Request body exceeds the maximum of %d bytes", MaxBody)
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return Params{}, awserr.Newf(awserr.MalformedQueryString, "The request body is not valid form encoding: %v", err)
		}
		for k, vs := range form {
			values[k] = append(values[k], vs...)
		}
	}
	return Params{values}, nil
}

// Write writes the standard response envelope around result.
func Write(w http.ResponseWriter, r *http.Request, ns, action string, result any) error {
	var b strings.Builder
	b.WriteString(xml.Header)
	fmt.Fprintf(&b, `<%sResponse xmlns="%s">`, action, ns)
	if result != nil {
		out, err := xml.Marshal(result)
		if err != nil {
			return fmt.Errorf("marshal %s result: %w", action, err)
		}
		fmt.Fprintf(&b, "<%sResult>", action)
		b.Write(innerXML(out))
		fmt.Fprintf(&b, "</%sResult>", action)
	}
	fmt.Fprintf(&b, "<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>", api.FromContext(r.Context()).ID, action)
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(http.StatusOK)
	_, err := io.WriteString(w, b.String())
	return err
}

// innerXML strips the outermost element that xml.Marshal wrapped the
// result in, so result types need no XMLName.
func innerXML(doc []byte) []byte {
	start := strings.IndexByte(string(doc), '>')
	end := strings.LastIndexByte(string(doc), '<')
	if start < 0 || end <= start || strings.HasSuffix(string(doc[:start+1]), "/>") {
		return nil
	}
	return doc[start+1 : end]
}
