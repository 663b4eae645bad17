package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/config"
	"github.com/linedesk/linedesk/internal/logging"
)

// credentials is the webhook a command will use and where it came from. The
// URL holds the secret code: it is passed to api.New and nowhere else.
type credentials struct {
	webhook string
	source  string // for messages and `info`: "--webhook", "B24_WEBHOOK_URL", "profile work (keyring)"
}

// loadConfig reads the configuration with the flags the user gave on cmd
// (flag > env > file > default) and prints its warnings. A mistake is a
// one-line configuration error: exit 2.
func (a *app) loadConfig(cmd *cobra.Command) (*config.Effective, error) {
	if a.eff != nil {
		return a.eff, nil
	}
	flags := map[string]string{}
	for _, name := range []string{"refresh", "highlight", "timeout", "plan"} {
		if f := cmd.Flags().Lookup(name); f != nil && f.Changed {
			flags[name] = f.Value.String()
		}
	}
	if a.f.enterprise {
		if p, ok := flags["plan"]; ok && !strings.EqualFold(strings.TrimSpace(p), string(config.PlanEnterprise)) {
			return nil, usageErrorf(a.t.PlanConflict, p)
		}
		flags["plan"] = string(config.PlanEnterprise)
	}
	e, err := config.Load(config.Options{
		ConfigPath: a.f.config,
		Profile:    a.f.profile,
		Flags:      flags,
		LookupEnv:  a.lookupEnv,
		Secrets:    a.secretStore(),
	})
	if err != nil {
		return nil, &cliError{code: exitUsage, msg: fmt.Sprintf(a.t.ConfigError, config.Message(err, string(a.lang))), err: err}
	}
	for _, w := range e.WarningsIn(string(a.lang)) {
		fmt.Fprintln(a.d.stderr, "linedesk: "+oneLine(w, a.secretList()))
	}
	a.eff = e
	return e, nil
}

// secretStore is where keyring profiles keep their webhook.
func (a *app) secretStore() config.SecretStore {
	if a.d.secrets != nil {
		return a.d.secrets
	}
	return config.NewKeyring(0)
}

// portal loads the configuration and builds the REST client of the
// credentials in force: --webhook, B24_WEBHOOK_URL, then the active profile.
// Every mistake here is a configuration error (exit 2) found before any
// traffic.
func (a *app) portal(cmd *cobra.Command) (*api.Client, config.Credentials, error) {
	e, err := a.loadConfig(cmd)
	if err != nil {
		return nil, config.Credentials{}, err
	}
	creds, err := e.Credentials(a.f.webhook, a.lookupEnv)
	if err != nil {
		if errors.Is(err, config.ErrNoCredentials) && len(e.ProfileNames()) <= 1 {
			return nil, creds, usageErrorf("%s", a.t.NoPortal)
		}
		return nil, creds, &cliError{code: exitUsage, msg: config.Message(err, string(a.lang)), err: err}
	}
	c, err := a.clientFor(creds)
	return c, creds, err
}

// sourceLabel names where credentials came from, in the user's language.
func (a *app) sourceLabel(c config.Credentials) string {
	switch {
	case strings.HasPrefix(c.Label, "flag"):
		return a.t.SourceFlag
	case strings.HasPrefix(c.Label, "env"):
		return a.t.SourceEnv
	case c.Label == "demo":
		return a.t.SourceDemo
	case c.OAuth != nil:
		return fmt.Sprintf(a.t.SourceOAuth, c.Profile)
	case strings.HasSuffix(c.Label, "(keyring)"):
		return fmt.Sprintf(a.t.SourceKeyring, c.Profile)
	}
	return fmt.Sprintf(a.t.SourceProfile, c.Profile)
}

// clientFor builds the REST client for creds, logging every request to the
// log file.
func (a *app) clientFor(creds config.Credentials) (*api.Client, error) {
	src := a.sourceLabel(creds)
	opts := api.Options{
		HTTPClient: a.d.httpClient,
		Plan:       apiPlan(creds.Plan),
		Limiter:    a.d.limiter,
		Sleep:      a.d.sleep,
		UserAgent:  "linedesk/" + shortVersion(),
	}
	if a.eff != nil {
		opts.Timeout = a.eff.Timeout
	}
	if o := creds.OAuth; o != nil {
		for _, s := range []string{o.ClientSecret, o.AccessToken, o.RefreshToken} {
			a.addSecret(s)
		}
		opts.OAuth = &api.OAuthConfig{
			Endpoint: o.Endpoint, TokenURL: o.TokenURL,
			ClientID: o.ClientID, ClientSecret: o.ClientSecret,
			Token:     api.Token{Access: o.AccessToken, Refresh: o.RefreshToken, Expires: o.Expires, Endpoint: o.Endpoint},
			OnRefresh: a.saveTokens(creds.Profile),
			Latest:    a.savedTokens(creds.Profile),
		}
	} else {
		a.addSecret(webhookSecret(creds.WebhookURL))
		cr := credentials{webhook: creds.WebhookURL, source: src}
		if err := checkWebhook(a.t, cr); err != nil {
			return nil, err
		}
		if msg := config.CheckWebhookURL(creds.WebhookURL, string(a.lang)); msg != "" {
			return nil, usageErrorf(a.t.WebhookWrong, src, msg)
		}
		opts.WebhookURL = creds.WebhookURL
	}
	log := a.logger()
	opts.Logger = logging.AtLeast(log, slog.LevelInfo)
	c, err := api.New(opts)
	if err != nil {
		if opts.OAuth != nil {
			return nil, usageErrorf(a.t.OAuthWrong, src, err.Error())
		}
		return nil, usageErrorf(a.t.WebhookWrong, src, err.Error())
	}
	log.Info("portal", "host", c.Host(), "credentials", creds.Label, "plan", string(creds.Plan))
	if e := a.eff; e != nil {
		log.Debug("config", "file", e.Paths.ConfigFile, "loaded", e.Loaded, "profile", e.Profile,
			"refresh", e.Refresh, "timeout", e.Timeout, "language", string(a.lang))
	}
	return c, nil
}

