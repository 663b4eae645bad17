package portalsim

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

// modelLines is what the model says the owner's recent list holds: open-line
// chats the owner is a member of, by dialog ID.
func modelLines(p *Portal) map[string]*chat {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]*chat{}
	for _, c := range p.w.chats {
		if c.kind == kindLines && c.inRecent {
			out[c.dialogID()] = c
		}
	}
	return out
}

func modelOffers(p *Portal) map[string]bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]bool{}
	for _, c := range p.w.offers(p.uid) {
		out[c.dialogID()] = true
	}
	return out
}

func TestRecentPagingAt450(t *testing.T) {
	s := newSim(t, Options{Sessions: 450, Seed: 3})
	want := modelLines(s.p)
	offers := modelOffers(s.p)
	if len(offers) == 0 {
		t.Fatal("the seed made no queue offers")
	}
	seenOnPage := map[string]int{}
	full := map[string]bool{}
	overlaps := 0
	pages := 0
	for off := 0; ; off += 200 {
		items, more := s.recentPage(off, 200)
		pages++
		pageOffers := map[string]bool{}
		var lastAct string
		for _, it := range items {
			id := it["id"].(string)
			if offers[id] {
				pageOffers[id] = true
				// the reduced queue shape
				if _, has := it["last_id"]; has {
					t.Fatalf("offer %s has last_id", id)
				}
				if u := obj_(t, it["user"]); len(u) != 1 || num(t, u["id"]) != 0 {
					t.Fatalf("offer %s user = %v, want {\"id\":0}", id, u)
				}
				if num(t, it["counter"]) != 1 || num(t, obj_(t, it["chat"])["owner"]) != 0 {
					t.Fatalf("offer %s: counter %v owner %v", id, it["counter"], obj_(t, it["chat"])["owner"])
				}
				continue
			}
			if prev, dup := seenOnPage[id]; dup && prev != pages {
				overlaps++
				continue // a repeat from an earlier page keeps its newer date
			}
			seenOnPage[id] = pages
			full[id] = true
			if lastAct != "" && it["date_last_activity"].(string) > lastAct {
				// same offset in the whole list, so string order is time order
				t.Fatalf("page %d not ordered by last activity: %s after %s", pages, it["date_last_activity"], lastAct)
			}
			lastAct = it["date_last_activity"].(string)
		}
		if len(pageOffers) != len(offers) {
			t.Fatalf("page %d carries %d of %d queue offers", pages, len(pageOffers), len(offers))
		}
		if !more {
			break
		}
	}
	if overlaps == 0 {
		t.Fatal("no dialog repeated across pages; the client's de-duplication is never exercised")
	}
	if pages < 3 {
		t.Fatalf("%d pages for 450+ sessions at LIMIT 200", pages)
	}
	for id := range want {
		if !full[id] {
			t.Fatalf("%s is in the model but on no page", id)
		}
	}
	if len(full) != len(want) {
		t.Fatalf("%d dialogs listed, the model has %d", len(full), len(want))
	}
}

func TestRecentHasMoreMeansRawPageFull(t *testing.T) {
	s := newSim(t, Options{Sessions: 10, Seed: 1})
	rows := func() int {
		s.p.mu.Lock()
		defer s.p.mu.Unlock()
		n := 0
		for _, c := range s.p.w.rawRows() {
			if c.kind == kindLines {
				n++
			}
		}
		return n
	}()
	// A limit equal to the raw row count: the page is full, so hasMore is
	// true and the next page is empty apart from the offers.
	_, more := s.recentPage(0, rows)
	if !more {
		t.Fatal("hasMore false for a full raw page")
	}
	items, more := s.recentPage(rows, rows)
	if more {
		t.Fatal("hasMore true on the page after the end")
	}
	for _, it := range items {
		if num(t, obj_(t, it["chat"])["owner"]) != 0 {
			t.Fatalf("the extra page holds a non-offer item %v", it["id"])
		}
	}
}

func TestRecentLimits(t *testing.T) {
	s := newSim(t, Options{Sessions: 300, Seed: 2})
	offers := len(modelOffers(s.p))
	count := func(body map[string]any) int {
		a := s.call("im.recent.list", body)
		return len(list(t, obj_(t, s.mustOK(a, "recent"))["items"])) - offers
	}
	// Raw rows can collapse (duplicates), so a page holds at most LIMIT dialogs.
	if n := count(map[string]any{"SKIP_DIALOG": "Y", "SKIP_CHAT": "Y"}); n > 50 || n < 40 {
		t.Fatalf("default page holds %d dialogs, want ≤ 50 (default LIMIT)", n)
	}
	if n := count(map[string]any{"SKIP_DIALOG": "Y", "SKIP_CHAT": "Y", "LIMIT": 1000}); n > 200 || n < 170 {
		t.Fatalf("LIMIT 1000 gave %d dialogs, want ≤ 200", n)
	}
}

