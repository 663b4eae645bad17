package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/i18n"
)

func plain(hs *harness) string { return ansi.Strip(hs.screen()) }

// rowOf is the screen line showing session id.
func rowOf(t *testing.T, screen, id string) string {
	t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if f := strings.Fields(strings.Trim(l, " ›★●")); len(f) > 0 && f[0] == id {
			return l
		}
	}
	t.Fatalf("no row for %s:\n%s", id, screen)
	return ""
}

func mustContain(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("screen lacks %q:\n%s", sub, s)
		}
	}
}

func mustNotContain(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			t.Errorf("screen has %q:\n%s", sub, s)
		}
	}
}

func TestFirstRefreshShowsSessions(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(30))
	mustContain(t, plain(hs), "Loading sessions from acme.bitrix24.ru", "connecting…")
	hs.start()
	if hs.portal.snapCalls != 1 {
		t.Fatalf("Snapshot called %d times, want 1", hs.portal.snapCalls)
	}
	s := plain(hs)
	mustContain(t, s, "acme.bitrix24.ru · Мария Иванова", "● online · updated 18:00:00",
		"1030 Анна Петрова", "1/30 · 8 pinned")
	if hs.m.list.Len() != 30 || hs.selectedKey() != 1030 {
		t.Errorf("list %d, selected %d; want 30 rows, the newest (1030) selected", hs.m.list.Len(), hs.selectedKey())
	}
}

func TestClosedSessionsAreNotListed(t *testing.T) {
	ss := fixture(5)
	ss[0].Status = api.StatusClose
	hs := newHarness(t, 120, 40, ss).start()
	if hs.m.list.Has(1005) || hs.m.list.Len() != 4 {
		t.Errorf("closed session listed: %d rows", hs.m.list.Len())
	}
}

func TestMoveKeys(t *testing.T) {
	hs := newHarness(t, 120, 24, fixture(100)).start() // 20 rows visible
	steps := []struct {
		key  string
		want int64 // selected session
	}{
		{"j", 1099}, {"down", 1098}, {"k", 1099}, {"up", 1100}, {"up", 1100},
		{"pgdown", 1080}, {"pgdown", 1060}, {"pgup", 1080},
		{"G", 1001}, {"down", 1001}, {"g", 1100}, {"end", 1001}, {"home", 1100},
	}
	for _, s := range steps {
		hs.key(s.key)
		if got := hs.selectedKey(); got != s.want {
			t.Fatalf("after %q selected %d, want %d", s.key, got, s.want)
		}
		i, _, _ := hs.m.cursor.Selected()
		if off := hs.m.cursor.Offset(); i < off || i >= off+hs.m.tableRows() {
			t.Fatalf("after %q the selection (row %d) is off screen (offset %d)", s.key, i, off)
		}
	}
	hs.key("G")
	mustContain(t, plain(hs), "›     1001", "100/100")
}

func TestSelectionFollowsSessionAcrossRefresh(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(30)).start()
	hs.key("j", "j", "j") // 1027
	if hs.selectedKey() != 1027 {
		t.Fatalf("selected %d", hs.selectedKey())
	}
	// two sessions arrive on top and 1027's client writes: it moves to the top
	ss := fixture(30)
	for i := range ss {
		if ss[i].SessionID == 1027 {
			ss[i].LastActivity = t0.Add(time.Second)
			ss[i].Unread = 9
		}
	}
	ss = append(ss, api.Session{SessionID: 2000, StatusKnown: true, Status: api.StatusNew, LastActivity: t0, Client: "New One"})
	hs.portal.set(func(f *fakePortal) { f.snap.Sessions = ptrs(ss) })
	hs.key("r")
	if hs.selectedKey() != 1027 {
		t.Errorf("selection moved to %d, want it to stay on session 1027", hs.selectedKey())
	}
	// the selected session closes: the selection falls to its neighbour
	ss2 := slices.DeleteFunc(slices.Clone(ss), func(s api.Session) bool { return s.SessionID == 1027 })
	hs.portal.set(func(f *fakePortal) { f.snap.Sessions = ptrs(ss2) })
	hs.key("r")
	if k := hs.selectedKey(); k != 2000 {
		t.Errorf("after 1027 closed selected %d, want its neighbour 2000", k)
	}
}

