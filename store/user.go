package store

import (
	"context"
	"encoding/json"
)

// User is a login account: CHT's _users entry (name, password hash, roles) together with its
// user-settings document (fullname, email, phone, facility_id, contact_id, ...) kept as JSON.
type User struct {
	Name         string
	PasswordHash string
	Roles        []string
	Settings     json.RawMessage
	Rev          string
	CreatedAt    int64 // ms since epoch
}

// UserStore keeps users.
type UserStore interface {
	// GetUser returns the user, or ErrNotFound.
	GetUser(ctx context.Context, name string) (User, error)
	// ListUsers returns every user ordered by name.
	ListUsers(ctx context.Context) ([]User, error)
	// CreateUser adds a user; ErrConflict when the name is taken. It returns the new revision.
	CreateUser(ctx context.Context, u User) (string, error)
	// UpdateUser replaces a user whose current revision is u.Rev; ErrNotFound or ErrConflict.
	UpdateUser(ctx context.Context, u User) (string, error)
	// DeleteUser removes a user; ErrNotFound when there is none.
	DeleteUser(ctx context.Context, name string) error
}
