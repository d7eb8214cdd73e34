package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grantd/grantd/internal/meta"
	"github.com/grantd/grantd/internal/sessiontoken"
	"github.com/grantd/grantd/internal/sigv4"
)

// Errors of Authenticate besides *sigv4.Error; the router maps them to each
// protocol's code.
var (
	// ErrUnknownKey: no active access key has that ID.
	ErrUnknownKey = errors.New("auth: the access key ID does not exist")
	// ErrInvalidToken: a session key without a valid session token.
	ErrInvalidToken = errors.New("auth: the security token is invalid")
	// ErrExpiredToken: the session token has expired.
	ErrExpiredToken = errors.New("auth: the security token has expired")
)

// Store is what authentication reads.
type Store interface {
	GetAccessKey(ctx context.Context, id string) (meta.AccessKey, error)
	GetUser(ctx context.Context, account, name string) (meta.User, error)
	meta.KeyStore
}

// Authenticator verifies requests. Resolved long-term keys are cached until
// the change feed reports a change to the key, its user or the account, so
// a known key costs no store read.
type Authenticator struct {
	store    Store
	verifier *sigv4.Verifier
	now      func() time.Time
	ring     atomic.Pointer[sessiontoken.Keyring]
	fixed    bool // the keyring came from configuration

	mu   sync.RWMutex
	keys map[string]*resolved
	// gen counts invalidations, so a lookup that raced with one does not
	// cache what it read before it.
	gen uint64
}

type resolved struct {
	secret string
	caller Caller
}

// Options configure New.
type Options struct {
	Store Store
	Now   func() time.Time
	// Keyring, when set, seals and opens session tokens instead of the
	// keys kept in the store (multi-node setups may supply it by config).
	Keyring *sessiontoken.Keyring
}

// New returns an authenticator. Unless o.Keyring is set, it loads the
// session-token keys from the store, creating the first one on first start.
func New(ctx context.Context, o Options) (*Authenticator, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	a := &Authenticator{
		store:    o.Store,
		verifier: sigv4.NewVerifier(sigv4.Options{Now: o.Now}),
		now:      o.Now,
		keys:     map[string]*resolved{},
	}
	if o.Keyring != nil {
		a.ring.Store(o.Keyring)
		a.fixed = true
		return a, nil
	}
	if err := a.loadKeyring(ctx, true); err != nil {
		return nil, err
	}
	return a, nil
}

// Keyring returns the keys that seal session tokens.
func (a *Authenticator) Keyring() *sessiontoken.Keyring { return a.ring.Load() }

func (a *Authenticator) loadKeyring(ctx context.Context, create bool) error {
	keys, err := a.store.SessionKeys(ctx)
	if err != nil {
		return fmt.Errorf("load session keys: %w", err)
	}
	if len(keys) == 0 && create {
		k, err := sessiontoken.GenerateKey(rand.Reader, 1)
		if err != nil {
			return err
		}
		err = a.store.AddSessionKey(ctx, meta.SessionKey{ID: 1, Secret: k.String(), Current: true, CreatedAt: a.now()})
		if err != nil && !errors.Is(err, meta.ErrExists) { // another node won the race
			return fmt.Errorf("create session key: %w", err)
		}
		return a.loadKeyring(ctx, false)
	}
	var current sessiontoken.Key
	var old []sessiontoken.Key
	found := false
	for _, sk := range keys {
		k, err := sessiontoken.ParseKey(sk.Secret)
		if err != nil {
			return fmt.Errorf("session key %d: %w", sk.ID, err)
		}
		if sk.Current {
			current, found = k, true
		} else {
			old = append(old, k)
		}
	}
	if !found {
		return errors.New("no current session key in the store")
	}
	ring, err := sessiontoken.NewKeyring(current, old...)
	if err != nil {
		return err
	}
	a.ring.Store(ring)
	return nil
}

// HandleChanges drops cache entries that the changes make stale. It is a
// changefeed.Handler.
func (a *Authenticator) HandleChanges(changes []meta.Change) {
	reloadRing := false
	a.mu.Lock()
	a.gen++
	for _, c := range changes {
		switch c.Topic {
		case meta.TopicAccessKey:
			delete(a.keys, c.Key)
		case meta.TopicUser, meta.TopicAccount:
			// Rare: drop everything rather than index keys by owner.
			clear(a.keys)
		case meta.TopicSessionKey:
			reloadRing = true
		}
	}
	a.mu.Unlock()
	if reloadRing && !a.fixed {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		a.loadKeyring(ctx, false) // on failure the old ring stays in use
	}
}

// Authenticate verifies the request r signed as described by sa and returns
// its caller. Errors are *sigv4.Error or one of this package's.
func (a *Authenticator) Authenticate(r *http.Request, sa *sigv4.Auth) (*Caller, error) {
	if strings.HasPrefix(sa.AccessKeyID, sessiontoken.AccessKeyIDPrefix) {
		return a.authenticateSession(r, sa)
	}
	res, err := a.resolve(r.Context(), sa.AccessKeyID)
	if err != nil {
		return nil, err
	}
	if err := a.verifier.Verify(r, sa, res.secret); err != nil {
		return nil, err
	}
	c := res.caller
	return &c, nil
}

func (a *Authenticator) authenticateSession(r *http.Request, sa *sigv4.Auth) (*Caller, error) {
	if sa.SecurityToken == "" {
		return nil, ErrInvalidToken
	}
	// Open checks expiry only after authenticating the token; verify the
	// signature before reporting expiry so a forged request learns nothing.
	claims, err := a.ring.Load().Open(sa.SecurityToken, sa.AccessKeyID, time.Time{})
	if err != nil {
		return nil, ErrInvalidToken
	}
	if err := a.verifier.Verify(r, sa, claims.SecretAccessKey); err != nil {
		return nil, err
	}
	if !a.now().Before(claims.Expiration) {
		return nil, ErrExpiredToken
	}
	return SessionCaller(claims), nil
}

func (a *Authenticator) resolve(ctx context.Context, id string) (*resolved, error) {
	a.mu.RLock()
	res, gen := a.keys[id], a.gen
	a.mu.RUnlock()
	if res != nil {
		return res, nil
	}
	key, err := a.store.GetAccessKey(ctx, id)
	if errors.Is(err, meta.ErrNotFound) {
		return nil, ErrUnknownKey
	}
	if err != nil {
		return nil, fmt.Errorf("look up access key: %w", err)
	}
	if key.Status != "Active" {
		return nil, ErrUnknownKey
	}
	res = &resolved{secret: key.Secret}
	if key.UserName == "" {
		res.caller = *RootCaller(key.AccountID, id)
	} else {
		u, err := a.store.GetUser(ctx, key.AccountID, key.UserName)
		if errors.Is(err, meta.ErrNotFound) {
			return nil, ErrUnknownKey
		}
		if err != nil {
			return nil, fmt.Errorf("look up user of access key: %w", err)
		}
		res.caller = Caller{Kind: User, Account: u.AccountID, ARN: u.ARN, UserID: u.ID, Name: u.Name, Path: u.Path,
			AccessKeyID: id, PermissionsBoundary: u.PermissionsBoundary}
	}
	a.mu.Lock()
	if a.gen == gen {
		a.keys[id] = res
	}
	a.mu.Unlock()
	return res, nil
}
