package portalsim

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// findChat returns a chat of the model matching pred, lowest ID first.
func findChat(t *testing.T, p *Portal, what string, pred func(c *chat) bool) *chat {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	var best *chat
	for _, c := range p.w.chats {
		if pred(c) && (best == nil || c.id < best.id) {
			best = c
		}
	}
	if best == nil {
		t.Fatalf("the seed has no %s", what)
	}
	return best
}

func (p *Portal) ownCurrent(c *chat) bool {
	return c.kind == kindLines && c.owner == p.uid && c.session.operator == p.uid && !closedStatus(c.session.status)
}

// item fetches one dialog as im.recent.list shows it.
func (s *sim) item(dialogID string) map[string]any {
	s.t.Helper()
	items, _ := s.allRecent()
	it, found := items[dialogID]
	if !found {
		s.t.Fatalf("%s is not in the recent list", dialogID)
	}
	return it
}

// locked runs f with the portal's lock held, for reading the model.
func (s *sim) locked(f func()) {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	f()
}

func (s *sim) messageCount(c *chat) int {
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	return len(c.messages)
}

func TestPinErrors(t *testing.T) {
	s := newSim(t, Options{Sessions: 40, Seed: 1})
	const m = "imopenlines.session.mode.pin"
	s.mustErr(s.call(m, map[string]any{}), 400, "CHAT_ID_EMPTY", "no CHAT_ID")
	s.mustErr(s.call(m, map[string]any{"CHAT_ID": 0}), 400, "CHAT_ID_EMPTY", "CHAT_ID 0")
	s.mustErr(s.call(m, map[string]any{"CHAT_ID": ""}), 400, "CHAT_ID_EMPTY", "CHAT_ID empty")
	own := findChat(t, s.p, "own open chat", s.p.ownCurrent)
	s.mustErr(s.call(m, map[string]any{"chat_id": own.id}), 400, "CHAT_ID_EMPTY", "lower-case chat_id")
	s.mustErr(s.call(m, map[string]any{"CHAT_ID": 999999}), 400, "CHAT_ID", "unknown chat")
	group := findChat(t, s.p, "group chat", func(c *chat) bool { return c.kind == kindGroup })
	s.mustErr(s.call(m, map[string]any{"CHAT_ID": group.id}), 400, "CHAT_TYPE", "group chat")
	vip := findChat(t, s.p, "chat on a line the owner does not serve", func(c *chat) bool {
		return c.kind == kindLines && !c.isMember(s.p.uid) && !c.line.hasOperator(s.p.uid)
	})
	s.mustErr(s.call(m, map[string]any{"CHAT_ID": vip.id}), 400, "ACCESS_DENIED", "foreign line")
	peer := findChat(t, s.p, "colleague's chat the owner sees", func(c *chat) bool {
		return c.kind == kindLines && c.inRecent && c.owner != s.p.uid && c.owner != 0 && !closedStatus(c.session.status) && !c.session.pause
	})
	n := s.messageCount(peer)
	a := s.call(m, map[string]any{"CHAT_ID": peer.id, "ACTIVATE": "Y"})
	s.mustErr(a, 400, "", "colleague's session")
	if string(a.raw) != `{"error":"","error_description":""}` {
		t.Fatalf("empty-code body = %s", a.raw)
	}
	s.locked(func() {
		if len(peer.messages) != n || peer.session.pause {
			t.Fatal("a refused pin changed the colleague's session")
		}
	})
}

func TestPinSemantics(t *testing.T) {
	s := newSim(t, Options{Sessions: 40, Seed: 2})
	const m = "imopenlines.session.mode.pin"
	c := findChat(t, s.p, "own unpinned chat", func(c *chat) bool { return s.p.ownCurrent(c) && !c.session.pause })
	before := s.messageCount(c)
	s.clock.Advance(time.Minute)

	// JSON false is not "N": it pins.
	if r := s.mustOK(s.call(m, map[string]any{"CHAT_ID": c.id, "ACTIVATE": false}), "pin"); r != true {
		t.Fatalf("result %v", r)
	}
	it := s.item(c.dialogID())
	if f := ed1(t, it); f[3] != "Y" || f[5] != itoa(c.session.id) || len(f) != 10 {
		t.Fatalf("entity_data_1 after pin = %v", f)
	}
	msg := obj_(t, it["message"])
	if num(t, msg["author_id"]) != 0 || !strings.Contains(msg["text"].(string), "закреплён") {
		t.Fatalf("last message after pin = %v", msg)
	}
	if it["date_last_activity"] != s.p.formatDate(s.clock.Now()) {
		t.Fatalf("the system message did not move the dialog's activity: %v", it["date_last_activity"])
	}
	if s.messageCount(c) != before+1 {
		t.Fatalf("%d messages after pin, want %d", s.messageCount(c), before+1)
	}
	s.locked(func() {
		if want := s.clock.Now().Add(pinWeek); !c.session.autoClose.Equal(want) {
			t.Fatalf("auto-close %v, want %v", c.session.autoClose, want)
		}
	})
	if !slices.Contains(s.p.PinnedSessionIDs(), c.session.id) {
		t.Fatal("PinnedSessionIDs misses the pinned session")
	}

	// Already pinned: true, and nothing else happens.
	for _, act := range []any{"Y", "n", 0, nil} {
		body := map[string]any{"CHAT_ID": c.id}
		if act != nil {
			body["ACTIVATE"] = act
		}
		if r := s.mustOK(s.call(m, body), "pin again"); r != true {
			t.Fatalf("result %v", r)
		}
	}
	if s.messageCount(c) != before+1 {
		t.Fatal("a no-op pin posted a message")
	}

	// Exactly "N" unpins; the CHAT_ID may be a numeric string.
	s.mustOK(s.call(m, map[string]any{"CHAT_ID": itoa(c.id), "ACTIVATE": "N"}), "unpin")
	it = s.item(c.dialogID())
	if f := ed1(t, it); f[3] != "N" {
		t.Fatalf("entity_data_1 after unpin = %v", f)
	}
	if msg := obj_(t, it["message"]); num(t, msg["author_id"]) != 0 || !strings.Contains(msg["text"].(string), "откреплён") {
		t.Fatalf("last message after unpin = %v", msg)
	}
	if s.messageCount(c) != before+2 {
		t.Fatal("unpin posted no message")
	}
	// Unpinning an unpinned dialog is a no-op too.
	s.mustOK(s.call(m, map[string]any{"CHAT_ID": c.id, "ACTIVATE": "N"}), "unpin again")
	if s.messageCount(c) != before+2 {
		t.Fatal("a no-op unpin posted a message")
	}
}

