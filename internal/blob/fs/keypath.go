package fs

import (
	"errors"
	"strings"
)

// The key encoding maps any key (any bytes, up to blob.MaxKeyLen) to a
// relative slash-separated path under the blobs directory. It keeps the
// key's "/" structure, so the blobs of one bucket or one multipart upload
// share a directory and List(prefix) only walks the matching subtree.
//
// Encoding. First every byte of the key is escaped: the bytes a-z, 0-9, '-',
// '_' and '.' stand for themselves and every other byte b becomes "%xx", the
// two lowercase hex digits of b. Then the escaped key is cut at each escaped
// '/' (that is, at each "%2f") into segments, and each segment is cut, at
// token boundaries, into pieces of at most maxPiece bytes (an empty segment
// is one empty piece). Each piece becomes one path component, followed by a
// marker saying what comes next in the key:
//
//	piece + "+"      directory; the next component continues this segment
//	piece + "~"      directory; the key has a '/' after this segment
//	piece + ".blob"  the file; the key ends here (always the last component)
//
// Examples: "obj/b1/0f3c" → "obj~/b1~/0f3c.blob"; "a" → "a.blob";
// "a/b" → "a~/b.blob"; "/" → "~/.blob"; "Key" → "%4bey.blob";
// ".." → "...blob".
//
// Why it is injective: decodeKey(encodeKey(k)) == k for every key. The
// escaping is a prefix code ('%' always starts a three-byte token, any other
// byte is a one-byte token), so it is undone unambiguously, and its output
// never contains '/', '+', '~' or an upper-case letter. The markers are not
// produced by escaping and the last component always ends in ".blob"
// while every other ends in '+' or '~', so the component list tells exactly
// where the key had a '/' and where a piece boundary was. decodeKey reverses
// these steps, which is possible only if distinct keys give distinct paths.
//
// Why it is safe on disk:
//   - no component is empty, "." or "..", or contains '/' or NUL (the
//     markers are not dot-only), so the path never leaves the blobs
//     directory; in addition all access goes through an os.Root;
//   - a component is at most maxPiece+len(".blob") = 205 bytes, below the
//     255-byte name limit of ext4, XFS, APFS and NTFS;
//   - a file name ends in ".blob" and a directory name in '+' or '~', so a key
//     ("a" → a.blob) can be a prefix of another ("a/b" → a~/b.blob);
//   - names are ASCII and lower case, so case-insensitive file systems (APFS,
//     NTFS) and Unicode-normalizing ones (HFS+) cannot merge two names;
//   - temporary files live in a sibling directory, never under blobs.
//
// A 1,024-byte key yields at most 16 components holding 3,072 escaped
// bytes; a key of 1,024 '/' yields 1,025 nested directories, which is
// legal, if slow.
const maxPiece = 200

const (
	markCont   = "+"
	markDir    = "~"
	fileSuffix = ".blob"
)

var errBadPath = errors.New("not a path produced by encodeKey")

// safe reports whether byte c stands for itself in an escaped key.
func safe(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.'
}

const hexDigits = "0123456789abcdef"

// encodeKey returns the relative path of key's file. It accepts any string;
// the caller validates the key first.
func encodeKey(key string) string {
	var b strings.Builder
	b.Grow(len(key) * 2)
	segs := strings.Split(key, "/")
	for i, seg := range segs {
		if i > 0 {
			b.WriteByte('/')
		}
		writeSegment(&b, seg)
		if i < len(segs)-1 {
			b.WriteString(markDir)
		} else {
			b.WriteString(fileSuffix)
		}
	}
	return b.String()
}

// encodeDir returns the relative directory that holds all keys starting with
// prefix, which must be empty or end in '/'. It returns "" for the empty
// prefix.
func encodeDir(prefix string) string {
	if prefix == "" {
		return ""
	}
	var b strings.Builder
	segs := strings.Split(strings.TrimSuffix(prefix, "/"), "/")
	for i, seg := range segs {
		if i > 0 {
			b.WriteByte('/')
		}
		writeSegment(&b, seg)
		b.WriteString(markDir)
	}
	return b.String()
}

// writeSegment writes the escaped segment as pieces of at most maxPiece
// bytes joined by markCont + "/"; the caller writes the final marker.
func writeSegment(b *strings.Builder, seg string) {
	piece := 0
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		w := 1
		if !safe(c) {
			w = 3
		}
		if piece+w > maxPiece {
			b.WriteString(markCont)
			b.WriteByte('/')
			piece = 0
		}
		piece += w
		if w == 1 {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
}

// decodeKey is the inverse of encodeKey. It rejects any path encodeKey does
// not produce, such as stray files in the blobs directory.
func decodeKey(path string) (string, error) {
	comps := strings.Split(path, "/")
	var b strings.Builder
	b.Grow(len(path))
	for i, c := range comps {
		var piece, sep string
		switch {
		case i == len(comps)-1:
			p, ok := strings.CutSuffix(c, fileSuffix)
			if !ok {
				return "", errBadPath
			}
			piece = p
		case strings.HasSuffix(c, markCont):
			piece = c[:len(c)-len(markCont)]
		case strings.HasSuffix(c, markDir):
			piece, sep = c[:len(c)-len(markDir)], "/"
		default:
			return "", errBadPath
		}
		if err := unescape(&b, piece); err != nil {
			return "", err
		}
		b.WriteString(sep)
	}
	// Only the canonical spelling counts: "a+/b.blob" or "%61.blob" would
	// otherwise decode to keys ("ab", "a") whose files are elsewhere.
	key := b.String()
	if encodeKey(key) != path {
		return "", errBadPath
	}
	return key, nil
}

// unescape appends the bytes that the escaped piece stands for.
func unescape(b *strings.Builder, piece string) error {
	for i := 0; i < len(piece); i++ {
		c := piece[i]
		if safe(c) {
			b.WriteByte(c)
			continue
		}
		if c != '%' || i+2 >= len(piece) {
			return errBadPath
		}
		hi, lo := unhex(piece[i+1]), unhex(piece[i+2])
		if hi < 0 || lo < 0 {
			return errBadPath
		}
		b.WriteByte(byte(hi<<4 | lo))
		i += 2
	}
	return nil
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	}
	return -1
}
