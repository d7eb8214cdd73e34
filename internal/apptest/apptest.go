// Package apptest starts a whole grantd node in-process for tests and hands
// out aws-sdk-go-v2 configurations that talk to it, the way users' programs
// do. It lives outside _test files so that every package's end-to-end
// tests share it.
package apptest

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/grantd/grantd/internal/app"
	"github.com/grantd/grantd/internal/meta/postgres/pgtest"
	"github.com/grantd/grantd/internal/orgs"
)

// Management account and root keys every test node starts with.
const (
	Account         = "111122223333"
	RootAccessKeyID = "AKIAIOSFODNN7EXAMPLE"
	RootSecret      = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	Region          = "us-east-1"
)

// Options configure Start.
type Options struct {
	// Postgres runs the node on a fresh PostgreSQL database instead of
	// SQLite (skipped, or failed under GRANTD_REQUIRE_POSTGRES=1, when no
	// test server is configured).
	Postgres bool
	// Meta is an explicit store DSN (a second node on one database).
	Meta string
	// DataDir reuses a data directory (a second node on one SQLite file).
	DataDir string
	// Blob and its credentials select the blob store (see app.Config).
	Blob                string
	BlobAccessKeyID     string
	BlobSecretAccessKey string
	// S3KeepAliveAfter is app.Config's; negative puts every long-running
	// S3 operation on its keep-alive path.
	S3KeepAliveAfter time.Duration
	Now              func() time.Time
}

// Env is a running node.
type Env struct {
	App      *app.App
	Endpoint string
	DataDir  string
	Meta     string
	// Logs holds the node's log output.
	Logs *bytes.Buffer
	addr string
}

// Start runs a node for the rest of the test.
func Start(t testing.TB, o Options) *Env {
	t.Helper()
	e := &Env{DataDir: o.DataDir, Meta: o.Meta, Logs: &bytes.Buffer{}}
	if e.DataDir == "" {
		e.DataDir = filepath.Join(t.TempDir(), "data")
	}
	if o.Postgres && e.Meta == "" {
		e.Meta = pgtest.DSN(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, app.Config{
		DataDir: e.DataDir, Listen: "127.0.0.1:0", AccountID: Account, Region: Region, Meta: e.Meta,
		RootAccessKeyID: RootAccessKeyID, RootSecretAccessKey: RootSecret,
		PollInterval: 50 * time.Millisecond,
		Blob:         o.Blob, BlobAccessKeyID: o.BlobAccessKeyID, BlobSecretAccessKey: o.BlobSecretAccessKey,
		S3KeepAliveAfter: o.S3KeepAliveAfter,
		Log:              slog.New(slog.NewTextHandler(&lockedWriter{w: e.Logs}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Now:              o.Now,
	})
	if err != nil {
		cancel()
		t.Fatalf("start grantd: %v", err)
	}
	if err := a.Listen(); err != nil {
		cancel()
		t.Fatal(err)
	}
	e.App, e.Endpoint = a, a.Endpoint()
	e.addr = e.Endpoint[len("http://"):]
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("grantd stopped with: %v", err)
		}
		if n := a.Server.Panics(); n > 0 {
			t.Errorf("grantd recovered from %d panics; logs:\n%s", n, e.Logs.String())
		}
	})
	return e
}

// Root returns the management account's root credentials.
func (e *Env) Root() aws.Credentials {
	return aws.Credentials{AccessKeyID: RootAccessKeyID, SecretAccessKey: RootSecret}
}

// NewAccount creates an account offline, as `grantd accounts create` does,
// and returns its root credentials.
func (e *Env) NewAccount(t testing.TB, id string) aws.Credentials {
	t.Helper()
	creds, err := orgs.New(orgs.Options{Store: e.App.Store}).CreateAccountOffline(t.Context(), id, "")
	if err != nil {
		t.Fatalf("create account %s: %v", id, err)
	}
	return aws.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey}
}

// Config returns an SDK configuration that signs with creds and reaches
// this node whatever host the client computes (S3 Control prepends the
// account ID, virtual-hosted S3 the bucket). Retries are off so tests see
// the first answer.
func (e *Env) Config(creds aws.Credentials) aws.Config {
	return aws.Config{
		Region:       Region,
		Credentials:  credentials.StaticCredentialsProvider{Value: creds},
		BaseEndpoint: aws.String(e.Endpoint),
		HTTPClient:   e.HTTPClient(),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// HTTPClient dials this node for every host name.
func (e *Env) HTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, e.addr)
		},
		MaxIdleConnsPerHost: 64,
	}}
}
