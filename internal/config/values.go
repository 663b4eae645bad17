package config

import (
	"fmt"
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
func describe(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return "the date " + x.Format(time.RFC3339)
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "an array of tables"
	default:
		return "this value"
	}
}

// describeSecret names only the kind of a value that must not be echoed.
func describeSecret(v any) string {
	switch v.(type) {
	case string:
		return "this text"
	case int64, float64:
		return "a number"
	case bool:
		return "a boolean"
	case time.Time:
		return "a date"
	case []any:
		return "a list"
	default:
		return "a table"
	}
}

func parseDuration(v any, hint string) (time.Duration, string) {
	switch x := v.(type) {
	case string:
		d, err := time.ParseDuration(strings.TrimSpace(x))
		if err != nil {
			return 0, fmt.Sprintf("%q is not a duration (%s)", x, hint)
		}
		if d < 0 {
			return 0, fmt.Sprintf("%q is negative (%s)", x, hint)
		}
		return d, ""
	case int64:
		if x == 0 {
			return 0, ""
		}
	}
	return 0, fmt.Sprintf("%s is not a duration (%s)", describe(v), hint)
}

func checkRefresh(v any) (time.Duration, string) {
	const hint = `use e.g. "10s"; 0 turns refresh off`
	d, msg := parseDuration(v, hint)
	if msg == "" && d > 0 && d < MinRefresh {
		return 0, fmt.Sprintf("%s is below the %s minimum (use %s or more; 0 turns refresh off)", describe(v), fmtDuration(MinRefresh), fmtDuration(MinRefresh))
	}
	return d, msg
}

func checkHighlight(v any) (time.Duration, string) {
	return parseDuration(v, `use e.g. "60s"; 0 keeps highlights until esc`)
}

func checkTimeout(v any) (time.Duration, string) {
	hint := fmt.Sprintf(`use a duration from %s to %s, e.g. "30s"`, fmtDuration(MinTimeout), fmtDuration(MaxTimeout))
	d, msg := parseDuration(v, hint)
	if msg == "" && (d < MinTimeout || d > MaxTimeout) {
		return 0, fmt.Sprintf("%s is out of range (%s)", describe(v), hint)
	}
	return d, msg
}

// choice checks v against a closed list of lower-case words, accepting any
// case.
func choice(v any, what string, allowed []string) (string, string) {
	if s, ok := v.(string); ok {
		l := strings.ToLower(strings.TrimSpace(s))
		if slices.Contains(allowed, l) {
			return l, ""
		}
	}
	return "", fmt.Sprintf("%s is not %s (use %s)", describe(v), what, orList(allowed))
}

func checkPlan(v any) (Plan, string) {
	s, msg := choice(v, "a plan", []string{string(PlanStandard), string(PlanEnterprise)})
	return Plan(s), msg
}

func checkTheme(v any) (string, string)    { return choice(v, "a theme", Themes) }
func checkLanguage(v any) (string, string) { return choice(v, "a language", Languages) }

func checkBool(v any) (bool, string) {
	if b, ok := v.(bool); ok {
		return b, ""
	}
	return false, fmt.Sprintf("%s is not true or false (use true or false, without quotes)", describe(v))
}

