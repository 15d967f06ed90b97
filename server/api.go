package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"careflow/api"
)

// The API module: RapidPro's API v2 at /api/v2/ over the messaging runtime. It runs after the
// messaging module (order 30), whose runtime it drives.

// Options read by this module.
const (
	OptionAPIPublicURL = "api.public_url" // base of the API's absolute links [the request's host]
	OptionAPIRates     = "api.rates"      // per-workspace limits, e.g. "v2=3600/hour,v2.contacts=100/minute"
)

func init() {
	RegisterModule("api", 40, setupAPI)
}

func setupAPI(s *Server) error {
	st, ok := s.Store.(api.Store)
	if !ok {
		return errors.New("the store does not keep API data")
	}
	if s.Runtime == nil {
		return errors.New("the API needs the messaging runtime")
	}
	a := api.New(st, s.Runtime, s.Log.With("area", "api"))
	a.PublicURL = option(s, OptionAPIPublicURL)
	if v := option(s, OptionAPIRates); v != "" {
		for _, part := range strings.Split(v, ",") {
			scope, rate, ok := strings.Cut(strings.TrimSpace(part), "=")
			r, err := api.ParseRate(rate)
			if !ok || err != nil {
				return fmt.Errorf("option %s: %q: want scope=N/period", OptionAPIRates, part)
			}
			a.Rates[strings.TrimSpace(scope)] = r
		}
	}
	// Web sessions only: Basic credentials on the API are a user and a token, not a password.
	a.Session = func(r *http.Request) (string, []string, bool) {
		if s.Users == nil {
			return "", nil, false
		}
		c, err := r.Cookie("AuthSession")
		if err != nil || c.Value == "" {
			return "", nil, false
		}
		u, err := s.Users.Session(r.Context(), c.Value)
		if err != nil {
			return "", nil, false
		}
		return u.Name, u.Roles, true
	}
	a.Register(s.Mux)
	return nil
}
