package config

import (
	"maps"
	"slices"
	"time"

	"github.com/linedesk/linedesk/internal/i18n"
)

// Plan is the portal's rate-limit plan, as written in the config file.
type Plan string

// The plans linedesk knows; api.PlanStandard and api.PlanEnterprise.
const (
	PlanStandard   Plan = "standard"
	PlanEnterprise Plan = "enterprise"
)

// Limits on the durations in the file.
const (
	// MinRefresh is the shortest auto-refresh interval; anything shorter
	// (other than 0, which turns auto-refresh off) is rejected, not raised,
	// so that the file says what linedesk does.
	MinRefresh = 3 * time.Second
	// MinTimeout and MaxTimeout bound the per-request timeout.
	MinTimeout = time.Second
	MaxTimeout = 10 * time.Minute
)

// Columns are the dashboard's column names, in their default order.
var Columns = []string{"pin", "id", "client", "channel", "line", "status", "unread", "age", "message"}

// Actions are the dashboard's rebindable actions; every one has default keys
// in Default().Keys.
var Actions = []string{
	"up", "down", "page_up", "page_down", "top", "bottom",
	"refresh", "unpin_all", "pin_all", "pin", "undo",
	"filter", "sort", "details", "open", "copy_id", "copy_url",
	"help", "quit", "clear_highlight",
}

// ColorRoles are the names that [colors] may override. The UI maps each to
// a style; an override is "#rrggbb", "#rgb" or an ANSI index "0".."255".
var ColorRoles = []string{
	"fg", "bg", "muted", "accent", "border",
	"header_fg", "header_bg",
	"cursor_fg", "cursor_bg",
	"highlight_fg", "highlight_bg",
	"pinned", "unread", "offer", "closed",
	"status_ok", "status_warn", "status_error",
	"dialog_border", "button_fg", "button_bg", "button_focus_fg", "button_focus_bg",
}

// Themes and languages the file accepts.
var (
	Themes    = []string{"auto", "dark", "light"}
	Languages = []string{"auto", "en", "ru"}
)

// Config is linedesk's configuration: Default() overlaid by the file, env
// and flags. The zero value is not useful; start from Default().
type Config struct {
	Refresh        time.Duration       // auto-refresh interval; 0 = off, else ≥ MinRefresh
	Highlight      time.Duration       // how long result rows stay highlighted; 0 = until esc
	Plan           Plan                // rate-limit plan
	Timeout        time.Duration       // per HTTP request
	Columns        []string            // shown columns, in order (names from Columns)
	Keys           map[string][]string // action → keys (Bubble Tea key strings: "k", "up", "ctrl+r")
	Theme          string              // "auto", "dark" or "light"
	Colors         map[string]string   // role → "#rrggbb" or ANSI index; only overrides
	Language       string              // "auto", "en" or "ru"; see ResolveLanguage
	Notifications  Notifications
	DefaultProfile string             // "" = none named
	Profiles       map[string]Profile // by name
}

// Notifications says how linedesk tells an operator about new work.
type Notifications struct {
	Enabled bool // master switch
	Bell    bool // terminal bell
	Desktop bool // OSC 9 / 777 desktop notification
}

// Profile is one portal. It holds either a webhook (in the file or in the
// OS keyring) or an OAuth local application.
type Profile struct {
	Name             string
	WebhookURL       string // secret; "" when kept in the keyring or for OAuth
	WebhookInKeyring bool   // the webhook URL is in the SecretStore under Name
	OAuth            *OAuth // nil for webhook profiles
	Plan             Plan   // "" = the top-level plan
}

// OAuth is a local application's settings and its current token pair.
type OAuth struct {
	Endpoint     string // client_endpoint, e.g. "https://portal.bitrix24.ru/rest/"
	TokenURL     string // "" = the client's default
	ClientID     string
	ClientSecret string // secret
	AccessToken  string // secret
	RefreshToken string // secret
	Expires      time.Time
}

// Token is a token pair to save back with SaveTokens. Its fields match
// api.Token, so config.Token(apiToken) converts.
type Token struct {
	Access, Refresh string
	Expires         time.Time
	Endpoint        string
}

// Default returns the built-in configuration; the only place defaults live.
func Default() Config {
	return Config{
		Refresh:   10 * time.Second,
		Highlight: 60 * time.Second,
		Plan:      PlanStandard,
		Timeout:   30 * time.Second,
		Columns:   slices.Clone(Columns),
		Keys: map[string][]string{
			"up":              {"up", "k"},
			"down":            {"down", "j"},
			"page_up":         {"pgup"},
			"page_down":       {"pgdown"},
			"top":             {"home", "g"},
			"bottom":          {"end", "G"},
			"refresh":         {"r"},
			"unpin_all":       {"u"},
			"pin_all":         {"P"},
			"pin":             {"p"},
			"undo":            {"U"},
			"filter":          {"/"},
			"sort":            {"s"},
			"details":         {"enter"},
			"open":            {"o"},
			"copy_id":         {"c"},
			"copy_url":        {"C"},
			"help":            {"?"},
			"quit":            {"q", "ctrl+c"},
			"clear_highlight": {"esc"},
		},
		Theme:         "auto",
		Colors:        map[string]string{},
		Language:      "auto",
		Notifications: Notifications{Enabled: true, Bell: true, Desktop: true},
		Profiles:      map[string]Profile{},
	}
}

// clone deep-copies c so that Effective values never share maps with Default.
func (c Config) clone() Config {
	out := c
	out.Columns = slices.Clone(c.Columns)
	out.Keys = make(map[string][]string, len(c.Keys))
	for k, v := range c.Keys {
		out.Keys[k] = slices.Clone(v)
	}
	out.Colors = maps.Clone(c.Colors)
	out.Profiles = make(map[string]Profile, len(c.Profiles))
	for k, p := range c.Profiles {
		if p.OAuth != nil {
			o := *p.OAuth
			p.OAuth = &o
		}
		out.Profiles[k] = p
	}
	return out
}

// ProfileNames lists the profiles, sorted.
func (c Config) ProfileNames() []string {
	return slices.Sorted(maps.Keys(c.Profiles))
}

// ResolveLanguage turns the language setting into "en" or "ru": "auto"
// reads LC_ALL, LC_MESSAGES, then LANG (the first that is set), Russian
// when it starts with "ru", English otherwise. lookupEnv nil = os.LookupEnv.
func ResolveLanguage(setting string, lookupEnv func(string) (string, bool)) string {
	if setting == "en" || setting == "ru" {
		return setting
	}
	lookupEnv = orOSEnv(lookupEnv)
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v, ok := lookupEnv(name)
		if !ok || v == "" {
			continue
		}
		return string(i18n.Parse(v)) // the first locale variable set decides
	}
	return "en"
}
