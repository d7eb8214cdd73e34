package e2e

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/grantd/grantd/internal/apptest"
	"github.com/grantd/grantd/internal/loadgen"
)

// BenchmarkGetDataAccess is GetDataAccess through the whole stack over
// loopback HTTP, with loadgen's SigV4-signed requests (client and server
// share the machine's cores): a role session of account B asking account
// A's instance, so the cross-account authorization (B's identity policy
// and A's resource policy) runs, then the matching index, the trust
// policy of the location role and the sealing of the vended session. The
// fixture is loadgen.GrantsFixture, as cmd/grantd-load -setup-grants
// builds it for the grantd serve figures of BENCHMARKS.md; sub-benchmarks
// by grant count (GRANTD_BENCH_GDA_GRANTS, default "1000", e.g.
// "1000,100000").
func BenchmarkGetDataAccess(b *testing.B) {
	counts := []int{1000}
	if s := os.Getenv("GRANTD_BENCH_GDA_GRANTS"); s != "" {
		counts = nil
		for _, f := range splitComma(s) {
			n, err := strconv.Atoi(f)
			if err != nil {
				b.Fatal(err)
			}
			counts = append(counts, n)
		}
	}
	for _, n := range counts {
		b.Run(fmt.Sprintf("grants=%d", n), func(b *testing.B) {
			env := apptest.Start(b, apptest.Options{})
			f := loadgen.GrantsFixture{Endpoint: env.Endpoint, Region: wkRegion, Grants: n, Workers: 8,
				OwnerAccount: apptest.Account, Owner: env.Root(),
				ConsumerAccount: wkB, Consumer: env.NewAccount(b, wkB)}
			setup, err := f.Setup(b.Context())
			if err != nil {
				b.Fatal(err)
			}
			run := func(op loadgen.Op, requests int64) loadgen.Result {
				res, err := loadgen.Run(b.Context(), loadgen.Options{Endpoint: env.Endpoint, Region: wkRegion,
					Credentials: setup.Session, Op: op, Workers: 16, Duration: time.Hour, Requests: requests})
				if err != nil || res.Errors > 0 {
					b.Fatalf("%v: %v (%s)", res, err, res.FirstError)
				}
				return res
			}
			op := loadgen.GetDataAccess(apptest.Account, setup.Target, "READ")
			run(op, 100) // builds the instance's index
			b.ResetTimer()
			res := run(op, int64(b.N))
			b.ReportMetric(res.PerSecond, "req/s")
			b.ReportMetric(float64(res.P50.Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(res.P99.Microseconds())/1000, "p99-ms")
		})
	}
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}
