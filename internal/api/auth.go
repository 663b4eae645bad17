package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Token is an OAuth token pair (PROTOCOL §1.6).
type Token struct {
	Access   string
	Refresh  string
	Expires  time.Time // when Access expires; zero = unknown
	Endpoint string    // client_endpoint, e.g. "https://portal.bitrix24.ru/rest/"
}

// String never prints the tokens.
func (t Token) String() string { return "api.Token(endpoint=" + t.Endpoint + ", tokens=***)" }

// GoString never prints the tokens.
func (t Token) GoString() string { return t.String() }

// DefaultTokenURL is the Bitrix24 OAuth server's token endpoint.
const DefaultTokenURL = "https://oauth.bitrix24.tech/oauth/token/"

// OAuthConfig authenticates as a local or market application.
type OAuthConfig struct {
	Endpoint               string // client_endpoint; "" = Token.Endpoint
	TokenURL               string // "" = DefaultTokenURL
	ClientID, ClientSecret string
	Token                  Token
	OnRefresh              func(Token) // receives every new token pair so it can be stored

	// Latest, when set, returns the token pair as stored now. Another
	// process using the same credentials may have refreshed them, and the
	// portal then has replaced the refresh token this client holds. Before
	// a refresh, a stored pair that expires later than the one in use is
	// taken instead; after a refresh is refused with invalid_grant, any
	// stored pair with another refresh token is.
	Latest func() (Token, bool)
}

// oauthState holds the current token. A refresh bumps gen; callers that
// failed with an older generation share the one refresh (singleflight) or
// see that it already happened.
type oauthState struct {
	cfg      OAuthConfig
	tokenURL string

	mu       sync.Mutex
	tok      Token
	endpoint *url.URL
	gen      uint64

	flight singleflight.Group
}

func newOAuthState(cfg OAuthConfig) (*oauthState, error) {
	raw := cfg.Endpoint
	if raw == "" {
		raw = cfg.Token.Endpoint
	}
	if raw == "" {
		return nil, errors.New("OAuth needs the portal's REST endpoint (client_endpoint), e.g. https://PORTAL/rest/")
	}
	ep, err := endpointURL(raw, "OAuth endpoint")
	if err != nil {
		return nil, err
	}
	tokenURL := cfg.TokenURL
	if tokenURL == "" {
		tokenURL = DefaultTokenURL
	}
	tu, err := endpointURL(tokenURL, "OAuth token URL")
	if err != nil {
		return nil, err
	}
	if cfg.Token.Access == "" && cfg.Token.Refresh == "" {
		return nil, errors.New("OAuth needs an access token or a refresh token")
	}
	return &oauthState{cfg: cfg, tokenURL: tu.String(), tok: cfg.Token, endpoint: withSlash(ep)}, nil
}

func withSlash(u *url.URL) *url.URL {
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u
}

func (o *oauthState) current() (base, token string, gen uint64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.endpoint.String(), o.tok.Access, o.gen
}

func (o *oauthState) host() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.endpoint.Host
}

func (o *oauthState) secrets() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return []string{o.tok.Access, o.tok.Refresh, o.cfg.ClientSecret}
}

// refresh replaces the token pair once for everyone who failed with
// generation gen. Concurrent callers share one request to the token server.
func (c *Client) refresh(ctx context.Context, gen uint64) error {
	o := c.oauth
	ch := o.flight.DoChan("refresh", func() (any, error) {
		o.mu.Lock()
		if o.gen != gen {
			o.mu.Unlock()
			return nil, nil // someone refreshed already
		}
		old, expires := o.tok.Refresh, o.tok.Expires
		o.mu.Unlock()
		// Before refreshing, only a newer pair is taken: a file put back by
		// an editor may hold an older one, which the portal has replaced.
		if tok, ok := c.latestToken(old); ok && !expires.IsZero() && tok.Expires.After(expires) {
			c.log.Info("bitrix24 token taken from another linedesk's refresh", "host", c.Host())
			c.setToken(tok, false)
			return nil, nil
		}
		// Detached from the first caller: the others share this refresh.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
		defer cancel()
		tok, err := c.fetchToken(rctx, old)
		if err != nil && errors.Is(err, errInvalidGrant) {
			// Another process may have used the same refresh token a moment
			// ago; give it time to store what it got.
			for _, wait := range []time.Duration{0, 500 * time.Millisecond, time.Second} {
				if c.sleep(rctx, wait) != nil {
					break
				}
				if tok, ok := c.latestToken(old); ok {
					c.log.Info("bitrix24 token taken from another linedesk's refresh", "host", c.Host())
					c.setToken(tok, false)
					return nil, nil
				}
			}
		}
		if err != nil {
			return nil, err
		}
		c.setToken(tok, true)
		return nil, nil
	})
	select {
	case res := <-ch:
		return res.Err
	case <-ctx.Done():
		return fmt.Errorf("refreshing the OAuth token: %w", ctx.Err())
	}
}

