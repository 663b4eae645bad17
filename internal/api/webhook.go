package api

import (
	"errors"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Webhook is a parsed incoming-webhook URL (PROTOCOL §1.1, §1.5). Code is
// the secret: String, GoString and every error print "***" in its place.
type Webhook struct {
	Scheme string // "https", or "http" for loopback hosts
	Host   string // host[:port]
	UserID int64  // the employee the webhook acts as
	Code   string // the secret
}

const webhookShape = "webhook URL must look like https://PORTAL/rest/USER_ID/CODE/"

var (
	webhookCode   = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	webhookMethod = regexp.MustCompile(`^[A-Za-z0-9_.]+$`)
)

// ParseWebhookURL validates an incoming-webhook URL. Plain http:// is
// accepted only for loopback hosts (127.0.0.0/8, ::1, localhost). A trailing
// method name copied along with the URL ("…/CODE/profile") is dropped.
// Errors are one line, say what to fix, and never contain the code.
func ParseWebhookURL(raw string) (Webhook, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Webhook{}, errors.New("no webhook URL given; " + webhookShape)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return Webhook{}, errors.New(webhookShape)
	}
	if err := checkScheme(u, "webhook URL"); err != nil {
		return Webhook{}, err
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return Webhook{}, errors.New(webhookShape + " (no user name, query or fragment)")
	}
	return parseWebhookPath(u)
}

func parseWebhookPath(u *url.URL) (Webhook, error) {
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) == 4 && webhookMethod.MatchString(parts[3]) {
		parts = parts[:3]
	}
	if len(parts) != 3 || parts[0] != "rest" {
		return Webhook{}, errors.New(webhookShape + " (the path must be /rest/USER_ID/CODE/)")
	}
	id, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || id <= 0 {
		return Webhook{}, errors.New(webhookShape + " (USER_ID must be a positive number)")
	}
	if !webhookCode.MatchString(parts[2]) {
		return Webhook{}, errors.New(webhookShape + " (CODE may hold only letters, digits, '_' and '-')")
	}
	return Webhook{Scheme: strings.ToLower(u.Scheme), Host: u.Host, UserID: id, Code: parts[2]}, nil
}

// checkScheme allows https everywhere and http only for loopback hosts.
func checkScheme(u *url.URL, what string) error {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if IsLoopbackHost(u.Hostname()) {
			return nil
		}
		return errors.New(what + " must use https:// (plain http:// is allowed only for loopback hosts such as 127.0.0.1)")
	}
	return errors.New(what + " must start with https://")
}

// IsLoopbackHost reports whether host (without port) is localhost or a
// loopback address (127.0.0.0/8, ::1).
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// BaseURL is the REST base with the secret: https://HOST/rest/USER_ID/CODE/.
// Use it only to send requests.
func (w Webhook) BaseURL() string {
	return w.Scheme + "://" + w.Host + "/rest/" + strconv.FormatInt(w.UserID, 10) + "/" + w.Code + "/"
}

// Redacted is the URL with the code replaced by "***", safe to show or log.
func (w Webhook) Redacted() string {
	return w.Scheme + "://" + w.Host + "/rest/" + strconv.FormatInt(w.UserID, 10) + "/***/"
}

// String is Redacted, so that %v and %+v never print the code.
func (w Webhook) String() string { return w.Redacted() }

// GoString is Redacted, so that %#v never prints the code.
func (w Webhook) GoString() string { return "api.Webhook(" + w.Redacted() + ")" }

// endpointURL validates an OAuth REST endpoint or token URL.
func endpointURL(raw, what string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.Opaque != "" || u.User != nil {
		return nil, errors.New(what + " must look like https://HOST/PATH/")
	}
	if err := checkScheme(u, what); err != nil {
		return nil, err
	}
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}
