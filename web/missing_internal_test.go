package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A build without the npm files still serves the editor page, saying how to get them.
func TestEditorPageWithoutAssets(t *testing.T) {
	saved := vendored
	vendored = func() bool { return false }
	defer func() { vendored = saved }()
	w := &Web{pages: parsePages()}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/flow/editor/x/", nil)
	w.render(rec, req, "editor.html", "Flow", "flows", &editorData{})
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "not in this build") || !strings.Contains(body, "npm ci") || strings.Contains(body, "temba-components.js") {
		t.Fatalf("%d %s", rec.Code, body)
	}
}
