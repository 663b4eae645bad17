package api_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
)

// The fault matrix: every fault the simulator can produce, against every
// path of the client, over real HTTP. For each: no panic, a one-line error
// without the code that says what kind of failure it was, the right number
// of calls at the portal (a bulk action never twice), and recovery on the
// very next call once the fault stops.

// fault is one row of the matrix: how to cause it and how to end it.
type fault struct {
	name  string
	sim   portalsim.Fault // 0: the server refuses connections instead
	slow  bool            // the portal takes longer than the client's timeout
	reads int             // HTTP requests a read path makes while the fault lasts
	// writes is the number of times a write reaches the portal; applied
	// says whether the portal then applied it (the answer was lost after).
	writes  int
	applied bool
	// what a read's / write's error must match
	readIs, writeIs error
	unknown         bool // writes end in ErrOutcomeUnknown
}

var faultRows = []fault{
	{name: "RateLimit", sim: portalsim.FaultRateLimit, reads: 7, writes: 7, readIs: api.ErrQueryLimit, writeIs: api.ErrQueryLimit},
	{name: "OperatingLimit", sim: portalsim.FaultOperatingLimit, reads: 1, writes: 4, readIs: api.ErrOperationLimit, writeIs: api.ErrOperationLimit},
	{name: "ExpiredToken", sim: portalsim.FaultExpiredToken, reads: 1, writes: 1, readIs: api.ErrExpiredToken, writeIs: api.ErrExpiredToken},
	{name: "EmptyCode", sim: portalsim.FaultEmptyCode, reads: 1, writes: 1, readIs: api.ErrEmptyCode, writeIs: api.ErrEmptyCode},
	{name: "HTML502", sim: portalsim.FaultHTML502, reads: 3, writes: 1, unknown: true, readIs: api.ErrBadAnswer, writeIs: api.ErrBadAnswer},
	{name: "MalformedJSON", sim: portalsim.FaultMalformedJSON, reads: 3, writes: 1, applied: true, unknown: true, readIs: api.ErrBadAnswer, writeIs: api.ErrBadAnswer},
	{name: "Truncated", sim: portalsim.FaultTruncated, reads: 3, writes: 1, applied: true, unknown: true},
	{name: "Slow", sim: portalsim.FaultSlow, slow: true, reads: 3, writes: 1, unknown: true, readIs: api.ErrUnreachable},
	{name: "Refused", reads: 0, writes: 0, readIs: api.ErrUnreachable, writeIs: api.ErrUnreachable},
	{name: "DropBefore", sim: portalsim.FaultDropBefore, reads: 3, writes: 1, unknown: true, readIs: api.ErrUnreachable},
	{name: "DropAfter", sim: portalsim.FaultDropAfter, reads: 3, writes: 1, applied: true, unknown: true, readIs: api.ErrUnreachable},
	{name: "HugeBody", sim: portalsim.FaultHugeBody, reads: 1, writes: 1, applied: true, unknown: true, readIs: api.ErrResponseTooLarge},
}

// matrixEnv is one simulated portal behind a server that can refuse
// connections, with a client on a fake clock.
type matrixEnv struct {
	portal *portalsim.Portal
	server *portalsim.Server
	clock  *clock
	logs   *syncBuffer
	hook   string
}

const (
	matrixTimeout  = 300 * time.Millisecond
	matrixMaxBytes = 1 << 20 // a 30-session refresh is about 100 KB
)

