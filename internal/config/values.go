package config

import (
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A value check returns "" when v is fine, else what is wrong and what is
// allowed, with no location: `"fast" is not a duration (use e.g. "10s")`.

// describe renders a TOML value for an error message, quoting strings so
// that no control character reaches the terminal.
func describe(v any) msg {
	switch x := v.(type) {
	case string:
		return raw(strconv.Quote(x))
	case int64:
		return raw(strconv.FormatInt(x, 10))
	case float64:
		return raw(strconv.FormatFloat(x, 'g', -1, 64))
	case bool:
		return raw(strconv.FormatBool(x))
	case time.Time:
		return msgf("the date %s", x.Format(time.RFC3339))
	case []any:
		return msgf("a list")
	case map[string]any:
		return msgf("a table")
	case []map[string]any:
		return msgf("an array of tables")
	default:
		return msgf("this value")
	}
}

// describeSecret names only the kind of a value that must not be echoed.
func describeSecret(v any) msg {
	switch v.(type) {
	case string:
		return msgf("this text")
	case int64, float64:
		return msgf("a number")
	case bool:
		return msgf("a boolean")
	case time.Time:
		return msgf("a date")
	case []any:
		return msgf("a list")
	default:
		return msgf("a table")
	}
}

func parseDuration(v any, hint msg) (time.Duration, msg) {
	switch x := v.(type) {
	case string:
		d, err := time.ParseDuration(strings.TrimSpace(x))
		if err != nil {
			return 0, msgf("%q is not a duration (%s)", x, hint)
		}
		if d < 0 {
			return 0, msgf("%q is negative (%s)", x, hint)
		}
		return d, msg{}
	case int64:
		if x == 0 {
			return 0, msg{}
		}
	}
	return 0, msgf("%s is not a duration (%s)", describe(v), hint)
}

func checkRefresh(v any) (time.Duration, msg) {
	d, m := parseDuration(v, msgf(`use e.g. "10s"; 0 turns refresh off`))
	if m.empty() && d > 0 && d < MinRefresh {
		return 0, msgf("%s is below the %s minimum (use %s or more; 0 turns refresh off)", describe(v), fmtDuration(MinRefresh), fmtDuration(MinRefresh))
	}
	return d, m
}

func checkHighlight(v any) (time.Duration, msg) {
	return parseDuration(v, msgf(`use e.g. "60s"; 0 keeps highlights until esc`))
}

func checkTimeout(v any) (time.Duration, msg) {
	hint := msgf(`use a duration from %s to %s, e.g. "30s"`, fmtDuration(MinTimeout), fmtDuration(MaxTimeout))
	d, m := parseDuration(v, hint)
	if m.empty() && (d < MinTimeout || d > MaxTimeout) {
		return 0, msgf("%s is out of range (%s)", describe(v), hint)
	}
	return d, m
}

// choice checks v against a closed list of lower-case words, accepting any
// case.
func choice(v any, what msg, allowed []string) (string, msg) {
	if s, ok := v.(string); ok {
		l := strings.ToLower(strings.TrimSpace(s))
		if slices.Contains(allowed, l) {
			return l, msg{}
		}
	}
	return "", msgf("%s is not %s (use %s)", describe(v), what, orList(allowed))
}

func checkPlan(v any) (Plan, msg) {
	s, m := choice(v, msgf("a plan"), []string{string(PlanStandard), string(PlanEnterprise)})
	return Plan(s), m
}

func checkTheme(v any) (string, msg)    { return choice(v, msgf("a theme"), Themes) }
func checkLanguage(v any) (string, msg) { return choice(v, msgf("a language"), Languages) }

func checkBool(v any) (bool, msg) {
	if b, ok := v.(bool); ok {
		return b, msg{}
	}
	return false, msgf("%s is not true or false (use true or false, without quotes)", describe(v))
}

func checkColumns(v any) ([]string, msg) {
	known := strings.Join(Columns, ", ")
	var list []any
	switch x := v.(type) {
	case []any:
		list = x
	case string: // a single column is a list of one
		list = []any{x}
	default:
		return nil, msgf(`%s is not a list of columns (use e.g. ["pin", "id", "client"]; known: %s)`, describe(v), known)
	}
	if len(list) == 0 {
		return nil, msgf("the list is empty (name at least one column; known: %s)", known)
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		l := strings.ToLower(strings.TrimSpace(s))
		if !ok || !slices.Contains(Columns, l) {
			return nil, msgf("%s is not a column (known: %s)", describe(e), known)
		}
		if slices.Contains(out, l) {
			return nil, msgf("%q is listed twice (list each column once)", l)
		}
		out = append(out, l)
	}
	return out, msg{}
}

// namedKeys are Bubble Tea v2's names for non-character keys, with the
// aliases people type mapped to them.
var namedKeys = map[string]string{
	"enter": "enter", "return": "enter",
	"tab": "tab", "backspace": "backspace",
	"esc": "esc", "escape": "esc",
	"space": "space", " ": "space",
	"up": "up", "down": "down", "left": "left", "right": "right",
	"insert": "insert", "ins": "insert",
	"delete": "delete", "del": "delete",
	"pgup": "pgup", "pageup": "pgup",
	"pgdown": "pgdown", "pgdn": "pgdown", "pagedown": "pgdown",
	"home": "home", "end": "end",
}

var fnKey = regexp.MustCompile(`^f([1-9]|1[0-9]|2[0-4])$`)

// modifiers in Bubble Tea's canonical order.
var modifiers = []string{"ctrl", "alt", "shift", "meta", "hyper", "super"}

// normalizeKey returns the Bubble Tea key string for a key name from the
// file ("Ctrl+R" → "ctrl+r", "PageDown" → "pgdown"), or ok=false.
func normalizeKey(s string) (string, bool) {
	if s == "" || !utf8.ValidString(s) {
		return "", false
	}
	if s == " " {
		return "space", true
	}
	base, prefix := s, ""
	if strings.HasSuffix(s, "++") {
		base, prefix = "+", s[:len(s)-2]
	} else if i := strings.LastIndex(s, "+"); i > 0 {
		base, prefix = s[i+1:], s[:i]
	}
	if base == "" {
		return "", false
	}
	var parts []string
	if prefix != "" {
		parts = strings.Split(prefix, "+")
	}
	var mods []string
	for _, m := range parts {
		m = strings.ToLower(strings.TrimSpace(m))
		if m == "control" {
			m = "ctrl"
		}
		if !slices.Contains(modifiers, m) || slices.Contains(mods, m) {
			return "", false
		}
		mods = append(mods, m)
	}
	var name string
	if n, ok := namedKeys[strings.ToLower(base)]; ok && utf8.RuneCountInString(base) > 1 {
		name = n
	} else if l := strings.ToLower(base); fnKey.MatchString(l) {
		name = l
	} else if r, size := utf8.DecodeRuneInString(base); size == len(base) && unicode.IsPrint(r) && !unicode.IsSpace(r) {
		name = base
		if len(mods) > 0 && (mods[0] == "ctrl" || mods[0] == "alt") {
			name = strings.ToLower(base) // "ctrl+R" arrives as "ctrl+r"
		}
	} else {
		return "", false
	}
	slices.SortFunc(mods, func(a, b string) int {
		return slices.Index(modifiers, a) - slices.Index(modifiers, b)
	})
	return strings.Join(append(mods, name), "+"), true
}

func checkKeys(v any) ([]string, msg) {
	hint := msgf(`use a character such as "k" or a name such as "up", "pgdown", "ctrl+r"`)
	var list []any
	switch x := v.(type) {
	case []any:
		list = x
	case string:
		list = []any{x}
	default:
		return nil, msgf(`%s is not a list of keys (use e.g. ["k", "up"])`, describe(v))
	}
	if len(list) == 0 {
		return nil, msgf(`no keys given (use e.g. ["k", "up"]; delete the line to keep the default keys)`)
	}
	var out []string
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, msgf("%s is not a key name (%s)", describe(e), hint)
		}
		k, ok := normalizeKey(s)
		if !ok {
			return nil, msgf("%s is not a key name (%s)", describe(e), hint)
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out, msg{}
}

var hexColor = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

func checkColor(v any) (string, msg) {
	switch x := v.(type) {
	case string:
		s := strings.TrimSpace(x)
		if hexColor.MatchString(s) {
			return strings.ToLower(s), msg{}
		}
		if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 255 && s == strconv.Itoa(n) {
			return s, msg{}
		}
	case int64:
		if x >= 0 && x <= 255 {
			return strconv.FormatInt(x, 10), msg{}
		}
	}
	return "", msgf(`%s is not a colour (use "#rrggbb", "#rgb" or an ANSI index from 0 to 255)`, describe(v))
}

var profileName = regexp.MustCompile(`^[\p{L}\p{N}_-]+$`)

func checkProfileName(name string) msg {
	if !profileName.MatchString(name) || len(name) > 64 {
		return msgf(`profile names use letters, digits, "-" and "_" only (at most 64)`)
	}
	return msg{}
}

// CheckProfileName returns "" when name can be a profile's name, else a
// one-line reason in lang ("en" or "ru").
func CheckProfileName(name, lang string) string { return checkProfileName(name).in(lang) }

// webhookPath is /rest/USER_ID/CODE/ (the trailing slash may be missing).
var webhookPath = regexp.MustCompile(`^/rest/[0-9]+/[^/]+/?$`)

// checkWebhookURL validates the shape of an incoming-webhook URL without
// ever echoing it (it holds the secret code).
func checkWebhookURL(v any) (string, msg) {
	hint := msgf("use https://PORTAL/rest/USER_ID/CODE/ as the portal shows it")
	s, ok := v.(string)
	if !ok {
		return "", msgf("%s is not a webhook URL (%s)", describeSecret(v), hint)
	}
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || !webhookPath.MatchString(u.Path) {
		return "", msgf("this is not a webhook URL (%s)", hint)
	}
	if m := checkScheme(u); !m.empty() {
		return "", m
	}
	return s, msg{}
}

// CheckWebhookURL returns "" when s has the shape of an incoming-webhook
// URL (https://PORTAL/rest/USER_ID/CODE/; http:// only for loopback hosts),
// else a one-line reason in lang that never quotes s.
func CheckWebhookURL(s, lang string) string {
	_, m := checkWebhookURL(s)
	return m.in(lang)
}

// checkEndpointURL validates a plain portal URL (OAuth endpoint, token URL).
func checkEndpointURL(v any) (string, msg) {
	hint := msgf(`use e.g. "https://portal.bitrix24.ru/rest/"`)
	s, ok := v.(string)
	if !ok {
		return "", msgf("%s is not a URL (%s)", describe(v), hint)
	}
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil {
		return "", msgf("%q is not a URL (%s)", s, hint)
	}
	if m := checkScheme(u); !m.empty() {
		return "", m
	}
	return s, msg{}
}

func checkScheme(u *url.URL) msg {
	switch u.Scheme {
	case "https":
		return msg{}
	case "http":
		if isLoopback(u.Hostname()) {
			return msg{}
		}
		return msgf("http:// is allowed only for 127.0.0.1, ::1 and localhost (use https://)")
	}
	return msgf("the URL must start with https:// (http:// only for 127.0.0.1, ::1 and localhost)")
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkText accepts a non-empty string; secret values are never echoed.
func checkText(v any, secret bool) (string, msg) {
	if s, ok := v.(string); ok {
		s = strings.TrimSpace(s)
		if s != "" {
			return s, msg{}
		}
		return "", msgf(`the value is empty (write it in quotes, e.g. "…", or delete the line)`)
	}
	d := describe(v)
	if secret {
		d = describeSecret(v)
	}
	return "", msgf(`%s is not text (write it in quotes, e.g. "…")`, d)
}

func checkTime(v any) (time.Time, msg) {
	switch x := v.(type) {
	case time.Time:
		return x, msg{}
	case string:
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(x)); err == nil {
			return t, msg{}
		}
	}
	return time.Time{}, msgf("%s is not a date and time (use e.g. 2026-01-31T18:00:00Z)", describe(v))
}

// orList renders a, b or c with each quoted.
func orList(words []string) msg {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = strconv.Quote(w)
	}
	if len(q) == 1 {
		return raw(q[0])
	}
	return msgf("%s or %s", strings.Join(q[:len(q)-1], ", "), q[len(q)-1])
}

// fmtDuration prints 60s as "1m" and 90s as "1m30s", not "1m0s".
func fmtDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// suggest returns `did you mean "x"? ` for a near miss among known.
func suggest(word string, known []string) msg {
	best, bestD := "", 3
	if len(word) >= 8 {
		bestD = 4
	}
	for _, k := range known {
		if d := editDistance(strings.ToLower(word), k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return raw("")
	}
	return msgf("did you mean %q? ", best)
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 99
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
