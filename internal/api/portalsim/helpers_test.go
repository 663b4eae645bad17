package portalsim

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for the portal.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 16, 17, 20, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// sim is a portal served over real HTTP on 127.0.0.1.
type sim struct {
	t     testing.TB
	p     *Portal
	srv   *httptest.Server
	hook  string
	clock *fakeClock
}

func newSim(t testing.TB, opts Options) *sim {
	t.Helper()
	clock := newClock()
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	if opts.Rate == 0 {
		opts.Rate = -1
	}
	p := New(opts)
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return &sim{t: t, p: p, srv: srv, hook: p.WebhookURL(srv.URL), clock: clock}
}

// answer is a decoded HTTP answer.
type answer struct {
	status int
	ctype  string
	raw    []byte
	body   map[string]any // nil when the body is not a JSON object
}

func (a answer) errCode() (string, bool) {
	if a.body == nil {
		return "", false
	}
	c, has := a.body["error"].(string)
	return c, has
}

func (a answer) result() any { return a.body["result"] }

func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func (s *sim) do(req *http.Request) answer {
	s.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("reading %s: %v", req.URL.Path, err)
	}
	a := answer{status: resp.StatusCode, ctype: resp.Header.Get("Content-Type"), raw: raw}
	if v, err := decodeJSON(raw); err == nil {
		a.body, _ = v.(map[string]any)
	}
	return a
}

// call POSTs a JSON body to the webhook.
func (s *sim) call(method string, body any) answer {
	s.t.Helper()
	return s.postJSON(s.hook+method, body)
}

// callRaw POSTs a JSON body given as text (to control key order).
func (s *sim) callRaw(method, body string) answer {
	s.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, s.hook+method, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return s.do(req)
}

func (s *sim) postJSON(u string, body any) answer {
	s.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		s.t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, u, bytes.NewReader(b))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return s.do(req)
}

func (s *sim) get(u string) answer {
	s.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.do(req)
}

func (s *sim) postForm(u string, form url.Values) answer {
	s.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.do(req)
}

// mustOK fails unless the answer is HTTP 200 with a result.
func (s *sim) mustOK(a answer, what string) any {
	s.t.Helper()
	if a.status != http.StatusOK || a.body == nil {
		s.t.Fatalf("%s: HTTP %d %s", what, a.status, trim(a.raw))
	}
	if _, has := a.body["result"]; !has {
		s.t.Fatalf("%s: no result in %s", what, trim(a.raw))
	}
	return a.body["result"]
}

// mustErr fails unless the answer is the given error with the given status
// and, as errors do, carries no time object.
func (s *sim) mustErr(a answer, status int, code, what string) {
	s.t.Helper()
	if a.status != status {
		s.t.Fatalf("%s: HTTP %d, want %d: %s", what, a.status, status, trim(a.raw))
	}
	got, has := a.errCode()
	if !has || got != code {
		s.t.Fatalf("%s: error %q, want %q: %s", what, got, code, trim(a.raw))
	}
	if _, has := a.body["time"]; has {
		s.t.Fatalf("%s: an error answer carries time: %s", what, trim(a.raw))
	}
}

func trim(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "…"
	}
	return string(b)
}

func num(t testing.TB, v any) int64 {
	t.Helper()
	switch x := v.(type) {
	case json.Number:
		n, err := x.Int64()
		if err != nil {
			t.Fatalf("not an integer: %v", v)
		}
		return n
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			t.Fatalf("not a numeric string: %q", x)
		}
		return n
	}
	t.Fatalf("not a number: %#v", v)
	return 0
}

func obj_(t testing.TB, v any) map[string]any {
	t.Helper()
	m, isMap := v.(map[string]any)
	if !isMap {
		t.Fatalf("not an object: %#v", v)
	}
	return m
}

func list(t testing.TB, v any) []any {
	t.Helper()
	l, isList := v.([]any)
	if !isList {
		t.Fatalf("not a list: %#v", v)
	}
	return l
}

// recentPage fetches one page of im.recent.list as the client does.
func (s *sim) recentPage(offset, limit int) (items []map[string]any, hasMore bool) {
	s.t.Helper()
	res := obj_(s.t, s.mustOK(s.call("im.recent.list.json", map[string]any{
		"SKIP_DIALOG": "Y", "SKIP_CHAT": "Y", "SKIP_OPENLINES": "N", "OFFSET": offset, "LIMIT": limit,
	}), "im.recent.list"))
	for _, it := range list(s.t, res["items"]) {
		items = append(items, obj_(s.t, it))
	}
	return items, res["hasMore"] == true
}

// allRecent pages to the end and returns the items by dialog ID (first
// occurrence wins) plus the number of pages.
func (s *sim) allRecent() (map[string]map[string]any, int) {
	s.t.Helper()
	out := map[string]map[string]any{}
	pages := 0
	for off := 0; ; off += 200 {
		items, more := s.recentPage(off, 200)
		pages++
		for _, it := range items {
			id, _ := it["id"].(string)
			if _, seen := out[id]; !seen {
				out[id] = it
			}
		}
		if !more {
			return out, pages
		}
		if pages > 200 {
			s.t.Fatal("im.recent.list never ends")
		}
	}
}

// ed1 splits an item's chat.entity_data_1.
func ed1(t testing.TB, item map[string]any) []string {
	t.Helper()
	c := obj_(t, item["chat"])
	s, _ := c["entity_data_1"].(string)
	return strings.Split(s, "|")
}
