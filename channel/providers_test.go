package channel_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"

	"careflow/channel"
	. "careflow/internal/testserver"
	"careflow/store"
)

// TestVonage: receive (a retry ignored, a request without "to" ignored), the send request,
// throttling answered by a later retry, and delivery reports by the provider's id.
func TestVonage(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		fake := newFakeProvider(t)
		var n atomic.Int32
		fake.setAnswer(func(r fakeReq) (int, string) {
			if n.Add(1) == 1 {
				return 200, `{"messages":[{"status":"1","error-text":"Throughput Rate Exceeded"}]}`
			}
			return 200, `{"messages":[{"status":"0","message-id":"NX-` + r.Form.Get("client-ref")[:8] + `"}]}`
		})
		ch := addChannel(t, s, channel.ChannelSpec{Type: "NX", Address: "+250788383383", TPS: channel.Unlimited,
			Config: channel.Config{"api_key": "key1", "api_secret": "sec-ret-77", "base_url": fake.URL}})
		withFlow(t, s, "fav")
		base := "/c/nx/" + ch.UUID
		in := form("to", "250788383383", "msisdn", "250788000001", "text", "fav", "messageId", "NXin1")
		for range 2 {
			if status, out, _ := post(t, s, base+"/receive", "application/x-www-form-urlencoded", in, nil); status != 200 || out["message"] != "Message Accepted" {
				t.Fatalf("receive: %d %v", status, out)
			}
		}
		if status, out, _ := post(t, s, base+"/receive", "application/x-www-form-urlencoded", form("msisdn", "250788000001", "text", "x"), nil); status != 200 || out["message"] != "Ignored" {
			t.Fatalf("no to: %d %v", status, out)
		}
		reqs := fake.wait(t, 2)
		q := reqs[1]
		if q.Path != "/sms/json" || q.Form.Get("api_key") != "key1" || q.Form.Get("api_secret") != "sec-ret-77" ||
			q.Form.Get("to") != "250788000001" || q.Form.Get("from") != "250788383383" || q.Form.Get("status-report-req") != "1" ||
			!strings.HasSuffix(q.Form.Get("callback"), base+"/status") || !strings.Contains(q.Form.Get("text"), "Red\nBlue") {
			t.Fatalf("send: %+v", q.Form)
		}
		m := waitStatus(t, s, q.Form.Get("client-ref"), store.MsgWired)
		if status, out, _ := post(t, s, base+"/status", "application/x-www-form-urlencoded", form("messageId", m.ExternalID, "status", "delivered"), nil); status != 200 || out["message"] != "Status Update Accepted" {
			t.Fatalf("status: %d %v", status, out)
		}
		waitStatus(t, s, m.UUID, store.MsgDelivered)
		if n := len(msgs(t, s, true)); n != 1 {
			t.Fatalf("%d incoming, want 1", n)
		}
	})
}

// TestAfricasTalking: receive with all fields required, the send request with the API key
// header, delivery reports, an unknown status refused.
func TestAfricasTalking(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		fake := newFakeProvider(t)
		fake.setAnswer(func(r fakeReq) (int, string) {
			return 201, `{"SMSMessageData":{"Recipients":[{"status":"Success","messageId":"ATXid_1"}]}}`
		})
		ch := addChannel(t, s, channel.ChannelSpec{Type: "AT", Address: "20202", TPS: channel.Unlimited,
			Config: channel.Config{"username": "sandbox", "api_key": "atkey-secret", "send_url": fake.URL + "/version1/messaging"}})
		withFlow(t, s, "fav")
		base := "/c/at/" + ch.UUID
		status, out, _ := post(t, s, base+"/receive", "application/x-www-form-urlencoded", form("id", "AT1", "text", "fav", "from", "+250788000001"), nil)
		if status != 400 || !strings.Contains(errText(out), "'to'") {
			t.Fatalf("missing fields: %d %v", status, out)
		}
		in := form("id", "AT1", "text", "fav", "from", "+250788000001", "to", "20202", "date", "2017-05-03 06:04:45")
		if status, out, _ = post(t, s, base+"/callback", "application/x-www-form-urlencoded", in, nil); status != 200 {
			t.Fatalf("receive: %d %v", status, out)
		}
		q := fake.wait(t, 1)[0]
		if q.Header.Get("apikey") != "atkey-secret" || q.Form.Get("username") != "sandbox" || q.Form.Get("to") != "+250788000001" ||
			q.Form.Get("from") != "20202" || !strings.HasPrefix(q.Form.Get("message"), "What is your favourite colour?") {
			t.Fatalf("send: %+v %v", q.Form, q.Header)
		}
		sent := findMsg(t, s, func(m *store.Msg) bool { return m.ExternalID == "ATXid_1" })
		if status, out, _ = post(t, s, base+"/delivery", "application/x-www-form-urlencoded", form("id", "ATXid_1", "status", "Bogus"), nil); status != 400 {
			t.Fatalf("unknown status: %d %v", status, out)
		}
		if status, out, _ = post(t, s, base+"/status", "application/x-www-form-urlencoded", form("id", "ATXid_1", "status", "Success"), nil); status != 200 {
			t.Fatalf("status: %d %v", status, out)
		}
		waitStatus(t, s, sent.UUID, store.MsgDelivered)
	})
}

