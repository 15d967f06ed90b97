package channel_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"careflow/channel"
	. "careflow/internal/testserver"
	"careflow/store"
)

// relayer plays RapidPro's Android relayer app: it registers, then syncs with signed posts.
type relayer struct {
	t      *testing.T
	s      *Server
	id     int64
	secret string
	code   string
	pid    int
}

type relayerAnswer struct {
	Cmds []map[string]any `json:"cmds"`
}

func (r *relayer) register(uuid string) {
	r.t.Helper()
	body := `{"cmds":[{"cmd":"fcm","fcm_id":"FCM-1","uuid":"` + uuid + `"},{"cmd":"status","cc":"RW","dev":"Nexus 5X"}]}`
	status, resp := r.s.Do("POST", "/relayers/relayer/register/", map[string]string{"Content-Type": "application/json"}, []byte(body), "", "")
	var a relayerAnswer
	if status != 200 || json.Unmarshal(resp, &a) != nil || len(a.Cmds) != 1 || a.Cmds[0]["cmd"] != "reg" {
		r.t.Fatalf("register: %d %s", status, resp)
	}
	r.id, r.secret, r.code = int64(a.Cmds[0]["relayer_id"].(float64)), a.Cmds[0]["relayer_secret"].(string), a.Cmds[0]["relayer_claim_code"].(string)
	if len(r.secret) != 64 || len(r.code) != 9 || r.id <= 0 {
		r.t.Fatalf("registration: %s", resp)
	}
}

// sync posts cmds (after the fcm command every sync starts with), signed with secret.
func (r *relayer) sync(uuid, secret string, ts int64, cmds ...map[string]any) (int, relayerAnswer) {
	r.t.Helper()
	all := append([]map[string]any{{"cmd": "fcm", "fcm_id": "FCM-1", "uuid": uuid}}, cmds...)
	body, _ := json.Marshal(map[string]any{"cmds": all})
	tss := fmt.Sprint(ts)
	mac := hmac.New(sha256.New, []byte(secret+tss))
	mac.Write(body)
	q := url.Values{"ts": {tss}, "signature": {base64.URLEncoding.EncodeToString(mac.Sum(nil))}}
	status, resp := r.s.Do("POST", fmt.Sprintf("/relayers/relayer/sync/%d/?%s", r.id, q.Encode()),
		map[string]string{"Content-Type": "application/json"}, body, "", "")
	var a relayerAnswer
	if err := json.Unmarshal(resp, &a); err != nil {
		r.t.Fatalf("sync answer %d %s: %v", status, resp, err)
	}
	return status, a
}

func (r *relayer) cmd(c map[string]any) map[string]any {
	r.pid++
	c["p_id"] = r.pid
	return c
}

