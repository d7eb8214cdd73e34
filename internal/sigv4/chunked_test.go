package sigv4

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// chunkEncoder builds aws-chunked bodies the way the AWS documentation
// describes them, independently of the decoder (crypto/hmac, fmt).
type chunkEncoder struct {
	key            []byte // nil: unsigned chunks
	seed           string
	amzDate, scope string
	chunkSizes     []int       // sizes of the data chunks; the rest goes in one chunk
	trailers       [][2]string // trailing headers, in order
	trailer        bool        // trailer mode (STREAMING-*-TRAILER)
	sigs           []string    // filled by encode: chunk signatures, then the trailer's
}

func (e *chunkEncoder) hmacHex(s string) string {
	m := hmac.New(sha256.New, e.key)
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil))
}

func (e *chunkEncoder) encode(payload []byte) []byte {
	var out bytes.Buffer
	prev := e.seed
	chunk := func(data []byte) {
		if e.key == nil {
			fmt.Fprintf(&out, "%x\r\n", len(data))
		} else {
			sig := e.hmacHex(strings.Join([]string{"AWS4-HMAC-SHA256-PAYLOAD", e.amzDate, e.scope, prev, EmptySHA256, hexSHA256(data)}, "\n"))
			e.sigs = append(e.sigs, sig)
			prev = sig
			fmt.Fprintf(&out, "%x;chunk-signature=%s\r\n", len(data), sig)
		}
		if len(data) > 0 || !e.trailer {
			out.Write(data)
			out.WriteString("\r\n")
		}
	}
	for _, n := range e.chunkSizes {
		n = min(n, len(payload))
		chunk(payload[:n])
		payload = payload[n:]
	}
	if len(payload) > 0 {
		chunk(payload)
	}
	chunk(nil)
	if e.trailer {
		var canon strings.Builder
		for _, t := range e.trailers {
			canon.WriteString(t[0] + ":" + t[1] + "\n")
			out.WriteString(t[0] + ":" + t[1] + "\r\n")
		}
		if e.key != nil {
			sig := e.hmacHex(strings.Join([]string{"AWS4-HMAC-SHA256-TRAILER", e.amzDate, e.scope, prev, hexSHA256([]byte(canon.String()))}, "\n"))
			e.sigs = append(e.sigs, sig)
			out.WriteString("x-amz-trailer-signature:" + sig + "\r\n")
		}
		out.WriteString("\r\n")
	}
	return out.Bytes()
}

// The AWS documentation's chunked upload example ("Example: PUT Object").
const (
	docSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	docSeed   = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
	docDate   = "20130524T000000Z"
	docScope  = "20130524/us-east-1/s3/aws4_request"
)

var docTime = time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)

func docEncoder() *chunkEncoder {
	return &chunkEncoder{key: SigningKey(docSecret, "20130524", "us-east-1", "s3"), seed: docSeed, amzDate: docDate, scope: docScope, chunkSizes: []int{65536}}
}

func docRequest(t testing.TB, body []byte) *http.Request {
	t.Helper()
	head := "PUT /examplebucket/chunkObject.txt HTTP/1.1\r\n" +
		"Host: s3.amazonaws.com\r\n" +
		"x-amz-date: 20130524T000000Z\r\n" +
		"x-amz-storage-class: REDUCED_REDUNDANCY\r\n" +
		"Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=" + docSeed + "\r\n" +
		"x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD\r\n" +
		"Content-Encoding: aws-chunked\r\n" +
		"x-amz-decoded-content-length: 66560\r\n" +
		"Content-Length: 66824\r\n\r\n"
	r := readWire(t, []byte(head))
	r.Body = io.NopCloser(bytes.NewReader(body)) // keep a short or long body as is
	return r
}

