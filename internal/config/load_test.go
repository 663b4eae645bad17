package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/adrg/xdg"
)

func TestMissingFileIsDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope", "config.toml")
	e := mustLoad(t, path)
	if e.Loaded {
		t.Error("Loaded = true for a missing file")
	}
	def := Default()
	if e.Refresh != def.Refresh || e.Plan != def.Plan || !slices.Equal(e.Columns, def.Columns) {
		t.Errorf("missing file did not give defaults: %+v", e.Config)
	}
	if o := e.Origin("refresh"); o.Source != FromDefault {
		t.Errorf("origin of refresh = %v, want default", o)
	}
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Error("Load created the config directory")
	}
}

func TestDefaultsAreConsistent(t *testing.T) {
	d := Default()
	owner := map[string]string{}
	for _, a := range Actions {
		keys := d.Keys[a]
		if len(keys) == 0 {
			t.Errorf("action %s has no default keys", a)
		}
		for _, k := range keys {
			if n, ok := normalizeKey(k); !ok || n != k {
				t.Errorf("default key %q of %s is not canonical (%q, %v)", k, a, n, ok)
			}
			if o, dup := owner[k]; dup {
				t.Errorf("default key %q bound to both %s and %s", k, o, a)
			}
			owner[k] = a
		}
	}
	if len(d.Keys) != len(Actions) {
		t.Errorf("Default has %d bindings for %d actions", len(d.Keys), len(Actions))
	}
	if d.Refresh != 0 && d.Refresh < MinRefresh {
		t.Errorf("default refresh %v below the minimum", d.Refresh)
	}
	// Default returns a fresh copy each time.
	d.Keys["up"][0] = "x"
	d.Columns[0] = "x"
	if Default().Keys["up"][0] == "x" || Default().Columns[0] == "x" {
		t.Error("Default shares state between calls")
	}
}

const fullFile = `# linedesk
refresh = "5s"
highlight = "2m"
plan = "Enterprise"
timeout = "45s"
columns = ["id", "client", "message"]
theme = "dark"
language = "ru"
default_profile = "work"

[keys]
refresh = ["ctrl+r", "F5"]
quit = "Q"
up = ["Up", "k"]

[colors]
highlight_bg = "#FFD75F"
cursor_bg = 24

[notifications]
bell = false

[profiles.work]
webhook_url = "` + testHook + `"
plan = "standard"

[profiles.home]
webhook_in_keyring = true

[profiles.cloud.oauth]
endpoint = "https://cloud.example.com/rest/"
client_id = "local.123"
client_secret = "cs-secret"
refresh_token = "rt-secret"
expires = 2026-03-01T12:00:00Z
`

