package services

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	"careflow/engine"
)

// TLSMode says how an SMTP connection is secured.
type TLSMode string

// The SMTP security modes: plain, upgraded with STARTTLS (the submission port, 587), or TLS
// from the first byte (SMTPS, 465).
const (
	TLSNone     TLSMode = "none"
	TLSStartTLS TLSMode = "starttls"
	TLSImplicit TLSMode = "tls"
)

// DefaultSMTPTimeout bounds a whole send: connect, handshake and data.
const DefaultSMTPTimeout = 30 * time.Second

// SMTPConfig is a workspace's outgoing mail server. A zero Host means email isn't configured.
type SMTPConfig struct {
	Host string
	// Port defaults to 587 for starttls, 465 for tls and 25 for none.
	Port               int
	Username, Password string
	// From is the sender, an address with an optional display name.
	From string
	// TLS defaults to starttls.
	TLS TLSMode
	// TLSConfig overrides the TLS settings (e.g. a private CA); nil verifies against the
	// system roots with Host as the server name.
	TLSConfig *tls.Config
	// Timeout defaults to DefaultSMTPTimeout.
	Timeout time.Duration
}

// SMTP sends send_email's messages through an SMTP server.
type SMTP struct{ cfg SMTPConfig }

// errNoEmail is what a flow sees (as "Unable to send email: …") when nothing is configured.
var errNoEmail = &notConfiguredError{msg: "email is not configured for this workspace (no SMTP server)"}

// NewSMTP builds the email service from a workspace's settings.
func NewSMTP(cfg SMTPConfig) *SMTP {
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	if cfg.Port == 0 {
		cfg.Port = map[TLSMode]int{TLSNone: 25, TLSStartTLS: 587, TLSImplicit: 465}[cfg.TLS]
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultSMTPTimeout
	}
	return &SMTP{cfg: cfg}
}

// Send delivers one message to all addresses. It returns an error wrapping ErrNotConfigured
// when no server is set, and otherwise the server's or network's error; it does not retry.
func (s *SMTP) Send(to []string, subject, body string) error {
	if s.cfg.Host == "" {
		return errNoEmail
	}
	from, err := mail.ParseAddress(s.cfg.From)
	if err != nil {
		return fmt.Errorf("invalid sender address %q", s.cfg.From)
	}
	rcpts := make([]*mail.Address, len(to))
	for i, a := range to {
		if rcpts[i], err = mail.ParseAddress(a); err != nil {
			return fmt.Errorf("invalid email address %q", a)
		}
	}
	msg := buildMessage(from, rcpts, subject, body, time.Now())

	c, err := s.connect()
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("smtp MAIL: %w", err)
	}
	for _, r := range rcpts {
		if err := c.Rcpt(r.Address); err != nil {
			return fmt.Errorf("smtp RCPT %s: %w", r.Address, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	return c.Quit()
}

// connect dials, secures and authenticates, all under one deadline.
func (s *SMTP) connect() (*smtp.Client, error) {
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	tlsCfg := s.cfg.TLSConfig
	if tlsCfg == nil {
		tlsCfg = &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
	}
	d := &net.Dialer{Timeout: s.cfg.Timeout}
	var conn net.Conn
	var err error
	if s.cfg.TLS == TLSImplicit {
		conn, err = tls.DialWithDialer(d, "tcp", addr, tlsCfg)
	} else {
		conn, err = d.Dial("tcp", addr)
	}
	if err != nil {
		return nil, fmt.Errorf("connect to mail server: %w", err)
	}
	_ = conn.SetDeadline(time.Now().Add(s.cfg.Timeout))
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("smtp greeting: %w", err)
	}
	if s.cfg.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			c.Close()
			return nil, errors.New("mail server does not offer STARTTLS")
		}
		if err := c.StartTLS(tlsCfg); err != nil {
			c.Close()
			return nil, fmt.Errorf("smtp STARTTLS: %w", err)
		}
	}
	if s.cfg.Username != "" {
		// PlainAuth refuses to send the password over an unencrypted connection to anything
		// but localhost, which is the behaviour we want for TLS mode none.
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
			c.Close()
			return nil, fmt.Errorf("smtp AUTH: %w", err)
		}
	}
	return c, nil
}

// buildMessage renders a text/plain UTF-8 message with a quoted-printable body, so any text
// survives 7-bit relays, and an RFC 2047 subject when it isn't plain ASCII.
func buildMessage(from *mail.Address, to []*mail.Address, subject, body string, now time.Time) []byte {
	// Sending a blank message is a good way to get flagged as spam (the reference does the same).
	if strings.TrimSpace(body) == "" {
		body = "(empty body)"
	}
	// The engine collapses whitespace already; this keeps a header injection impossible anyway.
	subject = strings.Join(strings.Fields(subject), " ")
	tos := make([]string, len(to))
	for i, a := range to {
		tos[i] = a.String()
	}
	var b strings.Builder
	b.WriteString("Date: " + now.Format(time.RFC1123Z) + "\r\n")
	b.WriteString("Message-ID: " + messageID(from.Address) + "\r\n")
	b.WriteString("From: " + from.String() + "\r\n")
	b.WriteString("To: " + strings.Join(tos, ", ") + "\r\n")
	b.WriteString("Subject: " + mime.QEncoding.Encode("utf-8", subject) + "\r\n")
	b.WriteString("MIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: text/plain; charset=UTF-8\r\n")
	b.WriteString("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(body))
	_ = qp.Close()
	return []byte(b.String())
}

// messageID makes a unique id in the sender's domain.
func messageID(from string) string {
	domain := "careflow.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		domain = from[i+1:]
	}
	var r [16]byte
	_, _ = rand.Read(r[:])
	return "<" + hex.EncodeToString(r[:]) + "@" + domain + ">"
}

var _ engine.Email = (*SMTP)(nil)
