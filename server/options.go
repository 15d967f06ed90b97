package server

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Options of the HTTP server itself and of logins (Config.Options, else CAREFLOW_NAME in the
// environment), all optional.
const (
	OptionReadTimeout  = "http.read_timeout"   // a whole request, headers and body, must arrive within [2m]
	OptionIdleTimeout  = "http.idle_timeout"   // a kept-alive connection may idle this long [2m]
	OptionMaxBody      = "http.max_body"       // largest body an authenticated route reads, bytes [32 MiB]
	OptionMaxAuthBody  = "http.max_auth_body"  // largest POST /_session body, bytes [16 KiB]
	OptionMaxJSONDepth = "http.max_json_depth" // deepest JSON nesting in any body [100]
	// OptionMetricsAddr serves /metrics on a listen address of its own, without a login
	// (for a scraper on a private network); when unset /metrics is on the main address and
	// needs a login.
	OptionMetricsAddr = "metrics.addr"

	OptionLoginMaxUserFailures = "cht.login_max_user_failures" // failed logins per name before a lockout [5]
	OptionLoginMaxAddrFailures = "cht.login_max_addr_failures" // failed logins per client address before a lockout [30]
	OptionLoginWindow          = "cht.login_window"            // how long a failure counts [15m]
	OptionLoginLockout         = "cht.login_lockout"           // first lockout, doubling per further failure [1m]
)

// option reads an option from Config.Options, else from its environment variable.
func option(s *Server, name string) string {
	if v, ok := s.Config.Options[name]; ok {
		return v
	}
	return os.Getenv(optionEnv(name))
}

// optionEnv names an option's environment variable: outbound.max_age → CAREFLOW_OUTBOUND_MAX_AGE.
func optionEnv(name string) string {
	return "CAREFLOW_" + strings.ToUpper(strings.ReplaceAll(name, ".", "_"))
}

// durationOption sets *dst from a positive Go duration option, when given.
func durationOption(s *Server, name string, dst *time.Duration) error {
	v := option(s, name)
	if v == "" {
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return fmt.Errorf("option %s: %q is not a positive duration", name, v)
	}
	*dst = d
	return nil
}

// intOption sets *dst from a positive integer option, when given.
func intOption[T int | int64](s *Server, name string, dst *T) error {
	v := option(s, name)
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return fmt.Errorf("option %s: %q is not a positive number", name, v)
	}
	*dst = T(n)
	return nil
}
