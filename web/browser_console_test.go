package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserConsole signs in, opens every console page (screenshots for review, one on a
// phone-sized window), and signs out.
func TestBrowserConsole(t *testing.T) {
	ctx := browser(t)
	s, f, _, _ := setup(t, "sqlite", true)
	s.Srv.Runtime.Store.SaveTrigger(t.Context(), triggerFor(s, f.UUID))
	s.Srv.Runtime.Invalidate(s.Workspace.ID)
	p := s.Phone("+250788000003")
	p.Send("join")
	p.Expect(1)
	p.Send("Ann")
	p.Expect(1)
	s.Idle()
	contacts, _ := s.Srv.Runtime.Store.ScanContacts(t.Context(), s.Workspace.ID, 0, 1)

	signIn(t, ctx, s, "/")
	pages := []struct{ name, path, want string }{
		{"home", "/", "Workspaces"},
		{"flows", "/flow/", "Register"},
		{"results", "/flow/results/" + f.UUID + "/", "Ann"},
		{"contacts", "/contact/", "250788000003"},
		{"contacts-search", "/contact/?search=" + url.QueryEscape(`tel = "+250788000003"`), "250788000003"},
		{"contact-history", "/contact/read/" + contacts[0].UUID + "/", "Hi! What is your name?"},
		{"groups", "/contact/groups/", "Groups"},
		{"fields", "/contact/fields/", "Contact fields"},
		{"messages", "/msg/", "Ann"},
		{"outbox", "/msg/?folder=outbox", "Thanks Ann"},
		{"triggers", "/trigger/", "join"},
		{"campaigns", "/campaign/", "Campaigns"},
		{"channels", "/channels/", "Channels"},
		{"channel-logs", "/channels/?channel=" + s.Channel.UUID, "Logs"},
		{"globals", "/globals/", "@globals.api"},
		{"webhooks", "/webhooks/", "/register"},
		{"cht-users", "/cht/users/", "admin"},
		{"cht-outbound", "/cht/outbound/", "Outbound pushes"},
		{"cht-settings", "/cht/settings/", "Outbound push configs"},
	}
	for _, pg := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(s.Base+pg.path)); err != nil {
			t.Fatal(err)
		}
		text := evalJS[string](t, ctx, `document.body.innerText`)
		if !strings.Contains(text, pg.want) {
			shot(t, ctx, "failed-"+pg.name)
			t.Fatalf("%s: %q not on the page", pg.path, pg.want)
		}
		shot(t, ctx, "console-"+pg.name)
	}
	// a phone's screen
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(s.Base+"/contact/")); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "console-contacts-phone")
	if w := evalJS[float64](t, ctx, `document.documentElement.scrollWidth`); w > 400 {
		t.Fatalf("the contacts page is %vpx wide on a 390px screen", w)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, 900), chromedp.Click("#logout")); err != nil {
		t.Fatal(err)
	}
	waitPage(t, ctx, "/users/login/")
	shot(t, ctx, "signed-out")
	if err := chromedp.Do(ctx, chromedp.Navigate(s.Base+"/flow/")); err != nil {
		t.Fatal(err)
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.Contains(loc, "/users/login/") {
		t.Fatalf("after signing out /flow/ shows %s", loc)
	}
}