// TestTelegram: the secret token checked, /start as a new conversation, a photo fetched
// through getFile and kept, the reply keyboard from quick replies, a blocked bot stopping
// the contact.
func TestTelegram(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		fake := newFakeProvider(t)
		fake.setAnswer(func(r fakeReq) (int, string) {
			switch {
			case strings.HasSuffix(r.Path, "/getFile"):
				return 200, `{"ok":true,"result":{"file_path":"photos/p1.jpg"}}`
			case strings.Contains(r.Path, "/file/"):
				return 200, "PHOTO"
			case strings.Contains(r.Form.Get("text"), "it is!"):
				return 403, `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`
			}
			return 200, `{"ok":true,"result":{"message_id":77}}`
		})
		ch := addChannel(t, s, channel.ChannelSpec{Type: "TG", Address: "carebot", TPS: channel.Unlimited,
			Config: channel.Config{"auth_token": "123:tg-secret", "secret_token": "hook-secret", "base_url": fake.URL}})
		withFlow(t, s, "fav")
		path := "/c/tg/" + ch.UUID + "/receive"
		hdr := map[string]string{"X-Telegram-Bot-Api-Secret-Token": "hook-secret"}
		upd := func(id int, msg string) string {
			return `{"update_id":` + string(rune('0'+id)) + `,"message":` + msg + `}`
		}
		from := `"from":{"id":3527065,"first_name":"Nic","last_name":"Pottier","username":"nicpottier"}`
		if status, out, _ := post(t, s, path, "application/json", upd(1, `{"message_id":1,`+from+`,"date":1454119029,"text":"fav"}`), map[string]string{"X-Telegram-Bot-Api-Secret-Token": "wrong"}); status != 401 {
			t.Fatalf("wrong secret: %d %v", status, out)
		}
		if status, out, _ := post(t, s, path, "application/json", `{"message":{}}`, hdr); status != 400 {
			t.Fatalf("no update id: %d %v", status, out)
		}
		if status, out, _ := post(t, s, path, "application/json", upd(2, `{"message_id":2,`+from+`,"date":1454119029,"text":"/start"}`), hdr); status != 200 || out["message"] != "Event Accepted" {
			t.Fatalf("/start: %d %v", status, out)
		}
		status, out, _ := post(t, s, path, "application/json", upd(3, `{"message_id":3,`+from+`,"date":1454119029,"caption":"fav","photo":[{"file_id":"small"},{"file_id":"big"}]}`), hdr)
		if status != 200 || out["message"] != "Message Accepted" {
			t.Fatalf("photo: %d %v", status, out)
		}
		in := msgs(t, s, true)
		if len(in) != 1 || in[0].URN != "telegram:3527065" || len(in[0].Attachments) != 1 || strings.Contains(in[0].Attachments[0], "tg-secret") {
			t.Fatalf("incoming: %+v", in)
		}
		var send fakeReq
		for _, r := range fake.wait(t, 3) {
			if strings.HasSuffix(r.Path, "/sendMessage") {
				send = r
			}
		}
		if send.Path != "/bot123:tg-secret/sendMessage" || send.Form.Get("chat_id") != "3527065" ||
			send.Form.Get("text") != "What is your favourite colour?" || !strings.Contains(send.Form.Get("reply_markup"), `"keyboard":[[{"text":"Red"}]`) {
			t.Fatalf("send: %+v", send)
		}
		post(t, s, path, "application/json", upd(4, `{"message_id":4,`+from+`,"date":1454119030,"text":"red"}`), hdr)
		fake.wait(t, 4)
		failed := findMsg(t, s, func(m *store.Msg) bool { return m.Status == store.MsgFailed })
		if failed.FailedReason != "contact blocked the bot" {
			t.Fatalf("blocked: %+v", failed)
		}
	})
}

