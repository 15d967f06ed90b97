package server

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"careflow/cht"
	"careflow/cht/chthttp"
	"careflow/internal/idempotency"
	"careflow/store"
)

// The CHT module: users and auth, settings with CHT's default permissions, records, contacts,
// credentials and the CouchDB-style endpoints, wired onto the server's mux. It runs early
// (order 10) because other areas authenticate through its users.

// OptionPasswordIterations names the Config.Options entry that sets the PBKDF2 work factor of
// new password hashes (tests lower it; the default is cht.DefaultPasswordIterations).
const OptionPasswordIterations = "cht.password_iterations"

func init() {
	RegisterModule("cht", 10, setupCHT)
}

func setupCHT(s *Server) error {
	ctx := context.Background()
	s.Settings.AddFiller(cht.FillPermissions)

	contacts := cht.NewContacts(s.Docs, s.Settings)
	users := cht.NewUsers(s.Store, s.Settings, contacts, s.SigningKey)
	if v := s.Config.Options[OptionPasswordIterations]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return fmt.Errorf("option %s: %q is not a positive number", OptionPasswordIterations, v)
		}
		users.Iterations = n
	}
	th := users.Throttle
	for _, err := range []error{
		intOption(s, OptionLoginMaxUserFailures, &th.MaxUserFailures), intOption(s, OptionLoginMaxAddrFailures, &th.MaxAddrFailures),
		durationOption(s, OptionLoginWindow, &th.Window), durationOption(s, OptionLoginLockout, &th.Lockout),
	} {
		if err != nil {
			return err
		}
	}
	var limits chthttp.Limits
	for _, err := range []error{
		intOption(s, OptionMaxBody, &limits.MaxBody), intOption(s, OptionMaxAuthBody, &limits.MaxAuthBody),
		intOption(s, OptionMaxJSONDepth, &limits.MaxDepth),
	} {
		if err != nil {
			return err
		}
	}
	s.Users = users
	api := &chthttp.API{
		Limits:      limits,
		Users:       users,
		Settings:    s.Settings,
		Records:     cht.NewRecords(s.Docs, s.Settings, contacts),
		Contacts:    contacts,
		Credentials: cht.NewCredentials(s.Store, s.Secrets),
		Docs:        s.Docs,
		Idempotency: &idempotency.Guard{Store: s.Store},
		Log:         s.Log,
	}
	s.Go("idempotency-purge", api.Idempotency.Run)
	api.Register(s.Mux)

	if _, err := s.Store.GetSettings(ctx); errors.Is(err, store.ErrNotFound) {
		if _, err := s.Settings.Update(ctx, cht.DefaultSettings(), cht.MergeDeep); err != nil {
			return fmt.Errorf("default settings: %w", err)
		}
	} else if err != nil {
		return err
	}
	if err := firstAdmin(ctx, s, users); err != nil {
		return err
	}
	if s.Config.Demo {
		password, err := cht.LoadDemo(ctx, s.Settings, contacts, users)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if password != "" {
			fmt.Fprintf(s.Config.Out, "careflow: demo data loaded; gateway user \"rapidpro\" has password %s\n", password)
		}
	}
	return nil
}

// firstAdmin creates the admin user with a random password on a database without users, and
// prints the password for the operator.
func firstAdmin(ctx context.Context, s *Server, users *cht.Users) error {
	n, err := users.Count(ctx)
	if err != nil || n > 0 {
		return err
	}
	password := cht.RandomPassword()
	if err := users.CreateDirect(ctx, "admin", password, []string{cht.RoleAdmin}); err != nil {
		var taken *cht.Error
		if errors.As(err, &taken) {
			return nil // another node created it first
		}
		return fmt.Errorf("first admin: %w", err)
	}
	fmt.Fprintf(s.Config.Out, "careflow: created user \"admin\" with password %s\n", password)
	return nil
}
