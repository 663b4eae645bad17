package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/journal"
)

// dialogText is the open dialog's words on one line, without the box.
func dialogText(t *testing.T, hs *harness) string {
	t.Helper()
	if hs.m.dialog == nil {
		t.Fatalf("no dialog open; status %q", hs.m.status.text)
	}
	box := ansi.Strip(hs.m.dialog.render(hs.m.st, hs.m.tx, hs.m.width))
	return strings.Join(strings.Fields(strings.NewReplacer("│", " ", "╭", " ", "╮", " ", "╰", " ", "╯", " ", "─", " ").Replace(box)), " ")
}

// pinnedNow reports whether the list shows session id pinned.
func pinnedNow(t *testing.T, hs *harness, id int64) bool {
	t.Helper()
	s, ok := hs.m.list.Session(id)
	if !ok {
		t.Fatalf("session %d not listed", id)
	}
	return s.Pinned
}

func chatOf(id int64) int64 { return id*3 + 7 } // as fixture makes them

func TestPinOneShowsAtOnceAndIsConfirmed(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(40)).start()
	// 1040 is selected and not pinned: p pins it, the row changes before
	// the portal answers
	cmd := hs.hold(keyMsg("p"))
	if !pinnedNow(t, hs, 1040) || !strings.Contains(rowOf(t, plain(hs), "1040"), "●") {
		t.Fatal("the row did not change at once")
	}
	mustContain(t, plain(hs), "Pinning session 1040…")
	if hs.m.spinning() == false {
		t.Error("no spinner while the pin runs")
	}
	hs.run(cmd)
	if len(hs.portal.pinCalls) != 1 || hs.portal.pinCalls[0].chats[0] != chatOf(1040) || !hs.portal.pinCalls[0].pin || hs.portal.pinCalls[0].many {
		t.Fatalf("Pin calls %+v, want one Pin(%d, true)", hs.portal.pinCalls, chatOf(1040))
	}
	if hs.portal.snapCalls != 2 {
		t.Errorf("%d refreshes, want the one that confirms the pin", hs.portal.snapCalls)
	}
	mustContain(t, plain(hs), "Pinned session 1040 (Анна Петрова).", "11 pinned")
	// and p again unpins it
	hs.key("p")
	if pinnedNow(t, hs, 1040) || !slices.Equal(hs.portal.pinCalls[1].chats, []int64{chatOf(1040)}) || hs.portal.pinCalls[1].pin {
		t.Errorf("second p: pinned %v, calls %+v", pinnedNow(t, hs, 1040), hs.portal.pinCalls)
	}
	mustContain(t, plain(hs), "Unpinned session 1040 (Анна Петрова).")
}

func TestPinOneRefusedRollsBack(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"empty code", &api.Error{Method: "imopenlines.session.mode.pin", HTTPStatus: 400},
			"Could not pin session 1040: you are not this session's operator."},
		{"access denied", &api.Error{Code: "ACCESS_DENIED", Description: "no rights"},
			"Could not pin session 1040: ACCESS_DENIED: no rights."},
		{"not sent", fmt.Errorf("%w: %w", api.ErrUnreachable, syscall.ECONNREFUSED),
			"Could not pin session 1040: could not reach the portal (connection refused)."},
	} {
		t.Run(c.name, func(t *testing.T) {
			hs := newHarness(t, 120, 40, fixture(40)).start()
			hs.portal.set(func(f *fakePortal) { f.pinErr = c.err })
			hs.key("p")
			if pinnedNow(t, hs, 1040) {
				t.Error("the row stayed pinned after the refusal")
			}
			mustContain(t, plain(hs), c.want, "10 pinned")
			if hs.m.status.kind != statusErr {
				t.Errorf("status kind %d, want an error", hs.m.status.kind)
			}
		})
	}
}

func TestPinOneUnknownLeavesItToTheRefresh(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(40)).start()
	hs.portal.set(func(f *fakePortal) { f.pinErr = fmt.Errorf("%w: connection reset", api.ErrOutcomeUnknown) })
	hs.key("p")
	mustContain(t, plain(hs), "No answer for session 1040: it may or may not be pinned; refreshing.")
	if pinnedNow(t, hs, 1040) || hs.portal.snapCalls != 2 {
		t.Errorf("the refresh did not decide: pinned %v, %d refreshes", pinnedNow(t, hs, 1040), hs.portal.snapCalls)
	}
}

