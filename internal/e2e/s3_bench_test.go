package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/grantd/grantd/internal/api"
	"github.com/grantd/grantd/internal/apptest"
	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/authz"
	"github.com/grantd/grantd/internal/policy"
	"github.com/grantd/grantd/internal/sigv4"
)

// benchPolicy is evaluated on every request of the benchmarks, so they
// measure the whole authorization path, not just the owner's shortcut.
const benchPolicy = `{"Version":"2012-10-17","Statement":[
 {"Sid":"Readers","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bench","arn:aws:s3:::bench/*"]},
 {"Sid":"TLSOnlyForOthers","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bench/*","Condition":{"Bool":{"aws:SecureTransport":"false"},"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}}]}`

func benchEnv(b *testing.B) (*apptest.Env, *s3.Client) {
	b.Helper()
	env := apptest.Start(b, apptest.Options{})
	c := s3Client(env, env.Root(), pathStyle)
	ctx := context.Background()
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench")}); err != nil {
		b.Fatal(err)
	}
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("bench"), Policy: aws.String(benchPolicy)}); err != nil {
		b.Fatal(err)
	}
	return env, c
}

func reportOps(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkS3Small is PUT and GET of 4 KiB objects through the SDK client,
// SigV4 and the bucket policy, one request at a time.
func BenchmarkS3Small(b *testing.B) {
	_, c := benchEnv(b)
	ctx := context.Background()
	body := randomBytes(b, 4<<10)
	b.Run("PUT", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for i := 0; b.Loop(); i++ {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench"), Key: aws.String(fmt.Sprintf("small/%d", i%1000)), Body: bytes.NewReader(body)})
			if err != nil {
				b.Fatal(err)
			}
		}
		reportOps(b)
	})
	b.Run("GET", func(b *testing.B) {
		for i := range 100 {
			if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench"), Key: aws.String(fmt.Sprintf("small/%d", i)), Body: bytes.NewReader(body)}); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(len(body)))
		for i := 0; b.Loop(); i++ {
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bench"), Key: aws.String(fmt.Sprintf("small/%d", i%100))})
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, out.Body)
			out.Body.Close()
		}
		reportOps(b)
	})
}

const largeSize = 256 << 20

// BenchmarkS3Large is PUT and GET of a 256 MiB object, next to the raw
// file-to-file copy of the same size (with fsync) and a plain read of the
// file from the page cache, the bounds of storing and serving it.
func BenchmarkS3Large(b *testing.B) {
	env, c := benchEnv(b)
	ctx := context.Background()
	src := filepath.Join(b.TempDir(), "large.bin")
	if err := os.WriteFile(src, randomBytes(b, largeSize), 0o600); err != nil {
		b.Fatal(err)
	}
	b.Run("RawCopy", func(b *testing.B) {
		b.SetBytes(largeSize)
		dst := filepath.Join(b.TempDir(), "copy.bin")
		for b.Loop() {
			rawCopy(b, src, dst)
		}
	})
	b.Run("RawRead", func(b *testing.B) {
		b.SetBytes(largeSize)
		for b.Loop() {
			f, err := os.Open(src)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, f)
			f.Close()
		}
	})
	b.Run("PUT", func(b *testing.B) {
		b.SetBytes(largeSize)
		for b.Loop() {
			f, err := os.Open(src)
			if err != nil {
				b.Fatal(err)
			}
			_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench"), Key: aws.String("large"), Body: f})
			f.Close()
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("GET", func(b *testing.B) {
		f, err := os.Open(src)
		if err != nil {
			b.Fatal(err)
		}
		_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench"), Key: aws.String("large"), Body: f})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(largeSize)
		for b.Loop() {
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bench"), Key: aws.String("large")})
			if err != nil {
				b.Fatal(err)
			}
			if n, err := io.Copy(io.Discard, out.Body); err != nil || n != largeSize {
				b.Fatalf("read %d bytes: %v", n, err)
			}
			out.Body.Close()
		}
	})
	_ = env
}

// rawCopy copies src to dst with io.Copy and fsyncs dst: the ceiling of
// what storing or serving an object of that size can do on this disk.
func rawCopy(b *testing.B, src, dst string) {
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Sync(); err != nil {
		b.Fatal(err)
	}
	out.Close()
}

// BenchmarkS3Checks is the signature and policy checks of one small GET
// alone: SigV4 parsing and verification (key lookup cached, as in the
// server) and the authorization decision with the bucket policy. Compare
// with BenchmarkS3Small/GET for their share of a request.
func BenchmarkS3Checks(b *testing.B) {
	env, _ := benchEnv(b)
	ctx := context.Background()
	req, err := http.NewRequest("GET", env.Endpoint+"/bench/small/1", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("X-Amz-Content-Sha256", sigv4.EmptySHA256)
	if err := v4.NewSigner().SignHTTP(ctx, env.Root(), req, sigv4.EmptySHA256, "s3", apptest.Region, time.Now()); err != nil {
		b.Fatal(err)
	}
	pol, err := policy.Parse([]byte(benchPolicy), policy.Resource)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		sig, err := sigv4.Parse(req)
		if err != nil {
			b.Fatal(err)
		}
		caller, err := env.App.Auth.Authenticate(req, sig)
		if err != nil {
			b.Fatal(err)
		}
		areq := &api.Request{Request: &auth.Request{Caller: caller, Region: apptest.Region, SourceIP: "127.0.0.1", Time: time.Now(), AuthType: "REST-HEADER"}}
		rctx := api.WithRequest(ctx, areq)
		check := authz.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::bench/small/1", ResourceAccount: apptest.Account, ResourcePolicy: pol}
		check.Set("s3:signatureversion", "AWS4-HMAC-SHA256")
		check.Set("s3:authType", "REST-HEADER")
		check.Set("s3:signatureAge", "5")
		check.Set("s3:x-amz-content-sha256", sig.PayloadHash)
		check.Set("s3:ResourceAccount", apptest.Account)
		if err := env.App.Authz.Check(rctx, check); err != nil {
			b.Fatal(err)
		}
	}
	reportOps(b)
}
