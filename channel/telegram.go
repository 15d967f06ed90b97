package channel

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"careflow/runtime"
	"careflow/store"
)

// Telegram (TG) (runtime.md §8.6): Bot API updates in, sendMessage and friends out. When the
// channel has a secret_token (given to setWebhook), updates must carry it.
func init() {
	Register(&Type{Code: "TG", Path: "tg", Name: "Telegram", Schemes: []string{"telegram"}, MaxLength: 4096,
		Secrets: []string{"auth_token", "secret_token"}, Required: []string{"auth_token"},
		Actions: map[string]ReceiveFunc{"receive": telegramReceive}, Send: telegramSend})
}

const telegramDefaultBase = "https://api.telegram.org"

type tgFile struct {
	FileID   string `json:"file_id"`
	MimeType string `json:"mime_type"`
}

type tgUpdate struct {
	UpdateID int64 `json:"update_id"`
	Message  *struct {
		MessageID int64 `json:"message_id"`
		From      *struct {
			ID        int64  `json:"id"`
			FirstName string `json:"first_name"`
			LastName  string `json:"last_name"`
			Username  string `json:"username"`
		} `json:"from"`
		Date     int64    `json:"date"`
		Text     string   `json:"text"`
		Caption  string   `json:"caption"`
		Photo    []tgFile `json:"photo"`
		Video    *tgFile  `json:"video"`
		Voice    *tgFile  `json:"voice"`
		Document *tgFile  `json:"document"`
		Sticker  *tgFile  `json:"sticker"`
		Location *struct {
			Latitude  float64 `json:"latitude"`
			Longitude float64 `json:"longitude"`
		} `json:"location"`
		Contact *struct {
			PhoneNumber string `json:"phone_number"`
		} `json:"contact"`
	} `json:"message"`
}

func tgBase(cfg Config) string {
	return strings.TrimRight(cfg.StrOr("base_url", telegramDefaultBase), "/")
}

func telegramReceive(q *Request) {
	if secret := q.Config.Str("secret_token"); secret != "" {
		got := q.R.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			q.Error(http.StatusUnauthorized, "invalid secret token")
			return
		}
	}
	var u tgUpdate
	if !q.JSON(&u) {
		return
	}
	if u.UpdateID == 0 {
		q.Error(http.StatusBadRequest, "field 'update_id' required")
		return
	}
	m := u.Message
	if m == nil || m.From == nil {
		q.Ignored("ignoring request, no message")
		return
	}
	urn := "telegram:" + strconv.FormatInt(m.From.ID, 10)
	if m.Text == "/start" {
		q.ReceiveEvent(urn, runtime.EventNewConversation, nil)
		return
	}
	name := strings.TrimSpace(m.From.FirstName + " " + m.From.LastName)
	if name == "" {
		name = m.From.Username
	}
	in := &Incoming{URN: urn, Name: name, Text: m.Text, ExternalID: strconv.FormatInt(m.MessageID, 10)}
	if m.Date > 0 {
		in.ReceivedOn = time.Unix(m.Date, 0).UTC()
	}
	if in.Text == "" {
		in.Text = m.Caption
	}
	if m.Contact != nil && in.Text == "" {
		in.Text = m.Contact.PhoneNumber
	}
	var files []tgFile
	if len(m.Photo) > 0 {
		files = append(files, m.Photo[len(m.Photo)-1]) // the largest size
	}
	for _, f := range []*tgFile{m.Video, m.Voice, m.Document, m.Sticker} {
		if f != nil {
			files = append(files, *f)
		}
	}
	for _, f := range files {
		// The file's URL carries the bot token, so the file is fetched and kept now; a file
		// that cannot be fetched is left out rather than stored with the token in its link.
		media, err := telegramFile(q, f)
		if err != nil {
			q.svc.Log.Warn("telegram file not fetched", "channel", q.Channel.UUID, "error", err)
			continue
		}
		in.Media = append(in.Media, media)
	}
	if m.Location != nil {
		in.Attachments = append(in.Attachments, fmt.Sprintf("geo:%f,%f", m.Location.Latitude, m.Location.Longitude))
	}
	if entry, ok := q.ReceiveMsg(in); ok {
		q.AcceptMsgs(entry)
	}
}

