package policy

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkPaths parses data on the fast path and on the careful path and, when
// the fast path takes the document, checks that both compiled the same
// policy: every field, exported or not, down to the compiled matchers, and
// the same statement positions.
func checkPaths(t testing.TB, data []byte, kind Kind) (fast bool) {
	t.Helper()
	sc := scratches.Get().(*scratch)
	src := string(data)
	p := &Policy{kind: kind, src: src}
	fast = (&parser{kind: kind, src: src, stmt: -1, sc: sc}).fastParse(p)
	sc.release()
	sc = scratches.Get().(*scratch)
	q, err := parseCareful(&parser{kind: kind, src: src, stmt: -1, sc: sc})
	sc.release()
	if !fast {
		return false
	}
	if err != nil {
		t.Fatalf("the fast path accepted %q, the careful path says %v", data, err)
	}
	everything := cmp.Exporter(func(reflect.Type) bool { return true })
	if diff := cmp.Diff(q, p, everything); diff != "" {
		t.Fatalf("the paths compiled %q differently (-careful +fast):\n%s", data, diff)
	}
	return true
}

// TestFastPath checks the two parsing paths against each other on every
// document of the corpus and the benchmarks, and that the fast path takes
// the plainly written ones.
func TestFastPath(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	docs := map[string][]byte{
		"bench":        benchPolicy(),
		"bench-unique": []byte(`{"Version":"2012-10-17","Statement":[` + benchUniqueStatements(30) + `]}`),
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[f] = b
	}
	for name, data := range docs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			taken := false
			for k := Identity; k <= Trust; k++ {
				taken = checkPaths(t, data, k) || taken
			}
			if !taken {
				t.Errorf("the fast path takes %s as no kind of policy", name)
			}
		})
	}
}
