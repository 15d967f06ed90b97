package channel

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"

	"careflow/runtime"
	"careflow/store"
)

// Android relay (A): RapidPro's Android relayer app, a phone that sends and receives SMS for
// the workspace (rapidpro temba/channels/android). The phone registers and gets a relayer
// id, a secret and a claim code; an admin claims it into a workspace with the code
// (careflow channel claim CODE); from then on the phone syncs: each signed POST carries the
// SMS it received, what became of the messages it was given, and takes the queued ones.
// Nothing is pushed to the phone (careflow sends no Firebase wake-ups), so the type has no
// sender: the sync is the sender, and messages wait for the phone's next sync.
func init() {
	Register(&Type{Code: "A", Path: "a", Name: "Android", Schemes: []string{"tel"}, Secrets: []string{"secret"}})
}

// androidStore is what the relayer endpoints need beyond the channel store: the phone names
// its channel by numeric id, and a claim moves a channel into a workspace.
type androidStore interface {
	GetChannelByID(ctx context.Context, id int64) (*store.Channel, error)
	ClaimChannel(ctx context.Context, id, workspaceID int64, config json.RawMessage) error
}

// Bounds on what phones control: unclaimed registrations (anyone may register) and the
// size of one sync.
const (
	maxUnclaimedAndroid = 1000
	maxRelayerBody      = 1 << 20
	maxRelayerCmds      = 1000
	// maxRelayerOutgoing is how many messages one sync hands out, besides those the phone
	// says it still holds.
	maxRelayerOutgoing = 100
)

func (s *Service) relayerRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /relayers/relayer/register/", s.androidRegister)
	mux.HandleFunc("POST /relayers/relayer/sync/{id}/", s.androidSync)
}

type relayerBody struct {
	Cmds []map[string]any `json:"cmds"`
}

func relayerJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func relayerError(w http.ResponseWriter, status, id int, msg string) {
	relayerJSON(w, status, map[string]any{"error_id": id, "error": msg, "cmds": []any{}})
}

func cmdStr(c map[string]any, key string) string {
	switch v := c[key].(type) {
	case string:
		return v
	case float64:
		return fmt.Sprint(int64(v))
	}
	return ""
}

func cmdInt(c map[string]any, key string) (int64, bool) {
	v, ok := c[key].(float64)
	return int64(v), ok
}

const secretChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randomString(n int, chars string) string {
	b := make([]byte, n)
	for i := range b {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(chars))))
		b[i] = chars[k.Int64()]
	}
	return string(b)
}

// androidRegister answers a phone's registration: {"cmds":[{"cmd":"fcm","fcm_id","uuid"},
// {"cmd":"status","cc","dev"}]} with {"cmds":[{"cmd":"reg","relayer_claim_code",
// "relayer_secret","relayer_id"}]}. A phone registering again gets a new secret and code.
func (s *Service) androidRegister(w http.ResponseWriter, r *http.Request) {
	var body relayerBody
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&body); err != nil || len(body.Cmds) < 2 {
		relayerError(w, http.StatusBadRequest, 4, "body must be JSON with an fcm and a status command")
		return
	}
	reg, status := body.Cmds[0], body.Cmds[1]
	fcmID, uuid := cmdStr(reg, "fcm_id"), strings.ToLower(cmdStr(reg, "uuid"))
	if fcmID == "" || uuid == "" {
		if cmdStr(reg, "gcm_id") != "" {
			// The old GCM app: RapidPro answers with a registration that cannot sync.
			relayerJSON(w, http.StatusOK, map[string]any{"cmds": []any{map[string]any{"cmd": "reg",
				"relayer_claim_code": "*********", "relayer_secret": strings.Repeat("0", 64), "relayer_id": -1}}})
			return
		}
		relayerError(w, http.StatusBadRequest, 4, "can't create an Android channel without uuid and fcm_id")
		return
	}
	if !uuidRE.MatchString(uuid) {
		relayerError(w, http.StatusBadRequest, 4, "uuid must be a UUID")
		return
	}
	ch, cfg, err := s.androidRegistration(r.Context(), uuid, fcmID, strings.ToUpper(cmdStr(status, "cc")), cmdStr(status, "dev"))
	if err != nil {
		var inv *runtime.InvalidError
		if errors.As(err, &inv) {
			status := http.StatusBadRequest
			if strings.HasPrefix(inv.Msg, "too many") {
				status = http.StatusServiceUnavailable
			}
			relayerError(w, status, 4, inv.Msg)
			return
		}
		s.Log.Error("android registration", "error", err)
		relayerError(w, http.StatusInternalServerError, 4, "registration could not be stored")
		return
	}
	relayerJSON(w, http.StatusOK, map[string]any{"cmds": []any{androidReg(ch, cfg)}})
}

