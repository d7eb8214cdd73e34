package sigv4

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"net/textproto"
	"strings"
	"sync"
)

// Bounds on what the decoder buffers from an untrusted body.
const (
	maxChunkLine     = 4096     // a chunk header or trailer line
	maxTrailers      = 16       // trailing header lines
	minSignedChunk   = 8 << 10  // S3's minimum for every signed chunk but the last
	chunkReadBufSize = 32 << 10 // bufio buffer; also the longest line ReadSlice holds
)

var newline = []byte{'\n'}

var bufioPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, chunkReadBufSize) }}

// chunkConfig is what the decoder needs from the verified request.
type chunkConfig struct {
	key           [32]byte // signing key
	seed          [32]byte // the request's signature: the first "previous signature"
	amzDate       string
	scope         string
	signed        bool // chunk-signature on every chunk
	trailer       bool // trailing headers after the last chunk
	decodedLength int64
	trailerNames  []string // X-Amz-Trailer values (comma-separated lists)
}

// ChunkedReader decodes an aws-chunked request body ("Content-Encoding:
// aws-chunked"): chunks of "hex-size[;chunk-signature=sig]\r\n data \r\n",
// a final zero-size chunk, then (trailer modes) "name:value\r\n" lines and
// an empty line. It verifies each chunk signature, chained from the seed
// signature, the trailer signature, and that the decoded length equals
// x-amz-decoded-content-length, and yields the decoded bytes.
//
// A Read returns either data or an error, never both; after an error every
// Read returns the same error. The last piece of a chunk is released only
// after that chunk's signature verified, and the read that would return EOF
// fails instead when anything about the body is wrong, so a consumer that
// stops at the first error never commits a bad body.
//
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
type ChunkedReader struct {
	cfg       chunkConfig
	src       io.ReadCloser
	br        *bufio.Reader
	mac       hmacer
	data      hash.Hash // SHA-256 of the current chunk (signed modes)
	prev      [32]byte  // previous signature in the chain
	claim     [32]byte  // signature the current chunk claims
	sum, sig  [32]byte  // scratch: a data hash, a computed signature
	remaining int64     // bytes of the current chunk still to read
	lastSize  int64     // size of the previous data chunk
	decoded   int64     // bytes yielded so far
	inData    bool
	sts       []byte
	trailer   http.Header
	err       error
}

func newChunkedReader(src io.ReadCloser, cfg chunkConfig) *ChunkedReader {
	if src == nil {
		src = http.NoBody
	}
	br := bufioPool.Get().(*bufio.Reader)
	br.Reset(src)
	c := &ChunkedReader{cfg: cfg, src: src, br: br, prev: cfg.seed}
	if cfg.signed {
		c.mac.h = sha256.New()
		c.data = sha256.New()
	}
	return c
}

// Trailer returns the trailing headers (canonical names, e.g.
// X-Amz-Checksum-Crc32), without x-amz-trailer-signature. It is nil until
// Read has returned io.EOF.
func (c *ChunkedReader) Trailer() http.Header { return c.trailer }

// Trailers returns the verified trailing headers of a request body that
// Verify wrapped, once the body has been read to EOF; nil for other bodies.
func Trailers(body io.Reader) http.Header {
	if t, ok := body.(interface{ Trailer() http.Header }); ok {
		return t.Trailer()
	}
	return nil
}

// Read implements io.Reader.
func (c *ChunkedReader) Read(p []byte) (int, error) {
	for c.err == nil {
		if c.inData {
			if len(p) == 0 {
				return 0, nil
			}
			n, err := c.readData(p)
			if err != nil {
				c.fail(err)
				return 0, err
			}
			return n, nil
		}
		if err := c.nextChunk(); err != nil {
			c.fail(err)
		}
	}
	return 0, c.err
}

// Close closes the underlying body.
func (c *ChunkedReader) Close() error {
	if c.err == nil {
		c.err = http.ErrBodyReadAfterClose
	}
	c.release()
	return c.src.Close()
}

func (c *ChunkedReader) fail(err error) {
	c.err = err
	c.release()
}

func (c *ChunkedReader) release() {
	if c.br != nil {
		c.br.Reset(nil)
		bufioPool.Put(c.br)
		c.br = nil
	}
}

