// Package app wires a grantd node together: configuration → stores →
// services → one listener. cmd/grantd and the end-to-end tests both start
// grantd through it, so tests exercise exactly what users run.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/grantd/grantd/internal/api/iamapi"
	"github.com/grantd/grantd/internal/api/orgsapi"
	"github.com/grantd/grantd/internal/api/s3api"
	"github.com/grantd/grantd/internal/api/s3controlapi"
	"github.com/grantd/grantd/internal/api/stsapi"
	"github.com/grantd/grantd/internal/auth"
	"github.com/grantd/grantd/internal/authz"
	"github.com/grantd/grantd/internal/awserr"
	"github.com/grantd/grantd/internal/blob"
	"github.com/grantd/grantd/internal/changefeed"
	"github.com/grantd/grantd/internal/grants"
	"github.com/grantd/grantd/internal/iam"
	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/meta/postgres"
	"github.com/grantd/grantd/internal/meta/sqlite"
	"github.com/grantd/grantd/internal/orgs"
	"github.com/grantd/grantd/internal/s3"
	"github.com/grantd/grantd/internal/server"
	"github.com/grantd/grantd/internal/sessiontoken"
	"github.com/grantd/grantd/internal/sts"
)

// Config is a node's configuration; cmd/grantd fills it from flags and the
// environment.
type Config struct {
	// DataDir holds the SQLite metadata and object files.
	DataDir string
	// Listen is the address to listen on, e.g. 127.0.0.1:9010.
	Listen string
	// AccountID is the management account's ID.
	AccountID string
	// Region answers unsigned requests and names the home region.
	Region string
	// Meta selects the metadata store: empty for SQLite in DataDir, or a
	// postgres:// URL.
	Meta string
	// RootAccessKeyID and RootSecretAccessKey set the management account's
	// root keys on first start; generated when empty.
	RootAccessKeyID     string
	RootSecretAccessKey string
	// SessionKeys, when set, is the session-token keyring (see
	// sessiontoken.ParseKeyring) instead of the keys kept in the store.
	SessionKeys string
	// Blob selects where object bytes live: empty for files under
	// DataDir/objects, file://DIR, or s3://bucket/prefix?endpoint=URL for
	// an upstream S3-compatible service (see OpenBlobs).
	Blob string
	// BlobAccessKeyID and BlobSecretAccessKey are grantd's credentials for
	// an s3:// blob store.
	BlobAccessKeyID     string
	BlobSecretAccessKey string
	// Domains are the base host names of virtual-hosted S3 addressing
	// (<bucket>.<domain>); default "localhost".
	Domains []string
	// S3KeepAliveAfter is how long a CopyObject, UploadPartCopy or
	// CompleteMultipartUpload runs before its 200 is committed and kept
	// alive (see s3api.Options); negative commits at once (tests).
	S3KeepAliveAfter time.Duration
	// PollInterval is how often the change feed is polled for other
	// nodes' writes; default 200ms.
	PollInterval time.Duration
	Log          *slog.Logger
	Now          func() time.Time
}

func (c *Config) defaults() {
	if c.DataDir == "" {
		c.DataDir = "grantd-data"
	}
	if c.Listen == "" {
		c.Listen = "127.0.0.1:9010"
	}
	if c.AccountID == "" {
		c.AccountID = "111122223333"
	}
	if c.Region == "" {
		c.Region = "us-east-1"
	}
	if c.Domains == nil {
		c.Domains = []string{"localhost"}
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// OpenStore opens the metadata store the configuration names.
func OpenStore(ctx context.Context, c Config) (meta.Store, error) {
	c.defaults()
	if strings.HasPrefix(c.Meta, "postgres://") || strings.HasPrefix(c.Meta, "postgresql://") {
		return postgres.Open(ctx, postgres.Options{DSN: c.Meta, Now: c.Now})
	}
	if c.Meta != "" {
		return nil, fmt.Errorf("--meta %q: want a postgres:// URL, or nothing for SQLite in the data directory", c.Meta)
	}
	return sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(c.DataDir, "meta.db"), Now: c.Now})
}

// App is a running node.
type App struct {
	cfg    Config
	Store  meta.Store
	Server *server.Server
	Auth   *auth.Authenticator
	Authz  *authz.Authorizer
	// S3 is the S3 data plane; Blobs holds its object bytes.
	S3    *s3.Service
	Blobs blob.Store
	// STS issues sessions; other services (S3 Access Grants) assume roles
	// through its AssumeRoleAsService.
	STS     *sts.Service
	watcher *changefeed.Watcher
	// sweepCutoff is when the startup sweep's blobs must have been
	// written before to count as garbage.
	sweepCutoff time.Time
	http        *http.Server
	ln          net.Listener

	// RootCredentials are the management account's root keys when this
	// start generated them; nil when they existed or were configured.
	RootCredentials *orgs.Credentials
}

