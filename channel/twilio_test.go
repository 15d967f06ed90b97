package channel_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"careflow/channel"
	. "careflow/internal/testserver"
	"careflow/store"
)

func twilioSign(s *Server, path, token string, form url.Values) string {
	host := strings.TrimPrefix(s.Base, "http://")
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	data := "https://" + host + path
	for _, k := range keys {
		data += k + form.Get(k)
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(data))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// TestTwilio: signed webhooks in (TwiML answer, media kept, retries ignored, bad signatures
// refused), sends out with basic auth and a status callback, provider answers mapped
// (throttling, server errors, opt-outs), delivery reports applied.
func TestTwilio(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		fake := newFakeProvider(t)
		var sends atomic.Int32
		fake.setAnswer(func(r fakeReq) (int, string) {
			if strings.HasPrefix(r.Path, "/media/") {
				return 200, "JPEGDATA"
			}
			switch n := sends.Add(1); {
			case n == 1:
				return 429, `{"code":20429,"message":"Too Many Requests"}`
			case strings.Contains(r.Form.Get("Body"), "Red it is"):
				return 400, `{"code":21610,"message":"Attempt to send to unsubscribed recipient"}`
			default:
				return 201, `{"sid":"SM` + string(rune('a'+n)) + `"}`
			}
		})
		ch := addChannel(t, s, channel.ChannelSpec{Type: "T", Address: "+250788383383", Country: "RW", TPS: channel.Unlimited,
			Config: channel.Config{"account_sid": "AC123", "auth_token": "tok-secret-9", "base_url": fake.URL}})
		withFlow(t, s, "fav")
		path := "/c/t/" + ch.UUID + "/receive"
		in := url.Values{"MessageSid": {"SMin1"}, "AccountSid": {"AC123"}, "From": {"+250788000001"}, "To": {"+250788383383"},
			"Body": {"fav"}, "NumMedia": {"1"}, "MediaUrl0": {fake.URL + "/media/pic.jpg"}}

		// unsigned and badly signed: refused, nothing stored
		for _, sig := range []string{"", "bm90IGl0"} {
			status, out, _ := post(t, s, path, "application/x-www-form-urlencoded", in.Encode(), map[string]string{"X-Twilio-Signature": sig})
			if status != 400 || errText(out) != "invalid request signature" {
				t.Fatalf("signature %q: %d %v", sig, status, out)
			}
		}
		if n := len(msgs(t, s, true)); n != 0 {
			t.Fatalf("refused webhook stored %d", n)
		}
		sig := map[string]string{"X-Twilio-Signature": twilioSign(s, path, "tok-secret-9", in)}
		for range 2 { // Twilio retries: the second is acknowledged and ignored
			status, _, raw := post(t, s, path, "application/x-www-form-urlencoded", in.Encode(), sig)
			if status != 200 || !strings.Contains(raw, "<Response/>") {
				t.Fatalf("receive: %d %s", status, raw)
			}
		}
		got := msgs(t, s, true)
		if len(got) != 1 || len(got[0].Attachments) != 1 || !strings.Contains(got[0].Attachments[0], "/c/media/") {
			t.Fatalf("incoming: %+v", got)
		}
		mediaURL := strings.SplitN(got[0].Attachments[0], ":", 2)[1]
		status, body := s.Do("GET", strings.TrimPrefix(mediaURL, s.Base), nil, nil, "", "")
		if status != 200 || string(body) != "JPEGDATA" {
			t.Fatalf("kept media: %d %q", status, body)
		}
		if user, pass, ok := basicAuth(fake.wait(t, 1)[0]); !ok || user != "AC123" || pass != "tok-secret-9" {
			t.Fatalf("media fetched without the account's credentials")
		}

		// the question: throttled once, then taken
		reqs := fake.wait(t, 3)
		q := reqs[2]
		if q.Path != "/2010-04-01/Accounts/AC123/Messages.json" || q.Form.Get("To") != "+250788000001" ||
			q.Form.Get("From") != "+250788383383" || !strings.HasPrefix(q.Form.Get("Body"), "What is your favourite colour?") {
			t.Fatalf("send: %+v", q)
		}
		if user, pass, ok := basicAuth(q); !ok || user != "AC123" || pass != "tok-secret-9" {
			t.Fatal("send without basic auth")
		}
		cb, err := url.Parse(q.Form.Get("StatusCallback"))
		if err != nil || cb.Query().Get("action") != "callback" {
			t.Fatalf("status callback: %q", q.Form.Get("StatusCallback"))
		}
		uuid := cb.Query().Get("uuid")
		if m := waitStatus(t, s, uuid, store.MsgWired); m.ExternalID == "" {
			t.Fatalf("no sid kept: %+v", m)
		}
		st := url.Values{"MessageSid": {"SMc"}, "MessageStatus": {"delivered"}, "To": {"+250788000001"}}
		cbPath := cb.Path + "?" + cb.RawQuery
		status, out, _ := post(t, s, cbPath, "application/x-www-form-urlencoded", st.Encode(),
			map[string]string{"X-Twilio-Signature": twilioSign(s, cbPath, "tok-secret-9", st)})
		if status != 200 || out["message"] != "Status Update Accepted" {
			t.Fatalf("status: %d %v", status, out)
		}
		waitStatus(t, s, uuid, store.MsgDelivered)

		// the answer's reply meets an opted-out number: failed, contact stopped
		in2 := url.Values{"MessageSid": {"SMin2"}, "AccountSid": {"AC123"}, "From": {"+250788000001"}, "To": {"+250788383383"}, "Body": {"red"}}
		post(t, s, path, "application/x-www-form-urlencoded", in2.Encode(), map[string]string{"X-Twilio-Signature": twilioSign(s, path, "tok-secret-9", in2)})
		fake.wait(t, 4)
		failed := findMsg(t, s, func(m *store.Msg) bool { return m.Status == store.MsgFailed })
		if failed.FailedReason != "contact opted out" {
			t.Fatalf("opt-out: %+v", failed)
		}
	})
}