func TestRecentSkipFlags(t *testing.T) {
	s := newSim(t, Options{Sessions: 5})
	kinds := func(body map[string]any) (lines, dialogs, chats int) {
		a := s.call("im.recent.list", body)
		for _, it := range list(t, obj_(t, s.mustOK(a, "recent"))["items"]) {
			m := obj_(t, it)
			switch {
			case m["type"] == "user":
				dialogs++
				if _, isNum := m["id"].(string); isNum {
					t.Fatalf("a 1:1 dialog with a string id %v", m["id"])
				}
			case obj_(t, m["chat"])["entity_type"] == "LINES":
				lines++
			default:
				chats++
			}
		}
		return
	}
	l, d, c := kinds(map[string]any{"LIMIT": 200})
	if l == 0 || d == 0 || c == 0 {
		t.Fatalf("unfiltered list: %d lines, %d dialogs, %d chats; want all kinds", l, d, c)
	}
	l, d, c = kinds(map[string]any{"LIMIT": 200, "SKIP_DIALOG": "Y", "SKIP_CHAT": "Y", "SKIP_OPENLINES": "N"})
	if l == 0 || d != 0 || c != 0 {
		t.Fatalf("the client's flags: %d lines, %d dialogs, %d chats", l, d, c)
	}
	l, _, _ = kinds(map[string]any{"LIMIT": 200, "SKIP_OPENLINES": "Y"})
	if l != 0 {
		t.Fatalf("SKIP_OPENLINES=Y still lists %d open lines", l)
	}
	before, _, _ := kinds(map[string]any{"LIMIT": 200, "SKIP_DIALOG": "Y", "SKIP_CHAT": "Y"})
	after, _, _ := kinds(map[string]any{"LIMIT": 200, "SKIP_DIALOG": "Y", "SKIP_CHAT": "Y", "SKIP_UNDISTRIBUTED_OPENLINES": "Y"})
	if before-after != len(modelOffers(s.p)) {
		t.Fatalf("SKIP_UNDISTRIBUTED_OPENLINES removed %d items, want the %d offers", before-after, len(modelOffers(s.p)))
	}
}

func TestRecentItemShape(t *testing.T) {
	s := newSim(t, Options{Sessions: 150, Seed: 7})
	a := s.call("im.recent.list", map[string]any{"SKIP_DIALOG": "Y", "SKIP_CHAT": "Y", "LIMIT": 200})
	res := obj_(t, s.mustOK(a, "recent"))
	if res["copilot"] != nil {
		t.Fatalf("copilot = %v, want null", res["copilot"])
	}
	if l := list(t, res["messagesAutoDeleteConfigs"]); len(l) != 0 {
		t.Fatalf("messagesAutoDeleteConfigs = %v", l)
	}
	if _, has := res["hasMorePages"]; !has {
		t.Fatal("no hasMorePages")
	}
	sessionRE := regexp.MustCompile(`^(Y|N)\|(LEAD|CONTACT|COMPANY|DEAL|NONE)\|\d+\|(Y|N)\|(Y|N)\|\d+\|\d+(\|\d+){1,3}$`)
	userCodeRE := regexp.MustCompile(`^[a-z]+\|\d+\|\d+\|\d+$`)
	var sawMutedObj, sawMessengerPin, sawOptionsObj, sawFile bool
	for _, it := range list(t, res["items"]) {
		m := obj_(t, it)
		c := obj_(t, m["chat"])
		ed := c["entity_data_1"].(string)
		if !sessionRE.MatchString(ed) {
			t.Fatalf("entity_data_1 %q", ed)
		}
		if !userCodeRE.MatchString(c["entity_id"].(string)) {
			t.Fatalf("entity_id %q", c["entity_id"])
		}
		if !strings.HasPrefix(m["id"].(string), "chat") || num(t, m["chat_id"]) != num(t, c["id"]) {
			t.Fatalf("id %v chat_id %v chat.id %v", m["id"], m["chat_id"], c["id"])
		}
		if !strings.Contains(m["title"].(string), " - ") {
			t.Fatalf("title %q lacks the client - line form", m["title"])
		}
		if num(t, c["owner"]) == 0 {
			continue // an offer
		}
		ln := obj_(t, m["lines"])
		if id := num(t, ln["id"]); id <= 0 || strings.Split(ed, "|")[5] != itoa(id) {
			t.Fatalf("lines.id %d vs entity_data_1 %q", id, ed)
		}
		if !isoOffset.MatchString(ln["date_create"].(string)) {
			t.Fatalf("lines.date_create %v", ln["date_create"])
		}
		if _, isMap := c["mute_list"].(map[string]any); isMap {
			sawMutedObj = true
		}
		if m["pinned"] == true {
			sawMessengerPin = true
		}
		if _, isMap := m["options"].(map[string]any); isMap {
			sawOptionsObj = true
		}
		msg := obj_(t, m["message"])
		if msg["file"] != false {
			sawFile = true
		}
		if msg["sticker"] != nil {
			t.Fatalf("sticker %v", msg["sticker"])
		}
	}
	if !sawMutedObj || !sawMessengerPin || !sawOptionsObj || !sawFile {
		t.Fatalf("quirks missing from 150 sessions: mute_list object %v, messenger pin %v, options object %v, file %v", sawMutedObj, sawMessengerPin, sawOptionsObj, sawFile)
	}
}

