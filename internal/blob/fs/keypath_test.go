package fs

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/grantd/grantd/internal/blob"
	"github.com/grantd/grantd/internal/blob/blobtest"
)

// TestEncodeKey pins the on-disk layout: changing it orphans existing
// stores, so any change here needs a migration.
func TestEncodeKey(t *testing.T) {
	tests := []struct{ key, want string }{
		{"a", "a.blob"},
		{"a/b", "a~/b.blob"},
		{"a/", "a~/.blob"},
		{"/", "~/.blob"},
		{"/a", "~/a.blob"},
		{"a//b", "a~/~/b.blob"},
		{".", "..blob"},
		{"..", "...blob"},
		{"../x", "..~/x.blob"},
		{"Key", "%4bey.blob"},
		{"a b", "a%20b.blob"},
		{"a\x00b", "a%00b.blob"},
		{"%", "%25.blob"},
		{"a+", "a%2b.blob"},
		{"a~", "a%7e.blob"},
		{"é", "%c3%a9.blob"},
		{"\xff", "%ff.blob"},
		{"obj/0e9c5b1e-8d6f/5f0e_6a9a.x", "obj~/0e9c5b1e-8d6f~/5f0e_6a9a.x.blob"},
		{strings.Repeat("x", 201), strings.Repeat("x", 200) + "+/x.blob"},
		{strings.Repeat("x", 400) + "/y", strings.Repeat("x", 200) + "+/" + strings.Repeat("x", 200) + "~/y.blob"},
		// A token is never split: 66 escapes fill 198 bytes, the 67th starts a piece.
		{strings.Repeat(" ", 67), strings.Repeat("%20", 66) + "+/%20.blob"},
	}
	for _, tt := range tests {
		if got := encodeKey(tt.key); got != tt.want {
			t.Errorf("encodeKey(%q) = %q, want %q", tt.key, got, tt.want)
		}
		if got, err := decodeKey(tt.want); err != nil || got != tt.key {
			t.Errorf("decodeKey(%q) = %q, %v; want %q", tt.want, got, err, tt.key)
		}
	}
}

func TestDecodeKeyRejects(t *testing.T) {
	for _, p := range []string{
		"", "a", "a~", "a.blob/b.blob", "a/b.blob", "a~/b", "%4Bey.blob", "%61.blob",
		"%.blob", "%2.blob", "%zz.blob", "a+/b.blob", "A.blob", "a~/../b.blob",
		strings.Repeat("x", 201) + ".blob",
	} {
		if k, err := decodeKey(p); err == nil {
			t.Errorf("decodeKey(%q) = %q, want an error", p, k)
		}
	}
}

func TestEncodeDir(t *testing.T) {
	for _, prefix := range []string{"a/", "/", "//", "obj/b1/", strings.Repeat("y", 450) + "/z/"} {
		// Every key under prefix lives in encodeDir(prefix).
		dir := encodeDir(prefix)
		for _, rest := range []string{"", "k", "k/l", "/"} {
			if p := encodeKey(prefix + rest); !strings.HasPrefix(p, dir+"/") {
				t.Errorf("encodeKey(%q) = %q, not under encodeDir(%q) = %q", prefix+rest, p, prefix, dir)
			}
		}
	}
	if d := encodeDir(""); d != "" {
		t.Errorf(`encodeDir("") = %q, want ""`, d)
	}
}

// checkPath checks the safety properties of p = encodeKey(key).
func checkPath(t *testing.T, key, p string) {
	t.Helper()
	if !filepath.IsLocal(filepath.FromSlash(p)) {
		t.Fatalf("encodeKey(%q) = %q is not local", key, p)
	}
	const dir = "/srv/grantd/blobs"
	if j := filepath.Join(dir, filepath.FromSlash(p)); !strings.HasPrefix(j, dir+"/") {
		t.Fatalf("encodeKey(%q) = %q leaves %s: %s", key, p, dir, j)
	}
	if p != strings.ToLower(p) {
		t.Fatalf("encodeKey(%q) = %q has upper case", key, p)
	}
	comps := strings.Split(p, "/")
	for i, c := range comps {
		switch {
		case c == "" || c == "." || c == "..":
			t.Fatalf("encodeKey(%q) = %q has component %q", key, p, c)
		case len(c) > 255:
			t.Fatalf("encodeKey(%q) = %q has a %d-byte component", key, p, len(c))
		case strings.ContainsAny(c, "\x00\\"):
			t.Fatalf("encodeKey(%q) = %q has NUL or backslash", key, p)
		case i < len(comps)-1 && strings.HasSuffix(c, fileSuffix):
			t.Fatalf("encodeKey(%q) = %q has a directory named like a file", key, p)
		}
		for _, r := range c {
			if r < 0x21 || r > 0x7e {
				t.Fatalf("encodeKey(%q) = %q has non-printable or non-ASCII byte", key, p)
			}
		}
	}
	if got, err := decodeKey(p); err != nil || got != key {
		t.Fatalf("decodeKey(encodeKey(%q)) = %q, %v", key, got, err)
	}
}

// FuzzKeyPath checks the key encoding: no panic, the path stays inside the
// store, decodes back to the key, and distinct keys get distinct paths, none
// of which is a directory on the other's path.
func FuzzKeyPath(f *testing.F) {
	keys := blobtest.NastyKeys()
	for i, k := range keys {
		f.Add(k.Key, keys[(i+1)%len(keys)].Key)
	}
	f.Add("a", "a/b")
	f.Add("key", "Key")
	f.Add("a~", "a/")
	f.Fuzz(func(t *testing.T, k1, k2 string) {
		for _, k := range []string{k1, k2} {
			if blob.ValidateKey(k) == nil {
				checkPath(t, k, encodeKey(k))
			}
		}
		if k1 == k2 || blob.ValidateKey(k1) != nil || blob.ValidateKey(k2) != nil {
			return
		}
		p1, p2 := encodeKey(k1), encodeKey(k2)
		if strings.EqualFold(p1, p2) {
			t.Fatalf("keys %q and %q share the path %q (up to case)", k1, k2, p1)
		}
		if strings.HasPrefix(p2, p1+"/") || strings.HasPrefix(p1, p2+"/") {
			t.Fatalf("paths %q and %q: one is a directory of the other", p1, p2)
		}
	})
}
