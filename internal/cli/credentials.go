package cli

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/linedesk/linedesk/internal/api"
)

// envWebhook is the environment variable that holds the webhook URL.
const envWebhook = "B24_WEBHOOK_URL"

// credentials is the webhook a command will use and where it came from. The
// URL holds the secret code: it is passed to api.New and nowhere else.
type credentials struct {
	webhook string
	source  string // for messages and `info`: "--webhook", "B24_WEBHOOK_URL", "profile NAME"
}

// profileSource is the seam for the configuration issue: it returns the
// webhook of the active config profile, ok=false when there is none. Until
// profiles exist it is nil and only the flag and the environment count.
type profileSource func() (creds credentials, ok bool, err error)

// resolveCredentials applies "first found wins": --webhook, then
// B24_WEBHOOK_URL, then the config profile. ok=false means none was given.
func resolveCredentials(flag string, env func(string) string, profile profileSource) (credentials, bool, error) {
	if strings.TrimSpace(flag) != "" {
		return credentials{webhook: strings.TrimSpace(flag), source: "--webhook"}, true, nil
	}
	if v := strings.TrimSpace(env(envWebhook)); v != "" {
		return credentials{webhook: v, source: envWebhook}, true, nil
	}
	if profile != nil {
		return profile()
	}
	return credentials{}, false, nil
}

// errNoCredentials is the message for a command that needs a portal when none
// was given.
func errNoCredentials() error {
	return usageErrorf("no portal given: pass --webhook https://PORTAL/rest/USER_ID/CODE/ or set %s "+
		"(to try linedesk without a portal, run 'linedesk --demo' or 'linedesk sim')", envWebhook)
}

// checkWebhook refuses, before any traffic, a webhook URL that is not
// https:// (plain http:// is allowed only for loopback hosts, where the
// simulator runs). The client validates the rest of the shape; no message
// here quotes the URL, since it holds the secret code.
func checkWebhook(c credentials) error {
	u, err := url.Parse(c.webhook)
	if err != nil || u.Host == "" || u.Scheme == "" {
		return usageErrorf("the webhook URL from %s is not a URL: it should look like https://PORTAL/rest/USER_ID/CODE/", c.source)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return nil
		}
		return usageErrorf("the webhook URL from %s uses http:// for %s: only loopback hosts may use plain http; use https://%s/…",
			c.source, u.Hostname(), u.Hostname())
	default:
		return usageErrorf("the webhook URL from %s has scheme %q: use https://PORTAL/rest/USER_ID/CODE/", c.source, u.Scheme)
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
func describeSource(c credentials) string {
	u, err := url.Parse(c.webhook)
	if err != nil || u.Host == "" {
		return fmt.Sprintf("%s (not a valid URL)", c.source)
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
		return fmt.Sprintf("%s (portal %s)", c.source, u.Host)
	}
	return fmt.Sprintf("%s (portal %s, user %s)", c.source, u.Host, user)
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
