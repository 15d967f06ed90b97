package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"careflow/internal/testserver"
)

// waitJS polls a JavaScript condition until it is true.
func waitJS(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(tctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		shot(t, ctx, "failed-"+strings.ReplaceAll(what, " ", "-"))
		t.Fatalf("waiting for %s (%s): %v", what, cond, err)
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

// dragTo drags with the mouse from one point to another, in steps, as jsPlumb needs.
func dragTo(ctx context.Context, x0, y0, x1, y1 float64) error {
	steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x0, y0),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x0, y0, chromedp.ButtonLeft, chromedp.ClickCount(1))}
	for i := 1; i <= 10; i++ {
		f := float64(i) / 10
		steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x0+(x1-x0)*f, y0+(y1-y0)*f, chromedp.ButtonLeft), chromedp.Sleep(30*time.Millisecond))
	}
	steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x1, y1, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	return chromedp.Do(ctx, steps...)
}

const findByText = `(function(text){
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) { const f = walk(el.shadowRoot); if (f) return f; }
      if ([...el.children].every(c => c.textContent.trim() === '') && el.textContent.trim() === text && el.getClientRects().length > 0) return el;
    }
    return null;
  };
  return walk(document) !== null;
})`

const clickByText = `(function(text){
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) { const f = walk(el.shadowRoot); if (f) return f; }
      if ([...el.children].every(c => c.textContent.trim() === '') && el.textContent.trim() === text && el.getClientRects().length > 0) return el;
    }
    return null;
  };
  const el = walk(document);
  if (!el) return false;
  el.click();
  return true;
})`

// TestBrowserReactEditor signs in, loads the React editor on an imported flow, adds a node by
// dragging from a free exit and writing its message, saves it, sees it again after a reload, and talks to the flow
// in the simulator through its wait and its webhook.
func TestBrowserReactEditor(t *testing.T) {
	ctx := browser(t)
	s, f, hits, mode := setup(t, "sqlite", true)
	signIn(t, ctx, s, "/flow/editor/"+f.UUID+"/")
	waitJS(t, ctx, "the imported flow", `document.querySelectorAll('.flow_node').length === 4`)
	shot(t, ctx, "editor-react-loaded")

	// a free exit (one going nowhere): drag it to empty canvas to make a new node
	pos := evalJS[[]float64](t, ctx, `(function(){
	  const free = [...document.querySelectorAll('.plumb-exit')].map(e => e.querySelector('[class*=endpoint]') || e)
	    .filter(e => !e.className.includes('jtk-connected'));
	  const r = free.map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.bottom < window.innerHeight - 80)[0];
	  return [r.left + r.width/2, r.top + r.height/2];
	})()`)
	if err := dragTo(ctx, pos[0], pos[1], pos[0]+450, pos[1]-100); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the new node's dialog", `(`+findByText+`)('Ok')`)
	// the editor proposes a message: write it
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(727, 400), chromedp.KeyEvent("Goodbye from the browser")); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "editor-react-new-node")
	if !evalJS[bool](t, ctx, `(`+clickByText+`)('Ok')`) {
		shot(t, ctx, "failed-ok")
		t.Fatal("no Ok button")
	}
	waitJS(t, ctx, "five nodes", `document.querySelectorAll('.flow_node').length === 5`)
	deadline := time.Now().Add(15 * time.Second)
	for {
		sf, err := s.Srv.Runtime.Store.GetFlow(ctx, s.Workspace.ID, f.UUID)
		if err != nil {
			t.Fatal(err)
		}
		if sf.Revision >= 2 && strings.Contains(string(sf.Definition), "Goodbye from the browser") {
			break
		}
		if time.Now().After(deadline) {
			shot(t, ctx, "failed-save")
			t.Fatalf("not saved: revision %d", sf.Revision)
		}
		time.Sleep(200 * time.Millisecond)
	}
	shot(t, ctx, "editor-react-saved")

	// reload: the node is there
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the saved flow", `document.querySelectorAll('.flow_node').length === 5`)
	shot(t, ctx, "editor-react-reloaded")

	// the simulator: start, answer the wait, the webhook answers
	if !evalJS[bool](t, ctx, `(`+clickByText+`)('Run in Simulator')`) {
		t.Fatal("no simulator tab")
	}
	waitJS(t, ctx, "the first message", `document.querySelector('#simulator').innerText.includes('Hi! What is your name?')`)
	time.Sleep(500 * time.Millisecond) // the phone slides in
	if err := chromedp.Do(ctx, chromedp.SendKeys(`#simulator input[type=text]`, "Bob\r")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the webhook's answer", `document.querySelector('#simulator').innerText.includes('Thanks Bob, you are number 42')`)
	shot(t, ctx, "simulator-react")
	if hits.Load() != 1 || mode.Load() != "simulation" {
		t.Fatalf("webhook: %d calls, mode %q", hits.Load(), mode.Load())
	}
	_ = testserver.UUID
}