func telegramFile(q *Request, f tgFile) (Media, error) {
	ctx, cancel := context.WithTimeout(q.R.Context(), mediaFetchTimeout)
	defer cancel()
	base, token := tgBase(q.Config), q.Config.Str("auth_token")
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/bot"+token+"/getFile?file_id="+url.QueryEscape(f.FileID), nil)
	resp, err := q.svc.Client.Do(req)
	if err != nil {
		return Media{}, errors.New("getFile failed")
	}
	defer resp.Body.Close()
	var ans struct {
		OK     bool `json:"ok"`
		Result struct {
			FilePath string `json:"file_path"`
		} `json:"result"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxProviderAnswer)).Decode(&ans); err != nil || !ans.OK || ans.Result.FilePath == "" {
		return Media{}, errors.New("getFile gave no file path")
	}
	m, err := q.fetchMedia(ctx, base+"/file/bot"+token+"/"+ans.Result.FilePath)
	if err != nil {
		return Media{}, errors.New("file download failed")
	}
	if f.MimeType != "" && (m.ContentType == "" || m.ContentType == "application/octet-stream") {
		m.ContentType = f.MimeType
	}
	return m, nil
}

type tgButton struct {
	Text string `json:"text"`
}

func telegramSend(s *Send) Result {
	cfg := s.Config
	base := tgBase(cfg) + "/bot" + cfg.Str("auth_token") + "/"
	markup := `{"remove_keyboard":true}`
	if len(s.Msg.QuickReplies) > 0 {
		rows := make([][]tgButton, len(s.Msg.QuickReplies))
		for i, qr := range s.Msg.QuickReplies {
			rows[i] = []tgButton{{Text: qr}}
		}
		b, _ := json.Marshal(map[string]any{"keyboard": rows, "resize_keyboard": true, "one_time_keyboard": true})
		markup = string(b)
	}
	chat := s.Path()
	atts := s.Attachments()
	text := s.Msg.Text
	var first string
	call := func(method string, form url.Values) Result {
		form.Set("chat_id", chat)
		req, _ := http.NewRequest(http.MethodPost, base+method, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		status, body, err := s.Do(req)
		if err != nil {
			return Errored("connection failed")
		}
		var ans struct {
			OK          bool   `json:"ok"`
			Description string `json:"description"`
			Result      struct {
				MessageID int64 `json:"message_id"`
			} `json:"result"`
		}
		_ = json.Unmarshal(body, &ans)
		switch {
		case status == http.StatusForbidden && (strings.Contains(ans.Description, "bot was blocked by the user") ||
			strings.Contains(ans.Description, "user is deactivated")):
			return Result{Status: store.MsgFailed, Reason: "contact blocked the bot", StopContact: true}
		case status == http.StatusTooManyRequests:
			return Throttle()
		case status >= 500:
			return Errored("provider answered HTTP " + strconv.Itoa(status))
		case !ans.OK:
			return Failed("provider refused: " + ans.Description)
		}
		if first == "" {
			first = strconv.FormatInt(ans.Result.MessageID, 10)
		}
		return Wired(first)
	}
	// One attachment takes the text as its caption; otherwise the text goes first.
	if len(atts) != 1 && text != "" {
		for _, part := range s.Parts(text) {
			if r := call("sendMessage", url.Values{"text": {part}, "parse_mode": {"Markdown"}, "reply_markup": {markup}}); r.Status != store.MsgWired {
				return r
			}
		}
		text = ""
	}
	for _, a := range atts {
		method, field := "sendDocument", "document"
		switch {
		case strings.HasPrefix(a.ContentType, "image/"):
			method, field = "sendPhoto", "photo"
		case strings.HasPrefix(a.ContentType, "video/"):
			method, field = "sendVideo", "video"
		case strings.HasPrefix(a.ContentType, "audio/"):
			method, field = "sendAudio", "audio"
		}
		form := url.Values{field: {a.URL}, "reply_markup": {markup}}
		if text != "" {
			form.Set("caption", text)
			text = ""
		}
		if r := call(method, form); r.Status != store.MsgWired {
			return r
		}
	}
	return Wired(first)
}
