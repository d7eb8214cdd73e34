// Package errs classifies domain errors by kind. Domain packages (iam, s3,
// grants…) return errors of a kind with a reason and a human message; each
// internal/api/<service> maps kinds and reasons to its own wire codes in one
// function, because "not found" is NoSuchKey in S3 and NoSuchEntity in IAM.
package errs

import (
	"errors"
	"fmt"
)

// Kind is the class of a domain error.
type Kind uint8

// The kinds of domain errors.
const (
	Other           Kind = iota // unclassified: an internal failure
	Invalid                     // the input breaks a rule
	NotFound                    // the named thing does not exist
	Conflict                    // the thing exists already, or the state forbids the change
	Denied                      // the caller may not do this
	LimitExceeded               // a quota would be exceeded
	Precondition                // a conditional request's condition failed
	Unauthenticated             // the credentials are not valid
)

var kindNames = [...]string{"other", "invalid", "not found", "conflict", "denied", "limit exceeded", "precondition failed", "unauthenticated"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Error is a classified domain error.
type Error struct {
	Kind Kind
	// Reason is a stable label the API layer maps to a wire code
	// (e.g. "NoSuchBucket", "EntityAlreadyExists").
	Reason string
	// Msg is the human-readable message, in AWS's wording where the API
	// layer passes it through.
	Msg string
	Err error
}

// E returns an error of the given kind and reason with a formatted message.
func E(k Kind, reason, format string, args ...any) *Error {
	return &Error{Kind: k, Reason: reason, Msg: fmt.Sprintf(format, args...)}
}

// Error implements error.
func (e *Error) Error() string {
	s := e.Kind.String()
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is matches another *Error by kind and reason, so sentinels declared with
// E work with errors.Is even after being copied with a new message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.Reason == e.Reason
}

// KindOf returns the kind of err, or Other.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Other
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err is of kind k.
func Is(err error, k Kind) bool { return KindOf(err) == k }
