package web_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"careflow/internal/testserver"
	"careflow/store"
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
	camp, event := campaignWithFires(t, s, f, 8)
	if _, err := s.Srv.Runtime.CreateResthook(t.Context(), s.Workspace.ID, "new-registration"); err != nil {
		t.Fatal(err)
	}
	if err := s.Srv.Runtime.Subscribe(t.Context(), &store.ResthookSubscriber{WorkspaceID: s.Workspace.ID, Resthook: "new-registration",
		TargetURL: "https://hooks.example.com/catch/1234567/abcdefg/"}); err != nil {
		t.Fatal(err)
	}

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
		{"resthooks", "/resthooks/", "https://hooks.example.com/catch/1234567/abcdefg/"},
		{"cht-users", "/cht/users/", "admin"},
		{"cht-outbound", "/cht/outbound/", "Outbound pushes"},
		{"cht-settings", "/cht/settings/", "Outbound push configs"},
		{"campaign", "/campaign/read/" + camp.UUID + "/", "(8 pending)"},
		{"campaign-event", "/campaign/event/" + event.UUID + "/", "09:00 IST"},
		{"tokens", "/user/tokens/", "No tokens."},
		{"starts", "/flow/starts/", "No flow starts."},
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
	// a token made by clicking: its key shown once, in full
	if err := chromedp.Do(ctx, chromedp.Navigate(s.Base+"/user/tokens/"), chromedp.Click("#create-token button")); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#new-token", 40)
	shot(t, ctx, "console-token-created")
	// a flow started from its form for the Mothers group: the start's page follows it to the end
	err := chromedp.Do(ctx, chromedp.Navigate(s.Base+"/flow/start/"+f.UUID+"/"), chromedp.WaitVisible("#groups"),
		chromedp.SetValue("#query", `name ~ "Mother"`), chromedp.Click("#start-button"))
	if err != nil {
		t.Fatal(err)
	}
	waitPage(t, ctx, "/flow/starts/")
	shot(t, ctx, "console-start-running")
	deadline := time.Now().Add(30 * time.Second)
	// Between a reload's start and its body there is no body to read: that counts as not yet.
	for !strings.Contains(evalJS[string](t, ctx, `document.body ? document.body.innerText : ""`), "8 of 8 contacts") {
		if time.Now().After(deadline) {
			shot(t, ctx, "failed-start")
			t.Fatal("the start's page never showed 8 of 8 contacts")
		}
		time.Sleep(250 * time.Millisecond) // the page reloads itself every 2 s
	}
	shot(t, ctx, "console-start-completed")
	if err := chromedp.Do(ctx, chromedp.Navigate(s.Base+"/flow/starts/")); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "console-starts")
	// an import from the flows page: what it did, item by item
	export := filepath.Join(t.TempDir(), "export.json")
	if err := os.WriteFile(export, testserver.Export(&testserver.Flow{Name: "Survey", Nodes: []*testserver.Node{{Actions: []map[string]any{testserver.Say("Q1")}}}}), 0o644); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx, chromedp.Navigate(s.Base+"/flow/"), chromedp.SetUploadFiles(`#import input[type=file]`, []string{export}),
		chromedp.Click(`#import button`))
	if err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#import-changes", 10)
	shot(t, ctx, "console-import-report")

	// a phone's screen: nothing wider than the screen
	for _, pg := range []struct{ name, path string }{
		{"contacts", "/contact/"}, {"tokens", "/user/tokens/"}, {"campaign", "/campaign/read/" + camp.UUID + "/"},
		{"starts", "/flow/starts/"}, {"start-form", "/flow/start/" + f.UUID + "/"}, {"resthooks", "/resthooks/"},
	} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(s.Base+pg.path)); err != nil {
			t.Fatal(err)
		}
		shot(t, ctx, "console-"+pg.name+"-phone")
		if w := evalJS[float64](t, ctx, `document.documentElement.scrollWidth`); w > 400 {
			t.Fatalf("%s is %vpx wide on a 390px screen", pg.path, w)
		}
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

// waitText waits until the element shows at least n characters of text.
func waitText(t *testing.T, ctx context.Context, sel string, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(`+"`"+sel+"`"+`)||{}).innerText||""`))
		if err == nil && len(text) >= n {
			return
		}
		if time.Now().After(deadline) {
			shot(t, ctx, "failed-wait")
			t.Fatalf("%s never showed %d characters (%q, %v)", sel, n, text, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
