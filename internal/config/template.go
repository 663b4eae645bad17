package config

import (
	"strings"
)

// Template is the text of a new config file in lang ("en" or "ru"): every
// setting with its default value, commented out, and a line saying what it
// does. It loads to exactly Default(). `config edit` and `init` start from it
// when there is no file yet.
func Template(lang string) []byte {
	d := Default()
	var b strings.Builder
	c := func(format string, a ...any) { b.WriteString(msgf(format, a...).in(lang)) }
	line := func(key, value string) { b.WriteString("# " + key + " = " + value + "\n") }

	c("# linedesk configuration (TOML). Lines starting with # are comments:\n")
	c("# remove the # in front of a setting to change it. Each shows its default.\n")
	c("# Check the file with `linedesk config show`; the README lists every setting.\n")
	b.WriteString("\n")
	c("# How often the dashboard refreshes the list; 0 turns auto-refresh off, else at least %s.\n", fmtDuration(MinRefresh))
	line("refresh", quote(fmtDuration(d.Refresh)))
	c("# How long the rows an unpin-all returned stay highlighted; 0 keeps them until esc.\n")
	line("highlight", quote(fmtDuration(d.Highlight)))
	c("# The portal's rate-limit plan: \"standard\" (2 requests/s) or \"enterprise\" (5 requests/s).\n")
	line("plan", quote(string(d.Plan)))
	c("# How long one request to the portal may take, from %s to %s.\n", fmtDuration(MinTimeout), fmtDuration(MaxTimeout))
	line("timeout", quote(fmtDuration(d.Timeout)))
	c("# The dashboard's columns, in order; leave out the ones you do not want.\n")
	line("columns", quoteList(d.Columns))
	c("# Colours: \"auto\" follows the terminal's background, or \"dark\" or \"light\".\n")
	line("theme", quote(d.Theme))
	c("# \"auto\" follows LANG and LC_ALL; or \"en\" or \"ru\".\n")
	line("language", quote(d.Language))
	c("# The profile used when neither --profile nor %s names one.\n", EnvProfile)
	line("default_profile", quote("work"))

	b.WriteString("\n")
	c("# Keys of every dashboard action: a list of key names such as \"k\", \"up\", \"pgdown\", \"ctrl+r\".\n")
	b.WriteString("# [keys]\n")
	for _, a := range Actions {
		line(a, quoteList(d.Keys[a]))
	}

	b.WriteString("\n")
	c("# Colour overrides on top of the theme: \"#rrggbb\", \"#rgb\" or an ANSI index from 0 to 255.\n")
	c("# Roles: %s.\n", strings.Join(ColorRoles, ", "))
	b.WriteString("# [colors]\n")
	line("highlight_bg", quote("#ffd75f"))

	b.WriteString("\n")
	c("# How linedesk tells you about new work.\n")
	b.WriteString("# [notifications]\n")
	line("enabled", boolText(d.Notifications.Enabled))
	line("bell", boolText(d.Notifications.Bell))
	line("desktop", boolText(d.Notifications.Desktop))

	b.WriteString("\n")
	c("# Portals, one table per profile; `linedesk init` adds them and keeps the webhook\n")
	c("# in the OS keyring when there is one. A webhook written here makes this file a secret:\n")
	c("# keep it readable by you alone (chmod 600).\n")
	b.WriteString("# [profiles.work]\n")
	line("webhook_url", quote("https://example.bitrix24.ru/rest/1/CODE/"))
	line("plan", quote(string(PlanEnterprise)))
	return []byte(b.String())
}

func boolText(v bool) string {
	if v {
		return "true"
	}
	return "false"
}
