package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"

	"careflow/channel"
	"careflow/cht"
	"careflow/runtime"
	"careflow/store"
)

// The SMS gateway API (cht.md §5): the cht-gateway Android app polls POST /api/sms. Messages
// it hands in become CHT records (sms_message, as CHT's records path makes them) and, when the
// workspace has a CHT gateway channel, incoming messages of the messaging runtime as well, so
// flows answer them; statuses move the channel's messages, or the tasks of CHT's own
// messages, on; the answer carries what both have to send (CHT's task messages and the
// channel's).

// Bounds on one poll: the app sends what it has batched since the last poll.
const (
	maxGatewayBody     = 4 << 20
	maxGatewayMessages = 1000
	maxGatewayUpdates  = 1000
)

type gatewayPoll struct {
	Messages []json.RawMessage       `json:"messages"`
	Updates  []channel.GatewayUpdate `json:"updates"`
}

type gatewayIn struct {
	ID      any `json:"id"`
	From    any `json:"from"`
	Content any `json:"content"`
}

type gatewayOut struct {
	Content string `json:"content"`
	To      string `json:"to"`
	ID      string `json:"id"`
}

func (s *Server) registerSMSGateway() {
	records := cht.NewRecords(s.Docs, s.Settings, cht.NewContacts(s.Docs, s.Settings))
	messaging := cht.NewMessaging(s.Docs, s.Settings)
	get := func(w http.ResponseWriter, r *http.Request) {
		if s.gatewayUser(w, r) {
			writeJSONBody(w, http.StatusOK, map[string]bool{"medic-gateway": true})
		}
	}
	post := func(w http.ResponseWriter, r *http.Request) { s.gatewayPost(w, r, records, messaging) }
	s.Mux.HandleFunc("GET /api/sms", get)
	s.Mux.HandleFunc("GET /api/sms/", get)
	s.Mux.HandleFunc("POST /api/sms", post)
	s.Mux.HandleFunc("POST /api/sms/", post)
}

func writeJSONBody(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func gatewayError(w http.ResponseWriter, status int, msg string) {
	writeJSONBody(w, status, map[string]any{"code": status, "error": msg})
}

// gatewayUser checks the caller may use the gateway API (can_access_gateway_api).
func (s *Server) gatewayUser(w http.ResponseWriter, r *http.Request) bool {
	u := s.requestUser(r)
	if u == nil {
		w.Header().Set("WWW-Authenticate", `Basic realm="Medic Web Services"`)
		gatewayError(w, http.StatusUnauthorized, "unauthorized")
		return false
	}
	settings, err := s.Settings.Get(r.Context())
	if err != nil {
		s.Log.Error("sms gateway settings", "error", err)
		gatewayError(w, http.StatusInternalServerError, "Server error")
		return false
	}
	if !cht.HasPermissions(settings, u.Roles, "can_access_gateway_api") {
		gatewayError(w, http.StatusForbidden, "Insufficient privileges")
		return false
	}
	return true
}

func (s *Server) gatewayPost(w http.ResponseWriter, r *http.Request, records *cht.Records, messaging *cht.Messaging) {
	if !s.gatewayUser(w, r) {
		return
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		gatewayError(w, http.StatusBadRequest, "Content-Type must be application/json")
		return
	}
	var poll gatewayPoll
	r.Body = http.MaxBytesReader(w, r.Body, maxGatewayBody)
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r.Body); err != nil {
		gatewayError(w, http.StatusRequestEntityTooLarge, "request body is larger than 4 MB")
		return
	}
	if b := bytes.TrimSpace(buf.Bytes()); len(b) > 0 && !bytes.Equal(b, []byte("null")) {
		if err := json.Unmarshal(b, &poll); err != nil {
			gatewayError(w, http.StatusBadRequest, "body must be a JSON object with messages and updates lists")
			return
		}
	}
	if len(poll.Messages) > maxGatewayMessages || len(poll.Updates) > maxGatewayUpdates {
		gatewayError(w, http.StatusBadRequest, "at most 1000 messages and 1000 updates per request")
		return
	}
	ctx := r.Context()
	var ch *store.Channel
	if s.Channels != nil {
		var err error
		if ch, err = s.Channels.GatewayChannel(ctx); err != nil {
			s.Log.Error("sms gateway channel", "error", err)
			gatewayError(w, http.StatusInternalServerError, "Server error")
			return
		}
	}
	for _, raw := range poll.Messages {
		m, ok := gatewayMessage(raw)
		if !ok {
			s.Log.Warn("sms gateway: message without id, from or content skipped")
			continue
		}
		if err := s.gatewayIncoming(ctx, ch, records, m); err != nil {
			s.Log.Error("sms gateway incoming", "error", err)
			gatewayError(w, http.StatusInternalServerError, "Server error")
			return
		}
	}
	// Statuses of the channel's messages move them on; the others are CHT's own messages.
	var changes []cht.TaskStateChange
	for _, u := range poll.Updates {
		if u.ID == "" {
			continue
		}
		known := false
		if ch != nil {
			var err error
			if known, err = s.Channels.GatewayStatus(ctx, ch, u); err != nil {
				s.Log.Error("sms gateway status", "error", err)
				gatewayError(w, http.StatusInternalServerError, "Server error")
				return
			}
		}
		if !known {
			changes = append(changes, cht.GatewayStateChange(u.ID, u.Status, u.Reason))
		}
	}
	if len(changes) > 0 {
		found := map[string]bool{}
		if messaging != nil {
			var err error
			if found, err = messaging.UpdateStates(ctx, changes); err != nil {
				s.Log.Error("sms gateway task states", "error", err)
				gatewayError(w, http.StatusInternalServerError, "Server error")
				return
			}
		}
		for _, c := range changes {
			if !found[c.MessageID] {
				s.Log.Info("sms gateway: status for an unknown message", "id", c.MessageID)
			}
		}
	}
	out, err := s.gatewayOutgoing(ctx, ch, messaging)
	if err != nil {
		s.Log.Error("sms gateway outgoing", "error", err)
		gatewayError(w, http.StatusInternalServerError, "Server error")
		return
	}
	writeJSONBody(w, http.StatusOK, map[string]any{"messages": out})
}

