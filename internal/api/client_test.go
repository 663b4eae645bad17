package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// fakePortal is a tiny scripted portal: handle gets the REST method and how
// many times it was called before (0 for the first call).
type fakePortal struct {
	*httptest.Server
	mu     sync.Mutex
	calls  map[string]int
	bodies map[string][]byte
	heads  map[string]http.Header
}

func newFakePortal(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, method string, n int)) *fakePortal {
	t.Helper()
	p := &fakePortal{calls: map[string]int{}, bodies: map[string][]byte{}, heads: map[string]http.Header{}}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method := strings.TrimSuffix(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], ".json")
		body, _ := io.ReadAll(r.Body)
		p.mu.Lock()
		n := p.calls[method]
		p.calls[method]++
		p.bodies[method], p.heads[method] = body, r.Header.Clone()
		p.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		handle(w, r, method, n)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *fakePortal) count(method string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[method]
}

func (p *fakePortal) webhook() string { return p.URL + "/rest/1/" + secretCode + "/" }

// sleepLog is the Sleep hook: it records waits and returns at once.
type sleepLog struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleepLog) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepLog) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

func testClient(t *testing.T, webhook string, tweak ...func(*Options)) (*Client, *sleepLog) {
	t.Helper()
	sl := &sleepLog{}
	opts := Options{WebhookURL: webhook, Limiter: rate.NewLimiter(rate.Inf, 0), Sleep: sl.sleep}
	for _, f := range tweak {
		f(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c, sl
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

const okUser = `{"result":{"ID":"27","NAME":"Svetlana","LAST_NAME":"Ivanova"},"time":{"start":1,"operating":0}}`

func dropConnection(t *testing.T, w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	conn.Close()
}

func TestCallRequestShape(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		if r.Method != http.MethodPost || r.URL.Path != "/rest/1/"+secretCode+"/imopenlines.session.mode.pin.json" {
			t.Errorf("%s %s", r.Method, r.URL.Path)
		}
		writeJSON(w, 200, `{"result":true}`)
	})
	c, _ := testClient(t, p.webhook(), func(o *Options) { o.UserAgent = "linedesk/test" })
	if err := c.Pin(context.Background(), 2043, false); err != nil {
		t.Fatal(err)
	}
	h := p.heads["imopenlines.session.mode.pin"]
	if h.Get("Content-Type") != "application/json" || h.Get("Accept") != "application/json" || h.Get("User-Agent") != "linedesk/test" {
		t.Errorf("headers %v", h)
	}
	var body map[string]any
	if err := json.Unmarshal(p.bodies["imopenlines.session.mode.pin"], &body); err != nil {
		t.Fatal(err)
	}
	if body["CHAT_ID"] != float64(2043) || body["ACTIVATE"] != "N" || len(body) != 2 {
		t.Errorf("body %v", body)
	}
	if c.Host() != strings.TrimPrefix(p.URL, "http://") {
		t.Errorf("host %q", c.Host())
	}
}

func TestQueryLimitRetriedThenAnswered(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		if n < 2 {
			writeJSON(w, 503, `{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}`)
			return
		}
		writeJSON(w, 200, okUser)
	})
	c, sl := testClient(t, p.webhook())
	u, err := c.CurrentUser(context.Background())
	if err != nil || u.ID != 27 {
		t.Fatalf("user %+v, err %v", u, err)
	}
	if got := p.count("user.current"); got != 3 {
		t.Errorf("calls = %d, want 3", got)
	}
	waits := sl.waits()
	if len(waits) != 2 || !within(waits[0], 250*time.Millisecond, 500*time.Millisecond) || !within(waits[1], 500*time.Millisecond, time.Second) {
		t.Errorf("waits %v", waits)
	}
}

func within(d, lo, hi time.Duration) bool { return d >= lo && d <= hi }

func TestQueryLimitRetriesAreBoundedAndCapped(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		writeJSON(w, 503, `{"error":"query_limit_exceeded"}`) // any casing
	})
	c, sl := testClient(t, p.webhook())
	_, err := c.UnpinAll(context.Background()) // safe to repeat: nothing ran
	if !errors.Is(err, ErrQueryLimit) || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}
	if got := p.count("imopenlines.session.mode.unpinAll"); got != 1+queryLimitRetries {
		t.Errorf("calls = %d", got)
	}
	waits := sl.waits()
	for i, d := range waits {
		if d > queryLimitCap || (i > 0 && d < waits[i-1]/2) {
			t.Errorf("waits %v", waits)
		}
	}
}