// readAllWith reads r with reads of at most n bytes, like a consumer with a
// small buffer.
func readAllWith(r io.Reader, n int) ([]byte, error) {
	var out []byte
	buf := make([]byte, n)
	for {
		k, err := r.Read(buf)
		out = append(out, buf[:k]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

func TestChunkedAWSExample(t *testing.T) {
	t.Parallel()
	payload := bytes.Repeat([]byte{'a'}, 66560)
	enc := docEncoder()
	body := enc.encode(payload)
	want := []string{
		"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
		"0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
		"b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
	}
	if strings.Join(enc.sigs, ",") != strings.Join(want, ",") || len(body) != 66824 {
		t.Fatalf("the encoder does not reproduce the documented chunks: %v, %d bytes", enc.sigs, len(body))
	}
	for _, n := range []int{1, 7, 4096, 65536, 70000} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			t.Parallel()
			v := NewVerifier(Options{Now: fixedNow(docTime)})
			r := docRequest(t, body)
			a, err := Parse(r)
			if err != nil {
				t.Fatal(err)
			}
			if err := v.Verify(r, a, docSecret); err != nil {
				t.Fatalf("Verify: %v\n%s", err, canonicalOf(err))
			}
			if r.ContentLength != 66560 {
				t.Errorf("ContentLength = %d", r.ContentLength)
			}
			got, err := readAllWith(r.Body, n)
			if err != nil || !bytes.Equal(got, payload) {
				t.Fatalf("read %d bytes, err %v", len(got), err)
			}
			if k, err := r.Body.Read(make([]byte, 8)); k != 0 || err != io.EOF {
				t.Fatalf("read after EOF = %d, %v", k, err)
			}
			if Trailers(r.Body) != nil {
				t.Errorf("trailers in a mode without trailers")
			}
		})
	}
}

func TestChunkedAWSExampleBroken(t *testing.T) {
	t.Parallel()
	payload := bytes.Repeat([]byte{'a'}, 66560)
	good := docEncoder().encode(payload)
	first := bytes.Index(good, []byte("\r\n")) + 2 // start of chunk 1's data
	cases := []struct {
		name string
		edit func(b []byte) []byte
		kind Kind
		// whole: the payload itself is intact and may be released in full;
		// the error then replaces EOF.
		whole bool
	}{
		{"chunk 2 data", func(b []byte) []byte { b[len(b)-200] = 'b'; return b }, KindChunkSignatureMismatch, false},
		{"chunk 1 first byte", func(b []byte) []byte { b[first] = 'b'; return b }, KindChunkSignatureMismatch, false},
		{"chunk 1 signature", func(b []byte) []byte { b[first-3] ^= 1; return b }, KindChunkSignatureMismatch, false},
		{"final signature", func(b []byte) []byte { b[len(b)-5] ^= 1; return b }, KindChunkSignatureMismatch, true},
		{"truncated in chunk 1", func(b []byte) []byte { return b[:first+1000] }, KindIncompleteBody, false},
		{"truncated after chunk 1", func(b []byte) []byte { return b[:first+65536+2] }, KindIncompleteBody, false},
		{"truncated in final header", func(b []byte) []byte { return b[:len(b)-30] }, KindIncompleteBody, true},
		{"no final empty line", func(b []byte) []byte { return b[:len(b)-2] }, KindIncompleteBody, true},
		{"trailing garbage", func(b []byte) []byte { return append(b, 'x') }, KindMalformedChunk, true},
		{"CRLF missing after data", func(b []byte) []byte { b[first+65536] = 'x'; return b }, KindMalformedChunk, false},
		{"chunks swapped", func(b []byte) []byte {
			c1 := b[:first+65536+2]
			rest := b[len(c1):]
			end := bytes.Index(rest, []byte("\r\n")) + 2 + 1024 + 2
			out := append(append(append([]byte{}, rest[:end]...), c1...), rest[end:]...)
			return out
		}, KindChunkSignatureMismatch, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			v := NewVerifier(Options{Now: fixedNow(docTime)})
			r := docRequest(t, c.edit(bytes.Clone(good)))
			a, err := Parse(r)
			if err != nil {
				t.Fatal(err)
			}
			if err := v.Verify(r, a, docSecret); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			got, err := readAllWith(r.Body, 4096)
			if KindOf(err) != c.kind {
				t.Fatalf("read error = %v, want %v", err, c.kind)
			}
			if !c.whole && len(got) >= len(payload) {
				t.Errorf("the whole payload was released before the error")
			}
			// Sticky: later reads return the same error and no data.
			if k, err2 := r.Body.Read(make([]byte, 10)); k != 0 || !errors.Is(err2, err) {
				t.Errorf("read after error = %d, %v", k, err2)
			}
		})
	}
}

