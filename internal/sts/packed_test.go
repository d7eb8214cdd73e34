package sts

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// typicalPolicy is a session policy of ordinary statements, about n
// characters long.
func typicalPolicy(n int) string {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; b.Len() < n-120; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::reports-%d/team/*"}`, i)
	}
	b.WriteString(`]}`)
	return b.String()
}

func randomText(n int) string {
	b := make([]byte, n/2)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// TestPackedBudgets pins the behaviour the budgets were chosen for (see
// packed.go): typical inputs fit, incompressible or very many tags do not.
func TestPackedBudgets(t *testing.T) {
	typicalTags := make([]Tag, 12)
	for i := range typicalTags {
		typicalTags[i] = Tag{Key: fmt.Sprintf("project-%d", i), Value: "analytics-team"}
	}
	longTags := make([]Tag, 50)
	for i := range longTags {
		longTags[i] = Tag{Key: randomText(40), Value: randomText(80)}
	}
	tests := []struct {
		name   string
		policy string
		arns   []string
		tags   []Tag
		fits   bool
	}{
		{"2,048-character typical policy", typicalPolicy(2048), nil, nil, true},
		{"2,048 incompressible characters", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::` + randomText(1950) + `"}}`, nil, nil, false},
		{"ten managed policy ARNs", "", []string{"arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B", "arn:aws:iam::111122223333:policy/C",
			"arn:aws:iam::aws:policy/D", "arn:aws:iam::aws:policy/E", "arn:aws:iam::aws:policy/F", "arn:aws:iam::aws:policy/G",
			"arn:aws:iam::aws:policy/H", "arn:aws:iam::aws:policy/I", "arn:aws:iam::aws:policy/J"}, nil, true},
		{"a dozen typical tags", "", nil, typicalTags, true},
		{"fifty long random tags", "", nil, longTags, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pack(tt.policy, tt.arns, tt.tags, nil)
			t.Logf("%+v", p)
			if fits := p.err() == nil; fits != tt.fits {
				t.Errorf("pack = %+v; fits %v, want %v", p, fits, tt.fits)
			}
			if p.size() < 1 {
				t.Errorf("size = %d, want at least 1%%", p.size())
			}
		})
	}
	if p := pack("", nil, nil, nil); p.size() != 0 || p.err() != nil {
		t.Errorf("nothing packed = %+v", p)
	}
	err := pack(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"`+randomText(3000)+`"}}`, nil, nil, nil).err()
	if !errors.Is(err, ErrPackedPolicyTooLarge) || !strings.Contains(err.Error(), "Packed policy consumes ") {
		t.Errorf("err = %v", err)
	}
}