func TestStaleRefreshAnswerIsDropped(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(10)).start()
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = []int64{1009} })
	// an automatic refresh is under way…
	refresh := hs.hold(keyMsg("r"))
	staleMsgs := flatten(refresh)
	stale := staleMsgs[0].(snapshotMsg) // answered before the unpin: 1009 still pinned
	// …when unpin-all is confirmed and returns
	hs.key("u")
	unpin := hs.hold(keyMsg("y"))
	var um bulkMsg
	for _, msg := range flatten(unpin) {
		if m, ok := msg.(bulkMsg); ok {
			um = m
		}
	}
	next := hs.hold(um)
	if hs.m.sched.InFlight() != true {
		t.Fatal("the first refresh should still be under way")
	}
	if msgs := flatten(next); countMsgs[snapshotMsg](msgs) != 0 {
		t.Fatal("a second refresh overlapped the one under way")
	}
	// the old answer arrives: dropped, and a new refresh begins at once
	after := hs.send(stale)
	i, _ := hs.m.list.Index(1009)
	if hs.m.list.At(i).Pinned {
		t.Error("the stale answer (1009 pinned) replaced newer knowledge")
	}
	if countMsgs[snapshotMsg](after) != 1 || hs.portal.snapCalls != 3 {
		t.Errorf("after the stale answer: %d refreshes, portal saw %d; want a fresh one (3 in all)", countMsgs[snapshotMsg](after), hs.portal.snapCalls)
	}
	// an answer for a refresh that never ran is ignored too
	before := hs.m.list
	hs.send(snapshotMsg{seq: 99, snap: snapshot(nil)})
	if hs.m.list.Len() != before.Len() {
		t.Error("an unknown refresh's answer was applied")
	}
}

func TestRefreshKey(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(5)).start()
	cmd := hs.hold(keyMsg("r"))
	if !hs.m.sched.InFlight() {
		t.Fatal("r did not start a refresh")
	}
	hs.key("r")
	mustContain(t, plain(hs), "refresh: already refreshing")
	hs.run(cmd)
	if hs.m.sched.InFlight() || hs.portal.snapCalls != 2 {
		t.Errorf("in flight %v, calls %d", hs.m.sched.InFlight(), hs.portal.snapCalls)
	}
}

func unpinHarness(t *testing.T, ids []int64) *harness {
	hs := newHarness(t, 120, 40, fixture(30)).start()
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = ids })
	return hs
}

func TestUnpinDialogFocusAndCancel(t *testing.T) {
	hs := unpinHarness(t, []int64{1029})
	hs.key("u")
	if hs.m.dialog == nil || hs.m.dialog.focusConfirm {
		t.Fatal("u should open the dialog with the focus on Cancel")
	}
	s := plain(hs)
	mustContain(t, s, "Unpin all sessions?", "8 of the 30 sessions listed are pinned to you.",
		"Ahmed 🙂 Karim, Guest #4411 and 5 more.", "Cancel", "Unpin all")
	if d := hs.m.dialog; d.count != 8 || !slices.Equal(d.names, []string{"John Smith", "Ahmed 🙂 Karim", "Guest #4411"}) {
		t.Errorf("dialog counts %d, names %q", d.count, d.names)
	}
	hs.key("enter") // on Cancel
	if hs.m.dialog != nil || hs.portal.unpinCalls != 0 {
		t.Fatalf("enter on Cancel: dialog open %v, unpin calls %d", hs.m.dialog != nil, hs.portal.unpinCalls)
	}
	hs.key("u", "tab")
	if !hs.m.dialog.focusConfirm {
		t.Error("tab did not move the focus to Unpin all")
	}
	for _, k := range []string{"shift+tab", "right", "left", "l", "h"} {
		was := hs.m.dialog.focusConfirm
		hs.key(k)
		if hs.m.dialog.focusConfirm == was {
			t.Errorf("%q did not move the focus", k)
		}
	}
	hs.key("j", "r", "G") // other keys do nothing while the dialog is open
	if hs.m.dialog == nil || hs.selectedKey() != 1030 || hs.portal.snapCalls != 1 {
		t.Error("keys reached the list behind the dialog")
	}
	for _, k := range []string{"n", "esc", "q"} {
		hs.key("u")
		hs.key(k)
		if hs.m.dialog != nil {
			t.Errorf("%q did not cancel", k)
		}
	}
	if hs.portal.unpinCalls != 0 {
		t.Errorf("cancelling called unpinAll %d times", hs.portal.unpinCalls)
	}
}

