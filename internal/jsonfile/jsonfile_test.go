package jsonfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadPlacesErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, body, want string
	}{
		{"Syntax", "{\n  \"a\": 1,\n  }\n", "f.json:3:3: invalid character '}' looking for beginning of object key string"},
		{"Type", "{\n  \"n\": \"x\"\n}", `f.json:2:10: "n" should be int, not a JSON string`},
		{"Truncated", "{\n  \"a\": [1,", "f.json:2:10: unexpected end of JSON input"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, "f.json")
			os.WriteFile(path, []byte(c.body), 0o600)
			var v struct {
				N int `json:"n"`
			}
			err := Read(path, &v)
			if err == nil || err.Error() != filepath.Join(dir, c.want) {
				t.Fatalf("got %v\nwant %s", err, filepath.Join(dir, c.want))
			}
		})
	}
	if err := Read(filepath.Join(dir, "missing.json"), &struct{}{}); !os.IsNotExist(err) {
		t.Fatalf("missing file: %v", err)
	}
}