func TestOverloadNotRetried(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		writeJSON(w, 503, `{"error":"OVERLOAD_LIMIT","error_description":"REST API is blocked due to overload."}`)
	})
	c, sl := testClient(t, p.webhook())
	_, err := c.CurrentUser(context.Background())
	var apiErr *Error
	if !errors.Is(err, ErrOverload) || !errors.As(err, &apiErr) || apiErr.HTTPStatus != 503 {
		t.Fatalf("err = %v", err)
	}
	if p.count("user.current") != 1 || len(sl.waits()) != 0 {
		t.Errorf("calls %d, waits %v", p.count("user.current"), sl.waits())
	}
}

func TestOperationLimitWaitsUntilReset(t *testing.T) {
	now := time.Unix(1773670000, 0)
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		if n == 1 {
			writeJSON(w, 429, `{"error":"OPERATION_TIME_LIMIT","error_description":"Method is blocked due to operation time limit."}`)
			return
		}
		writeJSON(w, 200, fmt.Sprintf(`{"result":[],"time":{"operating":480.5,"operating_reset_at":%d}}`, now.Unix()+120))
	})
	c, sl := testClient(t, p.webhook(), func(o *Options) { o.Now = func() time.Time { return now } })
	for range 2 {
		if _, err := c.PinAll(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := p.count("imopenlines.session.mode.pinAll"); got != 3 {
		t.Errorf("calls = %d", got)
	}
	if waits := sl.waits(); len(waits) != 1 || waits[0] != 121*time.Second {
		t.Errorf("waits %v, want [2m1s]", waits)
	}
}

func TestOperationLimitWithoutKnownReset(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		writeJSON(w, 429, `{"error":"OPERATION_TIME_LIMIT"}`)
	})
	c, sl := testClient(t, p.webhook())
	_, err := c.CurrentUser(context.Background())
	if !errors.Is(err, ErrOperationLimit) {
		t.Fatalf("err = %v", err)
	}
	waits := sl.waits()
	if len(waits) != operationRetries || !within(waits[0], operationFallback/2, operationFallback) {
		t.Errorf("waits %v", waits)
	}
	for _, d := range waits {
		if d > operationCap {
			t.Errorf("wait %v over the cap", d)
		}
	}
}

func TestOperationLimitGivesUpWhenDeadlineIsSooner(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		writeJSON(w, 429, `{"error":"OPERATION_TIME_LIMIT"}`)
	})
	c, sl := testClient(t, p.webhook())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.CurrentUser(ctx); !errors.Is(err, ErrOperationLimit) {
		t.Fatalf("err = %v", err)
	}
	if p.count("user.current") != 1 || len(sl.waits()) != 0 {
		t.Errorf("calls %d, waits %v", p.count("user.current"), sl.waits())
	}
}

func TestAmbiguousFailures(t *testing.T) {
	faults := map[string]func(t *testing.T, w http.ResponseWriter){
		"html 502": func(t *testing.T, w http.ResponseWriter) {
			w.WriteHeader(502)
			io.WriteString(w, "<html>Bad Gateway</html>")
		},
		"500 without code": func(t *testing.T, w http.ResponseWriter) { writeJSON(w, 500, `{}`) },
		"200 not json":     func(t *testing.T, w http.ResponseWriter) { writeJSON(w, 200, `<html>`) },
		"malformed json":   func(t *testing.T, w http.ResponseWriter) { writeJSON(w, 200, `{"result":[1,2`) },
		"internal error":   func(t *testing.T, w http.ResponseWriter) { writeJSON(w, 500, `{"error":"INTERNAL_SERVER_ERROR"}`) },
		"dropped":          dropConnection,
		"truncated": func(t *testing.T, w http.ResponseWriter) {
			w.Header().Set("Content-Length", "500")
			w.WriteHeader(200)
			io.WriteString(w, `{"result":[1,2`)
			http.NewResponseController(w).Flush()
			dropConnection(t, w)
		},
	}
	for name, fault := range faults {
		t.Run(name+"/read retried", func(t *testing.T) {
			p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
				if n == 0 {
					fault(t, w)
					return
				}
				writeJSON(w, 200, okUser)
			})
			c, _ := testClient(t, p.webhook())
			if _, err := c.CurrentUser(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := p.count("user.current"); got != 2 {
				t.Errorf("calls = %d, want 2", got)
			}
		})
		t.Run(name+"/write not retried", func(t *testing.T) {
			p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
				if n == 0 {
					fault(t, w)
					return
				}
				writeJSON(w, 200, `{"result":[]}`)
			})
			c, _ := testClient(t, p.webhook())
			ids, err := c.UnpinAll(context.Background())
			if !errors.Is(err, ErrOutcomeUnknown) || ids != nil {
				t.Fatalf("ids %v, err %v", ids, err)
			}
			if errors.Is(err, ErrUnreachable) != (name == "dropped") {
				t.Errorf("unreachable = %v for %v", errors.Is(err, ErrUnreachable), err)
			}
			if got := p.count("imopenlines.session.mode.unpinAll"); got != 1 {
				t.Errorf("calls = %d, want exactly 1", got)
			}
		})
	}
}

