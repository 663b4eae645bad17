package config

import (
	"errors"
	"strings"
)

// ErrNoCredentials means nothing says which portal to use.
var ErrNoCredentials = errors.New("no credentials")

// Credentials is how to reach the portal, and where that came from.
type Credentials struct {
	Label      string // "flag --webhook", "env B24_WEBHOOK_URL", "profile work", "profile work (keyring)", "profile work (oauth)"
	Profile    string // the profile's name; "" for flag and env
	WebhookURL string // secret; "" for OAuth
	OAuth      *OAuth // for OAuth profiles; save refreshed pairs with SaveTokens(e.Paths.ConfigFile, Profile, …)
	Plan       Plan   // the effective plan
}

// Credentials resolves, first found wins: the --webhook flag value,
// B24_WEBHOOK_URL, then the active profile (its file URL, its keyring
// entry, or its OAuth table). lookupEnv nil = the env Load used. An error
// is one line that never contains a secret and says what to do; it wraps
// ErrNoCredentials when nothing was configured.
func (e *Effective) Credentials(flagWebhook string, lookupEnv func(string) (string, bool)) (Credentials, error) {
	if lookupEnv == nil {
		lookupEnv = e.lookupEnv
	}
	lookupEnv = orOSEnv(lookupEnv)
	c := Credentials{Plan: e.Plan}
	if s := strings.TrimSpace(flagWebhook); s != "" {
		c.Label, c.WebhookURL = "flag --webhook", s
		return c, nil
	}
	if s := getenv(lookupEnv, EnvWebhook); s != "" {
		c.Label, c.WebhookURL = "env "+EnvWebhook, s
		return c, nil
	}
	p, ok := e.ActiveProfile()
	if !ok {
		names := e.ProfileNames()
		if len(names) > 1 {
			return c, errorf(ErrNoCredentials, "no credentials: %s has several profiles (%s) and no default_profile; choose one with --profile NAME or %s, or set default_profile", e.Paths.ConfigFile, strings.Join(names, ", "), EnvProfile)
		}
		return c, errorf(ErrNoCredentials, "no credentials: pass --webhook URL, set %s, or run `linedesk init` to save a profile", EnvWebhook)
	}
	c.Profile = p.Name
	switch {
	case p.OAuth != nil:
		o := *p.OAuth
		c.Label, c.OAuth = "profile "+p.Name+" (oauth)", &o
	case p.WebhookInKeyring:
		c.Label = "profile " + p.Name + " (keyring)"
		s, err := e.secrets.Get(p.Name)
		if errors.Is(err, ErrSecretNotFound) {
			return c, errorf(err, "profile %s: the OS keyring has no webhook for it; run `linedesk init --profile %s` again", p.Name, p.Name)
		}
		if err != nil {
			return c, errorf(err, "profile %s: its webhook is in the OS keyring, which failed (%s); set %s or run `linedesk init` again", p.Name, err, EnvWebhook)
		}
		if _, m := checkWebhookURL(s); !m.empty() {
			return c, errorf(nil, "profile %s: the webhook in the OS keyring is broken: %s; run `linedesk init --profile %s` again", p.Name, m, p.Name)
		}
		c.WebhookURL = strings.TrimSpace(s)
	default:
		c.Label, c.WebhookURL = "profile "+p.Name, p.WebhookURL
	}
	return c, nil
}
