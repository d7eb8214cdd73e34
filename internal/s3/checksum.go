package s3

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"strings"

	"github.com/grantd/grantd/internal/errs"
)

// The flexible checksum algorithms
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html).
const (
	CRC32     = "CRC32"
	CRC32C    = "CRC32C"
	CRC64NVME = "CRC64NVME"
	SHA1      = "SHA1"
	SHA256    = "SHA256"
)

// Checksum types.
const (
	FullObject = "FULL_OBJECT"
	Composite  = "COMPOSITE"
)

// Algorithms lists the checksum algorithms in the order S3 names them.
var Algorithms = []string{CRC32, CRC32C, CRC64NVME, SHA1, SHA256}

var (
	castagnoli = crc32.MakeTable(crc32.Castagnoli)
	// crc64nvme is the NVMe polynomial in the reversed form crc64 wants
	// (the AWS SDKs use the same constant).
	crc64nvme = crc64.MakeTable(0x9a6c9329ac4bc9b5)
)

// reversed polynomials and widths of the CRCs, for combining.
var crcParams = map[string]struct {
	poly  uint64
	width int
}{
	CRC32:     {0xEDB88320, 32},
	CRC32C:    {0x82F63B78, 32},
	CRC64NVME: {0x9a6c9329ac4bc9b5, 64},
}

func newHash(alg string) hash.Hash {
	switch alg {
	case CRC32:
		return crc32.NewIEEE()
	case CRC32C:
		return crc32.New(castagnoli)
	case CRC64NVME:
		return crc64.New(crc64nvme)
	case SHA1:
		return sha1.New()
	case SHA256:
		return sha256.New()
	}
	return nil
}

// digestLen is the length in bytes of an algorithm's checksum.
func digestLen(alg string) int {
	switch alg {
	case CRC32, CRC32C:
		return 4
	case CRC64NVME:
		return 8
	case SHA1:
		return 20
	case SHA256:
		return 32
	}
	return 0
}

// NormalizeAlgorithm returns the canonical name of a checksum algorithm
// written in any case, or "" when it is not one.
func NormalizeAlgorithm(s string) string {
	for _, a := range Algorithms {
		if strings.EqualFold(a, s) {
			return a
		}
	}
	return ""
}

// HeaderName returns the x-amz-checksum-* header of an algorithm.
func HeaderName(alg string) string { return "x-amz-checksum-" + strings.ToLower(alg) }

func unsupportedAlgorithm() error {
	return invalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
}

// decodeChecksum decodes a base64 checksum value of alg.
func decodeChecksum(alg, v string) ([]byte, bool) {
	b, err := base64.StdEncoding.DecodeString(v)
	return b, err == nil && len(b) == digestLen(alg)
}

// crcCombine returns the CRC of A‖B from crcA, crcB and len(B) for a
// reflected CRC with all-ones initial value and final xor (CRC-32,
// CRC-32C and CRC-64/NVME are), by applying len(B) zero bytes to crcA
// with the GF(2) operator squaring of zlib's crc32_combine.
func crcCombine(alg string, crcA, crcB uint64, lenB int64) uint64 {
	if lenB <= 0 {
		return crcA
	}
	p := crcParams[alg]
	odd := make([]uint64, p.width)  // operator for one zero bit
	even := make([]uint64, p.width) // and for two
	odd[0] = p.poly
	row := uint64(1)
	for n := 1; n < p.width; n++ {
		odd[n] = row
		row <<= 1
	}
	gf2Square(even, odd) // two zero bits
	gf2Square(odd, even) // four zero bits
	for {
		gf2Square(even, odd) // 8, 32, … zero bits
		if lenB&1 != 0 {
			crcA = gf2Times(even, crcA)
		}
		if lenB >>= 1; lenB == 0 {
			break
		}
		gf2Square(odd, even)
		if lenB&1 != 0 {
			crcA = gf2Times(odd, crcA)
		}
		if lenB >>= 1; lenB == 0 {
			break
		}
	}
	return crcA ^ crcB
}

func gf2Times(mat []uint64, vec uint64) uint64 {
	var sum uint64
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func gf2Square(square, mat []uint64) {
	for n := range mat {
		square[n] = gf2Times(mat, mat[n])
	}
}

// crcValue reads a big-endian CRC checksum.
func crcValue(b []byte) uint64 {
	if len(b) == 4 {
		return uint64(binary.BigEndian.Uint32(b))
	}
	return binary.BigEndian.Uint64(b)
}

func crcBytes(alg string, v uint64) []byte {
	if digestLen(alg) == 4 {
		return binary.BigEndian.AppendUint32(nil, uint32(v))
	}
	return binary.BigEndian.AppendUint64(nil, v)
}

// partSum is what a multipart object's checksum is made of, per part.
type partSum struct {
	value []byte
	size  int64
}

// multipartChecksum returns the checksum of a multipart object: for
// COMPOSITE, the checksum of the parts' concatenated checksums with "-N";
// for FULL_OBJECT, the CRC of the whole object combined from the parts'.
func multipartChecksum(alg, typ string, parts []partSum) string {
	if typ == FullObject {
		var crc uint64
		for i, p := range parts {
			v := crcValue(p.value)
			if i == 0 {
				crc = v
				continue
			}
			crc = crcCombine(alg, crc, v, p.size)
		}
		return base64.StdEncoding.EncodeToString(crcBytes(alg, crc))
	}
	h := newHash(alg)
	for _, p := range parts {
		h.Write(p.value)
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil)) + "-" + itoa(len(parts))
}

// multipartETag is the ETag of a multipart object: the MD5 of the parts'
// binary MD5s, then "-" and the number of parts.
func multipartETag(partETags []string) string {
	h := md5.New()
	for _, e := range partETags {
		b, _ := hex.DecodeString(e)
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)) + "-" + itoa(len(partETags))
}

func badDigest(alg string) error {
	if alg == "MD5" {
		return fail(errs.Invalid, codeBadDigest, "The Content-MD5 you specified did not match what we received.")
	}
	return fail(errs.Invalid, codeBadDigest, "The "+alg+" you specified did not match the calculated checksum.")
}