// New opens the stores, bootstraps the management account on first start
// and builds every service. It does not listen yet.
func New(ctx context.Context, cfg Config) (*App, error) {
	cfg.defaults()
	st, err := OpenStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	blobs, grace, err := OpenBlobs(ctx, cfg)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("open blob store: %w", err)
	}
	a := &App{cfg: cfg, Store: st, Blobs: blobs, sweepCutoff: cfg.Now().Add(-grace)}
	if err := a.build(ctx); err != nil {
		st.Close()
		blobs.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) build(ctx context.Context) error {
	cfg := a.cfg
	org := orgs.New(orgs.Options{Store: a.Store, Now: cfg.Now})
	creds, err := org.Bootstrap(ctx, cfg.AccountID, orgs.Credentials{AccessKeyID: cfg.RootAccessKeyID, SecretAccessKey: cfg.RootSecretAccessKey})
	if err != nil {
		return err
	}
	if cfg.RootAccessKeyID == "" {
		a.RootCredentials = creds
	}

	var ring *sessiontoken.Keyring
	if cfg.SessionKeys != "" {
		if ring, err = sessiontoken.ParseKeyring(cfg.SessionKeys); err != nil {
			return fmt.Errorf("session keys: %w", err)
		}
	}
	if a.Auth, err = auth.New(ctx, auth.Options{Store: a.Store, Now: cfg.Now, Keyring: ring}); err != nil {
		return err
	}
	if a.watcher, err = changefeed.New(ctx, changefeed.Options{Feed: a.Store, Interval: cfg.PollInterval, Log: cfg.Log}); err != nil {
		return err
	}
	a.Store.OnCommit(a.watcher.Notify)
	a.watcher.Subscribe(a.Auth.HandleChanges)

	a.Authz = authz.New(a.Store)
	a.watcher.Subscribe(a.Authz.HandleChanges)

	orgSvc := orgs.New(orgs.Options{Store: a.Store, Authz: a.Authz, Now: cfg.Now})
	a.S3 = s3.New(s3.Options{Store: a.Store, Blobs: a.Blobs, Authorizer: a.Authz, Region: cfg.Region, Now: cfg.Now, Log: cfg.Log})
	// STS seals sessions with the authenticator's keyring, reloaded on
	// rotation, so every node opens what any node issued.
	a.STS = sts.New(sts.Options{Store: a.Store, Authz: a.Authz, Keyring: a.Auth.Keyring, OIDC: a.Store, Now: cfg.Now})
	a.watcher.Subscribe(a.STS.HandleChanges)
	iamSvc := iam.New(iam.Options{Store: a.Store, Authz: a.Authz, Now: cfg.Now})
	grantsSvc := grants.New(grants.Options{Store: a.Store, Authz: a.Authz, Now: cfg.Now})
	a.Server = server.New(server.Options{
		Auth:   a.Auth,
		Region: cfg.Region,
		Log:    cfg.Log,
		Now:    cfg.Now,
		Routes: map[string]server.Route{
			server.STS:           {Protocol: awserr.Query, Namespace: stsapi.Namespace, Handler: stsapi.New(a.STS)},
			server.IAM:           {Protocol: awserr.Query, Namespace: iamapi.Namespace, Handler: iamapi.New(iamSvc)},
			server.Organizations: {Protocol: awserr.JSON, Handler: orgsapi.New(orgSvc)},
			server.S3:            {Protocol: awserr.S3, Handler: s3api.New(s3api.Options{Service: a.S3, Domains: cfg.Domains, KeepAliveAfter: cfg.S3KeepAliveAfter})},
			server.S3Control:     {Protocol: awserr.S3Control, Handler: s3controlapi.New(grantsSvc)},
		},
	})
	return nil
}

// Listen binds the configured address. Endpoint is valid afterwards.
func (a *App) Listen() error {
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.cfg.Listen, err)
	}
	a.ln = ln
	return nil
}

// Endpoint is the URL clients use, e.g. http://127.0.0.1:9010.
func (a *App) Endpoint() string { return "http://" + a.ln.Addr().String() }

// Serve answers requests until ctx ends, then shuts down gracefully:
// in-flight requests finish (up to 30 seconds), then the store closes.
func (a *App) Serve(ctx context.Context) error {
	if a.ln == nil {
		if err := a.Listen(); err != nil {
			return err
		}
	}
	a.http = &http.Server{
		Handler:           a.Server,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.cfg.Log.Handler(), slog.LevelWarn),
	}
	watchCtx, stopWatch := context.WithCancel(context.Background())
	watchDone := make(chan struct{})
	go func() { a.watcher.Run(watchCtx); close(watchDone) }()
	sweepDone := make(chan struct{})
	go func() { a.sweep(watchCtx); close(sweepDone) }()

	serveErr := make(chan error, 1)
	go func() { serveErr <- a.http.Serve(a.ln) }()
	var err error
	select {
	case err = <-serveErr:
	case <-ctx.Done():
		shutCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = a.http.Shutdown(shutCtx)
		cancel()
		<-serveErr
	}
	stopWatch()
	<-watchDone
	<-sweepDone
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return errors.Join(err, a.Store.Close(), a.Blobs.Close())
}

// sweep removes the blobs a crash left unreferenced, in the background
// while the node serves.
func (a *App) sweep(ctx context.Context) {
	res, err := a.S3.Sweep(ctx, a.sweepCutoff)
	if err != nil && ctx.Err() == nil {
		a.cfg.Log.Error("s3 blob sweep failed", "err", err)
		return
	}
	a.cfg.Log.Info("s3 blob sweep done", "checked", res.Checked, "deleted", res.Deleted)
}
