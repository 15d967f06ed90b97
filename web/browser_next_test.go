package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserNextEditor loads the imported flow in <temba-flow-editor>, edits a message in its
// dialog, lets the editor save, and sees the change after a reload.
func TestBrowserNextEditor(t *testing.T) {
	ctx := browser(t)
	s, f, _, _ := setup(t, "sqlite", true)
	signIn(t, ctx, s, "/flow/editor_next/"+f.UUID+"/")
	waitJS(t, ctx, "the imported flow", `document.querySelectorAll('temba-flow-node').length === 4`)
	shot(t, ctx, "editor-next-loaded")

	if err := chromedp.Do(ctx, chromedp.Click(`temba-flow-node .action.send_msg .action-content`)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	// put the cursor at the end of the message and add to it
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(700, 188), chromedp.KeyEvent("\ue010"), chromedp.KeyEvent(" Welcome!")); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "editor-next-dialog")
	// the dialog's Save (a temba-button drawn in the dialog's shadow tree)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(972, 470)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		sf, err := s.Srv.Runtime.Store.GetFlow(ctx, s.Workspace.ID, f.UUID)
		if err != nil {
			t.Fatal(err)
		}
		if sf.Revision >= 2 && strings.Contains(string(sf.Definition), "Hi! What is your name? Welcome!") {
			break
		}
		if time.Now().After(deadline) {
			shot(t, ctx, "failed-next-save")
			t.Fatalf("not saved: revision %d", sf.Revision)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the saved change", `[...document.querySelectorAll('temba-flow-node')].some(n => n.innerText.includes('Welcome!'))`)
	shot(t, ctx, "editor-next-reloaded")
}
