// Package server is grantd's single HTTP entry point. It gives each request
// an ID, authenticates it, routes it to a service by the SigV4 scope's
// service name and the path, renders returned errors in that service's
// protocol, turns panics into InternalError, and logs one line per request.
package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/grantd/grantd/internal/api"
	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/sigv4"
)

// Service names routes are registered under.
const (
	S3            = "s3"
	S3Control     = "s3control"
	IAM           = "iam"
	STS           = "sts"
	Organizations = "organizations"
)

// Route is one service: its handler and the error envelope of its protocol.
type Route struct {
	Protocol awserr.Protocol
	// Namespace is the XML namespace of Query-protocol errors.
	Namespace string
	Handler   api.Handler
}

// Options configure New.
type Options struct {
	Auth   *auth.Authenticator
	Routes map[string]Route
	// Region answers unsigned requests.
	Region string
	Log    *slog.Logger
	Now    func() time.Time
}

// Server is the http.Handler of a grantd node.
type Server struct {
	o        Options
	panics   atomic.Int64
	inFlight atomic.Int64
}

// New returns a server.
func New(o Options) *Server {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Server{o: o}
}

// Panics returns how many requests panicked. A panic is a bug; tests of
// bad input assert this stays zero.
func (s *Server) Panics() int64 { return s.panics.Load() }

// InFlight returns how many requests are being served now.
func (s *Server) InFlight() int64 { return s.inFlight.Load() }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	now := s.o.Now()
	req := &api.Request{ID: newRequestID(), HostID: newHostID(), Start: now, Request: &auth.Request{
		Caller: &auth.Caller{Kind: auth.Anonymous}, Region: s.o.Region, SourceIP: sourceIP(r.RemoteAddr),
		Secure: r.TLS != nil, Time: now, UserAgent: r.UserAgent()}}
	rec := &recorder{ResponseWriter: w}
	h := rec.Header()
	h.Set("x-amz-request-id", req.ID)
	h.Set("x-amz-id-2", req.HostID)
	h.Set("x-amzn-RequestId", req.ID)
	r = r.WithContext(api.WithRequest(r.Context(), req))

	name, route := s.route(r)
	env := awserr.Envelope{Protocol: route.Protocol, RequestID: req.ID, HostID: req.HostID,
		Namespace: route.Namespace, NoBody: r.Method == http.MethodHead}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.panics.Add(1)
			s.o.Log.Error("BUG: handler panicked", "request_id", req.ID, "panic", p, "stack", string(debug.Stack()))
			if !rec.wrote {
				env.Write(rec, awserr.New(internalCode(route.Protocol)))
			}
		}
		s.logRequest(req, name, rec.status)
	}()

	if err := s.serve(rec, r, req, name, route); err != nil {
		var ae *awserr.Error
		var se *sigv4.Error
		if !errors.As(err, &ae) && errors.As(err, &se) {
			// A body that failed verification while the handler read it.
			err = authError(route.Protocol, se)
		}
		e := awserr.As(err)
		if e.Code.Status >= 500 {
			s.o.Log.Error("request failed", "request_id", req.ID, "err", err)
		}
		if rec.wrote {
			return // the body is under way; nothing sensible to add
		}
		if e.Code.Name == awserr.InternalError.Name {
			e = awserr.New(internalCode(route.Protocol))
		}
		env.Write(rec, e)
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, req *api.Request, name string, route Route) error {
	if route.Handler == nil {
		return unknownService(route.Protocol)
	}
	sig, err := sigv4.Parse(r)
	switch {
	case errors.Is(err, sigv4.ErrNoAuth):
		// Anonymous: the handler decides whether that is allowed.
	case err != nil:
		return authError(route.Protocol, err)
	default:
		req.Sig, req.Region = sig, sig.Scope.Region
		req.AuthType = "REST-HEADER"
		if sig.Presigned {
			req.AuthType = "REST-QUERY-STRING"
		}
		caller, err := s.o.Auth.Authenticate(r, sig)
		if err != nil {
			return authError(route.Protocol, err)
		}
		req.Caller = caller
	}
	return route.Handler.ServeAWS(w, r)
}

// route picks the service: by the SigV4 scope's service name when signed,
// else by the request's shape.
func (s *Server) route(r *http.Request) (string, Route) {
	name := scopeService(r)
	switch name {
	case "":
		name = guessService(r)
	case S3:
		if strings.HasPrefix(r.URL.Path, "/v20180820/") && r.Header.Get("x-amz-account-id") != "" {
			name = S3Control
		}
	}
	if route, ok := s.o.Routes[name]; ok {
		return name, route
	}
	return name, Route{Protocol: protocolOf(r)}
}

// scopeService returns the service of the credential scope, without
// validating anything else (the handler chain does that).
func scopeService(r *http.Request) string {
	cred := ""
	if a := r.Header.Get("Authorization"); a != "" {
		_, rest, ok := strings.Cut(a, "Credential=")
		if !ok {
			return "" // malformed: route by shape; the service reports it
		}
		cred, _, _ = strings.Cut(rest, ",")
	} else {
		cred = r.URL.Query().Get("X-Amz-Credential")
	}
	if cred == "" {
		return ""
	}
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return ""
	}
	return parts[3]
}

// guessService routes unsigned requests (and those whose credential
// scope cannot be read): Query-protocol forms go to STS
// (AssumeRoleWithWebIdentity is unsigned), JSON targets to their service,
// S3 Control paths to S3 Control, and everything else to S3 as anonymous.
func guessService(r *http.Request) string {
	if t := r.Header.Get("X-Amz-Target"); strings.HasPrefix(t, "AWSOrganizations") {
		return Organizations
	}
	if strings.HasPrefix(r.URL.Path, "/v20180820/") && r.Header.Get("x-amz-account-id") != "" {
		return S3Control
	}
	if r.URL.Path == "/" && r.Method == http.MethodPost &&
		strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return STS
	}
	return S3
}

func protocolOf(r *http.Request) awserr.Protocol {
	switch {
	case r.Header.Get("X-Amz-Target") != "":
		return awserr.JSON
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		return awserr.Query
	}
	return awserr.S3
}

func unknownService(p awserr.Protocol) error {
	switch p {
	case awserr.JSON:
		return awserr.New(awserr.UnknownOperationException)
	case awserr.Query:
		return awserr.New(awserr.InvalidAction)
	}
	return awserr.Newf(awserr.NotImplemented, "This service is not implemented by grantd.")
}

func internalCode(p awserr.Protocol) awserr.Code {
	switch p {
	case awserr.Query:
		return awserr.ServiceFailure
	case awserr.JSON:
		return awserr.InternalFailureException
	}
	return awserr.InternalError
}

func (s *Server) logRequest(req *api.Request, service string, status int) {
	principal := "anonymous"
	if req.Caller != nil && req.Caller.ARN != "" {
		principal = req.Caller.ARN
	}
	attrs := append([]slog.Attr{slog.String("request_id", req.ID), slog.String("service", service),
		slog.String("operation", req.Operation), slog.String("principal", principal), slog.Int("status", status),
		slog.Duration("duration", s.o.Now().Sub(req.Start))}, req.LogAttrs...)
	s.o.Log.LogAttrs(context.Background(), slog.LevelInfo, "request", attrs...)
}

func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

func newHostID() string {
	var b [24]byte
	rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

func sourceIP(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return remote
	}
	return host
}

// recorder remembers the status and whether anything was written.
type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	if !r.wrote {
		r.status, r.wrote = http.StatusOK, true
	}
	return r.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
