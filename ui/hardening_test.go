package ui

import (
	"context"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/time/rate"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/internal/state"
)

// The dashboard against the simulated portal over real HTTP, driven
// without a tea.Program: Update is called directly, the commands it
// returns are run here (the IO ones for real), and the wake-up timer is
// recorded and fired by moving a fake clock. The portal, the client's
// backoff waits and the dashboard share that clock, so hours pass in
// moments.

// dashClock is the one clock of a driven dashboard.
type dashClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *dashClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *dashClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Sleep is the client's wait: it moves the clock instead.
func (c *dashClock) Sleep(ctx context.Context, d time.Duration) error {
	c.Add(d)
	return ctx.Err()
}

// dashTimer is a wake-up the model armed.
type dashTimer struct {
	d   time.Duration
	msg tea.Msg
}

// driven is a dashboard on a simulated portal.
type driven struct {
	t      testing.TB
	m      Model
	clk    *dashClock
	portal *portalsim.Portal
	server *portalsim.Server
	client *api.Client
	code   string

	timer *dashTimer     // the newest armed wake-up
	quits int            // tea.Quit commands the model returned
	seen  map[string]int // messages fed back into Update, by type
	frame func(string)   // called with every frame drawn after a message; nil = none
	onMsg func(tea.Msg)  // sees every message fed back; nil = none
}

type driveOpts struct {
	sessions int
	seed     int64
	code     string
	timeout  time.Duration // the client's per-request timeout; 0 = 30s
	maxBytes int64
	logger   *slog.Logger
	refresh  time.Duration // 0 = 10s
	noInit   bool          // leave the first refresh to the test
}

func newDriven(t testing.TB, o driveOpts) *driven {
	t.Helper()
	clk := &dashClock{t: time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC)}
	if o.code == "" {
		o.code = "hx7q2m9v4k8p3w6z"
	}
	p := portalsim.New(portalsim.Options{Sessions: o.sessions, Seed: o.seed, Code: o.code, Rate: -1, Now: clk.Now})
	srv, err := portalsim.NewServer(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c, err := api.New(api.Options{
		WebhookURL:       p.WebhookURL(srv.URL),
		Limiter:          rate.NewLimiter(rate.Inf, 0),
		Sleep:            clk.Sleep,
		Now:              clk.Now,
		Timeout:          o.timeout,
		MaxResponseBytes: o.maxBytes,
		Logger:           o.logger,
	})
	if err != nil {
		t.Fatal(err)
	}
	if o.refresh == 0 {
		o.refresh = 10 * time.Second
	}
	d := &driven{t: t, clk: clk, portal: p, server: srv, client: c, code: o.code, seen: map[string]int{}}
	d.m = New(Options{Portal: c, Host: c.Host(), Refresh: o.refresh, HighlightFor: time.Minute,
		Env: []string{"TERM=xterm-256color"}, Now: clk.Now})
	d.m.after = func(dd time.Duration, msg tea.Msg) tea.Cmd {
		return func() tea.Msg { return dashTimer{dd, msg} }
	}
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	if !o.noInit {
		d.run(d.m.Init())
	}
	return d
}

// send applies msg and runs what it returned.
func (d *driven) send(msg tea.Msg) {
	d.t.Helper()
	mm, cmd := d.m.Update(msg)
	d.m = mm.(Model)
	if d.frame != nil {
		d.frame(d.m.View().Content)
	}
	d.run(cmd)
}

// run executes a command tree: batches are opened, timers recorded, quits
// counted, spinner ticks dropped, and every other message fed back.
func (d *driven) run(cmd tea.Cmd) {
	d.t.Helper()
	if cmd == nil {
		return
	}
	msg := cmd()
	if v := reflect.ValueOf(msg); v.IsValid() && v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		for i := range v.Len() { // tea.Batch, tea.Sequence
			d.run(v.Index(i).Interface().(tea.Cmd))
		}
		return
	}
	switch msg := msg.(type) {
	case nil:
	case dashTimer:
		// Keep the newest: a refresh answered inside the same batch may
		// have armed a later one before this older one came out.
		if w, ok := msg.msg.(wakeMsg); !ok || d.timer == nil || w.gen >= d.timer.msg.(wakeMsg).gen {
			d.timer = &msg
		}
	case tea.QuitMsg:
		d.quits++
	case spinner.TickMsg:
	default:
		d.seen[reflect.TypeOf(msg).Name()]++
		if d.onMsg != nil {
			d.onMsg(msg)
		}
		d.send(msg)
	}
}

