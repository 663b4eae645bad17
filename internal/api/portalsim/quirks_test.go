package portalsim

import (
	"strings"
	"testing"
)

func TestQuirkBulkShapes(t *testing.T) {
	s := newSim(t, Options{Sessions: 30, Seed: 4})
	want := s.p.PinnedSessionIDs()
	s.p.SetQuirk(QuirkStringIDs, true)
	a := s.call(unpinAll, nil)
	got := list(t, s.mustOK(a, "string IDs"))
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("%d IDs, want %d", len(got), len(want))
	}
	for _, v := range got {
		if _, isStr := v.(string); !isStr {
			t.Fatalf("not a numeric string: %#v", v)
		}
	}
	s.p.SetQuirk(QuirkStringIDs, false)
	s.p.SetQuirk(QuirkObjectIDs, true)
	b := s.call("imopenlines.session.mode.pinAll", nil)
	m := obj_(t, s.mustOK(b, "object IDs"))
	if _, has := m["0"]; !has || !strings.Contains(string(b.raw), `"result":{"0":`) {
		t.Fatalf("object shape: %s", trim(b.raw))
	}
	// Nothing to change: still [] (PHP prints an empty array as a list).
	c := s.call("imopenlines.session.mode.pinAll", nil)
	if !strings.Contains(string(c.raw), `"result":[]`) {
		t.Fatalf("empty: %s", trim(c.raw))
	}
}

func TestQuirkMissingLines(t *testing.T) {
	s := newSim(t, Options{Sessions: 60, Seed: 2})
	s.p.SetQuirk(QuirkMissingLines, true)
	items, _ := s.allRecent()
	var absent, zero int
	for _, it := range items {
		ln, has := it["lines"]
		switch {
		case !has:
			absent++
		case num(t, obj_(t, ln)["id"]) == 0:
			if num(t, obj_(t, ln)["status"]) != 0 {
				t.Fatalf("zero lines with a status: %v", ln)
			}
			zero++
		default:
			continue
		}
		if f := ed1(t, it); len(f) < 6 || f[5] == "0" {
			t.Fatalf("no session ID to fall back on: %v", f)
		}
	}
	if absent == 0 || zero == 0 {
		t.Fatalf("absent %d, zero %d", absent, zero)
	}
}

func TestQuirkNewerPortal(t *testing.T) {
	s := newSim(t, Options{Sessions: 40, Seed: 2})
	s.p.SetQuirk(QuirkNewerPortal, true)
	res := obj_(t, s.mustOK(s.call("im.recent.list", map[string]any{"LIMIT": 200}), "recent"))
	if _, isObj := res["copilot"].(map[string]any); !isObj {
		t.Fatalf("copilot %v", res["copilot"])
	}
	if _, has := res["birthdayList"]; !has {
		t.Fatal("no birthdayList")
	}
	var attachTrue, attachText bool
	for _, it := range list(t, res["items"]) {
		switch obj_(t, obj_(t, it)["message"])["attach"].(type) {
		case bool:
			attachTrue = attachTrue || obj_(t, obj_(t, it)["message"])["attach"] == true
		case string:
			attachText = true
		}
	}
	if !attachTrue || !attachText {
		t.Fatalf("attach true %v, text %v", attachTrue, attachText)
	}
}

func TestInjectErrorAndNewFaults(t *testing.T) {
	s := newSim(t, Options{Sessions: 5})
	s.p.InjectError("user.current", 403, "insufficient_scope", "The request requires higher privileges than provided by the webhook token", 1)
	s.mustErr(s.call("user.current", nil), 403, "insufficient_scope", "custom error")
	s.mustOK(s.call("user.current", nil), "used up")
	// Inside a batch a custom error fails its command only.
	s.p.InjectError("imopenlines.config.list.get", 500, "INTERNAL_SERVER_ERROR", "Internal server error", 1)
	res := obj_(t, s.mustOK(s.call("batch", map[string]any{"cmd": map[string]any{"me": "user.current", "l": "imopenlines.config.list.get"}}), "batch"))
	if e := obj_(t, obj_(t, res["result_error"])["l"]); e["error"] != "INTERNAL_SERVER_ERROR" {
		t.Fatalf("result_error %v", res["result_error"])
	}
	s.p.InjectFault("", FaultOverload, 1)
	s.mustErr(s.call("user.current", nil), 503, "OVERLOAD_LIMIT", "overload")
	s.p.InjectFault("", FaultInvalidToken, 1)
	s.mustErr(s.call("user.current", nil), 401, "invalid_token", "invalid token")
}
