package outbound

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestSenderSuccessRuleAndRedirects(t *testing.T) {
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen = append(seen, r.Method+" "+r.URL.Path+" "+string(b))
		switch r.URL.Path {
		case "/ok":
			w.WriteHeader(201)
		case "/temporary":
			http.Redirect(w, r, "/ok", http.StatusTemporaryRedirect) // re-POSTs the body
		case "/found":
			http.Redirect(w, r, "/ok", http.StatusFound) // becomes a GET without body
		case "/not-modified":
			w.WriteHeader(304)
		case "/multiple":
			w.WriteHeader(300)
		case "/retry":
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(503)
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			io.WriteString(w, `{"error":"bad","token":"secret"}`)
		}
	}))
	defer srv.Close()
	cases := []struct {
		path    string
		status  int
		err     string
		request []string
	}{
		{"/ok", 201, "", []string{"POST /ok {}"}},
		{"/temporary", 201, "", []string{"POST /temporary {}", "POST /ok {}"}},
		{"/found", 201, "", []string{"POST /found {}", "GET /ok "}},
		{"/not-modified", 304, "", []string{"POST /not-modified {}"}},
		{"/multiple", 300, "300 - \"\"", []string{"POST /multiple {}"}},
		{"/bad", 400, `400 - {"error":"bad"}`, []string{"POST /bad {}"}},
	}
	s := NewSender(nil)
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			seen = nil
			dest := NewObject()
			dest.Set("base_url", srv.URL)
			dest.Set("path", tc.path)
			status, err := s.Send(context.Background(), dest, []byte(`{}`))
			if status != tc.status || (err == nil) != (tc.err == "") || (err != nil && err.Error() != tc.err) {
				t.Fatalf("got %d %v, want %d %q", status, err, tc.status, tc.err)
			}
			if strings.Join(seen, "|") != strings.Join(tc.request, "|") {
				t.Fatalf("requests %q, want %q", seen, tc.request)
			}
		})
	}
	dest := NewObject()
	dest.Set("base_url", srv.URL)
	dest.Set("path", "/retry")
	_, err := s.Send(context.Background(), dest, []byte(`{}`))
	var ra *RetryAfterError
	if !errors.As(err, &ra) || ra.After != 2*time.Minute {
		t.Fatalf("Retry-After: %v", err)
	}
}

func TestSenderCredentialsEachSend(t *testing.T) {
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = append(auth, r.Header.Get("Authorization"))
	}))
	defer srv.Close()
	creds := fakeCreds{"k": "Token one"}
	s := NewSender(creds)
	v, _ := ParseJSON([]byte(`{"base_url":"` + srv.URL + `","path":"/x","auth":{"type":"HEADER","name":"authorization","value_key":"k"}}`))
	if _, err := s.Send(context.Background(), v, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	creds["k"] = "Token two" // a changed credential applies at the next send
	if _, err := s.Send(context.Background(), v, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	delete(creds, "k")
	if _, err := s.Send(context.Background(), v, []byte(`{}`)); err == nil || err.Error() != "Credentials for 'k' have not been configured. See the Outbound documentation." {
		t.Fatalf("missing credential: %v", err)
	}
	if strings.Join(auth, ",") != "Token one,Token two" {
		t.Fatalf("authorization headers %q", auth)
	}
}

func TestSenderErrorsDoNotCarryTheToken(t *testing.T) {
	login := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"statut":200,"data":{"username_token":"SECRET"}}`)
			return
		}
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		conn.Close() // no answer at all
	}))
	defer login.Close()
	s := NewSender(fakeCreds{"pw": "p"})
	v, _ := ParseJSON([]byte(`{"base_url":"` + login.URL + `","path":"/push","auth":{"type":"muso-sih","username":"u","password_key":"pw","path":"/login"}}`))
	_, err := s.Send(context.Background(), v, []byte(`{}`))
	if err == nil || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("error %v", err)
	}
}
