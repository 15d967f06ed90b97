package services

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http/httptest"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
)

// fakeSMTP is a minimal SMTP server on loopback that records what it receives.
type fakeSMTP struct {
	ln       net.Listener
	startTLS *tls.Config // offered as STARTTLS when set
	user     string      // AUTH PLAIN credentials required when set
	pass     string
	rejectTo string // RCPT address answered with 550

	mu     sync.Mutex
	from   string
	rcpts  []string
	data   string
	authed bool
	wg     sync.WaitGroup
}

func newFakeSMTP(t *testing.T, configure func(*fakeSMTP)) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeSMTP{ln: ln}
	if configure != nil {
		configure(s)
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() { defer s.wg.Done(); s.serve(c) }()
		}
	}()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *fakeSMTP) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *fakeSMTP) serve(c net.Conn) {
	defer c.Close()
	tp := textproto.NewConn(c)
	tp.PrintfLine("220 fake ESMTP")
	secure := false
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			exts := []string{"250-fake"}
			if s.startTLS != nil && !secure {
				exts = append(exts, "250-STARTTLS")
			}
			if s.user != "" {
				exts = append(exts, "250-AUTH PLAIN")
			}
			for _, e := range exts {
				tp.PrintfLine("%s", e)
			}
			tp.PrintfLine("250 OK")
		case "STARTTLS":
			tp.PrintfLine("220 go ahead")
			tc := tls.Server(c, s.startTLS)
			if tc.Handshake() != nil {
				return
			}
			c, secure = tc, true
			tp = textproto.NewConn(tc)
		case "AUTH":
			want := base64.StdEncoding.EncodeToString([]byte("\x00" + s.user + "\x00" + s.pass))
			if arg != "PLAIN "+want {
				tp.PrintfLine("535 bad credentials")
				continue
			}
			s.mu.Lock()
			s.authed = true
			s.mu.Unlock()
			tp.PrintfLine("235 OK")
		case "MAIL":
			s.mu.Lock()
			s.from = arg
			s.mu.Unlock()
			tp.PrintfLine("250 OK")
		case "RCPT":
			if s.rejectTo != "" && strings.Contains(arg, s.rejectTo) {
				tp.PrintfLine("550 no such user")
				continue
			}
			s.mu.Lock()
			s.rcpts = append(s.rcpts, arg)
			s.mu.Unlock()
			tp.PrintfLine("250 OK")
		case "DATA":
			tp.PrintfLine("354 go ahead")
			b, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.data = string(b)
			s.mu.Unlock()
			tp.PrintfLine("250 queued")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("502 unknown")
		}
	}
}

// testCert borrows httptest's self-signed certificate (valid for 127.0.0.1) and a pool
// that trusts it.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	srv := httptest.NewTLSServer(nil)
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return srv.TLS.Certificates[0], pool
}

func TestSMTPSend(t *testing.T) {
	t.Parallel()
	s := newFakeSMTP(t, func(s *fakeSMTP) { s.user, s.pass = "bob", "secret" })
	svc := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: s.port(), TLS: TLSNone, Username: "bob", Password: "secret",
		From: "Clinic Bot <bot@clinic.test>"})

	body := "Bonjour à tous\nLigne deux = fin"
	if err := svc.Send([]string{"a@x.test", "b@y.test"}, "Résumé de la visite", body); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authed || s.from != "FROM:<bot@clinic.test>" || strings.Join(s.rcpts, ",") != "TO:<a@x.test>,TO:<b@y.test>" {
		t.Fatalf("unexpected envelope: authed=%t from=%q rcpts=%v", s.authed, s.from, s.rcpts)
	}
	msg, err := mail.ReadMessage(strings.NewReader(s.data))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	if _, err := h.Date(); err != nil {
		t.Errorf("bad Date: %v", err)
	}
	if id := h.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@clinic.test>") {
		t.Errorf("bad Message-ID %q", id)
	}
	if h.Get("From") != `"Clinic Bot" <bot@clinic.test>` || h.Get("To") != "<a@x.test>, <b@y.test>" {
		t.Errorf("bad From/To: %q / %q", h.Get("From"), h.Get("To"))
	}
	raw := h.Get("Subject")
	dec, _ := new(mime.WordDecoder).DecodeHeader(raw)
	if !strings.HasPrefix(raw, "=?utf-8?q?") || dec != "Résumé de la visite" {
		t.Errorf("subject %q decodes to %q", raw, dec)
	}
	if h.Get("MIME-Version") != "1.0" || h.Get("Content-Type") != "text/plain; charset=UTF-8" || h.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Errorf("bad MIME headers: %v", h)
	}
	got, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	// The final newline is SMTP's framing (DATA ends with CRLF.CRLF), not part of the text.
	if strings.TrimSuffix(strings.ReplaceAll(string(got), "\r\n", "\n"), "\n") != body {
		t.Errorf("body decodes to %q", got)
	}
}