// TestAndroidRelay: a relayer phone registers, is claimed into the workspace, hands in an SMS
// (once, however often it posts it), is given the flow's reply as mt_bcast, reports it sent
// and delivered; unsigned, stale or unclaimed syncs are refused.
func TestAndroidRelay(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		withFlow(t, s, "fav")
		ctx := context.Background()
		test := *s.Channel
		test.Deleted = true
		if err := s.Srv.Runtime.Store.SaveChannel(ctx, &test); err != nil {
			t.Fatal(err)
		}
		s.Srv.Runtime.Invalidate(s.Workspace.ID)

		const uuid = "3a1c2b4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
		r := &relayer{t: t, s: s}
		r.register(uuid)
		now := time.Now().Unix()

		// before the claim: the same phone is given its registration again, others refused
		if _, a := r.sync(uuid, r.secret, now); len(a.Cmds) != 1 || a.Cmds[0]["cmd"] != "reg" {
			t.Fatalf("unclaimed sync: %+v", a)
		}
		if status, _ := r.sync("00000000-0000-4000-8000-000000000000", r.secret, now); status != 401 {
			t.Fatalf("unclaimed sync of another uuid: %d", status)
		}
		if _, err := s.Srv.Channels.ClaimAndroid(ctx, s.Workspace.ID, "WRONGCODE"); err == nil {
			t.Fatal("claimed with a wrong code")
		}
		ch, err := s.Srv.Channels.ClaimAndroid(ctx, s.Workspace.ID, strings.ToLower(r.code))
		if err != nil || ch.UUID != uuid || ch.Country != "RW" {
			t.Fatalf("claim: %+v %v", ch, err)
		}

		// bad syncs change nothing
		if status, a := r.sync(uuid, "wrong-secret", now); status != 401 || a.Cmds == nil {
			t.Fatalf("bad signature: %d", status)
		}
		if status, _ := r.sync(uuid, r.secret, now-3600); status != 401 {
			t.Fatalf("stale sync: %d", status)
		}

		// the phone hands in an SMS, twice (its first answer was lost)
		mo := r.cmd(map[string]any{"cmd": "mo_sms", "phone": "0788000001", "msg": "fav", "ts": time.Now().UnixMilli()})
		r.sync(uuid, r.secret, now, mo)
		_, a := r.sync(uuid, r.secret, now, mo, map[string]any{"cmd": "status", "p_sts": "DIS", "pending": []any{}, "retry": []any{}})
		if a.Cmds[0]["cmd"] != "ack" || a.Cmds[0]["p_id"].(float64) != 1 {
			t.Fatalf("ack: %+v", a)
		}
		in := msgs(t, s, true)
		if len(in) != 1 || in[0].URN != "tel:+250788000001" || in[0].Text != "fav" || in[0].ChannelUUID != uuid {
			t.Fatalf("incoming: %+v", in)
		}

		// the flow's question comes back as mt_bcast
		var bcast map[string]any
		deadline := time.Now().Add(15 * time.Second)
		for bcast == nil {
			_, a = r.sync(uuid, r.secret, time.Now().Unix())
			for _, c := range a.Cmds {
				if c["cmd"] == "mt_bcast" {
					bcast = c
				}
			}
			if bcast == nil && time.Now().After(deadline) {
				t.Fatal("no mt_bcast")
			}
			time.Sleep(100 * time.Millisecond)
		}
		to := bcast["to"].([]any)[0].(map[string]any)
		if bcast["msg"] != "What is your favourite colour?\n\nRed\nBlue" || to["phone"] != "+250788000001" {
			t.Fatalf("mt_bcast: %+v", bcast)
		}
		msgID := int64(to["id"].(float64))

		// the phone says it holds it: not given again; then it reports sent and delivered
		_, a = r.sync(uuid, r.secret, time.Now().Unix(), map[string]any{"cmd": "status", "pending": []any{msgID}})
		if len(a.Cmds) != 0 {
			t.Fatalf("a held message was given again: %+v", a)
		}
		_, a = r.sync(uuid, r.secret, time.Now().Unix(),
			r.cmd(map[string]any{"cmd": "mt_sent", "msg_id": msgID, "ts": time.Now().UnixMilli()}),
			r.cmd(map[string]any{"cmd": "mt_dlvd", "msg_id": msgID, "ts": time.Now().UnixMilli()}),
			r.cmd(map[string]any{"cmd": "mt_sent", "msg_id": 999999999, "ts": time.Now().UnixMilli()}))
		if len(a.Cmds) != 2 { // the unknown message is not acknowledged
			t.Fatalf("status acks: %+v", a)
		}
		out := msgs(t, s, false)
		if len(out) != 1 || out[0].Status != store.MsgDelivered || out[0].SentOn == nil {
			t.Fatalf("outgoing after reports: %+v", out[0])
		}

		// a missed call reaches the runtime as an event; reset releases the channel
		r.sync(uuid, r.secret, time.Now().Unix(), r.cmd(map[string]any{"cmd": "call", "phone": "0788000001", "type": "mo_miss", "ts": time.Now().UnixMilli(), "dur": 0}))
		_, a = r.sync(uuid, r.secret, time.Now().Unix(), r.cmd(map[string]any{"cmd": "reset"}))
		if len(a.Cmds) != 1 || a.Cmds[0]["cmd"] != "ack" {
			t.Fatalf("reset: %+v", a)
		}
		if _, a = r.sync(uuid, r.secret, time.Now().Unix()); len(a.Cmds) != 1 || a.Cmds[0]["cmd"] != "rel" {
			t.Fatalf("after reset: %+v", a)
		}

		// registration input is checked; a live channel's uuid is not taken over
		ex := addChannel(t, s, channel.ChannelSpec{Type: "EX", Address: "2020", Country: "RW", Config: channel.Config{"send_url": "http://127.0.0.1:1/"}})
		for _, body := range []string{`{"cmds":[]}`, `{"cmds":[{"cmd":"fcm","uuid":"x"},{"cmd":"status"}]}`, `not json`,
			`{"cmds":[{"cmd":"fcm","fcm_id":"F","uuid":"` + ex.UUID + `"},{"cmd":"status"}]}`} {
			status, resp := s.Do("POST", "/relayers/relayer/register/", nil, []byte(body), "", "")
			if status != 400 || !strings.Contains(string(resp), `"error"`) {
				t.Errorf("register %s: %d %s", body, status, resp)
			}
		}
	})
}
