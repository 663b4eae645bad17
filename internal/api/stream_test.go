package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unsafe"
)

// streamRaw decodes body with streamEnvelope, keeping the result raw.
func streamRaw(status int, body []byte) (*envelope, error) {
	var raw json.RawMessage
	env, err := streamEnvelope(status, bytes.NewReader(body), rawSink(&raw))
	if env != nil {
		env.Result = raw
	}
	return env, err
}

// sameOutcome compares what decodeEnvelope and streamEnvelope made of one
// body; a stream error that is neither *Error nor *bodyError stands for
// "not JSON", which decodeEnvelope reports as a *bodyError.
func sameOutcome(t *testing.T, status int, body []byte) {
	t.Helper()
	want, werr := decodeEnvelope(status, body)
	got, gerr := streamRaw(status, body)
	switch gerr.(type) {
	case nil, *Error, *bodyError:
	default:
		gerr = notJSON(status)
	}
	if !reflect.DeepEqual(werr, gerr) {
		t.Fatalf("HTTP %d %q:\n whole: %#v\nstream: %#v", status, body, werr, gerr)
	}
	if werr != nil {
		return
	}
	if !bytes.Equal(bytes.TrimSpace(want.Result), bytes.TrimSpace(got.Result)) ||
		!reflect.DeepEqual(want.Total, got.Total) || !reflect.DeepEqual(want.Next, got.Next) || want.Time != got.Time {
		t.Fatalf("HTTP %d %q:\n whole: %+v\nstream: %+v", status, body, want, got)
	}
}

func TestStreamEnvelopeMatchesWholeDecoding(t *testing.T) {
	for _, c := range []struct {
		status int
		body   string
	}{
		{200, `{"result":{"ID":"27"},"time":{"start":1,"operating":0.5,"operating_reset_at":1773670000},"total":-1,"next":50}`},
		{200, `{"RESULT":[1,2],"Time":{"start":1}}`},
		{200, `{"result":null}`},
		{200, `{"result":1,"result":2}`},
		{200, `{"time":{}}`},
		{200, `{"result":true,"error":null}`},
		{200, `{"result":true,"error":""}`},
		{200, `{"result":true,"error":"X","error":null}`},
		{200, `{"result":true,"total":null,"next":"7"}`},
		{200, `{"result":true} `},
		{200, `{"result":true}<br>`},
		{200, `{"result":true}{"result":false}`},
		{200, `<b>Warning</b>{"result":true}`},
		{200, `{"result":tru`},
		{200, ``},
		{200, `[]`},
		{400, `{"error":"","error_description":""}`},
		{401, `{"error":"expired_token","error_description":"The access token provided has expired."}`},
		{503, `{"result":true}`},
		{404, `{"result":true}`},
		{200, "{\"re\u017fult\":1}"}, // encoding/json folds ſ to s: so must the stream
	} {
		sameOutcome(t, c.status, []byte(c.body))
	}
}

// FuzzStreamEnvelope holds the streaming decoder to the whole-body one: the
// same outcome for any body and status.
func FuzzStreamEnvelope(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(200, b)
	}
	f.Add(200, []byte(`{"result":true,"error":"X","error":null}`))
	f.Add(400, []byte(`{"error":"","error_description":""}`))
	f.Add(200, []byte(`{"result":1} x`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		sameOutcome(t, status, body)
	})
}

