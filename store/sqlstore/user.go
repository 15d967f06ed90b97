package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"careflow/store"
)

const userColumns = `name, password_hash, roles, settings, rev, created_at`

func scanUser(row interface{ Scan(...any) error }) (store.User, error) {
	var u store.User
	var roles, settings string
	if err := row.Scan(&u.Name, &u.PasswordHash, &roles, &settings, &u.Rev, &u.CreatedAt); err != nil {
		return u, err
	}
	if err := json.Unmarshal([]byte(roles), &u.Roles); err != nil {
		return u, fmt.Errorf("roles of %s: %w", u.Name, err)
	}
	u.Settings = []byte(settings)
	return u, nil
}

func userRev(u store.User, current string) (roles, settings, rev string) {
	r, _ := json.Marshal(u.Roles)
	if r == nil || string(r) == "null" {
		r = []byte("[]")
	}
	st := string(u.Settings)
	if st == "" {
		st = "{}"
	}
	return string(r), st, store.NextRev(current, false, append(append(r, st...), u.PasswordHash...))
}

// GetUser implements store.UserStore.
func (s *Store) GetUser(ctx context.Context, name string) (store.User, error) {
	u, err := scanUser(s.DB.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = $1`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return u, store.ErrNotFound
	}
	if err != nil {
		return u, fmt.Errorf("get user %s: %w", name, err)
	}
	return u, nil
}

// ListUsers implements store.UserStore.
func (s *Store) ListUsers(ctx context.Context) ([]store.User, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []store.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateUser implements store.UserStore.
func (s *Store) CreateUser(ctx context.Context, u store.User) (string, error) {
	roles, settings, rev := userRev(u, "")
	var got string
	err := s.DB.QueryRowContext(ctx, `INSERT INTO users (name, password_hash, roles, settings, rev, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING RETURNING name`,
		u.Name, u.PasswordHash, roles, settings, rev, s.nowMS()).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return "", store.ErrConflict
	}
	if err != nil {
		return "", fmt.Errorf("create user %s: %w", u.Name, err)
	}
	return rev, nil
}

// UpdateUser implements store.UserStore.
func (s *Store) UpdateUser(ctx context.Context, u store.User) (string, error) {
	roles, settings, rev := userRev(u, u.Rev)
	res, err := s.DB.ExecContext(ctx, `UPDATE users SET password_hash = $2, roles = $3, settings = $4, rev = $5
		WHERE name = $1 AND rev = $6`, u.Name, u.PasswordHash, roles, settings, rev, u.Rev)
	if err != nil {
		return "", fmt.Errorf("update user %s: %w", u.Name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.GetUser(ctx, u.Name); err != nil {
			return "", err
		}
		return "", store.ErrConflict
	}
	return rev, nil
}

// DeleteUser implements store.UserStore.
func (s *Store) DeleteUser(ctx context.Context, name string) error {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM users WHERE name = $1`, name)
	if err != nil {
		return fmt.Errorf("delete user %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return nil
}