func TestUnpinConfirmHighlightsReturnedIDs(t *testing.T) {
	hs := unpinHarness(t, []int64{1029, 1025, 77, 78})
	hs.key("u")
	msgs := hs.key("y")
	if hs.portal.unpinCalls != 1 {
		t.Fatalf("unpinAll called %d times, want 1", hs.portal.unpinCalls)
	}
	if countMsgs[spinner.TickMsg](msgs) != 1 {
		t.Error("no spinner while unpin-all runs")
	}
	if hs.portal.snapCalls != 2 {
		t.Errorf("no refresh after unpin-all (%d snapshots)", hs.portal.snapCalls)
	}
	for _, id := range []int64{1029, 1025, 77, 78} {
		if !hs.m.hl.Has(id) {
			t.Errorf("%d not highlighted", id)
		}
	}
	if hs.m.hl.Has(1021) {
		t.Error("1021 highlighted but not returned")
	}
	if i, _ := hs.m.list.Index(1029); hs.m.list.At(i).Pinned {
		t.Error("1029 still shown pinned")
	}
	s := plain(hs)
	mustContain(t, s, "Unpinned 4 sessions: 1029, 1025, 77, 78. 2 not in the list: 77, 78.", "6 pinned")
	for id, hot := range map[string]bool{"1029": true, "1025": true, "1028": false, "1021": false} {
		if line := rowOf(t, s, id); strings.Contains(line, "★") != hot {
			t.Errorf("row %s: marked %v, want %v: %q", id, !hot, hot, line)
		}
	}
	// pressing u again is not a repeat: it only opens the dialog
	hs.key("u", "esc")
	if hs.portal.unpinCalls != 1 {
		t.Error("unpinAll repeated")
	}
}

func TestUnpinEnterOnConfirmButton(t *testing.T) {
	hs := unpinHarness(t, []int64{1029})
	hs.key("u", "tab", "enter")
	if hs.portal.unpinCalls != 1 || !hs.m.hl.Has(1029) {
		t.Errorf("enter on Unpin all: calls %d, highlighted %v", hs.portal.unpinCalls, hs.m.hl.Keys())
	}
	mustContain(t, plain(hs), "Unpinned 1 session: 1029.")
}

func TestUnpinNothingWasPinned(t *testing.T) {
	hs := unpinHarness(t, nil)
	hs.key("u", "y")
	mustContain(t, plain(hs), "Nothing was pinned")
	if hs.m.hl.Len() != 0 {
		t.Error("highlights after an empty result")
	}
}

func TestUnpinDisabledReasons(t *testing.T) {
	noPins := fixture(6)
	for i := range noPins {
		noPins[i].Pinned = false
	}
	t.Run("nothing pinned", func(t *testing.T) {
		hs := newHarness(t, 120, 40, noPins).start()
		hs.key("u")
		if hs.m.dialog != nil {
			t.Fatal("dialog opened with nothing pinned")
		}
		mustContain(t, plain(hs), "unpin all: nothing pinned")
	})
	t.Run("not loaded", func(t *testing.T) {
		hs := newHarness(t, 120, 40, fixture(6)) // Init not run
		hs.key("u")
		if hs.m.dialog != nil {
			t.Fatal("dialog opened before any data")
		}
		mustContain(t, plain(hs), "unpin all: sessions not loaded yet")
	})
	t.Run("offline", func(t *testing.T) {
		hs := newHarness(t, 120, 40, fixture(6)).start()
		hs.portal.set(func(f *fakePortal) { f.snapErr = fmt.Errorf("%w: %w", api.ErrUnreachable, syscall.ECONNREFUSED) })
		hs.key("r")
		hs.key("u")
		if hs.m.dialog != nil {
			t.Fatal("dialog opened while offline")
		}
		mustContain(t, plain(hs), "unpin all: portal offline")
	})
	t.Run("in progress", func(t *testing.T) {
		hs := unpinHarness(t, []int64{1005})
		hs.key("u")
		hs.hold(keyMsg("y")) // the call has not returned
		hs.key("u")
		if hs.m.dialog != nil {
			t.Fatal("dialog opened while unpin-all runs")
		}
		mustContain(t, plain(hs), "unpin all: unpin-all in progress")
	})
}

