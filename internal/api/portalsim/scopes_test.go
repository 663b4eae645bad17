package portalsim

import "testing"

func TestScopes(t *testing.T) {
	t.Parallel()
	s := newSim(t, Options{Sessions: 3, Scopes: []string{"IM", "user_basic"}})
	// Granted: im.* and user.current (user_basic is one of its scopes).
	s.mustOK(s.call("im.recent.list", map[string]any{"LIMIT": 1}), "im.recent.list")
	s.mustOK(s.call("user.current", map[string]any{}), "user.current")
	// Not granted: imopenlines.*, at the top level and inside a batch.
	s.mustErr(s.call("imopenlines.config.list.get", map[string]any{}), 403, "insufficient_scope", "outside the scopes")
	b := s.call("batch", map[string]any{"cmd": map[string]any{
		"me": "user.current", "recent": "im.recent.list?LIMIT=1", "lines": "imopenlines.config.list.get",
	}})
	res := obj_(t, s.mustOK(b, "batch"))
	errs := obj_(t, res["result_error"])
	if e := obj_(t, errs["lines"]); e["error"] != "insufficient_scope" {
		t.Fatalf("result_error = %v, want insufficient_scope for lines", errs)
	}
	if _, has := errs["me"]; has || len(errs) != 1 {
		t.Fatalf("result_error = %v, want only lines", errs)
	}
	// Nothing was pinned by a refused call.
	before := s.p.PinnedSessionIDs()
	s.mustErr(s.call("imopenlines.session.mode.unpinAll", map[string]any{}), 403, "insufficient_scope", "unpinAll")
	if after := s.p.PinnedSessionIDs(); len(after) != len(before) {
		t.Errorf("a refused unpinAll changed the pins: %v → %v", before, after)
	}
}

func TestScopesNilGrantsAll(t *testing.T) {
	t.Parallel()
	s := newSim(t, Options{Sessions: 3})
	s.mustOK(s.call("imopenlines.config.list.get", map[string]any{}), "config.list.get")
	// An empty, non-nil list grants nothing.
	s = newSim(t, Options{Sessions: 3, Scopes: []string{}})
	s.mustErr(s.call("user.current", map[string]any{}), 403, "insufficient_scope", "no scopes")
}

func TestScopesOf(t *testing.T) {
	t.Parallel()
	for m, want := range map[string]string{
		"user.current": "user", "IM.recent.list.json": "im", "imopenlines.session.mode.unpinAll": "imopenlines", "batch": "",
	} {
		got := Scopes(m)
		if (want == "") != (got == nil) || (want != "" && got[0] != want) {
			t.Errorf("Scopes(%q) = %v, want first %q", m, got, want)
		}
	}
}
