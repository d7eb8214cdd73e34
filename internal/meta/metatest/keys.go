package metatest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grantd/grantd/internal/meta"
)

func testKeys(t *testing.T, s Suite) {
	st := s.Open(t)
	k1 := meta.SessionKey{ID: 1, Secret: "k1", Current: true, CreatedAt: epoch}
	k2 := meta.SessionKey{ID: 2, Secret: "k2", Current: true, CreatedAt: epoch}
	if err := st.AddSessionKey(ctx(t), k1); err != nil {
		t.Fatal(err)
	}
	if err := st.AddSessionKey(ctx(t), k1); !errors.Is(err, meta.ErrExists) {
		t.Errorf("duplicate key: got %v, want ErrExists", err)
	}
	if err := st.AddSessionKey(ctx(t), k2); err != nil {
		t.Fatal(err)
	}
	got, err := st.SessionKeys(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	k1.Current = false // rotated out by k2
	if diff := cmp.Diff([]meta.SessionKey{k1, k2}, got); diff != "" {
		t.Errorf("SessionKeys after rotation (-want +got):\n%s", diff)
	}
}
