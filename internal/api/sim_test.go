package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/time/rate"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
)

const simCode = "zq9k2v7x4m1p8c3b" // distinctive webhook code for redaction checks

// clock is a fake time shared by the portal and the client; the client's
// Sleep hook advances it, so waits cost nothing and still "happen".
type clock struct {
	mu  sync.Mutex
	now time.Time
	log []time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.log = append(c.log, d)
	c.mu.Unlock()
	return ctx.Err()
}

func (c *clock) waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.log)
}

type simEnv struct {
	portal *portalsim.Portal
	srv    *httptest.Server
	client *api.Client
	clock  *clock
	logs   *bytes.Buffer
}

func newSim(t testing.TB, opts portalsim.Options, tweak ...func(*api.Options)) *simEnv {
	t.Helper()
	clk := &clock{now: time.Date(2026, 3, 16, 17, 0, 0, 0, time.UTC)}
	if opts.Code == "" {
		opts.Code = simCode
	}
	if opts.Rate == 0 {
		opts.Rate = -1
	}
	opts.Now = clk.Now
	p := portalsim.New(opts)
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	logs := &bytes.Buffer{}
	o := api.Options{
		WebhookURL: p.WebhookURL(srv.URL),
		Limiter:    rate.NewLimiter(rate.Inf, 0),
		Sleep:      clk.Sleep,
		Now:        clk.Now,
		Logger:     slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, f := range tweak {
		f(&o)
	}
	c, err := api.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return &simEnv{portal: p, srv: srv, client: c, clock: clk, logs: logs}
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func TestSimSnapshotMatchesPortal(t *testing.T) {
	s := newSim(t, portalsim.Options{Sessions: 40, Seed: 7})
	snap, err := s.client.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if snap.Me.ID != s.portal.UserID() || len(snap.Lines) == 0 || snap.Requests != 1 || s.portal.Requests() != 1 {
		t.Fatalf("me %+v, %d lines, %d requests (portal saw %d)", snap.Me, len(snap.Lines), snap.Requests, s.portal.Requests())
	}
	var pinned []int64
	current, named := 0, 0
	for _, ss := range snap.Sessions {
		if ss.SessionID <= 0 || ss.ChatID <= 0 || ss.Connector == "" || ss.LineID <= 0 || ss.DialogID != fmt.Sprintf("chat%d", ss.ChatID) {
			t.Errorf("incomplete session %+v", ss)
		}
		if ss.LineName != "" {
			named++
		}
		if ss.Current() && ss.OwnerID == snap.Me.ID && !ss.Status.Offer() {
			current++
			if ss.Pinned {
				pinned = append(pinned, ss.SessionID)
			}
		}
	}
	slices.Sort(pinned)
	// Pinned comes from entity_data_1 and agrees with the portal's own state.
	if want := s.portal.PinnedSessionIDs(); !slices.Equal(pinned, want) || len(want) == 0 {
		t.Errorf("pinned %v, portal says %v", pinned, want)
	}
	if current != 40 || named != len(snap.Sessions) {
		t.Errorf("%d current sessions of mine (want 40), %d of %d with line names", current, named, len(snap.Sessions))
	}
}

func TestSimPagingWithOverlaps450(t *testing.T) {
	s := newSim(t, portalsim.Options{Sessions: 450, Seed: 3})
	snap, err := s.client.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	mine := 0
	for _, ss := range snap.Sessions {
		if seen[ss.ChatID] {
			t.Fatalf("chat %d listed twice", ss.ChatID)
		}
		seen[ss.ChatID] = true
		if ss.Current() && ss.OwnerID == snap.Me.ID && !ss.Status.Offer() {
			mine++
		}
	}
	if mine != 450 {
		t.Errorf("%d current sessions of mine, want 450", mine)
	}
	pages := s.portal.Calls(api.MethodRecentList)
	if pages < 3 || snap.Requests != s.portal.Requests() {
		t.Errorf("%d pages read, %d requests (portal %d)", pages, snap.Requests, s.portal.Requests())
	}
	// The second refresh knows the size: one request, user.current not asked again.
	snap2, err := s.client.Snapshot(context.Background())
	if err != nil || snap2.Requests != 1 || len(snap2.Sessions) != len(snap.Sessions) || s.portal.Calls(api.MethodCurrentUser) != 1 {
		t.Errorf("second: %v, %d requests, %d vs %d sessions, user.current ×%d", err, snap2.Requests,
			len(snap2.Sessions), len(snap.Sessions), s.portal.Calls(api.MethodCurrentUser))
	}
}

func TestSimUnpinAllOnce(t *testing.T) {
	for _, c := range []struct {
		fault   portalsim.Fault
		applied bool
	}{{portalsim.FaultDropAfter, true}, {portalsim.FaultDropBefore, false}} {
		t.Run(c.fault.String(), func(t *testing.T) {
			s := newSim(t, portalsim.Options{Seed: 11})
			before := s.portal.PinnedSessionIDs()
			if len(before) == 0 {
				t.Fatal("nothing pinned in the seed")
			}
			s.portal.InjectFault(api.MethodUnpinAll, c.fault, 1)
			ids, err := s.client.UnpinAll(context.Background())
			if !errors.Is(err, api.ErrOutcomeUnknown) || !errors.Is(err, api.ErrUnreachable) || ids != nil {
				t.Fatalf("ids %v, err %v", ids, err)
			}
			if n := s.portal.Calls(api.MethodUnpinAll); n != 1 {
				t.Errorf("unpinAll received %d times, want exactly 1", n)
			}
			if after := s.portal.PinnedSessionIDs(); (len(after) == 0) != c.applied {
				t.Errorf("pinned after: %v", after)
			}
		})
	}
}

func TestSimUnpinAllReturnsPortalIDs(t *testing.T) {
	s := newSim(t, portalsim.Options{Seed: 5})
	want := s.portal.PinnedSessionIDs()
	ids, err := s.client.UnpinAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := slices.Clone(ids)
	slices.Sort(got)
	if !slices.Equal(got, want) || len(s.portal.PinnedSessionIDs()) != 0 {
		t.Errorf("unpinned %v, portal had %v", ids, want)
	}
	// Every returned ID is a session ID the snapshot shows, now unpinned.
	snap, err := s.client.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]api.Session{}
	for _, ss := range snap.Sessions {
		byID[ss.SessionID] = *ss
	}
	for _, id := range ids {
		if ss, ok := byID[id]; !ok || ss.Pinned {
			t.Errorf("session %d: %+v", id, ss)
		}
	}
	again, err := s.client.UnpinAll(context.Background())
	if err != nil || len(again) != 0 {
		t.Errorf("second unpinAll: %v, %v", again, err)
	}
	pinned, err := s.client.PinAll(context.Background())
	if err != nil || len(pinned) == 0 {
		t.Errorf("pinAll: %v, %v", pinned, err)
	}
}

func TestSimPinOne(t *testing.T) {
	s := newSim(t, portalsim.Options{Seed: 9})
	snap, err := s.client.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var target api.Session
	for _, ss := range snap.Sessions {
		if ss.Current() && ss.OwnerID == snap.Me.ID && !ss.Pinned && !ss.Status.Offer() {
			target = *ss
			break
		}
	}
	if target.ChatID == 0 {
		t.Fatal("no unpinned session of mine")
	}
	if err := s.client.Pin(context.Background(), target.ChatID, true); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(s.portal.PinnedSessionIDs(), target.SessionID) {
		t.Errorf("session %d not pinned", target.SessionID)
	}
	if err := s.client.Pin(context.Background(), target.ChatID, false); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(s.portal.PinnedSessionIDs(), target.SessionID) {
		t.Errorf("session %d still pinned", target.SessionID)
	}
	h, err := s.client.History(context.Background(), target.SessionID, target.ChatID)
	if err != nil || len(h.Messages) == 0 {
		t.Fatalf("history %+v, %v", h, err)
	}
	for i := 1; i < len(h.Messages); i++ {
		if h.Messages[i].Date.Before(h.Messages[i-1].Date) {
			t.Fatalf("history not oldest first at %d", i)
		}
	}
}

func TestSimRateLimitedReadRetried(t *testing.T) {
	s := newSim(t, portalsim.Options{})
	s.portal.InjectFault(api.MethodCurrentUser, portalsim.FaultRateLimit, 2)
	u, err := s.client.CurrentUser(context.Background())
	if err != nil || u.ID != s.portal.UserID() {
		t.Fatalf("user %+v, %v", u, err)
	}
	if n := s.portal.Calls(api.MethodCurrentUser); n != 3 {
		t.Errorf("calls %d, want 3", n)
	}
	if w := s.clock.waits(); len(w) != 2 || w[1] <= w[0]/2 {
		t.Errorf("waits %v", w)
	}
}

func TestSimRealLeakyBucket(t *testing.T) {
	s := newSim(t, portalsim.Options{Rate: 2, Burst: 3})
	for range 5 { // the portal's bucket holds 3; the rest are retried after backoff
		if _, err := s.client.CurrentUser(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if s.portal.Calls(api.MethodCurrentUser) <= 5 || len(s.clock.waits()) == 0 {
		t.Errorf("calls %d, waits %v", s.portal.Calls(api.MethodCurrentUser), s.clock.waits())
	}
}

func TestSimOperatingLimitWaitsUntilReset(t *testing.T) {
	// pinAll costs 0.5 s of operating time per call: a 1 s budget soon blocks it.
	s := newSim(t, portalsim.Options{OperatingLimit: time.Second})
	calls := 0
	for len(s.clock.waits()) == 0 && calls < 10 {
		if _, err := s.client.PinAll(context.Background()); err != nil {
			t.Fatalf("call %d: %v", calls, err)
		}
		calls++
	}
	if n := s.portal.Calls(api.MethodPinAll); n != calls+1 {
		t.Errorf("pinAll received %d times for %d calls, want exactly one 429", n, calls)
	}
	// The wait ran to the reset the portal announced (10 min after the first
	// call's bucket began, the clock standing still) plus a second: no guess.
	if w := s.clock.waits(); len(w) != 1 || w[0] != 10*time.Minute+time.Second {
		t.Errorf("waits %v", w)
	}
}

func TestSimOperatingLimitInsideBatchIsTyped(t *testing.T) {
	s := newSim(t, portalsim.Options{})
	s.portal.InjectFault(api.MethodRecentList, portalsim.FaultOperatingLimit, 1)
	snap, err := s.client.Snapshot(context.Background())
	if !errors.Is(err, api.ErrOperationLimit) || snap.Sessions != nil {
		t.Fatalf("err %v, %d sessions", err, len(snap.Sessions))
	}
	if _, err := s.client.Snapshot(context.Background()); err != nil {
		t.Errorf("after the fault: %v", err)
	}
}

func TestSimSystemErrors(t *testing.T) {
	cases := []struct {
		name   string
		fault  portalsim.Fault
		method string
		check  func(err error) bool
		calls  int
	}{
		{"no auth", portalsim.FaultNoAuth, api.MethodCurrentUser, func(err error) bool { return errors.Is(err, api.ErrNoAuth) && status(err) == 401 }, 1},
		{"expired token on a webhook", portalsim.FaultExpiredToken, api.MethodCurrentUser, func(err error) bool { return errors.Is(err, api.ErrExpiredToken) }, 1},
		{"empty code on pin", portalsim.FaultEmptyCode, api.MethodPinAll, func(err error) bool {
			return errors.Is(err, api.ErrEmptyCode) && status(err) == 400 && !errors.Is(err, api.ErrOutcomeUnknown)
		}, 1},
		{"html 502 on a read", portalsim.FaultHTML502, api.MethodCurrentUser, func(err error) bool { return err == nil }, 2},
		{"html 502 on a write", portalsim.FaultHTML502, api.MethodPinAll, func(err error) bool {
			return errors.Is(err, api.ErrOutcomeUnknown) && !errors.Is(err, api.ErrUnreachable)
		}, 1},
		{"malformed json on a read", portalsim.FaultMalformedJSON, api.MethodCurrentUser, func(err error) bool { return err == nil }, 2},
		{"malformed json on a write", portalsim.FaultMalformedJSON, api.MethodUnpinAll, func(err error) bool { return errors.Is(err, api.ErrOutcomeUnknown) }, 1},
		{"truncated on a read", portalsim.FaultTruncated, api.MethodCurrentUser, func(err error) bool { return err == nil }, 2},
		{"truncated on a write", portalsim.FaultTruncated, api.MethodUnpinAll, func(err error) bool { return errors.Is(err, api.ErrOutcomeUnknown) }, 1},
		{"drop before on a read", portalsim.FaultDropBefore, api.MethodCurrentUser, func(err error) bool { return err == nil }, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSim(t, portalsim.Options{})
			s.portal.InjectFault(c.method, c.fault, 1)
			var err error
			switch c.method {
			case api.MethodCurrentUser:
				_, err = s.client.CurrentUser(context.Background())
			case api.MethodPinAll:
				_, err = s.client.PinAll(context.Background())
			case api.MethodUnpinAll:
				_, err = s.client.UnpinAll(context.Background())
			}
			if !c.check(err) {
				t.Errorf("err = %v", err)
			}
			if n := s.portal.Calls(c.method); n != c.calls {
				t.Errorf("calls %d, want %d", n, c.calls)
			}
			if err != nil && strings.Contains(err.Error(), simCode) {
				t.Errorf("code leaked: %v", err)
			}
		})
	}
}

func status(err error) int {
	var e *api.Error
	if errors.As(err, &e) {
		return e.HTTPStatus
	}
	return 0
}

func TestSimWrongCodeAndUnknownMethod(t *testing.T) {
	s := newSim(t, portalsim.Options{})
	bad, err := api.New(api.Options{WebhookURL: s.srv.URL + "/rest/1/wrongcode12345678/", Limiter: rate.NewLimiter(rate.Inf, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.CurrentUser(context.Background()); !errors.Is(err, api.ErrNoAuth) || strings.Contains(err.Error(), "wrongcode12345678") {
		t.Errorf("wrong code: %v", err)
	}
	if err := s.client.Call(context.Background(), "no.such.method", nil, nil); !errors.Is(err, api.ErrMethodNotFound) || status(err) != 404 {
		t.Errorf("unknown method: %v", err)
	}
}

func TestSimSlowAnswerTimesOut(t *testing.T) {
	s := newSim(t, portalsim.Options{}, func(o *api.Options) { o.Timeout = 30 * time.Millisecond })
	s.portal.SetSlow(time.Minute)
	s.portal.InjectFault(api.MethodUnpinAll, portalsim.FaultSlow, 1)
	_, err := s.client.UnpinAll(context.Background())
	if !errors.Is(err, api.ErrOutcomeUnknown) || !errors.Is(err, context.DeadlineExceeded) || s.portal.Calls(api.MethodUnpinAll) != 1 {
		t.Fatalf("err %v, calls %d", err, s.portal.Calls(api.MethodUnpinAll))
	}
}

func TestSimBatchLengthExceededShapes(t *testing.T) {
	cmd := map[string]string{}
	for i := range 51 {
		cmd[fmt.Sprintf("c%02d", i)] = "user.current"
	}
	params := map[string]any{"cmd": cmd}
	s := newSim(t, portalsim.Options{})
	err := s.client.Call(context.Background(), "batch", params, nil)
	var e *api.Error
	if !errors.As(err, &e) || e.Code != "ERROR_BATCH_LENGTH_EXCEEDED" || e.HTTPStatus != 400 {
		t.Errorf("whole call: %v", err)
	}
	s = newSim(t, portalsim.Options{BatchOverflowInline: true})
	var out struct {
		ResultError map[string]struct{ Error string } `json:"result_error"`
	}
	if err := s.client.Call(context.Background(), "batch", params, &out); err != nil || out.ResultError["c50"].Error != "ERROR_BATCH_LENGTH_EXCEEDED" {
		t.Errorf("inline: %v, %+v", err, out)
	}
}

func TestSimOAuthConcurrentCallersShareOneRefresh(t *testing.T) {
	s := newSim(t, portalsim.Options{})
	tok := s.portal.EnableOAuth("app.local.1", "clientsecret-xyz-123")
	var stored atomic.Int32
	var last atomic.Value
	c, err := api.New(api.Options{
		OAuth: &api.OAuthConfig{
			Endpoint: s.srv.URL + "/rest/", TokenURL: s.srv.URL + "/oauth/token/",
			ClientID: "app.local.1", ClientSecret: "clientsecret-xyz-123",
			Token:     api.Token(tok),
			OnRefresh: func(t api.Token) { stored.Add(1); last.Store(t) },
		},
		Limiter: rate.NewLimiter(rate.Inf, 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CurrentUser(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.portal.ExpireAccessTokens()
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Go(func() {
			_, err := c.Snapshot(context.Background())
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := s.portal.TokenRefreshes(); n != 1 || stored.Load() != 1 {
		t.Errorf("refreshes %d, OnRefresh ×%d", n, stored.Load())
	}
	if nt := last.Load().(api.Token); nt.Access == tok.Access || nt.Refresh == tok.Refresh || nt.Endpoint != s.srv.URL+"/rest/" {
		t.Errorf("new token %v", nt)
	}
	// A failing refresh (the refresh token was replaced) is a typed error without secrets.
	s.portal.ExpireAccessTokens()
	bad, _ := api.New(api.Options{OAuth: &api.OAuthConfig{
		Endpoint: s.srv.URL + "/rest/", TokenURL: s.srv.URL + "/oauth/token/",
		ClientID: "app.local.1", ClientSecret: "clientsecret-xyz-123", Token: api.Token(tok),
	}, Limiter: rate.NewLimiter(rate.Inf, 0)})
	_, err = bad.CurrentUser(context.Background())
	var e *api.Error
	if !errors.As(err, &e) || e.Code != "invalid_grant" || strings.Contains(err.Error(), "clientsecret") || strings.Contains(err.Error(), tok.Refresh) {
		t.Errorf("failed refresh: %v", err)
	}
}

func TestSimOAuthExpiredTokenFaultRefreshesOnce(t *testing.T) {
	s := newSim(t, portalsim.Options{})
	tok := s.portal.EnableOAuth("app", "secret-secret")
	c, err := api.New(api.Options{
		OAuth:   &api.OAuthConfig{TokenURL: s.srv.URL + "/oauth/token/", ClientID: "app", ClientSecret: "secret-secret", Token: api.Token(tok)},
		Limiter: rate.NewLimiter(rate.Inf, 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	s.portal.InjectFault(api.MethodUnpinAll, portalsim.FaultExpiredToken, 1)
	if _, err := c.UnpinAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s.portal.TokenRefreshes() != 1 || s.portal.Calls(api.MethodUnpinAll) != 2 {
		t.Errorf("refreshes %d, calls %d", s.portal.TokenRefreshes(), s.portal.Calls(api.MethodUnpinAll))
	}
	// Expired again right after the refresh: no second refresh, the error comes back.
	s.portal.InjectFault(api.MethodUnpinAll, portalsim.FaultExpiredToken, 2)
	if _, err := c.UnpinAll(context.Background()); !errors.Is(err, api.ErrExpiredToken) || s.portal.TokenRefreshes() != 2 {
		t.Errorf("err %v, refreshes %d", err, s.portal.TokenRefreshes())
	}
}

func TestSimRedaction(t *testing.T) {
	s := newSim(t, portalsim.Options{}, func(o *api.Options) { o.Timeout = 50 * time.Millisecond })
	failures := map[string]func() error{}
	for _, f := range []portalsim.Fault{portalsim.FaultNoAuth, portalsim.FaultEmptyCode, portalsim.FaultHTML502,
		portalsim.FaultMalformedJSON, portalsim.FaultTruncated, portalsim.FaultDropBefore, portalsim.FaultDropAfter,
		portalsim.FaultRateLimit, portalsim.FaultOperatingLimit, portalsim.FaultSlow} {
		failures["fault "+f.String()] = func() error {
			s.portal.ClearFaults()
			s.portal.InjectFault("", f, -1)
			defer s.portal.ClearFaults()
			_, err := s.client.UnpinAll(context.Background())
			return err
		}
	}
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL + "/rest/1/" + simCode + "/"
	dead.Close()
	withURL := func(url string, tweak ...func(*api.Options)) func() error {
		return func() error {
			o := api.Options{WebhookURL: url, Limiter: rate.NewLimiter(rate.Inf, 0), Sleep: s.clock.Sleep,
				Logger: slog.New(slog.NewTextHandler(&lockedWriter{w: s.logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))}
			for _, f := range tweak {
				f(&o)
			}
			c, err := api.New(o)
			if err != nil {
				return err
			}
			_, err = c.CurrentUser(context.Background())
			return err
		}
	}
	failures["refused connection"] = withURL(deadURL)
	failures["dns failure"] = withURL("https://nonexistent.invalid/rest/1/" + simCode + "/")
	failures["plain http to a public host"] = withURL("http://portal.example.com/rest/1/" + simCode + "/")
	failures["bad path"] = withURL("https://portal.example.com/rest/" + simCode + "/")
	failures["timeout"] = withURL(s.portal.WebhookURL(s.srv.URL), func(o *api.Options) { o.Timeout = 20 * time.Millisecond })
	failures["too large"] = withURL(s.portal.WebhookURL(s.srv.URL), func(o *api.Options) { o.MaxResponseBytes = 10 })
	s.portal.SetSlow(time.Minute)
	for name, f := range failures {
		if name == "timeout" {
			s.portal.InjectFault(api.MethodCurrentUser, portalsim.FaultSlow, -1)
		}
		err := f()
		s.portal.ClearFaults()
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), simCode) || strings.Contains(fmt.Sprintf("%+v %#v", err, err), simCode) {
			t.Errorf("%s: the code leaked: %v", name, err)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: multi-line error %q", name, err)
		}
		t.Logf("%-28s %v", name, err)
	}
	logs := s.logs.String()
	if strings.Contains(logs, simCode) {
		t.Errorf("the code leaked into the log:\n%s", logs)
	}
	if !strings.Contains(logs, "method=imopenlines.session.mode.unpinAll") || !strings.Contains(logs, "***") {
		t.Errorf("log lacks the expected lines:\n%s", logs)
	}
}

func TestSimCallRawEnvelopeQuirks(t *testing.T) {
	s := newSim(t, portalsim.Options{Seed: 2})
	// Method names are case-insensitive on the portal.
	var out json.RawMessage
	if err := s.client.Call(context.Background(), "USER.CURRENT", nil, &out); err != nil || !bytes.Contains(out, []byte(`"ID"`)) {
		t.Fatalf("%s, %v", out, err)
	}
	lines, err := s.client.Lines(context.Background())
	if err != nil || len(lines) == 0 {
		t.Fatalf("lines %v, %v", lines, err)
	}
	for _, l := range lines {
		if l.ID <= 0 || l.Name == "" {
			t.Errorf("line %+v", l)
		}
	}
}

// BenchmarkSnapshot10000 measures one dashboard refresh of 10,000 current
// sessions over real HTTP; the first, size-learning refresh is not timed.
func BenchmarkSnapshot10000(b *testing.B) {
	s := newSim(b, portalsim.Options{Sessions: 10000, Seed: 1, OperatingLimit: -1}, func(o *api.Options) { o.Logger = nil })
	snap, err := s.client.Snapshot(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	requests := 0
	for b.Loop() {
		snap, err = s.client.Snapshot(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		requests += snap.Requests
	}
	b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
	b.ReportMetric(float64(len(snap.Sessions)), "sessions")
}

// TestSimRefreshSharesUnchangedSessions: a second snapshot of an
// unchanged portal lists the very sessions of the first (no second copy
// while the caller still shows the first); a session that changed is a new
// one that still shares its unchanged text; and no snapshot is changed by
// a later one.
func TestSimRefreshSharesUnchangedSessions(t *testing.T) {
	s := newSim(t, portalsim.Options{Sessions: 300, Seed: 5})
	ctx := context.Background()
	a, err := s.client.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	values := func(ss []*api.Session) []api.Session {
		out := make([]api.Session, len(ss))
		for i, x := range ss {
			out[i] = *x
		}
		return out
	}
	before := values(a.Sessions)
	b, err := s.client.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Sessions) != len(b.Sessions) || len(a.Sessions) < 300 {
		t.Fatalf("%d then %d sessions", len(a.Sessions), len(b.Sessions))
	}
	for i := range b.Sessions {
		if a.Sessions[i] != b.Sessions[i] {
			t.Fatalf("session %d (%s) is a second copy though the portal did not change", i, b.Sessions[i].DialogID)
		}
	}

	var target *api.Session
	for _, x := range b.Sessions {
		if x.Current() && x.OwnerID == b.Me.ID && !x.Pinned && !x.Status.Offer() {
			target = x
			break
		}
	}
	if target == nil {
		t.Fatal("no session to pin")
	}
	if err := s.client.Pin(ctx, target.ChatID, true); err != nil {
		t.Fatal(err)
	}
	c, err := s.client.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	was := map[string]*api.Session{}
	for _, x := range b.Sessions {
		was[x.DialogID] = x
	}
	changed := 0
	for _, x := range c.Sessions { // pinning may move the session up the list
		if x == was[x.DialogID] {
			continue
		}
		changed++
		if x.DialogID != target.DialogID || !x.Pinned || target.Pinned {
			t.Errorf("%s is new: pinned %v", x.DialogID, x.Pinned)
		}
		if unsafe.StringData(x.Title) != unsafe.StringData(target.Title) || // pinning posts a system message
			x.LastMessage == target.LastMessage && unsafe.StringData(x.LastMessage) != unsafe.StringData(target.LastMessage) {
			t.Errorf("%s: the pinned session holds a second copy of its unchanged title or message: %q/%q %q/%q", x.DialogID, x.Title, target.Title, x.LastMessage, target.LastMessage)
		}
	}
	if changed != 1 {
		t.Errorf("%d sessions new after pinning one", changed)
	}
	if !reflect.DeepEqual(before, values(a.Sessions)) {
		t.Error("a later snapshot changed the first")
	}
}

// TestSimOAuthTakesAnotherProcesssRefresh: two clients with the same OAuth
// credentials (two linedesk processes on one profile). One refreshes and
// stores the new pair; the other, when its token expires, takes the stored
// pair instead of refreshing with the refresh token the portal has already
// replaced — also when the other's pair is stored only after its own
// refresh was refused with invalid_grant.
func TestSimOAuthTakesAnotherProcesssRefresh(t *testing.T) {
	s := newSim(t, portalsim.Options{})
	tok := s.portal.EnableOAuth("app.local.1", "clientsecret-xyz-123")
	var mu sync.Mutex
	stored := api.Token(tok)
	save := func(t api.Token) { mu.Lock(); stored = t; mu.Unlock() }
	// b's view of the store lags by one read when lag is set: it sees the
	// pair b holds itself, then the one a stored.
	var lag bool
	var seen api.Token
	reads := 0
	load := func() (api.Token, bool) {
		mu.Lock()
		defer mu.Unlock()
		reads++
		if lag {
			lag = false
			return seen, true
		}
		return stored, true
	}
	client := func(latest func() (api.Token, bool)) *api.Client {
		c, err := api.New(api.Options{
			OAuth: &api.OAuthConfig{
				Endpoint: s.srv.URL + "/rest/", TokenURL: s.srv.URL + "/oauth/token/",
				ClientID: "app.local.1", ClientSecret: "clientsecret-xyz-123",
				Token: api.Token(tok), OnRefresh: save, Latest: latest,
			},
			Limiter: rate.NewLimiter(rate.Inf, 0),
			Sleep:   s.clock.Sleep,
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b := client(load), client(load)
	s.portal.ExpireAccessTokens()
	_ = s.clock.Sleep(context.Background(), time.Minute) // a's pair expires a minute after b's
	if _, err := a.CurrentUser(context.Background()); err != nil {
		t.Fatal(err)
	}
	reads = 0
	if _, err := b.CurrentUser(context.Background()); err != nil {
		t.Fatalf("the second process: %v", err)
	}
	if n := s.portal.TokenRefreshes(); n != 1 || reads != 1 {
		t.Errorf("%d refreshes, %d reads of the store; want 1 and 1 (the second process takes the newer stored pair)", n, reads)
	}

	// The race: b reads the store before a's next pair lands in it.
	mu.Lock()
	seen = stored // what b holds now
	mu.Unlock()
	s.portal.ExpireAccessTokens()
	if _, err := a.CurrentUser(context.Background()); err != nil {
		t.Fatal(err)
	}
	lag, reads = true, 0
	if _, err := b.CurrentUser(context.Background()); err != nil {
		t.Fatalf("after a refused refresh: %v", err)
	}
	if n := s.portal.TokenRefreshes(); n != 2 || reads != 2 {
		t.Errorf("%d refreshes and %d reads of the store, want 2 and 2 (b's own refresh refused, then a's pair taken)", n, reads)
	}

	// An older pair in the store (a file an editor put back) is not taken
	// before refreshing: b refreshes with its own refresh token.
	mu.Lock()
	stored = api.Token(tok)
	mu.Unlock()
	s.portal.ExpireAccessTokens()
	before := s.portal.TokenRefreshes()
	if _, err := b.CurrentUser(context.Background()); err != nil {
		t.Fatalf("with an older pair stored: %v", err)
	}
	if n := s.portal.TokenRefreshes(); n != before+1 {
		t.Errorf("with an older pair stored: %d refreshes, want b's own", n-before)
	}

	// Without Latest a refused refresh is still an error, and says so.
	d := client(nil)
	s.portal.ExpireAccessTokens()
	if _, err := d.CurrentUser(context.Background()); !errors.Is(err, &api.Error{Code: "invalid_grant"}) {
		t.Errorf("without Latest: %v, want invalid_grant", err)
	}
}