func (d *driven) key(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.send(dashKey(k))
	}
}

func dashKey(k string) tea.KeyPressMsg {
	if k == "enter" {
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	}
	r := []rune(k)[0]
	if r >= 'A' && r <= 'Z' {
		return tea.KeyPressMsg{Code: r + 'a' - 'A', ShiftedCode: r, Text: k, Mod: tea.ModShift}
	}
	return tea.KeyPressMsg{Code: r, Text: k}
}

// fire moves the clock to the armed wake-up and delivers it.
func (d *driven) fire() {
	d.t.Helper()
	if d.timer == nil {
		d.t.Fatal("no wake-up armed")
	}
	tm := *d.timer
	d.timer = nil
	d.clk.Add(tm.d)
	d.send(tm.msg)
}

// untilRefreshed fires wake-ups until another refresh has been answered
// (an automatic one, after the interval or the backoff).
func (d *driven) untilRefreshed() {
	d.t.Helper()
	before := d.seen["snapshotMsg"]
	for range 10000 {
		if d.seen["snapshotMsg"] > before {
			return
		}
		d.fire()
	}
	d.t.Fatal("no refresh came")
}

func (d *driven) screen() string { return ansi.Strip(d.m.View().Content) }

// selectOwn moves the cursor to a current session of the operator that is
// not a queue offer, and returns it.
func (d *driven) selectOwn() api.Session {
	d.t.Helper()
	d.key("g")
	for i := range d.m.shown.Len() {
		r := d.m.shown.At(i)
		if r.OwnerID == d.m.me.ID && !r.Status.Offer() && r.StatusKnown {
			return *r.Session
		}
		d.key("j")
	}
	d.t.Fatal("no session of the operator to pin")
	return api.Session{}
}

// dashFault is one fault as the dashboard meets it.
type dashFault struct {
	name    string
	sim     portalsim.Fault // 0: the portal refuses connections
	writes  int             // times a pin/bulk call reaches the portal while it lasts
	applied bool            // the portal applied the write before the answer was lost
}

var dashFaults = []dashFault{
	{"RateLimit", portalsim.FaultRateLimit, 7, false},
	{"OperatingLimit", portalsim.FaultOperatingLimit, 4, false},
	{"ExpiredToken", portalsim.FaultExpiredToken, 1, false},
	{"EmptyCode", portalsim.FaultEmptyCode, 1, false},
	{"HTML502", portalsim.FaultHTML502, 1, false},
	{"MalformedJSON", portalsim.FaultMalformedJSON, 1, true},
	{"Truncated", portalsim.FaultTruncated, 1, true},
	{"Slow", portalsim.FaultSlow, 1, false},
	{"Refused", 0, 0, false},
	{"DropBefore", portalsim.FaultDropBefore, 1, false},
	{"DropAfter", portalsim.FaultDropAfter, 1, true},
	{"HugeBody", portalsim.FaultHugeBody, 1, true},
}

func (d *driven) startFault(f dashFault, method string) {
	if f.sim == 0 {
		d.server.Refuse()
		return
	}
	d.portal.InjectFault(method, f.sim, -1)
}

func (d *driven) stopFault() {
	d.t.Helper()
	d.portal.ClearFaults()
	if err := d.server.Accept(); err != nil {
		d.t.Fatal(err)
	}
}

// TestDashboardFaultMatrix: every fault against every path of the
// dashboard (start-up, an automatic refresh, unpin-all, pin-all, pin one).
// The dashboard never quits, keeps the last good list and marks it old,
// says what happened in words, never repeats a bulk action or a pin, and
// is back online at the next refresh once the fault stops.
func TestDashboardFaultMatrix(t *testing.T) {
	for _, f := range dashFaults {
		for _, path := range []string{"start-up", "refresh", "unpin-all", "pin-all", "pin-one"} {
			t.Run(f.name+"/"+path, func(t *testing.T) {
				t.Parallel()
				checkDashFault(t, f, path)
			})
		}
	}
}

