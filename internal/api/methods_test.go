package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestDecodeIDList(t *testing.T) {
	cases := map[string][]int64{
		`[339, 337]`:               {339, 337},
		`["339","337"]`:            {339, 337},
		`{"0":339,"2":"337"}`:      {339, 337},
		`{"339":true,"337":true}`:  {339, 337},
		`{"5":12,"1":7}`:           {12, 7}, // portal order, not key order
		`[]`:                       {},
		`{}`:                       {},
		`null`:                     {},
		`true`:                     {},
		`341`:                      {341},
		`[339, 0, -1, "x", 337.0]`: {339, 337},
	}
	for in, want := range cases {
		got, err := DecodeIDList(json.RawMessage(in))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s → %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := DecodeIDList(json.RawMessage(`false`)); err == nil {
		t.Error("false accepted")
	}
}

func TestPinAllAndUnpinAllKeepPortalOrder(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		writeJSON(w, 200, string(readTestdata(t, "doc_unpin_all.json")))
	})
	c, _ := testClient(t, p.webhook())
	for _, f := range []func(context.Context) ([]int64, error){c.PinAll, c.UnpinAll} {
		ids, err := f(context.Background())
		if err != nil || !reflect.DeepEqual(ids, []int64{339, 337}) {
			t.Errorf("ids %v, err %v", ids, err)
		}
	}
	if string(p.bodies[MethodUnpinAll]) != "{}" || string(p.bodies[MethodPinAll]) != "{}" {
		t.Errorf("bodies %s %s", p.bodies[MethodUnpinAll], p.bodies[MethodPinAll])
	}
}

func TestPinRefusesBadChatID(t *testing.T) {
	c, _ := testClient(t, "http://127.0.0.1:1/rest/1/"+secretCode+"/")
	if err := c.Pin(context.Background(), 0, true); err == nil || !strings.Contains(err.Error(), "positive") {
		t.Errorf("err = %v", err)
	}
}

func TestLinesAndCurrentUser(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		switch method {
		case MethodLines:
			writeJSON(w, 200, string(readTestdata(t, "spec_imopenlines.config.list.get.json")))
		default:
			writeJSON(w, 200, string(readTestdata(t, "doc_user_current.json")))
		}
	})
	c, _ := testClient(t, p.webhook())
	lines, err := c.Lines(context.Background())
	want := []Line{{15, "Линия поддержки VIP", true}, {16, "Линия продаж", true}}
	if err != nil || !reflect.DeepEqual(lines, want) {
		t.Errorf("lines %+v, %v", lines, err)
	}
	var params map[string]map[string]any
	if err := json.Unmarshal(p.bodies[MethodLines], &params); err != nil || fmt.Sprint(params["PARAMS"]["select"]) != "[ID LINE_NAME ACTIVE]" {
		t.Errorf("params %s", p.bodies[MethodLines])
	}
	u, err := c.CurrentUser(context.Background())
	if err != nil || u != (User{ID: 27, Name: "Svetlana", LastName: "Ivanova"}) {
		t.Errorf("user %+v, %v", u, err)
	}
	if decodeLines(json.RawMessage(`{"0":{"ID":"3","LINE_NAME":"x","ACTIVE":"N"}}`))[0].Active {
		t.Error("ACTIVE N decoded as active")
	}
}

func TestHistory(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		writeJSON(w, 200, `{"result":{"chatId":1763,"sessionId":"321",
			"message":{"85851":{"id":"85851","senderid":"103","date":"2026-03-11T13:12:46+03:00","text":"second"},
			           "85833":{"id":"85833","senderid":"587","date":"2026-03-11T13:10:00+03:00","text":"first"},
			           "85860":{"id":"85860","senderid":"0","date":"2026-03-11T13:20:00+03:00","text":"system"}},
			"users":{"103":{"id":"103","name":"Svetlana Ivanova"},"587":{"id":"587","firstName":"Ivan","lastName":""}},
			"files":[],"userInGroup":[]}}`)
	})
	c, _ := testClient(t, p.webhook())
	h, err := c.History(context.Background(), 321, 1763)
	if err != nil {
		t.Fatal(err)
	}
	if h.SessionID != 321 || h.ChatID != 1763 || len(h.Messages) != 3 {
		t.Fatalf("%+v", h)
	}
	got := []string{}
	for _, m := range h.Messages {
		got = append(got, fmt.Sprintf("%d:%s:%s", m.AuthorID, m.Author, m.Text))
	}
	if want := "[587:Ivan:first 103:Svetlana Ivanova:second 0::system]"; fmt.Sprint(got) != want {
		t.Errorf("messages %v", got)
	}
	if string(p.bodies[MethodHistory]) != `{"SESSION_ID":321}` {
		t.Errorf("body %s", p.bodies[MethodHistory])
	}
	if _, err := c.History(context.Background(), 0, 1763); err != nil || string(p.bodies[MethodHistory]) != `{"CHAT_ID":1763}` {
		t.Errorf("by chat: %v %s", err, p.bodies[MethodHistory])
	}
	if _, err := c.History(context.Background(), 0, 0); err == nil {
		t.Error("no IDs accepted")
	}
	if h := decodeHistory(readTestdata(t, "doc_history.json"), 0, 0); h.SessionID != 0 {
		t.Errorf("envelope is not a result: %+v", h)
	}
}

