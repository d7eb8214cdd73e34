package sigv4

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"testing"
)

func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{
		goodHeader,
		"AWS4-HMAC-SHA256 Credential=AKID/20260314/eu-west-1/s3/aws4_request,SignedHeaders=host,Signature=00",
		"AWS4-HMAC-SHA256   Credential=A/20260314/r/s/aws4_request ,, SignedHeaders=a;b;c , Signature=zz",
		"AWS4-HMAC-SHA256 Credential=AKID/20260314/eu-west-1/s3/aws4_request",
		"AWS4-HMAC-SHA256 Credential=AKID/2026031/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=",
		"AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=;, Signature==",
		"AWS AKID:sig",
		"",
		"AWS4-HMAC-SHA256 ,,,,",
	} {
		f.Add(s, "20260314T150926Z")
	}
	v := NewVerifier(Options{Now: fixedNow(testTime)})
	f.Fuzz(func(t *testing.T, authz, date string) {
		r := &http.Request{Method: "GET", Host: "h", URL: &url.URL{Path: "/b/k"}, RequestURI: "/b/k",
			Header: http.Header{"Authorization": {authz}, "X-Amz-Date": {date}, "X-Amz-Content-Sha256": {EmptySHA256}}}
		a, err := Parse(r)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Kind == 0 || e.Message == "" {
				t.Fatalf("Parse error is not a *Error with a kind and message: %v", err)
			}
			return
		}
		if a.AccessKeyID == "" || len(a.SignedHeaders) == 0 || a.Scope.Region == "" || a.Presigned {
			t.Fatalf("accepted an incomplete Auth: %+v", a)
		}
		if err := v.Verify(r, a, "secret"); err == nil {
			t.Fatalf("a fuzzed signature verified: %q", authz)
		}
	})
}

func FuzzPresignedQuery(f *testing.F) {
	const q = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260314%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20260314T150926Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=" + EmptySHA256
	for _, s := range []string{
		q,
		q + "&prefix=a+b%2F&acl&=&&x=%zz",
		"X-Amz-Algorithm=AWS4-HMAC-SHA256",
		"X-Amz-Credential=%2F%2F%2F%2F&X-Amz-Signature=&X-Amz-Expires=604801",
		"X%2DAmz-Algorithm=x&X-Amz-Algorithm=AWS4-HMAC-SHA256",
		"AWSAccessKeyId=a&Signature=b",
		"%E1%88%B4=bar&Param-3=Value3&" + q,
	} {
		f.Add(s, "/b/k")
	}
	v := NewVerifier(Options{Now: fixedNow(testTime)})
	f.Fuzz(func(t *testing.T, q, path string) {
		r := &http.Request{Method: "GET", Host: "h", URL: &url.URL{Path: path, RawQuery: q}, RequestURI: "/" + path + "?" + q, Header: http.Header{}}
		a, err := Parse(r)
		if err != nil {
			if !errors.Is(err, ErrNoAuth) && KindOf(err) == 0 {
				t.Fatalf("Parse error without a kind: %v", err)
			}
			return
		}
		if !a.Presigned || a.Expires <= 0 || a.Expires > maxExpires {
			t.Fatalf("bad Auth: %+v", a)
		}
		if err := v.Verify(r, a, "secret"); err == nil {
			t.Fatalf("a fuzzed signature verified: %q", q)
		}
		// The canonical query builder takes any input.
		s := getScratch()
		s.appendQuery(nil, q, true, false)
		s.appendURI(nil, path, false, false)
		putScratch(s)
	})
}

func FuzzChunkedReader(f *testing.F) {
	// Small bodies keep the fuzzer fast; signed chunks other than the last
	// must be at least 8 KiB, so only one seed has two data chunks.
	payload := bytes.Repeat([]byte("abcdefgh"), 1026)
	one := docEncoder()
	one.chunkSizes = nil
	f.Add(one.encode(payload[:100]), true, false, uint32(100), uint16(7))
	two := docEncoder()
	two.chunkSizes = []int{8192}
	f.Add(two.encode(payload), true, false, uint32(len(payload)), uint16(4096))
	tr := docEncoder()
	tr.chunkSizes, tr.trailer, tr.trailers = nil, true, [][2]string{{"x-amz-checksum-crc32", crc32Base64(payload[:50])}}
	f.Add(tr.encode(payload[:50]), true, true, uint32(50), uint16(333))
	un := &chunkEncoder{chunkSizes: []int{7, 100}, trailer: true, trailers: [][2]string{{"x-amz-checksum-crc32", "AAAAAA=="}}}
	f.Add(un.encode([]byte("hello, chunked world")), false, true, uint32(20), uint16(1))
	f.Add([]byte("3\r\nabc\r\n0\r\n\r\n"), false, false, uint32(3), uint16(2))
	f.Add([]byte("fffffffffffffff\r\n"), false, false, uint32(1<<31), uint16(100))
	f.Add([]byte("0;chunk-signature=zz\r\n\r\n"), true, false, uint32(0), uint16(10))

	var seed [32]byte
	decodeSignature(&seed, docSeed)
	key := [32]byte(SigningKey(docSecret, "20130524", "us-east-1", "s3"))
	f.Fuzz(func(t *testing.T, body []byte, signed, trailer bool, declared uint32, readSize uint16) {
		cfg := chunkConfig{key: key, seed: seed, amzDate: docDate, scope: docScope, signed: signed, trailer: trailer,
			decodedLength: int64(declared), trailerNames: []string{"x-amz-checksum-crc32"}}
		r := newChunkedReader(io.NopCloser(bytes.NewReader(body)), cfg)
		buf := make([]byte, int(readSize)%70000+1)
		var total int64
		var firstErr error
		for i := 0; i < len(body)+10; i++ { // every Read makes progress or ends
			n, err := r.Read(buf)
			if firstErr != nil {
				if n != 0 || err != firstErr {
					t.Fatalf("after %v: Read = %d, %v", firstErr, n, err)
				}
				break
			}
			if n > 0 && err != nil {
				t.Fatalf("Read returned data with an error: %d, %v", n, err)
			}
			total += int64(n)
			if total > int64(declared) || total > int64(len(body)) {
				t.Fatalf("decoded %d bytes from %d, declared %d", total, len(body), declared)
			}
			if err != nil {
				firstErr = err
				if err != io.EOF && KindOf(err) == 0 {
					t.Fatalf("error without a kind: %v", err)
				}
				if err == io.EOF && total != int64(declared) {
					t.Fatalf("EOF after %d bytes, declared %d", total, declared)
				}
			}
		}
		if firstErr == nil {
			t.Fatalf("no end after %d reads", len(body)+10)
		}
		if firstErr != io.EOF && Trailers(r) != nil {
			t.Fatalf("trailers after an error")
		}
	})
}