func TestQuitIsHeldWhileUnpinning(t *testing.T) {
	hs := unpinHarness(t, []int64{1029})
	hs.key("u")
	cmd := hs.hold(keyMsg("y"))
	if !(hs.m.busy == bulkUnpin) {
		t.Fatal("not unpinning")
	}
	for _, k := range []string{"q", "ctrl+c"} {
		if hasQuit(hs.key(k)) {
			t.Fatalf("%q quit while unpin-all was running", k)
		}
	}
	mustContain(t, plain(hs), "Will quit when the unpin-all call returns")
	var out []tea.Msg
	for _, msg := range flatten(cmd) {
		if _, ok := msg.(bulkMsg); ok {
			out = hs.send(msg)
		}
	}
	if !hasQuit(out) {
		t.Fatal("did not quit when unpin-all returned")
	}
	if hs.m.exitNote != "Unpinned 1 session: 1029." {
		t.Errorf("exit note %q", hs.m.exitNote)
	}
}

func TestQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		hs := newHarness(t, 120, 40, fixture(3)).start()
		if !hasQuit(hs.key(k)) {
			t.Errorf("%q did not quit", k)
		}
	}
}

func TestUnpinFailures(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"portal error", &api.Error{Method: "imopenlines.session.mode.unpinAll", Code: "ACCESS_DENIED", Description: "Access denied", HTTPStatus: 403},
			"Unpin-all failed: ACCESS_DENIED: Access denied."},
		{"empty code", &api.Error{Method: "imopenlines.session.mode.unpinAll", HTTPStatus: 400},
			"Unpin-all failed: the portal refused without giving a reason."},
		{"outcome unknown", fmt.Errorf("imopenlines.session.mode.unpinAll: %w: %w", api.ErrOutcomeUnknown, syscall.ECONNRESET),
			"Outcome unknown: the connection failed after unpin-all was sent"},
		{"unreachable", fmt.Errorf("%w: %w", api.ErrUnreachable, syscall.ECONNREFUSED),
			"Unpin-all failed: could not reach the portal (connection refused)."},
		{"anything else", errors.New("something odd"), "Outcome unknown"},
	} {
		t.Run(c.name, func(t *testing.T) {
			hs := unpinHarness(t, nil)
			hs.portal.set(func(f *fakePortal) { f.unpinErr = c.err })
			hs.key("u", "y")
			mustContain(t, plain(hs), c.want)
			if hs.portal.unpinCalls != 1 {
				t.Errorf("unpinAll called %d times, want exactly 1", hs.portal.unpinCalls)
			}
			if hs.portal.snapCalls != 2 {
				t.Errorf("the list was not refreshed after the failure (%d snapshots)", hs.portal.snapCalls)
			}
			if hs.m.hl.Len() != 0 || (hs.m.busy == bulkUnpin) {
				t.Error("highlights or spinner left after a failure")
			}
		})
	}
}

func TestHighlightsExpireAndEscClears(t *testing.T) {
	hs := unpinHarness(t, []int64{1029, 1025})
	hs.key("u", "y")
	if hs.m.hl.Len() != 2 {
		t.Fatal("no highlights")
	}
	// the clock text keeps the model waking; walk the timers to the expiry
	for i := 0; hs.m.hl.Len() > 0; i++ {
		if i > 120 {
			t.Fatal("highlights never expired")
		}
		hs.fire()
	}
	if got := hs.clk.Now().Sub(t0); got != DefaultHighlightFor {
		t.Errorf("highlights expired after %v, want %v", got, DefaultHighlightFor)
	}
	mustNotContain(t, plain(hs), "★", "Unpinned")

	hs2 := unpinHarness(t, []int64{1029})
	hs2.key("u", "y")
	hs2.key("esc")
	if hs2.m.hl.Len() != 0 {
		t.Error("esc did not clear highlights")
	}
	mustNotContain(t, plain(hs2), "★", "Unpinned")
	hs2.key("esc") // nothing highlighted: quiet
	if hs2.m.status.text != "" {
		t.Errorf("esc with nothing highlighted said %q", hs2.m.status.text)
	}
}

