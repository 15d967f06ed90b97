package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"careflow/internal/testserver"
	"careflow/store"
)

// TestContactsSearchPaging: a search on the contacts page pages through its matches by ID
// (50 a page, then the rest from the "Next page" link) and shows no contact it doesn't match.
func TestContactsSearchPaging(t *testing.T) {
	testserver.Backends(t, func(t *testing.T, backend string) {
		s, _, _, _ := setup(t, backend, true)
		var urns []store.NewContactURN
		for i := range 70 {
			name := fmt.Sprintf("Contact %d", i)
			if i%7 == 3 {
				name = fmt.Sprintf("Other %d", i)
			}
			urns = append(urns, store.NewContactURN{Identity: fmt.Sprintf("tel:+2507880%05d", i), Name: name})
		}
		if _, _, err := s.Srv.Runtime.Store.GetOrCreateContacts(t.Context(), s.Workspace.ID, urns, time.Now()); err != nil {
			t.Fatal(err)
		}
		se := newSession(t, s)
		if st := se.signIn(s.Admin); st != 303 {
			t.Fatalf("sign in: %d", st)
		}
		row := regexp.MustCompile(`<a href="/contact/read/[^"]+/">([^<]+)</a>`)
		next := regexp.MustCompile(`href="(/contact/\?search=[^"]*after=\d+)"`)
		path := "/contact/?search=" + url.QueryEscape(`name ~ "contact"`)
		var pages [][]string
		for path != "" {
			st, body := se.get(strings.ReplaceAll(path, "&amp;", "&"))
			if st != 200 {
				t.Fatalf("%s: %d", path, st)
			}
			var names []string
			for _, m := range row.FindAllStringSubmatch(body, -1) {
				names = append(names, m[1])
			}
			pages = append(pages, names)
			path = ""
			if m := next.FindStringSubmatch(body); m != nil {
				path = m[1]
			}
		}
		if len(pages) != 2 || len(pages[0]) != 50 || len(pages[1]) != 10 {
			t.Fatalf("pages of %d", len(pages))
		}
		if pages[0][0] != "Contact 0" || pages[1][9] != "Contact 69" {
			t.Fatalf("first %q, last %q", pages[0][0], pages[1][9])
		}
		for _, p := range pages {
			for _, n := range p {
				if !strings.HasPrefix(n, "Contact ") {
					t.Fatalf("%q shown for name ~ contact", n)
				}
			}
		}
	})
}
