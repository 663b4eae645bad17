package ui

import (
	"context"
	"math/rand/v2"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"go.uber.org/goleak"
	"golang.org/x/time/rate"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/internal/state"
)

// TestSoakEightHourShift runs a whole shift on a fake clock: eight hours of
// automatic refreshes at the default 10 s (2,880 of them) against a
// simulated portal over real HTTP, while sessions arrive, clients write and
// sessions close (a step of the simulator's life every four minutes), faults
// come and go (every switch of the simulator, and the portal refusing
// connections for minutes at a time), and the operator
// unpins all, pins all, pins one and undoes now and then. Throughout: no
// panic, the dashboard never quits, a failed refresh keeps the last list.
// At the end: every bulk action and pin ran on the portal at most once,
// goroutines and the heap are where they were an hour in, nothing leaks
// once the dashboard is gone, and the dashboard is online with the
// portal's list.
func TestSoakEightHourShift(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	const (
		shift    = 8 * time.Hour
		interval = 10 * time.Second
	)
	tr := &http.Transport{}
	clk := &dashClock{t: time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC)}
	p := portalsim.New(portalsim.Options{Sessions: 12, Seed: 2026, Now: clk.Now}) // the real leaky bucket and operating limit, on the fake clock
	srv, err := portalsim.NewServer(p)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.CloseIdleConnections()
	defer srv.Close()
	c, err := api.New(api.Options{WebhookURL: p.WebhookURL(srv.URL), HTTPClient: &http.Client{Transport: tr},
		Limiter: rate.NewLimiter(rate.Inf, 0), Sleep: clk.Sleep, Now: clk.Now, Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	p.SetSlow(time.Second)
	p.SetHugeSize(40 << 20)

	// What the operator set off, as the dashboard reported it back.
	var issued struct{ unpinAll, pinAll, pins, undoChats int }
	d := &driven{t: t, clk: clk, portal: p, server: srv, client: c, code: "", seen: map[string]int{}}
	d.m = New(Options{Portal: c, Host: c.Host(), Refresh: interval, HighlightFor: time.Minute,
		Env: []string{"TERM=xterm-256color"}, Now: clk.Now})
	d.m.after = func(dd time.Duration, msg tea.Msg) tea.Cmd { return func() tea.Msg { return dashTimer{dd, msg} } }
	frames := 0
	d.frame = func(s string) { frames++ }
	observe := func(msg tea.Msg) {
		switch msg := msg.(type) {
		case bulkMsg:
			if msg.kind == bulkPin {
				issued.pinAll++
			} else {
				issued.unpinAll++
			}
		case pinMsg:
			issued.pins++
		case undoMsg:
			issued.undoChats += len(msg.plan.ChatIDs())
		}
	}
	d.onMsg = observe
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.run(d.m.Init())

	rng := rand.New(rand.NewPCG(2026, 8))
	faults := []portalsim.Fault{portalsim.FaultRateLimit, portalsim.FaultOperatingLimit, portalsim.FaultExpiredToken,
		portalsim.FaultEmptyCode, portalsim.FaultHTML502, portalsim.FaultMalformedJSON, portalsim.FaultTruncated,
		portalsim.FaultSlow, portalsim.FaultDropBefore, portalsim.FaultDropAfter, portalsim.FaultNoAuth, portalsim.FaultHugeBody}
	methods := []string{"", "batch", api.MethodRecentList, api.MethodUnpinAll, api.MethodPinAll, api.MethodPin}
	start := clk.Now()
	var refusedUntil time.Time
	var failedRefreshes, actions int
	var early struct {
		goroutines int
		heap       uint64
	}
	lastSnapshots, nextEvolve, lastGood := 0, start, 0
	for clk.Now().Sub(start) < shift {
		d.fire()
		now := clk.Now()
		if d.quits != 0 {
			t.Fatalf("the dashboard quit at %s", now.Sub(start))
		}
		if !refusedUntil.IsZero() && now.After(refusedUntil) {
			if err := srv.Accept(); err != nil {
				t.Fatal(err)
			}
			refusedUntil = time.Time{}
		}
		if now.After(nextEvolve) {
			p.Evolve(rng)
			nextEvolve = now.Add(4 * time.Minute) // a client arrives every ten minutes or so
		}
		if n := d.seen["snapshotMsg"]; n == lastSnapshots {
			continue
		}
		lastSnapshots = d.seen["snapshotMsg"]
		// After each refresh: a failed one keeps the last list, marked old.
		if d.m.conn.Health == state.Online {
			lastGood = d.m.list.Len()
		} else {
			failedRefreshes++
			if d.m.conn.HasData() && d.m.list.Len() != lastGood {
				t.Fatalf("a failed refresh at %s changed the list from %d rows to %d", now.Sub(start), lastGood, d.m.list.Len())
			}
			if d.m.conn.HasData() && !strings.Contains(dashHeader(d.screen()), " old") {
				t.Fatalf("a failed refresh at %s left the list unmarked: %s", now.Sub(start), dashHeader(d.screen()))
			}
		}
		switch r := rng.IntN(1000); {
		case r < 25: // a fault for the next few requests
			p.InjectFault(methods[rng.IntN(len(methods))], faults[rng.IntN(len(faults))], 1+rng.IntN(3))
		case r < 28 && refusedUntil.IsZero(): // the portal is down for a few minutes
			srv.Refuse()
			refusedUntil = now.Add(time.Duration(1+rng.IntN(5)) * time.Minute)
		case r < 40: // the operator acts
			actions++
			switch rng.IntN(4) {
			case 0:
				d.key("u", "y")
			case 1:
				d.key("P", "y")
			case 2:
				d.key("U", "y")
			default:
				d.key("g")
				for range rng.IntN(max(d.m.shown.Len(), 1)) {
					d.key("j")
				}
				d.key("p")
			}
			d.key("n") // closes a dialog that a disabled action left open, if any
		}
		if early.goroutines == 0 && now.Sub(start) >= time.Hour {
			early.goroutines, early.heap = soakSettled(tr)
		}
	}
	p.ClearFaults()
	if err := srv.Accept(); err != nil {
		t.Fatal(err)
	}
	d.untilRefreshed()
	d.untilRefreshed()

	refreshes := d.seen["snapshotMsg"]
	t.Logf("%s shift: %d refreshes (%d failed), %d frames, %d operator actions (%d unpin-all, %d pin-all, %d pins, %d chats in undos)",
		shift, refreshes, failedRefreshes, frames, actions, issued.unpinAll, issued.pinAll, issued.pins, issued.undoChats)
	if refreshes < int(shift/interval)*9/10 {
		t.Errorf("only %d refreshes in %s", refreshes, shift)
	}
	if failedRefreshes == 0 || actions == 0 {
		t.Errorf("the shift had %d failed refreshes and %d actions: not much of a soak", failedRefreshes, actions)
	}
	// Every action ran on the portal at most once.
	for _, x := range []struct {
		method string
		issued int
	}{{api.MethodUnpinAll, issued.unpinAll}, {api.MethodPinAll, issued.pinAll}, {api.MethodPin, issued.pins + issued.undoChats}} {
		if ran := p.Executed(x.method); ran > x.issued {
			t.Errorf("%s ran %d times on the portal for %d issued: a repeat", x.method, ran, x.issued)
		}
	}
	// The dashboard is online with what the portal lists.
	if d.m.conn.Health != state.Online {
		t.Fatalf("not online at the end: %v", d.m.conn.Err)
	}
	if want := soakListed(t, c); d.m.list.Len() != want {
		t.Errorf("the dashboard lists %d sessions, the portal %d", d.m.list.Len(), want)
	}
	if s := d.screen(); !strings.Contains(dashHeader(s), "● online") {
		t.Errorf("header at the end: %s", dashHeader(s))
	}
	// Flat: goroutines and the live heap as an hour in.
	g, h := soakSettled(tr)
	t.Logf("goroutines %d → %d, live heap %.1f → %.1f MB", early.goroutines, g, float64(early.heap)/1e6, float64(h)/1e6)
	if g > early.goroutines+2 {
		t.Errorf("goroutines grew from %d to %d", early.goroutines, g)
	}
	if h > early.heap+early.heap/2+1<<20 {
		t.Errorf("the live heap grew from %d to %d bytes", early.heap, h)
	}
}

// soakSettled is the goroutine count and live heap with no idle connection
// open (they come and go with the portal's faults) and the garbage gone.
func soakSettled(tr *http.Transport) (int, uint64) {
	tr.CloseIdleConnections()
	n := runtime.NumGoroutine()
	for range 100 { // the server side of a closed connection ends a moment later
		time.Sleep(5 * time.Millisecond)
		if m := runtime.NumGoroutine(); m >= n {
			break
		} else {
			n = m
		}
	}
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return runtime.NumGoroutine(), ms.HeapAlloc
}

// soakListed is how many current sessions a fresh read lists.
func soakListed(t *testing.T, c *api.Client) int {
	snap, err := c.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var l state.List
	l, _ = l.Apply(snap.Sessions)
	return l.Len()
}