func TestCustomHighlightDuration(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(10), func(o *Options) { o.HighlightFor = 5 * time.Second }).start()
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = []int64{1009} })
	hs.key("u", "y")
	for hs.m.hl.Len() > 0 {
		hs.fire()
	}
	if got := hs.clk.Now().Sub(t0); got != 5*time.Second {
		t.Errorf("expired after %v, want 5s", got)
	}
}

// HighlightFor 0 is the configuration's "highlight = 0": until esc.
func TestHighlightsUntilEsc(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(10), func(o *Options) { o.HighlightFor = 0; o.Refresh = 0 }).start()
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = []int64{1009} })
	hs.key("u", "y")
	for i := 0; hs.clk.Now().Sub(t0) < 3*time.Hour; i++ { // walk the clock-text wake-ups
		if i > 1000 {
			t.Fatalf("the clock stopped at %v", hs.clk.Now().Sub(t0))
		}
		hs.fire()
	}
	if hs.clk.Now().Sub(t0) < 3*time.Hour || hs.m.hl.Len() != 1 {
		t.Fatalf("after %v: %d highlighted, want 1", hs.clk.Now().Sub(t0), hs.m.hl.Len())
	}
	mustContain(t, plain(hs), "★", "Unpinned 1 session: 1009.")
	for _, tm := range hs.timers {
		if tm.d > 24*time.Hour {
			t.Errorf("a timer armed for %v", tm.d)
		}
	}
	hs.key("esc")
	if hs.m.hl.Len() != 0 {
		t.Error("esc did not clear")
	}
}

func TestOfflineKeepsDataAndBacksOff(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(10)).start()
	hs.portal.set(func(f *fakePortal) { f.snapErr = fmt.Errorf("%w: %w", api.ErrUnreachable, syscall.ECONNREFUSED) })
	var waits []time.Duration
	for range 4 {
		start := hs.clk.Now()
		for calls := hs.portal.snapCalls; hs.portal.snapCalls == calls; {
			hs.fire()
		}
		waits = append(waits, hs.clk.Now().Sub(start))
	}
	want := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second}
	if !slices.Equal(waits, want) {
		t.Errorf("waits between refreshes %v, want %v", waits, want)
	}
	s := plain(hs)
	mustContain(t, s, "✕ offline: connection refused", "data 2m old", "retry in 2m", "1010 Анна Петрова")
	if hs.m.list.Len() != 10 {
		t.Error("the last good data was dropped")
	}
	// the portal comes back: recovery by itself, back to the interval
	hs.portal.set(func(f *fakePortal) { f.snapErr = nil })
	for calls := hs.portal.snapCalls; hs.portal.snapCalls == calls; {
		hs.fire()
	}
	mustContain(t, plain(hs), "● online · updated "+hs.clk.Now().Format("15:04:05"))
	mustNotContain(t, plain(hs), "retry in", "data ")
}

func TestRateLimitedAndPortalErrorStates(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(3)).start()
	hs.portal.set(func(f *fakePortal) {
		f.snapErr = &api.Error{Method: "batch", Code: "QUERY_LIMIT_EXCEEDED", Description: "Too many requests", HTTPStatus: 503}
	})
	hs.key("r")
	mustContain(t, plain(hs), "◐ rate-limited: too many requests (QUERY_LIMIT_EXCEEDED)", "retry in 20s")
	hs.portal.set(func(f *fakePortal) {
		f.snapErr = &api.Error{Method: "batch", Code: "NO_AUTH_FOUND", Description: "Wrong authorization data", HTTPStatus: 401}
	})
	hs.key("r")
	mustContain(t, plain(hs), "✕ portal error: the portal did not accept the webhook or token (NO_AUTH_FOUND)")
	// a portal error is not "offline": u stays usable
	hs.key("u")
	if hs.m.dialog == nil {
		t.Error("u disabled on a portal error")
	}
}