// FuzzBatchAnswer feeds arbitrary batch payloads to the streaming batch
// decoder, with and without page hand-off: never a panic, and a payload
// that decodes gives the same command outcomes both ways.
func FuzzBatchAnswer(f *testing.F) {
	f.Add([]byte(`{"result":{"me":{"ID":"1"},"page0":{"items":[],"hasMore":false}},"result_error":[],"result_total":{"page0":-1},"result_next":[],"result_time":{"me":{"start":1}}}`))
	f.Add([]byte(`{"result":[{"ID":"1"},{"items":[]}],"result_error":[],"result_total":[0,-1]}`))
	f.Add([]byte(`{"result":{"page0":true},"result_error":{"page200":{"error":"ERROR_BATCH_LENGTH_EXCEEDED"},"me":"WEIRD"}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"result":{"page0":{"items":{"0":{"id":"chat1","chat":{"entity_type":"LINES"}}},"hasMore":true}}}`))
	if b, err := os.ReadFile(filepath.Join("testdata", "doc_batch.json")); err == nil {
		if env, err := decodeEnvelope(200, b); err == nil {
			f.Add([]byte(env.Result))
		}
	}
	keys := []string{"me", "lines", "page0", "page200"}
	methods := map[string]string{"me": MethodCurrentUser, "lines": MethodLines, "page0": MethodRecentList, "page200": MethodRecentList}
	f.Fuzz(func(t *testing.T, payload []byte) {
		plain := &BatchResult{Keys: keys, Methods: methods}
		perr := plain.stream(newJSONStream(bytes.NewReader(payload)), nil)
		l := newListing(0, nil, nil)
		paged := &BatchResult{Keys: keys, Methods: methods}
		gerr := paged.stream(newJSONStream(bytes.NewReader(payload)), l)
		if (perr == nil) != (gerr == nil) {
			t.Fatalf("plain %v, paged %v", perr, gerr)
		}
		if perr != nil {
			return
		}
		for _, k := range keys {
			if (plain.Err(k) == nil) != (paged.Err(k) == nil) {
				t.Fatalf("%s: plain %v, paged %v", k, plain.Err(k), paged.Err(k))
			}
		}
		cmds := []BatchCommand{{Key: "page0", Method: MethodRecentList}, {Key: "page200", Method: MethodRecentList}}
		if _, err := l.add(paged, cmds); err == nil {
			seen := map[string]bool{}
			for _, s := range l.sessions {
				if s.DialogID == "" || seen[s.DialogID] {
					t.Fatalf("listing kept %q twice or empty", s.DialogID)
				}
				seen[s.DialogID] = true
			}
		}
	})
}

// TestStreamReadErrors: a body cut off or failing mid-answer is a read
// error (ambiguous), one over the cap is ErrResponseTooLarge, one that
// stops being JSON is an unreadable answer.
func TestStreamReadErrors(t *testing.T) {
	page := `{"result":{"result":{"page0":{"items":[],"hasMore":false}},"result_error":[]}}`
	for name, c := range map[string]struct {
		handle func(w http.ResponseWriter)
		max    int64
		want   string
		is     error
	}{
		"cut off": {handle: func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", fmt.Sprint(len(page)))
			w.WriteHeader(200)
			io.WriteString(w, page[:len(page)/2])
		}, want: "answer cut off"},
		"over the cap": {handle: func(w http.ResponseWriter) {
			writeJSON(w, 200, `{"result":{"result":{"page0":{"items":[`+strings.Repeat(`{"id":"chat1"},`, 200)+`{}],"hasMore":false}}}}`)
		}, max: 1000, want: "larger than 1000 bytes", is: ErrResponseTooLarge},
		"not JSON half-way": {handle: func(w http.ResponseWriter) {
			writeJSON(w, 200, `{"result":{"result":{"page0":{"items":[<b>Fatal error</b>`)
		}, want: "unreadable answer (HTTP 200, not JSON)"},
	} {
		t.Run(name, func(t *testing.T) {
			p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) { c.handle(w) })
			cl, _ := testClient(t, p.webhook(), func(o *Options) { o.MaxResponseBytes = c.max })
			_, err := cl.Batch(context.Background(), []BatchCommand{{Key: "page0", Method: MethodRecentList}}, false)
			if err == nil || !strings.Contains(err.Error(), c.want) || c.is != nil && !errors.Is(err, c.is) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if strings.Contains(err.Error(), secretCode) {
				t.Fatalf("the code leaked: %v", err)
			}
		})
	}
}

func TestCapReader(t *testing.T) {
	for _, c := range []struct {
		body  string
		limit int64
		over  bool
	}{{"12345", 5, false}, {"123456", 5, true}, {"", 0, false}, {"1", 0, true}} {
		r := newCapReader(iotest.OneByteReader(strings.NewReader(c.body)), c.limit)
		got, err := io.ReadAll(r)
		if r.over != c.over || (err != nil) != c.over || int64(len(got)) > c.limit {
			t.Errorf("%q limit %d: read %q, over %v, err %v", c.body, c.limit, got, r.over, err)
		}
	}
}