// readData reads from the current chunk; at the chunk's end it consumes the
// CRLF and verifies the signature before the last bytes are returned.
func (c *ChunkedReader) readData(p []byte) (int, error) {
	if int64(len(p)) > c.remaining {
		p = p[:c.remaining]
	}
	n, err := c.br.Read(p)
	if err != nil {
		return 0, truncated(err)
	}
	c.remaining -= int64(n)
	c.decoded += int64(n)
	if c.cfg.signed {
		c.data.Write(p[:n])
	}
	if c.remaining == 0 {
		c.inData = false
		if err := c.endChunk(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

func truncated(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return &Error{Kind: KindIncompleteBody, Message: msgBodyTerminated}
	}
	return bodyError(err)
}

func malformed(msg string) error { return newErr(KindMalformedChunk, msg) }

// endChunk consumes the CRLF after a chunk's data and checks its signature.
func (c *ChunkedReader) endChunk() error {
	for _, want := range [2]byte{'\r', '\n'} {
		got, err := c.br.ReadByte()
		if err != nil {
			return truncated(err)
		}
		if got != want {
			return malformed("A chunk's data is not followed by CRLF.")
		}
	}
	if !c.cfg.signed {
		return nil
	}
	c.data.Sum(c.sum[:0])
	return c.verifyChunk(&c.sum)
}

// verifyChunk checks the claimed signature of a chunk whose data hashes to
// sum, and advances the chain.
func (c *ChunkedReader) verifyChunk(sum *[32]byte) error {
	b := append(c.sts[:0], "AWS4-HMAC-SHA256-PAYLOAD\n"...)
	b = append(b, c.cfg.amzDate...)
	b = append(b, '\n')
	b = append(b, c.cfg.scope...)
	b = append(b, '\n')
	b = hex.AppendEncode(b, c.prev[:])
	b = append(b, "\n"+EmptySHA256+"\n"...)
	b = hex.AppendEncode(b, sum[:])
	c.sts = b
	c.mac.sum(&c.sig, c.cfg.key[:], b)
	if subtle.ConstantTimeCompare(c.sig[:], c.claim[:]) != 1 {
		return newErr(KindChunkSignatureMismatch, msgSignatureDoesNotMatch)
	}
	c.prev = c.sig
	return nil
}

// nextChunk reads a chunk header. A zero-size chunk ends the body.
func (c *ChunkedReader) nextChunk() error {
	line, err := c.readLine()
	if err != nil {
		return err
	}
	size, err := c.parseChunkHeader(line)
	if err != nil {
		return err
	}
	if size > c.cfg.decodedLength-c.decoded {
		return malformed("The chunks carry more data than x-amz-decoded-content-length.")
	}
	if c.cfg.signed && size > 0 && c.lastSize > 0 && c.lastSize < minSignedChunk {
		return newErr(KindInvalidChunkSize, "Only the last chunk is allowed to have a size less than 8192 bytes")
	}
	if size == 0 {
		return c.finish()
	}
	c.remaining, c.lastSize, c.inData = size, size, true
	if c.cfg.signed {
		c.data.Reset()
	}
	return nil
}

// parseChunkHeader parses "hex-size;chunk-signature=sig" (signed modes) or
// "hex-size[;extensions]" (unsigned), recording the claimed signature.
func (c *ChunkedReader) parseChunkHeader(line []byte) (int64, error) {
	sizeHex, ext, hasExt := bytes.Cut(line, []byte{';'})
	if len(sizeHex) == 0 || len(sizeHex) > 16 {
		return 0, malformed("Invalid chunk size.")
	}
	var size int64
	for _, ch := range sizeHex {
		if !isHex(ch) || size > (1<<63-1)>>4 {
			return 0, malformed("Invalid chunk size.")
		}
		size = size<<4 | int64(unhex(ch))
	}
	if !c.cfg.signed {
		return size, nil
	}
	sig, ok := bytes.CutPrefix(ext, []byte("chunk-signature="))
	if !hasExt || !ok || !decodeSignature(&c.claim, sig) {
		return 0, malformed("Invalid chunk signature extension.")
	}
	return size, nil
}

// readLine returns the next CRLF-terminated line without its CRLF. The
// slice is valid until the next read.
func (c *ChunkedReader) readLine() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	switch {
	case err == bufio.ErrBufferFull || len(line) > maxChunkLine:
		return nil, malformed("A chunk header or trailer line is too long.")
	case err != nil:
		return nil, truncated(err)
	case len(line) < 2 || line[len(line)-2] != '\r':
		return nil, malformed("A chunk header or trailer line does not end in CRLF.")
	}
	return line[:len(line)-2], nil
}

// finish handles what follows the final chunk header: its signature, the
// trailers or the closing empty line, and the length checks.
func (c *ChunkedReader) finish() error {
	if c.cfg.signed {
		if err := c.verifyChunk(&emptySum); err != nil {
			return err
		}
	}
	var trailer http.Header
	if c.cfg.trailer {
		var err error
		if trailer, err = c.readTrailers(); err != nil {
			return err
		}
	} else {
		line, err := c.readLine()
		if err != nil {
			return err
		}
		if len(line) != 0 {
			return malformed("The final chunk is not followed by an empty line.")
		}
	}
	if c.decoded != c.cfg.decodedLength {
		return &Error{Kind: KindIncompleteBody, Message: msgIncompleteBody}
	}
	if _, err := c.br.ReadByte(); err != io.EOF {
		if err != nil {
			return bodyError(err)
		}
		return malformed("There is data after the final chunk.")
	}
	c.trailer = trailer // published only once everything checked out
	c.release()
	return io.EOF
}

// readTrailers reads "name:value" lines up to an empty line, verifying
// x-amz-trailer-signature in the signed mode.
func (c *ChunkedReader) readTrailers() (http.Header, error) {
	var canon hash.Hash // SHA-256 of "name:value\n" for each trailer
	if c.cfg.signed {
		canon = c.data
		canon.Reset()
	}
	trailer := make(http.Header)
	var sig [32]byte
	var haveSig bool
	for n := 0; ; n++ {
		line, err := c.readLine()
		if err != nil {
			return nil, err
		}
		if len(line) == 0 {
			break
		}
		if n >= maxTrailers || haveSig {
			return nil, newErr(KindMalformedTrailer, msgMalformedTrailer)
		}
		name, value, ok := bytes.Cut(line, []byte{':'})
		if !ok || !validHeaderName(string(name)) {
			return nil, newErr(KindMalformedTrailer, msgMalformedTrailer)
		}
		if c.cfg.signed && strings.EqualFold(string(name), "x-amz-trailer-signature") {
			if !decodeSignature(&sig, bytes.TrimSpace(value)) {
				return nil, newErr(KindMalformedTrailer, msgMalformedTrailer)
			}
			haveSig = true
			continue
		}
		if canon != nil {
			canon.Write(line)
			canon.Write(newline)
		}
		trailer.Add(textproto.CanonicalMIMEHeaderKey(string(name)), string(bytes.TrimSpace(value)))
	}
	if err := c.checkTrailerNames(trailer); err != nil {
		return nil, err
	}
	if c.cfg.signed {
		if !haveSig {
			return nil, newErr(KindMalformedTrailer, msgMalformedTrailer)
		}
		canon.Sum(c.sum[:0])
		if err := c.verifyTrailer(&c.sum, &sig); err != nil {
			return nil, err
		}
	}
	return trailer, nil
}

// checkTrailerNames requires the trailers to be exactly those announced in
// X-Amz-Trailer, when the request announced any.
func (c *ChunkedReader) checkTrailerNames(trailer http.Header) error {
	declared := 0
	for _, v := range c.cfg.trailerNames {
		for name := range strings.SplitSeq(v, ",") {
			if name = strings.TrimSpace(name); name == "" {
				continue
			}
			declared++
			if trailer[textproto.CanonicalMIMEHeaderKey(name)] == nil {
				return newErr(KindMalformedTrailer, msgMalformedTrailer)
			}
		}
	}
	if declared > 0 && len(trailer) > declared {
		return newErr(KindMalformedTrailer, msgMalformedTrailer)
	}
	return nil
}

// verifyTrailer checks the trailer signature: chained from the final
// chunk's signature over the SHA-256 of the canonical trailers.
func (c *ChunkedReader) verifyTrailer(sum, claim *[32]byte) error {
	b := append(c.sts[:0], "AWS4-HMAC-SHA256-TRAILER\n"...)
	b = append(b, c.cfg.amzDate...)
	b = append(b, '\n')
	b = append(b, c.cfg.scope...)
	b = append(b, '\n')
	b = hex.AppendEncode(b, c.prev[:])
	b = append(b, '\n')
	b = hex.AppendEncode(b, sum[:])
	c.sts = b
	c.mac.sum(&c.sig, c.cfg.key[:], b)
	if subtle.ConstantTimeCompare(c.sig[:], claim[:]) != 1 {
		return newErr(KindChunkSignatureMismatch, msgSignatureDoesNotMatch)
	}
	return nil
}
