package config

import (
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/BurntSushi/toml"
)

// Redacted replaces secrets in Show.
const Redacted = "***"

var restPath = regexp.MustCompile(`^(/rest/[0-9]+/)[^/]+(/?)$`)

// RedactWebhook hides a webhook URL's secret code:
// "https://host/rest/1/abc/" → "https://host/rest/1/***/". Anything it
// cannot take apart becomes "***".
func RedactWebhook(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || u.User != nil || !restPath.MatchString(u.Path) {
		return Redacted
	}
	m := restPath.FindStringSubmatch(u.Path)
	return u.Scheme + "://" + u.Host + m[1] + Redacted + "/"
}

// Show prints the effective configuration as TOML with secrets redacted
// and, after each value, a "# from: …" comment naming its source.
func (e *Effective) Show(w io.Writer) error { return e.ShowIn(w, "en") }

// ShowIn is Show with its comments in lang ("en" or "ru").
func (e *Effective) ShowIn(w io.Writer, lang string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	pr := func(format string, a ...any) { fmt.Fprintf(tw, format, a...) }
	tr := func(format string, a ...any) { fmt.Fprint(tw, msgf(format, a...).in(lang)) }
	file := msgf("not found, defaults in use")
	if e.Loaded {
		file = msgf("loaded")
	}
	tr("# config file: %s (%s; from: %s)\n", oneLine(e.Paths.ConfigFile), file, e.Paths.ConfigOrigin)
	if e.Profile != "" {
		tr("# active profile: %s (from: %s)\n", e.Profile, e.ProfileOrigin)
	} else {
		tr("# active profile: none\n")
	}
	val := func(key, value string) {
		pr("%s = %s\t", toml.Key{lastPart(key)}.String(), value)
		tr("# from: %s\n", e.Origin(key))
	}
	val("refresh", quote(fmtDuration(e.Refresh)))
	val("highlight", quote(fmtDuration(e.Highlight)))
	val("plan", quote(string(e.Plan)))
	val("timeout", quote(fmtDuration(e.Timeout)))
	val("columns", quoteList(e.Columns))
	val("theme", quote(e.Theme))
	val("language", quote(e.Language))
	if e.DefaultProfile != "" {
		val("default_profile", quote(e.DefaultProfile))
	}
	pr("\n[keys]\n")
	for _, a := range Actions {
		if ks, ok := e.Keys[a]; ok {
			val("keys."+a, quoteList(ks))
		}
	}
	pr("\n[colors]\n")
	if len(e.Colors) == 0 {
		tr("# no overrides; the theme's colours are used\n")
	}
	for _, r := range ColorRoles {
		if c, ok := e.Colors[r]; ok {
			val("colors."+r, quote(c))
		}
	}
	pr("\n[notifications]\n")
	val("notifications.enabled", strconv.FormatBool(e.Notifications.Enabled))
	val("notifications.bell", strconv.FormatBool(e.Notifications.Bell))
	val("notifications.desktop", strconv.FormatBool(e.Notifications.Desktop))
	for _, name := range e.ProfileNames() {
		p := e.Profiles[name]
		base := "profiles." + toml.Key{name}.String()
		if p.WebhookURL != "" || p.WebhookInKeyring || p.Plan != "" {
			pr("\n[%s]\n", base)
		}
		if p.WebhookURL != "" {
			val(base+".webhook_url", quote(RedactWebhook(p.WebhookURL)))
		}
		if p.WebhookInKeyring {
			val(base+".webhook_in_keyring", "true")
		}
		if p.Plan != "" {
			val(base+".plan", quote(string(p.Plan)))
		}
		if o := p.OAuth; o != nil {
			pr("\n[%s.oauth]\n", base)
			ob := base + ".oauth"
			val(ob+".endpoint", quote(o.Endpoint))
			if o.TokenURL != "" {
				val(ob+".token_url", quote(o.TokenURL))
			}
			val(ob+".client_id", quote(o.ClientID))
			val(ob+".client_secret", quote(redact(o.ClientSecret)))
			if o.AccessToken != "" {
				val(ob+".access_token", quote(redact(o.AccessToken)))
			}
			if o.RefreshToken != "" {
				val(ob+".refresh_token", quote(redact(o.RefreshToken)))
			}
			if !o.Expires.IsZero() {
				val(ob+".expires", o.Expires.UTC().Format(time.RFC3339))
			}
		}
	}
	return tw.Flush()
}

func redact(s string) string {
	if s == "" {
		return ""
	}
	return Redacted
}

// lastPart is the last element of a dotted key whose parts are bare or
// quoted without dots inside (profile names have none).
func lastPart(key string) string {
	return key[strings.LastIndexByte(key, '.')+1:]
}

// quote renders a TOML basic string; control characters are escaped by
// the encoder, so nothing reaches the terminal raw.
func quote(s string) string {
	if v, ok := encodeValue(s); ok {
		return v
	}
	return strconv.Quote(s)
}

func quoteList(list []string) string {
	q := slices.Clone(list)
	for i, s := range q {
		q[i] = quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
