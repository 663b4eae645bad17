package config

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/BurntSushi/toml"
)

// Error is a configuration mistake. Its text is one line naming where
// (file and line, env variable or flag), the key, what is wrong and what
// is allowed. Every error Load returns is an *Error; callers exit 2.
type Error struct {
	Where string // "PATH:LINE", "PATH", "env NAME" or "flag --name"
	Key   string // dotted key; "" when Where already names the setting
	Msg   string

	where, msg msg // the same, for rendering in another language
}

// newError builds an *Error from its parts; Where and Msg are their English text.
func newError(where msg, key string, m msg) *Error {
	return &Error{Where: where.in("en"), Key: key, Msg: m.in("en"), where: where, msg: m}
}

func (e *Error) Error() string { return e.In("en") }

// In renders the error in lang ("en" or "ru"), one line.
func (e *Error) In(lang string) string {
	where, m := e.where, e.msg
	if where.empty() && m.empty() { // built by hand rather than by newError
		where, m = raw(e.Where), raw(e.Msg)
	}
	s := where.in(lang) + ": "
	if e.Key != "" {
		s += msgf("key %s: ", strconv.Quote(e.Key)).in(lang)
	}
	return oneLine(s + m.in(lang))
}

// oneLine makes text safe for one terminal line: controls become spaces.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			return ' '
		}
		return r
	}, s)
}

// syntaxError turns the TOML parser's error into an *Error. The line comes
// from the error's byte offset: the parser's own line number is one too far
// when the mistake is a line's end.
func syntaxError(path, text string, err error, hint msg) *Error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return newError(raw(path), "", msgf("invalid TOML: %s (%s)", err.Error(), hint))
	}
	line := pe.Position.Line
	if pe.Position.Start > 0 && pe.Position.Start <= len(text) {
		line = strings.Count(text[:pe.Position.Start], "\n") + 1
	}
	return newError(raw(fmt.Sprintf("%s:%d", path, line)), "", msgf("invalid TOML: %s (%s)", strings.TrimSuffix(pe.Message, "."), hint))
}

// topLevel lists the file's top-level keys in the order Show prints them.
var topLevel = []string{
	"refresh", "highlight", "plan", "timeout", "columns", "theme", "language",
	"default_profile", "keys", "colors", "notifications", "profiles",
}

var (
	notificationKeys = []string{"enabled", "bell", "desktop"}
	profileKeys      = []string{"webhook_url", "webhook_in_keyring", "plan", "oauth"}
	oauthKeys        = []string{"endpoint", "token_url", "client_id", "client_secret", "access_token", "refresh_token", "expires"}
	secretKeys       = []string{"webhook_url", "client_secret", "access_token", "refresh_token"}
)

// setScalar applies one top-level setting that env and flags may also set
// (and columns, which only the file sets). It returns "" on success, else
// the problem, or known=false when key is not such a setting.
func setScalar(cfg *Config, key string, v any) (problem msg, known bool) {
	switch key {
	case "refresh":
		d, m := checkRefresh(v)
		if m.empty() {
			cfg.Refresh = d
		}
		return m, true
	case "highlight":
		d, m := checkHighlight(v)
		if m.empty() {
			cfg.Highlight = d
		}
		return m, true
	case "timeout":
		d, m := checkTimeout(v)
		if m.empty() {
			cfg.Timeout = d
		}
		return m, true
	case "plan":
		p, m := checkPlan(v)
		if m.empty() {
			cfg.Plan = p
		}
		return m, true
	case "theme":
		t, m := checkTheme(v)
		if m.empty() {
			cfg.Theme = t
		}
		return m, true
	case "language":
		l, m := checkLanguage(v)
		if m.empty() {
			cfg.Language = l
		}
		return m, true
	case "columns":
		c, m := checkColumns(v)
		if m.empty() {
			cfg.Columns = c
		}
		return m, true
	}
	return msg{}, false
}

// fileParser validates a decoded file key by key, in document order, so
// that the first mistake in the file is the one reported.
type fileParser struct {
	path    string
	text    string
	raw     map[string]any
	lay     *layout
	cfg     *Config
	origins map[string]Origin

	done      map[string]bool
	profiles  map[string]*Profile
	profOrder []string            // profile names in document order
	userKeys  []string            // actions bound in the file, in document order
	paths     map[string][]string // key string → path, for line lookups
	secrets   bool                // a secret value is in the file
}