// TestListingOutOfOrderAndRetry: pages that arrive out of order keep the
// first occurrence by page order; a repeated answer (a retried attempt)
// starts the batch's pages afresh. A second listing over the first one's
// sessions lists the unchanged ones as the same sessions, and a retried
// attempt does not lose them.
func TestListingOutOfOrderAndRetry(t *testing.T) {
	item := func(chat int, title string) string {
		return fmt.Sprintf(`{"id":"chat%d","chat_id":%d,"title":"%s","chat":{"entity_type":"LINES"},"lines":{"id":%d,"status":20}}`, chat, chat, title, 5000+chat)
	}
	var prev []*Session
	for round, retitled := range []int{0, 2} {
		pageJSON := func(more bool, chats ...int) string {
			var items []string
			for _, c := range chats {
				title := fmt.Sprintf("c%d", c)
				if c == retitled {
					title += " (renamed)"
				}
				items = append(items, item(c, title))
			}
			return fmt.Sprintf(`{"items":[%s],"hasMore":%v}`, strings.Join(items, ","), more)
		}
		payload := `{"result":{` +
			`"page400":` + pageJSON(false, 5, 6, 99) + `,` + // spare past the end, arrives first
			`"page200":` + pageJSON(false, 3, 4, 2, 99, 99) + `,` +
			`"page0":` + pageJSON(true, 1, 2, 3) + `}}`
		cmds := []BatchCommand{{Key: "page0", Method: MethodRecentList}, {Key: "page200", Method: MethodRecentList}, {Key: "page400", Method: MethodRecentList}}
		methods := map[string]string{"page0": MethodRecentList, "page200": MethodRecentList, "page400": MethodRecentList}
		l := newListing(0, prev, nil)
		res := &BatchResult{Keys: []string{"page0", "page200", "page400"}, Methods: methods}
		for range 2 { // the second read stands for a retried attempt
			if err := res.stream(newJSONStream(strings.NewReader(payload)), l); err != nil {
				t.Fatal(err)
			}
		}
		done, err := l.add(res, cmds)
		if err != nil || !done {
			t.Fatalf("round %d: done %v, err %v", round, done, err)
		}
		var got []string
		for i, s := range l.sessions {
			got = append(got, s.DialogID)
			if prev == nil {
				continue
			}
			if renamed := s.ChatID == int64(retitled); (s == prev[i]) == renamed || renamed && !strings.HasSuffix(s.Title, "(renamed)") {
				t.Errorf("round %d: %s shared %v, title %q", round, s.DialogID, s == prev[i], s.Title)
			}
		}
		if want := "[chat1 chat2 chat3 chat4 chat99]"; fmt.Sprint(got) != want || l.pages != 2 {
			t.Errorf("round %d: listing %v (%d pages), want %s", round, got, l.pages, want)
		}
		prev = l.sessions
	}
}

