// Package awserr is the AWS error value and one renderer per protocol
// envelope. Handlers return errors; the router renders them here, so the
// shape of an error body is decided in exactly one place per protocol.
package awserr

import (
	"errors"
	"fmt"
)

// Field is an extra element rendered next to Code and Message, such as
// S3's BucketName or Key.
type Field struct {
	Name  string
	Value string
}

// Error is an error with an AWS wire code. Error() returns plain text; the
// protocol renderers turn it into XML or JSON.
type Error struct {
	Code    Code
	Message string  // overrides Code.Message when set
	Fields  []Field // extra elements for XML envelopes
	Err     error   // cause: logged under the request ID, never rendered
}

// New returns an error with code c and its default message.
func New(c Code) *Error { return &Error{Code: c} }

// Newf returns an error with code c and a formatted message.
func Newf(c Code, format string, args ...any) *Error {
	return &Error{Code: c, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with code c whose cause is err. The cause is only
// logged.
func Wrap(c Code, err error) *Error { return &Error{Code: c, Err: err} }

// With returns a copy of e with an extra field.
func (e *Error) With(name, value string) *Error {
	c := *e
	c.Fields = append(append([]Field(nil), e.Fields...), Field{name, value})
	return &c
}

// Msg returns the message rendered on the wire.
func (e *Error) Msg() string {
	if e.Message != "" {
		return e.Message
	}
	return e.Code.Message
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code.Name, e.Msg(), e.Err)
	}
	return e.Code.Name + ": " + e.Msg()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// As returns err as an *Error if it is (or wraps) one, else an
// InternalError that wraps err.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Wrap(InternalError, err)
}

// Is reports whether err carries the AWS code c.
func Is(err error, c Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code.Name == c.Name
}
