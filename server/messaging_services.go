package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"careflow/cht"
	"careflow/engine"
	"careflow/runtime/services"
	"careflow/store"
)

// OptionWebhooksBlockedDomains lists domains no flow may call (comma-separated), like
// mailroom's MAILROOM_WEBHOOKS_BLOCKED_DOMAINS.
const OptionWebhooksBlockedDomains = "messaging.webhooks_blocked_domains"

// WorkspaceConfig is the shape of store.Workspace.Config: the services a workspace's flows
// reach. Secrets are never kept here; they name credentials (PUT /api/v1/credentials/{key}),
// which are sealed at rest.
type WorkspaceConfig struct {
	Webhooks struct {
		// AllowPrivate lets flows call loopback and private addresses (single-tenant installs
		// calling services on their own network, and tests).
		AllowPrivate   bool     `json:"allow_private,omitempty"`
		AllowedHosts   []string `json:"allowed_hosts,omitempty"`
		AllowedNets    []string `json:"allowed_nets,omitempty"`
		BlockedDomains []string `json:"blocked_domains,omitempty"`
	} `json:"webhooks"`
	SMTP *struct {
		Host               string `json:"host"`
		Port               int    `json:"port,omitempty"`
		Username           string `json:"username,omitempty"`
		PasswordCredential string `json:"password_credential,omitempty"`
		From               string `json:"from"`
		TLS                string `json:"tls,omitempty"`
	} `json:"smtp,omitempty"`
	// LLMs maps an LLM asset UUID to its OpenAI-compatible endpoint.
	LLMs map[string]struct {
		BaseURL          string `json:"base_url"`
		Model            string `json:"model"`
		APIKeyCredential string `json:"api_key_credential,omitempty"`
		MaxTokensField   string `json:"max_tokens_field,omitempty"`
	} `json:"llms,omitempty"`
}

// ReadWorkspaceConfig reads and checks a workspace's config.
func ReadWorkspaceConfig(raw json.RawMessage) (*WorkspaceConfig, error) {
	c := &WorkspaceConfig{}
	if len(raw) == 0 || string(raw) == "null" {
		return c, nil
	}
	if err := json.Unmarshal(raw, c); err != nil {
		return nil, fmt.Errorf("workspace config: %w", err)
	}
	for _, n := range c.Webhooks.AllowedNets {
		if _, err := netip.ParsePrefix(n); err != nil {
			return nil, fmt.Errorf("workspace config: webhooks.allowed_nets: %q is not a CIDR range", n)
		}
	}
	return c, nil
}

// messagingServices builds each workspace's engine services from its config.
func (s *Server) messagingServices() func(ws *store.Workspace) engine.Services {
	creds := cht.NewCredentials(s.Store, s.Secrets)
	var blocked []string
	for _, d := range strings.Split(option(s, OptionWebhooksBlockedDomains), ",") {
		if d = strings.TrimSpace(d); d != "" {
			blocked = append(blocked, d)
		}
	}
	secret := func(key string) string {
		if key == "" {
			return ""
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		v, err := creds.Get(ctx, key)
		if err != nil {
			s.Log.Warn("workspace credential unavailable", "credential", key, "error", err)
		}
		return v
	}
	return func(ws *store.Workspace) engine.Services {
		cfg, err := ReadWorkspaceConfig(ws.Config)
		if err != nil {
			s.Log.Error("workspace config ignored", "workspace", ws.UUID, "error", err)
			cfg = &WorkspaceConfig{}
		}
		policy := services.Policy{AllowPrivate: cfg.Webhooks.AllowPrivate, AllowedHosts: cfg.Webhooks.AllowedHosts,
			BlockedDomains: append(append([]string{}, blocked...), cfg.Webhooks.BlockedDomains...)}
		for _, n := range cfg.Webhooks.AllowedNets {
			if p, err := netip.ParsePrefix(n); err == nil {
				policy.AllowedNets = append(policy.AllowedNets, p)
			}
		}
		// Calls are recorded from the engine's webhook_called events, in the sprint's commit.
		out := engine.Services{
			Webhooks: services.NewWebhooks(policy, services.Config{Version: Version}, services.NopCallLog{}),
			Airtime:  services.NoAirtime{},
		}
		smtp := services.SMTPConfig{}
		if c := cfg.SMTP; c != nil {
			smtp = services.SMTPConfig{Host: c.Host, Port: c.Port, Username: c.Username, Password: secret(c.PasswordCredential),
				From: c.From, TLS: services.TLSMode(c.TLS)}
		}
		out.Email = services.NewSMTP(smtp)
		endpoints := map[string]services.LLMEndpoint{}
		for uuid, l := range cfg.LLMs {
			endpoints[uuid] = services.LLMEndpoint{BaseURL: l.BaseURL, Model: l.Model, APIKey: secret(l.APIKeyCredential),
				MaxTokensField: l.MaxTokensField}
		}
		out.LLM = services.NewLLMs(endpoints, nil)
		return out
	}
}