func TestChunkedReaderLimits(t *testing.T) {
	t.Parallel()
	key := SigningKey(docSecret, "20130524", "us-east-1", "s3")
	var seed [32]byte
	decodeSignature(&seed, docSeed)
	payload := bytes.Repeat([]byte{'z'}, 20000)
	signed := docEncoder().encode(payload)
	unsigned := (&chunkEncoder{chunkSizes: []int{100, 5}}).encode(payload)
	cfg := func(signed bool, n int64) chunkConfig {
		return chunkConfig{key: [32]byte(key), seed: seed, amzDate: docDate, scope: docScope, signed: signed, decodedLength: n}
	}
	cases := []struct {
		name string
		body []byte
		cfg  chunkConfig
		kind Kind
	}{
		{"signed ok", signed, cfg(true, 20000), 0},
		{"unsigned small chunks ok", unsigned, cfg(false, 20000), 0},
		{"declared longer", signed, cfg(true, 20001), KindIncompleteBody},
		{"declared shorter", signed, cfg(true, 19999), KindMalformedChunk},
		{"small signed chunk before others", (&chunkEncoder{key: key, seed: docSeed, amzDate: docDate, scope: docScope, chunkSizes: []int{100}}).encode(payload), cfg(true, 20000), KindInvalidChunkSize},
		{"bad hex size", []byte("zz\r\nabc\r\n0\r\n\r\n"), cfg(false, 3), KindMalformedChunk},
		{"size overflow", []byte("fffffffffffffffff\r\n"), cfg(false, 3), KindMalformedChunk},
		{"huge size", []byte("7fffffffffffffff\r\n"), cfg(false, 3), KindMalformedChunk},
		{"empty size", []byte("\r\n"), cfg(false, 0), KindMalformedChunk},
		{"LF only", []byte("3\nabc\r\n0\r\n\r\n"), cfg(false, 3), KindMalformedChunk},
		{"endless header", bytes.Repeat([]byte{'1'}, 100000), cfg(false, 3), KindMalformedChunk},
		{"long header", append(bytes.Repeat([]byte{'0'}, maxChunkLine+1), "\r\n"...), cfg(false, 3), KindMalformedChunk},
		{"signed without signature", []byte("3\r\nabc\r\n"), cfg(true, 3), KindMalformedChunk},
		{"short signature", []byte("3;chunk-signature=abcd\r\nabc\r\n"), cfg(true, 3), KindMalformedChunk},
		{"unsigned with extension", []byte("3;ext=1\r\nabc\r\n0\r\n\r\n"), cfg(false, 3), 0},
		{"empty body", nil, cfg(false, 0), KindIncompleteBody},
		{"final line not empty", []byte("0\r\nx\r\n"), cfg(false, 0), KindMalformedChunk},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := newChunkedReader(io.NopCloser(bytes.NewReader(c.body)), c.cfg)
			got, err := readAllWith(r, 1000)
			if KindOf(err) != c.kind || c.kind == 0 && err != nil {
				t.Fatalf("err = %v, want %v", err, c.kind)
			}
			if err == nil && int64(len(got)) != c.cfg.decodedLength {
				t.Errorf("decoded %d bytes", len(got))
			}
		})
	}
}

