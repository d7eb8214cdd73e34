package blobtest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/grantd/grantd/internal/blob"
)

// Key is a named test key.
type Key struct {
	Name string
	Key  string
}

// NastyKeys returns keys that stress how a driver maps keys to its own
// namespace: path syntax, bytes that file systems, URLs or XML treat
// specially, keys that are prefixes of others, case-only differences, and
// keys at blob.MaxKeyLen. All are distinct and valid. Drivers' own tests use
// them too (for example as fuzz seeds).
func NastyKeys() []Key {
	var all256 strings.Builder
	for i := range 256 {
		all256.WriteByte(byte(i))
	}
	return []Key{
		{"plain", "a"},
		{"prefix-of-nested", "a/b"},
		{"nested-deeper", "a/b/c"},
		{"prefix-sibling", "ab"},
		{"trailing-slash", "a/"},
		{"double-slash", "a//b"},
		{"leading-slash", "/a"},
		{"only-slash", "/"},
		{"two-slashes", "//"},
		{"dot", "."},
		{"dotdot", ".."},
		{"dot-segment", "a/./b"},
		{"dotdot-segment", "a/../b"},
		{"escape-up", "../../../../../../../../etc/passwd"},
		{"absolute", "/etc/passwd"},
		{"dot-prefixed", "./a"},
		{"triple-dot", "..."},
		{"hidden", ".hidden"},
		{"backslash-escape", `..\..\windows\system32`},
		{"nul", "a\x00b"},
		{"only-nul", "\x00"},
		{"newline", "line1\nline2"},
		{"crlf-tab", "\r\n\t"},
		{"del", "\x7f"},
		{"space", " "},
		{"spaces", " a b "},
		{"unicode", "日本語/ключ/🙂"},
		{"nfc", "\u00e9"},
		{"nfd", "e\u0301"},
		{"replacement-char", "\ufffd"},
		{"invalid-utf8", "\xff\xfe"},
		{"truncated-utf8", "a/\xc3"},
		{"case-lower", "key"},
		{"case-title", "Key"},
		{"case-upper", "KEY"},
		{"percent", "%"},
		{"percent-encoded-slash", "a%2Fb"},
		{"percent-encoded-lower", "a%2fb"},
		{"encoded-dotdot", "%2e%2e"},
		{"plus", "a+b"},
		{"tilde", "a~"},
		{"tilde-nested", "a~/b"},
		{"marker-plus", "a+"},
		{"suffix-lookalike", "a.blob"},
		{"suffix-only", ".blob"},
		{"query-chars", "a?b#c&d=e"},
		{"windows-reserved", "con"},
		{"windows-reserved-ext", "aux.txt/nul"},
		{"windows-chars", `a:b*c?"<>|`},
		{"layout-lookalike-tmp", "tmp/x"},
		{"layout-lookalike-lock", "LOCK"},
		{"layout-lookalike-blobs", "blobs/x"},
		{"all-bytes", all256.String()},
		{"max-len", strings.Repeat("k", blob.MaxKeyLen)},
		{"max-len-escaped", strings.Repeat("\xff", blob.MaxKeyLen)},
		{"max-len-segments", strings.Repeat(strings.Repeat("s", 254)+"/", 4) + "abc"},
		{"long-segment-255", strings.Repeat("x", 255)},
		{"long-segment-256", strings.Repeat("x", 256)},
		{"max-len-slashes", strings.Repeat("/", blob.MaxKeyLen)},
		{"generated-object", "obj/0e9c5b1e-8d6f-4d0c-9d55-6d3b4c1f7a10/5f0e6a9a-93b1-4c57-a5c0-4f2f1f7c2d0b"},
		{"generated-part", "mpu/upload-1/00001"},
	}
}

func (s suite) testNastyKeys(t *testing.T) {
	st := s.store(t)
	ctx := context.Background()
	keys := NastyKeys()
	want := map[string]int64{}
	value := func(i int) []byte { return fmt.Appendf(nil, "value %d of %q", i, keys[i].Key) }
	for i, k := range keys {
		if _, dup := want[k.Key]; dup {
			t.Fatalf("NastyKeys has %q twice", k.Key)
		}
		v := value(i)
		if _, err := st.Put(ctx, k.Key, opaqueReader{strings.NewReader(string(v))}, int64(len(v))); err != nil {
			t.Fatalf("%s: Put: %v", k.Name, err)
		}
		want[k.Key] = int64(len(v))
	}
	// Read back only after every Put, so a collision (one key's Put
	// replacing another's blob) shows.
	for i, k := range keys {
		t.Run(k.Name, func(t *testing.T) { wantBlob(t, st, k.Key, value(i)) })
	}
	s.wantList(t, st, "", want)
	for _, p := range listPrefixes(keys) {
		s.wantList(t, st, p, withPrefix(want, p))
	}
	// Delete every other key; the rest must be untouched.
	for i, k := range keys {
		if i%2 == 0 {
			if err := st.Delete(ctx, k.Key); err != nil {
				t.Fatalf("%s: Delete: %v", k.Name, err)
			}
			delete(want, k.Key)
		}
	}
	for i, k := range keys {
		if i%2 == 0 {
			wantMissing(t, st, k.Key)
		} else {
			wantBlob(t, st, k.Key, value(i))
		}
	}
	s.wantList(t, st, "", want)
	for i, k := range keys {
		if i%2 == 1 {
			if err := st.Delete(ctx, k.Key); err != nil {
				t.Fatalf("%s: Delete: %v", k.Name, err)
			}
		}
	}
	s.wantList(t, st, "", map[string]int64{})
}

// listPrefixes returns prefixes worth listing for keys: fixed ones plus
// every proper prefix of short keys.
func listPrefixes(keys []Key) []string {
	set := map[string]bool{"/": true, "a": true, "a/": true, "a/b": true, "..": true, "\xff": true, "%": true, "k": true, "K": true, "x/y/z": true}
	for _, k := range keys {
		if len(k.Key) > 20 {
			continue
		}
		for i := 1; i < len(k.Key); i++ {
			set[k.Key[:i]] = true
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func withPrefix(m map[string]int64, prefix string) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m {
		if strings.HasPrefix(k, prefix) {
			out[k] = v
		}
	}
	return out
}

func (s suite) testList(t *testing.T) {
	st := s.store(t)
	ctx := context.Background()
	want := map[string]int64{}
	for i, key := range []string{
		"obj/b1/x", "obj/b1/y", "obj/b10/x", "obj/b2/x", "obj/b1", "obj/b1x",
		"mpu/u1/1", "mpu/u1/2", "mpu/u12/1", "top", "obj",
	} {
		put(t, st, key, data(uint64(i), i*10), int64(i*10))
		want[key] = int64(i * 10)
	}
	for _, p := range []string{"", "o", "obj", "obj/", "obj/b1", "obj/b1/", "obj/b1/x", "obj/b1/xx", "obj/b", "mpu/u1", "mpu/u1/", "mpu/u1/3", "nothing", "nothing/", "/"} {
		s.wantList(t, st, p, withPrefix(want, p))
	}
	t.Run("callback-error-stops", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		err := st.List(ctx, "", func(string, int64) error {
			calls++
			return stop
		})
		if !errors.Is(err, stop) {
			t.Errorf("List = %v, want the callback's error", err)
		}
		if calls != 1 {
			t.Errorf("callback called %d times after returning an error, want 1", calls)
		}
	})
}
