package portalsim

import (
	"fmt"
	"strings"
	"testing"
)

func TestBatchObject(t *testing.T) {
	s := newSim(t, Options{Sessions: 20})
	a := s.call("batch", map[string]any{
		"halt": 0,
		"cmd": map[string]any{
			"me":     "user.current",
			"recent": "im.recent.list?SKIP_DIALOG=Y&SKIP_CHAT=Y&SKIP_OPENLINES=N&LIMIT=200",
			"lines":  "imopenlines.config.list.get?PARAMS[select][]=ID&PARAMS[select][]=LINE_NAME",
			"bad":    "imopenlines.session.mode.pin?chat_id=5",
		},
	})
	res := obj_(t, s.mustOK(a, "batch"))
	if _, has := obj_(t, a.body["time"])["operating"]; has {
		t.Fatal("the outer batch is metered")
	}
	r := obj_(t, res["result"])
	if obj_(t, r["me"])["ID"] != "1" || len(list(t, obj_(t, r["recent"])["items"])) == 0 || len(list(t, r["lines"])) == 0 {
		t.Fatalf("results: %v", trim(a.raw))
	}
	if e := obj_(t, obj_(t, res["result_error"])["bad"]); e["error"] != "CHAT_ID_EMPTY" {
		t.Fatalf("result_error.bad = %v", e)
	}
	if num(t, obj_(t, res["result_total"])["recent"]) != -1 {
		t.Fatalf("result_total = %v", res["result_total"])
	}
	if !strings.Contains(string(a.raw), `"result_next":[]`) {
		t.Fatalf("empty result_next is not []: %s", trim(a.raw))
	}
	rt := obj_(t, res["result_time"])
	if _, has := rt["bad"]; has || len(rt) != 3 {
		t.Fatalf("result_time keys: %v", rt)
	}
	if s.p.Calls("batch") != 1 || s.p.Calls("user.current") != 1 || s.p.Calls("im.recent.list") != 1 || s.p.Calls("imopenlines.session.mode.pin") != 1 {
		t.Fatal("inner commands are not counted")
	}
}

func TestBatchOrderHaltAndPlaceholders(t *testing.T) {
	s := newSim(t, Options{Sessions: 5})
	own := findChat(t, s.p, "own open chat", func(c *chat) bool { return s.p.ownCurrent(c) && !c.session.pause })
	// Keys deliberately out of alphabetical order: commands run as sent.
	a := s.callRaw("batch", fmt.Sprintf(`{"halt": true, "cmd": {
		"z_dialog": "imopenlines.dialog.get?CHAT_ID=%d",
		"a_pin": "imopenlines.session.mode.pin?CHAT_ID=$result[z_dialog][id]&ACTIVATE=Y",
		"m_fail": "imopenlines.session.mode.pin?CHAT_ID=0",
		"b_after": "user.current"}}`, own.id))
	res := obj_(t, s.mustOK(a, "batch"))
	r := obj_(t, res["result"])
	if r["a_pin"] != true {
		t.Fatalf("the placeholder was not resolved in order: %s", trim(a.raw))
	}
	if _, ran := r["b_after"]; ran {
		t.Fatal("halt did not stop after the failing command")
	}
	if _, has := obj_(t, res["result_error"])["m_fail"]; !has {
		t.Fatal("the failing command is missing from result_error")
	}
	if got := s.p.PinnedSessionIDs(); len(got) == 0 {
		t.Fatal("the pin inside the batch was not applied")
	}
	// An unresolvable placeholder stays literal and so fails as a bad ID.
	b := s.call("batch", map[string]any{"cmd": map[string]any{"x": "imopenlines.session.mode.pin?CHAT_ID=$result[nope][id]"}})
	if e := obj_(t, obj_(t, obj_(t, s.mustOK(b, "batch"))["result_error"])["x"]); e["error"] != "CHAT_ID_EMPTY" {
		t.Fatalf("literal placeholder: %v", e)
	}
}