func androidReg(ch *store.Channel, cfg Config) map[string]any {
	return map[string]any{"cmd": "reg", "relayer_claim_code": cfg.Str("claim_code"), "relayer_secret": cfg.Str("secret"),
		"relayer_id": ch.ID}
}

// androidRegistration creates the phone's unclaimed channel (workspace 0), or renews the
// secret and claim code of its channel when the phone registers again.
func (s *Service) androidRegistration(ctx context.Context, uuid, fcmID, country, device string) (*store.Channel, Config, error) {
	t := registry["A"]
	ch, err := s.RT.Store.GetChannel(ctx, uuid)
	switch {
	case errors.Is(err, store.ErrNotFound):
		ch = nil
	case err != nil:
		return nil, nil, err
	case !ch.Deleted && ch.Type != "A":
		return nil, nil, &runtime.InvalidError{Msg: "uuid belongs to another channel"}
	case ch.Deleted:
		// A released channel gives its UUID up to the phone, as RapidPro lets it.
		ch.UUID = runtime.NewUUID()
		if err := s.RT.Store.SaveChannel(ctx, ch); err != nil {
			return nil, nil, err
		}
		ch = nil
	}
	cfg := Config{}
	if ch == nil {
		unclaimed, err := s.RT.Store.ListChannels(ctx, 0)
		if err != nil {
			return nil, nil, err
		}
		if len(unclaimed) >= maxUnclaimedAndroid {
			return nil, nil, &runtime.InvalidError{Msg: "too many Android phones are waiting to be claimed"}
		}
		name := device
		if len([]rune(name)) > 64 {
			name = string([]rune(name)[:64])
		}
		if name == "" {
			name = "Android"
		}
		ch = &store.Channel{UUID: uuid, Type: "A", Name: name, Country: country, Schemes: t.Schemes, Roles: []string{"send", "receive"}}
	} else if cfg, err = OpenConfig(s.Box, t, ch); err != nil {
		return nil, nil, err
	}
	cfg["fcm_id"], cfg["device"] = fcmID, device
	cfg["secret"] = randomString(64, secretChars)
	cfg["claim_code"] = randomString(9, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
	if ch.WorkspaceID != 0 {
		delete(cfg, "claim_code") // claimed already: the code is only for claiming
	}
	if country != "" {
		ch.Country = country
	}
	if ch.Config, err = SealConfig(s.Box, t, ch.UUID, cfg); err != nil {
		return nil, nil, err
	}
	if err := s.RT.Store.SaveChannel(ctx, ch); err != nil {
		return nil, nil, err
	}
	s.RT.Invalidate(ch.WorkspaceID)
	return ch, cfg, nil
}

// ClaimAndroid moves the phone that registered with code into a workspace.
func (s *Service) ClaimAndroid(ctx context.Context, workspaceID int64, code string) (*store.Channel, error) {
	as, ok := s.RT.Store.(androidStore)
	if !ok {
		return nil, errors.New("the store cannot claim channels")
	}
	unclaimed, err := s.RT.Store.ListChannels(ctx, 0)
	if err != nil {
		return nil, err
	}
	t := registry["A"]
	code = strings.ToUpper(strings.TrimSpace(code))
	for _, ch := range unclaimed {
		if ch.Type != "A" || code == "" {
			continue
		}
		cfg, err := OpenConfig(s.Box, t, ch)
		if err != nil || cfg.Str("claim_code") != code {
			continue
		}
		delete(cfg, "claim_code")
		sealed, err := SealConfig(s.Box, t, ch.UUID, cfg)
		if err != nil {
			return nil, err
		}
		if err := as.ClaimChannel(ctx, ch.ID, workspaceID, sealed); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				break // claimed by someone else meanwhile
			}
			return nil, err
		}
		ch.WorkspaceID, ch.Config = workspaceID, sealed
		s.RT.Invalidate(workspaceID)
		return ch, nil
	}
	return nil, &runtime.InvalidError{Msg: fmt.Sprintf("no Android phone is waiting to be claimed with code %q", code)}
}