// parseFile overlays the file's settings on cfg, recording their origins.
// It reports whether the file holds a secret.
func parseFile(path, text string, cfg *Config, origins map[string]Origin) (bool, error) {
	text = strings.TrimPrefix(text, "\uFEFF")
	var raw map[string]any
	md, err := toml.Decode(text, &raw)
	if err != nil {
		return false, syntaxError(path, text, err, msgf("fix the syntax; see toml.io"))
	}
	p := &fileParser{
		path: path, text: text, raw: raw, cfg: cfg, origins: origins,
		done: map[string]bool{}, profiles: map[string]*Profile{}, paths: map[string][]string{},
	}
	for _, k := range md.Keys() {
		for n := 1; n <= len(k); n++ {
			ks := k[:n].String()
			if p.done[ks] {
				continue
			}
			p.done[ks] = true
			p.paths[ks] = slices.Clone(k[:n])
			if err := p.check(k[:n]); err != nil {
				return false, err
			}
		}
	}
	if err := p.finish(); err != nil {
		return false, err
	}
	return p.secrets, nil
}

func (p *fileParser) line(path []string) int {
	if p.lay == nil {
		p.lay = scanLayout(p.text)
	}
	return p.lay.lineOf(path)
}

func (p *fileParser) fail(path []string, m msg) error {
	where := p.path
	if n := p.line(path); n > 0 {
		where = fmt.Sprintf("%s:%d", p.path, n)
	}
	return newError(raw(where), toml.Key(path).String(), m)
}

func (p *fileParser) unknown(path []string, known []string) error {
	return p.fail(path, msgf("unknown key (%sknown: %s)", suggest(path[len(path)-1], known), strings.Join(known, ", ")))
}

func (p *fileParser) fromFile(path []string) {
	p.origins[toml.Key(path).String()] = Origin{Source: FromFile}
}