// saveTokens returns the OnRefresh hook of an OAuth profile: every new token
// pair is written back to the config file (under its lock, atomically), so
// that the next run and other running linedesk processes can use it.
func (a *app) saveTokens(profile string) func(api.Token) {
	path := a.eff.Paths.ConfigFile
	return func(tok api.Token) {
		a.addSecret(tok.Access)
		a.addSecret(tok.Refresh)
		if err := config.SaveTokens(path, profile, config.Token(tok)); err != nil {
			a.logger().Warn("saving the refreshed tokens failed", "profile", profile, "error", err)
			fmt.Fprintln(a.d.stderr, "linedesk: "+oneLine(fmt.Sprintf(a.t.TokenSaveFail, profile, config.Message(err, string(a.lang))), a.secretList()))
			return
		}
		a.logger().Info("saved the refreshed tokens", "profile", profile)
	}
}

// savedTokens returns the Latest hook of an OAuth profile: the pair the
// config file holds now, which another linedesk on the same profile (a
// script next to the dashboard) may have refreshed since this one started.
func (a *app) savedTokens(profile string) func() (api.Token, bool) {
	path := a.eff.Paths.ConfigFile
	return func() (api.Token, bool) {
		t, ok, err := config.LoadTokens(path, profile)
		if err != nil {
			a.logger().Warn("reading the saved tokens failed", "profile", profile, "error", err)
			return api.Token{}, false
		}
		if ok {
			a.addSecret(t.Access)
			a.addSecret(t.Refresh)
		}
		return api.Token(t), ok
	}
}

func apiPlan(p config.Plan) api.Plan {
	if p == config.PlanEnterprise {
		return api.PlanEnterprise
	}
	return api.PlanStandard
}

// checkWebhook refuses, before any traffic, a webhook URL that is not
// https:// (plain http:// is allowed only for loopback hosts, where the
// simulator runs). The client validates the rest of the shape; no message
// here quotes the URL, since it holds the secret code.
func checkWebhook(t *text, c credentials) error {
	u, err := url.Parse(c.webhook)
	if err != nil || u.Host == "" || u.Scheme == "" {
		return usageErrorf(t.WebhookNotURL, c.source)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return nil
		}
		return usageErrorf(t.WebhookHTTP, c.source, u.Hostname())
	default:
		return usageErrorf(t.WebhookScheme, c.source, u.Scheme)
	}
}

// isLoopbackHost reports whether host is localhost, 127.0.0.0/8 or ::1: the
// client's own rule, so that the CLI and the client never disagree.
func isLoopbackHost(host string) bool { return api.IsLoopbackHost(host) }

// webhookSecret returns the secret code of a webhook URL (the segment after
// /rest/USER_ID/), or "" when it cannot tell. Used only to scrub messages.
func webhookSecret(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// Fall back to the raw path segments.
		u = &url.URL{Path: raw}
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i := 0; i+2 < len(parts); i++ {
		if strings.EqualFold(parts[i], "rest") {
			return parts[i+2]
		}
	}
	return ""
}

// describeSource says which credentials are active, without the secret:
// "--webhook (portal example.bitrix24.ru, user 1)".
func describeSource(t *text, c credentials) string {
	u, err := url.Parse(c.webhook)
	if err != nil || u.Host == "" {
		return fmt.Sprintf(t.DescribeBroken, c.source)
	}
	user := ""
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i := 0; i+1 < len(parts); i++ {
		if strings.EqualFold(parts[i], "rest") && isDigits(parts[i+1]) {
			user = parts[i+1]
			break
		}
	}
	if user == "" {
		return fmt.Sprintf(t.DescribeHost, c.source, u.Host)
	}
	return fmt.Sprintf(t.DescribeUser, c.source, u.Host, user)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
