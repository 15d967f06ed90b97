package cht

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"

	"careflow/store"
)

// InfoScope decides whose replication GET /api/v1/users-info counts, as CHT does (§7.4): an
// offline caller always gets its own (the query is ignored); an online caller needs
// can_update_users and names a prospective offline user with role (one role, or a JSON array
// of them, none online) and facility_id (repeatable), optionally contact_id. careflow also
// reads contact, which cht-conf's create-users sends, when contact_id is absent.
func (u *Users) InfoScope(ctx context.Context, caller *User, q url.Values) (ReplicationScope, error) {
	if !caller.IsOnline() {
		return u.ownScope(ctx, caller)
	}
	settings, err := u.settings.Get(ctx)
	if err != nil {
		return ReplicationScope{}, err
	}
	if !HasPermissions(settings, caller.Roles, "can_update_users") {
		return ReplicationScope{}, ErrInsufficientPrivileges
	}
	if q.Get("role") == "" || q.Get("facility_id") == "" {
		return ReplicationScope{}, badRequest("Missing required query params: role and/or facility_id")
	}
	roles, err := infoRoles(q.Get("role"))
	if err != nil {
		return ReplicationScope{}, err
	}
	if IsOnline(roles) {
		return ReplicationScope{}, badRequest("Provided role is not offline")
	}
	contact := q.Get("contact_id")
	if _, given := q["contact_id"]; !given {
		contact = q.Get("contact")
	}
	return ReplicationScope{Roles: roles, FacilityIDs: q["facility_id"], ContactID: contact}, nil
}

// infoRoles reads the role parameter: a JSON array of strings or a JSON string, and anything
// that is not JSON is one role name.
func infoRoles(param string) ([]string, error) {
	var v any
	if err := json.Unmarshal([]byte(param), &v); err != nil {
		return []string{param}, nil
	}
	switch t := v.(type) {
	case string:
		return []string{t}, nil
	case []any:
		roles := make([]string, 0, len(t))
		for _, r := range t {
			s, ok := r.(string)
			if !ok {
				return nil, badRequest("All roles should be strings")
			}
			roles = append(roles, s)
		}
		return roles, nil
	}
	return nil, badRequest("Role parameter must be either a string or a JSON encoded array")
}

// ownScope is an offline user's own place(s) and contact, from its settings.
func (u *Users) ownScope(ctx context.Context, caller *User) (ReplicationScope, error) {
	scope := ReplicationScope{Name: caller.Name, Roles: caller.Roles}
	acct, err := u.store.GetUser(ctx, caller.Name)
	if errors.Is(err, store.ErrNotFound) {
		return scope, nil
	}
	if err != nil {
		return scope, err
	}
	var profile struct {
		FacilityID any    `json:"facility_id"`
		ContactID  string `json:"contact_id"`
	}
	_ = json.Unmarshal(acct.Settings, &profile)
	switch f := profile.FacilityID.(type) {
	case string:
		if f != "" {
			scope.FacilityIDs = []string{f}
		}
	case []any:
		for _, x := range f {
			if s, ok := x.(string); ok && s != "" {
				scope.FacilityIDs = append(scope.FacilityIDs, s)
			}
		}
	}
	scope.ContactID = profile.ContactID
	return scope, nil
}

// Info counts what the scope's user replicates (GET /api/v1/users-info).
func (u *Users) Info(ctx context.Context, scope ReplicationScope) (DocCounts, error) {
	return u.contacts.ReplicationCounts(ctx, scope)
}
