package runtime

import (
	"context"
	"fmt"
	"strings"
	"time"

	"careflow/engine"
	"careflow/store"
)

// TestChannelType is the built-in channel that records what it would send and lets a test or a
// person answer as the contact over HTTP.
const TestChannelType = "TEST"

// Date formats a workspace may use.
var DateFormats = []string{"DD-MM-YYYY", "MM-DD-YYYY", "YYYY-MM-DD"}

// CreateWorkspace validates and creates a workspace with its test channel.
func (r *Runtime) CreateWorkspace(ctx context.Context, ws *store.Workspace) error {
	if err := CheckWorkspace(ws); err != nil {
		return err
	}
	if ws.UUID == "" {
		ws.UUID = NewUUID()
	}
	if ws.CreatedOn.IsZero() {
		ws.CreatedOn = r.Clock.Now()
	}
	if err := r.Store.CreateWorkspace(ctx, ws); err != nil {
		return err
	}
	ch := &store.Channel{WorkspaceID: ws.ID, UUID: NewUUID(), Type: TestChannelType, Name: "Test Channel",
		Address: "test", Country: ws.Country, Schemes: engine.Schemes(), Roles: []string{"send", "receive"},
		CreatedOn: ws.CreatedOn}
	return r.Store.SaveChannel(ctx, ch)
}

// CheckWorkspace validates a workspace's settings.
func CheckWorkspace(ws *store.Workspace) error {
	ws.Name = strings.TrimSpace(ws.Name)
	if ws.Name == "" || len(ws.Name) > 128 {
		return invalid("name: a workspace needs a name of at most 128 characters")
	}
	if ws.Timezone == "" {
		ws.Timezone = "UTC"
	}
	if _, err := time.LoadLocation(ws.Timezone); err != nil || !engine.ValidTimezone(ws.Timezone) {
		return invalid("timezone: unknown timezone %q", ws.Timezone)
	}
	ws.Country = strings.ToUpper(strings.TrimSpace(ws.Country))
	if ws.Country != "" && len(ws.Country) != 2 {
		return invalid("country: %q is not a two-letter country code", ws.Country)
	}
	if len(ws.Languages) == 0 {
		ws.Languages = []string{"eng"}
	}
	for _, l := range ws.Languages {
		if len(l) != 3 || strings.ToLower(l) != l {
			return invalid("languages: %q is not an ISO 639-3 code", l)
		}
	}
	if ws.DateFormat == "" {
		ws.DateFormat = "DD-MM-YYYY"
	}
	ok := false
	for _, f := range DateFormats {
		ok = ok || f == ws.DateFormat
	}
	if !ok {
		return invalid("date_format: must be one of %s", strings.Join(DateFormats, ", "))
	}
	return nil
}

// EnsureDefaultWorkspace creates the first workspace when there is none and returns the first.
func (r *Runtime) EnsureDefaultWorkspace(ctx context.Context, name, timezone, country string) (*store.Workspace, error) {
	list, err := r.Store.ListWorkspaces(ctx)
	if err != nil {
		return nil, err
	}
	if len(list) > 0 {
		return list[0], nil
	}
	ws := &store.Workspace{Name: name, Timezone: timezone, Country: country}
	if err := r.CreateWorkspace(ctx, ws); err != nil {
		return nil, fmt.Errorf("creating the first workspace: %w", err)
	}
	return ws, nil
}

// UpdateWorkspace validates and stores a workspace's settings; its sessions see them from their
// next sprint.
func (r *Runtime) UpdateWorkspace(ctx context.Context, ws *store.Workspace) error {
	if err := CheckWorkspace(ws); err != nil {
		return err
	}
	if err := r.Store.UpdateWorkspace(ctx, ws); err != nil {
		return err
	}
	r.Invalidate(ws.ID)
	return nil
}
