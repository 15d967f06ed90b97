package cht

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"careflow/store"
)

// UserIDPrefix prefixes a user name in the ids CHT gives user and user-settings documents.
const UserIDPrefix = "org.couchdb.user:"

var validUsername = regexp.MustCompile(`^[a-z0-9_-]+$`)

// User is an account as the API sees it once authenticated.
type User struct {
	Name  string
	Roles []string
	// Rev is the account's revision; it changes with any change to the account.
	Rev string
	// hashTag fingerprints the password hash, so sessions die when the password changes.
	hashTag string
}

// IsAdmin reports whether the user passes every permission check.
func (u *User) IsAdmin() bool { return IsAdmin(u.Roles) }

// IsOnline reports whether the user may use the online-only endpoints.
func (u *User) IsOnline() bool { return IsOnline(u.Roles) }

// NewUser is one account to create through POST /api/v1/users (§4.5).
type NewUser struct {
	Username string
	Password string
	Roles    []string
	// Place and Contact are an existing document's id (string) or a new document (object).
	Place   any
	Contact any
	// Profile holds the optional user-settings members (fullname, email, phone, known,
	// external_id, ...) as given.
	Profile map[string]any
}

// ParseNewUser reads a request object of POST /api/v1/users. Roles come from "roles", or from
// the deprecated "type" when roles are absent.
func ParseNewUser(obj map[string]any) NewUser {
	nu := NewUser{Profile: map[string]any{}}
	nu.Username, _ = obj["username"].(string)
	nu.Password, _ = obj["password"].(string)
	switch r := obj["roles"].(type) {
	case []any:
		for _, x := range r {
			if s, ok := x.(string); ok && s != "" {
				nu.Roles = append(nu.Roles, s)
			}
		}
	case string:
		if r != "" {
			nu.Roles = []string{r}
		}
	}
	if len(nu.Roles) == 0 {
		if t, ok := obj["type"].(string); ok && t != "" {
			nu.Roles = []string{t}
		}
	}
	nu.Place, nu.Contact = emptyToNil(obj["place"]), emptyToNil(obj["contact"])
	for _, k := range []string{"fullname", "email", "phone", "known", "external_id", "password_change_required"} {
		if v, ok := obj[k]; ok {
			nu.Profile[k] = v
		}
	}
	return nu
}

// emptyToNil treats "" and {} as absent (cht-conf's create-users sends {} for a user without
// place columns).
func emptyToNil(v any) any {
	switch t := v.(type) {
	case string:
		if t == "" {
			return nil
		}
	case map[string]any:
		if len(t) == 0 {
			return nil
		}
	}
	return v
}

// UserCreated is what creating a user wrote: the ids and revisions CHT answers with.
type UserCreated struct {
	ID        string
	Rev       string
	ContactID string
	// ContactRev is empty when no contact was given.
	ContactRev string
}

// Users manages accounts and authenticates requests. Verified Basic credentials are cached in
// memory (keyed by a keyed hash of name and password, never the password itself) so that an
// integration authenticating every request pays PBKDF2 once per minute rather than per request.
type Users struct {
	store    accountStore
	settings *Settings
	contacts *Contacts
	// Iterations is the PBKDF2 work factor for new hashes (DefaultPasswordIterations when 0).
	Iterations int
	// SigningKey signs session tokens and keys the credentials cache.
	SigningKey []byte
	// Now is the clock for session expiry and cache ages.
	Now func() time.Time

	// Throttle limits failed logins per name and per client address.
	Throttle *Throttle

	mu        sync.Mutex
	cache     map[string]cachedLogin
	flight    singleflight.Group
	dummyOnce sync.Once
	dummy     string
	checks    atomic.Int64 // password checks run, for tests
}

// accountStore is what Users keeps in the store: accounts and revoked sessions.
type accountStore interface {
	store.UserStore
	store.SessionStore
}

// NewUsers returns the accounts service.
func NewUsers(st accountStore, settings *Settings, contacts *Contacts, signingKey []byte) *Users {
	return &Users{store: st, settings: settings, contacts: contacts, SigningKey: signingKey, Now: time.Now,
		cache: map[string]cachedLogin{}, Throttle: &Throttle{}}
}

