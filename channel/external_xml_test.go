package channel_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"careflow/channel"
	. "careflow/internal/testserver"
	"careflow/store"
)

const soapIn = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:com="com.hero"><soapenv:Header/>` +
	`<soapenv:Body><com:moRequest><source>%s</source><content>%s</content></com:moRequest></soapenv:Body></soapenv:Envelope>`

// TestExternalXML: an External API channel in XML mode, as courier runs one for SOAP
// providers. The provider's XML webhook is read at the channel's XPaths and answered with the
// configured XML; the flow's reply goes out as an XML body (PUT) with its variables
// XML-escaped and the quick replies as <item>s; a provider answer without the
// mt_response_check text leaves the message errored. Bad XML and XPaths get 400s and store
// nothing.
func TestExternalXML(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		fake := newFakeProvider(t)
		fake.setAnswer(func(fakeReq) (int, string) { return 200, `<return>0</return>` })
		ch := addChannel(t, s, channel.ChannelSpec{Type: "EX", Address: "2020", Country: "RW", TPS: channel.Unlimited,
			Config: channel.Config{"send_url": fake.URL + "/send", "method": "PUT", "content_type": "xml",
				"body":              `<msg id="{{uuid}}"><to>{{to}}</to><text>{{text}}</text><from>{{from}}</from><quick_replies>{{quick_replies}}</quick_replies></msg>`,
				"mt_response_check": "<return>0</return>",
				"from_xpath":        "//com:moRequest/source", "text_xpath": "/soapenv:Envelope/soapenv:Body/*[1]/content",
				"mo_response": `<?xml version="1.0"?><return>0</return>`, "mo_response_content_type": "text/xml"}})
		f := &Flow{Name: "Escapes", Nodes: []*Node{{Actions: []map[string]any{Say("Tom & Jerry <3\n\"bye\"", "Yes & No", "<later>")}}}}
		s.Import(Export(f))
		if err := s.Srv.Runtime.SaveTrigger(context.Background(), &store.Trigger{WorkspaceID: s.Workspace.ID, Type: "keyword",
			Keywords: []string{"esc"}, MatchType: "first_word", FlowUUID: f.UUID}); err != nil {
			t.Fatal(err)
		}
		base := "/c/ex/" + ch.UUID

		status, resp := s.Do("POST", base+"/receive", map[string]string{"Content-Type": "text/xml"},
			[]byte(strings.Replace(strings.Replace(soapIn, "%s", "0788000001", 1), "%s", "esc", 1)), "", "")
		if status != 200 || string(resp) != `<?xml version="1.0"?><return>0</return>` {
			t.Fatalf("receive: %d %s", status, resp)
		}
		in := msgs(t, s, true)
		if len(in) != 1 || in[0].Text != "esc" || in[0].URN != "tel:+250788000001" {
			t.Fatalf("incoming: %+v", in)
		}
		req := fake.wait(t, 1)[0]
		m := regexp.MustCompile(`^<msg id="([0-9a-f-]{36})">`).FindStringSubmatch(req.Body)
		want := `<to>+250788000001</to><text>Tom &amp; Jerry &lt;3&#xA;&#34;bye&#34;</text><from>2020</from>` +
			`<quick_replies><item>Yes &amp; No</item><item>&lt;later&gt;</item></quick_replies></msg>`
		if req.Method != "PUT" || req.Header.Get("Content-Type") != "text/xml; charset=utf-8" || m == nil || req.Body[len(m[0]):] != want {
			t.Fatalf("send: %s %v %s", req.Method, req.Header, req.Body)
		}
		waitStatus(t, s, m[1], store.MsgWired)

		// the provider answers 200 without the expected text: errored, to be retried
		fake.setAnswer(func(fakeReq) (int, string) { return 200, `<return>1</return>` })
		if status, resp := s.Do("POST", base+"/receive", nil,
			[]byte(strings.Replace(strings.Replace(soapIn, "%s", "0788000002", 1), "%s", "esc", 1)), "", ""); status != 200 {
			t.Fatalf("second receive: %d %s", status, resp)
		}
		second := fake.wait(t, 2)[1]
		m = regexp.MustCompile(`^<msg id="([0-9a-f-]{36})">`).FindStringSubmatch(second.Body)
		if m == nil {
			t.Fatalf("second send: %s", second.Body)
		}
		waitStatus(t, s, m[1], store.MsgErrored)

		for _, c := range []struct{ body, want string }{
			{`<soapenv:Envelope xmlns:soapenv="x"><soapenv:Body></soapenv:Body></soapenv:Envelope>`, "missing from at: //com:moRequest/source"},
			{`<soapenv:Envelope><source>1</source>`, "unable to parse request XML"},
			{`not xml at all`, "unable to parse request XML"},
			{`<a>` + strings.Repeat("x", 100000) + `</a>`, "larger than 100000 bytes"},
		} {
			status, resp := s.Do("POST", base+"/receive", map[string]string{"Content-Type": "text/xml"}, []byte(c.body), "", "")
			if status != 400 || !strings.Contains(string(resp), c.want) || !strings.Contains(string(resp), `"message":"Error"`) {
				t.Errorf("%.40s: %d %s", c.body, status, resp)
			}
		}

		// a channel whose XPath careflow cannot evaluate says so
		bad := addChannel(t, s, channel.ChannelSpec{Type: "EX", Address: "2021", Country: "RW",
			Config: channel.Config{"send_url": fake.URL + "/send", "from_xpath": "//source[contains(., '1')]", "text_xpath": "//content"}})
		status, resp = s.Do("POST", "/c/ex/"+bad.UUID+"/receive", nil, []byte(strings.Replace(soapIn, "%s", "1", -1)), "", "")
		if status != 400 || !strings.Contains(string(resp), "from_xpath or text_xpath is not supported") {
			t.Fatalf("unsupported XPath: %d %s", status, resp)
		}
		if n := len(msgs(t, s, true)); n != 2 {
			t.Fatalf("%d incoming messages, want 2", n)
		}
	})
}

