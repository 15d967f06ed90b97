package cht

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"careflow/store"
)

// ErrBadCredentials is returned when a name and password, or a session token, do not
// authenticate.
var ErrBadCredentials = errors.New("name or password is incorrect")

// SessionLifetime is how long a session cookie lasts: CHT's CouchDB runs with a one-year,
// persistent AuthSession cookie.
const SessionLifetime = 365 * 24 * time.Hour

// loginTTL bounds how long a cached login (credentials or session) is trusted before the
// account is read again, so changes made on another node take effect within it.
const loginTTL = time.Minute

// maxCachedLogins caps the cache; it is emptied when full (a crude but bounded policy).
const maxCachedLogins = 10_000

type cachedLogin struct {
	user *User
	at   time.Time
}

// Authenticate checks a name and password (Basic auth, POST /_session) and returns the user;
// it is Login without a client address.
func (u *Users) Authenticate(ctx context.Context, name, password string) (*User, error) {
	return u.Login(ctx, "", name, password)
}

// Login checks a name and password sent from the client address addr ("" when unknown). It
// returns ErrBadCredentials, or *ThrottledError while the name or the address is locked out
// after too many failures (checked before any password work, so a locked-out guesser costs
// no CPU). Credentials verified in the last minute answer from memory, even during a lockout:
// a gateway that knows its password is not locked out by someone guessing it. Concurrent
// checks of the same credentials share one PBKDF2 computation, and an unknown name costs the
// same computation as a known one, so timing does not tell which names exist.
func (u *Users) Login(ctx context.Context, addr, name, password string) (*User, error) {
	key := u.cacheKey("basic", name, password)
	if usr := u.cached(key); usr != nil {
		return usr, nil
	}
	keys := []string{userKey(name)}
	if addr != "" {
		keys = append(keys, addrKey(addr))
	}
	if wait := u.Throttle.Locked(keys...); wait > 0 {
		return nil, &ThrottledError{RetryAfter: wait}
	}
	v, err, _ := u.flight.Do(key, func() (any, error) {
		// Shared by every caller with these credentials: one leaving must not fail the others.
		usr, err := u.verify(context.WithoutCancel(ctx), name, password)
		switch {
		case errors.Is(err, ErrBadCredentials):
			u.Throttle.Fail(keys...)
		case err == nil:
			u.Throttle.Succeed(userKey(name))
			u.remember(key, usr)
		}
		return usr, err
	})
	if err != nil {
		return nil, err
	}
	return v.(*User), nil
}

func (u *Users) verify(ctx context.Context, name, password string) (*User, error) {
	u.checks.Add(1)
	su, err := u.store.GetUser(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		VerifyPassword(u.dummyHash(), password)
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	ok, err := VerifyPassword(su.PasswordHash, password)
	if err != nil || !ok {
		return nil, ErrBadCredentials
	}
	return toUser(su), nil
}

// dummyHash is a hash at the current work factor that no password matches in practice; an
// unknown name is checked against it to cost what a known one does.
func (u *Users) dummyHash() string {
	u.dummyOnce.Do(func() {
		u.dummy, _ = HashPassword(RandomPassword(), u.Iterations)
	})
	return u.dummy
}

// NewSession returns a signed session token for usr and its expiry. The token names the user,
// the expiry and a fingerprint of the password hash, so changing the password ends sessions.
func (u *Users) NewSession(usr *User) (token string, expires time.Time) {
	expires = u.Now().Add(SessionLifetime).Truncate(time.Second)
	payload := usr.Name + ":" + strconv.FormatInt(expires.Unix(), 10) + ":" + usr.hashTag
	mac := hmac.New(sha256.New, u.SigningKey)
	mac.Write([]byte(payload))
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(mac.Sum(nil)), expires
}

// Session checks a session token and returns its user.
func (u *Users) Session(ctx context.Context, token string) (*User, error) {
	body, sig, ok := strings.Cut(token, ".")
	if !ok {
		return nil, ErrBadCredentials
	}
	enc := base64.RawURLEncoding
	payload, err1 := enc.DecodeString(body)
	got, err2 := enc.DecodeString(sig)
	if err1 != nil || err2 != nil {
		return nil, ErrBadCredentials
	}
	mac := hmac.New(sha256.New, u.SigningKey)
	mac.Write(payload)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return nil, ErrBadCredentials
	}
	parts := strings.Split(string(payload), ":")
	if len(parts) != 3 {
		return nil, ErrBadCredentials
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || u.Now().Unix() >= exp {
		return nil, ErrBadCredentials
	}
	key := "session\x00" + token
	if usr := u.cached(key); usr != nil {
		return usr, nil
	}
	if revoked, err := u.store.SessionRevoked(ctx, sessionDigest(token)); err != nil {
		return nil, err
	} else if revoked {
		return nil, ErrBadCredentials
	}
	su, err := u.store.GetUser(ctx, parts[0])
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	usr := toUser(su)
	if usr.hashTag != parts[2] {
		return nil, ErrBadCredentials
	}
	u.remember(key, usr)
	return usr, nil
}

// Revoke ends a session (DELETE /_session): the token is refused from now on by this node,
// and by the others sharing the database once their one-minute login cache lets it go. A
// token that does not verify is ignored: there is nothing to revoke.
func (u *Users) Revoke(ctx context.Context, token string) error {
	body, _, _ := strings.Cut(token, ".")
	payload, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return nil
	}
	if _, err := u.Session(ctx, token); err != nil {
		if errors.Is(err, ErrBadCredentials) {
			return nil
		}
		return err
	}
	parts := strings.Split(string(payload), ":")
	exp, _ := strconv.ParseInt(parts[1], 10, 64)
	if err := u.store.RevokeSession(ctx, sessionDigest(token), exp*1000); err != nil {
		return err
	}
	u.mu.Lock()
	delete(u.cache, "session\x00"+token)
	u.mu.Unlock()
	return nil
}

// sessionDigest names a token in the revocation list without storing the token itself.
func sessionDigest(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Forget drops every cached login of name; this node's account changes call it.
func (u *Users) Forget(name string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for k, c := range u.cache {
		if c.user.Name == name {
			delete(u.cache, k)
		}
	}
}

func (u *Users) cacheKey(kind, name, password string) string {
	mac := hmac.New(sha256.New, u.SigningKey)
	mac.Write([]byte(kind + "\x00" + name + "\x00" + password))
	return kind + "\x00" + string(mac.Sum(nil))
}

func (u *Users) cached(key string) *User {
	u.mu.Lock()
	defer u.mu.Unlock()
	c, ok := u.cache[key]
	if !ok {
		return nil
	}
	if u.Now().Sub(c.at) > loginTTL {
		delete(u.cache, key)
		return nil
	}
	return c.user
}

func (u *Users) remember(key string, usr *User) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.cache) >= maxCachedLogins {
		clear(u.cache)
	}
	u.cache[key] = cachedLogin{user: usr, at: u.Now()}
}

func toUser(su store.User) *User {
	sum := sha256.Sum256([]byte(su.PasswordHash))
	return &User{Name: su.Name, Roles: su.Roles, Rev: su.Rev, hashTag: hex.EncodeToString(sum[:6])}
}