func TestPinThatDidNotStickIsSaid(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(40)).start()
	hs.portal.set(func(f *fakePortal) { f.pinErr = nil })
	cmd := hs.hold(keyMsg("p"))
	// the portal says yes but the next list still shows it unpinned
	msgs := flatten(cmd)
	hs.portal.set(func(f *fakePortal) { f.setPinned(chatOf(1040), false) })
	for _, m := range msgs {
		if _, ok := m.(pinMsg); ok {
			hs.send(m)
		}
	}
	mustContain(t, plain(hs), "The portal accepted, but session 1040 is still not pinned.")
	if pinnedNow(t, hs, 1040) {
		t.Error("the list shows it pinned against the portal")
	}
}

func TestPinOnePendingSurvivesAnOlderRefresh(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(40)).start()
	seq, _ := hs.m.sched.Begin() // a refresh under way when p is pressed
	hs.hold(keyMsg("p"))
	old := snapshot(fixture(40)) // read before the pin: 1040 unpinned
	hs.send(snapshotMsg{seq: seq, snap: old})
	if !pinnedNow(t, hs, 1040) {
		t.Error("a refresh answered during the pin undid the row's new state")
	}
}

func TestPinDisabledReasons(t *testing.T) {
	ss := fixture(5)
	ss[0].ChatID = 0
	hs := newHarness(t, 120, 40, ss)
	hs.key("p")
	mustContain(t, plain(hs), "pin/unpin: sessions not loaded yet")
	hs.start()
	hs.key("p")
	mustContain(t, plain(hs), "pin/unpin: the portal gave no chat for this session")
	hs.key("j")
	hs.hold(keyMsg("p"))
	hs.key("p")
	mustContain(t, plain(hs), "pin/unpin: the last pin of this session is under way")
	if n := len(hs.portal.pinCalls); n != 0 {
		t.Errorf("%d pin calls made by disabled keys", n)
	}
	empty := newHarness(t, 120, 40, nil).start()
	empty.key("p")
	mustContain(t, plain(empty), "pin/unpin: no session selected")
}

func TestPinAllDialogAndHighlight(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(40)).start()
	unpinned := []int64{}
	for _, s := range fixture(40) {
		if !s.Pinned {
			unpinned = append(unpinned, s.SessionID)
		}
	}
	hs.portal.set(func(f *fakePortal) { f.pinAllIDs = unpinned })
	hs.key("P")
	d := hs.m.dialog
	if d == nil || d.kind != bulkPin || d.focusConfirm || d.count != 30 || d.mine != 23 {
		t.Fatalf("dialog %+v, want pin-all with 30 unpinned, 23 of them mine (7 are queue offers), focus on Cancel", d)
	}
	mustContain(t, dialogText(t, hs), "Pin all sessions?",
		"30 of the 40 sessions listed are not pinned, 23 of them yours; colleagues' sessions and queue offers are left as they are.",
		"Анна Петрова, María José Núñez, Ольга Смирнова-", "and 20 more.", "The portal pins every session of yours", "Cancel", "Pin all")
	hs.key("enter") // on Cancel
	if hs.m.dialog != nil || hs.portal.pinAllCalls != 0 {
		t.Fatalf("enter on Cancel: dialog %v, %d calls", hs.m.dialog != nil, hs.portal.pinAllCalls)
	}
	hs.key("P", "y")
	if hs.portal.pinAllCalls != 1 || hs.portal.unpinCalls != 0 {
		t.Fatalf("pinAll %d, unpinAll %d calls", hs.portal.pinAllCalls, hs.portal.unpinCalls)
	}
	got := hs.m.hl.Keys()
	slices.Sort(got)
	want := slices.Clone(unpinned)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("highlighted %v, want %v", got, want)
	}
	mustContain(t, plain(hs), "Pinned 30 sessions: 1040, 1038", "40 pinned")
	hs.key("P")
	if hs.m.dialog != nil {
		t.Error("pin-all opened with everything pinned")
	}
	mustContain(t, plain(hs), "pin all: every session listed is pinned")
}