// gatewayOutgoing takes what the app is to send: CHT's own task messages and the gateway
// channel's messages, 25 in all. When both have more, each gets about half (CHT's 13, the
// channel's 12), so neither starves the other; a share one leaves unused goes to the other.
// CHT's messages are marked forwarded-to-gateway; like the channel's, they are handed out
// again on each poll until the app reports a status for them.
func (s *Server) gatewayOutgoing(ctx context.Context, ch *store.Channel, messaging *cht.Messaging) ([]gatewayOut, error) {
	out := []gatewayOut{}
	if !s.gatewayOutgoingService(ctx) {
		return out, nil
	}
	var own []cht.OutgoingSMS
	if messaging != nil {
		var err error
		if own, err = messaging.Outgoing(ctx, channel.GatewayMaxOutgoing); err != nil {
			return nil, err
		}
	}
	var flow []channel.GatewayMsg
	if ch != nil {
		var err error
		limit := channel.GatewayMaxOutgoing - min(len(own), (channel.GatewayMaxOutgoing+1)/2)
		if flow, err = s.Channels.GatewayOutgoing(ctx, ch, limit); err != nil {
			return nil, err
		}
	}
	own = own[:min(len(own), channel.GatewayMaxOutgoing-len(flow))]
	if len(own) > 0 {
		ids := make([]string, len(own))
		for i, m := range own {
			ids[i] = m.ID
			out = append(out, gatewayOut{Content: m.Content, To: m.To, ID: m.ID})
		}
		if err := messaging.MarkForwarded(ctx, ids); err != nil {
			return nil, err
		}
	}
	for _, m := range flow {
		out = append(out, gatewayOut{Content: m.Content, To: m.To, ID: m.ID})
	}
	return out, nil
}

// gatewayMessage reads one incoming entry; entries without a truthy id, from and content are
// skipped, as CHT skips them.
func gatewayMessage(raw json.RawMessage) (channel.GatewayMsg, bool) {
	var in gatewayIn
	if json.Unmarshal(raw, &in) != nil {
		return channel.GatewayMsg{}, false
	}
	id, from, content := truthy(in.ID), truthy(in.From), truthy(in.Content)
	if id == "" || from == "" || content == "" {
		return channel.GatewayMsg{}, false
	}
	return channel.GatewayMsg{ID: id, From: from, Content: content}, true
}

func truthy(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		if x != 0 {
			b, _ := json.Marshal(x)
			return string(b)
		}
	}
	return ""
}

// gatewayIncoming records one message: to the runtime on the gateway channel (once per app
// id), and as a CHT record (once per gateway_ref) unless the channel turns records off.
func (s *Server) gatewayIncoming(ctx context.Context, ch *store.Channel, records *cht.Records, m channel.GatewayMsg) error {
	if ch != nil {
		if _, err := s.Channels.GatewayReceive(ctx, ch, m); err != nil {
			if errors.Is(err, runtime.ErrInvalid) {
				s.Log.Warn("sms gateway: message refused", "id", m.ID, "error", err)
			} else {
				return err
			}
		}
		var cfg map[string]any
		_ = json.Unmarshal(ch.Config, &cfg)
		if v, ok := cfg["cht_records"].(bool); ok && !v {
			return nil
		}
	}
	refs, ok := s.Store.(store.SMSGatewayStore)
	if !ok {
		return errors.New("the store does not keep gateway refs")
	}
	isNew, err := refs.ClaimGatewayRef(ctx, m.ID, time.Now())
	if err != nil || !isNew {
		return err
	}
	from, content, ref := m.From, m.Content, m.ID
	if _, err := records.CreateSMS(ctx, cht.SMS{From: &from, Message: &content, GatewayRef: &ref}, ""); err != nil {
		if rerr := refs.ReleaseGatewayRef(context.WithoutCancel(ctx), m.ID); rerr != nil {
			s.Log.Error("sms gateway: releasing ref", "error", rerr)
		}
		return err
	}
	return nil
}

// gatewayOutgoingService reports whether the app is CHT's SMS sender (app_settings.sms
// .outgoing_service is medic-gateway, the default).
func (s *Server) gatewayOutgoingService(ctx context.Context) bool {
	settings, err := s.Settings.Get(ctx)
	if err != nil {
		return false
	}
	sms, _ := settings["sms"].(map[string]any)
	svc, _ := sms["outgoing_service"].(string)
	return svc == "" || strings.EqualFold(svc, "medic-gateway")
}
