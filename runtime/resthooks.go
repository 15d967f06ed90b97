package runtime

import (
	"context"
	"errors"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"careflow/engine"
	"careflow/flow"
	"careflow/store"
)

// Bounds on resthooks. RapidPro has none; careflow bounds subscribers because every
// subscriber of a resthook is called inside the sprint of the contact whose flow reached it.
const (
	MaxResthooks           = 250
	MaxResthookSubscribers = 25
	MaxResthookSlugChars   = 50
	MaxTargetURLChars      = 200
	// ResthookEventRetention is how long resthook events are kept (RapidPro trims its
	// webhook events after 48 hours).
	ResthookEventRetention = 48 * time.Hour
)

var slugRE = regexp.MustCompile(`^[-a-zA-Z0-9_]+$`)

// NormalizeSlug checks a resthook slug as RapidPro's resthooks page does (letters, digits,
// underscores and hyphens, at most 50) and returns it trimmed and lower-cased, as RapidPro
// keeps it.
func NormalizeSlug(slug string) (string, error) {
	slug = strings.TrimSpace(slug)
	switch {
	case slug == "":
		return "", invalid("resthook: this field is required.")
	case len(slug) > MaxResthookSlugChars:
		return "", invalid("resthook: ensure this value has at most %d characters (it has %d).", MaxResthookSlugChars, len(slug))
	case !slugRE.MatchString(slug):
		return "", invalid("resthook: enter a valid slug consisting of letters, numbers, underscores or hyphens.")
	}
	return strings.ToLower(slug), nil
}

// ValidTargetURL reports whether a subscriber URL is one RapidPro's URL field takes and
// careflow's webhook service can call: http or https, a host that is a domain name with a
// top-level domain, localhost or an IP address, and an optional numeric port.
func ValidTargetURL(s string) bool {
	if s == "" || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return false
	}
	host := u.Hostname()
	if host == "localhost" || net.ParseIP(host) != nil {
		return true
	}
	labels := strings.Split(strings.TrimSuffix(host, "."), ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") ||
			strings.IndexFunc(l, func(r rune) bool { return r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
			return false
		}
	}
	tld := labels[len(labels)-1]
	return strings.HasPrefix(strings.ToLower(tld), "xn--") || strings.IndexFunc(tld, func(r rune) bool { return !unicode.IsLetter(r) }) < 0
}

// CreateResthook adds a resthook to a workspace; flows then call its subscribers.
func (r *Runtime) CreateResthook(ctx context.Context, wsID int64, slug string) (*store.Resthook, error) {
	slug, err := NormalizeSlug(slug)
	if err != nil {
		return nil, err
	}
	list, err := r.Store.ListResthooks(ctx, wsID)
	if err != nil {
		return nil, err
	}
	if len(list) >= MaxResthooks {
		return nil, invalid("a workspace has at most %d resthooks", MaxResthooks)
	}
	h := &store.Resthook{WorkspaceID: wsID, Slug: slug, CreatedOn: r.Clock.Now()}
	err = r.Store.CreateResthook(ctx, h)
	if errors.Is(err, store.ErrConflict) {
		return nil, invalid("resthook: this event name has already been used.")
	}
	if err != nil {
		return nil, err
	}
	r.Invalidate(wsID)
	return h, nil
}

// DeleteResthook removes a resthook and its subscribers; flows calling it then call no one.
func (r *Runtime) DeleteResthook(ctx context.Context, wsID int64, slug string) error {
	if err := r.Store.DeleteResthook(ctx, wsID, strings.ToLower(strings.TrimSpace(slug))); err != nil {
		return err
	}
	r.Invalidate(wsID)
	return nil
}