func TestPinAllFailures(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{api.ErrOutcomeUnknown, "Outcome unknown: the connection failed after pin-all was sent"},
		{&api.Error{Code: "ACCESS_DENIED"}, "Pin-all failed: ACCESS_DENIED."},
		{fmt.Errorf("%w: %w", api.ErrUnreachable, syscall.ECONNREFUSED), "Pin-all failed: could not reach the portal (connection refused)."},
	} {
		hs := newHarness(t, 120, 40, fixture(10)).start()
		hs.portal.set(func(f *fakePortal) { f.pinAllErr = c.err })
		hs.key("P", "y")
		mustContain(t, plain(hs), c.want)
		if hs.m.hl.Len() != 0 || hs.m.busy != bulkNone {
			t.Errorf("%v: %d highlighted, busy %d", c.err, hs.m.hl.Len(), hs.m.busy)
		}
	}
}

// unpinAllAndUndo runs u, y and then U on fixture(40) and returns the
// harness with the undo dialog open.
func unpinAllThenU(t *testing.T, opt ...func(*Options)) (*harness, []int64) {
	t.Helper()
	hs := newHarness(t, 120, 40, fixture(40), opt...).start()
	pinned := pinnedIDs(ptrs(fixture(40)))
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = pinned })
	hs.key("u", "y")
	if hs.m.list.Pinned() != 0 {
		t.Fatalf("%d still pinned after unpin-all", hs.m.list.Pinned())
	}
	hs.key("U")
	if hs.m.dialog == nil || hs.m.dialog.kind != bulkUndo {
		t.Fatalf("U did not open the undo dialog; status %q", hs.m.status.text)
	}
	return hs, pinned
}

func TestUndoUnpinAllPinsTheSameSessionsAgain(t *testing.T) {
	hs, pinned := unpinAllThenU(t)
	if hs.m.dialog.focusConfirm {
		t.Error("the undo dialog opened on its confirm button")
	}
	mustContain(t, dialogText(t, hs), "Undo the unpin-all of 18:00?", "10 sessions will be pinned again: John Smith, Ahmed 🙂 Karim, Guest #4411 and 7 more.",
		"Pin again")
	hs.portal.set(func(f *fakePortal) { f.pinCalls = nil })
	hs.key("y")
	calls := hs.portal.pinCalls
	if len(calls) != 1 || !calls[0].many || !calls[0].pin {
		t.Fatalf("calls %+v, want one PinMany(…, true)", calls)
	}
	var wantChats []int64
	for _, id := range pinned {
		wantChats = append(wantChats, chatOf(id))
	}
	if !slices.Equal(calls[0].chats, wantChats) {
		t.Errorf("PinMany chats %v, want %v", calls[0].chats, wantChats)
	}
	if hs.m.list.Pinned() != len(pinned) {
		t.Errorf("%d pinned after undo, want %d", hs.m.list.Pinned(), len(pinned))
	}
	got := hs.m.hl.Keys()
	slices.Sort(got)
	want := slices.Clone(pinned)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("highlighted %v, want the restored %v", got, want)
	}
	mustContain(t, plain(hs), "Pinned 10 sessions again: 1039, 1035")
	hs.key("U")
	if hs.m.dialog != nil {
		t.Fatal("undo offered twice")
	}
	mustContain(t, plain(hs), "undo: the last bulk action is undone already")
	// the help lists what happened to each session
	hs.key("?")
	mustContain(t, plain(hs), "Last undo", "1039  pinned again")
}

