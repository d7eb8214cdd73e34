// Command grantd-load is grantd's load generator: it sends one kind of
// signed request with a fixed number of workers and prints throughput and
// latency percentiles (see internal/loadgen).
//
//	grantd-load -endpoint http://127.0.0.1:9010 -op sts:GetCallerIdentity -c 32 -d 10s
//	grantd-load -op s3:GetDataAccess -account 111122223333 -target 's3://bucket/prefix*' -permission READ
//	grantd-load -op sts:AssumeRole -role-arn arn:aws:iam::111122223333:role/r
//
// Credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/grantd/grantd/internal/loadgen"
)

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:9010", "grantd endpoint")
	region := flag.String("region", "us-east-1", "signing region")
	opName := flag.String("op", "sts:GetCallerIdentity", "operation: sts:GetCallerIdentity, sts:AssumeRole or s3:GetDataAccess")
	workers := flag.Int("c", 32, "concurrent workers")
	duration := flag.Duration("d", 10*time.Second, "duration")
	requests := flag.Int64("n", 0, "stop after this many requests (0: run for -d)")
	account := flag.String("account", "", "s3:GetDataAccess: the instance's account")
	target := flag.String("target", "", "s3:GetDataAccess: target")
	permission := flag.String("permission", "READ", "s3:GetDataAccess: permission")
	roleARN := flag.String("role-arn", "", "sts:AssumeRole: the role to assume")
	asJSON := flag.Bool("json", false, "print the result as JSON")
	setup := flag.Int("setup-grants", 0, "build the GetDataAccess fixture with this many grants and print its exports (see setup.go)")
	owner := flag.String("owner", "111122223333", "-setup-grants: the instance's account")
	consumer := flag.String("consumer", "444455556666", "-setup-grants: the consumer's account")
	flag.Parse()
	if *setup > 0 {
		if err := setupGrants(*endpoint, *region, *owner, *consumer, *setup, *workers); err != nil {
			fmt.Fprintf(os.Stderr, "grantd-load: %v\n", err)
			os.Exit(1)
		}
		return
	}

	var op loadgen.Op
	switch *opName {
	case "sts:GetCallerIdentity":
		op = loadgen.GetCallerIdentity()
	case "sts:AssumeRole":
		op = loadgen.AssumeRole(*roleARN)
	case "s3:GetDataAccess":
		op = loadgen.GetDataAccess(*account, *target, *permission)
	default:
		fmt.Fprintf(os.Stderr, "grantd-load: unknown -op %q\n", *opName)
		os.Exit(2)
	}
	res, err := loadgen.Run(context.Background(), loadgen.Options{
		Endpoint: *endpoint, Region: *region, Op: op, Workers: *workers, Duration: *duration, Requests: *requests,
		Credentials: aws.Credentials{AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"),
			SessionToken: os.Getenv("AWS_SESSION_TOKEN")},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "grantd-load: %v (%s)\n", err, res.FirstError)
		os.Exit(1)
	}
	if *asJSON {
		json.NewEncoder(os.Stdout).Encode(res)
	} else {
		fmt.Println(res)
		if res.FirstError != "" {
			fmt.Println("first error:", res.FirstError)
		}
	}
}