func TestFirstLoadFailure(t *testing.T) {
	hs := newHarness(t, 120, 40, nil)
	hs.portal.set(func(f *fakePortal) { f.snapErr = fmt.Errorf("%w: %w", api.ErrUnreachable, syscall.ECONNREFUSED) })
	hs.start()
	mustContain(t, plain(hs), "Could not load the sessions: connection refused.", "offline: connection refused", "retry in 20s")
}

func TestNoSessions(t *testing.T) {
	hs := newHarness(t, 120, 40, nil).start()
	mustContain(t, plain(hs), "No open sessions.")
	hs.key("j", "G", "pgdown") // nothing to move
	if _, _, ok := hs.m.cursor.Selected(); ok {
		t.Error("selection in an empty list")
	}
}

func TestTooSmallSwallowsKeys(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(10)).start()
	hs.send(tWin(40, 8))
	mustContain(t, plain(hs), "Terminal too small: 40×8.", "linedesk needs at least 50×10.", "press q to quit")
	hs.key("j", "u", "r", "?")
	if hs.selectedKey() != 1010 || hs.m.dialog != nil || hs.m.helpOpen || hs.portal.snapCalls != 1 {
		t.Error("a key got through the too-small screen")
	}
	hs.send(tWin(60, 15))
	mustContain(t, plain(hs), "1010")
	hs.send(tWin(49, 20))
	if !hasQuit(hs.key("q")) {
		t.Error("q does not quit on the too-small screen")
	}
}

func TestHelpIsGeneratedWithReasons(t *testing.T) {
	noPins := fixture(4)
	for i := range noPins {
		noPins[i].Pinned = false
	}
	hs := newHarness(t, 120, 40, noPins).start()
	hs.key("?")
	if !hs.m.helpOpen {
		t.Fatal("? did not open the help")
	}
	s := plain(hs)
	for _, b := range hs.m.keys {
		mustContain(t, s, b.Help().Key, b.Help().Desc)
	}
	mustContain(t, s, "unpin all  (now: nothing pinned)", "clear marks  (now: nothing highlighted)")
	hs.key("j")
	if hs.selectedKey() != 1004 {
		t.Error("keys reached the list behind the help")
	}
	hs.key("?")
	if hs.m.helpOpen {
		t.Error("? did not close the help")
	}
	hs.key("?", "esc")
	if hs.m.helpOpen {
		t.Error("esc did not close the help")
	}
	// a short screen keeps the keys and how to close the help, not the legend
	hs.send(tWin(60, 12))
	hs.key("?")
	s = plain(hs)
	mustContain(t, s, "↑/k", "? or esc closes this help")
	mustNotContain(t, s, "selected row")
	// the one-line help marks u as disabled (dimmed; bracketed without colour)
	hs2 := newHarness(t, 120, 40, noPins, func(o *Options) { o.Env = []string{"NO_COLOR=1"} }).start()
	mustContain(t, plain(hs2), "(u unpin all)", "r refresh")
}

func TestWakeTimers(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(5)).start()
	if len(hs.timers) != 1 {
		t.Fatalf("%d timers after the first refresh, want 1", len(hs.timers))
	}
	if d := hs.timers[0].d; d <= 0 || d > 10*time.Second {
		t.Errorf("first wake after %v, want by the refresh at 10s", d)
	}
	// keys that change nothing about time arm no further timers
	hs.key("j", "k", "j")
	if len(hs.timers) != 1 {
		t.Errorf("keys armed %d more timers", len(hs.timers)-1)
	}
	// an old timer is ignored
	gen := hs.m.wakeGen
	hs.send(wakeMsg{gen: gen - 1})
	if hs.m.wakeGen != gen || hs.portal.snapCalls != 1 {
		t.Error("an old timer acted")
	}
	// firing walks second by second to the refresh at 10s
	for i := 0; hs.portal.snapCalls == 1; i++ {
		if i > 10 {
			t.Fatal("no refresh after 10 wake-ups")
		}
		hs.fire()
	}
	if got := hs.clk.Now().Sub(t0); got != 10*time.Second {
		t.Errorf("refresh after %v, want 10s", got)
	}
}

