package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"careflow/cht"
	"careflow/cht/outbound"
	"careflow/store"
)

// The outbound module: CHT's outbound push with careflow's delivery (cht/outbound), its
// settings validation, the admin API under /api/v1/outbound/ and the Prometheus metrics at
// /metrics. It runs after the CHT module (order 20) so users and credentials exist.

// Options read by this module (Config.Options), all optional. An option missing from
// Config.Options is read from the environment: outbound.backoff_min from
// CAREFLOW_OUTBOUND_BACKOFF_MIN, and so on.
const (
	OptionOutboundTimeout        = "outbound.timeout"         // request timeout, a Go duration [10s]
	OptionOutboundJSTimeout      = "outbound.js_timeout"      // one expression's time limit [50ms]
	OptionOutboundBackoffMin     = "outbound.backoff_min"     // first retry delay [10s]
	OptionOutboundBackoffMax     = "outbound.backoff_max"     // longest retry delay [1h]
	OptionOutboundMaxAge         = "outbound.max_age"         // dead-letter after [72h]
	OptionOutboundLease          = "outbound.lease"           // claim lease [2m]
	OptionOutboundPerDestination = "outbound.per_destination" // concurrent requests per destination [8]
	OptionOutboundUserAgent      = "outbound.user_agent"      // user-agent header [CHT's]
	OptionOutboundAPITimeout     = "outbound.api_timeout"     // one re-queue or dry run through the admin API [30s]
)

func init() {
	RegisterModule("outbound", 20, setupOutbound)
}

func setupOutbound(s *Server) error {
	opts := outbound.Options{}
	sendTimeout, jsTimeout := 10*time.Second, 50*time.Millisecond
	durations := []struct {
		name string
		dst  *time.Duration
	}{
		{OptionOutboundTimeout, &sendTimeout}, {OptionOutboundJSTimeout, &jsTimeout},
		{OptionOutboundBackoffMin, &opts.BackoffMin}, {OptionOutboundBackoffMax, &opts.BackoffMax},
		{OptionOutboundMaxAge, &opts.MaxAge}, {OptionOutboundLease, &opts.Lease},
	}
	for _, d := range durations {
		if v := option(s, d.name); v != "" {
			parsed, err := time.ParseDuration(v)
			if err != nil || parsed <= 0 {
				return fmt.Errorf("option %s: %q is not a positive duration", d.name, v)
			}
			*d.dst = parsed
		}
	}
	if v := option(s, OptionOutboundPerDestination); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return fmt.Errorf("option %s: %q is not a positive number", OptionOutboundPerDestination, v)
		}
		opts.PerDestination = n
	}

	creds := cht.NewCredentials(s.Store, s.Secrets)
	sender := outbound.NewSender(creds)
	sender.Timeout = sendTimeout
	if v, ok := s.Config.Options[OptionOutboundUserAgent]; ok {
		sender.UserAgent = v
	} else if v, ok := os.LookupEnv(optionEnv(OptionOutboundUserAgent)); ok {
		sender.UserAgent = v
	}
	settings := func(ctx context.Context) ([]byte, error) { return s.Settings.Raw(ctx) }
	svc := outbound.NewService(s.Store, settings, sender, opts, s.Log.With("area", "outbound"))
	svc.Sandbox.Timeout = jsTimeout

	svc.Metrics = outbound.NewMetrics(s.Metrics, s.Store.CountPushes)

	s.Settings.AddValidator(func(ctx context.Context, settings map[string]any) error {
		// Credentials are not checked here: CHT saves a config whose credential is not set
		// yet and fails only when pushing, so cht-conf can upload settings before credentials.
		if problems := outbound.Validate(ctx, svc.Sandbox, nil, settings); len(problems) > 0 {
			return &cht.InvalidSettingsError{Msg: strings.Join(problems, "; ")}
		}
		return nil
	})
	s.Settings.AddWarner(func(ctx context.Context, settings map[string]any) []string {
		return outbound.CredentialWarnings(ctx, creds, settings)
	})
	s.Settings.OnChange(func(map[string]any) { svc.InvalidateConfigs() })
	s.Docs.OnWrite(func([]store.DocResult) { svc.Notify() })
	s.Go("outbound", svc.Run)

	if s.Users == nil {
		return fmt.Errorf("the cht module must run first: outbound's admin API authenticates through its users")
	}
	api := &outbound.API{Service: svc, Admin: adminOnly(s.Users)}
	if err := durationOption(s, OptionOutboundAPITimeout, &api.Timeout); err != nil {
		return err
	}
	api.Register(s.Mux)
	s.Outbound = svc
	return nil
}

// adminOnly admits CHT admins (roles admin or _admin) by AuthSession cookie or Basic
// credentials, as the CHT API authenticates.
func adminOnly(users *cht.Users) outbound.AdminCheck {
	return func(w http.ResponseWriter, r *http.Request) (int, bool) {
		u, err := authenticate(users, r)
		var throttled *cht.ThrottledError
		if errors.As(err, &throttled) {
			w.Header().Set("Retry-After", strconv.Itoa(int(throttled.RetryAfter.Seconds()+0.999)))
			writeJSONStatus(w, http.StatusTooManyRequests, "too many failed logins")
			return http.StatusTooManyRequests, true
		}
		if u == nil {
			w.Header().Set("WWW-Authenticate", `Basic realm="careflow"`)
			return http.StatusUnauthorized, false
		}
		if !u.IsAdmin() {
			return http.StatusForbidden, false
		}
		return 0, false
	}
}

func writeJSONStatus(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, "{\"code\":%d,\"error\":%q}\n", status, msg)
}