func TestUndoSkipsClosedAndGoneSessions(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(40)).start()
	pinned := pinnedIDs(ptrs(fixture(40))) // 1039, 1035, 1031, …
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = pinned })
	hs.key("u", "y")
	// meanwhile 1039 closed, 1035 vanished, 1031 was pinned again by hand
	hs.portal.set(func(f *fakePortal) {
		var keep []api.Session
		for _, s := range f.snap.Sessions {
			switch s.SessionID {
			case 1039:
				s.Status = api.StatusClose
			case 1035:
				continue
			case 1031:
				s.Pinned = true
			}
			keep = append(keep, *s)
		}
		f.snap.Sessions = ptrs(keep)
		f.pinCalls = nil
	})
	hs.key("r", "U")
	mustContain(t, dialogText(t, hs), "7 sessions will be pinned again", "2 cannot be restored (closed: 1039; no longer listed: 1035).",
		"1 is already pinned: 1031.")
	hs.key("y")
	if c := hs.portal.pinCalls; len(c) != 1 || len(c[0].chats) != 7 || slices.Contains(c[0].chats, chatOf(1039)) {
		t.Fatalf("PinMany %+v, want the 7 restorable chats", c)
	}
	mustContain(t, hs.m.status.text, "Pinned 7 sessions again:", "Closed since: 1039.", "No longer listed: 1035.", "Already pinned: 1031.")
}

func TestUndoReportsRefusalsSessionBySession(t *testing.T) {
	hs, _ := unpinAllThenU(t)
	hs.portal.set(func(f *fakePortal) {
		f.pinMany = map[int64]error{chatOf(1035): &api.Error{Code: ""}, chatOf(1031): api.ErrOutcomeUnknown}
	})
	hs.key("y")
	mustContain(t, hs.m.status.text, "Pinned 8 sessions again:", "Refused: 1035.", "No answer (may or may not have changed): 1031.")
	if hs.m.status.kind != statusWarn {
		t.Errorf("status kind %d, want a warning", hs.m.status.kind)
	}
	if hs.m.hl.Has(1035) || !hs.m.hl.Has(1039) {
		t.Error("highlights are not the restored sessions")
	}
	// a partly failed undo may be tried again, for the rest
	hs.portal.set(func(f *fakePortal) { f.pinMany, f.pinCalls = nil, nil })
	hs.key("U")
	mustContain(t, dialogText(t, hs), "2 sessions will be pinned again")
}

func TestUndoDisabledReasons(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(10))
	hs.key("U")
	mustContain(t, plain(hs), "undo: sessions not loaded yet")
	hs.start()
	hs.key("U")
	mustContain(t, plain(hs), "undo: no unpin-all or pin-all to undo")

	hs.portal.set(func(f *fakePortal) { f.unpinErr = &api.Error{Code: "ACCESS_DENIED"} })
	hs.key("u", "y", "U")
	mustContain(t, plain(hs), "undo: the last unpin-all failed, so nothing changed")

	hs.portal.set(func(f *fakePortal) { f.unpinErr = api.ErrOutcomeUnknown })
	hs.key("u", "y", "U")
	mustContain(t, plain(hs), "undo: the last unpin-all got no answer")

	hs = newHarness(t, 120, 40, fixture(10)).start()
	hs.portal.set(func(f *fakePortal) { f.pinAllIDs = nil })
	hs.key("P", "y", "U")
	mustContain(t, plain(hs), "undo: the last pin-all changed nothing")

	// what the unpin-all changed is closed now
	hs = newHarness(t, 120, 40, fixture(10)).start()
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = []int64{1009} })
	hs.key("u", "y")
	hs.portal.set(func(f *fakePortal) { f.snap.Sessions[1].Status = api.StatusClose })
	hs.key("r", "U")
	mustContain(t, plain(hs), "undo: nothing left to restore")
	if hs.m.dialog != nil {
		t.Error("a disabled undo opened its dialog")
	}
}

func TestUndoPinAllUnpinsAgain(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(10)).start()
	hs.portal.set(func(f *fakePortal) { f.pinAllIDs = []int64{1010, 1008} })
	hs.key("P", "y", "U")
	mustContain(t, dialogText(t, hs), "Undo the pin-all of 18:00?", "2 sessions will be unpinned again", "Unpin again")
	hs.portal.set(func(f *fakePortal) { f.pinCalls = nil })
	hs.key("y")
	if c := hs.portal.pinCalls; len(c) != 1 || c[0].pin || !slices.Equal(c[0].chats, []int64{chatOf(1010), chatOf(1008)}) {
		t.Fatalf("calls %+v", c)
	}
	mustContain(t, plain(hs), "Unpinned 2 sessions again: 1010, 1008.")
}

