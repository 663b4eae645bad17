package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// FuzzLoad: any bytes give either a valid configuration or one *Error of
// one line that starts with the file name; never a panic.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		fullFile, oauthFile, "", "refresh = \"fast\"\n", "[keys]\nrefresh = [\"u\"]\n",
		"notifications = { bell = \"no\" }\n", "[[profiles]]\n", "a.b.c = 1\n",
		"[profiles.w]\nwebhook_url = \"http://127.0.0.1:1/rest/1/x/\"\n",
		"columns = [\"id\", \"id\"]\n", "\uFEFFtheme = \"dark\"\n", "x = \"\x1b[31m\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := Default().clone()
		_, err := parseFile("config.toml", string(data), &cfg, map[string]Origin{})
		if err != nil {
			msg := err.Error()
			var ce *Error
			if !errors.As(err, &ce) || !strings.HasPrefix(msg, "config.toml") || strings.ContainsAny(msg, "\n\r\x1b") {
				t.Fatalf("bad error %T %q", err, msg)
			}
			// The Russian rendering keeps the same place and the same rules.
			if ru := Message(err, "ru"); !strings.HasPrefix(ru, "config.toml") || strings.ContainsAny(ru, "\n\r\x1b") || strings.Contains(ru, "%!") {
				t.Fatalf("bad Russian error %q (English %q)", ru, msg)
			}
			return
		}
		if cfg.Refresh != 0 && cfg.Refresh < MinRefresh || cfg.Timeout < MinTimeout || cfg.Timeout > MaxTimeout || cfg.Highlight < 0 {
			t.Fatalf("durations out of range: %+v", cfg)
		}
		if len(cfg.Columns) == 0 {
			t.Fatal("no columns")
		}
		owner := map[string]string{}
		for _, a := range Actions {
			if len(cfg.Keys[a]) == 0 {
				t.Fatalf("action %s has no keys", a)
			}
			for _, k := range cfg.Keys[a] {
				if o, ok := owner[k]; ok && o != a {
					t.Fatalf("key %q bound to %s and %s", k, o, a)
				}
				owner[k] = a
			}
		}
		for name, p := range cfg.Profiles {
			if p.WebhookURL == "" && !p.WebhookInKeyring && p.OAuth == nil {
				t.Fatalf("profile %s without credentials", name)
			}
		}
		if cfg.DefaultProfile != "" && !slices.Contains(cfg.ProfileNames(), cfg.DefaultProfile) {
			t.Fatal("default_profile names no profile")
		}
	})
}

// FuzzEdit: whatever valid TOML the user wrote, a token save yields a file
// that decodes to exactly their document with the change applied.
func FuzzEdit(f *testing.F) {
	for _, s := range []string{oauthFile, fullFile, "", "[profiles.a]\noauth = { x = 1 }\n", "profiles.a.oauth.access_token = \"o\"\n", "[profiles]\na = 1\n"} {
		f.Add(s, "a")
	}
	f.Fuzz(func(t *testing.T, text, profile string) {
		doc, err := decodeDoc("c", text)
		if err != nil {
			return
		}
		changes := []change{
			{path: []string{"profiles", profile, "oauth", "access_token"}, value: "new\"acc"},
			{path: []string{"profiles", profile, "oauth", "refresh_token"}},
			{path: []string{"default_profile"}, value: profile},
		}
		want := cloneDoc(doc)
		for _, c := range changes {
			if applyChange(want, c) != nil {
				return // the document has a non-table where the change goes
			}
		}
		out, err := edit("c", text, changes)
		if err != nil {
			if checkProfileName(profile).empty() {
				t.Fatalf("edit: %v", err)
			}
			return // refusing is fine for names a config cannot hold
		}
		got, err := decodeDoc("c", out)
		if err != nil || !sameValue(got, want) {
			t.Fatalf("edit of %q gave %q (%v)", text, out, err)
		}
	})
}
