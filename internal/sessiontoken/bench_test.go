package sessiontoken

import "testing"

// The benchmarks use a typical role session: a ~500-byte session policy
// and three session tags.

func BenchmarkSeal(b *testing.B) {
	r := testRing(b, testKey(b, 1, 1))
	c := roleClaims()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Seal(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	r := testRing(b, testKey(b, 1, 1))
	c := roleClaims()
	tok := seal(b, r, c)
	b.ReportMetric(float64(len(tok)), "token-chars")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Open(tok, c.AccessKeyID, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenForged measures rejecting a forged token, the cost an
// attacker can impose per request.
func BenchmarkOpenForged(b *testing.B) {
	r := testRing(b, testKey(b, 1, 1))
	c := roleClaims()
	bin := decodeToken(b, seal(b, r, c))
	bin[len(bin)-1] ^= 1
	tok := b64.EncodeToString(bin)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Open(tok, c.AccessKeyID, now); err == nil {
			b.Fatal("forged token opened")
		}
	}
}