// TestWhatsAppCloud: webhook verification, signatures, a message and a delivery status in
// one webhook, reply buttons from quick replies, a duplicate webhook ignored.
func TestWhatsAppCloud(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		fake := newFakeProvider(t)
		fake.setAnswer(func(r fakeReq) (int, string) {
			return 200, `{"messaging_product":"whatsapp","messages":[{"id":"wamid.OUT1"}]}`
		})
		ch := addChannel(t, s, channel.ChannelSpec{Type: "WAC", Address: "+250788383383", TPS: channel.Unlimited,
			Config: channel.Config{"access_token": "wa-token-secret", "app_secret": "app-secret-1", "verify_token": "vt-1",
				"phone_number_id": "10001", "base_url": fake.URL}})
		withFlow(t, s, "fav")
		path := "/c/wac/" + ch.UUID + "/receive"
		status, body := s.Do("GET", path+"?hub.mode=subscribe&hub.verify_token=vt-1&hub.challenge=xyz", nil, nil, "", "")
		if status != 200 || string(body) != "xyz" {
			t.Fatalf("verify: %d %s", status, body)
		}
		if status, _ := s.Do("GET", path+"?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=xyz", nil, nil, "", ""); status != 403 {
			t.Fatalf("bad verify token: %d", status)
		}
		hook := func(value string) (string, map[string]string) {
			b := `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":` + value + `}]}]}`
			mac := hmac.New(sha256.New, []byte("app-secret-1"))
			mac.Write([]byte(b))
			return b, map[string]string{"X-Hub-Signature-256": "sha256=" + hex.EncodeToString(mac.Sum(nil))}
		}
		b, sig := hook(`{"contacts":[{"profile":{"name":"Ana"},"wa_id":"250788000001"}],"messages":[{"from":"250788000001","id":"wamid.IN1","timestamp":"1700000000","type":"text","text":{"body":"fav"}}]}`)
		if status, out, _ := post(t, s, path, "application/json", b, map[string]string{"X-Hub-Signature-256": "sha256=00"}); status != 401 {
			t.Fatalf("bad signature: %d %v", status, out)
		}
		for range 2 {
			if status, out, _ := post(t, s, path, "application/json", b, sig); status != 200 {
				t.Fatalf("receive: %d %v", status, out)
			}
		}
		q := fake.wait(t, 1)[0]
		var payload map[string]any
		_ = json.Unmarshal([]byte(q.Body), &payload)
		inter, _ := payload["interactive"].(map[string]any)
		if q.Path != "/10001/messages" || q.Header.Get("Authorization") != "Bearer wa-token-secret" || payload["to"] != "250788000001" ||
			payload["type"] != "interactive" || inter["type"] != "button" {
			t.Fatalf("send: %s %s", q.Path, q.Body)
		}
		m := waitStatus(t, s, payload["biz_opaque_callback_data"].(string), store.MsgWired)
		b, sig = hook(`{"statuses":[{"id":"wamid.OUT1","status":"read","recipient_id":"250788000001"}]}`)
		if status, out, _ := post(t, s, path, "application/json", b, sig); status != 200 {
			t.Fatalf("status: %d %v", status, out)
		}
		waitStatus(t, s, m.UUID, store.MsgRead)
		if n := len(msgs(t, s, true)); n != 1 {
			t.Fatalf("%d incoming, want 1", n)
		}
		if status, _, _ := post(t, s, path, "application/json", `{"entry":`, sig); status != 401 {
			t.Fatalf("malformed unsigned: %d", status)
		}
		bad, badSig := hook(`"not an object"`)
		if status, _, _ := post(t, s, path, "application/json", bad, badSig); status != 400 {
			t.Fatalf("malformed signed: %d", status)
		}
	})
}