func TestSMTPPlainSubjectIsNotEncoded(t *testing.T) {
	t.Parallel()
	s := newFakeSMTP(t, nil)
	svc := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: s.port(), TLS: TLSNone, From: "bot@clinic.test"})
	if err := svc.Send([]string{"a@x.test"}, "Visit\r\nBcc: evil@x.test", "hello"); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// ReadDotBytes hands back lines ending in \n.
	if !strings.Contains(s.data, "\nSubject: Visit Bcc: evil@x.test\n") || strings.Contains(s.data, "\nBcc:") {
		t.Errorf("subject not kept to one plain line:\n%s", s.data)
	}
}

func TestSMTPStartTLS(t *testing.T) {
	t.Parallel()
	cert, pool := testCert(t)
	s := newFakeSMTP(t, func(s *fakeSMTP) {
		s.startTLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		s.user, s.pass = "bob", "secret"
	})
	svc := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: s.port(), Username: "bob", Password: "secret", From: "bot@clinic.test",
		TLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}})
	if err := svc.Send([]string{"a@x.test"}, "Hi", "over TLS"); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.authed || !strings.Contains(s.data, "over TLS") {
		t.Errorf("message not delivered over STARTTLS")
	}
}

func TestSMTPImplicitTLS(t *testing.T) {
	t.Parallel()
	cert, pool := testCert(t)
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := newFakeSMTP(t, nil)
	// Front the fake server with a TLS terminator, as SMTPS is TLS from the first byte.
	go func() {
		for {
			c, err := inner.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{cert}})
				up, err := net.Dial("tcp", s.ln.Addr().String())
				if err != nil {
					return
				}
				defer up.Close()
				go io.Copy(up, tc)
				io.Copy(tc, up)
			}()
		}
	}()
	t.Cleanup(func() { inner.Close() })
	svc := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: inner.Addr().(*net.TCPAddr).Port, TLS: TLSImplicit, From: "bot@clinic.test",
		TLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}})
	if err := svc.Send([]string{"a@x.test"}, "Hi", "over SMTPS"); err != nil {
		t.Fatal(err)
	}
}

func TestSMTPErrors(t *testing.T) {
	t.Parallel()
	plain := newFakeSMTP(t, func(s *fakeSMTP) { s.rejectTo = "nobody@" })
	cases := []struct {
		name string
		cfg  SMTPConfig
		to   []string
		want string
	}{
		{"NotConfigured", SMTPConfig{}, []string{"a@x.test"}, "email is not configured"},
		{"StartTLSNotOffered", SMTPConfig{Host: "127.0.0.1", Port: plain.port(), From: "bot@clinic.test"}, []string{"a@x.test"}, "does not offer STARTTLS"},
		{"RecipientRejected", SMTPConfig{Host: "127.0.0.1", Port: plain.port(), TLS: TLSNone, From: "bot@clinic.test"}, []string{"nobody@x.test"}, "no such user"},
		{"BadAddress", SMTPConfig{Host: "127.0.0.1", Port: plain.port(), TLS: TLSNone, From: "bot@clinic.test"}, []string{"not an address"}, "invalid email address"},
		{"BadSender", SMTPConfig{Host: "127.0.0.1", Port: plain.port(), TLS: TLSNone, From: ""}, []string{"a@x.test"}, "invalid sender address"},
		{"NothingListening", SMTPConfig{Host: "127.0.0.1", Port: closedPort(t), TLS: TLSNone, From: "bot@clinic.test"}, []string{"a@x.test"}, "connect to mail server"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := NewSMTP(tc.cfg).Send(tc.to, "Hi", "body")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if notConf := errors.Is(err, ErrNotConfigured); notConf != (tc.name == "NotConfigured") {
				t.Errorf("errors.Is(ErrNotConfigured) = %t", notConf)
			}
		})
	}
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return p
}

func TestSMTPDefaultPorts(t *testing.T) {
	t.Parallel()
	for mode, want := range map[TLSMode]int{"": 587, TLSStartTLS: 587, TLSImplicit: 465, TLSNone: 25} {
		if got := NewSMTP(SMTPConfig{Host: "mail.test", TLS: mode}).cfg.Port; got != want {
			t.Errorf("%q: port %d, want %d", mode, got, want)
		}
	}
}