// Create validates and creates one account as CHT's user management does: the name must be
// new and well formed, the password long and varied enough, mm-online is added or removed,
// offline users need a place and a contact. Refusals are *Error with a Translation.
func (u *Users) Create(ctx context.Context, nu NewUser) (UserCreated, error) {
	settings, err := u.settings.Get(ctx)
	if err != nil {
		return UserCreated{}, err
	}
	roles := onlineRoles(settings, nu.Roles)
	var missing []string
	if nu.Username == "" {
		missing = append(missing, "username")
	}
	if nu.Password == "" {
		missing = append(missing, "password")
	}
	if len(nu.Roles) == 0 {
		missing = append(missing, "type or roles")
	} else if !IsOnline(roles) {
		if nu.Place == nil {
			missing = append(missing, "place")
		}
		if nu.Contact == nil {
			missing = append(missing, "contact")
		}
	}
	if len(missing) > 0 {
		list := strings.Join(missing, ", ")
		return UserCreated{}, userError("Missing required fields: "+list, "fields.required", map[string]any{"fields": list})
	}
	if !validUsername.MatchString(nu.Username) {
		return UserCreated{}, userError("Invalid user name. Valid characters are lower case letters, numbers, underscore (_), and hyphen (-).", "username.invalid", nil)
	}
	if err := checkPassword(nu.Password); err != nil {
		return UserCreated{}, err
	}
	if _, err := u.store.GetUser(ctx, nu.Username); err == nil {
		return UserCreated{}, usernameTaken(nu.Username)
	} else if !errors.Is(err, store.ErrNotFound) {
		return UserCreated{}, err
	}
	profile := map[string]any{"name": nu.Username, "type": "user-settings"}
	for k, v := range nu.Profile {
		profile[k] = v
	}
	var created UserCreated
	if nu.Place != nil || nu.Contact != nil {
		placeID, contactID, contactRev, err := u.contacts.forUser(ctx, nu.Place, nu.Contact)
		if err != nil {
			return UserCreated{}, err
		}
		if placeID != "" {
			profile["facility_id"] = placeID
		}
		if contactID != "" {
			profile["contact_id"] = contactID
			created.ContactID, created.ContactRev = contactID, contactRev
		}
	}
	return created, u.insert(ctx, nu.Username, nu.Password, roles, profile, &created)
}

func (u *Users) insert(ctx context.Context, name, password string, roles []string, profile map[string]any, created *UserCreated) error {
	hash, err := HashPassword(password, u.Iterations)
	if err != nil {
		return err
	}
	profile["roles"] = roles
	body, err := json.Marshal(profile)
	if err != nil {
		return err
	}
	rev, err := u.store.CreateUser(ctx, store.User{Name: name, PasswordHash: hash, Roles: roles, Settings: body})
	if errors.Is(err, store.ErrConflict) {
		return usernameTaken(name)
	}
	if err != nil {
		return fmt.Errorf("create user %s: %w", name, err)
	}
	created.ID, created.Rev = UserIDPrefix+name, rev
	return nil
}

// CreateDirect creates an account with exactly the roles given (no mm-online bookkeeping, no
// password-strength rule): the operator's path, used by the CLI, the first admin and demo data.
func (u *Users) CreateDirect(ctx context.Context, name, password string, roles []string) error {
	if !validUsername.MatchString(name) {
		return fmt.Errorf("invalid user name %q: use lower case letters, digits, _ and -", name)
	}
	if password == "" {
		return errors.New("empty password")
	}
	return u.insert(ctx, name, password, roles, map[string]any{"name": name, "type": "user-settings"}, &UserCreated{})
}

// List returns every account with its profile, ordered by name.
func (u *Users) List(ctx context.Context) ([]store.User, error) {
	return u.store.ListUsers(ctx)
}

// Count tells how many accounts exist.
func (u *Users) Count(ctx context.Context) (int, error) {
	all, err := u.store.ListUsers(ctx)
	return len(all), err
}

func checkPassword(p string) error {
	if len([]rune(p)) < minPasswordLength {
		return userError(fmt.Sprintf("The password must be at least %d characters long.", minPasswordLength),
			"password.length.minimum", map[string]any{"minimum": minPasswordLength})
	}
	if passwordScore(p) < minPasswordScore {
		return userError("The password is too easy to guess. Include a range of types of characters to increase the score.", "password.weak", nil)
	}
	return nil
}

func usernameTaken(name string) error {
	return userError(fmt.Sprintf("Username %q already taken.", name), "username.taken", map[string]any{"username": name})
}

func userError(msg, key string, params map[string]any) *Error {
	return &Error{Status: 400, Message: msg, Translation: &Translation{Message: msg, Key: key, Params: params}}
}

// SetPassword replaces name's password (careflow user passwd): the new one must pass the
// users API's rules. The account's sessions end, since they carry a fingerprint of the old
// hash; cached logins on this node are dropped, on other nodes within a minute.
func (u *Users) SetPassword(ctx context.Context, name, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	hash, err := HashPassword(password, u.Iterations)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		su, err := u.store.GetUser(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no user %q", name)
		}
		if err != nil {
			return err
		}
		su.PasswordHash = hash
		_, err = u.store.UpdateUser(ctx, su)
		if errors.Is(err, store.ErrConflict) && attempt < 3 {
			continue // changed meanwhile: set the password on the new revision
		}
		if err != nil {
			return fmt.Errorf("set password of %s: %w", name, err)
		}
		u.Forget(name)
		return nil
	}
}

// AddOperator creates an account from the command line: the password must pass the same
// rules as the users API, and mm-online is added or removed from roles as the API does.
func (u *Users) AddOperator(ctx context.Context, name, password string, roles []string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	settings, err := u.settings.Get(ctx)
	if err != nil {
		return err
	}
	return u.CreateDirect(ctx, name, password, onlineRoles(settings, roles))
}