// errInvalidGrant matches the token server's refusal of a refresh token.
var errInvalidGrant = &Error{Code: "invalid_grant"}

// latestToken is the stored pair when it is not the one in use (refresh
// token old).
func (c *Client) latestToken(old string) (Token, bool) {
	if c.oauth.cfg.Latest == nil {
		return Token{}, false
	}
	t, ok := c.oauth.cfg.Latest()
	if !ok || t.Refresh == "" || t.Refresh == old {
		return Token{}, false
	}
	return t, true
}

// setToken puts a new pair in use; save hands it to OnRefresh (a pair
// taken from Latest is stored already).
func (c *Client) setToken(tok Token, save bool) {
	o := c.oauth
	o.mu.Lock()
	if tok.Endpoint != "" {
		if ep, err := endpointURL(tok.Endpoint, "client_endpoint"); err == nil {
			o.endpoint = withSlash(ep)
		}
	}
	tok.Endpoint = o.endpoint.String()
	o.tok = tok
	o.gen++
	o.mu.Unlock()
	c.log.Debug("bitrix24 token refreshed", "host", c.Host(), "expires", tok.Expires)
	if save && o.cfg.OnRefresh != nil {
		o.cfg.OnRefresh(tok)
	}
}

type tokenAnswer struct {
	AccessToken      Text  `json:"access_token"`
	RefreshToken     Text  `json:"refresh_token"`
	Expires          Float `json:"expires"`
	ExpiresIn        Float `json:"expires_in"`
	ClientEndpoint   Text  `json:"client_endpoint"`
	Error            Text  `json:"error"`
	ErrorDescription Text  `json:"error_description"`
}

// fetchToken asks the OAuth server for a new pair (PROTOCOL §1.6). Errors
// name the token server's host only: its URL carries the secrets.
func (c *Client) fetchToken(ctx context.Context, refresh string) (Token, error) {
	const what = "refreshing the OAuth token"
	if refresh == "" || c.oauth.cfg.ClientID == "" || c.oauth.cfg.ClientSecret == "" {
		return Token{}, errors.New(what + ": the refresh token, client ID and client secret are all needed")
	}
	q := url.Values{
		"grant_type":    {"refresh_token"},
		"client_id":     {c.oauth.cfg.ClientID},
		"client_secret": {c.oauth.cfg.ClientSecret},
		"refresh_token": {refresh},
	}
	u, _ := url.Parse(c.oauth.tokenURL)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Token{}, errors.New(what + ": cannot build the request")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return Token{}, fmt.Errorf("%s: %w: token server %s did not answer", what, ErrUnreachable, u.Host)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var ans tokenAnswer
	if err != nil || json.Unmarshal(data, &ans) != nil {
		return Token{}, fmt.Errorf("%s: token server %s gave an unreadable answer (HTTP %d)", what, u.Host, resp.StatusCode)
	}
	if ans.Error != "" || ans.AccessToken == "" {
		return Token{}, fmt.Errorf("%s: %w", what, &Error{Method: "oauth/token", Code: string(ans.Error),
			Description: c.redact(string(ans.ErrorDescription)), HTTPStatus: resp.StatusCode})
	}
	tok := ans.token(c.now())
	if tok.Refresh == "" {
		tok.Refresh = refresh // the server kept the old refresh token
	}
	return tok, nil
}

func (a tokenAnswer) token(now time.Time) Token {
	t := Token{Access: string(a.AccessToken), Refresh: string(a.RefreshToken), Endpoint: string(a.ClientEndpoint)}
	switch {
	case a.Expires > 0:
		t.Expires = time.Unix(int64(a.Expires), 0)
	case a.ExpiresIn > 0:
		t.Expires = now.Add(time.Duration(float64(a.ExpiresIn) * float64(time.Second)))
	}
	return t
}
