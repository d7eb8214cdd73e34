package s3

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"time"
)

// newID returns a 32-hex-digit ID: the creation time in nanoseconds (so IDs
// sort by creation and the orphan sweep can tell how old a blob is) and 8
// random bytes.
func newID(now time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixNano()))
	rand.Read(b[8:])
	return hex.EncodeToString(b[:])
}

// idTime returns the creation time encoded in an ID made by newID.
func idTime(id string) (time.Time, bool) {
	if len(id) != 32 {
		return time.Time{}, false
	}
	var b [8]byte
	if _, err := hex.Decode(b[:], []byte(id[:16])); err != nil {
		return time.Time{}, false
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(b[:]))), true
}

// encodeToken makes an opaque continuation token of a listing position.
func encodeToken(pos string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(pos))
}

func decodeToken(tok string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	return string(b), err
}

func itoa(n int) string { return strconv.Itoa(n) }
