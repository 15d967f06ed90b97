package server

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"careflow/channel"
	"careflow/store"
)

// The channels module: provider channels (External API, Twilio, Telegram, ...) receiving at
// /c/<type>/<uuid>/<action> and sending their outbox, and their logs for admins. It runs
// after the messaging module, whose runtime it feeds.

// OptionChannelsPublicURL is the base URL providers reach this server at, for status
// callbacks and media links [the address the server listens on].
const OptionChannelsPublicURL = "channels.public_url"

// OptionChannelsLease is how long a node holds a message it is sending before another node may
// send it [1m]: a node that dies mid-send gives its messages up after it.
const OptionChannelsLease = "channels.lease"

func init() {
	RegisterModule("channels", 40, setupChannels)
}

func setupChannels(s *Server) error {
	if s.Runtime == nil {
		return errors.New("channels need the messaging runtime")
	}
	cs, ok := s.Store.(store.ChannelStore)
	if !ok {
		return errors.New("the store does not keep channel data")
	}
	svc := channel.NewService(s.Runtime, cs, s.Secrets, s.Log.With("area", "channel"))
	public := option(s, OptionChannelsPublicURL)
	svc.PublicURL = func() string {
		if public != "" {
			return public
		}
		if s.listener != nil {
			return "http://" + s.listener.Addr().String()
		}
		return ""
	}
	if v := option(s, OptionChannelsLease); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			return fmt.Errorf("option %s: %q is not a duration of a second or more", OptionChannelsLease, v)
		}
		svc.LeaseFor = d
	}
	s.Channels = svc
	svc.Routes(s.Mux)
	s.registerSMSGateway()
	s.Mux.HandleFunc("GET /c/logs/{uuid}", s.RequireAdmin(svc.Logs))
	s.Go("channels", svc.Run)
	return nil
}

// RequireAdmin lets only signed-in admins through.
func (s *Server) RequireAdmin(next http.HandlerFunc) http.HandlerFunc {
	return s.RequireUser(func(w http.ResponseWriter, r *http.Request) {
		if u := s.requestUser(r); u == nil || !u.IsAdmin() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"detail":"You do not have permission to perform this action."}` + "\n"))
			return
		}
		next(w, r)
	})
}