func newMatrixEnv(t *testing.T) *matrixEnv {
	t.Helper()
	clk := &clock{now: time.Date(2026, 3, 16, 17, 0, 0, 0, time.UTC)}
	p := portalsim.New(portalsim.Options{Sessions: 30, Seed: 13, Code: simCode, Rate: -1, Now: clk.Now})
	srv, err := portalsim.NewServer(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	p.SetSlow(10 * time.Second) // far beyond the client's timeout; the portal gives up when the client does
	p.SetHugeSize(4 << 20)      // over matrixMaxBytes; the 100 MB case has its own test
	return &matrixEnv{portal: p, server: srv, clock: clk, logs: &syncBuffer{}, hook: p.WebhookURL(srv.URL)}
}

func (e *matrixEnv) client(t testing.TB) *api.Client {
	t.Helper()
	c, err := api.New(api.Options{
		WebhookURL:       e.hook,
		Limiter:          rate.NewLimiter(rate.Inf, 0),
		Sleep:            e.clock.Sleep,
		Now:              e.clock.Now,
		Timeout:          matrixTimeout,
		MaxResponseBytes: matrixMaxBytes,
		Logger:           slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *matrixEnv) start(f fault, method string) {
	if f.sim == 0 {
		e.server.Refuse()
		return
	}
	e.portal.InjectFault(method, f.sim, -1)
}

func (e *matrixEnv) stop(t *testing.T) {
	e.portal.ClearFaults()
	if err := e.server.Accept(); err != nil {
		t.Fatal(err)
	}
}

// path is one way the client is used.
type path struct {
	name   string
	method string // what the fault is injected for (an inner batch command for refreshes)
	count  string // what the portal counts per request
	write  bool
	warm   bool // the client has made a good refresh before
	run    func(ctx context.Context, c *api.Client, e *matrixEnv) error
}

var paths = []path{
	{name: "start-up", method: api.MethodRecentList, count: "batch",
		run: func(ctx context.Context, c *api.Client, _ *matrixEnv) error { _, err := c.Snapshot(ctx); return err }},
	{name: "refresh", method: api.MethodRecentList, count: "batch", warm: true,
		run: func(ctx context.Context, c *api.Client, _ *matrixEnv) error { _, err := c.Snapshot(ctx); return err }},
	{name: "unpin-all", method: api.MethodUnpinAll, count: api.MethodUnpinAll, write: true,
		run: func(ctx context.Context, c *api.Client, _ *matrixEnv) error { _, err := c.UnpinAll(ctx); return err }},
	{name: "pin-all", method: api.MethodPinAll, count: api.MethodPinAll, write: true,
		run: func(ctx context.Context, c *api.Client, _ *matrixEnv) error { _, err := c.PinAll(ctx); return err }},
	{name: "pin-one", method: api.MethodPin, count: api.MethodPin, write: true,
		run: func(ctx context.Context, c *api.Client, e *matrixEnv) error {
			return c.Pin(ctx, e.unpinnedChat(), true)
		}},
}

// unpinnedChat is a current session of the owner that is not pinned.
func (e *matrixEnv) unpinnedChat() int64 {
	c := e.client(nopT{})
	snap, err := c.Snapshot(context.Background())
	if err != nil {
		panic(err)
	}
	for _, s := range snap.Sessions {
		if s.Current() && !s.Pinned && s.OwnerID == snap.Me.ID && !s.Status.Offer() {
			return s.ChatID
		}
	}
	panic("no unpinned session")
}

// nopT lets a helper build a client outside a test's own steps.
type nopT struct{ testing.TB }

func (nopT) Helper()           {}
func (nopT) Fatal(args ...any) { panic(fmt.Sprint(args...)) }

func TestFaultMatrix(t *testing.T) {
	for _, f := range faultRows {
		for _, pa := range paths {
			t.Run(f.name+"/"+pa.name, func(t *testing.T) {
				t.Parallel()
				checkFault(t, f, pa)
			})
		}
	}
}

func checkFault(t *testing.T, f fault, pa path) {
	e := newMatrixEnv(t)
	c := e.client(t)
	if pa.warm {
		if _, err := c.Snapshot(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	var chat int64
	run := pa.run
	if pa.name == "pin-one" { // choose the chat before the fault starts
		chat = e.unpinnedChat()
		run = func(ctx context.Context, c *api.Client, _ *matrixEnv) error { return c.Pin(ctx, chat, true) }
	}
	pinnedBefore := e.portal.PinnedSessionIDs()
	callsBefore, requestsBefore := e.portal.Calls(pa.count), e.portal.Requests()

	e.start(f, pa.method)
	err := run(context.Background(), c, e)
	calls := e.portal.Calls(pa.count) - callsBefore
	e.stop(t)

	if err == nil {
		t.Fatal("no error while the fault lasted")
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") || strings.Contains(msg, simCode) || strings.Contains(e.logs.String(), simCode) {
		t.Fatalf("error or log not one secret-free line: %q", msg)
	}
	want, is := f.reads, f.readIs
	if pa.write {
		want, is = f.writes, f.writeIs
	}
	if calls != want {
		t.Errorf("the portal received %s %d times, want %d (HTTP requests: %d)", pa.count, calls, want, e.portal.Requests()-requestsBefore)
	}
	if is != nil && !errors.Is(err, is) {
		t.Errorf("err %q does not match %v", msg, is)
	}
	// The words for a person's screen name neither the method nor the URL.
	if d := api.Detail(err); strings.Contains(d, "POST") || strings.Contains(d, "/rest/") || d == "" {
		t.Errorf("Detail(%q) = %q", msg, d)
	}
	if status, ok := api.AnswerStatus(err); ok != errors.Is(err, api.ErrBadAnswer) || ok && status == 0 {
		t.Errorf("AnswerStatus(%q) = %d, %v", msg, status, ok)
	}
	if pa.write && errors.Is(err, api.ErrOutcomeUnknown) != f.unknown {
		t.Errorf("outcome unknown = %v, want %v: %q", !f.unknown, f.unknown, msg)
	}
	if !pa.write && errors.Is(err, api.ErrOutcomeUnknown) {
		t.Errorf("a read reported as a change that may have happened: %q", msg)
	}
	pinnedDuring := e.portal.PinnedSessionIDs()
	changed := !slices.Equal(pinnedBefore, pinnedDuring)
	canChange := map[string]bool{"unpin-all": len(pinnedBefore) > 0, "pin-all": len(pinnedBefore) < countCurrent(t, e), "pin-one": true}
	if pa.write && changed != (f.applied && canChange[pa.name]) {
		t.Errorf("pins changed = %v, want %v (the fault lets the call apply: %v)", changed, !changed, f.applied)
	}
	if !pa.write && changed {
		t.Errorf("a read changed the pins")
	}

	// Recovery: the fault is over; the same call works at once.
	_ = e.clock.Sleep(context.Background(), time.Minute) // past any operating-time window
	callsBefore = e.portal.Calls(pa.count)
	if err := run(context.Background(), c, e); err != nil {
		t.Fatalf("after the fault: %v", err)
	}
	if n := e.portal.Calls(pa.count) - callsBefore; n != 1 {
		t.Errorf("recovery took %d calls, want 1", n)
	}
}

// syncBuffer collects log output from concurrent requests.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// countCurrent is how many current sessions the owner has (what pin-all pins).
func countCurrent(t *testing.T, e *matrixEnv) int {
	snap, err := e.client(t).Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range snap.Sessions {
		if s.Current() && s.OwnerID == snap.Me.ID && !s.Status.Offer() {
			n++
		}
	}
	return n
}

// TestFaultMatrixOAuthExpiredToken: with OAuth, an expired token on any
// path is refreshed once and the call repeated (it was refused before it
// ran, so a bulk action still happens once).
func TestFaultMatrixOAuthExpiredToken(t *testing.T) {
	for _, pa := range paths {
		t.Run(pa.name, func(t *testing.T) {
			e := newMatrixEnv(t)
			tok := e.portal.EnableOAuth("app.1", "client-secret-1")
			c, err := api.New(api.Options{
				OAuth: &api.OAuthConfig{TokenURL: e.server.URL + "/oauth/token/", ClientID: "app.1",
					ClientSecret: "client-secret-1", Token: api.Token(tok)},
				Limiter: rate.NewLimiter(rate.Inf, 0), Sleep: e.clock.Sleep, Now: e.clock.Now, Timeout: matrixTimeout,
			})
			if err != nil {
				t.Fatal(err)
			}
			if pa.warm {
				if _, err := c.Snapshot(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			run := pa.run
			if pa.name == "pin-one" {
				chat := e.unpinnedChat()
				run = func(ctx context.Context, c *api.Client, _ *matrixEnv) error { return c.Pin(ctx, chat, true) }
			}
			before := e.portal.Calls(pa.count)
			e.portal.InjectFault(pa.method, portalsim.FaultExpiredToken, 1)
			if err := run(context.Background(), c, e); err != nil {
				t.Fatalf("not recovered by a token refresh: %v", err)
			}
			if e.portal.TokenRefreshes() != 1 || e.portal.Calls(pa.count)-before != 2 {
				t.Errorf("%d refreshes, %d calls; want 1 and 2", e.portal.TokenRefreshes(), e.portal.Calls(pa.count)-before)
			}
		})
	}
}

// staleProxy forwards TCP connections to target. Stale() makes every
// connection open so far dead without telling the client: the next bytes
// the client sends on one are answered by a reset, as when a NAT or a
// restarted portal forgot the connection during a Wi-Fi drop.
type staleProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []*proxyConn
	wg     sync.WaitGroup
}

type proxyConn struct {
	client, server net.Conn
	stale          atomic.Bool
}

func newStaleProxy(t *testing.T, target string) *staleProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &staleProxy{ln: ln, target: target}
	p.wg.Go(p.accept)
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		for _, c := range p.conns {
			c.client.Close()
			c.server.Close()
		}
		p.mu.Unlock()
		p.wg.Wait()
	})
	return p
}

func (p *staleProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		pc := &proxyConn{client: c, server: s}
		p.mu.Lock()
		p.conns = append(p.conns, pc)
		p.mu.Unlock()
		p.wg.Go(func() { // client → server, unless stale
			buf := make([]byte, 32<<10)
			for {
				n, err := c.Read(buf)
				if n > 0 && pc.stale.Load() {
					c.(*net.TCPConn).SetLinger(0)
					c.Close() // a reset: the request went nowhere
					s.Close()
					return
				}
				if n > 0 {
					if _, err := s.Write(buf[:n]); err != nil {
						return
					}
				}
				if err != nil {
					s.Close()
					return
				}
			}
		})
		p.wg.Go(func() { _, _ = io.Copy(c, s); c.Close() })
	}
}

// Stale kills every connection made so far, silently.
func (p *staleProxy) Stale() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.stale.Store(true)
	}
}

