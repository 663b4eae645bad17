package portalsim

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"time"
)

// Token is an OAuth token pair as the portal issued it. Its fields match
// the client's api.Token, so a conversion api.Token(t) works.
type Token struct {
	Access, Refresh string
	Expires         time.Time
	Endpoint        string // client_endpoint: <base URL>/rest/ (empty until WebhookURL or SetBaseURL told the portal its address)
}

const accessLifetime = time.Hour

type accessToken struct {
	expires time.Time
	expired bool // forced by ExpireAccessTokens
}

type oauthState struct {
	clientID, secret string
	access           map[string]*accessToken
	refresh          map[string]bool // the currently valid refresh token(s)
	refreshes        int
	memberID         string
}

// EnableOAuth registers an application with these credentials and issues
// its first token pair for the webhook owner. From then on /rest/METHOD
// accepts `auth`, and /oauth/token/ refreshes (PROTOCOL §1.6).
func (p *Portal) EnableOAuth(clientID, clientSecret string) Token {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.oauth = &oauthState{
		clientID: clientID, secret: clientSecret,
		access: map[string]*accessToken{}, refresh: map[string]bool{},
		memberID: randomHex(16),
	}
	return p.issue()
}

// issue makes a new pair; the caller holds p.mu and has checked p.oauth.
func (p *Portal) issue() Token {
	t := Token{Access: randomHex(16), Refresh: randomHex(16), Expires: p.now().Add(accessLifetime).Truncate(time.Second)}
	p.oauth.access[t.Access] = &accessToken{expires: t.Expires}
	clear(p.oauth.refresh)
	p.oauth.refresh[t.Refresh] = true
	if p.baseURL != "" {
		t.Endpoint = p.baseURL + "/rest/"
	}
	return t
}

// ExpireAccessTokens makes every access token issued so far answer 401
// expired_token; refresh tokens stay valid.
func (p *Portal) ExpireAccessTokens() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.oauth == nil {
		return
	}
	for _, a := range p.oauth.access {
		a.expired = true
	}
}

// TokenRefreshes is how many refresh_token grants succeeded.
func (p *Portal) TokenRefreshes() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.oauth == nil {
		return 0
	}
	return p.oauth.refreshes
}

// checkToken validates an access token; the caller holds p.mu.
func (p *Portal) checkToken(token string) *restError {
	if p.oauth == nil || token == "" {
		return errNoAuth
	}
	a, found := p.oauth.access[token]
	if !found {
		return errNoAuth
	}
	if a.expired || !p.now().Before(a.expires) {
		return errExpired
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

type tokenAnswer struct {
	AccessToken    string `json:"access_token"`
	ClientEndpoint string `json:"client_endpoint"`
	Domain         string `json:"domain"`
	Expires        int64  `json:"expires"`
	ExpiresIn      int    `json:"expires_in"`
	MemberID       string `json:"member_id"`
	RefreshToken   string `json:"refresh_token"`
	Scope          string `json:"scope"`
	ServerEndpoint string `json:"server_endpoint"`
	Status         string `json:"status"`
	UserID         int64  `json:"user_id"`
}

// serveToken is the OAuth server's /oauth/token/ (grant_type=refresh_token).
func (p *Portal) serveToken(w http.ResponseWriter, r *http.Request) {
	prm, err := readParams(r)
	if err != nil {
		writeTokenError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	get := func(k string) string { return asString(prm[k]) }
	p.mu.Lock()
	defer p.mu.Unlock()
	o := p.oauth
	switch {
	case get("grant_type") != "refresh_token":
		writeTokenError(w, http.StatusBadRequest, "invalid_request", "grant_type must be refresh_token")
	case o == nil || get("client_id") != o.clientID || get("client_secret") != o.secret:
		writeTokenError(w, http.StatusUnauthorized, "invalid_client", "Invalid client credentials")
	case !o.refresh[get("refresh_token")]:
		writeTokenError(w, http.StatusBadRequest, "invalid_grant", "Invalid refresh token")
	default:
		o.refreshes++
		base := requestBase(r)
		if p.baseURL == "" {
			p.baseURL = base
		}
		t := p.issue()
		ans := tokenAnswer{
			AccessToken: t.Access, ClientEndpoint: base + "/rest/", Domain: "oauth.bitrix24.tech",
			Expires: t.Expires.Unix(), ExpiresIn: int(accessLifetime / time.Second), MemberID: o.memberID,
			RefreshToken: t.Refresh, Scope: "im,imopenlines,user_brief", ServerEndpoint: "https://oauth.bitrix24.tech/rest/",
			Status: "L", UserID: p.uid,
		}
		b, _ := json.Marshal(ans)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(phpEscape(b))
	}
}

func writeTokenError(w http.ResponseWriter, status int, code, desc string) {
	b, _ := json.Marshal(errorBody{Error: code, Description: desc})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