func TestPinOfferAndClosedRefused(t *testing.T) {
	s := newSim(t, Options{Sessions: 40, Seed: 3})
	const m = "imopenlines.session.mode.pin"
	offer := findChat(t, s.p, "queue offer", func(c *chat) bool { return c.isOffer() && c.line.hasOperator(s.p.uid) })
	s.mustErr(s.call(m, map[string]any{"CHAT_ID": offer.id}), 400, "", "offer")
	closed := findChat(t, s.p, "own closed chat", func(c *chat) bool {
		return c.kind == kindLines && c.owner == s.p.uid && closedStatus(c.session.status)
	})
	s.mustErr(s.call(m, map[string]any{"CHAT_ID": closed.id, "ACTIVATE": "Y"}), 400, "", "closed session")
	s.mustOK(s.call(m, map[string]any{"CHAT_ID": closed.id, "ACTIVATE": "N"}), "unpin closed: already unpinned")
}

func TestUnpinAllAndPinAll(t *testing.T) {
	s := newSim(t, Options{Sessions: 60, Seed: 5})
	pinned := s.p.PinnedSessionIDs()
	if len(pinned) < 2 {
		t.Fatalf("only %d pinned sessions seeded", len(pinned))
	}
	peerPinned := findChat(t, s.p, "colleague's pinned session", func(c *chat) bool {
		return c.kind == kindLines && c.owner != s.p.uid && c.owner != 0 && c.session.pause
	})
	s.clock.Advance(time.Minute)

	a := s.call("imopenlines.session.mode.unpinAll", map[string]any{})
	res := list(t, s.mustOK(a, "unpinAll"))
	var got []int64
	for _, v := range res {
		got = append(got, num(t, v))
	}
	for _, v := range res {
		if _, isStr := v.(string); isStr {
			t.Fatalf("IDs must be JSON integers: %s", trim(a.raw))
		}
	}
	if !slices.IsSortedFunc(got, func(x, y int64) int { return int(y - x) }) {
		t.Fatalf("result %v is not newest first", got)
	}
	sorted := slices.Clone(got)
	slices.Sort(sorted)
	if !slices.Equal(sorted, pinned) {
		t.Fatalf("unpinAll returned %v, pinned were %v", got, pinned)
	}
	if left := s.p.PinnedSessionIDs(); len(left) != 0 {
		t.Fatalf("still pinned: %v", left)
	}
	s.locked(func() {
		if !peerPinned.session.pause {
			t.Fatal("unpinAll touched a colleague's session")
		}
	})
	items, _ := s.allRecent()
	changed := map[int64]bool{}
	for _, id := range got {
		changed[id] = true
	}
	for _, it := range items {
		f := ed1(t, it)
		ln, has := it["lines"].(map[string]any)
		if !has || !changed[num(t, ln["id"])] {
			continue
		}
		if f[3] != "N" || len(f) != 10 {
			t.Fatalf("unpinned session %v: entity_data_1 %v", ln["id"], f)
		}
		if msg := obj_(t, it["message"]); num(t, msg["author_id"]) != 0 {
			t.Fatalf("unpinned session %v: last message by %v, want the system", ln["id"], msg["author_id"])
		}
		delete(changed, num(t, ln["id"]))
	}
	if len(changed) != 0 {
		t.Fatalf("unpinned sessions missing from the list: %v", changed)
	}

	again := s.call("imopenlines.session.mode.unpinAll", map[string]any{})
	s.mustOK(again, "unpinAll again")
	if !strings.Contains(string(again.raw), `"result":[]`) {
		t.Fatalf("second unpinAll = %s, want []", trim(again.raw))
	}

	// pinAll pins every open session of the owner, and only those.
	res = list(t, s.mustOK(s.call("imopenlines.session.mode.pinAll", nil), "pinAll"))
	var open []int64
	s.locked(func() {
		for _, c := range s.p.w.chats {
			if s.p.ownCurrent(c) {
				open = append(open, c.session.id)
			}
		}
	})
	slices.Sort(open)
	if len(res) != len(open) || !slices.Equal(s.p.PinnedSessionIDs(), open) {
		t.Fatalf("pinAll changed %d, open sessions %d, pinned now %d", len(res), len(open), len(s.p.PinnedSessionIDs()))
	}
	if s.p.Calls("imopenlines.session.mode.unpinall") != 2 || s.p.Calls("IMOPENLINES.SESSION.MODE.PINALL") != 1 {
		t.Fatal("Calls miscounts the bulk methods")
	}
}
