package sessiontoken

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sealRaw seals an arbitrary plaintext the way Seal does, so tests can
// check what Open does with authentic tokens whose claims this version
// would not write (newer versions, bugs).
func sealRaw(t testing.TB, r *Keyring, pt []byte, accessKeyID string) string {
	t.Helper()
	b := make([]byte, headerLen, headerLen+len(pt)+xaesOverhead)
	b[0] = version1
	binary.BigEndian.PutUint32(b[1:], r.current.id)
	copy(b[1+keyIDLen:], "0123456789abcdefghijklmn")
	aad := appendAAD(nil, b, accessKeyID)
	aead, nonce, err := r.current.aead.aead(b[1+keyIDLen:headerLen], make([]byte, scratchLen))
	if err != nil {
		t.Fatal(err)
	}
	return b64.EncodeToString(aead.Seal(b, nonce, pt, aad))
}

// field encodes one field.
func field(tag byte, v string) []byte {
	return append(binary.AppendUvarint([]byte{tag}, uint64(len(v))), v...)
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func TestDecodeAuthenticatedOddities(t *testing.T) {
	t.Parallel()
	r := testRing(t, testKey(t, 1, 1))
	c := roleClaims()
	valid := appendClaims(nil, c)
	// base is the required fields of a FederatedUser session, to which
	// cases append.
	fed := Claims{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, IssuedAt: c.IssuedAt,
		Expiration: c.Expiration, Account: c.Account, Kind: FederatedUser}
	base := appendClaims(nil, &fed)
	timesEnd := len(field(tagSecretAccessKey, c.SecretAccessKey)) + 2*(2+8)
	tests := []struct {
		name string
		pt   []byte
		want *Claims // nil: ErrMalformed
	}{
		{"as sealed", valid, c},
		{"unknown optional field skipped", cat(base, field(0x90, "future info")), &fed},
		{"empty optional field skipped", cat(base, field(0xff, "")), &fed},
		{"unknown critical field", cat(base, field(0x7f, "restriction")), nil},
		{"empty", nil, nil},
		{"tag zero", cat(field(0, "x"), base), nil},
		{"duplicate field", cat(base, field(tagGrantARN, "a"), field(tagGrantARN, "b")), nil},
		{"out of order", cat(base, field(tagInstanceARN, "a"), field(tagGrantARN, "b")), nil},
		{"missing secret", base[len(field(tagSecretAccessKey, c.SecretAccessKey)):], nil},
		{"length past end", cat(base, []byte{tagGrantARN, 5, 'a'}), nil},
		{"no length", cat(base, []byte{tagGrantARN}), nil},
		{"non-minimal length", cat(base, []byte{tagGrantARN, 0x81, 0x00, 'a'}), nil},
		{"overlong length", cat(base, []byte{tagGrantARN, 0xff, 0xff, 0xff, 0xff, 0x0f}), nil},
		{"empty string field", cat(base, field(tagGrantARN, "")), nil},
		{"kind zero", cat(base[:len(base)-3], field(tagKind, "\x00")), nil},
		{"kind unknown", cat(base[:len(base)-3], field(tagKind, "\x05")), nil},
		{"kind two bytes", cat(base[:len(base)-3], field(tagKind, "\x01\x01")), nil},
		{"chained with value", cat(base, field(tagChained, "\x01")), nil},
		{"short time", cat(field(tagSecretAccessKey, "s"), field(tagIssuedAt, "1234567")), nil},
		{"empty list", cat(base, field(tagPolicyARNs, "")), nil},
		{"list item past end", cat(base, field(tagPolicyARNs, "\x05ab")), nil},
		{"odd tag list", cat(base, field(tagTags, "\x01k\x01v\x01k")), nil},
		{"odd contexts list", cat(base, field(tagProvidedContexts, "\x01k")), nil},
		{"web identity of 2", cat(base, field(tagWebIdentity, "\x01a\x01b")), nil},
		{"web identity of 4", cat(base, field(tagWebIdentity, "\x00\x00\x00\x00")), nil},
		{"rebuilt base", cat(base[:timesEnd], field(tagAccount, c.Account), field(tagKind, "\x02")), &fed},
		{"bad account", cat(base[:timesEnd], field(tagAccount, "11112222333a"), field(tagKind, "\x02")), nil},
		{"short account", cat(base[:timesEnd], field(tagAccount, "1111"), field(tagKind, "\x02")), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok := sealRaw(t, r, tt.pt, c.AccessKeyID)
			got, err := r.Open(tok, c.AccessKeyID, now)
			if tt.want == nil {
				if !errors.Is(err, ErrMalformed) || got != nil {
					t.Fatalf("Open = %v, %v; want ErrMalformed", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpClaims); diff != "" {
				t.Errorf("claims (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUvarint(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 127, 128, 300, 16383, 16384, 1<<21 - 1, 1<<28 - 1} {
		b := binary.AppendUvarint(nil, uint64(n))
		if uvarintLen(n) != len(b) {
			t.Errorf("uvarintLen(%d) = %d, want %d", n, uvarintLen(n), len(b))
		}
		v, next, ok := uvarint("x"+string(b)+"y", 1)
		if !ok || v != n || next != 1+len(b) {
			t.Errorf("uvarint(%x) = %d, %d, %v", b, v, next, ok)
		}
	}
	for _, s := range []string{"", "\x80", "\xff\xff\xff\xff\x01", "\x80\x00", "\x81\x80\x00"} {
		if _, _, ok := uvarint(s, 0); ok {
			t.Errorf("uvarint(%q) accepted", s)
		}
	}
}
