package server

import (
	"context"
	"errors"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"

	"careflow/api"
	"careflow/cht"
	"careflow/engine"
	"careflow/runtime/services"
	"careflow/store"
	"careflow/web"
)

// The web module: RapidPro's flow editor with its endpoints and simulator, and the console.
// It runs after the messaging module (order 30), whose runtime it edits and simulates on.

func init() {
	RegisterModule("web", 40, setupWeb)
}

func setupWeb(s *Server) error {
	if s.Runtime == nil {
		return nil // no messaging, nothing to edit
	}
	cfg := web.Config{
		Store: s.Runtime.Store, Runtime: s.Runtime, Users: s.Users, Log: s.Log.With("area", "web"),
		SimulationServices: s.simulationServices, Settings: s.Settings, MediaDir: filepath.Join(s.Config.DataDir, "media"), Version: Version,
	}
	if s.Outbound != nil {
		if pushes, ok := s.Store.(web.PushLister); ok {
			cfg.Pushes, cfg.Requeue, cfg.DryRun = pushes, s.Outbound.Requeue, s.Outbound.DryRun
		}
	}
	if st, ok := s.Store.(api.Store); ok {
		cfg.TokenUser = func(ctx context.Context, key string) (*cht.User, error) { return tokenUser(ctx, st, key) }
		cfg.Tokens = st
	}
	if cl, ok := s.Store.(store.ChannelStore); ok {
		cfg.ChannelLogs = cl.ListChannelLogs
	}
	w := web.New(cfg)
	w.Register(s.Mux)
	return nil
}

// tokenUser is the user of an API v2 token, for scripts calling the editor's endpoints; only
// users who may hold tokens (workspace administrators and editors) pass.
func tokenUser(ctx context.Context, st api.Store, key string) (*cht.User, error) {
	t, err := st.GetAPIToken(ctx, api.HashToken(key))
	if err != nil {
		return nil, err
	}
	u, err := st.GetUser(ctx, t.UserName)
	if err != nil {
		return nil, err
	}
	if !cht.IsAdmin(u.Roles) && !slices.Contains(u.Roles, api.UserRoleEditor) {
		return nil, errors.New("the token's user may not edit flows")
	}
	return &cht.User{Name: u.Name, Roles: u.Roles, Rev: u.Rev}, nil
}

// simulationServices are the workspace's services for the editor's simulator: the same ones
// flows run with, except that webhooks say they come from a simulation (X-Mailroom-Mode) under
// the same address policy, and nothing is logged.
func (s *Server) simulationServices(ws *store.Workspace) engine.Services {
	out := s.MessagingServices(ws)
	cfg, err := ReadWorkspaceConfig(ws.Config)
	if err != nil {
		cfg = &WorkspaceConfig{}
	}
	policy := services.Policy{AllowPrivate: cfg.Webhooks.AllowPrivate, AllowedHosts: cfg.Webhooks.AllowedHosts,
		BlockedDomains: append(splitOption(option(s, OptionWebhooksBlockedDomains)), cfg.Webhooks.BlockedDomains...)}
	for _, n := range cfg.Webhooks.AllowedNets {
		if p, err := netip.ParsePrefix(n); err == nil {
			policy.AllowedNets = append(policy.AllowedNets, p)
		}
	}
	out.Webhooks = services.NewWebhooks(policy, services.Config{Version: Version, Simulation: true}, services.NopCallLog{})
	return out
}

// splitOption reads a comma-separated option.
func splitOption(v string) []string {
	var out []string
	for _, d := range strings.Split(v, ",") {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}
