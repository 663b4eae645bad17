package portalsim

import (
	"net/http"
	"slices"
	"strings"
)

// errInsufficientScope is what a portal answers for a method outside the
// webhook's scopes (PROTOCOL §3.1).
var errInsufficientScope = errf(http.StatusForbidden, "insufficient_scope",
	"The request requires higher privileges than provided by the webhook token")

// Scopes returns the scopes that allow method: any one of them is enough.
// user.current works with user, user_brief or user_basic; im.* needs im and
// imopenlines.* needs imopenlines.
func Scopes(method string) []string {
	m := normMethod(method)
	switch {
	case m == "user.current":
		return []string{"user", "user_brief", "user_basic"}
	case strings.HasPrefix(m, "imopenlines."):
		return []string{"imopenlines"}
	case strings.HasPrefix(m, "im."):
		return []string{"im"}
	}
	return nil
}

// scopeError refuses a method the portal's Options.Scopes do not cover
// (nil Scopes = every scope granted). The caller holds p.mu.
func (p *Portal) scopeError(method string) *restError {
	if p.opts.Scopes == nil {
		return nil
	}
	need := Scopes(method)
	if need == nil {
		return nil
	}
	for _, s := range need {
		if slices.ContainsFunc(p.opts.Scopes, func(g string) bool { return strings.EqualFold(strings.TrimSpace(g), s) }) {
			return nil
		}
	}
	return errInsufficientScope
}
