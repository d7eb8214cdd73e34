package arn

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    ARN
		wantErr bool
	}{
		{name: "s3 bucket has no region or account", in: "arn:aws:s3:::bucket", want: ARN{Partition: "aws", Service: "s3", Resource: "bucket"}},
		{name: "s3 object keeps slashes", in: "arn:aws:s3:::bucket/a/b.txt", want: ARN{Partition: "aws", Service: "s3", Resource: "bucket/a/b.txt"}},
		{name: "iam user with path", in: "arn:aws:iam::111122223333:user/dev/alice", want: ARN{Partition: "aws", Service: "iam", Account: "111122223333", Resource: "user/dev/alice"}},
		{name: "assumed role session", in: "arn:aws:sts::111122223333:assumed-role/r/s", want: ARN{Partition: "aws", Service: "sts", Account: "111122223333", Resource: "assumed-role/r/s"}},
		{name: "resource may contain colons", in: "arn:aws:sns:us-east-1:111122223333:topic:sub", want: ARN{Partition: "aws", Service: "sns", Region: "us-east-1", Account: "111122223333", Resource: "topic:sub"}},
		{name: "other partition", in: "arn:aws-cn:s3:::b", want: ARN{Partition: "aws-cn", Service: "s3", Resource: "b"}},
		{name: "access grants instance", in: "arn:aws:s3:us-east-2:111122223333:access-grants/default", want: ARN{Partition: "aws", Service: "s3", Region: "us-east-2", Account: "111122223333", Resource: "access-grants/default"}},
		{name: "missing prefix", in: "aws:s3:::bucket", wantErr: true},
		{name: "upper-case prefix is not an ARN", in: "ARN:aws:s3:::bucket", wantErr: true},
		{name: "too few parts", in: "arn:aws:s3::bucket", wantErr: true},
		{name: "empty partition", in: "arn::s3:::bucket", wantErr: true},
		{name: "empty service", in: "arn:aws::::bucket", wantErr: true},
		{name: "empty resource", in: "arn:aws:s3:::", wantErr: true},
		{name: "empty string", in: "", wantErr: true},
		{name: "wildcard", in: "*", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.in)
			if tt.wantErr {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("Parse(%q) error = %v, want *Error", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("String() = %q, want %q", s, tt.in)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		isARN bool
		segs  []string
		rest3 string
	}{
		{name: "full", in: "arn:aws:s3:::b/k", isARN: true, segs: []string{"arn", "aws", "s3", "", "", "b/k"}, rest3: "::b/k"},
		{name: "colons in resource", in: "arn:p:s:r:a:x:y:z", isARN: true, segs: []string{"arn", "p", "s", "r", "a", "x:y:z"}, rest3: "r:a:x:y:z"},
		{name: "short", in: "arn:aws:s3", segs: []string{"arn", "aws", "s3", "", "", ""}},
		{name: "not arn", in: "foo:a:b:c:d:e", segs: []string{"foo", "a", "b", "c", "d", "e"}, rest3: "c:d:e"},
		{name: "empty", in: "", segs: []string{"", "", "", "", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := Split(tt.in)
			if p.IsARN() != tt.isARN {
				t.Errorf("IsARN() = %v, want %v", p.IsARN(), tt.isARN)
			}
			var got []string
			for i := 0; i < 6; i++ {
				got = append(got, p.Segment(i))
			}
			if diff := cmp.Diff(tt.segs, got); diff != "" {
				t.Errorf("segments mismatch (-want +got):\n%s", diff)
			}
			if r := p.Rest(3); r != tt.rest3 {
				t.Errorf("Rest(3) = %q, want %q", r, tt.rest3)
			}
			if p.String() != tt.in {
				t.Errorf("String() = %q", p.String())
			}
		})
	}
}