// listPortal serves batch with user.current, lines and im.recent.list over
// n LINES sessions, pages of up to 200 overlapping by `overlap` rows, with
// `queue` queue offers appended to every page.
type listPortal struct {
	mu           sync.Mutex
	n, overlap   int
	queue        int
	failPage     string // an error code for the im.recent.list commands, if set
	cmds         [][]string
	userCalls    int
	linesCalls   int
	pageCalls    int
	fullPageMore bool // hasMore = "the raw page was full" (core semantics)
}

func (lp *listPortal) item(i int, status int) map[string]any {
	return map[string]any{
		"id": fmt.Sprintf("chat%d", 1000+i), "chat_id": 1000 + i, "title": fmt.Sprintf("Client %d - Sales", i),
		"counter": i % 3, "pinned": i%2 == 0,
		"chat": map[string]any{"id": 1000 + i, "owner": 27, "type": "lines", "entity_type": "LINES",
			"entity_id": fmt.Sprintf("livechat|%d|1|2", 15+i%2), "entity_data_1": fmt.Sprintf("N|NONE|0|%s|N|%d|0|0|0", map[bool]string{true: "Y", false: "N"}[i%5 == 0], 5000+i)},
		"lines": map[string]any{"id": 5000 + i, "status": status},
	}
}

func (lp *listPortal) page(offset int) map[string]any {
	start := max(0, offset-lp.overlap)
	end := min(lp.n, offset+pageLimit)
	items := []any{}
	for i := start; i < end; i++ {
		items = append(items, lp.item(i, 40))
	}
	for q := range lp.queue {
		items = append(items, lp.item(100000+q, 0))
	}
	more := offset+pageLimit < lp.n
	if lp.fullPageMore {
		more = end-offset == pageLimit
	}
	return map[string]any{"items": items, "hasMore": more, "hasMorePages": more}
}

func (lp *listPortal) handle(t *testing.T) func(w http.ResponseWriter, r *http.Request, method string, n int) {
	return func(w http.ResponseWriter, r *http.Request, method string, _ int) {
		var req struct{ Cmd map[string]string }
		p := decodeBatchBody(t, r, &req)
		lp.mu.Lock()
		defer lp.mu.Unlock()
		lp.cmds = append(lp.cmds, p)
		result, errs := map[string]any{}, map[string]any{}
		for key, line := range req.Cmd {
			m, q, _ := strings.Cut(line, "?")
			vals, _ := url.ParseQuery(q)
			switch m {
			case MethodCurrentUser:
				lp.userCalls++
				result[key] = map[string]any{"ID": "27", "NAME": "Svetlana"}
			case MethodLines:
				lp.linesCalls++
				result[key] = []any{map[string]any{"ID": "15", "LINE_NAME": "Sales"}, map[string]any{"ID": 16, "LINE_NAME": "VIP"}}
			case MethodRecentList:
				lp.pageCalls++
				if vals.Get("SKIP_OPENLINES") != "N" || vals.Get("SKIP_DIALOG") != "Y" || vals.Get("SKIP_CHAT") != "Y" || vals.Get("LIMIT") != "200" {
					t.Errorf("page params %v", vals)
				}
				if lp.failPage != "" {
					errs[key] = map[string]any{"error": lp.failPage, "error_description": "nope"}
					continue
				}
				off, _ := strconv.Atoi(vals.Get("OFFSET"))
				result[key] = lp.page(off)
			}
		}
		b, _ := json.Marshal(map[string]any{"result": map[string]any{"result": orEmpty(result), "result_error": orEmpty(errs)}})
		writeJSON(w, 200, string(b))
	}
}

// orEmpty gives [] for an empty section, as the portal does.
func orEmpty(m map[string]any) any {
	if len(m) == 0 {
		return []any{}
	}
	return m
}

// decodeBatchBody decodes the batch body and returns the command keys in order.
func decodeBatchBody(t *testing.T, r *http.Request, req any) []string {
	t.Helper()
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, req); err != nil {
		t.Fatal(err)
	}
	var raw struct{ Cmd json.RawMessage }
	_ = json.Unmarshal(body, &raw)
	var keys []string
	_ = walkObject(raw.Cmd, func(k string, _ json.RawMessage) { keys = append(keys, k) })
	return keys
}