// Subscribe subscribes a URL to a resthook (sub.Resthook, a slug) of sub.WorkspaceID. Its
// errors name the fields as RapidPro's API does.
func (r *Runtime) Subscribe(ctx context.Context, sub *store.ResthookSubscriber) error {
	slug := strings.TrimSpace(sub.Resthook)
	if utf8.RuneCountInString(sub.TargetURL) > MaxTargetURLChars {
		return invalid("target_url: ensure this field has no more than %d characters.", MaxTargetURLChars)
	}
	if !ValidTargetURL(sub.TargetURL) {
		return invalid("target_url: enter a valid URL.")
	}
	subs, err := r.Store.ListResthookSubscribers(ctx, sub.WorkspaceID)
	if err != nil {
		return err
	}
	n := 0
	for _, s := range subs {
		if s.Resthook == slug {
			n++
		}
	}
	if n >= MaxResthookSubscribers {
		return invalid("a resthook has at most %d subscribers", MaxResthookSubscribers)
	}
	sub.Resthook = slug
	sub.CreatedOn = r.Clock.Now()
	err = r.Store.AddResthookSubscriber(ctx, sub)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return invalid("resthook: no resthook with slug: %s", slug)
	case errors.Is(err, store.ErrConflict):
		return invalid("URL is already subscribed to this event.")
	case err != nil:
		return err
	}
	r.Invalidate(sub.WorkspaceID)
	return nil
}

// Unsubscribe removes a subscriber by ID; ErrNotFound.
func (r *Runtime) Unsubscribe(ctx context.Context, wsID, id int64) error {
	if err := r.Store.RemoveResthookSubscriber(ctx, wsID, id); err != nil {
		return err
	}
	r.Invalidate(wsID)
	return nil
}

// loadResthooks reads a workspace's resthooks as the engine takes them, each subscriber list
// in URL order as mailroom loads it.
func loadResthooks(ctx context.Context, st Store, wsID int64) ([]*engine.Resthook, error) {
	hooks, err := st.ListResthooks(ctx, wsID)
	if err != nil || len(hooks) == 0 {
		return nil, err
	}
	subs, err := st.ListResthookSubscribers(ctx, wsID)
	if err != nil {
		return nil, err
	}
	out := make([]*engine.Resthook, 0, len(hooks))
	bySlug := map[string]*engine.Resthook{}
	for _, h := range hooks {
		eh := &engine.Resthook{Slug: h.Slug, Subscribers: []string{}}
		bySlug[h.Slug] = eh
		out = append(out, eh)
	}
	for _, s := range subs {
		if eh := bySlug[s.Resthook]; eh != nil {
			eh.Subscribers = append(eh.Subscribers, s.TargetURL)
		}
	}
	for _, eh := range out {
		slices.Sort(eh.Subscribers)
	}
	return out, nil
}

// ensureResthooks creates the resthooks an imported flow's call_resthook actions name that
// the workspace lacks, so outside systems can subscribe to them. RapidPro leaves that to its
// resthooks page; careflow creates them as it creates the globals a flow refers to. A slug
// RapidPro could not have made is skipped and reported.
func (r *Runtime) ensureResthooks(ctx context.Context, wsID int64, f *flow.Flow, res *ImportResult) error {
	var slugs []string
	for _, n := range f.Nodes {
		for _, a := range n.Actions {
			if ca, ok := a.(*flow.CallResthook); ok {
				slugs = append(slugs, ca.Resthook)
			}
		}
	}
	if len(slugs) == 0 {
		return nil
	}
	hooks, err := r.Store.ListResthooks(ctx, wsID)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, h := range hooks {
		have[h.Slug] = true
	}
	for _, raw := range slugs {
		slug, err := NormalizeSlug(raw)
		if err != nil {
			res.Skipped = append(res.Skipped, "resthook "+quote(raw)+" of flow "+quote(f.Name)+": not a valid slug")
			continue
		}
		if have[slug] {
			continue
		}
		if _, err := r.CreateResthook(ctx, wsID, slug); err != nil {
			if errors.Is(err, ErrInvalid) {
				res.Skipped = append(res.Skipped, "resthook "+quote(slug)+": "+err.Error())
				continue
			}
			return err
		}
		have[slug] = true
		res.Resthooks++
	}
	return nil
}

func quote(s string) string { return `"` + s + `"` }

// resthookTrimmer deletes resthook events past their retention, hourly.
func (r *Runtime) resthookTrimmer(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := r.Store.DeleteResthookEventsBefore(ctx, r.Clock.Now().Add(-ResthookEventRetention))
		if err != nil && ctx.Err() == nil {
			r.Log.Error("trimming resthook events", "error", err)
		} else if n > 0 {
			r.Log.Info("trimmed resthook events", "count", n)
		}
		if !sleep(ctx, time.Hour, nil) {
			return
		}
	}
}
