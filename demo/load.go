package demo

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"careflow/api"
	chtpkg "careflow/cht"
	"careflow/server"
	"careflow/store"
)

// The demo's fixed names: users, documents and the flows of self_quarantine.json.
const (
	GatewayUser   = "rapidpro"
	CHWUser       = "akinyi"
	CheckinFlow   = "b1d5a7a8-4e76-4248-813b-9b0ef8c673c2"
	PatientPhone  = "+254712000111"
	PatientName   = "Jane Wanjiru"
	FormID        = "form:covid_trace_follow_up"
	stateFileName = "demo.json"
)

var demoDocs = []string{"demo-district", "demo-hc", "demo-area", "demo-chw", "demo-patient-1", "demo-patient-2", "demo-patient-3", FormID}

// State is what a load made that a person needs next; it is kept in the data folder (0600)
// so the `careflow demo` commands can play the patient's phone and the CHW's app.
type State struct {
	// PublicURL is the CHT half's address, MessagingURL the messaging half's (the same for
	// one careflow).
	PublicURL       string `json:"public_url"`
	MessagingURL    string `json:"messaging_url"`
	GatewayPassword string `json:"gateway_password"`
	CHWPassword     string `json:"chw_password"`
	APIToken        string `json:"api_token"`
	ChannelUUID     string `json:"channel_uuid"`
}

// Loader loads the demo. CHT and Messaging are the servers playing each half: the same one for
// one careflow, or two careflows standing in for CHT and for RapidPro. The URLs are how each
// half reaches the other (flows call CHT; CHT's outbound push calls RapidPro); the loader
// itself calls them at the Connect URLs when those are set (a private port while loading).
type Loader struct {
	CHT, Messaging               *server.Server
	CHTURL, MessagingURL         string
	CHTConnect, MessagingConnect string
	client                       *http.Client
	chtCookie, messagingCookie   *http.Cookie
}

// NewLoader loads both halves into one careflow reached at connect, known to itself as public.
func NewLoader(srv *server.Server, connect, public string) *Loader {
	return &Loader{CHT: srv, Messaging: srv, CHTURL: public, MessagingURL: public, CHTConnect: connect, MessagingConnect: connect}
}

