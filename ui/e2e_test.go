package ui

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/charmbracelet/x/vt"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
	"github.com/linedesk/linedesk/internal/i18n"
	"github.com/linedesk/linedesk/internal/journal"
)

// TestEndToEndUnpinAll runs the real program (teatest) against the
// simulated portal over HTTP on 127.0.0.1: the list appears, u then enter
// on Cancel changes nothing, u then y makes exactly one unpinAll call, and
// the session IDs it returned are highlighted.
func TestEndToEndUnpinAll(t *testing.T) {
	p := portalsim.New(portalsim.Options{Sessions: 40, Seed: 3, Rate: -1})
	srv := httptest.NewServer(p)
	defer srv.Close()
	client, err := api.New(api.Options{WebhookURL: p.WebhookURL(srv.URL)})
	if err != nil {
		t.Fatal(err)
	}
	pinned := p.PinnedSessionIDs()
	if len(pinned) == 0 {
		t.Fatal("the simulator seeded no pinned sessions")
	}
	env := []string{"TERM=xterm-256color"}
	m := New(Options{Portal: client, Host: client.Host(), Refresh: 10 * time.Second, Env: env})
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ANSI256), tea.WithEnvironment(env)))
	var all bytes.Buffer // WaitFor consumes the output: keep a copy
	out := io.TeeReader(tm.Output(), &all)
	waitFor := func(what string) {
		t.Helper()
		teatest.WaitFor(t, out, func(b []byte) bool { return bytes.Contains(all.Bytes(), []byte(what)) },
			teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	calls := func() int { return p.Calls("imopenlines.session.mode.unpinAll") }

	waitFor("● online")
	waitFor(" pinned")
	tm.Type("u")
	waitFor("Unpin all sessions?")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter}) // the focus is on Cancel
	tm.Type("?")                                 // the help opens only once the dialog is gone
	waitFor("closes this help")
	if calls() != 0 || !slices.Equal(p.PinnedSessionIDs(), pinned) {
		t.Fatalf("Cancel changed something: %d unpinAll calls, pinned %v → %v", calls(), pinned, p.PinnedSessionIDs())
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	tm.Type("u")
	waitFor("Unpin all sessions?")
	tm.Type("y")
	waitFor("Unpinned ")
	tm.Type("q")

	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	if calls() != 1 {
		t.Errorf("unpinAll received %d times, want exactly 1", calls())
	}
	if left := p.PinnedSessionIDs(); len(left) != 0 {
		t.Errorf("still pinned on the portal: %v", left)
	}
	got := fm.hl.Keys()
	slices.Sort(got)
	if !slices.Equal(got, pinned) {
		t.Errorf("highlighted %v, want the returned IDs %v", got, pinned)
	}
	screen := ansi.Strip(fm.View().Content)
	for _, line := range strings.Split(screen, "\n") {
		f := strings.Fields(strings.Trim(line, " ›★"))
		if len(f) == 0 {
			continue
		}
		id, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || !fm.list.Has(id) {
			continue
		}
		if hot := strings.Contains(line, "★"); hot != slices.Contains(pinned, id) {
			t.Errorf("row %d marked %v, want %v: %q", id, hot, !hot, line)
		}
		if strings.Contains(line, "●") {
			t.Errorf("row %d still shown pinned: %q", id, line)
		}
	}
	want := "Unpinned " + sessionsEN(len(pinned))
	if !strings.Contains(screen, want) {
		t.Errorf("status line lacks %q:\n%s", want, screen)
	}
}

// e2e starts the program against a fresh simulator.
type e2e struct {
	t     *testing.T
	p     *portalsim.Portal
	tm    *teatest.TestModel
	out   io.Reader
	all   *bytes.Buffer
	close func()
}

