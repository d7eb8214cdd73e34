package loadgen_test

import (
	"testing"
	"time"

	"github.com/grantd/grantd/internal/apptest"
	"github.com/grantd/grantd/internal/loadgen"
)

func TestRunGetCallerIdentity(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	res, err := loadgen.Run(t.Context(), loadgen.Options{
		Endpoint: env.Endpoint, Credentials: env.Root(), Op: loadgen.GetCallerIdentity(),
		Workers: 4, Duration: 10 * time.Second, Requests: 200,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 200 || res.Errors != 0 {
		t.Fatalf("run = %v; first error %q", res, res.FirstError)
	}
	if res.P50 <= 0 || res.P50 > res.P99 || res.P99 > res.Max {
		t.Errorf("percentiles out of order: %v", res)
	}
}

func TestRunCountsErrors(t *testing.T) {
	env := apptest.Start(t, apptest.Options{})
	creds := env.Root()
	creds.SecretAccessKey = "wrong"
	res, err := loadgen.Run(t.Context(), loadgen.Options{
		Endpoint: env.Endpoint, Credentials: creds, Op: loadgen.GetCallerIdentity(),
		Workers: 2, Duration: 10 * time.Second, Requests: 20,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 20 || res.FirstError == "" {
		t.Errorf("wrong secret: %v (first error %q), want 20 errors", res, res.FirstError)
	}
}

// BenchmarkGetCallerIdentity measures the cheapest authenticated call over
// loopback HTTP, client and server in this process: the ceiling of the
// HTTP + SigV4 path.
func BenchmarkGetCallerIdentity(b *testing.B) {
	env := apptest.Start(b, apptest.Options{})
	b.ResetTimer()
	res, err := loadgen.Run(b.Context(), loadgen.Options{
		Endpoint: env.Endpoint, Credentials: env.Root(), Op: loadgen.GetCallerIdentity(),
		Workers: 8, Duration: time.Hour, Requests: int64(b.N),
	})
	if err != nil || res.Errors > 0 {
		b.Fatalf("%v: %v (%s)", err, res, res.FirstError)
	}
	b.ReportMetric(res.PerSecond, "req/s")
	b.ReportMetric(float64(res.P99.Microseconds()), "p99-µs")
}