func TestAmbiguousReadRetriesAreBounded(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		w.WriteHeader(502)
	})
	c, _ := testClient(t, p.webhook())
	_, err := c.Lines(context.Background())
	if err == nil || errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), "HTTP 502") {
		t.Fatalf("err = %v", err)
	}
	if got := p.count("imopenlines.config.list.get"); got != 1+ambiguousRetries {
		t.Errorf("calls = %d", got)
	}
}

func TestEmptyErrorCodeIsAFailure(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		writeJSON(w, 400, `{"error":"","error_description":""}`)
	})
	c, _ := testClient(t, p.webhook())
	err := c.Pin(context.Background(), 5, true)
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Code != "" || apiErr.HTTPStatus != 400 || !errors.Is(err, ErrEmptyCode) {
		t.Fatalf("err = %#v", err)
	}
	if errors.Is(err, ErrOutcomeUnknown) || p.count("imopenlines.session.mode.pin") != 1 {
		t.Errorf("err %v, calls %d", err, p.count("imopenlines.session.mode.pin"))
	}
	if !strings.Contains(err.Error(), "refused") {
		t.Errorf("message %q", err)
	}
}

func TestSystemErrorsAreTyped(t *testing.T) {
	rows := []struct {
		code   string
		status int
		target error
	}{
		{"NO_AUTH_FOUND", 401, ErrNoAuth},
		{"INVALID_CREDENTIALS", 403, nil},
		{"insufficient_scope", 403, ErrInsufficientScp},
		{"ACCESS_DENIED", 403, ErrAccessDenied},
		{"user_access_error", 403, nil},
		{"WRONG_AUTH_TYPE", 403, nil},
		{"ERROR_METHOD_NOT_FOUND", 404, ErrMethodNotFound},
		{"INVALID_REQUEST", 400, nil},
		{"PORTAL_DELETED", 403, nil},
		{"ERROR_BATCH_METHOD_NOT_ALLOWED", 405, nil},
		{"ERROR_ARGUMENT", 400, nil},
		{"METHOD_CONFIRM_WAITING", 401, nil},
		{"invalid_token", 401, ErrInvalidToken},
		{"expired_token", 401, ErrExpiredToken}, // webhooks have nothing to refresh
	}
	for _, row := range rows {
		p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
			writeJSON(w, row.status, fmt.Sprintf(`{"error":%q,"error_description":"d","argument":"x"}`, row.code))
		})
		c, _ := testClient(t, p.webhook())
		err := c.Call(context.Background(), "user.current", nil, nil)
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.Code != row.code || apiErr.HTTPStatus != row.status || apiErr.Method != "user.current" {
			t.Errorf("%s: %#v", row.code, err)
		}
		if row.target != nil && !errors.Is(err, row.target) {
			t.Errorf("%s: not errors.Is %v", row.code, row.target)
		}
		if p.count("user.current") != 1 {
			t.Errorf("%s retried", row.code)
		}
	}
}

func TestResponseTooLarge(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		writeJSON(w, 200, `{"result":"`+strings.Repeat("x", 5000)+`"}`)
	})
	c, _ := testClient(t, p.webhook(), func(o *Options) { o.MaxResponseBytes = 1000 })
	err := c.Call(context.Background(), "user.current", nil, nil)
	if !errors.Is(err, ErrResponseTooLarge) || !strings.Contains(err.Error(), "larger than 1000 bytes") {
		t.Fatalf("err = %v", err)
	}
	if p.count("user.current") != 1 {
		t.Errorf("retried a too-large answer")
	}
	_, err = c.UnpinAll(context.Background())
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("write: %v", err)
	}
}