func newListPortal(t *testing.T, lp *listPortal) *fakePortal {
	return newFakePortal(t, lp.handle(t))
}

func TestSnapshotOneRequestAndCaching(t *testing.T) {
	lp := &listPortal{n: 450, overlap: 7, queue: 3}
	p := newListPortal(t, lp)
	now := time.Unix(1773670000, 0)
	c, _ := testClient(t, p.webhook(), func(o *Options) { o.Now = func() time.Time { return now } })

	snap, err := c.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Sessions) != 453 || snap.Me.ID != 27 || len(snap.Lines) != 2 {
		t.Fatalf("sessions %d, me %+v, lines %+v", len(snap.Sessions), snap.Me, snap.Lines)
	}
	if snap.Requests != 1 || p.count("batch") != 1 {
		t.Errorf("first snapshot cost %d requests (%d seen)", snap.Requests, p.count("batch"))
	}
	assertSessions(t, snap.Sessions, lp)
	if !snap.Fetched.Equal(now) {
		t.Errorf("fetched %v", snap.Fetched)
	}

	// Second refresh: user and lines cached, pages = what was needed + 1.
	snap, err = c.Snapshot(context.Background())
	if err != nil || snap.Requests != 1 || len(snap.Sessions) != 453 || snap.Me.ID != 27 || len(snap.Lines) != 2 {
		t.Fatalf("second: %v, requests %d, sessions %d", err, snap.Requests, len(snap.Sessions))
	}
	if lp.userCalls != 1 || lp.linesCalls != 1 {
		t.Errorf("user.current ×%d, lines ×%d", lp.userCalls, lp.linesCalls)
	}
	if last := lp.cmds[len(lp.cmds)-1]; fmt.Sprint(last) != "[page0 page200 page400 page600]" {
		t.Errorf("second batch %v", last)
	}

	// After ten minutes the lines are re-read.
	now = now.Add(linesTTL + time.Second)
	if _, err := c.Snapshot(context.Background()); err != nil || lp.linesCalls != 2 || lp.userCalls != 1 {
		t.Errorf("err %v, lines ×%d, user ×%d", err, lp.linesCalls, lp.userCalls)
	}
}

func assertSessions(t *testing.T, sessions []*Session, lp *listPortal) {
	t.Helper()
	seen := map[int64]bool{}
	for _, s := range sessions {
		if seen[s.SessionID] {
			t.Fatalf("session %d twice", s.SessionID)
		}
		seen[s.SessionID] = true
		i := int(s.ChatID - 1000)
		if s.SessionID != int64(5000+i) || s.Pinned != (i%5 == 0) || s.LineName != map[bool]string{true: "Sales", false: "VIP"}[i%2 == 0] {
			t.Fatalf("session %+v", s)
		}
	}
	for i := range lp.n {
		if !seen[int64(5000+i)] {
			t.Fatalf("session %d missing", 5000+i)
		}
	}
}

func TestSnapshotFollowsWithAnotherBatch(t *testing.T) {
	lp := &listPortal{n: 2000, overlap: 3, fullPageMore: true}
	p := newListPortal(t, lp)
	c, _ := testClient(t, p.webhook())
	snap, err := c.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Sessions) != 2000 {
		t.Fatalf("%d sessions", len(snap.Sessions))
	}
	assertSessions(t, snap.Sessions, lp)
	if snap.Requests != p.count("batch") || snap.Requests < 2 {
		t.Errorf("requests %d, batches %d", snap.Requests, p.count("batch"))
	}
	// Now the size is known: one request (10 full pages + the empty 11th + a spare).
	snap, err = c.Snapshot(context.Background())
	if err != nil || snap.Requests != 1 || len(snap.Sessions) != 2000 {
		t.Errorf("second: %v, %d requests, %d sessions", err, snap.Requests, len(snap.Sessions))
	}
}

func TestSnapshotLargeListFitsOneRequest(t *testing.T) {
	lp := &listPortal{n: 10000}
	p := newListPortal(t, lp)
	c, _ := testClient(t, p.webhook())
	if _, err := c.Snapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := p.count("batch")
	snap, err := c.Snapshot(context.Background())
	if err != nil || len(snap.Sessions) != 10000 || snap.Requests != 1 || p.count("batch") != before+1 {
		t.Fatalf("err %v, %d sessions, %d requests", err, len(snap.Sessions), snap.Requests)
	}
	for _, cmds := range lp.cmds {
		if len(cmds) > MaxBatch {
			t.Fatalf("a batch of %d commands", len(cmds))
		}
	}
}

