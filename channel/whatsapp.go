package channel

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"careflow/store"
)

// WhatsApp Cloud API (WAC): Meta's webhooks (verified with hub.verify_token, signed with the
// app secret in X-Hub-Signature-256) and the Graph API's /messages. Quick replies become reply
// buttons (up to 3) or a list (up to 10); beyond that, lines of text.
func init() {
	Register(&Type{Code: "WAC", Path: "wac", Name: "WhatsApp Cloud", Schemes: []string{"whatsapp"}, MaxLength: 4096,
		Secrets:  []string{"access_token", "app_secret", "verify_token"},
		Required: []string{"access_token", "app_secret", "phone_number_id"},
		Actions:  map[string]ReceiveFunc{"receive": whatsappReceive}, Send: whatsappSend})
}

const whatsappDefaultBase = "https://graph.facebook.com/v19.0"

func waBase(cfg Config) string {
	return strings.TrimRight(cfg.StrOr("base_url", whatsappDefaultBase), "/")
}

type waMedia struct {
	ID       string `json:"id"`
	MimeType string `json:"mime_type"`
	Caption  string `json:"caption"`
}

type waWebhook struct {
	Object string `json:"object"`
	Entry  []struct {
		Changes []struct {
			Field string `json:"field"`
			Value struct {
				Contacts []struct {
					Profile struct {
						Name string `json:"name"`
					} `json:"profile"`
					WaID string `json:"wa_id"`
				} `json:"contacts"`
				Messages []struct {
					From      string `json:"from"`
					ID        string `json:"id"`
					Timestamp string `json:"timestamp"`
					Type      string `json:"type"`
					Text      *struct {
						Body string `json:"body"`
					} `json:"text"`
					Button *struct {
						Text string `json:"text"`
					} `json:"button"`
					Interactive *struct {
						ButtonReply *struct {
							Title string `json:"title"`
						} `json:"button_reply"`
						ListReply *struct {
							Title string `json:"title"`
						} `json:"list_reply"`
					} `json:"interactive"`
					Image    *waMedia `json:"image"`
					Audio    *waMedia `json:"audio"`
					Video    *waMedia `json:"video"`
					Document *waMedia `json:"document"`
					Sticker  *waMedia `json:"sticker"`
					Location *struct {
						Latitude  float64 `json:"latitude"`
						Longitude float64 `json:"longitude"`
					} `json:"location"`
					Referral json.RawMessage `json:"referral"`
				} `json:"messages"`
				Statuses []struct {
					ID     string `json:"id"`
					Status string `json:"status"`
					Errors []struct {
						Code  int    `json:"code"`
						Title string `json:"title"`
					} `json:"errors"`
				} `json:"statuses"`
			} `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

var waStatuses = map[string]string{"sent": store.MsgSent, "delivered": store.MsgDelivered, "read": store.MsgRead,
	"failed": store.MsgFailed}

func whatsappReceive(q *Request) {
	if q.R.Method == http.MethodGet {
		// Meta's subscription check: answer the challenge when the verify token is ours.
		v := q.R.URL.Query()
		if v.Get("hub.mode") != "subscribe" || q.Config.Str("verify_token") == "" ||
			!hmac.Equal([]byte(v.Get("hub.verify_token")), []byte(q.Config.Str("verify_token"))) {
			q.Error(http.StatusForbidden, "verify token does not match")
			return
		}
		q.SetLogType("webhook_verify")
		q.Respond(http.StatusOK, "text/plain", v.Get("hub.challenge"))
		return
	}
	if !q.BodyOK() {
		return
	}
	mac := hmac.New(sha256.New, []byte(q.Config.Str("app_secret")))
	mac.Write(q.Body())
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(q.R.Header.Get("X-Hub-Signature-256")), []byte(want)) {
		q.Error(http.StatusUnauthorized, "invalid request signature")
		return
	}
	var hook waWebhook
	if !q.JSON(&hook) {
		return
	}
	var entries []map[string]any
	for _, e := range hook.Entry {
		for _, c := range e.Changes {
			names := map[string]string{}
			for _, ct := range c.Value.Contacts {
				names[ct.WaID] = ct.Profile.Name
			}
			for _, m := range c.Value.Messages {
				in := &Incoming{URN: "whatsapp:" + m.From, Name: names[m.From], ExternalID: m.ID}
				if ts, err := strconv.ParseInt(m.Timestamp, 10, 64); err == nil {
					in.ReceivedOn = time.Unix(ts, 0).UTC()
				}
				switch {
				case m.Text != nil:
					in.Text = m.Text.Body
				case m.Button != nil:
					in.Text = m.Button.Text
				case m.Interactive != nil && m.Interactive.ButtonReply != nil:
					in.Text = m.Interactive.ButtonReply.Title
				case m.Interactive != nil && m.Interactive.ListReply != nil:
					in.Text = m.Interactive.ListReply.Title
				}
				for _, md := range []*waMedia{m.Image, m.Audio, m.Video, m.Document, m.Sticker} {
					if md == nil {
						continue
					}
					if in.Text == "" {
						in.Text = md.Caption
					}
					media, err := whatsappMedia(q, md)
					if err != nil {
						q.svc.Log.Warn("whatsapp media not fetched", "channel", q.Channel.UUID, "error", err)
						continue
					}
					in.Media = append(in.Media, media)
				}
				if m.Location != nil {
					in.Attachments = append(in.Attachments, fmt.Sprintf("geo:%f,%f", m.Location.Latitude, m.Location.Longitude))
				}
				entry, ok := q.ReceiveMsg(in)
				if !ok {
					return
				}
				entries = append(entries, entry)
			}
			for _, st := range c.Value.Statuses {
				status, known := waStatuses[st.Status]
				if !known {
					continue
				}
				u := StatusUpdate{ExternalID: st.ID, Status: status}
				if len(st.Errors) > 0 {
					u.Reason = fmt.Sprintf("error %d: %s", st.Errors[0].Code, st.Errors[0].Title)
				}
				m, err := q.svc.Store.GetMsgByExternalID(q.R.Context(), q.Channel.UUID, st.ID, false)
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				if err != nil {
					q.Error(http.StatusInternalServerError, "status could not be stored")
					return
				}
				u.MsgUUID = m.UUID
				q.SetLogType("msg_status")
				if !q.applyStatus(m, u) {
					return
				}
				entries = append(entries, map[string]any{"type": "status", "channel_uuid": q.Channel.UUID,
					"status": statusCode[status], "external_id": st.ID})
			}
		}
	}
	if len(entries) == 0 {
		q.Ignored("no messages or statuses")
		return
	}
	writeJSON(q.W, http.StatusOK, courierBody{Message: "Events Handled", Data: entries})
}

func whatsappMedia(q *Request, md *waMedia) (Media, error) {
	ctx, cancel := context.WithTimeout(q.R.Context(), mediaFetchTimeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, waBase(q.Config)+"/"+md.ID, nil)
	req.Header.Set("Authorization", "Bearer "+q.Config.Str("access_token"))
	resp, err := q.svc.Client.Do(req)
	if err != nil {
		return Media{}, errors.New("media lookup failed")
	}
	defer resp.Body.Close()
	var ans struct {
		URL string `json:"url"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxProviderAnswer)).Decode(&ans); err != nil || ans.URL == "" {
		return Media{}, errors.New("media lookup gave no URL")
	}
	m, err := q.fetchMedia(ctx, ans.URL)
	if err != nil {
		return Media{}, err
	}
	if md.MimeType != "" {
		m.ContentType = md.MimeType
	}
	return m, nil
}