func TestChunkedSignedTrailerVector(t *testing.T) {
	t.Parallel()
	// aws-c-auth / aws-crt-swift chunked signing test: the documented chunks
	// followed by trailers first/second/third, signed from the final chunk.
	payload := bytes.Repeat([]byte{'a'}, 66560)
	enc := docEncoder()
	enc.trailer = true
	enc.trailers = [][2]string{{"first", "1st"}, {"second", "2nd"}, {"third", "3rd"}}
	body := enc.encode(payload)
	if got := enc.sigs[len(enc.sigs)-1]; got != "df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c" {
		t.Fatalf("trailer signature = %s", got)
	}
	var seed [32]byte
	decodeSignature(&seed, docSeed)
	cfg := chunkConfig{key: [32]byte(SigningKey(docSecret, "20130524", "us-east-1", "s3")), seed: seed, amzDate: docDate, scope: docScope,
		signed: true, trailer: true, decodedLength: 66560, trailerNames: []string{"first, second", "third"}}
	r := newChunkedReader(io.NopCloser(bytes.NewReader(body)), cfg)
	if Trailers(r) != nil {
		t.Fatal("trailers before EOF")
	}
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("read %d bytes: %v", len(got), err)
	}
	want := http.Header{"First": {"1st"}, "Second": {"2nd"}, "Third": {"3rd"}}
	if tr := Trailers(r); fmt.Sprint(tr) != fmt.Sprint(want) {
		t.Fatalf("trailers = %v", tr)
	}

	for name, edit := range map[string]func([]byte) []byte{
		"trailer value":     func(b []byte) []byte { return bytes.Replace(b, []byte("2nd"), []byte("2ND"), 1) },
		"trailer signature": func(b []byte) []byte { return bytes.Replace(b, []byte("df5735bd"), []byte("df5735be"), 1) },
		"trailer reordered": func(b []byte) []byte {
			return bytes.Replace(b, []byte("first:1st\r\nsecond:2nd"), []byte("second:2nd\r\nfirst:1st"), 1)
		},
		"signature missing": func(b []byte) []byte {
			i := bytes.Index(b, []byte("x-amz-trailer-signature"))
			return append(b[:i:i], "\r\n"...)
		},
		"undeclared trailer":  func(b []byte) []byte { return bytes.Replace(b, []byte("third:"), []byte("fourth:"), 1) },
		"line after the sig":  func(b []byte) []byte { return append(b[:len(b)-2:len(b)-2], "x:y\r\n\r\n"...) },
		"no colon in trailer": func(b []byte) []byte { return bytes.Replace(b, []byte("first:1st"), []byte("first 1st"), 1) },
	} {
		t.Run(name, func(t *testing.T) {
			r := newChunkedReader(io.NopCloser(bytes.NewReader(edit(bytes.Clone(body)))), cfg)
			if _, err := io.ReadAll(r); err == nil || Trailers(r) != nil {
				t.Fatalf("err = %v, trailers %v", err, Trailers(r))
			}
		})
	}
}

// crc32Base64 is the x-amz-checksum-crc32 value of b.
func crc32Base64(b []byte) string {
	return base64.StdEncoding.EncodeToString(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(b)))
}

// streamingRequest signs a streaming upload with the SDK signer (the seed)
// and encodes its body with enc.
func streamingRequest(t testing.TB, mode string, payload []byte, enc *chunkEncoder, extra http.Header) *http.Request {
	t.Helper()
	req, err := http.NewRequest("PUT", s3URL("127.0.0.1:9010", "bucket", "streamed object.bin", ""), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Encoding", "aws-chunked")
	req.Header.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(len(payload)))
	req.Header.Set("X-Amz-Content-Sha256", mode)
	for k, v := range extra {
		req.Header[k] = v
	}
	// The encoded length is signed, so encode once unsigned to learn it
	// (signatures have a fixed width).
	probe := *enc
	probe.key, probe.seed = SigningKey("x", "20260314", "eu-west-1", "s3"), EmptySHA256
	if mode == StreamingUnsignedPayloadTrailer {
		probe.key = nil
	}
	probeBody := probe.encode(payload)
	req.ContentLength = int64(len(probeBody))
	if err := v4.NewSigner().SignHTTP(t.Context(), testCreds, req, mode, "s3", "eu-west-1", testTime, func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }); err != nil {
		t.Fatal(err)
	}
	req.Body = io.NopCloser(bytes.NewReader(probeBody))
	a, _ := Parse(toServer(t, req))
	if mode != StreamingUnsignedPayloadTrailer {
		enc.key = SigningKey(testCreds.SecretAccessKey, "20260314", "eu-west-1", "s3")
		enc.seed = a.Signature
		enc.amzDate = a.amzDate
		enc.scope = a.scope
	}
	body := enc.encode(payload)
	req.Body = io.NopCloser(bytes.NewReader(body))
	r := toServer(t, req)
	return r
}