func writeFile(path string) error { return os.WriteFile(path, []byte("x"), 0o600) }

func tempJournal(t *testing.T) *journal.Journal {
	return journal.New(filepath.Join(t.TempDir(), "journal.jsonl"))
}

// TestJournalGetsEveryAction: unpin-all, its undo, pin-all and a pin
// are each one journal entry, the undo naming the action it undoes.
func TestJournalGetsEveryAction(t *testing.T) {
	j := tempJournal(t)
	hs := newHarness(t, 120, 40, fixture(12), func(o *Options) { o.Journal = j; o.Profile = "work" }).start()
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = pinnedIDs(f.snap.Sessions) })
	hs.key("u", "y", "U", "y")
	hs.portal.set(func(f *fakePortal) { f.pinAllIDs = []int64{1012, 1010} })
	hs.key("P", "y", "p")
	log, err := j.Read(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []journal.Action
	for _, e := range log.Entries {
		actions = append(actions, e.Action)
		if e.Portal != "acme.bitrix24.ru" || e.User != 1 || e.Profile != "work" || e.ID == "" || e.Time.IsZero() {
			t.Errorf("entry %+v lacks who, where or when", e)
		}
	}
	want := []journal.Action{journal.UnpinAll, journal.UndoUnpinAll, journal.PinAll, journal.Unpin}
	if !slices.Equal(actions, want) {
		t.Fatalf("journal %v, want %v", actions, want)
	}
	unpin, undo := log.Entries[0], log.Entries[1]
	if !slices.Equal(unpin.Returned, []int64{1011, 1007, 1003}) || unpin.Outcome != journal.OK {
		t.Errorf("unpin-all entry %+v", unpin)
	}
	if undo.Undoes != unpin.ID || !slices.Equal(undo.Returned, unpin.Returned) || undo.Outcome != journal.OK {
		t.Errorf("undo entry %+v does not restore %s", undo, unpin.ID)
	}
	if last, ok := log.LastBulk(nil); !ok || last.Bulk.Action != journal.PinAll {
		t.Errorf("last bulk %+v", last)
	}
	if hs.m.writing != 0 {
		t.Errorf("%d journal writes still counted", hs.m.writing)
	}
}

// TestUndoFromTheJournal: an unpin-all made by an earlier run (or the
// CLI) can be undone from the dashboard.
func TestUndoFromTheJournal(t *testing.T) {
	j := tempJournal(t)
	e := journal.BulkEntry(journal.UnpinAll, []int64{1009, 1005}, nil)
	e.Portal, e.User, e.Time = "acme.bitrix24.ru", 1, t0.Add(-2*time.Hour)
	written, err := j.Append(e)
	if err != nil {
		t.Fatal(err)
	}
	other := journal.BulkEntry(journal.UnpinAll, []int64{1003}, nil)
	other.Portal = "elsewhere.bitrix24.ru" // another portal's action is not offered
	if _, err := j.Append(other); err != nil {
		t.Fatal(err)
	}
	ss := fixture(10)
	for i := range ss {
		ss[i].Pinned = false
	}
	hs := newHarness(t, 120, 40, ss, func(o *Options) { o.Journal = j }).start()
	hs.key("U")
	mustContain(t, dialogText(t, hs), "Undo the unpin-all of 16:00?", "2 sessions will be pinned again")
	hs.key("y")
	if c := hs.portal.pinCalls; len(c) != 1 || !slices.Equal(c[0].chats, []int64{chatOf(1009), chatOf(1005)}) {
		t.Fatalf("calls %+v", c)
	}
	last, ok, _, err := j.LastBulk(journal.Actor("acme.bitrix24.ru", 1))
	if err != nil || !ok || last.Bulk.ID != written.ID || !last.Undone() {
		t.Errorf("journal after undo: %+v ok=%v err=%v", last, ok, err)
	}
}

