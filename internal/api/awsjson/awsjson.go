// Package awsjson implements the awsJson1.1 protocol of Organizations and
// the other JSON services: POST / with X-Amz-Target: Prefix.Operation and a
// JSON body, answered with a JSON body.
package awsjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/grantd/grantd/internal/api"
	"github.com/grantd/grantd/internal/awserr"
)

// MaxBody caps a request body.
const MaxBody = 1 << 20

// Operation handles one target. decode unmarshals the request body into its
// argument. The returned value is marshalled as the response body.
type Operation func(r *http.Request, decode func(any) error) (any, error)

// Service dispatches X-Amz-Target values to operations.
type Service struct {
	// TargetPrefix is the part before the dot, e.g. "AWSOrganizationsV20161128".
	TargetPrefix string
	// ContentType of responses, e.g. "application/x-amz-json-1.1".
	ContentType string
	Ops         map[string]Operation
}

// ServeAWS implements api.Handler.
func (s *Service) ServeAWS(w http.ResponseWriter, r *http.Request) error {
	target := r.Header.Get("X-Amz-Target")
	prefix, name, ok := strings.Cut(target, ".")
	if r.Method != http.MethodPost || !ok || prefix != s.TargetPrefix {
		return awserr.New(awserr.UnknownOperationException)
	}
	api.SetOperation(r.Context(), name)
	op, ok := s.Ops[name]
	if !ok {
		return awserr.New(awserr.UnknownOperationException)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	if len(body) > MaxBody {
		return awserr.Newf(awserr.SerializationException, "Request body exceeds %d bytes", MaxBody)
	}
	decode := func(v any) error {
		if len(bytes.TrimSpace(body)) == 0 {
			return nil
		}
		if err := json.Unmarshal(body, v); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				return awserr.Newf(awserr.SerializationException, "Unexpected value type for field %s", te.Field)
			}
			return awserr.Newf(awserr.SerializationException, "Malformed JSON body: %v", err)
		}
		return nil
	}
	out, err := op(r, decode)
	if err != nil {
		return err
	}
	if out == nil {
		out = struct{}{}
	}
	payload, err := json.Marshal(out)
	if err != nil {
		return fmt.Errorf("marshal %s output: %w", name, err)
	}
	w.Header().Set("Content-Type", s.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(payload)
	return err
}

// Time is a timestamp in the JSON protocols' epoch-seconds form.
type Time float64