// TestExternalSmartEncoding: with encoding "S" a text whose only non-GSM characters have
// look-alikes goes out in the GSM alphabet; one with others (an emoji) goes as written. A GET
// send carries no body.
func TestExternalSmartEncoding(t *testing.T) {
	Backends(t, func(t *testing.T, backend string) {
		s := Start(t, backend, Options{})
		fake := newFakeProvider(t)
		ch := addChannel(t, s, channel.ChannelSpec{Type: "EX", Address: "2020", Country: "RW", TPS: channel.Unlimited,
			Config: channel.Config{"send_url": fake.URL + "/send?to={{to}}&text={{text}}", "method": "GET", "encoding": "S"}})
		f := &Flow{Name: "Smart", Nodes: []*Node{{Actions: []map[string]any{
			Say("“Olá” – você está\u00a0bem? São 5€"), Say("Hi 👋 “there”")}}}}
		s.Import(Export(f))
		if err := s.Srv.Runtime.SaveTrigger(context.Background(), &store.Trigger{WorkspaceID: s.Workspace.ID, Type: "keyword",
			Keywords: []string{"smart"}, MatchType: "first_word", FlowUUID: f.UUID}); err != nil {
			t.Fatal(err)
		}
		if status, out, _ := post(t, s, "/c/ex/"+ch.UUID+"/receive", "application/x-www-form-urlencoded", form("from", "0788000001", "text", "smart"), nil); status != 200 {
			t.Fatalf("receive: %d %v", status, out)
		}
		reqs := fake.wait(t, 2)
		texts := []string{reqs[0].Form.Get("text"), reqs[1].Form.Get("text")}
		if texts[0] != `"Ola" - voce esta bem? Sao 5€` || texts[1] != "Hi 👋 “there”" {
			t.Fatalf("texts: %q", texts)
		}
		if reqs[0].Method != "GET" || reqs[0].Body != "" {
			t.Fatalf("GET send: %s %q", reqs[0].Method, reqs[0].Body)
		}
	})
}
