package sessiontoken

import (
	"bytes"
	"crypto/rand"
	"log/slog"
	"strings"
	"testing"
)

func TestNewKeyring(t *testing.T) {
	t.Parallel()
	if _, err := NewKeyring(testKey(t, 1, 1), testKey(t, 2, 2), testKey(t, 1, 3)); err == nil {
		t.Error("duplicate key IDs accepted")
	}
	if _, err := NewKeyring(Key{ID: 1}); err == nil {
		t.Error("all-zero secret accepted")
	}
}

func TestKeyText(t *testing.T) {
	t.Parallel()
	k, err := GenerateKey(rand.Reader, 4294967295)
	if err != nil {
		t.Fatal(err)
	}
	s := k.String()
	if !strings.HasPrefix(s, "gk1:4294967295:") || len(s) != len("gk1:4294967295:")+43 {
		t.Errorf("String() = %q", s)
	}
	got, err := ParseKey(s)
	if err != nil || got != k {
		t.Fatalf("ParseKey(String()) = %v, %v", got, err)
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("key", "key", k)
	if strings.Contains(logged.String(), secretOf(s)) || !strings.Contains(logged.String(), "gk1:4294967295:REDACTED") {
		t.Errorf("slog output %q", logged.String())
	}
	k2, _ := GenerateKey(rand.Reader, 1)
	if k2.Secret == k.Secret {
		t.Error("GenerateKey returned the same secret twice")
	}
	if _, err := GenerateKey(bytes.NewReader(make([]byte, 31)), 1); err == nil {
		t.Error("GenerateKey with short randomness succeeded")
	}
	secret := secretOf(s)
	bad := []string{
		"", "gk1:", "gk2:1:" + secret, "gk1:1", "gk1::" + secret, "gk1:01:" + secret,
		"gk1:+1:" + secret, "gk1:-1:" + secret, "gk1:4294967296:" + secret,
		"gk1:1:" + secret[:42], "gk1:1:" + secret + "A", "gk1:1:" + secret + "=",
		"gk1:1:" + secret[:42] + "!", "gk1:1:" + secret[:21] + "\n" + secret[21:],
		" gk1:1:" + secret,
	}
	for _, s := range bad {
		if _, err := ParseKey(s); err == nil {
			t.Errorf("ParseKey(%q) succeeded", s)
		} else if strings.Contains(err.Error(), secret) {
			t.Errorf("ParseKey error reveals the secret: %v", err)
		}
	}
}

func secretOf(keyText string) string { return keyText[strings.LastIndex(keyText, ":")+1:] }

func TestParseKeyring(t *testing.T) {
	t.Parallel()
	k1, k2 := testKey(t, 1, 1), testKey(t, 2, 2)
	r, err := ParseKeyring(k2.String() + ", " + k1.String() + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if r.CurrentKeyID() != 2 {
		t.Errorf("CurrentKeyID = %d, want 2", r.CurrentKeyID())
	}
	tok := seal(t, testRing(t, k1), roleClaims())
	if _, err := r.Open(tok, roleClaims().AccessKeyID, now); err != nil {
		t.Errorf("old key not in parsed ring: %v", err)
	}
	for _, s := range []string{"", ",", k1.String() + ",", k1.String() + "," + k1.String()} {
		if _, err := ParseKeyring(s); err == nil {
			t.Errorf("ParseKeyring(%q) succeeded", s)
		}
	}
}

func TestNewAccessKeyID(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		id, err := NewAccessKeyID(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if !ValidAccessKeyID(id) || len(id) != 20 || !strings.HasPrefix(id, "ASIA") ||
			strings.Trim(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "" {
			t.Fatalf("bad access key ID %q", id)
		}
		if seen[id] {
			t.Fatalf("duplicate access key ID %q", id)
		}
		seen[id] = true
	}
	if _, err := NewAccessKeyID(bytes.NewReader(nil)); err == nil {
		t.Error("NewAccessKeyID without randomness succeeded")
	}
}

func TestValidAccessKeyID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id   string
		want bool
	}{
		{"ASIAIOSFODNN7EXAMPLE", true},
		{"ASIAAAAAAAAAAAAAAAAA", true},
		{"ASIA2222777777777777", true},
		{"AKIAIOSFODNN7EXAMPLE", false},
		{"ASIAIOSFODNN7EXAMPL", false},
		{"ASIAIOSFODNN7EXAMPLEX", false},
		{"ASIAIOSFODNN1EXAMPLE", false}, // 1 is not base32
		{"ASIAIOSFODNN8EXAMPLE", false},
		{"ASIAiosfodnn7example", false},
		{"asiaIOSFODNN7EXAMPLE", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidAccessKeyID(tt.id); got != tt.want {
			t.Errorf("ValidAccessKeyID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func TestNewSecret(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		s, err := NewSecret(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if len(s) != 40 || strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") != "" {
			t.Fatalf("bad secret %q", s)
		}
		if seen[s] {
			t.Fatalf("duplicate secret %q", s)
		}
		seen[s] = true
	}
	if _, err := NewSecret(bytes.NewReader(make([]byte, 29))); err == nil {
		t.Error("NewSecret with short randomness succeeded")
	}
}

func TestKindString(t *testing.T) {
	t.Parallel()
	for k, want := range map[Kind]string{
		AssumedRole: "AssumedRole", FederatedUser: "FederatedUser", UserSession: "UserSession",
		RootSession: "RootSession", 0: "Kind(0)", 9: "Kind(9)",
	} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", uint8(k), got, want)
		}
	}
}