func whatsappSend(s *Send) Result {
	cfg := s.Config
	endpoint := waBase(cfg) + "/" + cfg.Str("phone_number_id") + "/messages"
	to := strings.TrimPrefix(s.Path(), "+")
	var first string
	post := func(payload map[string]any) Result {
		payload["messaging_product"], payload["recipient_type"], payload["to"] = "whatsapp", "individual", to
		payload["biz_opaque_callback_data"] = s.Msg.UUID
		body, _ := json.Marshal(payload)
		req, _ := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+cfg.Str("access_token"))
		status, resp, err := s.Do(req)
		if err != nil {
			return Errored("connection failed")
		}
		var ans struct {
			Messages []struct {
				ID string `json:"id"`
			} `json:"messages"`
			Error struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		_ = json.Unmarshal(resp, &ans)
		switch {
		case status == http.StatusTooManyRequests || ans.Error.Code == 130429 || ans.Error.Code == 131056:
			return Throttle()
		case status >= 500:
			return Errored("provider answered HTTP " + strconv.Itoa(status))
		case status/100 != 2 || len(ans.Messages) == 0:
			return Failed(fmt.Sprintf("provider refused: %d %s", ans.Error.Code, ans.Error.Message))
		}
		if first == "" {
			first = ans.Messages[0].ID
		}
		return Wired(first)
	}
	qrs := s.Msg.QuickReplies
	text := s.Msg.Text
	if len(qrs) > 10 {
		text, qrs = s.TextFallback(true, false), nil
	}
	parts := s.Parts(text)
	for i, a := range s.Attachments() {
		kind := "document"
		for _, k := range []string{"image", "video", "audio"} {
			if strings.HasPrefix(a.ContentType, k+"/") {
				kind = k
			}
		}
		media := map[string]any{"link": a.URL}
		if i == 0 && len(parts) == 1 && len(qrs) == 0 && kind != "audio" && text != "" {
			media["caption"], parts = text, nil
		}
		if r := post(map[string]any{"type": kind, kind: media}); r.Status != store.MsgWired {
			return r
		}
	}
	for i, part := range parts {
		payload := map[string]any{"type": "text", "text": map[string]any{"body": part, "preview_url": false}}
		if i == len(parts)-1 && len(qrs) > 0 {
			payload = map[string]any{"type": "interactive", "interactive": waInteractive(part, qrs)}
		}
		if r := post(payload); r.Status != store.MsgWired {
			return r
		}
	}
	return Wired(first)
}

func waInteractive(text string, qrs []string) map[string]any {
	if len(qrs) <= 3 {
		buttons := make([]map[string]any, len(qrs))
		for i, q := range qrs {
			buttons[i] = map[string]any{"type": "reply", "reply": map[string]any{"id": strconv.Itoa(i), "title": q}}
		}
		return map[string]any{"type": "button", "body": map[string]any{"text": text}, "action": map[string]any{"buttons": buttons}}
	}
	rows := make([]map[string]any, len(qrs))
	for i, q := range qrs {
		rows[i] = map[string]any{"id": strconv.Itoa(i), "title": q}
	}
	return map[string]any{"type": "list", "body": map[string]any{"text": text},
		"action": map[string]any{"button": "Menu", "sections": []map[string]any{{"rows": rows}}}}
}
