package cht

import "strings"

// Role names with a meaning of their own in CHT.
const (
	// RoleAdmin is CHT's application administrator; like CouchDB's _admin it passes every
	// permission check.
	RoleAdmin = "admin"
	// RoleDBAdmin is CouchDB's server administrator role.
	RoleDBAdmin = "_admin"
	// RoleOnline marks a user as online (using the API rather than syncing); user creation
	// adds or removes it from the user's declared roles.
	RoleOnline = "mm-online"
	// RoleGateway is the role RapidPro's integration user is given.
	RoleGateway = roleGateway
)

// IsAdmin reports whether roles contain admin or _admin.
func IsAdmin(roles []string) bool {
	for _, r := range roles {
		if r == RoleAdmin || r == RoleDBAdmin {
			return true
		}
	}
	return false
}

// IsOnline reports whether a user with roles is online: an admin, or holding mm-online. Any
// other user is offline and is refused by the online-only endpoints (§4.3).
func IsOnline(roles []string) bool {
	if IsAdmin(roles) {
		return true
	}
	for _, r := range roles {
		if r == RoleOnline {
			return true
		}
	}
	return false
}

// HasPermissions evaluates CHT's permission rules (§4.2) for a user with roles against
// settings: admins pass; otherwise only roles declared in settings.roles count, every
// permission in perms must be granted to one of them, and a "!perm" must not be.
func HasPermissions(settings map[string]any, roles []string, perms ...string) bool {
	if IsAdmin(roles) {
		return true
	}
	declared, _ := settings["roles"].(map[string]any)
	var mine []string
	for _, r := range roles {
		if _, ok := declared[r]; ok {
			mine = append(mine, r)
		}
	}
	granted, _ := settings["permissions"].(map[string]any)
	for _, p := range perms {
		want := true
		if strings.HasPrefix(p, "!") {
			want, p = false, p[1:]
		}
		if holds(granted[p], mine) != want {
			return false
		}
	}
	return true
}

func holds(grant any, roles []string) bool {
	list, _ := grant.([]any)
	for _, g := range list {
		for _, r := range roles {
			if g == r {
				return true
			}
		}
	}
	return false
}

// onlineRoles returns roles with mm-online added or removed as CHT's user creation does: added
// when at least one role is declared in settings.roles and none of the declared ones is
// offline, removed otherwise.
func onlineRoles(settings map[string]any, roles []string) []string {
	declared, _ := settings["roles"].(map[string]any)
	known, offline := false, false
	out := make([]string, 0, len(roles)+1)
	for _, r := range roles {
		if r == RoleOnline {
			continue
		}
		out = append(out, r)
		if def, ok := declared[r]; ok {
			known = true
			if m, ok := def.(map[string]any); ok && m["offline"] == true {
				offline = true
			}
		}
	}
	if known && !offline {
		out = append(out, RoleOnline)
	}
	return out
}