func TestIdleWithoutAutoRefreshWakesOnlyForClockText(t *testing.T) {
	ss := fixture(3)
	for i := range ss {
		ss[i].LastActivity = t0.Add(-2*time.Hour - 10*time.Minute)
	}
	hs := newHarness(t, 120, 40, ss, func(o *Options) { o.Refresh = 0 }).start()
	mustContain(t, plain(hs), "auto-refresh off")
	// nothing on screen changes until the rows' "2h" becomes "3h"
	before := hs.clk.Now()
	hs.fire()
	if d := hs.clk.Now().Sub(before); d != 50*time.Minute {
		t.Errorf("wake after %v, want 50m (when the rows' age text changes)", d)
	}
	if hs.portal.snapCalls != 1 {
		t.Errorf("refreshed %d times with auto-refresh off", hs.portal.snapCalls-1)
	}
}

// TestOnlineIdleWakesOnlyToRefresh: online, with rows whose age text
// changes rarely, the only wake-up is the refresh: the header shows the
// time of the last update, not a clock ticking every second.
func TestOnlineIdleWakesOnlyToRefresh(t *testing.T) {
	ss := fixture(3)
	for i := range ss {
		ss[i].LastActivity = t0.Add(-2*time.Hour - 10*time.Minute)
	}
	hs := newHarness(t, 120, 40, ss).start()
	for range 3 {
		before, calls := hs.clk.Now(), hs.portal.snapCalls
		hs.fire()
		if d := hs.clk.Now().Sub(before); d != 10*time.Second || hs.portal.snapCalls != calls+1 {
			t.Fatalf("woke after %v (refreshes %d), want one refresh after 10s", d, hs.portal.snapCalls-calls)
		}
	}
	// failing, the age and the countdown tick every second
	hs.portal.set(func(f *fakePortal) { f.snapErr = errRefused })
	hs.key("r")
	before := hs.clk.Now()
	hs.fire()
	if d := hs.clk.Now().Sub(before); d != time.Second {
		t.Errorf("offline: woke after %v, want 1s", d)
	}
}

func TestBackgroundColorSwitchesStyles(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(5)).start()
	dark := hs.screen()
	hs.send(tea.BackgroundColorMsg{Color: lightColor{}})
	if hs.m.dark {
		t.Fatal("light background not adopted")
	}
	if hs.screen() == dark {
		t.Error("screen did not change for a light background")
	}
	if ansi.Strip(hs.screen()) != ansi.Strip(dark) {
		t.Error("text changed with the background")
	}
}

type lightColor struct{}

func (lightColor) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

func TestPortalTextIsSanitised(t *testing.T) {
	ss := fixture(3)
	ss[0].Client = "Evil\x1b]8;;http://x\x07Corp\x1b[31m\u202eReD"
	ss[0].LastMessage = "line1\nline2\r\x07\x9b31m tail"
	ss[1].LineName = "\x1b[2JWipe"
	hs := newHarness(t, 120, 40, ss).start()
	screen := hs.screen()
	for _, bad := range []string{"\x1b]", "\x07", "\u202e", "\x1b[2J", "\x1b[31m", "\x9b", "\r"} {
		if strings.Contains(screen, bad) {
			t.Errorf("screen contains %q", bad)
		}
	}
	mustContain(t, plain(hs), "EvilCorpReD", "line1 line2", "Wipe")
}

func TestRowsRedrawOnlyWhenChanged(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(1000)).start()
	hs.screen()
	base := hs.m.tbl.renders
	hs.screen()
	if d := hs.m.tbl.renders - base; d != 0 {
		t.Errorf("an unchanged frame redrew %d rows", d)
	}
	hs.key("j")
	hs.screen()
	if d := hs.m.tbl.renders - base; d != 2 {
		t.Errorf("moving the cursor redrew %d rows, want 2 (old and new)", d)
	}
	base = hs.m.tbl.renders
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = []int64{999 + 1000 - 2} }) // row 3, pinned
	hs.key("u", "y")
	hs.screen()
	if d := hs.m.tbl.renders - base; d != 1 {
		t.Errorf("highlighting one row redrew %d rows, want 1", d)
	}
}

