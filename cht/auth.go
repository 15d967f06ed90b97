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

// Authenticate checks a name and password (Basic auth, POST /_session) and returns the user.
func (u *Users) Authenticate(ctx context.Context, name, password string) (*User, error) {
	key := u.cacheKey("basic", name, password)
	if usr := u.cached(key); usr != nil {
		return usr, nil
	}
	su, err := u.store.GetUser(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	ok, err := VerifyPassword(su.PasswordHash, password)
	if err != nil || !ok {
		return nil, ErrBadCredentials
	}
	usr := toUser(su)
	u.remember(key, usr)
	return usr, nil
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
