package sigv4

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

// BenchmarkVerifyHeader parses and verifies a typical header-signed S3 GET
// (host, range, x-amz-content-sha256, x-amz-date, x-amz-security-token; a
// three-parameter query) with a warm key cache.
func BenchmarkVerifyHeader(b *testing.B) {
	req := sdkRequest{method: "GET", service: "s3", token: "FwoGZXIvYXdzEJr//////////wEaDHSessionTokenExample",
		url:    s3URL("127.0.0.1:9010", "bucket", "photos/2024/summer/img_0001.jpg", "versionId=3HL4kqtJlcpXroDTDmJ%2Bruml&response-content-type=image%2Fjpeg&partNumber=1"),
		header: http.Header{"Range": {"bytes=0-1048575"}, "User-Agent": {"aws-sdk-go-v2/1.48.0"}}}
	r := toServer(b, req.sign(b, testCreds, testTime))
	v := NewVerifier(Options{Now: fixedNow(testTime)})
	if _, err := verify(b, v, r, testCreds.SecretAccessKey); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		a, err := Parse(r)
		if err != nil {
			b.Fatal(err)
		}
		if err := v.Verify(r, a, testCreds.SecretAccessKey); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyPresigned is the same for a presigned URL.
func BenchmarkVerifyPresigned(b *testing.B) {
	req := sdkRequest{method: "GET", service: "s3", url: s3URL("127.0.0.1:9010", "bucket", "photos/img.jpg", "")}
	r := toServer(b, req.presign(b, testCreds, testTime, 3600))
	v := NewVerifier(Options{Now: fixedNow(testTime)})
	b.ReportAllocs()
	for b.Loop() {
		a, err := Parse(r)
		if err != nil {
			b.Fatal(err)
		}
		if err := v.Verify(r, a, testCreds.SecretAccessKey); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChunkedReader decodes 4 MiB in 64 KiB chunks.
func BenchmarkChunkedReader(b *testing.B) {
	payload := bytes.Repeat([]byte("0123456789abcdef"), 4<<20/16)
	var seed [32]byte
	decodeSignature(&seed, docSeed)
	key := [32]byte(SigningKey(docSecret, "20130524", "us-east-1", "s3"))
	for _, c := range []struct {
		name   string
		signed bool
	}{{"signed", true}, {"unsigned-trailer", false}} {
		b.Run(c.name, func(b *testing.B) {
			enc := &chunkEncoder{seed: docSeed, amzDate: docDate, scope: docScope, trailer: !c.signed,
				trailers: [][2]string{{"x-amz-checksum-crc32", crc32Base64(payload)}}}
			for range len(payload) / 65536 {
				enc.chunkSizes = append(enc.chunkSizes, 65536)
			}
			if c.signed {
				enc.key = key[:]
			}
			body := enc.encode(payload)
			cfg := chunkConfig{key: key, seed: seed, amzDate: docDate, scope: docScope, signed: c.signed, trailer: !c.signed, decodedLength: int64(len(payload))}
			buf := make([]byte, 32<<10)
			b.SetBytes(int64(len(payload)))
			b.ReportAllocs()
			for b.Loop() {
				r := newChunkedReader(io.NopCloser(bytes.NewReader(body)), cfg)
				if n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{r}, buf); err != nil || n != int64(len(payload)) {
					b.Fatal(n, err)
				}
			}
		})
	}
}

// BenchmarkHashingBody streams 4 MiB through the x-amz-content-sha256 check.
func BenchmarkHashingBody(b *testing.B) {
	payload := bytes.Repeat([]byte("0123456789abcdef"), 4<<20/16)
	sum := hexSHA256(payload)
	buf := make([]byte, 32<<10)
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		r := &http.Request{Body: io.NopCloser(bytes.NewReader(payload))}
		body := newHashingBody(r, sum)
		if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{body}, buf); err != nil {
			b.Fatal(err)
		}
	}
}