func TestColumnsGiveWay(t *testing.T) {
	kinds := func(w int) []colKind {
		var out []colKind
		for _, c := range layout(w, specsFor(defaultColumns, &english, 4)) {
			out = append(out, c.kind)
		}
		return out
	}
	all := []colKind{colGutter, colPin, colID, colClient, colChannel, colLine, colStatus, colUnread, colLast, colMessage}
	if got := kinds(120); !slices.Equal(got, all) {
		t.Errorf("120: %v, want all", got)
	}
	for _, w := range []int{80, 85} {
		got := kinds(w)
		if slices.Contains(got, colLine) || !slices.Contains(got, colID) || !slices.Contains(got, colChannel) {
			t.Errorf("%d: %v: want line gone first, ID and channel kept", w, got)
		}
	}
	if got := kinds(60); slices.Contains(got, colChannel) || slices.Contains(got, colStatus) || !slices.Contains(got, colID) {
		t.Errorf("60: %v", got)
	}
	for w := MinWidth; w <= 200; w++ {
		total := 0
		for i, c := range layout(w, specsFor(defaultColumns, &english, 6)) {
			if i > 1 {
				total++
			}
			total += c.width
		}
		if total != w {
			t.Fatalf("layout(%d) fills %d cells", w, total)
		}
	}
}

func TestSpinnerTicksOnlyWhileUnpinning(t *testing.T) {
	hs := unpinHarness(t, []int64{1029})
	hs.key("u")
	hs.hold(keyMsg("y"))
	frame := hs.m.spin.View()
	cmd := hs.hold(hs.m.spin.Tick())
	if cmd == nil || hs.m.spin.View() == frame {
		t.Error("spinner did not advance while unpinning")
	}
	hs2 := newHarness(t, 120, 40, fixture(3)).start()
	if _, cmd := hs2.m.Update(hs2.m.spin.Tick()); cmd != nil && countMsgs[spinner.TickMsg](flatten(cmd)) > 0 {
		t.Error("spinner keeps ticking when idle")
	}
}

func TestDialogCountsColleaguesPinsApart(t *testing.T) {
	ss := fixture(30)
	ss[1].OwnerID = 2 // 1029, pinned, another operator's
	hs := newHarness(t, 140, 40, ss).start()
	hs.key("u")
	d := hs.m.dialog
	if d.count != 8 || d.mine != 7 || d.names[0] != "Ahmed 🙂 Karim" {
		t.Errorf("dialog pinned %d mine %d names %q", d.count, d.mine, d.names)
	}
	mustContain(t, plain(hs), "8 of the 30 sessions listed are pinned, 7 of", "and 4 more.")
}

func TestFileOnlyLastMessageIsNamed(t *testing.T) {
	for _, c := range []struct {
		lang i18n.Lang
		want string
	}{{i18n.EN, "[file] invoice.pdf"}, {i18n.RU, "[файл] invoice.pdf"}} {
		ss := fixture(3)
		ss[0].LastMessage, ss[0].LastFile = "", "invoice\x1b[31m.pdf"
		hs := newHarness(t, 120, 40, ss, func(o *Options) { o.Lang = c.lang }).start()
		mustContain(t, plain(hs), c.want)
	}
}

// TestTruncatedListIsSaid: when the portal listed more sessions than a
// refresh reads, the header says the list is not whole, in both languages,
// and says nothing once a later list fits.
func TestTruncatedListIsSaid(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(3)).start()
	mustNotContain(t, plain(hs), "only the latest")
	hs.portal.set(func(f *fakePortal) { f.snap.Truncated = true })
	hs.key("r")
	mustContain(t, plain(hs), "only the latest 20,000 read")
	hs.portal.set(func(f *fakePortal) { f.snap.Truncated = false })
	hs.key("r")
	mustNotContain(t, plain(hs), "only the latest")

	if got, want := russian.Truncated(api.MaxListRows), "прочитаны только последние 20"; !strings.HasPrefix(got, want) {
		t.Errorf("Russian: %q, want it to start with %q", got, want)
	}
}
