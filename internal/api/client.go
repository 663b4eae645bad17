package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"golang.org/x/time/rate"
)

// Options configure a Client. Exactly one of WebhookURL and OAuth is set.
type Options struct {
	WebhookURL       string        // https://HOST/rest/USER_ID/CODE/ ; http:// only for loopback hosts
	OAuth            *OAuthConfig  // instead of WebhookURL
	HTTPClient       *http.Client  // nil = a client that does not follow redirects
	Plan             Plan          // selects SharedLimiter when Limiter is nil
	Limiter          *rate.Limiter // nil = SharedLimiter(Plan)
	Timeout          time.Duration // per HTTP request; 0 = 30s
	MaxResponseBytes int64         // 0 = 32 MiB
	UserAgent        string        // "" = "linedesk"
	Logger           *slog.Logger  // nil = discard; never logs secrets
	// Sleep is the test hook for every wait (backoff, rate limit,
	// operating-time reset); nil = a real timer honouring ctx.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   func() time.Time // nil = time.Now
}

// Defaults of Options.
const (
	DefaultTimeout          = 30 * time.Second
	DefaultMaxResponseBytes = 32 << 20
	DefaultUserAgent        = "linedesk"
)

// Client talks to one Bitrix24 portal as one user. It is safe for
// concurrent use.
type Client struct {
	webhook   *Webhook
	oauth     *oauthState
	http      *http.Client
	writeHTTP *http.Client // for calls that change state: never an idle connection (see fillDefaults)
	limiter   *rate.Limiter
	timeout   time.Duration
	maxBytes  int64
	userAgent string
	log       *slog.Logger
	sleep     func(context.Context, time.Duration) error
	now       func() time.Time
	resets    resets
	cache     snapshotCache
}

// New validates the options and builds a Client. It sends nothing; an
// http:// URL for a non-loopback host is refused here, before any traffic.
// Error texts never contain the webhook code or a token.
func New(opts Options) (*Client, error) {
	c := &Client{
		http:      opts.HTTPClient,
		limiter:   opts.Limiter,
		timeout:   opts.Timeout,
		maxBytes:  opts.MaxResponseBytes,
		userAgent: opts.UserAgent,
		log:       opts.Logger,
		sleep:     opts.Sleep,
		now:       opts.Now,
	}
	switch {
	case opts.WebhookURL != "" && opts.OAuth != nil:
		return nil, errors.New("give either a webhook URL or OAuth credentials, not both")
	case opts.OAuth != nil:
		o, err := newOAuthState(*opts.OAuth)
		if err != nil {
			return nil, err
		}
		c.oauth = o
	default:
		w, err := ParseWebhookURL(opts.WebhookURL)
		if err != nil {
			return nil, err
		}
		c.webhook = &w
	}
	c.fillDefaults(opts.Plan)
	return c, nil
}

func (c *Client) fillDefaults(plan Plan) {
	if c.http == nil {
		c.http = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	c.writeHTTP = freshConnections(c.http)
	if c.limiter == nil {
		c.limiter = SharedLimiter(plan)
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxBytes <= 0 {
		c.maxBytes = DefaultMaxResponseBytes
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.sleep == nil {
		c.sleep = realSleep
	}
	if c.now == nil {
		c.now = time.Now
	}
}

// freshConnections is hc with a transport that never reuses a connection.
// A keep-alive connection the portal (or a proxy, or a Wi-Fi drop) closed
// while it sat idle fails only once the request is written; for a POST the
// transport cannot tell that from a portal that took the call and died, so
// a write on such a connection would end in "outcome unknown" when it never
// ran. Writes are rare (bulk actions, a pin) and worth a fresh connection:
// then a refused or failed dial says for sure that nothing was sent. A
// client whose transport cannot be cloned is used as it is.
func freshConnections(hc *http.Client) *http.Client {
	var base *http.Transport
	switch t := hc.Transport.(type) {
	case nil:
		base, _ = http.DefaultTransport.(*http.Transport)
	case *http.Transport:
		base = t
	}
	if base == nil {
		return hc
	}
	tr := base.Clone()
	tr.DisableKeepAlives = true
	w := *hc
	w.Transport = tr
	return &w
}

// Host is the portal host (with port when not the default), for display.
func (c *Client) Host() string {
	if c.webhook != nil {
		return c.webhook.Host
	}
	return c.oauth.host()
}

// target is the REST base URL, the OAuth access token ("" for webhooks)
// and the token generation.
func (c *Client) target() (base, token string, gen uint64) {
	if c.webhook != nil {
		return c.webhook.BaseURL(), "", 0
	}
	return c.oauth.current()
}

// secrets lists what must never be printed.
func (c *Client) secrets() []string {
	if c.webhook != nil {
		return []string{c.webhook.Code}
	}
	return c.oauth.secrets()
}

var methodName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.]*$`)

// Call invokes one REST method with params (any value that encodes to a
// JSON object; nil = no parameters) and decodes the envelope's result into
// out (nil = discard). Rate limits, operating-time limits and an expired
// OAuth token are handled per PROTOCOL §4.4; ambiguous failures are retried
// only for read methods, otherwise the error wraps ErrOutcomeUnknown.
func (c *Client) Call(ctx context.Context, method string, params any, out any) error {
	env, err := c.call(ctx, method, params, nil)
	if err != nil {
		return err
	}
	return decodeResult(method, env.Result, out)
}

func (c *Client) call(ctx context.Context, method string, params any, count *int) (*envelope, error) {
	if !methodName.MatchString(method) {
		return nil, fmt.Errorf("invalid REST method name %q", method)
	}
	body, err := jsonObject(params)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	return c.do(ctx, &request{
		method: method,
		read:   isRead(method),
		body:   func(auth string) ([]byte, error) { return withAuth(body, auth), nil },
		count:  count,
	})
}

func decodeResult(method string, raw json.RawMessage, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s: unexpected result shape: %v", method, err)
	}
	return nil
}

// jsonObject encodes params as a JSON object; nil becomes {}.
func jsonObject(params any) ([]byte, error) {
	if params == nil {
		return []byte("{}"), nil
	}
	b, err := json.Marshal(params)
	if err != nil {
		return nil, fmt.Errorf("cannot encode parameters: %v", err)
	}
	if string(b) == "null" {
		return []byte("{}"), nil
	}
	if len(b) == 0 || b[0] != '{' {
		return nil, errors.New("parameters must encode to a JSON object")
	}
	return b, nil
}

// withAuth adds the OAuth token as the body's "auth" member (PROTOCOL
// §1.1); the last duplicate key wins on the portal, so it goes last.
func withAuth(obj []byte, auth string) []byte {
	if auth == "" {
		return obj
	}
	tok, _ := json.Marshal(auth)
	out := make([]byte, 0, len(obj)+len(tok)+9)
	out = append(out, obj[:len(obj)-1]...)
	if len(obj) > 2 {
		out = append(out, ',')
	}
	out = append(out, `"auth":`...)
	out = append(out, tok...)
	return append(out, '}')
}
