package cli

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/time/rate"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/ui"
)

// secretCode is the webhook code of TestSecretNeverShown: distinctive, so
// that finding it anywhere is a leak and not a coincidence.
const secretCode = "Zq8nW3bh00kS3cr3tX7v"

// secretFaults are the failures the secret must survive: every switch of
// the simulator, refused connections, and portal errors whose description
// quotes the request URL (some proxies and portals echo it).
var secretFaults = []struct {
	name   string
	inject func(p *portalsim.Portal, srv *portalsim.Server, url string)
}{
	{"RateLimit", everyCall(portalsim.FaultRateLimit)},
	{"OperatingLimit", everyCall(portalsim.FaultOperatingLimit)},
	{"ExpiredToken", everyCall(portalsim.FaultExpiredToken)},
	{"EmptyCode", everyCall(portalsim.FaultEmptyCode)},
	{"HTML502", everyCall(portalsim.FaultHTML502)},
	{"MalformedJSON", everyCall(portalsim.FaultMalformedJSON)},
	{"Truncated", everyCall(portalsim.FaultTruncated)},
	{"DropBefore", everyCall(portalsim.FaultDropBefore)},
	{"DropAfter", everyCall(portalsim.FaultDropAfter)},
	{"NoAuth", everyCall(portalsim.FaultNoAuth)},
	{"HugeBody", everyCall(portalsim.FaultHugeBody)},
	{"Refused", func(_ *portalsim.Portal, srv *portalsim.Server, _ string) { srv.Refuse() }},
	{"EchoedURL", func(p *portalsim.Portal, _ *portalsim.Server, url string) {
		for _, m := range []string{"", api.MethodRecentList, api.MethodCurrentUser, api.MethodLines, api.MethodPin} {
			p.InjectError(m, 400, "ERROR_CORE", "Bad request to "+url+"batch.json?code="+secretCode, -1)
		}
	}},
}

// everyCall injects f into every call the portal receives.
func everyCall(f portalsim.Fault) func(*portalsim.Portal, *portalsim.Server, string) {
	return func(p *portalsim.Portal, _ *portalsim.Server, _ string) { p.InjectFault("", f, -1) }
}

