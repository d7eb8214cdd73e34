package e2e

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/smithy-go"

	"github.com/grantd/grantd/internal/apptest"
)

// BenchmarkAccessGrants100k fills one instance with 100,000 grants — the
// quota — through the s3control client, then lists them page by page
// (1,000 a page), then checks that one more is refused. Run it once per
// backend:
//
//	go test ./internal/e2e -run '^$' -bench AccessGrants100k -benchtime 1x -timeout 60m
//
// GRANTD_BENCH_GRANTS lowers the count for a quick run (the quota check
// is then skipped).
func BenchmarkAccessGrants100k(b *testing.B) {
	n := 100000
	if s := os.Getenv("GRANTD_BENCH_GRANTS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	for _, pg := range []bool{false, true} {
		b.Run(map[bool]string{false: "SQLite", true: "PostgreSQL"}[pg], func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				env := apptest.Start(b, apptest.Options{Postgres: pg})
				c := control(env, seedAccount(b, env, acctA, role{name: locationRoleName}), region2)
				setupInstance(b, c)
				b.StartTimer()
				createGrants(b, c, n)
				listGrants(b, c, n)
				if n == 100000 {
					_, err := c.CreateAccessGrant(b.Context(), grantInput(n))
					if !isCode(err, "AccessGrantsQuotaExceededError", http.StatusConflict) {
						b.Fatalf("grant %d: %v, want AccessGrantsQuotaExceededError", n+1, err)
					}
				}
			}
		})
	}
}

func setupInstance(b *testing.B, c *s3control.Client) {
	a := aws.String(acctA)
	if _, err := c.CreateAccessGrantsInstance(b.Context(), &s3control.CreateAccessGrantsInstanceInput{AccountId: a}); err != nil {
		b.Fatal(err)
	}
	if _, err := c.CreateAccessGrantsLocation(b.Context(), &s3control.CreateAccessGrantsLocationInput{AccountId: a,
		LocationScope: aws.String("s3://"), IAMRoleArn: aws.String(locationRoleARN(acctA))}); err != nil {
		b.Fatal(err)
	}
}

// grantInput is the i-th grant: a prefix of its own in one of 100 buckets,
// for one of 1,000 roles.
func grantInput(i int) *s3control.CreateAccessGrantInput {
	return &s3control.CreateAccessGrantInput{AccountId: aws.String(acctA), AccessGrantsLocationId: aws.String("default"),
		AccessGrantsLocationConfiguration: sub(fmt.Sprintf("bucket-%02d/team-%06d/*", i%100, i)),
		Permission:                        types.PermissionRead,
		Grantee:                           iamGrantee(fmt.Sprintf("arn:aws:iam::444455556666:role/consumer-%03d", i%1000))}
}

// createGrants creates n grants from 8 concurrent clients and reports the
// rate.
func createGrants(b *testing.B, c *s3control.Client, n int) {
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if _, err := c.CreateAccessGrant(b.Context(), grantInput(i)); err != nil {
					errs <- fmt.Errorf("grant %d: %w", i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	d := time.Since(start)
	b.ReportMetric(float64(n)/d.Seconds(), "creates/s")
	b.ReportMetric(d.Seconds(), "create-s")
}

// listGrants lists every grant, 1,000 a page, and reports the rate.
func listGrants(b *testing.B, c *s3control.Client, n int) {
	start := time.Now()
	seen := make(map[string]bool, n)
	var token *string
	pages := 0
	for {
		out, err := c.ListAccessGrants(b.Context(), &s3control.ListAccessGrantsInput{AccountId: aws.String(acctA), MaxResults: 1000, NextToken: token})
		if err != nil {
			b.Fatal(err)
		}
		pages++
		for _, g := range out.AccessGrantsList {
			seen[aws.ToString(g.AccessGrantId)] = true
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	d := time.Since(start)
	if len(seen) != n {
		b.Fatalf("listed %d distinct grants in %d pages, want %d", len(seen), pages, n)
	}
	b.ReportMetric(float64(n)/d.Seconds(), "listed/s")
	b.ReportMetric(d.Seconds()*1000/float64(pages), "ms/page")
}

// isCode reports whether err is the API error code with HTTP status.
func isCode(err error, code string, status int) bool {
	var ae smithy.APIError
	var re *awshttp.ResponseError
	return errors.As(err, &ae) && ae.ErrorCode() == code && errors.As(err, &re) && re.HTTPStatusCode() == status
}
