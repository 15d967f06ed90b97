package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"careflow/channel"
	"careflow/cht"
	"careflow/runtime"
	"careflow/runtime/services"
)

// The messaging module: the runtime (contact tasks, sessions, starts, broadcasts, timers) and
// the built-in test channel. It runs after the CHT module (order 10), whose users sign in to
// read the test channel's outbox.

// Options read by this module.
const (
	OptionWorkspaceName     = "messaging.workspace"   // name of the first workspace [careflow]
	OptionWorkspaceTimezone = "messaging.timezone"    // its timezone [UTC]
	OptionWorkspaceCountry  = "messaging.country"     // its default country [none]
	OptionRuntimeWorkers    = "messaging.workers"     // contact workers per node [2]
	OptionSingleNode        = "messaging.single_node" // set on SQLite: no other node shares the store
)

func init() {
	RegisterModule("messaging", 30, setupMessaging)
}

func setupMessaging(s *Server) error {
	st, ok := s.Store.(runtime.Store)
	if !ok {
		return errors.New("the store does not keep messaging data")
	}
	cfg := runtime.Config{SingleNode: s.Store.Backend() == "sqlite"}
	if v := option(s, OptionRuntimeWorkers); v != "" {
		if _, err := fmt.Sscanf(v, "%d", &cfg.Workers); err != nil || cfg.Workers <= 0 {
			return fmt.Errorf("option %s: %q is not a positive number", OptionRuntimeWorkers, v)
		}
	}
	if s.MessagingServices == nil {
		s.MessagingServices = s.messagingServices()
	}
	cfg.Prompts = services.Prompts()
	rt := runtime.New(st, s.Log.With("area", "runtime"), s.Clock, s.MessagingServices, cfg)
	s.Runtime = rt
	name := option(s, OptionWorkspaceName)
	if name == "" {
		name = "careflow"
	}
	tz := option(s, OptionWorkspaceTimezone)
	if tz == "" {
		tz = "UTC"
	}
	if _, err := rt.EnsureDefaultWorkspace(context.Background(), name, tz, option(s, OptionWorkspaceCountry)); err != nil {
		return err
	}
	s.Go("runtime", rt.Run)

	test := channel.NewTest(rt, s.Log.With("area", "channel", "type", "test"))
	s.Go("channel-test", test.Send)
	s.Mux.HandleFunc("POST /c/test/{uuid}/receive", test.Receive)
	s.Mux.HandleFunc("POST /c/test/{uuid}/event", test.Event)
	s.Mux.HandleFunc("GET /c/test/{uuid}/outbox", s.RequireUser(test.Outbox))
	return nil
}

// RequireUser lets only signed-in careflow users through (the AuthSession cookie or Basic
// credentials); others get a JSON 401.
func (s *Server) RequireUser(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if u := s.requestUser(r); u != nil {
			next(w, r)
			return
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="careflow"`)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"detail":"Authentication credentials were not provided."}` + "\n"))
	}
}

func (s *Server) requestUser(r *http.Request) *cht.User {
	if s.Users == nil {
		return nil
	}
	if c, err := r.Cookie("AuthSession"); err == nil && c.Value != "" {
		if u, err := s.Users.Session(r.Context(), c.Value); err == nil {
			return u
		}
	}
	if name, password, ok := r.BasicAuth(); ok {
		if u, err := s.Users.Authenticate(r.Context(), name, password); err == nil {
			return u
		}
	}
	return nil
}