// TestSnapshotLinesGiveWayToPages: once the line names are stale, they are
// re-read in the same batch only when the pages still fit; a list that
// fills the batch keeps one request per refresh and the cached names.
func TestSnapshotLinesGiveWayToPages(t *testing.T) {
	for _, c := range []struct {
		rows      int
		wantLines int // config.list.get calls after the TTL refresh
	}{
		{9000, 2}, // 45 pages + a spare + lines fit in 50
		{9850, 1}, // 50 pages: no room, the names wait
	} {
		lp := &listPortal{n: c.rows}
		p := newListPortal(t, lp)
		now := time.Unix(1773670000, 0)
		cl, _ := testClient(t, p.webhook(), func(o *Options) { o.Now = func() time.Time { return now } })
		for range 2 {
			if _, err := cl.Snapshot(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		now = now.Add(linesTTL + time.Second)
		snap, err := cl.Snapshot(context.Background())
		if err != nil || snap.Requests != 1 || len(snap.Sessions) != c.rows || len(snap.Lines) != 2 {
			t.Fatalf("%d rows: err %v, %d requests, %d sessions, %d lines", c.rows, err, snap.Requests, len(snap.Sessions), len(snap.Lines))
		}
		if lp.linesCalls != c.wantLines {
			t.Errorf("%d rows: lines read %d times, want %d", c.rows, lp.linesCalls, c.wantLines)
		}
		if snap.Sessions[0].LineName == "" {
			t.Errorf("%d rows: sessions lost their line names", c.rows)
		}
	}
}

// TestSnapshotCutsOffAHundredThousandRows: a list of 100,000 rows is read
// up to MaxListRows and marked Truncated, most recent first; the next
// refresh reads the same rows in as few batches as fit them.
func TestSnapshotCutsOffAHundredThousandRows(t *testing.T) {
	lp := &listPortal{n: 100000, fullPageMore: true}
	p := newListPortal(t, lp)
	cl, _ := testClient(t, p.webhook())
	snap, err := cl.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !snap.Truncated || lp.pageCalls > MaxListRows/pageLimit+MaxBatch {
		t.Fatalf("truncated %v after %d page calls", snap.Truncated, lp.pageCalls)
	}
	if len(snap.Sessions) != MaxListRows || snap.Sessions[0].SessionID != 5000 {
		t.Fatalf("%d sessions (first %d), want the %d most recent", len(snap.Sessions), snap.Sessions[0].SessionID, MaxListRows)
	}
	before := p.count("batch")
	snap, err = cl.Snapshot(context.Background())
	if err != nil || !snap.Truncated || p.count("batch")-before != MaxListRows/pageLimit/MaxBatch {
		t.Fatalf("second: %v, truncated %v, %d batches", err, snap.Truncated, p.count("batch")-before)
	}
}

// TestSnapshotEndsWhenThePortalNeverDoes: a portal that says hasMore on
// every page, with the same rows, is read up to the page cap and the
// snapshot is marked Truncated instead of looping.
func TestSnapshotEndsWhenThePortalNeverDoes(t *testing.T) {
	lp := &listPortal{n: 5}
	page := lp.page(0)
	page["hasMore"], page["hasMorePages"] = true, true
	pages := 0
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		var req struct{ Cmd map[string]string }
		decodeBatchBody(t, r, &req)
		result := map[string]any{}
		for key := range req.Cmd {
			switch {
			case key == "me":
				result[key] = map[string]any{"ID": "27"}
			case key == "lines":
				result[key] = []any{}
			default:
				pages++
				result[key] = page
			}
		}
		b, _ := json.Marshal(map[string]any{"result": map[string]any{"result": result, "result_error": []any{}}})
		writeJSON(w, 200, string(b))
	})
	cl, _ := testClient(t, p.webhook())
	snap, err := cl.Snapshot(context.Background())
	if err != nil || !snap.Truncated || len(snap.Sessions) != 5 || pages != MaxListRows/pageLimit {
		t.Fatalf("err %v, truncated %v, %d sessions, %d pages asked", err, snap.Truncated, len(snap.Sessions), pages)
	}
}

// TestSnapshotSharesUnchangedText: a refresh that sees a session's title
// and message unchanged reuses the previous snapshot's strings (what the
// dashboard still shows) instead of holding a second copy.
func TestSnapshotSharesUnchangedText(t *testing.T) {
	lp := &listPortal{n: 300}
	p := newListPortal(t, lp)
	cl, _ := testClient(t, p.webhook())
	first, err := cl.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	second, err := cl.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range first.Sessions {
		a, b := first.Sessions[i], second.Sessions[i]
		if a.DialogID != b.DialogID || a.Title != b.Title || a.Client != b.Client {
			t.Fatalf("session %d differs: %+v vs %+v", i, a, b)
		}
		if unsafe.StringData(a.Title) != unsafe.StringData(b.Title) || unsafe.StringData(a.DialogID) != unsafe.StringData(b.DialogID) ||
			unsafe.StringData(b.Client) != unsafe.StringData(b.Title) {
			t.Fatalf("session %d: the second snapshot holds its own copy of the text", i)
		}
	}
}
