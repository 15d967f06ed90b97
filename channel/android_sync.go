package channel

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"careflow/runtime"
	"careflow/store"
)

// androidSync answers POST /relayers/relayer/sync/<id>/?ts=<epoch s>&signature=<sig>, where
// the signature is base64url(HMAC-SHA256(secret + ts, body)), as RapidPro's sync view does:
// the phone's commands are applied in order, those handled are acknowledged by their p_id,
// and the queued messages follow as mt_bcast commands.
func (s *Service) androidSync(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRelayerBody))
	if err != nil {
		relayerError(w, http.StatusRequestEntityTooLarge, 4, "body larger than 1 MB")
		return
	}
	as, ok := s.RT.Store.(androidStore)
	if !ok {
		relayerError(w, http.StatusInternalServerError, 4, "the store cannot find channels by id")
		return
	}
	ch, err := as.GetChannelByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (ch.Deleted || ch.Type != "A")) {
		// An unknown relayer is told to release itself.
		relayerJSON(w, http.StatusOK, map[string]any{"cmds": []any{map[string]any{"cmd": "rel", "relayer_id": id}}})
		return
	}
	if err != nil {
		s.Log.Error("android sync", "error", err)
		relayerError(w, http.StatusInternalServerError, 4, "channel could not be read")
		return
	}
	cfg, err := OpenConfig(s.Box, registry["A"], ch)
	if err != nil || cfg.Str("secret") == "" {
		relayerError(w, http.StatusUnauthorized, 4, "Can't sync unclaimed channel")
		return
	}
	ts := r.URL.Query().Get("ts")
	sent, err := strconv.ParseInt(ts, 10, 64)
	if now := s.RT.Clock.Now().Unix(); err != nil || sent < now-15*60 || sent > now+15*60 {
		relayerError(w, http.StatusUnauthorized, 3, "Old Request")
		return
	}
	mac := hmac.New(sha256.New, []byte(cfg.Str("secret")+ts))
	mac.Write(body)
	want := base64.URLEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(r.URL.Query().Get("signature")), []byte(want)) {
		relayerError(w, http.StatusUnauthorized, 1, "Invalid signature")
		return
	}
	var in relayerBody
	if len(bytes.TrimSpace(body)) > 0 {
		if json.Unmarshal(body, &in) != nil || len(in.Cmds) == 0 || cmdStr(in.Cmds[0], "cmd") != "fcm" {
			relayerError(w, http.StatusUnauthorized, 4, "Missing FCM command")
			return
		}
		if len(in.Cmds) > maxRelayerCmds {
			relayerError(w, http.StatusBadRequest, 4, "at most 1000 commands per sync")
			return
		}
	}
	if ch.WorkspaceID == 0 {
		if len(in.Cmds) > 0 && cmdStr(in.Cmds[0], "uuid") == ch.UUID {
			relayerJSON(w, http.StatusOK, map[string]any{"cmds": []any{androidReg(ch, cfg)}})
			return
		}
		relayerError(w, http.StatusUnauthorized, 4, "Can't sync unclaimed channel")
		return
	}
	out, err := s.androidCommands(ctx, ch, cfg, in.Cmds)
	if err != nil {
		s.Log.Error("android sync", "channel", ch.UUID, "error", err)
		relayerError(w, http.StatusInternalServerError, 4, "sync failed")
		return
	}
	relayerJSON(w, http.StatusOK, map[string]any{"cmds": out})
}

// androidStatuses are the phone's reports on the messages it was given.
var androidStatuses = map[string]string{"mt_sent": store.MsgSent, "mt_dlvd": store.MsgDelivered,
	"mt_error": store.MsgErrored, "mt_fail": store.MsgFailed}