func TestLoadFullFile(t *testing.T) {
	path := writeConfig(t, fullFile, 0o600)
	e := mustLoad(t, path)
	if !e.Loaded {
		t.Fatal("Loaded = false")
	}
	c := e.Config
	check := func(name string, got, want any) {
		t.Helper()
		if !equalAny(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("Refresh", c.Refresh, 5*time.Second)
	check("Highlight", c.Highlight, 2*time.Minute)
	check("Timeout", c.Timeout, 45*time.Second)
	check("Columns", c.Columns, []string{"id", "client", "message"})
	check("Theme", c.Theme, "dark")
	check("Language", c.Language, "ru")
	check("keys.refresh", c.Keys["refresh"], []string{"ctrl+r", "f5"})
	check("keys.quit", c.Keys["quit"], []string{"Q"})
	check("keys.up", c.Keys["up"], []string{"up", "k"})
	check("keys.down (default)", c.Keys["down"], []string{"down", "j"})
	check("colors", c.Colors, map[string]string{"highlight_bg": "#ffd75f", "cursor_bg": "24"})
	check("notifications", c.Notifications, Notifications{Enabled: true, Bell: false, Desktop: true})
	check("profiles", c.ProfileNames(), []string{"cloud", "home", "work"})
	check("active", e.Profile, "work")
	// The active profile's plan wins over the top-level one from the file.
	check("Plan", c.Plan, PlanStandard)
	check("plan origin", e.Origin("plan").String(), "file (profile work)")
	check("work url", c.Profiles["work"].WebhookURL, testHook)
	check("home keyring", c.Profiles["home"].WebhookInKeyring, true)
	o := c.Profiles["cloud"].OAuth
	if o == nil {
		t.Fatal("cloud has no OAuth")
	}
	check("oauth", *o, OAuth{Endpoint: "https://cloud.example.com/rest/", ClientID: "local.123", ClientSecret: "cs-secret", RefreshToken: "rt-secret", Expires: testTime})
	check("origin refresh", e.Origin("refresh").String(), "file")
	check("origin keys.up", e.Origin("keys.up").String(), "file")
	check("origin keys.down", e.Origin("keys.down").String(), "default")
	check("origin profile", e.ProfileOrigin.String(), "file (default_profile)")
	if len(e.Warnings) != 0 {
		t.Errorf("warnings for a 0600 file: %v", e.Warnings)
	}
}

func equalAny(a, b any) bool {
	switch x := a.(type) {
	case []string:
		return slices.Equal(x, b.([]string))
	case map[string]string:
		y := b.(map[string]string)
		if len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if y[k] != v {
				return false
			}
		}
		return true
	case OAuth:
		y := b.(OAuth)
		return x.Expires.Equal(y.Expires) && x.Endpoint == y.Endpoint && x.TokenURL == y.TokenURL && x.ClientID == y.ClientID &&
			x.ClientSecret == y.ClientSecret && x.AccessToken == y.AccessToken && x.RefreshToken == y.RefreshToken
	}
	return a == b
}

func TestPartialFileKeepsDefaults(t *testing.T) {
	// An old file: one setting, nothing else.
	path := writeConfig(t, "# from 0.1\nrefresh = 0\n", 0o644)
	e := mustLoad(t, path)
	if e.Refresh != 0 {
		t.Errorf("refresh = 0 should turn refresh off, got %v", e.Refresh)
	}
	d := Default()
	if e.Highlight != d.Highlight || e.Timeout != d.Timeout || e.Theme != d.Theme || len(e.Keys) != len(d.Keys) {
		t.Errorf("partial file lost defaults: %+v", e.Config)
	}
	if e.Origin("refresh").Source != FromFile || e.Origin("timeout").Source != FromDefault {
		t.Errorf("origins: refresh %v, timeout %v", e.Origin("refresh"), e.Origin("timeout"))
	}
	// An empty file is fine too.
	if _, err := load(t, writeConfig(t, "", 0o600)); err != nil {
		t.Errorf("empty file: %v", err)
	}
}

// TestValidationErrors checks the exact one-line message, file and line of
// every kind of mistake.
func TestValidationErrors(t *testing.T) {
	pad := strings.Repeat("# comment\n", 11) // the key lands on line 12
	tests := []struct {
		name, text, want string
	}{
		{"bad duration", pad + `refresh = "fast"`, `:12: key "refresh": "fast" is not a duration (use e.g. "10s"; 0 turns refresh off)`},
		{"below minimum", `refresh = "1s"`, `:1: key "refresh": "1s" is below the 3s minimum (use 3s or more; 0 turns refresh off)`},
		{"bare number", "\nrefresh = 10", `:2: key "refresh": 10 is not a duration (use e.g. "10s"; 0 turns refresh off)`},
		{"negative", `refresh = "-5s"`, `:1: key "refresh": "-5s" is negative (use e.g. "10s"; 0 turns refresh off)`},
		{"highlight type", `highlight = true`, `:1: key "highlight": true is not a duration (use e.g. "60s"; 0 keeps highlights until esc)`},
		{"timeout zero", `timeout = "0s"`, `:1: key "timeout": "0s" is out of range (use a duration from 1s to 10m, e.g. "30s")`},
		{"timeout huge", `timeout = "1h"`, `:1: key "timeout": "1h" is out of range (use a duration from 1s to 10m, e.g. "30s")`},
		{"plan", `plan = "gold"`, `:1: key "plan": "gold" is not a plan (use "standard" or "enterprise")`},
		{"theme", `theme = "blue"`, `:1: key "theme": "blue" is not a theme (use "auto", "dark" or "light")`},
		{"language type", `language = 1`, `:1: key "language": 1 is not a language (use "auto", "en" or "ru")`},
		{"unknown key", "refresh = \"10s\"\n\nrefesh = \"5s\"", `:3: key "refesh": unknown key (did you mean "refresh"? known: refresh, highlight, plan, timeout, columns, theme, language, default_profile, keys, colors, notifications, profiles)`},
		{"wrong case", `Theme = "dark"`, `:1: key "Theme": unknown key (did you mean "theme"? known: refresh, highlight, plan, timeout, columns, theme, language, default_profile, keys, colors, notifications, profiles)`},
		{"unknown column", `columns = ["id", "foo"]`, `:1: key "columns": "foo" is not a column (known: pin, id, client, channel, line, status, unread, age, message)`},
		{"column twice", `columns = ["id", "ID"]`, `:1: key "columns": "id" is listed twice (list each column once)`},
		{"no columns", `columns = []`, `:1: key "columns": the list is empty (name at least one column; known: pin, id, client, channel, line, status, unread, age, message)`},
		{"columns type", `columns = 5`, `:1: key "columns": 5 is not a list of columns (use e.g. ["pin", "id", "client"]; known: pin, id, client, channel, line, status, unread, age, message)`},
		{"keys not a table", `keys = "x"`, `:1: key "keys": "x" is not a table (use [keys] with lines such as up = ["k", "up"])`},
		{"unknown action", "[keys]\njump = [\"J\"]", `:2: key "keys.jump": unknown action (did you mean "up"? known: up, down, page_up, page_down, top, bottom, refresh, unpin_all, pin_all, pin, undo, filter, sort, details, open, copy_id, copy_url, help, quit, clear_highlight)`},
		{"empty keys", "[keys]\nup = []", `:2: key "keys.up": no keys given (use e.g. ["k", "up"]; delete the line to keep the default keys)`},
		{"bad key name", "[keys]\n\nup = [\"k\", \"pagedown!\"]", `:3: key "keys.up": "pagedown!" is not a key name (use a character such as "k" or a name such as "up", "pgdown", "ctrl+r")`},
		{"key in multi-line list", "[keys]\nup = [\n  \"k\",\n  7,\n]", `:2: key "keys.up": 7 is not a key name (use a character such as "k" or a name such as "up", "pgdown", "ctrl+r")`},
		{"keys type", "[keys]\nup = 5", `:2: key "keys.up": 5 is not a list of keys (use e.g. ["k", "up"])`},
		{"key conflict", "[keys]\nrefresh = [\"u\"]", `:2: key "keys.refresh": "u" is also bound to unpin_all (give unpin_all other keys too, or choose another key)`},
		{"unknown role", "[colors]\nhighlite_bg = \"#fff\"", `:2: key "colors.highlite_bg": unknown colour role (did you mean "highlight_bg"? known: ` + strings.Join(ColorRoles, ", ") + `)`},
		{"bad colour", "[colors]\nhighlight_bg = \"yellow\"", `:2: key "colors.highlight_bg": "yellow" is not a colour (use "#rrggbb", "#rgb" or an ANSI index from 0 to 255)`},
		{"colour index", "[colors]\nhighlight_bg = 300", `:2: key "colors.highlight_bg": 300 is not a colour (use "#rrggbb", "#rgb" or an ANSI index from 0 to 255)`},
		{"quoted bool", "[notifications]\nbell = \"yes\"", `:2: key "notifications.bell": "yes" is not true or false (use true or false, without quotes)`},
		{"dotted unknown", "notifications.sound = true", `:1: key "notifications.sound": unknown key (known: enabled, bell, desktop)`},
		{"inline table", "x = 1\nnotifications = { bell = \"no\" }", `:1: key "x": unknown key (known: refresh, highlight, plan, timeout, columns, theme, language, default_profile, keys, colors, notifications, profiles)`},
		{"inline table value", "notifications = { enabled = true,\n  bell = \"no\" }", `:2: key "notifications.bell": "no" is not true or false (use true or false, without quotes)`},
		{"sub-key of a setting", "[refresh]\nx = 1", `:1: key "refresh": a table is not a duration (use e.g. "10s"; 0 turns refresh off)`},
		{"default profile unknown", "default_profile = \"nope\"\n[profiles.work]\nwebhook_url = \"" + testHook + "\"", `:1: key "default_profile": no profile "nope" (known: work)`},
		{"default profile, no profiles", "default_profile = \"nope\"", `:1: key "default_profile": no profile "nope" (this file defines no profiles; add [profiles.NAME] or run ` + "`linedesk init`" + `)`},
		{"profile without credentials", "\n[profiles.work]\nplan = \"standard\"", `:2: key "profiles.work": the profile has no credentials (set webhook_url, or webhook_in_keyring = true, or add an oauth table; ` + "`linedesk init`" + ` writes one)`},
		{"profile name", "[profiles.\"my work\"]\nwebhook_in_keyring = true", `:1: key "profiles.\"my work\"": profile names use letters, digits, "-" and "_" only (at most 64)`},
		{"profile key typo", "[profiles.work]\nwebhook_ur = \"x\"", `:2: key "profiles.work.webhook_ur": unknown key (did you mean "webhook_url"? known: webhook_url, webhook_in_keyring, plan, oauth)`},
		{"bad webhook", "[profiles.work]\nwebhook_url = \"https://portal.example.com/hooks/" + testCode + "\"", `:2: key "profiles.work.webhook_url": this is not a webhook URL (use https://PORTAL/rest/USER_ID/CODE/ as the portal shows it)`},
		{"http webhook", "[profiles.work]\nwebhook_url = \"http://portal.example.com/rest/1/" + testCode + "/\"", `:2: key "profiles.work.webhook_url": http:// is allowed only for 127.0.0.1, ::1 and localhost (use https://)`},
		{"webhook type", "[profiles.work]\nwebhook_url = 12345", `:2: key "profiles.work.webhook_url": a number is not a webhook URL (use https://PORTAL/rest/USER_ID/CODE/ as the portal shows it)`},
		{"webhook twice", "[profiles.work]\nwebhook_url = \"" + testHook + "\"\nwebhook_in_keyring = true", `:3: key "profiles.work.webhook_in_keyring": set either webhook_url or webhook_in_keyring = true, not both`},
		{"webhook and oauth", "[profiles.work]\nwebhook_in_keyring = true\n[profiles.work.oauth]\nendpoint = \"https://a.example.com/rest/\"", `:3: key "profiles.work.oauth": a profile has either a webhook or an oauth table, not both (make two profiles)`},
		{"oauth incomplete", "[profiles.cloud.oauth]\nendpoint = \"https://a.example.com/rest/\"\nclient_id = \"app\"\nrefresh_token = \"rt\"", `:1: key "profiles.cloud.oauth": missing client_secret (the local application's client secret)`},
		{"oauth secret type", "[profiles.cloud.oauth]\nclient_secret = 424242", `:2: key "profiles.cloud.oauth.client_secret": a number is not text (write it in quotes, e.g. "…")`},
		{"oauth expires", "[profiles.cloud.oauth]\nexpires = \"tomorrow\"", `:2: key "profiles.cloud.oauth.expires": "tomorrow" is not a date and time (use e.g. 2026-01-31T18:00:00Z)`},
		{"oauth endpoint", "[profiles.cloud]\noauth.endpoint = \"ftp://a.example.com/\"", `:2: key "profiles.cloud.oauth.endpoint": the URL must start with https:// (http:// only for 127.0.0.1, ::1 and localhost)`},
		{"array of tables", "[[profiles]]\nname = \"x\"", `:1: key "profiles": an array of tables is not a table (use [profiles.NAME] tables)`},
		{"first mistake wins", "plan = \"gold\"\ntheme = \"blue\"\nzzz = 1", `:1: key "plan": "gold" is not a plan (use "standard" or "enterprise")`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.text+"\n", 0o600)
			_, err := load(t, path)
			got := oneLineErr(t, err)
			if want := path + tc.want; got != want {
				t.Errorf("\n got: %s\nwant: %s", got, want)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Errorf("error is %T, want *config.Error", err)
			}
			if strings.Contains(got, testCode) {
				t.Errorf("error leaks the webhook code: %s", got)
			}
		})
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		text string
		line int
	}{
		{"refresh = 10s\n", 1},
		{"theme = \"dark\"\n\n[keys\nup = [\"k\"]\n", 3},
		{"a = \"unterminated\n", 1},
		{"[keys]\nup = [\"k\",\n\"j\"\nquit = 1\n", 4},
		{"x = 1\nx = 2\n", 2},
	}
	for _, tc := range tests {
		path := writeConfig(t, tc.text, 0o600)
		_, err := load(t, path)
		got := oneLineErr(t, err)
		prefix := path + ":" + strconv.Itoa(tc.line) + ": invalid TOML: "
		if !strings.HasPrefix(got, prefix) || !strings.HasSuffix(got, "(fix the syntax; see toml.io)") {
			t.Errorf("%q:\n got: %s\nwant prefix: %s", tc.text, got, prefix)
		}
	}
}

func TestUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	_, err := load(t, dir)
	if got := oneLineErr(t, err); got != dir+": is a directory, not a config file (point --config or LINEDESK_CONFIG at a file)" {
		t.Errorf("got %s", got)
	}
	big := writeConfig(t, strings.Repeat("#\n", maxFileSize), 0o600)
	if _, err := load(t, big); err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("big file: %v", err)
	}
	if os.Geteuid() != 0 { // root reads anything
		noread := writeConfig(t, "", 0o000)
		if _, err := load(t, noread); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("unreadable file: %v", err)
		}
	}
}

func TestPrecedence(t *testing.T) {
	path := writeConfig(t, "refresh = \"20s\"\nplan = \"enterprise\"\ntheme = \"light\"\n", 0o600)
	env := []string{"LINEDESK_REFRESH", "30s", "LINEDESK_THEME", "dark", "LINEDESK_TIMEOUT", "5s"}
	e, err := Load(Options{
		ConfigPath: path,
		LookupEnv:  envMap(env...),
		Flags:      map[string]string{"refresh": "40s"},
		Secrets:    newFakeStore(),
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key    string
		got    any
		want   any
		origin string
	}{
		{"refresh", e.Refresh, 40 * time.Second, "flag --refresh"},      // flag > env > file
		{"theme", e.Theme, "dark", "env LINEDESK_THEME"},                // env > file
		{"timeout", e.Timeout, 5 * time.Second, "env LINEDESK_TIMEOUT"}, // env > default
		{"plan", e.Plan, PlanEnterprise, "file"},                        // file > default
		{"highlight", e.Highlight, 60 * time.Second, "default"},
	}
	for _, tc := range tests {
		if tc.got != tc.want || e.Origin(tc.key).String() != tc.origin {
			t.Errorf("%s = %v from %s, want %v from %s", tc.key, tc.got, e.Origin(tc.key), tc.want, tc.origin)
		}
	}
}

func TestEnvAndFlagErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	_, err := Load(Options{ConfigPath: path, LookupEnv: envMap("LINEDESK_REFRESH", "fast"), Secrets: newFakeStore()})
	if got := oneLineErr(t, err); got != `env LINEDESK_REFRESH: "fast" is not a duration (use e.g. "10s"; 0 turns refresh off)` {
		t.Errorf("env: %s", got)
	}
	_, err = Load(Options{ConfigPath: path, LookupEnv: envMap(), Flags: map[string]string{"plan": "gold"}, Secrets: newFakeStore()})
	if got := oneLineErr(t, err); got != `flag --plan: "gold" is not a plan (use "standard" or "enterprise")` {
		t.Errorf("flag: %s", got)
	}
	_, err = Load(Options{ConfigPath: path, LookupEnv: envMap(), Flags: map[string]string{"colour": "x"}, Secrets: newFakeStore()})
	if got := oneLineErr(t, err); !strings.HasPrefix(got, "flag --colour: is not a setting") {
		t.Errorf("unknown flag: %s", got)
	}
	// An empty env variable counts as unset.
	e, err := Load(Options{ConfigPath: path, LookupEnv: envMap("LINEDESK_PLAN", ""), Secrets: newFakeStore()})
	if err != nil || e.Origin("plan").Source != FromDefault {
		t.Errorf("empty env: %v, %v", err, e.Origin("plan"))
	}
}