func TestSnapshotInnerErrorFailsWhole(t *testing.T) {
	lp := &listPortal{n: 10, failPage: "OPERATION_TIME_LIMIT"}
	p := newListPortal(t, lp)
	c, _ := testClient(t, p.webhook())
	snap, err := c.Snapshot(context.Background())
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrOperationLimit) || e.Method != MethodRecentList || snap.Sessions != nil {
		t.Fatalf("err %v, snap %+v", err, snap)
	}
}

// TestSnapshotQuirksOverHTTP runs a whole refresh over real HTTP against
// pages that pack the §12 quirks, with the batch sections in their odd
// shapes ([] for empty, totals of -1, integer times, a failing spare page).
func TestSnapshotQuirksOverHTTP(t *testing.T) {
	pages := map[string]json.RawMessage{
		"page0":   readTestdata(t, "quirks_page0.json"),
		"page200": readTestdata(t, "quirks_page200.json"),
	}
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		var req struct{ Cmd map[string]string }
		decodeBatchBody(t, r, &req)
		result, errs, totals, times := map[string]any{}, map[string]any{}, map[string]any{}, map[string]any{}
		for key := range req.Cmd {
			times[key] = map[string]any{"start": 1773670900, "finish": 1773670900.4, "duration": 0.4, "processing": 0}
			switch {
			case key == "me":
				result[key] = json.RawMessage(`{"ID":"27","ACTIVE":true,"NAME":"Svetlana","LAST_NAME":"Ivanova","IS_ONLINE":"Y","LAST_ACTIVITY_DATE":"2024-07-23 08:08:50","UF_DEPARTMENT":[1]}`)
			case key == "lines":
				result[key] = json.RawMessage(`{"0":{"ID":"22","LINE_NAME":"Documentation","ACTIVE":"Y"},"1":{"ID":"5","LINE_NAME":"Продажи","ACTIVE":"N","QUEUE_USERS_FIELDS":{"101":{"USER_WORK_POSITION":null}},"CONFIG_QUEUE":[]}}`)
			case pages[key] != nil:
				result[key], totals[key] = pages[key], -1
			default: // spares past the end must be ignored, errors included
				errs[key] = map[string]any{"error": "INTERNAL_SERVER_ERROR", "error_description": ""}
			}
		}
		b, _ := json.Marshal(map[string]any{"result": map[string]any{
			"result": result, "result_error": errs, "result_total": totals, "result_next": []any{}, "result_time": times,
		}, "time": map[string]any{"start": 1773670900, "operating": 0}})
		writeJSON(w, 200, string(b))
	})
	c, _ := testClient(t, p.webhook())
	snap, err := c.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if snap.Me != (User{ID: 27, Name: "Svetlana", LastName: "Ivanova"}) || snap.Requests != 1 {
		t.Errorf("me %+v, %d requests", snap.Me, snap.Requests)
	}
	if want := []Line{{22, "Documentation", true}, {5, "Продажи", false}}; !reflect.DeepEqual(snap.Lines, want) {
		t.Errorf("lines %+v", snap.Lines)
	}
	var got []string
	for _, s := range snap.Sessions {
		got = append(got, fmt.Sprintf("%d/%s/%s/%s/%v/pin=%v/known=%v/%q/%s",
			s.SessionID, s.DialogID, s.Connector, s.LineName, s.Status, s.Pinned, s.StatusKnown, s.Client, s.LastMessage))
	}
	want := []string{
		`343/chat1777/livechat/Documentation/CLIENT/pin=false/known=true/"Green guest #17"/Hello`,
		`351/chat1801/telegrambot/Продажи/NEW/pin=false/known=true/"Мария Петрова"/Хочу сменить тариф`,
		`400/chat1900/livechat/Documentation/NEW/pin=true/known=false/"No lines object"/`,
		`401/chat1901/livechat/Documentation/NEW/pin=false/known=false/"Session row missing"/`,
		`450/chat1950/telegrambot/Продажи/CLOSE/pin=false/known=true/"Closed one"/`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sessions\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	first := snap.Sessions[0]
	if first.ChatID != 1777 || first.OwnerID != 27 || first.Unread != 1 || first.LastAuthorID != 599 || !first.CRMLinked ||
		!first.Started.Equal(time.Date(2026, 3, 16, 17, 41, 58, 0, time.UTC)) {
		t.Errorf("first %+v", first)
	}
	if q := snap.Sessions[1]; !q.MarkedUnread || q.OwnerID != 0 || !q.LastActivity.Equal(time.Date(2026, 3, 16, 17, 53, 2, 0, time.UTC)) {
		t.Errorf("queue offer %+v", q)
	}
	if s := snap.Sessions[2]; !s.LastActivity.Equal(time.Date(2026, 3, 15, 7, 0, 0, 0, time.UTC)) || !s.Current() {
		t.Errorf("no-lines item %+v", s)
	}
}