// TestSecretNeverShown runs every failure path of the client, the CLI and
// the dashboard with one distinctive webhook code, and asserts the code
// appears in no output, no log line (the client's debug log and the CLI's
// log file, written with --debug), no error (as text, %+v or %#v), and no
// frame the dashboard draws.
func TestSecretNeverShown(t *testing.T) {
	p := portalsim.New(portalsim.Options{Sessions: 15, Seed: 5, Code: secretCode, Rate: -1})
	p.SetHugeSize(40 << 20)
	srv, err := portalsim.NewServer(p)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	url := p.WebhookURL(srv.URL)
	var leaks []string
	check := func(where, s string) {
		if strings.Contains(strings.ToLower(s), strings.ToLower(secretCode)) {
			leaks = append(leaks, fmt.Sprintf("%s: %.300q", where, s))
		}
	}
	stop := func() {
		p.ClearFaults()
		if err := srv.Accept(); err != nil {
			t.Fatal(err)
		}
	}
	chat := ownChat(t, url)

	// 1. The client: every method, every failure, with a debug log.
	var clientLog syncBuffer
	c, err := api.New(api.Options{WebhookURL: url, Limiter: rate.NewLimiter(rate.Inf, 0), Timeout: 500 * time.Millisecond,
		MaxResponseBytes: 1 << 20, Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
		Logger: slog.New(slog.NewTextHandler(&clientLog, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]func(context.Context) error{
		"Snapshot":    func(ctx context.Context) error { _, err := c.Snapshot(ctx); return err },
		"UnpinAll":    func(ctx context.Context) error { _, err := c.UnpinAll(ctx); return err },
		"PinAll":      func(ctx context.Context) error { _, err := c.PinAll(ctx); return err },
		"Pin":         func(ctx context.Context) error { return c.Pin(ctx, chat, true) },
		"PinMany":     func(ctx context.Context) error { _, err := c.PinMany(ctx, []int64{chat}, false); return err },
		"History":     func(ctx context.Context) error { _, err := c.History(ctx, 0, chat); return err },
		"CurrentUser": func(ctx context.Context) error { _, err := c.CurrentUser(ctx); return err },
		"Lines":       func(ctx context.Context) error { _, err := c.Lines(ctx); return err },
		"Batch": func(ctx context.Context) error {
			_, err := c.Batch(ctx, []api.BatchCommand{{Method: api.MethodCurrentUser}, {Method: api.MethodPin, Params: map[string]any{"CHAT_ID": chat}}}, true)
			return err
		},
		"Call": func(ctx context.Context) error { return c.Call(ctx, "im.recent.get", nil, nil) },
	}
	for _, f := range secretFaults {
		f.inject(p, srv, url)
		for name, call := range calls {
			if err := call(context.Background()); err != nil {
				where := "client " + f.name + " " + name
				check(where+" error", err.Error())
				check(where+" %+v", fmt.Sprintf("%+v", err))
				check(where+" %#v", fmt.Sprintf("%#v", err))
			}
		}
		stop()
	}
	for _, bad := range []string{
		"http://portal.example.com/rest/1/" + secretCode + "/", // http off loopback
		"https://portal.example.com/rest/x/" + secretCode + "/",
		"https://portal.example.com/rest/1/" + secretCode + "/?x=1",
		"https://portal.example.com/rest/1/" + secretCode + "%/",
		"https://user:" + secretCode + "@portal.example.com/rest/1/" + secretCode + "/",
		"ftp://portal.example.com/rest/1/" + secretCode + "/",
	} {
		if _, err := api.New(api.Options{WebhookURL: bad}); err != nil {
			check("api.New("+bad+")", err.Error())
		}
	}
	if w, err := api.ParseWebhookURL(url); err == nil {
		check("Webhook %v %+v %#v", fmt.Sprintf("%v %+v %#v %s", w, w, w, w))
	}
	check("client debug log", clientLog.String())

	// 2. The CLI: every command, every failure, with a debug log file;
	// the webhook by flag and by environment; and usage mistakes that
	// carry the code.
	logPath := t.TempDir() + "/linedesk.log"
	runs := [][]string{
		{"sessions"}, {"sessions", "--json"}, {"unpin-all", "--yes"}, {"pin-all", "--yes", "--json"},
		{"pin", "--chat", fmt.Sprint(chat)}, {"unpin", "--chat", fmt.Sprint(chat), "--json"}, {"undo", "--yes"}, {"info"},
	}
	cli := func(where string, env map[string]string, args ...string) {
		res := runCLI(t, runOpts{env: env, logPath: logPath}, args...)
		check(where+" stdout", res.stdout)
		check(where+" stderr", res.stderr)
	}
	for _, f := range secretFaults {
		f.inject(p, srv, url)
		for _, args := range runs {
			cli("cli "+f.name+" "+strings.Join(args, " "), nil, append(args, "--debug", "--webhook", url)...)
		}
		cli("cli "+f.name+" by env", map[string]string{"B24_WEBHOOK_URL": url}, "sessions", "--debug")
		stop()
	}
	for _, args := range [][]string{
		{"sessions", "--webhook", "http://portal.example.com/rest/1/" + secretCode + "/"},
		{"sessions", "--webhook", "https://portal.example.com/rest/one/" + secretCode + "/"},
		{"sessions", "--webhook=https://portal.example.com/rest/1/" + secretCode + "/?a=b"},
		{"sessions", "extra", "--webhook", url},
		{"--webhook", url, "--refresh", "soon"},
		{"unpin-all", "--webhook", url}, // stdin is not a terminal and no --yes
		{"--webhook", url},              // the dashboard needs a terminal
		{"nonsense", "--webhook", url},
		{"sessions", "--webhook", url, "--no-such-flag=" + secretCode},
	} {
		cli("cli usage "+strings.Join(args, " "), nil, args...)
	}
	if b, err := os.ReadFile(logPath); err != nil {
		t.Errorf("no CLI log written: %v", err)
	} else {
		check("CLI log file", string(b))
	}

	// 3. The dashboard: start-up, refresh, unpin-all, pin-all, pin one,
	// undo and the details pane, each failing; every frame is checked.
	for _, f := range secretFaults {
		d := startDashboard(t, c, func(frame string) { check("dashboard "+f.name+" frame", frame) })
		d.waitFor("online", "● online")
		f.inject(p, srv, url)
		d.press("r")
		d.waitFor("refresh fails", "✕", "◐")
		for _, keys := range [][]string{{"u", "y"}, {"P", "y"}, {"p"}, {"U", "y"}, {"enter"}} {
			d.press(keys...)
			d.settle()
			d.press("esc")
		}
		stop()
		d.close()
	}
	check("client debug log after the dashboard", clientLog.String())

	for _, l := range leaks {
		t.Error(l)
	}
	if len(leaks) > 0 {
		t.Fatalf("the webhook code leaked %d times", len(leaks))
	}
}

// ownChat is the chat of one of the operator's current sessions.
func ownChat(t *testing.T, url string) int64 {
	t.Helper()
	c, err := api.New(api.Options{WebhookURL: url, Limiter: rate.NewLimiter(rate.Inf, 0)})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := c.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range snap.Sessions {
		if s.Current() && s.OwnerID == snap.Me.ID && !s.Status.Offer() {
			return s.ChatID
		}
	}
	t.Fatal("no session of the operator")
	return 0
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
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

// dashboard runs ui.Model the way tea.Program does, minus the terminal:
// each command in its own goroutine, each message through Update, each
// state drawn. Timers run for real; a test only waits for what it needs.
type dashboard struct {
	t     *testing.T
	m     tea.Model
	msgs  chan tea.Msg
	frame func(string)
	done  chan struct{}
	wg    sync.WaitGroup
}

func startDashboard(t *testing.T, c *api.Client, frame func(string)) *dashboard {
	d := &dashboard{t: t, msgs: make(chan tea.Msg, 1024), frame: frame, done: make(chan struct{})}
	d.m = ui.New(ui.Options{Portal: c, Host: c.Host(), Refresh: 10 * time.Second, Env: []string{"TERM=xterm-256color"}})
	d.update(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.exec(d.m.Init())
	return d
}

func (d *dashboard) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	d.wg.Go(func() {
		msg := cmd()
		select {
		case d.msgs <- msg:
		case <-d.done:
		}
	})
}

func (d *dashboard) update(msg tea.Msg) {
	if v := reflect.ValueOf(msg); v.IsValid() && v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		for i := range v.Len() {
			d.exec(v.Index(i).Interface().(tea.Cmd))
		}
		return
	}
	if msg == nil {
		return
	}
	m, cmd := d.m.Update(msg)
	d.m = m
	d.frame(m.View().Content)
	d.exec(cmd)
}

func (d *dashboard) screen() string { return ansi.Strip(d.m.View().Content) }

// waitFor handles messages until the screen shows one of the texts.
func (d *dashboard) waitFor(what string, texts ...string) {
	d.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		for _, s := range texts {
			if strings.Contains(d.screen(), s) {
				return
			}
		}
		select {
		case msg := <-d.msgs:
			d.update(msg)
		case <-deadline:
			d.t.Fatalf("%s: never showed %q:\n%s", what, texts, d.screen())
		}
	}
}

// settle handles messages until none came for a moment.
func (d *dashboard) settle() {
	for {
		select {
		case msg := <-d.msgs:
			d.update(msg)
		case <-time.After(150 * time.Millisecond):
			return
		}
	}
}

func (d *dashboard) press(keys ...string) {
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch r := []rune(k); {
		case k == "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case k == "esc":
			msg = tea.KeyPressMsg{Code: tea.KeyEscape}
		case r[0] >= 'A' && r[0] <= 'Z':
			msg = tea.KeyPressMsg{Code: r[0] + 'a' - 'A', ShiftedCode: r[0], Text: k, Mod: tea.ModShift}
		default:
			msg = tea.KeyPressMsg{Code: r[0], Text: k}
		}
		d.update(msg)
	}
}

// close stops handling messages; commands still running end on their own.
func (d *dashboard) close() { close(d.done) }