func startE2E(t *testing.T) *e2e {
	p := portalsim.New(portalsim.Options{Sessions: 30, Seed: 11, Rate: -1})
	srv := httptest.NewServer(p)
	client, err := api.New(api.Options{WebhookURL: p.WebhookURL(srv.URL)})
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	env := []string{"TERM=xterm-256color"}
	tm := teatest.NewTestModel(t, New(Options{Portal: client, Host: client.Host(), Refresh: 10 * time.Second, Env: env}),
		teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ANSI256), tea.WithEnvironment(env)))
	e := &e2e{t: t, p: p, tm: tm, all: &bytes.Buffer{}, close: srv.Close}
	e.out = io.TeeReader(tm.Output(), e.all)
	e.waitFor(" pinned")
	return e
}

func (e *e2e) waitFor(what string) {
	e.t.Helper()
	teatest.WaitFor(e.t, e.out, func([]byte) bool { return bytes.Contains(e.all.Bytes(), []byte(what)) },
		teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// waitScreen waits until the screen, as a terminal emulator shows the
// output so far, contains what: the renderer redraws only changed cells,
// so text that changes in place never appears whole in the byte stream.
func (e *e2e) waitScreen(what string) {
	e.t.Helper()
	teatest.WaitFor(e.t, e.out, func([]byte) bool { return strings.Contains(emulate(e.all.Bytes(), 120, 40), what) },
		teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
}

// emulate replays a program's output through a terminal emulator and
// returns the screen's text.
func emulate(stream []byte, w, h int) string {
	if i := bytes.LastIndex(stream, []byte("\x1b[?1049l")); i >= 0 {
		stream = stream[:i] // stop before leaving the alt screen
	}
	// without a TTY the output relies on ONLCR for bare "\n"; vt does not map it
	stream = bytes.ReplaceAll(stream, []byte("\n"), []byte("\r\n"))
	em := vt.NewEmulator(w, h)
	done := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, em); close(done) }() // drain its replies to queries
	_, _ = em.Write(stream)
	s := em.String()
	_ = em.InputPipe().(io.Closer).Close()
	<-done
	return s
}

func (e *e2e) final() Model {
	return e.tm.FinalModel(e.t, teatest.WithFinalTimeout(10*time.Second)).(Model)
}

// TestEndToEndQuitWaitsForUnpinAll: q while the (slow) call runs is held
// until it returns; the outcome is kept for Run to print.
func TestEndToEndQuitWaitsForUnpinAll(t *testing.T) {
	e := startE2E(t)
	defer e.close()
	pinned := e.p.PinnedSessionIDs()
	e.p.SetSlow(700 * time.Millisecond)
	e.p.InjectFault("imopenlines.session.mode.unpinAll", portalsim.FaultSlow, 1)
	e.tm.Type("u")
	e.waitFor("Unpin all sessions?")
	e.tm.Type("y")
	e.waitFor("Unpinning")
	e.tm.Type("q")
	e.waitFor("Will quit when")
	fm := e.final()
	if n := e.p.Calls("imopenlines.session.mode.unpinAll"); n != 1 {
		t.Errorf("unpinAll received %d times, want 1", n)
	}
	if want := "Unpinned " + sessionsEN(len(pinned)); !strings.HasPrefix(fm.exitNote, want) {
		t.Errorf("exit note %q, want it to start with %q", fm.exitNote, want)
	}
}

// TestEndToEndUnpinAllOutcomeUnknown: the portal applies unpinAll but the
// connection drops before the answer. The call is not repeated, the
// operator is told the outcome is unknown, and the re-read list shows the
// pins gone.
func TestEndToEndUnpinAllOutcomeUnknown(t *testing.T) {
	e := startE2E(t)
	defer e.close()
	e.p.InjectFault("imopenlines.session.mode.unpinAll", portalsim.FaultDropAfter, 1)
	e.tm.Type("u")
	e.waitFor("Unpin all sessions?")
	e.tm.Type("y")
	e.waitFor("Outcome unknown")
	e.waitScreen("· 0 pinned")
	e.tm.Type("q")
	fm := e.final()
	if n := e.p.Calls("imopenlines.session.mode.unpinAll"); n != 1 {
		t.Errorf("unpinAll received %d times, want exactly 1 (never repeated)", n)
	}
	if fm.hl.Len() != 0 || fm.list.Pinned() != 0 {
		t.Errorf("after an unknown outcome: %d highlighted, %d shown pinned", fm.hl.Len(), fm.list.Pinned())
	}
}

// TestEndToEndRussian: the same flow in Russian, typed in the Russian
// keyboard layout (г = u, н = y, й = q), with a configured column set.
func TestEndToEndRussian(t *testing.T) {
	p := portalsim.New(portalsim.Options{Sessions: 30, Seed: 5, Rate: -1})
	srv := httptest.NewServer(p)
	defer srv.Close()
	client, err := api.New(api.Options{WebhookURL: p.WebhookURL(srv.URL)})
	if err != nil {
		t.Fatal(err)
	}
	pinned := p.PinnedSessionIDs()
	env := []string{"TERM=xterm-256color"}
	m := New(Options{Portal: client, Host: client.Host(), Profile: "работа", Refresh: 10 * time.Second, Env: env,
		Lang: i18n.RU, Columns: []string{"pin", "id", "client", "status", "age"}, Theme: "dark"})
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ANSI256), tea.WithEnvironment(env)))
	e := &e2e{t: t, p: p, tm: tm, all: &bytes.Buffer{}, close: srv.Close}
	e.out = io.TeeReader(tm.Output(), e.all)
	screen := func() string { return emulate(e.all.Bytes(), 100, 30) }
	waitScreen := func(what string) {
		t.Helper()
		teatest.WaitFor(t, e.out, func([]byte) bool { return strings.Contains(screen(), what) },
			teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	}
	waitScreen("● в сети")
	waitScreen("(работа)")
	tm.Type("г")
	waitScreen("Открепить все сессии?")
	tm.Type("н")
	waitScreen(i18n.RU.Pick(len(pinned), i18n.Forms{One: "Откреплена", Few: "Откреплены", Many: "Откреплено"}) + " " + sessionsRU(len(pinned)))
	if s := screen(); !strings.Contains(s, "Клиент") || strings.Contains(s, "Канал") {
		t.Errorf("columns not as configured:\n%s", s)
	}
	tm.Type("й")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	if n := p.Calls("imopenlines.session.mode.unpinAll"); n != 1 {
		t.Errorf("unpinAll received %d times, want 1", n)
	}
	if fm.hl.Len() != len(pinned) {
		t.Errorf("%d highlighted, want %d", fm.hl.Len(), len(pinned))
	}
}

