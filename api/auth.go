package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"careflow/cht"
	"careflow/store"
)

// Roles a careflow user holds in the messaging workspace, RapidPro's org roles. A CHT admin
// is a workspace administrator; the other roles are granted with these role names.
const (
	RoleAdministrator = "administrator"
	RoleEditor        = "editor"
	RoleViewer        = "viewer"
	RoleAgent         = "agent"

	// UserRoleEditor and UserRoleViewer are the careflow user roles that make a user a
	// messaging editor or viewer.
	UserRoleEditor = "messaging_editor"
	UserRoleViewer = "messaging_viewer"
)

// MaxTokensPerUser is RapidPro's limit of tokens per user per workspace.
const MaxTokensPerUser = 3

// TokenPrefixLen is how much of a key is kept in the clear to tell tokens apart: 8 of its 40
// hex digits, leaving 128 bits unknown.
const TokenPrefixLen = 8

// messagingRole is the workspace role of a user with these careflow roles, "" for none.
func messagingRole(roles []string) string {
	if cht.IsAdmin(roles) {
		return RoleAdministrator
	}
	role := ""
	for _, r := range roles {
		switch r {
		case UserRoleEditor:
			return RoleEditor
		case UserRoleViewer:
			role = RoleViewer
		}
	}
	return role
}

// tokenRole reports whether a role may use API tokens (RapidPro's APIToken.ALLOWED_ROLES).
func tokenRole(role string) bool { return role == RoleAdministrator || role == RoleEditor }

// MayHoldTokens reports whether a user with these careflow roles may hold API tokens.
func MayHoldTokens(roles []string) bool { return tokenRole(messagingRole(roles)) }

// HashToken is how a token is kept and looked up.
func HashToken(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// ErrTokenLimit is returned when a user already has MaxTokensPerUser tokens.
var ErrTokenLimit = errors.New("the user already has the most tokens allowed")

// CreateToken makes a new 40-character token for a user in a workspace and returns the key,
// which is stored only as its hash.
func CreateToken(ctx context.Context, st Store, workspaceID int64, user string, now time.Time) (string, error) {
	u, err := st.GetUser(ctx, user)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return "", fmt.Errorf("no user %q", user)
		}
		return "", err
	}
	if role := messagingRole(u.Roles); !tokenRole(role) {
		return "", fmt.Errorf("user %q is not a workspace administrator or editor (give them the %s role)", user, UserRoleEditor)
	}
	list, err := st.ListAPITokens(ctx, workspaceID, user)
	if err != nil {
		return "", err
	}
	if len(list) >= MaxTokensPerUser {
		return "", ErrTokenLimit
	}
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	key := hex.EncodeToString(b[:])
	t := &store.APIToken{Hash: HashToken(key), WorkspaceID: workspaceID, UserName: user, Prefix: key[:TokenPrefixLen], CreatedOn: now}
	if err := st.CreateAPIToken(ctx, t); err != nil {
		return "", err
	}
	return key, nil
}

// SessionFunc finds the careflow user signed in on a request (the web session), if any.
type SessionFunc func(r *http.Request) (user string, roles []string, ok bool)

var (
	errNoCredentials = errDetail(http.StatusForbidden, "Authentication credentials were not provided.")
	errInvalidToken  = errDetail(http.StatusForbidden, "Invalid token")
	errInvalidBasic  = errDetail(http.StatusForbidden, "Invalid token or email")
)

// authenticate resolves the caller as RapidPro does: the web session, then
// "Authorization: Token <key>", then Basic with the user and a token as password. Failures
// are 403, never 401: RapidPro's first authentication class offers no challenge.
func (a *API) authenticate(r *http.Request) (*call, error) {
	c := &call{r: r}
	auth := r.Header.Get("Authorization")
	kind, rest, _ := strings.Cut(auth, " ")
	switch {
	case strings.EqualFold(kind, "token"):
		rest = strings.TrimSpace(rest)
		if rest == "" {
			return nil, errDetail(http.StatusForbidden, "Invalid token header. No credentials provided.")
		}
		if strings.Contains(rest, " ") {
			return nil, errDetail(http.StatusForbidden, "Invalid token header. Token string should not contain spaces.")
		}
		return c, a.tokenCaller(c, rest, "", errInvalidToken)
	case strings.EqualFold(kind, "basic"):
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
		user, key, ok := strings.Cut(string(raw), ":")
		if err != nil || !ok {
			return nil, errDetail(http.StatusForbidden, "Invalid basic header. Credentials not correctly base64 encoded.")
		}
		return c, a.tokenCaller(c, key, user, errInvalidBasic)
	}
	if a.Session != nil {
		if user, roles, ok := a.Session(r); ok {
			role := messagingRole(roles)
			if role == "" {
				return nil, errDetail(http.StatusForbidden, "You do not have permission to perform this action.")
			}
			ws, err := a.defaultWorkspace(r.Context())
			if err != nil {
				return nil, err
			}
			c.ws, c.user, c.role, c.session = ws, user, role, true
			return c, nil
		}
	}
	return nil, errNoCredentials
}

func (a *API) tokenCaller(c *call, key, user string, invalid error) error {
	t, err := a.Store.GetAPIToken(c.r.Context(), HashToken(key))
	if errors.Is(err, store.ErrNotFound) {
		return invalid
	}
	if err != nil {
		return err
	}
	if user != "" && user != t.UserName {
		return invalid
	}
	u, err := a.Store.GetUser(c.r.Context(), t.UserName)
	if errors.Is(err, store.ErrNotFound) {
		return invalid
	}
	if err != nil {
		return err
	}
	// The role is read on every call, so a user demoted since the token was made is refused.
	role := messagingRole(u.Roles)
	if !tokenRole(role) {
		return invalid
	}
	ws, err := a.Store.GetWorkspace(c.r.Context(), t.WorkspaceID)
	if errors.Is(err, store.ErrNotFound) {
		return invalid
	}
	if err != nil {
		return err
	}
	c.ws, c.user, c.role = ws, t.UserName, role
	return nil
}

func (a *API) defaultWorkspace(ctx context.Context) (*store.Workspace, error) {
	list, err := a.Store.ListWorkspaces(ctx)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errNotFound
	}
	return list[0], nil
}

// allowed applies the role's permissions: administrators and editors do everything the API
// offers; viewers and agents (web sessions only) read, but not the export nor resthooks.
func (c *call) allowed(ep *endpoint, method string) bool {
	if tokenRole(c.role) {
		return true
	}
	return method == http.MethodGet && !ep.editors
}
