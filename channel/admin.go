package channel

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"careflow/runtime"
	"careflow/store"
)

// ChannelSpec is a channel to add: its type's code, where it sends from, and its settings.
type ChannelSpec struct {
	WorkspaceID int64
	Type        string
	Name        string
	Address     string
	Country     string
	Schemes     []string
	Roles       []string
	TPS         int
	Config      Config
}

// AddChannel validates and stores a channel, sealing its secrets, and tells the runtime its
// workspace's channels changed.
func (s *Service) AddChannel(ctx context.Context, spec ChannelSpec) (*store.Channel, error) {
	t := Lookup(spec.Type)
	if t == nil {
		var codes []string
		for _, t := range Types() {
			codes = append(codes, t.Code)
		}
		return nil, &runtime.InvalidError{Msg: fmt.Sprintf("unknown channel type %q (one of %s)", spec.Type, strings.Join(codes, ", "))}
	}
	if t.Code == "A" {
		return nil, &runtime.InvalidError{Msg: "Android channels are made by the phone registering; claim one with careflow channel claim CODE"}
	}
	for _, k := range t.Required {
		if spec.Config.Str(k) == "" {
			return nil, &runtime.InvalidError{Msg: fmt.Sprintf("channel type %s needs config %q", t.Code, k)}
		}
	}
	for _, r := range spec.Roles {
		if r != "send" && r != "receive" {
			return nil, &runtime.InvalidError{Msg: fmt.Sprintf("role %q is not send or receive", r)}
		}
	}
	if len(spec.Roles) == 0 {
		spec.Roles = []string{"send", "receive"}
	}
	if len(spec.Schemes) == 0 {
		spec.Schemes = t.Schemes
	}
	if spec.Name == "" {
		spec.Name = strings.TrimSpace(t.Name + " " + spec.Address)
	}
	ch := &store.Channel{WorkspaceID: spec.WorkspaceID, UUID: runtime.NewUUID(), Type: t.Code, Name: spec.Name,
		Address: spec.Address, Country: strings.ToUpper(spec.Country), Schemes: spec.Schemes, Roles: spec.Roles, TPS: spec.TPS}
	cfg, err := SealConfig(s.Box, t, ch.UUID, spec.Config)
	if err != nil {
		return nil, err
	}
	ch.Config = cfg
	if err := s.RT.Store.SaveChannel(ctx, ch); err != nil {
		return nil, err
	}
	s.RT.Invalidate(ch.WorkspaceID)
	s.wakeSenders()
	return ch, nil
}

// LogView is a channel log as admins read it.
type LogView struct {
	ID         int64     `json:"id"`
	Type       string    `json:"type"`
	MsgUUID    string    `json:"msg_uuid,omitempty"`
	Method     string    `json:"method"`
	URL        string    `json:"url"`
	StatusCode int       `json:"status_code"`
	Request    string    `json:"request"`
	Response   string    `json:"response"`
	Error      string    `json:"error,omitempty"`
	ElapsedMS  int       `json:"elapsed_ms"`
	CreatedOn  time.Time `json:"created_on"`
}

// Logs handles GET /c/logs/{uuid}?before=<id>&limit=N, for admins only (the caller wraps it).
func (s *Service) Logs(w http.ResponseWriter, r *http.Request) {
	if _, err := s.RT.Store.GetChannel(r.Context(), r.PathValue("uuid")); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			writeError(w, http.StatusNotFound, "channel not found")
			return
		}
		writeError(w, http.StatusInternalServerError, "channel could not be read")
		return
	}
	q := r.URL.Query()
	before, err := optInt(q.Get("before"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "before must be a log id")
		return
	}
	limit, err := optInt(q.Get("limit"))
	if err != nil || limit < 0 || limit > 1000 {
		writeError(w, http.StatusBadRequest, "limit must be a number up to 1000")
		return
	}
	logs, err := s.Store.ListChannelLogs(r.Context(), r.PathValue("uuid"), int64(before), limit)
	if err != nil {
		s.Log.Error("channel logs", "error", err)
		writeError(w, http.StatusInternalServerError, "logs could not be read")
		return
	}
	out := make([]LogView, len(logs))
	for i, l := range logs {
		out[i] = LogView{ID: l.ID, Type: l.Type, MsgUUID: l.MsgUUID, Method: l.Method, URL: l.URL, StatusCode: l.StatusCode,
			Request: l.Request, Response: l.Response, Error: l.Error, ElapsedMS: l.ElapsedMS, CreatedOn: l.CreatedOn}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": out})
}

func optInt(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, errors.New("not a number")
	}
	return n, nil
}
