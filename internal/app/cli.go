package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/grantd/grantd/internal/orgs"
)

const usage = `grantd — S3 Access Grants with the IAM, STS and S3 it needs, in one binary.

Usage:
  grantd serve [flags]                      run the server
  grantd accounts create --id ID [--name N] create an account offline; prints its root keys as JSON

Run "grantd serve -h" or "grantd accounts create -h" for flags.
`

// Main runs the grantd command line and returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch {
	case args[0] == "serve":
		err = serveCmd(args[1:], stdout, stderr)
	case args[0] == "accounts" && len(args) > 1 && args[1] == "create":
		err = accountsCreateCmd(args[2:], stdout, stderr)
	case args[0] == "-h" || args[0] == "--help" || args[0] == "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprint(stderr, usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "grantd: %v\n", err)
		return 1
	}
	return 0
}

// storeFlags registers the flags that locate the metadata store.
func storeFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.DataDir, "data-dir", envOr("GRANTD_DATA_DIR", "grantd-data"), "directory for SQLite metadata and object files")
	fs.StringVar(&c.Meta, "meta", os.Getenv("GRANTD_META"), "metadata store: empty for SQLite in --data-dir, or a postgres:// URL")
}

func serveCmd(args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := flag.NewFlagSet("grantd serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storeFlags(fs, &c)
	fs.StringVar(&c.Listen, "listen", envOr("GRANTD_LISTEN", "127.0.0.1:9010"), "address to listen on")
	fs.StringVar(&c.AccountID, "account-id", envOr("GRANTD_ACCOUNT_ID", "111122223333"), "management account ID (used on first start)")
	fs.StringVar(&c.Region, "region", envOr("GRANTD_REGION", "us-east-1"), "default region")
	fs.StringVar(&c.SessionKeys, "session-keys", os.Getenv("GRANTD_SESSION_KEYS"), "session-token keyring shared by all nodes (default: kept in the metadata store)")
	fs.StringVar(&c.Blob, "blob", os.Getenv("GRANTD_BLOB"), "object bytes: empty for files in --data-dir/objects, file://DIR, or s3://bucket/prefix?endpoint=URL (credentials from GRANTD_BLOB_ACCESS_KEY_ID and GRANTD_BLOB_SECRET_ACCESS_KEY)")
	domains := fs.String("domain", envOr("GRANTD_DOMAIN", "localhost"), "comma-separated base host names for virtual-hosted S3 addressing (<bucket>.<domain>)")
	logFormat := fs.String("log-format", envOr("GRANTD_LOG_FORMAT", "json"), "log format: json or text")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	c.Domains = strings.Split(*domains, ",")
	c.BlobAccessKeyID = os.Getenv("GRANTD_BLOB_ACCESS_KEY_ID")
	c.BlobSecretAccessKey = os.Getenv("GRANTD_BLOB_SECRET_ACCESS_KEY")
	c.RootAccessKeyID = os.Getenv("GRANTD_ROOT_ACCESS_KEY_ID")
	c.RootSecretAccessKey = os.Getenv("GRANTD_ROOT_SECRET_ACCESS_KEY")
	switch *logFormat {
	case "json":
		c.Log = slog.New(slog.NewJSONHandler(stderr, nil))
	case "text":
		c.Log = slog.New(slog.NewTextHandler(stderr, nil))
	default:
		return fmt.Errorf("--log-format %q: want json or text", *logFormat)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := New(ctx, c)
	if err != nil {
		return err
	}
	if err := a.Listen(); err != nil {
		a.Store.Close()
		return err
	}
	fmt.Fprintf(stdout, "grantd listening on %s (region %s, management account %s)\n", a.Endpoint(), c.Region, c.AccountID)
	if rc := a.RootCredentials; rc != nil {
		fmt.Fprintf(stdout, "generated root keys of account %s:\n  AWS_ACCESS_KEY_ID=%s\n  AWS_SECRET_ACCESS_KEY=%s\n", c.AccountID, rc.AccessKeyID, rc.SecretAccessKey)
	}
	if f, ok := stdout.(*os.File); ok {
		f.Sync()
	}
	return a.Serve(ctx)
}

func accountsCreateCmd(args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := flag.NewFlagSet("grantd accounts create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	storeFlags(fs, &c)
	id := fs.String("id", "", "12-digit account ID (required)")
	name := fs.String("name", "", "account name")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *id == "" {
		return errors.New("accounts create: --id is required")
	}
	ctx := context.Background()
	st, err := OpenStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	creds, err := orgs.New(orgs.Options{Store: st}).CreateAccountOffline(ctx, *id, *name)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		AccountID       string `json:"AccountId"`
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string `json:"SecretAccessKey"`
	}{*id, creds.AccessKeyID, creds.SecretAccessKey})
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