// lookup finds the value at path in the decoded document.
func lookup(m map[string]any, path []string) (any, bool) {
	var cur any = m
	for _, k := range path {
		t, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = t[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func (p *fileParser) table(path []string, v any, example msg) error {
	if _, ok := v.(map[string]any); ok {
		return nil
	}
	return p.fail(path, msgf("%s is not a table (use %s)", describe(v), example))
}

func (p *fileParser) check(path []string) error {
	v, _ := lookup(p.raw, path)
	switch len(path) {
	case 1:
		return p.checkTop(path, v)
	case 2:
		return p.checkSecond(path, v)
	case 3:
		if path[0] == "profiles" {
			return p.checkProfileKey(path, v)
		}
	case 4:
		if path[0] == "profiles" && path[2] == "oauth" {
			return p.checkOAuthKey(path, v)
		}
	}
	return p.fail(path, msgf("unknown key (this setting has no sub-keys)"))
}

func (p *fileParser) checkTop(path []string, v any) error {
	key := path[0]
	if m, known := setScalar(p.cfg, key, v); known {
		if !m.empty() {
			return p.fail(path, m)
		}
		p.fromFile(path)
		return nil
	}
	switch key {
	case "default_profile":
		s, m := checkText(v, false)
		if !m.empty() {
			return p.fail(path, m)
		}
		p.cfg.DefaultProfile = s
		p.fromFile(path)
		return nil
	case "keys":
		return p.table(path, v, msgf(`[keys] with lines such as up = ["k", "up"]`))
	case "colors":
		return p.table(path, v, msgf(`[colors] with lines such as highlight_bg = "#ffd75f"`))
	case "notifications":
		return p.table(path, v, msgf("[notifications] with enabled, bell and desktop"))
	case "profiles":
		return p.table(path, v, msgf("[profiles.NAME] tables"))
	}
	return p.unknown(path, topLevel)
}

func (p *fileParser) checkSecond(path []string, v any) error {
	name := path[1]
	switch path[0] {
	case "keys":
		if !slices.Contains(Actions, name) {
			return p.fail(path, msgf("unknown action (%sknown: %s)", suggest(name, Actions), strings.Join(Actions, ", ")))
		}
		keys, m := checkKeys(v)
		if !m.empty() {
			return p.fail(path, m)
		}
		p.cfg.Keys[name] = keys
		p.userKeys = append(p.userKeys, name)
		p.fromFile(path)
		return nil
	case "colors":
		if !slices.Contains(ColorRoles, name) {
			return p.fail(path, msgf("unknown colour role (%sknown: %s)", suggest(name, ColorRoles), strings.Join(ColorRoles, ", ")))
		}
		c, m := checkColor(v)
		if !m.empty() {
			return p.fail(path, m)
		}
		p.cfg.Colors[name] = c
		p.fromFile(path)
		return nil
	case "notifications":
		if !slices.Contains(notificationKeys, name) {
			return p.unknown(path, notificationKeys)
		}
		b, m := checkBool(v)
		if !m.empty() {
			return p.fail(path, m)
		}
		switch name {
		case "enabled":
			p.cfg.Notifications.Enabled = b
		case "bell":
			p.cfg.Notifications.Bell = b
		case "desktop":
			p.cfg.Notifications.Desktop = b
		}
		p.fromFile(path)
		return nil
	case "profiles":
		if m := checkProfileName(name); !m.empty() {
			return p.fail(path, m)
		}
		if err := p.table(path, v, msgf("[profiles.%s] with webhook_url or an oauth table", toml.Key{name}.String())); err != nil {
			return err
		}
		p.profiles[name] = &Profile{Name: name}
		p.profOrder = append(p.profOrder, name)
		return nil
	}
	return p.fail(path, msgf("unknown key (this setting has no sub-keys)"))
}

func (p *fileParser) checkProfileKey(path []string, v any) error {
	prof := p.profiles[path[1]]
	var m msg
	switch path[2] {
	case "webhook_url":
		prof.WebhookURL, m = checkWebhookURL(v)
		p.secrets = true
	case "webhook_in_keyring":
		prof.WebhookInKeyring, m = checkBool(v)
	case "plan":
		prof.Plan, m = checkPlan(v)
	case "oauth":
		if err := p.table(path, v, msgf("[profiles.%s.oauth] with endpoint, client_id, client_secret and tokens", toml.Key{path[1]}.String())); err != nil {
			return err
		}
		prof.OAuth = &OAuth{}
	default:
		if slices.Contains(topLevel, path[2]) {
			// TOML puts a line below [profiles.NAME] into that table.
			return p.fail(path, msgf("unknown key (%s is a setting of its own: move the line above the first [table]; known here: %s)", path[2], strings.Join(profileKeys, ", ")))
		}
		return p.unknown(path, profileKeys)
	}
	if !m.empty() {
		return p.fail(path, m)
	}
	p.fromFile(path)
	return nil
}

func (p *fileParser) checkOAuthKey(path []string, v any) error {
	o := p.profiles[path[1]].OAuth
	var m msg
	field := path[3]
	if slices.Contains(secretKeys, field) {
		p.secrets = true
	}
	switch field {
	case "endpoint":
		o.Endpoint, m = checkEndpointURL(v)
	case "token_url":
		o.TokenURL, m = checkEndpointURL(v)
	case "client_id":
		o.ClientID, m = checkText(v, false)
	case "client_secret":
		o.ClientSecret, m = checkText(v, true)
	case "access_token":
		o.AccessToken, m = checkText(v, true)
	case "refresh_token":
		o.RefreshToken, m = checkText(v, true)
	case "expires":
		o.Expires, m = checkTime(v)
	default:
		return p.unknown(path, oauthKeys)
	}
	if !m.empty() {
		return p.fail(path, m)
	}
	p.fromFile(path)
	return nil
}

// finish runs the checks that need the whole file.
func (p *fileParser) finish() error {
	// Key conflicts: a key bound in the file must not also trigger another action.
	for _, action := range p.userKeys {
		for _, k := range p.cfg.Keys[action] {
			for _, other := range Actions {
				if other != action && slices.Contains(p.cfg.Keys[other], k) {
					return p.fail([]string{"keys", action}, msgf("%q is also bound to %s (give %s other keys too, or choose another key)", k, other, other))
				}
			}
		}
	}
	for _, name := range p.profOrder {
		prof := p.profiles[name]
		base := []string{"profiles", name}
		at := func(k ...string) []string { return append(slices.Clone(base), k...) }
		hasWebhook := prof.WebhookURL != "" || prof.WebhookInKeyring
		switch {
		case prof.WebhookURL != "" && prof.WebhookInKeyring:
			return p.fail(at("webhook_in_keyring"), msgf("set either webhook_url or webhook_in_keyring = true, not both"))
		case hasWebhook && prof.OAuth != nil:
			return p.fail(at("oauth"), msgf("a profile has either a webhook or an oauth table, not both (make two profiles)"))
		case !hasWebhook && prof.OAuth == nil:
			return p.fail(base, msgf("the profile has no credentials (set webhook_url, or webhook_in_keyring = true, or add an oauth table; `linedesk init` writes one)"))
		}
		if o := prof.OAuth; o != nil {
			var missing msg
			switch {
			case o.Endpoint == "":
				missing = msgf(`endpoint (the portal's REST address, e.g. "https://portal.bitrix24.ru/rest/")`)
			case o.ClientID == "":
				missing = msgf("client_id (the local application's client ID)")
			case o.ClientSecret == "":
				missing = msgf("client_secret (the local application's client secret)")
			case o.AccessToken == "" && o.RefreshToken == "":
				missing = msgf("refresh_token (or access_token) from the application's installation")
			}
			if !missing.empty() {
				return p.fail(at("oauth"), msgf("missing %s", missing))
			}
		}
		p.cfg.Profiles[name] = *prof
	}
	if d := p.cfg.DefaultProfile; d != "" {
		if _, ok := p.cfg.Profiles[d]; !ok {
			return p.fail([]string{"default_profile"}, msgf("no profile %q %s", d, knownProfiles(p.cfg.ProfileNames())))
		}
	}
	return nil
}

func knownProfiles(names []string) msg {
	if len(names) == 0 {
		return msgf("(this file defines no profiles; add [profiles.NAME] or run `linedesk init`)")
	}
	return msgf("(known: %s)", strings.Join(names, ", "))
}
