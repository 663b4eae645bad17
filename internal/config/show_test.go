package config

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

func TestShow(t *testing.T) {
	file := fullFile + `
[profiles.cloud2.oauth]
endpoint = "https://cloud2.example.com/rest/"
client_id = "local.9"
client_secret = "cs2-secret"
access_token = "at2-secret"
refresh_token = "rt2-secret"
`
	path := writeConfig(t, file, 0o600)
	e, err := Load(Options{
		ConfigPath: path,
		Profile:    "cloud2",
		LookupEnv:  envMap("LINEDESK_THEME", "light"),
		Flags:      map[string]string{"refresh": "15s"},
		Secrets:    newFakeStore(),
	})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := e.Show(&b); err != nil {
		t.Fatal(err)
	}
	out := strings.ReplaceAll(b.String(), path, "PATH")
	for _, secret := range []string{testCode, "cs-secret", "rt-secret", "cs2-secret", "at2-secret", "rt2-secret"} {
		if strings.Contains(out, secret) {
			t.Errorf("Show leaks %q", secret)
		}
	}
	for _, want := range []string{
		`webhook_url = "https://portal.example.com/rest/7/***/"`,
		`client_secret = "***"`,
		`refresh = "15s"`, "# from: flag --refresh",
		`theme = "light"`, "# from: env LINEDESK_THEME",
		"# active profile: cloud2 (from: flag --profile)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Show lacks %q", want)
		}
	}
	golden.RequireEqual(t, []byte(out))
}

func TestShowDefaults(t *testing.T) {
	e := mustLoad(t, t.TempDir()+"/none.toml")
	var b bytes.Buffer
	if err := e.Show(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "not found, defaults in use") || !strings.Contains(out, "# active profile: none") {
		t.Errorf("Show of defaults:\n%s", out)
	}
	// Every value line names its source.
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, " = ") && !strings.HasPrefix(line, "#") && !strings.Contains(line, "# from: default") {
			t.Errorf("line without provenance: %q", line)
		}
	}
	// The printed defaults load back as the same configuration.
	back := mustLoad(t, writeConfig(t, out, 0o600))
	if back.Refresh != e.Refresh || back.Highlight != e.Highlight || strings.Join(back.Keys["quit"], ",") != strings.Join(e.Keys["quit"], ",") {
		t.Errorf("Show output does not round-trip: %+v", back.Config)
	}
}

func TestRedactWebhook(t *testing.T) {
	tests := map[string]string{
		testHook:                                  "https://portal.example.com/rest/7/***/",
		"https://p.example.com/rest/12/code":      "https://p.example.com/rest/12/***/",
		"http://127.0.0.1:8080/rest/1/abc/":       "http://127.0.0.1:8080/rest/1/***/",
		"not a url " + testCode:                   "***",
		"https://user:pw@p.example.com/rest/1/x/": "***",
		"https://p.example.com/other/" + testCode: "***",
	}
	for in, want := range tests {
		if got := RedactWebhook(in); got != want {
			t.Errorf("RedactWebhook(%q) = %q, want %q", in, got, want)
		}
	}
}
