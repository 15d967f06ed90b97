package channel

import "testing"

func TestXPathSubset(t *testing.T) {
	doc := `<?xml version="1.0"?><r xmlns:p="urn:p"><x><a n="1">one</a></x><a n="2">two<b>!</b></a>` +
		`<p:msg kind="sms"><p:from>+250788000001</p:from><text><![CDATA[hi & bye]]></text></p:msg>` +
		`<list><i>1</i><i>2</i><i>3</i></list></r>`
	root, err := parseXMLTree([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"//a":                         "one", // document order, not the order contexts were visited
		"/r/a":                        "two!",
		"r/a/b":                       "!",
		"//a[@n='2']":                 "two!",
		"//a[2]":                      "", // no parent has a second <a>
		"(//a)[2]":                    "error",
		"//p:msg/p:from":              "+250788000001",
		"//msg/from":                  "+250788000001", // unprefixed names match any prefix
		"//q:msg":                     "",
		"//p:msg/@kind":               "sms",
		"//msg[@kind]/text":           "hi & bye",
		"//msg[from='+250788000001']": "+250788000001hi & bye",
		"//list/i[last()]":            "3",
		"//list/*[2]":                 "2",
		"//i[text()='3']/..":          "123",
		"//a/text()":                  "one",
		"/r/x/./a":                    "one",
		"//a[contains(., 'o')]":       "error",
		"//a[":                        "error",
		"//":                          "error",
		"//a[0]":                      "error",
	} {
		steps, err := compileXPath(path)
		if err != nil {
			if want != "error" {
				t.Errorf("%s: %v", path, err)
			}
			continue
		}
		if want == "error" {
			t.Errorf("%s: compiled, want an error", path)
			continue
		}
		got := ""
		if n := findXPath(root, steps); n != nil {
			got = n.innerText()
		}
		if got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	for _, bad := range []string{"", "text", "<a>", "<a></b>", "<a><b></a>", "<a>", `<?xml version="1.0" encoding="latin1"?><a/>`} {
		if _, err := parseXMLTree([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