// androidCommands applies a sync's commands and returns the answer's: acknowledgements, then
// the messages to send.
func (s *Service) androidCommands(ctx context.Context, ch *store.Channel, cfg Config, cmds []map[string]any) ([]any, error) {
	out := []any{}
	held := map[int64]bool{} // messages the phone holds already (status: pending, retry)
	calls := map[string]bool{}
	released := false
	for _, c := range cmds {
		handled := false
		var extra map[string]any
		keyword := cmdStr(c, "cmd")
		at := time.UnixMilli(0)
		if ms, ok := cmdInt(c, "ts"); ok {
			at = time.UnixMilli(ms)
		}
		if msgID, ok := cmdInt(c, "msg_id"); ok {
			if msgID < 0 {
				msgID += 1 << 32 // the app's 32-bit ids
			}
			var err error
			if handled, err = s.androidStatus(ctx, ch, msgID, keyword); err != nil {
				return nil, err
			}
		} else {
			switch keyword {
			case "mo_sms":
				phone, text := cmdStr(c, "phone"), cmdStr(c, "msg")
				if phone != "" && text != "" {
					acc, err := s.receiveOnce(ctx, ch, "p"+cmdStr(c, "p_id")+"@"+cmdStr(c, "ts"), gatewayURN(phone), text, at, "/relayers/relayer/sync")
					if err != nil && !errors.Is(err, runtime.ErrInvalid) {
						return nil, err
					}
					if acc != nil && acc.MsgID != 0 {
						extra = map[string]any{"msg_id": acc.MsgID}
					}
				}
				handled = true
			case "call":
				phone, typ := cmdStr(c, "phone"), cmdStr(c, "type")
				key := cmdStr(c, "ts") + "|" + typ + "|" + phone
				if phone != "" && !calls[key] && (typ == runtime.EventMissedCall || typ == runtime.EventIncomingCall) {
					calls[key] = true
					in := &runtime.Inbound{WorkspaceID: ch.WorkspaceID, ChannelUUID: ch.UUID, URN: gatewayURN(phone),
						Country: ch.Country, Event: typ, ReceivedOn: at, Extra: map[string]string{"duration": cmdStr(c, "dur")}}
					if _, err := s.RT.Receive(ctx, in); err != nil && !errors.Is(err, runtime.ErrInvalid) {
						return nil, err
					}
				}
				handled = true // outgoing calls (mt_call, mt_miss) are acknowledged and not recorded
			case "fcm":
				if id := cmdStr(c, "fcm_id"); id != "" && id != cfg.Str("fcm_id") {
					cfg["fcm_id"] = id
					if err := s.saveAndroidConfig(ctx, ch, cfg); err != nil {
						return nil, err
					}
				}
			case "reset":
				ch.Deleted, released = true, true
				if err := s.RT.Store.SaveChannel(ctx, ch); err != nil {
					return nil, err
				}
				s.RT.Invalidate(ch.WorkspaceID)
				handled = true
			case "status":
				for _, key := range []string{"pending", "retry"} {
					ids, _ := c[key].([]any)
					for _, v := range ids {
						if f, ok := v.(float64); ok {
							held[int64(f)] = true
						}
					}
				}
			}
		}
		if pid, ok := c["p_id"]; ok && handled {
			ack := map[string]any{"p_id": pid, "cmd": "ack"}
			if extra != nil {
				ack["extra"] = extra
			}
			out = append(out, ack)
		}
	}
	if released {
		return out, nil
	}
	bcasts, err := s.androidOutgoing(ctx, ch, held)
	if err != nil {
		return nil, err
	}
	return append(out, bcasts...), nil
}

// androidStatus applies the phone's report on message id; it reports whether the command
// was handled (the message is the channel's).
func (s *Service) androidStatus(ctx context.Context, ch *store.Channel, id int64, keyword string) (bool, error) {
	m, err := s.RT.Store.GetMsg(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && m.ChannelUUID != ch.UUID) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	status, ok := androidStatuses[keyword]
	if m.Incoming || !ok {
		return true, nil
	}
	// Reports never move a message back, and an error only counts while it waits to be sent.
	if m.Status == store.MsgFailed || (status != store.MsgErrored && statusRank[status] <= statusRank[m.Status]) ||
		(status == store.MsgErrored && statusRank[m.Status] > 0) {
		return true, nil
	}
	now := s.RT.Clock.Now()
	u := store.MsgStatusUpdate{ID: m.ID, Status: status, Now: now}
	if status == store.MsgErrored {
		if m.ErrorCount+1 >= maxErrors {
			u.Status, u.FailedReason = store.MsgFailed, "error limit"
		} else {
			next := now.Add(retryBackoff * time.Duration(m.ErrorCount+1))
			u.NextAttempt = &next
		}
	}
	s.addLog(nil, &store.ChannelLog{WorkspaceID: ch.WorkspaceID, ChannelUUID: ch.UUID, MsgUUID: m.UUID,
		Type: "msg_status", Method: "POST", URL: "/relayers/relayer/sync", Request: "cmd=" + keyword})
	return true, s.RT.Store.UpdateMsgStatuses(ctx, []store.MsgStatusUpdate{u})
}

// androidOutgoing lists the channel's queued messages the phone does not hold yet, as
// mt_bcast commands: consecutive messages with the same text share one command. A message
// stays queued, and is offered again, until the phone reports on it.
func (s *Service) androidOutgoing(ctx context.Context, ch *store.Channel, held map[int64]bool) ([]any, error) {
	now := s.RT.Clock.Now()
	// A lease that ends now keeps the messages offered to the next sync too.
	msgs, err := s.RT.Store.ClaimOutgoing(ctx, ch.UUID, s.RT.Owner(), now, now.Add(-time.Millisecond), maxRelayerOutgoing+len(held))
	if err != nil {
		return nil, err
	}
	out := []any{}
	var text string
	var to []any
	flush := func() {
		if len(to) > 0 {
			out = append(out, map[string]any{"cmd": "mt_bcast", "to": to, "msg": text})
		}
		to = nil
	}
	n := 0
	for _, m := range msgs {
		if held[m.ID] || n >= maxRelayerOutgoing {
			continue
		}
		n++
		sc := &Send{Msg: m, Type: registry["A"]}
		t := sc.TextFallback(false, false)
		if t != text {
			flush()
			text = t
		}
		to = append(to, map[string]any{"phone": sc.Path(), "id": m.ID})
	}
	flush()
	return out, nil
}

func (s *Service) saveAndroidConfig(ctx context.Context, ch *store.Channel, cfg Config) error {
	sealed, err := SealConfig(s.Box, registry["A"], ch.UUID, cfg)
	if err != nil {
		return err
	}
	ch.Config = sealed
	if err := s.RT.Store.SaveChannel(ctx, ch); err != nil {
		return err
	}
	s.RT.Invalidate(ch.WorkspaceID)
	return nil
}
