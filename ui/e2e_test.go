package ui

import (
	"bytes"
	"io"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
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
	want := "Unpinned " + sessions(len(pinned))
	if !strings.Contains(screen, want) {
		t.Errorf("status line lacks %q:\n%s", want, screen)
	}
}