// TestWriteOnAStaleConnection: while the client held an idle keep-alive
// connection, the network dropped it without a word. A read sent on it
// fails and is simply retried; a write must not be sent on it at all (the
// reset could not be told from a portal that took the call and died), so
// unpin-all runs once and reports its result instead of "outcome unknown".
func TestWriteOnAStaleConnection(t *testing.T) {
	e := newMatrixEnv(t)
	proxy := newStaleProxy(t, strings.TrimPrefix(e.server.URL, "http://"))
	hook := strings.Replace(e.hook, e.server.URL, "http://"+proxy.ln.Addr().String(), 1)
	c, err := api.New(api.Options{WebhookURL: hook, Limiter: rate.NewLimiter(rate.Inf, 0), Sleep: e.clock.Sleep, Now: e.clock.Now,
		HTTPClient: &http.Client{Transport: &http.Transport{}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Snapshot(context.Background()); err != nil { // leaves an idle connection
		t.Fatal(err)
	}
	pinned := e.portal.PinnedSessionIDs()
	proxy.Stale()
	ids, err := c.UnpinAll(context.Background())
	if err != nil {
		t.Fatalf("unpin-all over a network that dropped the idle connection: %v", err)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, pinned) || e.portal.Calls(api.MethodUnpinAll) != 1 {
		t.Errorf("unpinned %v (want %v), %d calls", ids, pinned, e.portal.Calls(api.MethodUnpinAll))
	}
	proxy.Stale()
	if _, err := c.Snapshot(context.Background()); err != nil {
		t.Fatalf("refresh over a stale connection: %v", err)
	}
}
