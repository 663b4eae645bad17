package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCredentials(t *testing.T) {
	file := `default_profile = "work"
[profiles.work]
webhook_url = "` + testHook + `"
[profiles.home]
webhook_in_keyring = true
plan = "enterprise"
[profiles.cloud.oauth]
endpoint = "https://cloud.example.com/rest/"
client_id = "app"
client_secret = "cs"
refresh_token = "rt"
`
	path := writeConfig(t, file, 0o600)
	store := newFakeStore()
	store.m["home"] = otherHook
	loadWith := func(profile string) *Effective {
		e, err := Load(Options{ConfigPath: path, Profile: profile, LookupEnv: envMap(), Secrets: store})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	tests := []struct {
		name, profile, flag string
		env                 []string
		label, url          string
		plan                Plan
	}{
		{"flag wins", "home", "https://flag.example.com/rest/1/flagcode/", []string{EnvWebhook, otherHook}, "flag --webhook", "https://flag.example.com/rest/1/flagcode/", PlanEnterprise},
		{"env next", "", "", []string{EnvWebhook, otherHook}, "env B24_WEBHOOK_URL", otherHook, PlanStandard},
		{"profile file", "", "", nil, "profile work", testHook, PlanStandard},
		{"profile keyring", "home", "", nil, "profile home (keyring)", otherHook, PlanEnterprise},
		{"profile oauth", "cloud", "", nil, "profile cloud (oauth)", "", PlanStandard},
		{"empty env ignored", "", "", []string{EnvWebhook, " "}, "profile work", testHook, PlanStandard},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loadWith(tc.profile).Credentials(tc.flag, envMap(tc.env...))
			if err != nil {
				t.Fatal(err)
			}
			if c.Label != tc.label || c.WebhookURL != tc.url || c.Plan != tc.plan {
				t.Errorf("got %q %q %q, want %q %q %q", c.Label, c.WebhookURL, c.Plan, tc.label, tc.url, tc.plan)
			}
			if tc.label == "profile cloud (oauth)" && (c.OAuth == nil || c.OAuth.RefreshToken != "rt" || c.Profile != "cloud") {
				t.Errorf("oauth credentials: %+v", c)
			}
		})
	}
}

func TestCredentialsErrors(t *testing.T) {
	two := "[profiles.work]\nwebhook_url = \"" + testHook + "\"\n[profiles.home]\nwebhook_in_keyring = true\n"
	tests := []struct {
		name, file, profile string
		store               *fakeStore
		want                string
		noCreds             bool
	}{
		{name: "nothing", file: "", want: "no credentials: pass --webhook URL, set B24_WEBHOOK_URL, or run `linedesk init` to save a profile", noCreds: true},
		{name: "several profiles", file: two, want: "no credentials: PATH has several profiles (home, work) and no default_profile; choose one with --profile NAME or LINEDESK_PROFILE, or set default_profile", noCreds: true},
		{name: "keyring empty", file: two, profile: "home", want: "profile home: the OS keyring has no webhook for it; run `linedesk init --profile home` again"},
		{name: "keyring fails", file: two, profile: "home", store: &fakeStore{err: errors.New("OS keyring read: dbus: no session bus")}, want: "profile home: its webhook is in the OS keyring, which failed (OS keyring read: dbus: no session bus); set B24_WEBHOOK_URL or run `linedesk init` again"},
		{name: "keyring garbage", file: two, profile: "home", store: &fakeStore{m: map[string]string{"home": "garbage-" + testCode}}, want: "profile home: the webhook in the OS keyring is broken: this is not a webhook URL (use https://PORTAL/rest/USER_ID/CODE/ as the portal shows it); run `linedesk init --profile home` again"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.file, 0o600)
			store := tc.store
			if store == nil {
				store = newFakeStore()
			}
			e, err := Load(Options{ConfigPath: path, Profile: tc.profile, LookupEnv: envMap(), Secrets: store})
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.Credentials("", envMap())
			got := oneLineErr(t, err)
			if want := strings.ReplaceAll(tc.want, "PATH", path); got != want {
				t.Errorf("\n got: %s\nwant: %s", got, want)
			}
			if errors.Is(err, ErrNoCredentials) != tc.noCreds {
				t.Errorf("errors.Is(ErrNoCredentials) = %v", !tc.noCreds)
			}
			if strings.Contains(got, testCode) {
				t.Error("error leaks the secret")
			}
		})
	}
}

func TestCredentialsKeyringTimeout(t *testing.T) {
	path := writeConfig(t, "[profiles.home]\nwebhook_in_keyring = true\n", 0o600)
	b := blockingBackend{release: make(chan struct{})}
	defer close(b.release)
	e, err := Load(Options{ConfigPath: path, LookupEnv: envMap(), Secrets: newKeyring(b, 10*time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Credentials("", envMap())
	if !errors.Is(err, ErrKeyringTimeout) || !strings.Contains(oneLineErr(t, err), "set B24_WEBHOOK_URL") {
		t.Errorf("hung keyring: %v", err)
	}
	// The env still gets the operator going.
	if c, err := e.Credentials("", envMap(EnvWebhook, testHook)); err != nil || c.Label != "env B24_WEBHOOK_URL" {
		t.Errorf("env with a hung keyring: %+v %v", c, err)
	}
}
