package s3

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"hash/crc64"
	"testing"
)

func TestCRC64NVMEVector(t *testing.T) {
	// The CRC-64/NVME check value (the CRC of "123456789").
	if got := crc64.Checksum([]byte("123456789"), crc64nvme); got != 0xAE8B14860A799888 {
		t.Errorf("CRC64NVME(123456789) = %#x, want 0xae8b14860a799888", got)
	}
}

func sumOf(alg string, b []byte) []byte {
	h := newHash(alg)
	h.Write(b)
	return h.Sum(nil)
}

func TestCRCCombine(t *testing.T) {
	data := make([]byte, 70000)
	rand.Read(data)
	for _, alg := range []string{CRC32, CRC32C, CRC64NVME} {
		for _, cut := range []int{0, 1, 7, 8192, 69999, 70000} {
			a, b := data[:cut], data[cut:]
			got := crcCombine(alg, crcValue(sumOf(alg, a)), crcValue(sumOf(alg, b)), int64(len(b)))
			if want := crcValue(sumOf(alg, data)); got != want {
				t.Errorf("%s combine at %d = %#x, want %#x", alg, cut, got, want)
			}
		}
	}
}

func TestMultipartChecksum(t *testing.T) {
	parts := [][]byte{make([]byte, 1000), make([]byte, 3000), make([]byte, 17)}
	var whole []byte
	for _, p := range parts {
		rand.Read(p)
		whole = append(whole, p...)
	}
	for _, alg := range []string{CRC32, CRC32C, CRC64NVME} {
		var sums []partSum
		for _, p := range parts {
			sums = append(sums, partSum{sumOf(alg, p), int64(len(p))})
		}
		if got, want := multipartChecksum(alg, FullObject, sums), base64.StdEncoding.EncodeToString(sumOf(alg, whole)); got != want {
			t.Errorf("%s FULL_OBJECT = %s, want the whole object's %s", alg, got, want)
		}
	}
	var sums []partSum
	var concat []byte
	for _, p := range parts {
		s := sumOf(SHA256, p)
		sums = append(sums, partSum{s, int64(len(p))})
		concat = append(concat, s...)
	}
	want := base64.StdEncoding.EncodeToString(sumOf(SHA256, concat)) + "-3"
	if got := multipartChecksum(SHA256, Composite, sums); got != want {
		t.Errorf("SHA256 COMPOSITE = %s, want %s", got, want)
	}
}

func TestMultipartETag(t *testing.T) {
	var etags []string
	var concat []byte
	for _, p := range []string{"part one", "part two"} {
		sum := md5.Sum([]byte(p))
		etags = append(etags, hex.EncodeToString(sum[:]))
		concat = append(concat, sum[:]...)
	}
	sum := md5.Sum(concat)
	if got, want := multipartETag(etags), hex.EncodeToString(sum[:])+"-2"; got != want {
		t.Errorf("multipartETag = %s, want %s", got, want)
	}
}