func TestConfigPathPrecedence(t *testing.T) {
	cfgHome, stateHome := t.TempDir(), t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfgHome)
	t.Setenv("XDG_STATE_HOME", stateHome)
	xdg.Reload()
	t.Cleanup(xdg.Reload)

	def := filepath.Join(cfgHome, "linedesk", "config.toml")
	loc := paths("", envMap())
	if loc.ConfigFile != def || loc.ConfigOrigin.Source != FromDefault {
		t.Errorf("default: %+v", loc)
	}
	if loc.StateDir != filepath.Join(stateHome, "linedesk") || loc.LogFile != filepath.Join(stateHome, "linedesk", "linedesk.log") ||
		loc.JournalFile != filepath.Join(stateHome, "linedesk", "journal.jsonl") {
		t.Errorf("state paths: %+v", loc)
	}
	loc = paths("", envMap(EnvConfig, "/env/config.toml"))
	if loc.ConfigFile != "/env/config.toml" || loc.ConfigOrigin.String() != "env LINEDESK_CONFIG" {
		t.Errorf("env: %+v", loc)
	}
	loc = paths("/flag/config.toml", envMap(EnvConfig, "/env/config.toml"))
	if loc.ConfigFile != "/flag/config.toml" || loc.ConfigOrigin.String() != "flag --config" {
		t.Errorf("flag: %+v", loc)
	}
	t.Setenv(EnvConfig, "")
	if got := Paths("").ConfigFile; got != def {
		t.Errorf("Paths() = %s, want %s", got, def)
	}
	// Load reads the XDG file when nothing overrides it, creating nothing.
	if err := os.MkdirAll(filepath.Dir(def), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(def, []byte("theme = \"light\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e, err := Load(Options{LookupEnv: envMap(), Secrets: newFakeStore()})
	if err != nil || e.Theme != "light" || e.Paths.ConfigFile != def {
		t.Errorf("Load from XDG: %v %+v", err, e)
	}
	if _, err := os.Stat(stateHome + "/linedesk"); !os.IsNotExist(err) {
		t.Error("Load created the state directory")
	}
}

func TestProfileSelection(t *testing.T) {
	two := "[profiles.work]\nwebhook_url = \"" + testHook + "\"\n[profiles.home]\nwebhook_url = \"" + otherHook + "\"\n"
	one := "[profiles.solo]\nwebhook_url = \"" + testHook + "\"\n"
	tests := []struct {
		name, file, flag string
		env              []string
		want, origin     string
		err              string
	}{
		{name: "flag", file: two, flag: "home", env: []string{EnvProfile, "work"}, want: "home", origin: "flag --profile"},
		{name: "env", file: two, env: []string{EnvProfile, "work"}, want: "work", origin: "env LINEDESK_PROFILE"},
		{name: "default_profile", file: "default_profile = \"home\"\n" + two, want: "home", origin: "file (default_profile)"},
		{name: "env beats default_profile", file: "default_profile = \"home\"\n" + two, env: []string{EnvProfile, "work"}, want: "work", origin: "env LINEDESK_PROFILE"},
		{name: "the only one", file: one, want: "solo", origin: "default (the only profile)"},
		{name: "several, no default", file: two, want: ""},
		{name: "none", file: "", want: ""},
		{name: "unknown flag", file: two, flag: "nope", err: `flag --profile: no profile "nope" in PATH (known: home, work)`},
		{name: "unknown env", file: two, env: []string{EnvProfile, "nope"}, err: `env LINEDESK_PROFILE: no profile "nope" in PATH (known: home, work)`},
		{name: "unknown, no profiles", file: "", flag: "nope", err: `flag --profile: no profile "nope" in PATH (this file defines no profiles; add [profiles.NAME] or run ` + "`linedesk init`)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.file, 0o600)
			e, err := Load(Options{ConfigPath: path, Profile: tc.flag, LookupEnv: envMap(tc.env...), Secrets: newFakeStore()})
			if tc.err != "" {
				if got := oneLineErr(t, err); got != strings.ReplaceAll(tc.err, "PATH", path) {
					t.Errorf("\n got: %s\nwant: %s", got, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e.Profile != tc.want {
				t.Errorf("profile = %q, want %q", e.Profile, tc.want)
			}
			if tc.origin != "" && e.ProfileOrigin.String() != tc.origin {
				t.Errorf("origin = %s, want %s", e.ProfileOrigin, tc.origin)
			}
		})
	}
}

func TestPermissionWarning(t *testing.T) {
	secret := "[profiles.work]\nwebhook_url = \"" + testHook + "\"\n"
	loose := writeConfig(t, secret, 0o644)
	e := mustLoad(t, loose)
	if len(e.Warnings) != 1 || !strings.Contains(e.Warnings[0], "chmod 600 "+loose) || strings.Contains(e.Warnings[0], testCode) {
		t.Errorf("warnings = %q", e.Warnings)
	}
	if w := CheckPermissions(loose); w == "" || strings.ContainsAny(w, "\n") {
		t.Errorf("CheckPermissions(0644 with secret) = %q", w)
	}
	if w := CheckPermissions(writeConfig(t, secret, 0o640)); w == "" {
		t.Error("group-readable file with a secret gave no warning")
	}
	if w := CheckPermissions(writeConfig(t, secret, 0o600)); w != "" {
		t.Errorf("0600: %q", w)
	}
	if w := CheckPermissions(writeConfig(t, "theme = \"dark\"\n[profiles.k]\nwebhook_in_keyring = true\n", 0o644)); w != "" {
		t.Errorf("no secret in the file: %q", w)
	}
	if w := CheckPermissions(filepath.Join(t.TempDir(), "missing.toml")); w != "" {
		t.Errorf("missing: %q", w)
	}
}

func TestResolveLanguage(t *testing.T) {
	tests := []struct {
		setting string
		env     []string
		want    string
	}{
		{"ru", []string{"LANG", "en_US.UTF-8"}, "ru"},
		{"en", []string{"LANG", "ru_RU.UTF-8"}, "en"},
		{"auto", []string{"LANG", "ru_RU.UTF-8"}, "ru"},
		{"auto", []string{"LANG", "ru_RU.UTF-8", "LC_ALL", "C"}, "en"},
		{"auto", []string{"LANG", "en_US.UTF-8", "LC_MESSAGES", "ru_RU"}, "ru"},
		{"auto", nil, "en"},
	}
	for _, tc := range tests {
		if got := ResolveLanguage(tc.setting, envMap(tc.env...)); got != tc.want {
			t.Errorf("ResolveLanguage(%q, %v) = %q, want %q", tc.setting, tc.env, got, tc.want)
		}
	}
}

func TestNormalizeKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"k", "k"}, {"G", "G"}, {"?", "?"}, {"/", "/"}, {"+", "+"},
		{"Up", "up"}, {"PageDown", "pgdown"}, {"PgDn", "pgdown"}, {"Escape", "esc"}, {" ", "space"},
		{"Ctrl+R", "ctrl+r"}, {"shift+ctrl+a", "ctrl+shift+a"}, {"alt+enter", "alt+enter"},
		{"F12", "f12"}, {"ctrl++", "ctrl++"}, {"я", "я"},
	}
	for _, tc := range tests {
		if got, ok := normalizeKey(tc.in); !ok || got != tc.want {
			t.Errorf("normalizeKey(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
	for _, bad := range []string{"", "ctrl+", "foo", "hyper+ctrl+ctrl+a", "f25", "\x1b", "ab", "shift+", "a+b"} {
		if got, ok := normalizeKey(bad); ok {
			t.Errorf("normalizeKey(%q) = %q, want rejected", bad, got)
		}
	}
}
