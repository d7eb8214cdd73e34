// Package loadgen is grantd's load generator: it sends one kind of request
// as fast as a fixed number of workers can, each request signed afresh by
// aws-sdk-go-v2's SigV4 signer (the real one, as clients sign), and reports
// throughput and latency percentiles. cmd/grantd-load runs it against a
// server; benchmarks run it in-process.
package loadgen

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Op builds the requests of one operation. Build returns a new request
// each time; Service is the SigV4 signing name.
type Op struct {
	Name    string
	Service string
	Build   func(endpoint string) (*http.Request, []byte, error)
}

// Options configure Run.
type Options struct {
	Endpoint    string
	Region      string
	Credentials aws.Credentials
	Op          Op
	// Workers send requests concurrently, each waiting for its answer.
	Workers int
	// Duration bounds the run; Requests, if set, stops it earlier.
	Duration time.Duration
	Requests int64
	// Client is the HTTP client; nil means one with a connection per worker.
	Client *http.Client
}

// Result summarises a run.
type Result struct {
	Op       string
	Requests int64
	Errors   int64
	// FirstError is the first non-2xx answer or transport error.
	FirstError string
	Elapsed    time.Duration
	PerSecond  float64
	P50, P90   time.Duration
	P99, Max   time.Duration
}

func (r Result) String() string {
	return fmt.Sprintf("%s: %d requests (%d errors) in %.1fs = %.0f req/s; latency p50 %s p90 %s p99 %s max %s",
		r.Op, r.Requests, r.Errors, r.Elapsed.Seconds(), r.PerSecond, round(r.P50), round(r.P90), round(r.P99), round(r.Max))
}

func round(d time.Duration) time.Duration { return d.Round(10 * time.Microsecond) }

// Run sends requests until the duration or request budget is used up.
func Run(ctx context.Context, o Options) (Result, error) {
	if o.Workers <= 0 {
		o.Workers = 1
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.Client == nil {
		o.Client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.Workers, MaxConnsPerHost: o.Workers}}
	}
	ctx, cancel := context.WithTimeout(ctx, o.Duration)
	defer cancel()
	var sent, errs atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, o.Workers)
	signer := v4.NewSigner()
	var wg sync.WaitGroup
	start := time.Now()
	for w := range o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if o.Requests > 0 && sent.Add(1) > o.Requests {
					return
				} else if o.Requests == 0 {
					sent.Add(1)
				}
				t0 := time.Now()
				if err := o.once(ctx, signer); err != nil {
					if ctx.Err() != nil {
						sent.Add(-1)
						return
					}
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	res := Result{Op: o.Op.Name, Errors: errs.Load(), Elapsed: time.Since(start)}
	if v, ok := firstErr.Load().(string); ok {
		res.FirstError = v
	}
	all := slices.Concat(lat...)
	res.Requests = int64(len(all))
	if len(all) == 0 {
		return res, fmt.Errorf("no request completed")
	}
	slices.Sort(all)
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(float64(len(all))*p))] }
	res.P50, res.P90, res.P99, res.Max = pct(0.50), pct(0.90), pct(0.99), all[len(all)-1]
	res.PerSecond = float64(res.Requests) / res.Elapsed.Seconds()
	return res, nil
}

func (o *Options) once(ctx context.Context, signer *v4.Signer) error {
	req, body, err := o.Op.Build(o.Endpoint)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Content-Sha256", hash)
	req = req.WithContext(ctx)
	if err := signer.SignHTTP(ctx, o.Credentials, req, hash, o.Op.Service, o.Region, time.Now()); err != nil {
		return err
	}
	resp, err := o.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: HTTP %d: %.300s", o.Op.Name, resp.StatusCode, b)
	}
	return nil
}

// GetCallerIdentity is sts:GetCallerIdentity, the cheapest authenticated
// call: the ceiling of the HTTP + SigV4 path.
func GetCallerIdentity() Op {
	body := []byte("Action=GetCallerIdentity&Version=2011-06-15")
	return Op{Name: "sts:GetCallerIdentity", Service: "sts", Build: func(endpoint string) (*http.Request, []byte, error) {
		req, err := http.NewRequest(http.MethodPost, endpoint+"/", strings.NewReader(string(body)))
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		return req, body, nil
	}}
}

// GetDataAccess is s3:GetDataAccess against account's instance.
func GetDataAccess(account, target, permission string) Op {
	q := url.Values{"target": {target}, "permission": {permission}}
	return Op{Name: "s3:GetDataAccess", Service: "s3", Build: func(endpoint string) (*http.Request, []byte, error) {
		req, err := http.NewRequest(http.MethodGet, endpoint+"/v20180820/accessgrantsinstance/dataaccess?"+q.Encode(), nil)
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("x-amz-account-id", account)
		return req, nil, nil
	}}
}

// AssumeRole is sts:AssumeRole of roleARN, each request with a fresh
// session name: the cost of authorizing against the trust policy and
// sealing a session token.
func AssumeRole(roleARN string) Op {
	var n atomic.Int64
	return Op{Name: "sts:AssumeRole", Service: "sts", Build: func(endpoint string) (*http.Request, []byte, error) {
		q := url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {roleARN},
			"RoleSessionName": {fmt.Sprintf("load-%d", n.Add(1))}}
		body := []byte(q.Encode())
		req, err := http.NewRequest(http.MethodPost, endpoint+"/", strings.NewReader(string(body)))
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		return req, body, nil
	}}
}
