package api

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// PageSize is RapidPro's fixed page size; clients cannot change it.
const PageSize = 250

// cursorKey is a position in a list's order: a time in ms or a string, then an ID.
type cursorKey struct {
	M  int64  `json:"m,omitempty"`
	S  string `json:"s,omitempty"`
	ID int64  `json:"i,omitempty"`
}

// cursor is the opaque "cursor" parameter: a position and the direction to read from it.
type cursor struct {
	Key  cursorKey `json:"k"`
	Back bool      `json:"b,omitempty"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// pageReq is the page a request asks for.
type pageReq struct {
	at   *cursor // nil: the first page
	size int
}

func (c *call) pageReq() (pageReq, error) {
	pr := pageReq{size: PageSize}
	raw := c.r.URL.Query().Get("cursor")
	if raw == "" {
		return pr, nil
	}
	var cur cursor
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || len(b) > 512 || json.Unmarshal(b, &cur) != nil {
		return pr, errDetail(http.StatusNotFound, "Invalid cursor")
	}
	pr.at = &cur
	return pr, nil
}

// back reports whether the page is read backwards from the cursor (a "previous" link).
func (p pageReq) back() bool { return p.at != nil && p.at.Back }

// page writes the list envelope. items are in display order and at most the page size;
// keys are their positions; more says whether the read found items beyond them in the
// direction it read.
func (c *call) page(items []any, keys []cursorKey, more bool, pr pageReq) error {
	var next, prev any
	if len(items) > 0 {
		first, last := keys[0], keys[len(keys)-1]
		if pr.back() {
			next = c.link(cursor{Key: last})
			if more {
				prev = c.link(cursor{Key: first, Back: true})
			}
		} else {
			if more {
				next = c.link(cursor{Key: last})
			}
			if pr.at != nil {
				prev = c.link(cursor{Key: first, Back: true})
			}
		}
	}
	if items == nil {
		items = []any{}
	}
	return c.ok(http.StatusOK, map[string]any{"next": next, "previous": prev, "results": items})
}

// pageForward writes a page of a list read only forwards (newest first): its "previous" is
// null, as the store cannot read these lists backwards.
func (c *call) pageForward(items []any, keys []cursorKey, more bool) error {
	var next any
	if more && len(keys) > 0 {
		next = c.link(cursor{Key: keys[len(keys)-1]})
	}
	if items == nil {
		items = []any{}
	}
	return c.ok(http.StatusOK, map[string]any{"next": next, "previous": nil, "results": items})
}

// link is this request's absolute URL with every filter kept and the cursor replaced.
func (c *call) link(cur cursor) string {
	q := c.r.URL.Query()
	q.Set("cursor", cur.encode())
	return c.api.baseURL(c.r) + c.r.URL.Path + "?" + q.Encode()
}

// baseURL is the configured public URL, or the scheme and host the request came to.
func (a *API) baseURL(r *http.Request) string {
	if a.PublicURL != "" {
		return strings.TrimSuffix(a.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
		scheme = p
	}
	u := url.URL{Scheme: scheme, Host: r.Host}
	return u.String()
}

// slicePage pages an in-memory list already in display order (small lists: flows, groups,
// fields, globals, channels), keyed by position.
func (c *call) slicePage(all []any, keyOf func(i int) cursorKey) error {
	pr, err := c.pageReq()
	if err != nil {
		return err
	}
	// Positions are found by key, so a list that changed between pages continues where the
	// last item was rather than at a shifted offset.
	idx := func(k cursorKey) int {
		for i := range all {
			if keyOf(i) == k {
				return i
			}
		}
		return -1
	}
	start, end := 0, len(all)
	if pr.at != nil {
		i := idx(pr.at.Key)
		if i < 0 {
			return c.page(nil, nil, false, pr)
		}
		if pr.back() {
			end = i
			start = max(0, end-pr.size)
		} else {
			start = i + 1
		}
	}
	if !pr.back() {
		end = min(len(all), start+pr.size)
	}
	more := end < len(all)
	if pr.back() {
		more = start > 0
	}
	keys := make([]cursorKey, 0, end-start)
	for i := start; i < end; i++ {
		keys = append(keys, keyOf(i))
	}
	return c.page(all[start:end], keys, more, pr)
}