func TestMessengerPinIndependentOfOpenLinePin(t *testing.T) {
	s := newSim(t, Options{Sessions: 80, Seed: 11})
	items, _ := s.allRecent()
	var pinnedNotPaused, pausedNotPinned bool
	for _, it := range items {
		paused := ed1(t, it)[3] == "Y"
		if it["pinned"] == true && !paused {
			pinnedNotPaused = true
		}
		if it["pinned"] == false && paused {
			pausedNotPinned = true
		}
	}
	if !pinnedNotPaused || !pausedNotPinned {
		t.Fatalf("pinned flag tracks PAUSE: pinned&!paused %v, paused&!pinned %v", pinnedNotPaused, pausedNotPinned)
	}
}

func TestSeedDeterminism(t *testing.T) {
	clock := newClock()
	body := func(seed int64) []byte {
		p := New(Options{Sessions: 30, Seed: seed, Now: clock.Now, Rate: -1})
		p.mu.Lock()
		defer p.mu.Unlock()
		out := outcome{}
		out = imRecentList(p, &call{method: "im.recent.list", params: params{"LIMIT": "200"}, uid: p.uid})
		b, _ := p.encode(response{status: 200, body: out.result})
		return b
	}
	a, b, c := body(9), body(9), body(10)
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed gave different data")
	}
	if bytes.Equal(a, c) {
		t.Fatal("different seeds gave the same data")
	}
}

func TestSeededVariety(t *testing.T) {
	s := newSim(t, Options{Sessions: 120, Seed: 4})
	items, _ := s.allRecent()
	connectors := map[string]bool{}
	var cyr, latin, statuses = 0, 0, map[int64]bool{}
	crm := 0
	for _, it := range items {
		c := obj_(t, it["chat"])
		connectors[strings.Split(c["entity_id"].(string), "|")[0]] = true
		title := it["title"].(string)
		if regexp.MustCompile(`\p{Cyrillic}`).MatchString(strings.Split(title, " - ")[0]) {
			cyr++
		} else {
			latin++
		}
		if ln, has := it["lines"].(map[string]any); has {
			statuses[num(t, ln["status"])] = true
		}
		if strings.HasPrefix(c["entity_data_2"].(string), "LEAD|") && c["entity_data_2"] != "LEAD|0|COMPANY|0|CONTACT|0|DEAL|0" {
			crm++
		}
	}
	if len(connectors) < 5 || cyr == 0 || latin == 0 || crm == 0 {
		t.Fatalf("connectors %v, cyrillic %d, latin %d, crm %d", connectors, cyr, latin, crm)
	}
	for _, st := range []int64{0, 10, 20, 40, 50, 60} {
		if !statuses[st] {
			t.Fatalf("no session with status %d among %v", st, statuses)
		}
	}
}

func TestLastMessageDateCursor(t *testing.T) {
	s := newSim(t, Options{Sessions: 30, Seed: 8})
	cut := s.clock.Now().Add(-6 * time.Hour).In(time.FixedZone("", 3*3600)).Format(time.RFC3339)
	a := s.call("im.recent.list", map[string]any{"SKIP_DIALOG": "Y", "SKIP_CHAT": "Y", "SKIP_UNDISTRIBUTED_OPENLINES": "Y", "LIMIT": 200, "LAST_MESSAGE_DATE": cut, "OFFSET": 5})
	items := list(t, obj_(t, s.mustOK(a, "recent"))["items"])
	if len(items) == 0 {
		t.Fatal("nothing older than six hours")
	}
	for _, it := range items {
		d := obj_(t, it)["date_last_activity"].(string)
		dt, _ := time.Parse(time.RFC3339, d)
		ct, _ := time.Parse(time.RFC3339, cut)
		if dt.After(ct) {
			t.Fatalf("item at %s is after the cursor %s", d, cut)
		}
	}
	s.mustErr(s.call("im.recent.list", map[string]any{"LAST_MESSAGE_DATE": "yesterday"}), 400, "ERROR_ARGUMENT", "bad date")
}

func TestRecentGet(t *testing.T) {
	s := newSim(t, Options{Sessions: 20})
	a := s.call("im.recent.get", map[string]any{"SKIP_OPENLINES": "N"})
	items := list(t, s.mustOK(a, "recent.get"))
	if len(items) != len(modelLines(s.p))+len(modelOffers(s.p)) {
		t.Fatalf("im.recent.get listed %d items, want %d lines + %d offers", len(items), len(modelLines(s.p)), len(modelOffers(s.p)))
	}
}