func TestPerRequestTimeout(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		<-r.Context().Done() // never answers
	})
	c, _ := testClient(t, p.webhook(), func(o *Options) { o.Timeout = 20 * time.Millisecond })
	err := c.Call(context.Background(), "user.current", nil, nil)
	if !errors.Is(err, ErrUnreachable) || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no complete answer within 20ms") {
		t.Fatalf("err = %v", err)
	}
	if got := p.count("user.current"); got != 1+ambiguousRetries {
		t.Errorf("calls = %d", got)
	}
}

func TestCancelledContextSendsNothing(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		writeJSON(w, 200, `{"result":[]}`)
	})
	c, _ := testClient(t, p.webhook())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.UnpinAll(ctx)
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}
	if p.count("imopenlines.session.mode.unpinAll") != 0 {
		t.Error("a request went out")
	}
}

func TestCancelDuringCallOfWriteIsOutcomeUnknown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		cancel()
		<-r.Context().Done()
	})
	c, _ := testClient(t, p.webhook())
	_, err := c.UnpinAll(ctx)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}
}

func TestRefusedConnectionIsUnreachable(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {})
	url := p.webhook()
	p.Close()
	c, _ := testClient(t, url)
	_, err := c.UnpinAll(context.Background())
	// Nothing reached the portal: unreachable, but the outcome is known.
	if !errors.Is(err, ErrUnreachable) || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v", err)
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		http.Redirect(w, r, "https://elsewhere.example.com"+r.URL.Path, http.StatusMovedPermanently)
	})
	c, _ := testClient(t, p.webhook())
	err := c.Call(context.Background(), "user.current", nil, nil)
	if err == nil || !strings.Contains(err.Error(), "redirect (HTTP 301)") || strings.Contains(err.Error(), secretCode) {
		t.Fatalf("err = %v", err)
	}
}

func TestLimiterIsWaitedOnBeforeEveryRequest(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		writeJSON(w, 200, okUser)
	})
	lim := rate.NewLimiter(rate.Every(time.Hour), 2)
	c, sl := testClient(t, p.webhook(), func(o *Options) { o.Limiter = lim })
	for range 3 {
		if err := c.Call(context.Background(), "user.current", nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	waits := sl.waits()
	if len(waits) != 1 || waits[0] < 59*time.Minute {
		t.Errorf("waits %v: the third request should wait for the bucket", waits)
	}
}

func TestSharedLimiterIsOnePerPlan(t *testing.T) {
	if SharedLimiter(PlanStandard) != SharedLimiter(PlanStandard) || SharedLimiter(PlanEnterprise) == SharedLimiter(PlanStandard) {
		t.Fatal("limiters not shared per plan")
	}
	if l := SharedLimiter(PlanStandard); l.Limit() != 2 || l.Burst() != 50 {
		t.Errorf("standard %v/%d", l.Limit(), l.Burst())
	}
	if l := SharedLimiter(PlanEnterprise); l.Limit() != 5 || l.Burst() != 250 {
		t.Errorf("enterprise %v/%d", l.Limit(), l.Burst())
	}
	c, err := New(Options{WebhookURL: "https://p.example.com/rest/1/abc/"})
	if err != nil || c.limiter != SharedLimiter(PlanStandard) {
		t.Errorf("default limiter not shared: %v", err)
	}
}

func TestCallParams(t *testing.T) {
	p := newFakePortal(t, func(w http.ResponseWriter, r *http.Request, method string, n int) {
		writeJSON(w, 200, `{"result":{"a":1}}`)
	})
	c, _ := testClient(t, p.webhook())
	var out struct{ A int }
	if err := c.Call(context.Background(), "im.dialog.get", struct {
		DialogID string `json:"DIALOG_ID"`
	}{"chat1"}, &out); err != nil || out.A != 1 {
		t.Fatalf("out %+v err %v", out, err)
	}
	if !bytes.Equal(p.bodies["im.dialog.get"], []byte(`{"DIALOG_ID":"chat1"}`)) {
		t.Errorf("body %s", p.bodies["im.dialog.get"])
	}
	for _, bad := range []string{"", "../x", "a b", "x?y=1", "a/b"} {
		if err := c.Call(context.Background(), bad, nil, nil); err == nil {
			t.Errorf("method %q accepted", bad)
		}
	}
	if err := c.Call(context.Background(), "x.y", []int{1}, nil); err == nil {
		t.Error("array params accepted")
	}
}