// Clashes lists what already exists that the demo would create: a user name taken, a flow or
// document already there. An empty list means the demo can load.
func (l *Loader) Clashes(ctx context.Context) ([]string, error) {
	var out []string
	for _, u := range []string{GatewayUser, CHWUser} {
		if _, err := l.CHT.Store.GetUser(ctx, u); err == nil {
			out = append(out, fmt.Sprintf("a user named %q already exists", u))
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	docs, err := l.CHT.Store.GetDocs(ctx, demoDocs)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		out = append(out, fmt.Sprintf("a document %q already exists", d.ID))
	}
	wss, err := l.Messaging.Runtime.Store.ListWorkspaces(ctx)
	if err != nil {
		return nil, err
	}
	if len(wss) > 0 {
		var export struct {
			Flows []struct {
				UUID string `json:"uuid"`
				Name string `json:"name"`
			} `json:"flows"`
		}
		data, _ := files.ReadFile("self_quarantine.json")
		if err := json.Unmarshal(data, &export); err != nil {
			return nil, err
		}
		for _, f := range export.Flows {
			if _, err := l.Messaging.Runtime.Store.GetFlow(ctx, wss[0].ID, f.UUID); err == nil {
				out = append(out, fmt.Sprintf("the flow %q is already there", f.Name))
			} else if byName, err := l.Messaging.Runtime.Store.GetFlowByName(ctx, wss[0].ID, f.Name); err == nil && byName != nil {
				out = append(out, fmt.Sprintf("a flow named %q is already there", f.Name))
			}
		}
	}
	return out, nil
}

// Load loads the demo. It refuses, changing nothing, when Clashes finds anything.
func (l *Loader) Load(ctx context.Context) (*State, error) {
	clashes, err := l.Clashes(ctx)
	if err != nil {
		return nil, err
	}
	if len(clashes) > 0 {
		return nil, fmt.Errorf("demo: this careflow already has data the demo would create: %s", strings.Join(clashes, "; "))
	}
	l.client = &http.Client{Timeout: time.Minute}
	if l.CHTConnect == "" {
		l.CHTConnect = l.CHTURL
	}
	if l.MessagingConnect == "" {
		l.MessagingConnect = l.MessagingURL
	}
	if l.chtCookie, err = signIn(ctx, l.CHT); err != nil {
		return nil, err
	}
	if l.messagingCookie, err = signIn(ctx, l.Messaging); err != nil {
		return nil, err
	}
	cht := strings.TrimRight(l.CHTURL, "/")
	st := &State{PublicURL: cht, MessagingURL: strings.TrimRight(l.MessagingURL, "/"), GatewayPassword: randomPassword(), CHWPassword: randomPassword()}

	wss, err := l.Messaging.Runtime.Store.ListWorkspaces(ctx)
	if err != nil || len(wss) == 0 {
		return nil, fmt.Errorf("demo: no workspace: %v", err)
	}
	wss0 := wss[0]
	// The token CHT's outbound push sends to flow_starts.json, kept as the credential the
	// seed's config names.
	apiStore, ok := l.Messaging.Store.(api.Store)
	if !ok {
		return nil, errors.New("demo: the store keeps no API tokens")
	}
	if st.APIToken, err = api.CreateToken(ctx, apiStore, wss0.ID, "admin", time.Now()); err != nil {
		return nil, fmt.Errorf("demo: API token: %w", err)
	}
	if err := l.call(ctx, l.CHTConnect, l.chtCookie, "PUT", "/api/v1/credentials/textit.in", "text/plain", []byte("Token "+st.APIToken), nil); err != nil {
		return nil, fmt.Errorf("demo: credential: %w", err)
	}
	// The CHT side, as cht-conf and an administrator would set it up.
	settings, _ := files.ReadFile("cht/app_settings.json")
	settings = bytes.ReplaceAll(settings, []byte("{{BASE_URL}}"), []byte(st.MessagingURL))
	settings = bytes.ReplaceAll(settings, []byte("{{CHECKIN_FLOW}}"), []byte(CheckinFlow))
	if err := l.call(ctx, l.CHTConnect, l.chtCookie, "PUT", "/api/v1/settings", "application/json", settings, nil); err != nil {
		return nil, fmt.Errorf("demo: app settings: %w", err)
	}
	var contacts struct {
		Places []json.RawMessage `json:"places"`
		People []json.RawMessage `json:"people"`
	}
	data, _ := files.ReadFile("cht/contacts.json")
	if err := json.Unmarshal(data, &contacts); err != nil {
		return nil, err
	}
	for _, p := range contacts.Places {
		if err := l.call(ctx, l.CHTConnect, l.chtCookie, "POST", "/api/v1/places", "application/json", p, nil); err != nil {
			return nil, fmt.Errorf("demo: place: %w", err)
		}
	}
	for _, p := range contacts.People {
		if err := l.call(ctx, l.CHTConnect, l.chtCookie, "POST", "/api/v1/people", "application/json", p, nil); err != nil {
			return nil, fmt.Errorf("demo: person: %w", err)
		}
	}
	xform, _ := files.ReadFile("cht/covid_trace_follow_up.xml")
	form, _ := json.Marshal(map[string]any{"type": "form", "internalId": "covid_trace_follow_up", "title": "COVID-19 trace follow-up",
		"context":      map[string]any{"person": true, "place": false},
		"_attachments": map[string]any{"xml": map[string]any{"content_type": "application/xml", "data": base64.StdEncoding.EncodeToString(xform)}}})
	if err := l.call(ctx, l.CHTConnect, l.chtCookie, "PUT", "/medic/"+url.PathEscape(FormID), "application/json", form, nil); err != nil {
		return nil, fmt.Errorf("demo: form: %w", err)
	}
	users := []map[string]any{
		{"username": GatewayUser, "password": st.GatewayPassword, "roles": []string{"gateway"}, "fullname": "RapidPro integration"},
		{"username": CHWUser, "password": st.CHWPassword, "roles": []string{"chw"}, "place": "demo-area", "contact": "demo-chw", "fullname": "Akinyi Otieno"},
	}
	for _, u := range users {
		body, _ := json.Marshal(u)
		if err := l.call(ctx, l.CHTConnect, l.chtCookie, "POST", "/api/v1/users", "application/json", body, nil); err != nil {
			return nil, fmt.Errorf("demo: user %s: %w", u["username"], err)
		}
	}

	// The messaging side: the workspace where Kenya's patients are, its flows, campaign and
	// triggers from the export, and the globals the flows read.
	rt := l.Messaging.Runtime
	ws := *wss0
	ws.Timezone, ws.Country, ws.DateFormat = "Africa/Nairobi", "KE", "DD-MM-YYYY"
	cfg := map[string]any{}
	_ = json.Unmarshal(ws.Config, &cfg)
	cfg["webhooks"] = webhookPolicy(cht)
	ws.Config, _ = json.Marshal(cfg)
	if err := rt.UpdateWorkspace(ctx, &ws); err != nil {
		return nil, fmt.Errorf("demo: workspace: %w", err)
	}
	export, _ := files.ReadFile("self_quarantine.json")
	if err := l.call(ctx, l.MessagingConnect, l.messagingCookie, "POST", "/api/v2/definitions.json", "application/json", export, nil); err != nil {
		return nil, fmt.Errorf("demo: importing the flows: %w", err)
	}
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(GatewayUser+":"+st.GatewayPassword))
	for key, value := range map[string]string{"api": cht + "/api", "cht_auth": auth} {
		body, _ := json.Marshal(map[string]string{"value": value})
		if err := l.call(ctx, l.MessagingConnect, l.messagingCookie, "POST", "/api/v2/globals.json?key="+key, "application/json", body, nil); err != nil {
			return nil, fmt.Errorf("demo: global %s: %w", key, err)
		}
	}

	chans, err := rt.Store.ListChannels(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	for _, c := range chans {
		if c.Type == "TEST" {
			st.ChannelUUID = c.UUID
		}
	}
	return st, nil
}

// webhookPolicy lets the flows call this careflow back when it listens on a private or
// loopback address (webhooks to such addresses are refused unless a workspace allows them).
func webhookPolicy(public string) map[string]any {
	u, err := url.Parse(public)
	if err != nil {
		return map[string]any{}
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip != nil {
		bits := 32
		if ip.To4() == nil {
			bits = 128
		}
		return map[string]any{"allowed_nets": []string{fmt.Sprintf("%s/%d", ip, bits)}}
	}
	return map[string]any{"allowed_hosts": []string{host}}
}

// signIn mints a session for a server's first admin, as the console's sign-in would, so the
// loader calls the APIs as that administrator.
func signIn(ctx context.Context, srv *server.Server) (*http.Cookie, error) {
	u, err := srv.Users.Lookup(ctx, "admin")
	if err != nil {
		return nil, fmt.Errorf("demo: the admin user: %w", err)
	}
	token, _ := srv.Users.NewSession(u)
	return &http.Cookie{Name: "AuthSession", Value: token}, nil
}

func randomPassword() string { return chtpkg.RandomPassword() }

// call makes one API request and decodes a JSON answer into out (when not nil).
func (l *Loader) call(ctx context.Context, base string, cookie *http.Cookie, method, path, contentType string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(base, "/")+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	req.AddCookie(cookie)
	resp, err := l.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(data))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// SaveState keeps what a load made in the data folder, readable by its owner only.
func SaveState(dataDir string, st *State) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dataDir, stateFileName), data, 0o600)
}

// ReadState reads what a load kept in the data folder.
func ReadState(dataDir string) (*State, error) {
	data, err := os.ReadFile(filepath.Join(dataDir, stateFileName))
	if err != nil {
		return nil, fmt.Errorf("no demo in %s (run careflow serve -demo, or careflow demo load): %w", dataDir, err)
	}
	st := &State{}
	return st, json.Unmarshal(data, st)
}
