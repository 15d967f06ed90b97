package flow

import "fmt"

// TypeCallWebhook is the wire name of CallWebhook.
const TypeCallWebhook = "call_webhook"

// CallWebhook makes an HTTP request (URL, header values and Body are templates) and stores the
// response as @webhook, optionally saving a result under ResultName.
//
//	{"type": "call_webhook", "uuid": "…", "method": "GET", "url": "http://example.com/?q=@input.text"}
type CallWebhook struct {
	BaseAction
	onlineAction
	Method     string            `json:"method"`
	URL        string            `json:"url"`
	Headers    map[string]string `json:"headers,omitempty"`
	Body       string            `json:"body,omitempty"`
	ResultName string            `json:"result_name,omitempty"`
}

func init() { registerAction(TypeCallWebhook, func() Action { return &CallWebhook{} }) }

func (a *CallWebhook) check(c *checker) {
	a.checkBase(c)
	switch a.Method {
	case "":
		c.fail("method", "is required")
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE":
	default:
		c.fail("method", "is not a valid HTTP method")
	}
	c.reqLen("url", a.URL, 8192)
	if len(a.Headers) > 10 {
		c.fail("headers", "must be less than or equal to 10")
	}
	for k, v := range a.Headers {
		c.maxLen("headers["+k+"]", k, 100)
		c.maxLen("headers["+k+"]", v, 5000)
	}
	c.maxLen("body", a.Body, 20000)
	checkResultName(c, "result_name", a.ResultName, false)
}

func (a *CallWebhook) validate() error {
	for k := range a.Headers {
		if !validHeaderName(k) {
			return fmt.Errorf("header '%s' is not a valid HTTP header", k)
		}
	}
	return nil
}

// validHeaderName reports whether s is an HTTP header field name (an RFC 7230 token).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9':
		case ch < 0x80 && ch > 0x20 && isTokenSymbol(ch):
		default:
			return false
		}
	}
	return true
}

func isTokenSymbol(ch byte) bool {
	switch ch {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

func (a *CallWebhook) inspect(v *visitor) {
	if a.ResultName != "" {
		v.result(a.ResultName, webhookCategories)
	}
	v.tpl(a.URL)
	for _, k := range sortedKeys(a.Headers) {
		v.tpl(a.Headers[k])
	}
	v.tpl(a.Body)
}
