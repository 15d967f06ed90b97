package channel

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"careflow/store"
)

// Attachments a provider hands in are kept in the store and served to flows from
// /c/media/<uuid>, so a flow still reaches them after the provider's link expires or when the
// provider wants credentials to read them.

// maxMediaSize bounds one kept attachment.
const maxMediaSize = 20 << 20

// mediaFetchTimeout bounds fetching one attachment while the provider waits for our answer.
const mediaFetchTimeout = 15 * time.Second

func (q *Request) keepAttachments(ctx context.Context, in *Incoming) ([]string, error) {
	var out []string
	for _, m := range in.Media {
		u, err := q.saveMedia(ctx, m)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	for _, a := range in.Attachments {
		if strings.HasPrefix(a, "data:") {
			m, err := decodeDataURL(a)
			if err != nil {
				continue // a broken inline attachment is dropped, the message kept
			}
			u, err := q.saveMedia(ctx, m)
			if err != nil {
				return nil, err
			}
			out = append(out, u)
			continue
		}
		if !strings.HasPrefix(a, "http://") && !strings.HasPrefix(a, "https://") {
			out = append(out, a) // geo:..., or already "type:url"
			continue
		}
		m, err := q.fetchMedia(ctx, a)
		if err != nil {
			// Kept as the provider's link: the flow sees it, a person can still follow it.
			q.svc.Log.Warn("channel media not fetched", "channel", q.Channel.UUID, "error", err)
			out = append(out, guessType(a)+":"+a)
			continue
		}
		u, err := q.saveMedia(ctx, m)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

func (q *Request) saveMedia(ctx context.Context, m Media) (string, error) {
	if m.ContentType == "" {
		m.ContentType = http.DetectContentType(m.Data)
	}
	ct, _, _ := mime.ParseMediaType(m.ContentType)
	if ct == "" {
		ct = "application/octet-stream"
	}
	rec := &store.ChannelMedia{WorkspaceID: q.Channel.WorkspaceID, ChannelUUID: q.Channel.UUID, ContentType: ct, Data: m.Data}
	if err := q.svc.Store.SaveMedia(ctx, rec); err != nil {
		return "", err
	}
	base := strings.TrimRight(q.svc.PublicURL(), "/")
	if base == "" {
		scheme := "http"
		if q.R.TLS != nil || q.R.Header.Get("X-Forwarded-Proto") == "https" {
			scheme = "https"
		}
		base = scheme + "://" + q.R.Host
	}
	return ct + ":" + base + "/c/media/" + rec.UUID, nil
}

func (q *Request) fetchMedia(ctx context.Context, url string) (Media, error) {
	ctx, cancel := context.WithTimeout(ctx, mediaFetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Media{}, err
	}
	if q.Type.FetchAuth != nil {
		q.Type.FetchAuth(req, q.Config)
	}
	start := time.Now()
	resp, err := q.svc.Client.Do(req)
	l := &store.ChannelLog{WorkspaceID: q.Channel.WorkspaceID, ChannelUUID: q.Channel.UUID, Type: "media_fetch",
		Method: req.Method, URL: url, Request: dumpRequest(req, nil)}
	defer func() {
		l.ElapsedMS = int(time.Since(start).Milliseconds())
		q.svc.addLog(redactor(q.Type, q.Config), l)
	}()
	if err != nil {
		l.Error = err.Error()
		return Media{}, err
	}
	defer resp.Body.Close()
	l.StatusCode = resp.StatusCode
	l.Response = fmt.Sprintf("HTTP %d\nContent-Type: %s\n", resp.StatusCode, resp.Header.Get("Content-Type"))
	if resp.StatusCode/100 != 2 {
		return Media{}, fmt.Errorf("media %s: HTTP %d", url, resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxMediaSize+1))
	if err != nil {
		return Media{}, err
	}
	if len(data) > maxMediaSize {
		return Media{}, errors.New("media larger than 20 MB")
	}
	return Media{ContentType: resp.Header.Get("Content-Type"), Data: data}, nil
}

func decodeDataURL(s string) (Media, error) {
	head, data, ok := strings.Cut(strings.TrimPrefix(s, "data:"), ",")
	if !ok {
		return Media{}, errors.New("not a data URL")
	}
	ct, isB64 := strings.CutSuffix(head, ";base64")
	if !isB64 {
		return Media{ContentType: ct, Data: []byte(data)}, nil
	}
	b, err := base64.StdEncoding.DecodeString(data)
	if err != nil || len(b) > maxMediaSize {
		return Media{}, errors.New("bad data URL")
	}
	return Media{ContentType: ct, Data: b}, nil
}

func guessType(url string) string {
	i := strings.LastIndex(url, ".")
	if i >= 0 {
		if t := mime.TypeByExtension(strings.ToLower(url[i:])); t != "" {
			t, _, _ = mime.ParseMediaType(t)
			return t
		}
	}
	return "application/octet-stream"
}

// media serves a kept attachment. Its UUID is the capability: flows and the people they
// message follow these links without signing in, as they do a provider's media links.
func (s *Service) media(w http.ResponseWriter, r *http.Request) {
	m, err := s.Store.GetMedia(r.Context(), r.PathValue("uuid"))
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "media not found")
		return
	}
	if err != nil {
		s.Log.Error("channel media", "error", err)
		writeError(w, http.StatusInternalServerError, "media could not be read")
		return
	}
	w.Header().Set("Content-Type", m.ContentType)
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(m.Data)
}