func TestStreamingUnsignedTrailer(t *testing.T) {
	t.Parallel()
	payload := bytes.Repeat([]byte("grantd "), 30000) // 210000 bytes, several chunks
	sum := crc32Base64(payload)
	enc := &chunkEncoder{chunkSizes: []int{65536, 65536, 65536}, trailer: true, trailers: [][2]string{{"x-amz-checksum-crc32", sum}}}
	r := streamingRequest(t, StreamingUnsignedPayloadTrailer, payload, enc, http.Header{"X-Amz-Trailer": {"x-amz-checksum-crc32"}, "X-Amz-Sdk-Checksum-Algorithm": {"CRC32"}})
	v := NewVerifier(Options{Now: fixedNow(testTime)})
	got, err := verify(t, v, r, testCreds.SecretAccessKey)
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("read %d bytes: %v", len(got), err)
	}
	if tr := Trailers(r.Body); tr.Get("X-Amz-Checksum-Crc32") != sum {
		t.Fatalf("trailers = %v, want crc32 %s", tr, sum)
	}
	if r.ContentLength != int64(len(payload)) {
		t.Errorf("ContentLength = %d", r.ContentLength)
	}
}

func TestStreamingSignedTrailer(t *testing.T) {
	t.Parallel()
	payload := bytes.Repeat([]byte{0, 1, 2, 3, 4, 5, 6, 7}, 10000)
	sum := crc32Base64(payload)
	for _, c := range []struct {
		name    string
		mode    string
		trailer [][2]string
		kind    Kind
	}{
		{"signed", StreamingPayload, nil, 0},
		{"signed trailer", StreamingPayloadTrailer, [][2]string{{"x-amz-checksum-crc32", sum}}, 0},
		{"signed trailer undeclared", StreamingPayloadTrailer, [][2]string{{"x-amz-checksum-sha256", "x"}}, KindMalformedTrailer},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			enc := &chunkEncoder{chunkSizes: []int{8192, 65536}, trailer: c.mode == StreamingPayloadTrailer, trailers: c.trailer}
			r := streamingRequest(t, c.mode, payload, enc, http.Header{"X-Amz-Trailer": {"x-amz-checksum-crc32"}})
			v := NewVerifier(Options{Now: fixedNow(testTime)})
			got, err := verify(t, v, r, testCreds.SecretAccessKey)
			if KindOf(err) != c.kind || c.kind == 0 && err != nil {
				t.Fatalf("err = %v, want %v", err, c.kind)
			}
			if err == nil && !bytes.Equal(got, payload) {
				t.Fatalf("payload differs")
			}
		})
	}
}

// TestChunkedBoundedMemory feeds garbage that never ends a line, a giant
// chunk, and endless trailers: the decoder's memory stays bounded. It does
// not run in parallel so that MemStats sees only its own allocations.
func TestChunkedBoundedMemory(t *testing.T) {
	trailers := append([]byte("0\r\n"), bytes.Repeat([]byte("x-amz-meta-a:b\r\n"), 1<<16)...)
	giant := append([]byte("7fffffffffff\r\n"), bytes.Repeat([]byte{'q'}, 8<<20)...)
	for _, c := range []struct {
		name     string
		body     []byte
		trailer  bool
		declared int64
		kind     Kind
	}{
		{"no line end", bytes.Repeat([]byte{'1'}, 8<<20), false, 1 << 40, KindMalformedChunk},
		{"endless trailers", trailers, true, 0, KindMalformedTrailer},
		{"giant chunk", giant, false, 1 << 50, KindIncompleteBody},
	} {
		t.Run(c.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			r := newChunkedReader(io.NopCloser(bytes.NewReader(c.body)), chunkConfig{trailer: c.trailer, decodedLength: c.declared})
			_, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{r}, make([]byte, 64<<10))
			runtime.ReadMemStats(&after)
			if KindOf(err) != c.kind {
				t.Fatalf("err = %v, want %v", err, c.kind)
			}
			if d := after.TotalAlloc - before.TotalAlloc; d > 512<<10 {
				t.Errorf("decoding %d bytes of garbage allocated %d bytes", len(c.body), d)
			}
		})
	}
}

func TestChunkedClose(t *testing.T) {
	t.Parallel()
	r := newChunkedReader(io.NopCloser(strings.NewReader("3\r\nabc\r\n0\r\n\r\n")), chunkConfig{decodedLength: 3})
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(make([]byte, 4)); !errors.Is(err, http.ErrBodyReadAfterClose) {
		t.Fatalf("read after close: %v", err)
	}
}