// TestEndToEndEverydayTools runs the real program against the simulated
// portal over HTTP with a journal in a temporary directory: pin one
// session (found with the filter), pin all, unpin all, then undo, which
// pins exactly the sessions unpin-all unpinned again; the journal holds
// the four actions, the undo naming the unpin-all.
func TestEndToEndEverydayTools(t *testing.T) {
	p := portalsim.New(portalsim.Options{Sessions: 30, Seed: 11, Rate: -1})
	srv := httptest.NewServer(p)
	defer srv.Close()
	client, err := api.New(api.Options{WebhookURL: p.WebhookURL(srv.URL)})
	if err != nil {
		t.Fatal(err)
	}
	// an open session of mine that is not pinned, to pin with p
	snap, err := client.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var target api.Session
	for _, s := range snap.Sessions {
		if s.Current() && !s.Pinned && s.OwnerID == snap.Me.ID && s.StatusKnown && !s.Status.Offer() && s.SessionID > 0 {
			target = *s
			break
		}
	}
	if target.SessionID == 0 {
		t.Fatal("the simulator has no unpinned session of the owner")
	}
	before := p.PinnedSessionIDs()
	j := journal.New(filepath.Join(t.TempDir(), "state", "journal.jsonl"))
	env := []string{"TERM=xterm-256color"}
	m := New(Options{Portal: client, Host: client.Host(), Refresh: 10 * time.Second, Env: env, Journal: j, Profile: "demo"})
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ANSI256), tea.WithEnvironment(env)))
	e := &e2e{t: t, p: p, tm: tm, all: &bytes.Buffer{}, close: srv.Close}
	e.out = io.TeeReader(tm.Output(), e.all)
	e.waitFor(" pinned")

	// pin one: filter down to it, p
	id := strconv.FormatInt(target.SessionID, 10)
	tm.Type("/" + id)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	e.waitScreen("filter “" + id + "”: 1 of")
	tm.Type("p")
	e.waitScreen("Pinned session " + id)
	afterPin := p.PinnedSessionIDs()
	if want := sortedUnion(before, []int64{target.SessionID}); !slices.Equal(afterPin, want) {
		t.Fatalf("after p: pinned %v, want %v", afterPin, want)
	}
	// its details, with the messages from imopenlines.session.history.get
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	teatest.WaitFor(t, e.out, func([]byte) bool {
		s := emulate(e.all.Bytes(), 120, 40)
		return strings.Contains(s, "Last messages, newest first") && !strings.Contains(s, "Loading the messages") &&
			!strings.Contains(s, "No messages.") && !strings.Contains(s, "Could not load")
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	if n := p.Calls("imopenlines.session.history.get"); n != 1 {
		t.Errorf("history asked %d times, want 1", n)
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape}) // close the details
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape}) // clear the filter

	// pin all
	tm.Type("P")
	e.waitFor("Pin all sessions?")
	tm.Type("y")
	e.waitFor("Pinned ")
	e.waitScreen(" sessions: ")
	allPinned := p.PinnedSessionIDs()
	if len(allPinned) <= len(afterPin) {
		t.Fatalf("pin-all pinned nothing more: %v → %v", afterPin, allPinned)
	}

	// unpin all, then undo
	tm.Type("u")
	e.waitFor("Unpin all sessions?")
	tm.Type("y")
	e.waitFor("Unpinned ")
	if left := p.PinnedSessionIDs(); len(left) != 0 {
		t.Fatalf("still pinned after unpin-all: %v", left)
	}
	tm.Type("U")
	e.waitFor("Undo the unpin-all")
	tm.Type("y")
	e.waitScreen(" sessions again: ") // the status line, not the dialog's "pinned again:"
	if again := p.PinnedSessionIDs(); !slices.Equal(again, allPinned) {
		t.Errorf("after undo: pinned %v, want the same as before unpin-all %v", again, allPinned)
	}
	tm.Type("q")
	fm := e.final()
	hot := fm.hl.Keys()
	slices.Sort(hot)
	if !slices.Equal(hot, allPinned) {
		t.Errorf("highlighted %v after undo, want %v", hot, allPinned)
	}

	log, err := j.Read(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []journal.Action
	for _, en := range log.Entries {
		actions = append(actions, en.Action)
	}
	if want := []journal.Action{journal.Pin, journal.PinAll, journal.UnpinAll, journal.UndoUnpinAll}; !slices.Equal(actions, want) {
		t.Fatalf("journal %v, want %v", actions, want)
	}
	unpin, undo := log.Entries[2], log.Entries[3]
	returned := slices.Clone(unpin.Returned)
	slices.Sort(returned)
	if !slices.Equal(returned, allPinned) || undo.Undoes != unpin.ID || undo.Outcome != journal.OK {
		t.Errorf("unpin-all returned %v (want %v); undo %+v", returned, allPinned, undo)
	}
	restored := slices.Clone(undo.Returned)
	slices.Sort(restored)
	if !slices.Equal(restored, allPinned) {
		t.Errorf("undo restored %v, want %v", restored, allPinned)
	}
	for _, en := range log.Entries {
		if en.Portal != client.Host() || en.Profile != "demo" || en.User != snap.Me.ID {
			t.Errorf("entry %s: portal %q profile %q user %d", en.Action, en.Portal, en.Profile, en.User)
		}
	}
	if n := p.Calls("imopenlines.session.mode.unpinAll"); n != 1 {
		t.Errorf("unpinAll received %d times", n)
	}
}

func sortedUnion(a, b []int64) []int64 {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}