func checkColumns(v any) ([]string, string) {
	known := "known: " + strings.Join(Columns, ", ")
	var list []any
	switch x := v.(type) {
	case []any:
		list = x
	case string: // a single column is a list of one
		list = []any{x}
	default:
		return nil, fmt.Sprintf(`%s is not a list of columns (use e.g. ["pin", "id", "client"]; %s)`, describe(v), known)
	}
	if len(list) == 0 {
		return nil, fmt.Sprintf("the list is empty (name at least one column; %s)", known)
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		l := strings.ToLower(strings.TrimSpace(s))
		if !ok || !slices.Contains(Columns, l) {
			return nil, fmt.Sprintf("%s is not a column (%s)", describe(e), known)
		}
		if slices.Contains(out, l) {
			return nil, fmt.Sprintf("%q is listed twice (list each column once)", l)
		}
		out = append(out, l)
	}
	return out, ""
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

func checkKeys(v any) ([]string, string) {
	const hint = `use a character such as "k" or a name such as "up", "pgdown", "ctrl+r"`
	var list []any
	switch x := v.(type) {
	case []any:
		list = x
	case string:
		list = []any{x}
	default:
		return nil, fmt.Sprintf(`%s is not a list of keys (use e.g. ["k", "up"])`, describe(v))
	}
	if len(list) == 0 {
		return nil, `no keys given (use e.g. ["k", "up"]; delete the line to keep the default keys)`
	}
	var out []string
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Sprintf("%s is not a key name (%s)", describe(e), hint)
		}
		k, ok := normalizeKey(s)
		if !ok {
			return nil, fmt.Sprintf("%s is not a key name (%s)", describe(e), hint)
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out, ""
}

var hexColor = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

func checkColor(v any) (string, string) {
	switch x := v.(type) {
	case string:
		s := strings.TrimSpace(x)
		if hexColor.MatchString(s) {
			return strings.ToLower(s), ""
		}
		if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 255 && s == strconv.Itoa(n) {
			return s, ""
		}
	case int64:
		if x >= 0 && x <= 255 {
			return strconv.FormatInt(x, 10), ""
		}
	}
	return "", fmt.Sprintf(`%s is not a colour (use "#rrggbb", "#rgb" or an ANSI index from 0 to 255)`, describe(v))
}

var profileName = regexp.MustCompile(`^[\p{L}\p{N}_-]+$`)

func checkProfileName(name string) string {
	if !profileName.MatchString(name) || len(name) > 64 {
		return `profile names use letters, digits, "-" and "_" only (at most 64)`
	}
	return ""
}

// webhookPath is /rest/USER_ID/CODE/ (the trailing slash may be missing).
var webhookPath = regexp.MustCompile(`^/rest/[0-9]+/[^/]+/?$`)

// checkWebhookURL validates the shape of an incoming-webhook URL without
// ever echoing it (it holds the secret code).
func checkWebhookURL(v any) (string, string) {
	const hint = "use https://PORTAL/rest/USER_ID/CODE/ as the portal shows it"
	s, ok := v.(string)
	if !ok {
		return "", fmt.Sprintf("%s is not a webhook URL (%s)", describeSecret(v), hint)
	}
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || !webhookPath.MatchString(u.Path) {
		return "", "this is not a webhook URL (" + hint + ")"
	}
	if msg := checkScheme(u); msg != "" {
		return "", msg
	}
	return s, ""
}

// checkEndpointURL validates a plain portal URL (OAuth endpoint, token URL).
func checkEndpointURL(v any) (string, string) {
	const hint = `use e.g. "https://portal.bitrix24.ru/rest/"`
	s, ok := v.(string)
	if !ok {
		return "", fmt.Sprintf("%s is not a URL (%s)", describe(v), hint)
	}
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil {
		return "", fmt.Sprintf("%q is not a URL (%s)", s, hint)
	}
	if msg := checkScheme(u); msg != "" {
		return "", msg
	}
	return s, ""
}

func checkScheme(u *url.URL) string {
	switch u.Scheme {
	case "https":
		return ""
	case "http":
		if isLoopback(u.Hostname()) {
			return ""
		}
		return "http:// is allowed only for 127.0.0.1, ::1 and localhost (use https://)"
	}
	return "the URL must start with https:// (http:// only for 127.0.0.1, ::1 and localhost)"
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkText accepts a non-empty string; secret values are never echoed.
func checkText(v any, secret bool) (string, string) {
	if s, ok := v.(string); ok {
		s = strings.TrimSpace(s)
		if s != "" {
			return s, ""
		}
		return "", `the value is empty (write it in quotes, e.g. "…", or delete the line)`
	}
	d := describe(v)
	if secret {
		d = describeSecret(v)
	}
	return "", fmt.Sprintf(`%s is not text (write it in quotes, e.g. "…")`, d)
}

func checkTime(v any) (time.Time, string) {
	switch x := v.(type) {
	case time.Time:
		return x, ""
	case string:
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(x)); err == nil {
			return t, ""
		}
	}
	return time.Time{}, fmt.Sprintf("%s is not a date and time (use e.g. 2026-01-31T18:00:00Z)", describe(v))
}

// orList renders a, b or c with each quoted.
func orList(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = strconv.Quote(w)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
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

// suggest returns ` (did you mean "x"?)` for a near miss among known.
func suggest(word string, known []string) string {
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
		return ""
	}
	return fmt.Sprintf("did you mean %q? ", best)
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
