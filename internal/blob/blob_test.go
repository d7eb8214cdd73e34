package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/grantd/grantd/internal/blob"
)

var errLate = errors.New("digest mismatch")

// lateError yields s and then fails instead of returning io.EOF, like a
// verifying reader.
func lateError(s string) io.Reader {
	return io.MultiReader(strings.NewReader(s), iotest.ErrReader(errLate))
}

func TestBody(t *testing.T) {
	tests := []struct {
		name    string
		r       io.Reader
		size    int64
		want    string
		wantErr error
	}{
		{"exact", strings.NewReader("hello"), 5, "hello", nil},
		{"exact-one-byte-reads", iotest.OneByteReader(strings.NewReader("hello")), 5, "hello", nil},
		{"exact-data-with-eof", iotest.DataErrReader(strings.NewReader("hello")), 5, "hello", nil},
		{"unknown", strings.NewReader("hello"), -1, "hello", nil},
		{"empty", strings.NewReader(""), 0, "", nil},
		{"empty-unknown", strings.NewReader(""), -1, "", nil},
		{"short", strings.NewReader("hell"), 5, "hell", blob.ErrSizeMismatch},
		{"long", strings.NewReader("hello!"), 5, "hello", blob.ErrSizeMismatch},
		{"nonempty-for-zero", strings.NewReader("x"), 0, "", blob.ErrSizeMismatch},
		{"late-error-known", lateError("hello"), 5, "hello", errLate},
		{"late-error-unknown", lateError("hello"), -1, "hello", errLate},
		{"early-error", lateError("he"), 5, "he", errLate},
		{"timeout", iotest.TimeoutReader(strings.NewReader("hello")), -1, "hello", iotest.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := blob.NewBody(context.Background(), tt.r, tt.size)
			var got bytes.Buffer
			_, err := io.Copy(&got, b)
			if got.String() != tt.want {
				t.Errorf("read %q, want %q", got.String(), tt.want)
			}
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error = %v, want %v", err, tt.wantErr)
			}
			if b.N() != int64(got.Len()) {
				t.Errorf("N() = %d, read %d", b.N(), got.Len())
			}
			// Errors are sticky; a finished body stays finished.
			if n, err2 := b.Read(make([]byte, 10)); n != 0 || (err2 != io.EOF && !errors.Is(err2, tt.wantErr)) {
				t.Errorf("Read after the end = %d, %v", n, err2)
			}
		})
	}
}

func TestBodyContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	b := blob.NewBody(ctx, strings.NewReader("hello"), -1)
	if _, err := b.Read(make([]byte, 2)); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := io.ReadAll(b); !errors.Is(err, context.Canceled) {
		t.Errorf("error after cancel = %v, want context.Canceled", err)
	}
}

func TestValidateKey(t *testing.T) {
	for key, ok := range map[string]bool{
		"":                                      false,
		"a":                                     true,
		"\x00":                                  true,
		"\xff/../":                              true,
		strings.Repeat("k", blob.MaxKeyLen):     true,
		strings.Repeat("k", blob.MaxKeyLen+1):   false,
		strings.Repeat("é", blob.MaxKeyLen/2+1): false,
	} {
		err := blob.ValidateKey(key)
		if ok != (err == nil) || err != nil && !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("ValidateKey(%d bytes) = %v", len(key), err)
		}
	}
}

func TestValidateRange(t *testing.T) {
	for _, tt := range []struct {
		offset, length int64
		ok             bool
	}{{0, -1, true}, {0, 0, true}, {5, 10, true}, {-1, -1, false}, {0, -2, false}} {
		err := blob.ValidateRange(tt.offset, tt.length)
		if tt.ok != (err == nil) || err != nil && !errors.Is(err, blob.ErrInvalidRange) {
			t.Errorf("ValidateRange(%d, %d) = %v", tt.offset, tt.length, err)
		}
	}
}

func TestClampRange(t *testing.T) {
	for _, tt := range []struct {
		size, offset, length int64
		start, n             int64
	}{
		{10, 0, -1, 0, 10},
		{10, 3, 4, 3, 4},
		{10, 3, -1, 3, 7},
		{10, 8, 5, 8, 2},
		{10, 10, -1, 10, 0},
		{10, 20, 5, 10, 0},
		{0, 0, -1, 0, 0},
		{0, 0, 0, 0, 0},
		{10, 2, 0, 2, 0},
		{10, 0, 1<<63 - 1, 0, 10},
	} {
		start, n := blob.ClampRange(tt.size, tt.offset, tt.length)
		if start != tt.start || n != tt.n {
			t.Errorf("ClampRange(%d, %d, %d) = %d, %d; want %d, %d", tt.size, tt.offset, tt.length, start, n, tt.start, tt.n)
		}
	}
}
