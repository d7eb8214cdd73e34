package sts

import (
	"errors"
	"testing"

	"github.com/grantd/grantd/internal/errs"
)

func TestRoleARNParsing(t *testing.T) {
	tests := []struct {
		in        string
		ok        bool
		invalid   bool
		path, nam string
	}{
		{"arn:aws:iam::111122223333:role/r", true, false, "/", "r"},
		{"arn:aws:iam::111122223333:role/a/b/r", true, false, "/a/b/", "r"},
		{"arn:aws:iam::111122223333:user/u", false, false, "", ""},
		{"arn:aws:s3:::bucket-name-long-enough", false, false, "", ""},
		{"arn:aws:iam:us-east-1:111122223333:role/r", false, false, "", ""},
		{"arn:aws:iam::111122223333:role/", false, false, "", ""},
		{"arn:aws:iam::111122223333:role/a//r", false, false, "", ""},
		{"arn:aws:iam::12345:role/r", false, true, "", ""},
		{"not-an-arn-at-all-really", false, true, "", ""},
	}
	for _, tt := range tests {
		ref, ok, err := parseRoleARN(tt.in)
		if (err != nil) != tt.invalid || ok != tt.ok {
			t.Errorf("parseRoleARN(%q) = ok %v, err %v", tt.in, ok, err)
			continue
		}
		if err != nil && !errors.Is(err, ErrValidation) {
			t.Errorf("parseRoleARN(%q): err %v is not a ValidationError", tt.in, err)
		}
		if ok && (ref.path != tt.path || ref.name != tt.nam) {
			t.Errorf("parseRoleARN(%q) = %+v", tt.in, ref)
		}
	}
}

func TestViolations(t *testing.T) {
	name, dur := "a b", 100
	var v violations
	v.str("roleSessionName", &name, true, 2, 64, &namePattern)
	v.integer("durationSeconds", &dur, 900, 43200)
	v.str("roleArn", nil, true, 20, 2048, &arnPattern)
	e, ok := errs.As(v.err())
	if !ok || e.Kind != errs.Invalid || e.Reason != ReasonValidation {
		t.Fatalf("err = %v", v.err())
	}
	want := "3 validation errors detected: " +
		`Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*; ` +
		"Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900; " +
		"Value null at 'roleArn' failed to satisfy constraint: Member must not be null"
	if e.Msg != want {
		t.Errorf("message\n got %s\nwant %s", e.Msg, want)
	}
	var none violations
	if none.err() != nil {
		t.Error("no violations should be no error")
	}
}