func basicAuth(r fakeReq) (string, string, bool) {
	h := r.Header.Get("Authorization")
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(h, "Basic "))
	if err != nil || !strings.HasPrefix(h, "Basic ") {
		return "", "", false
	}
	u, p, ok := strings.Cut(string(raw), ":")
	return u, p, ok
}

// TestTwilioWhatsApp: the WhatsApp flavour reads and writes whatsapp: addresses.
func TestTwilioWhatsApp(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		fake := newFakeProvider(t)
		fake.setAnswer(func(r fakeReq) (int, string) { return 201, `{"sid":"SMwa1"}` })
		ch := addChannel(t, s, channel.ChannelSpec{Type: "TWA", Address: "+15551230000", TPS: channel.Unlimited,
			Config: channel.Config{"account_sid": "AC9", "auth_token": "wa-tok-1", "base_url": fake.URL}})
		withFlow(t, s, "fav")
		path := "/c/twa/" + ch.UUID + "/receive"
		in := url.Values{"MessageSid": {"SMw1"}, "AccountSid": {"AC9"}, "From": {"whatsapp:+250788000001"},
			"To": {"whatsapp:+15551230000"}, "Body": {"fav"}}
		status, _, raw := post(t, s, path, "application/x-www-form-urlencoded", in.Encode(),
			map[string]string{"X-Twilio-Signature": twilioSign(s, path, "wa-tok-1", in)})
		if status != 200 || !strings.Contains(raw, "<Response/>") {
			t.Fatalf("receive: %d %s", status, raw)
		}
		if got := msgs(t, s, true); len(got) != 1 || got[0].URN != "whatsapp:250788000001" {
			t.Fatalf("incoming: %+v", got)
		}
		q := fake.wait(t, 1)[0]
		if q.Form.Get("To") != "whatsapp:+250788000001" || q.Form.Get("From") != "whatsapp:+15551230000" {
			t.Fatalf("send: %v", q.Form)
		}
	})
}