func TestJournalWriteFailureIsSaid(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := writeFile(blocker); err != nil {
		t.Fatal(err)
	}
	j := journal.New(filepath.Join(blocker, "journal.jsonl")) // its directory is a file
	hs := newHarness(t, 120, 40, fixture(10), func(o *Options) { o.Journal = j }).start()
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = []int64{1009} })
	hs.key("u", "y")
	mustContain(t, plain(hs), "Unpinned 1 session: 1009. Not written to the journal: cannot create the journal's directory")
	// undo still works from memory
	hs.key("U")
	if hs.m.dialog == nil {
		t.Errorf("undo not offered after a journal failure: %q", hs.m.status.text)
	}
}

func TestQuitWaitsForThePinAndTheJournal(t *testing.T) {
	j := tempJournal(t)
	hs := newHarness(t, 120, 40, fixture(10), func(o *Options) { o.Journal = j }).start()
	pin := hs.hold(keyMsg("p"))
	if msgs := hs.key("q"); hasQuit(msgs) || !hs.m.quitting {
		t.Fatal("quit while a pin was under way")
	}
	var journalCmd tea.Cmd
	for _, msg := range flatten(pin) {
		if pm, ok := msg.(pinMsg); ok {
			journalCmd = hs.hold(pm) // the pin's answer; its journal write is under way
		}
	}
	if hs.m.writing != 1 {
		t.Fatalf("%d journal writes under way, want 1", hs.m.writing)
	}
	msgs := hs.run(journalCmd)
	if !hasQuit(msgs) {
		t.Fatal("did not quit once the journal was written")
	}
	if log, _ := j.Read(time.Time{}); len(log.Entries) != 1 {
		t.Errorf("%d journal entries, want the pin's", len(log.Entries))
	}
}

func TestPinAllDialogLeavesOffersAndColleaguesApart(t *testing.T) {
	ss := fixture(8)  // 1007 and 1003 pinned; 1006 (王小明) a new offer (status 0)
	ss[3].OwnerID = 2 // 1005 (María José Núñez): a colleague's
	hs := newHarness(t, 120, 40, ss).start()
	hs.key("P")
	d := hs.m.dialog
	if d.count != 6 || d.mine != 4 {
		t.Fatalf("dialog counts %d unpinned, %d mine; want 6 and 4 (not the offer nor the colleague's)", d.count, d.mine)
	}
	mustContain(t, dialogText(t, hs), "6 of the 8 sessions listed are not pinned, 4 of them yours; colleagues' sessions and queue offers are left as they are.",
		"Анна Петрова, Ольга Смирнова-Кузнецова, Dmitry and 1 more.")
	mustNotContain(t, dialogText(t, hs), "王小明", "María")
}

// TestUndoNamesTheActionWhateverAnswersFirst: the refresh after unpin-all
// may come back before its journal entry is written; the undo still names
// the entry's ID.
func TestUndoNamesTheActionWhateverAnswersFirst(t *testing.T) {
	j := tempJournal(t)
	hs := newHarness(t, 120, 40, fixture(12), func(o *Options) { o.Journal = j }).start()
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = pinnedIDs(f.snap.Sessions) })
	hs.key("u")
	var after []tea.Msg
	for _, msg := range flatten(hs.hold(keyMsg("y"))) {
		if bm, ok := msg.(bulkMsg); ok {
			after = flatten(hs.hold(bm))
		}
	}
	slices.SortStableFunc(after, func(a, b tea.Msg) int { // the refresh first
		_, sa := a.(snapshotMsg)
		_, sb := b.(snapshotMsg)
		switch {
		case sa && !sb:
			return -1
		case sb && !sa:
			return 1
		}
		return 0
	})
	if len(after) != 2 {
		t.Fatalf("after unpin-all: %d messages, want the journal write and the refresh", len(after))
	}
	for _, msg := range after {
		hs.send(msg)
	}
	hs.key("U", "y")
	log, err := j.Read(time.Time{})
	if err != nil || len(log.Entries) != 2 {
		t.Fatalf("journal: %d entries, %v", len(log.Entries), err)
	}
	if log.Entries[1].Undoes != log.Entries[0].ID || log.Entries[0].ID == "" {
		t.Errorf("the undo names %q, the unpin-all is %q", log.Entries[1].Undoes, log.Entries[0].ID)
	}
}
