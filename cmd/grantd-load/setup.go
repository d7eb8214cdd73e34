package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/grantd/grantd/internal/loadgen"
)

// setupGrants builds the GetDataAccess fixture (see loadgen.GrantsFixture)
// and prints the shell exports of the consumer's session and target:
//
//	eval "$(grantd-load -setup-grants 100000 -owner 111122223333 -consumer 444455556666)"
//
// The owner's root keys come from OWNER_ACCESS_KEY_ID and
// OWNER_SECRET_ACCESS_KEY, the consumer's from CONSUMER_ACCESS_KEY_ID and
// CONSUMER_SECRET_ACCESS_KEY.
func setupGrants(endpoint, region, owner, consumer string, grants, workers int) error {
	f := loadgen.GrantsFixture{Endpoint: endpoint, Region: region, Grants: grants, Workers: workers,
		OwnerAccount: owner, ConsumerAccount: consumer,
		Owner:    aws.Credentials{AccessKeyID: os.Getenv("OWNER_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("OWNER_SECRET_ACCESS_KEY")},
		Consumer: aws.Credentials{AccessKeyID: os.Getenv("CONSUMER_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("CONSUMER_SECRET_ACCESS_KEY")},
	}
	start := time.Now()
	f.Progress = func(n int) {
		if n%10000 == 0 {
			fmt.Fprintf(os.Stderr, "grantd-load: %d grants in %s\n", n, time.Since(start).Round(time.Second))
		}
	}
	out, err := f.Setup(context.Background())
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "grantd-load: fixture of %d grants ready in %s\n", grants, time.Since(start).Round(time.Second))
	fmt.Printf("export AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_SESSION_TOKEN=%s GRANTD_LOAD_TARGET=%s\n",
		out.Session.AccessKeyID, out.Session.SecretAccessKey, out.Session.SessionToken, out.Target)
	return nil
}
