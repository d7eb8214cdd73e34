package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/grantd/grantd/internal/app"
)

// TestGracefulShutdown stops a node while a request is in flight: the
// request completes, new connections are refused, and Serve returns
// cleanly after it.
func TestGracefulShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := app.New(ctx, app.Config{DataDir: filepath.Join(t.TempDir(), "d"), Listen: "127.0.0.1:0",
		RootAccessKeyID: "AKIAIOSFODNN7EXAMPLE", RootSecretAccessKey: "secret", Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Listen(); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx) }()

	body := "Action=GetCallerIdentity&Version=2011-06-15"
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, a.Endpoint()+"/", pr)
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "secret"}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "sts", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		status int
		body   string
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answered <- answer{status: resp.StatusCode, body: string(b)}
	}()
	pw.Write([]byte(body[:10]))
	for a.Server.InFlight() == 0 { // wait until the handler is reading the body
		time.Sleep(time.Millisecond)
	}

	cancel()
	addr := strings.TrimPrefix(a.Endpoint(), "http://")
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break // the listener is closed: shutdown has begun
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("listener still accepting 10s after shutdown began")
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case err := <-served:
		t.Fatalf("Serve returned %v while a request was in flight", err)
	default:
	}
	pw.Write([]byte(body[10:]))
	pw.Close()
	got := <-answered
	if got.err != nil || got.status != http.StatusOK || !strings.Contains(got.body, "arn:aws:iam::111122223333:root") {
		t.Errorf("in-flight request: status %d, err %v, body %q", got.status, got.err, got.body)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v, want nil", err)
	}
}