func checkDashFault(t *testing.T, f dashFault, path string) {
	d := newDrivenFaulty(t, f, path)
	if path == "start-up" {
		if d.m.conn.HasData() || d.m.conn.Err == nil {
			t.Fatalf("start-up during the fault: data %v, err %v", d.m.conn.HasData(), d.m.conn.Err)
		}
		if s := d.screen(); !strings.Contains(s, "Could not load the sessions: ") || !strings.Contains(s, "retry in") {
			t.Errorf("the first frame does not say why nothing is shown and when it retries:\n%s", s)
		}
	} else {
		checkDashDuring(t, d, f, path)
	}
	if d.quits != 0 {
		t.Fatalf("the dashboard quit (%d)", d.quits)
	}
	if s := d.m.View().Content; strings.Contains(s, d.code) {
		t.Fatal("the webhook code is on the screen")
	}

	// The fault stops: the next automatic refresh brings the dashboard back.
	d.stopFault()
	_ = d.clk.Sleep(context.Background(), time.Minute) // past the operating-time window of the fault
	d.untilRefreshed()
	if d.m.conn.Health != state.Online || d.m.list.Len() == 0 {
		t.Fatalf("not back online: %v, %d rows, err %v", d.m.conn.Health, d.m.list.Len(), d.m.conn.Err)
	}
	if s := d.screen(); !strings.Contains(s, "● online") || strings.Contains(s, " old ") {
		t.Errorf("the header does not say online and fresh:\n%s", dashHeader(s))
	}
}

// newDrivenFaulty starts a dashboard, with the fault switched on before
// start-up or once the list is shown, and takes the path.
func newDrivenFaulty(t *testing.T, f dashFault, path string) *driven {
	o := driveOpts{sessions: 30, seed: 17, timeout: 300 * time.Millisecond, maxBytes: 1 << 20}
	if path == "start-up" {
		// The portal is faulty before the dashboard starts.
		o.noInit = true
		d := newDriven(t, o)
		d.portal.SetSlow(10 * time.Second)
		d.portal.SetHugeSize(4 << 20)
		d.startFault(f, api.MethodRecentList)
		d.run(d.m.Init())
		return d
	}
	d := newDriven(t, o)
	d.portal.SetSlow(10 * time.Second)
	d.portal.SetHugeSize(4 << 20)
	if !d.m.conn.HasData() {
		t.Fatalf("no list before the fault: %v", d.m.conn.Err)
	}
	return d
}

func checkDashDuring(t *testing.T, d *driven, f dashFault, path string) {
	rows, pinned := d.m.list.Len(), d.portal.PinnedSessionIDs()
	method := map[string]string{"refresh": api.MethodRecentList, "unpin-all": api.MethodUnpinAll,
		"pin-all": api.MethodPinAll, "pin-one": api.MethodPin}[path]
	var own api.Session
	if path == "pin-one" {
		own = d.selectOwn()
	}
	before := d.portal.Calls(method)
	d.startFault(f, method)
	switch path {
	case "refresh":
		d.untilRefreshed()
	case "unpin-all":
		d.key("u", "y")
	case "pin-all":
		d.key("P", "y")
	case "pin-one":
		d.key("p")
	}
	calls := d.portal.Calls(method) - before
	s := d.screen()
	if d.m.list.Len() != rows && path == "refresh" || d.m.list.Len() == 0 {
		t.Errorf("the list went from %d rows to %d", rows, d.m.list.Len())
	}
	if path == "refresh" || f.sim == 0 {
		// The list is old now, and the header says so and why.
		if d.m.conn.Health == state.Online || !strings.Contains(dashHeader(s), "data ") || !strings.Contains(dashHeader(s), " old") {
			t.Errorf("the header does not mark the list as old:\n%s", dashHeader(s))
		}
	}
	if path == "refresh" {
		return
	}
	if calls != f.writes {
		t.Errorf("%s reached the portal %d times, want %d", method, calls, f.writes)
	}
	if d.m.status.text == "" || d.m.status.kind == statusOK {
		t.Errorf("no sentence for the operator: %+v", d.m.status)
	}
	if strings.Contains(s, "Unpinned ") || strings.Contains(s, "Pinned ") {
		t.Errorf("a failed action reported as done:\n%s", s)
	}
	if path == "pin-one" && !f.applied {
		if got, _ := d.m.list.Session(own.SessionID); got.Pinned != own.Pinned {
			t.Errorf("the refused pin was not rolled back: %+v", got)
		}
	}
	changed := len(d.portal.PinnedSessionIDs()) != len(pinned)
	if changed && !f.applied {
		t.Errorf("the portal's pins changed though the fault let nothing through")
	}
}

func dashHeader(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