func TestBatchArrayShape(t *testing.T) {
	s := newSim(t, Options{Sessions: 5})
	a := s.call("batch", map[string]any{"cmd": []string{"user.current", "imopenlines.config.path.get"}})
	res := obj_(t, s.mustOK(a, "batch"))
	if l := list(t, res["result"]); len(l) != 2 {
		t.Fatalf("list-shaped result: %v", res["result"])
	}
	if l := list(t, res["result_error"]); len(l) != 0 {
		t.Fatal("result_error not []")
	}
	path := obj_(t, list(t, res["result"])[1])
	if path["SERVER_ADDRESS"] != s.srv.URL || path["PUBLIC_PATH"] != "/contact_center/" {
		t.Fatalf("config.path.get = %v", path)
	}
	// A failure in the middle leaves keys 0 and 2: PHP prints an object.
	b := s.call("batch", map[string]any{"cmd": []string{"user.current", "nope.nope", "user.current"}})
	res = obj_(t, s.mustOK(b, "batch"))
	r := obj_(t, res["result"])
	if _, has := r["2"]; !has || len(r) != 2 {
		t.Fatalf("sparse list result: %v", r)
	}
	if e := obj_(t, obj_(t, res["result_error"])["1"]); e["error"] != "ERROR_METHOD_NOT_FOUND" {
		t.Fatalf("result_error = %v", res["result_error"])
	}
}

func TestBatchLimits(t *testing.T) {
	s := newSim(t, Options{Sessions: 5})
	cmds := map[string]any{}
	for i := range 51 {
		cmds[fmt.Sprintf("c%02d", i)] = "user.current"
	}
	s.mustErr(s.call("batch", map[string]any{"cmd": cmds}), 400, "ERROR_BATCH_LENGTH_EXCEEDED", "51 commands")
	nested := s.call("batch", map[string]any{"cmd": map[string]any{"n": "batch?cmd[x]=user.current"}})
	if e := obj_(t, obj_(t, obj_(t, s.mustOK(nested, "nested"))["result_error"])["n"]); e["error"] != "ERROR_BATCH_METHOD_NOT_ALLOWED" {
		t.Fatalf("nested batch: %v", e)
	}
	empty := s.call("batch", map[string]any{"cmd": map[string]any{}})
	if !strings.Contains(string(empty.raw), `"result":{"result":[],"result_error":[],"result_total":[],"result_next":[],"result_time":[]}`) {
		t.Fatalf("empty batch: %s", empty.raw)
	}

	inline := newSim(t, Options{Sessions: 5, BatchOverflowInline: true})
	res := obj_(t, inline.mustOK(inline.call("batch", map[string]any{"cmd": cmds}), "inline overflow"))
	if len(obj_(t, res["result"])) != 50 {
		t.Fatalf("%d commands ran, want 50", len(obj_(t, res["result"])))
	}
	if e := obj_(t, obj_(t, res["result_error"])["c50"]); e["error"] != "ERROR_BATCH_LENGTH_EXCEEDED" {
		t.Fatalf("the 51st command: %v", e)
	}
}

func TestBatchViaQueryString(t *testing.T) {
	s := newSim(t, Options{Sessions: 5})
	// In a query string the inner query is encoded twice (PROTOCOL §1.2).
	a := s.get(s.hook + "batch.json?halt=0&cmd%5Bme%5D=user.current&cmd%5Bl%5D=imopenlines.config.list.get%3FPARAMS%255Bselect%255D%255B%255D%3DID")
	r := obj_(t, obj_(t, s.mustOK(a, "batch GET"))["result"])
	if obj_(t, r["me"])["ID"] != "1" {
		t.Fatalf("me = %v", r["me"])
	}
	for _, l := range list(t, r["l"]) {
		if m := obj_(t, l); len(m) != 1 {
			t.Fatalf("select inside a GET batch ignored: %v", m)
		}
	}
}
