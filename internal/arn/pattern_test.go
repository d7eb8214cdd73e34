package arn

import "testing"

func TestPattern(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pattern string
		value   string
		want    bool
	}{
		{name: "star matches anything", pattern: "*", value: "anything", want: true},
		{name: "star matches non-ARN", pattern: "*", value: "", want: true},
		{name: "literal", pattern: "arn:aws:s3:::bucket", value: "arn:aws:s3:::bucket", want: true},
		{name: "literal is case-sensitive", pattern: "arn:aws:s3:::bucket", value: "arn:aws:s3:::Bucket", want: false},
		{name: "resource wildcard spans slash", pattern: "arn:aws:s3:::bucket/*", value: "arn:aws:s3:::bucket/a/b/c", want: true},
		{name: "resource wildcard spans colon", pattern: "arn:aws:sns:us-east-1:111122223333:*", value: "arn:aws:sns:us-east-1:111122223333:topic:sub", want: true},
		{name: "bucket pattern does not match objects", pattern: "arn:aws:s3:::bucket", value: "arn:aws:s3:::bucket/k", want: false},
		{name: "object pattern does not match bucket", pattern: "arn:aws:s3:::bucket/*", value: "arn:aws:s3:::bucket", want: false},
		{name: "region wildcard stays in its segment", pattern: "arn:aws:someservice:*:111122223333:finance/*", value: "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt", want: false},
		{name: "region wildcard", pattern: "arn:aws:ec2:*:111122223333:instance/*", value: "arn:aws:ec2:us-west-2:111122223333:instance/i-1", want: true},
		{name: "account wildcard", pattern: "arn:aws:iam::*:user/alice", value: "arn:aws:iam::444455556666:user/alice", want: true},
		{name: "question in account", pattern: "arn:aws:iam::11112222333?:root", value: "arn:aws:iam::111122223333:root", want: true},
		{name: "empty region must be empty", pattern: "arn:aws:s3:::b", value: "arn:aws:s3:us-east-1::b", want: false},
		{name: "star matches empty region", pattern: "arn:aws:s3:*:*:b", value: "arn:aws:s3:::b", want: true},
		{name: "partition wildcard", pattern: "arn:*:s3:::b", value: "arn:aws-cn:s3:::b", want: true},
		{name: "service mismatch", pattern: "arn:aws:s3:::*", value: "arn:aws:iam::111122223333:root", want: false},
		{name: "short pattern trailing star spans colons", pattern: "arn:aws:s3:*", value: "arn:aws:s3:us-east-1:111122223333:access-grants/default", want: true},
		{name: "short pattern checks earlier segments", pattern: "arn:aws:s3:*", value: "arn:aws:iam::111122223333:root", want: false},
		{name: "short pattern arn star", pattern: "arn:*", value: "arn:aws:iam::111122223333:user/x", want: true},
		{name: "short pattern partial last segment", pattern: "arn:aws:ec2:us-*", value: "arn:aws:ec2:us-east-1:1:instance/i", want: true},
		{name: "short pattern partial last segment mismatch", pattern: "arn:aws:ec2:us-*", value: "arn:aws:ec2:eu-west-1:1:instance/i", want: false},
		{name: "ARN pattern never matches a non-ARN", pattern: "arn:*", value: "*", want: false},
		{name: "ARN pattern never matches a short ARN", pattern: "arn:aws:s3:::*", value: "arn:aws:s3", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := ParsePattern(tt.pattern)
			if err != nil {
				t.Fatalf("ParsePattern(%q): %v", tt.pattern, err)
			}
			if got := p.Match(tt.value); got != tt.want {
				t.Errorf("Match(%q) = %v, want %v", tt.value, got, tt.want)
			}
			parts := Split(tt.value)
			if got := p.MatchParts(&parts); got != tt.want {
				t.Errorf("MatchParts(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

func TestParsePatternErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "bucket", "arn:aws:s3", "arn:aws:s3:::", "s3:::bucket", "**"} {
		if in == "arn:aws:s3:::" {
			continue // six segments, empty resource: a valid (if useless) pattern
		}
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			if _, err := ParsePattern(in); err == nil {
				t.Errorf("ParsePattern(%q) succeeded, want error", in)
			}
		})
	}
}
