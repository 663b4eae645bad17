package portalsim

import (
	"net/url"
	"testing"
	"time"
)

func (s *sim) refresh(clientID, secret, token string) answer {
	s.t.Helper()
	q := url.Values{"grant_type": {"refresh_token"}, "client_id": {clientID}, "client_secret": {secret}, "refresh_token": {token}}
	return s.get(s.srv.URL + "/oauth/token/?" + q.Encode())
}

func TestOAuthFlow(t *testing.T) {
	s := newSim(t, Options{Sessions: 3, UserID: 27})
	tok := s.p.EnableOAuth("app.573ad8a0346747.09223434", "secret-1")
	if tok.Endpoint != s.srv.URL+"/rest/" || tok.Access == "" || tok.Refresh == "" {
		t.Fatalf("token %+v", tok)
	}
	if !tok.Expires.Equal(s.clock.Now().Add(time.Hour)) {
		t.Fatalf("expires %v", tok.Expires)
	}
	rest := s.srv.URL + "/rest/"

	// auth in the JSON body, the query string, or a form.
	s.mustOK(s.postJSON(rest+"user.current.json", map[string]any{"auth": tok.Access}), "auth in JSON")
	s.mustOK(s.get(rest+"user.current?auth="+tok.Access), "auth in query")
	s.mustOK(s.postForm(rest+"imopenlines.session.mode.unpinAll", url.Values{"auth": {tok.Access}}), "auth in a form")
	me := obj_(t, s.mustOK(s.get(rest+"user.current?auth="+tok.Access), "me"))
	if me["ID"] != "27" {
		t.Fatalf("the token's user is %v", me["ID"])
	}

	// Refresh: a wrong secret, then the right one, then the old token again.
	if c, _ := s.refresh("app.573ad8a0346747.09223434", "wrong", tok.Refresh).errCode(); c != "invalid_client" {
		t.Fatalf("wrong secret: %q", c)
	}
	a := s.refresh("app.573ad8a0346747.09223434", "secret-1", tok.Refresh)
	if a.status != 200 {
		t.Fatalf("refresh: %d %s", a.status, a.raw)
	}
	for _, k := range []string{"access_token", "refresh_token", "client_endpoint", "expires", "expires_in", "member_id", "scope", "server_endpoint", "status", "user_id", "domain"} {
		if _, has := a.body[k]; !has {
			t.Fatalf("token answer lacks %s: %s", k, a.raw)
		}
	}
	if a.body["client_endpoint"] != rest || num(t, a.body["user_id"]) != 27 || num(t, a.body["expires_in"]) != 3600 {
		t.Fatalf("token answer %s", a.raw)
	}
	newAccess, newRefresh := a.body["access_token"].(string), a.body["refresh_token"].(string)
	if newAccess == tok.Access || newRefresh == tok.Refresh {
		t.Fatal("refresh did not rotate the pair")
	}
	if c, _ := s.refresh("app.573ad8a0346747.09223434", "secret-1", tok.Refresh).errCode(); c != "invalid_grant" {
		t.Fatalf("old refresh token: %q", c)
	}
	if s.p.TokenRefreshes() != 1 {
		t.Fatalf("TokenRefreshes = %d", s.p.TokenRefreshes())
	}

	// ExpireAccessTokens: every token so far answers expired_token.
	s.p.ExpireAccessTokens()
	s.mustErr(s.get(rest+"user.current?auth="+newAccess), 401, "expired_token", "forced expiry")
	s.mustErr(s.get(rest+"user.current?auth="+tok.Access), 401, "expired_token", "forced expiry, old token")
	b := s.refresh("app.573ad8a0346747.09223434", "secret-1", newRefresh)
	s.mustOK(s.get(rest+"user.current?auth="+b.body["access_token"].(string)), "after refresh")

	// Time-based expiry: an hour later the token has expired.
	s.clock.Advance(time.Hour)
	s.mustErr(s.get(rest+"user.current?auth="+b.body["access_token"].(string)), 401, "expired_token", "an hour later")
	if s.p.TokenRefreshes() != 2 {
		t.Fatalf("TokenRefreshes = %d", s.p.TokenRefreshes())
	}
	// The webhook keeps working alongside.
	s.mustOK(s.call("user.current", nil), "webhook")
}

func TestOAuthDisabled(t *testing.T) {
	s := newSim(t, Options{Sessions: 3})
	if c, _ := s.refresh("a", "b", "c").errCode(); c != "invalid_client" {
		t.Fatalf("refresh without an app: %q", c)
	}
	if c, _ := s.get(s.srv.URL + "/oauth/token/?grant_type=authorization_code").errCode(); c != "invalid_request" {
		t.Fatalf("unsupported grant: %q", c)
	}
	if s.p.TokenRefreshes() != 0 {
		t.Fatal("refreshes counted without an app")
	}
	s.p.ExpireAccessTokens() // harmless without OAuth
}
