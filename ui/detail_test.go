package ui

import (
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/i18n"
)

// history1040 is a conversation with the client of session 1040.
func history1040() api.History {
	return api.History{Messages: []api.HistoryMessage{
		{ID: 1, AuthorID: 0, Date: t0.Add(-50 * time.Minute), Text: "Session started"},
		{ID: 5, AuthorID: 77, Author: "Анна Петрова", Date: t0.Add(-45 * time.Minute), Text: " \n "}, // a file
		{ID: 2, AuthorID: 77, Author: "Анна Петрова", Date: t0.Add(-40 * time.Minute),
			Text: "Здравствуйте! Подскажите, где мой заказ №48213? Я жду его уже неделю, а трекинг не обновляется."},
		{ID: 3, AuthorID: 1, Author: "Мария Иванова", Date: t0.Add(-30 * time.Minute), Text: "Сейчас проверю.\nМинуту."},
		{ID: 4, AuthorID: 77, Author: "Анна\x1b]0;pwned\x07 Петрова", Date: t0.Add(-time.Minute),
			Text: "Спасибо!\x1b[31m красный \x1b[0m" + strings.Repeat("我想退货", 12)},
	}}
}

func detailHarness(t *testing.T, w, h int, opt ...func(*Options)) *harness {
	t.Helper()
	ss := fixture(40)
	ss[0].CRM = []api.CRMBinding{{Type: "LEAD", ID: 12}, {Type: "CONTACT", ID: 7}}
	ss[0].CRMLinked = true
	hs := newHarness(t, w, h, ss, opt...)
	hs.portal.set(func(f *fakePortal) { f.hist = map[int64]api.History{1040: history1040()} })
	return hs.start()
}

func TestDetailsShowTheSessionAndItsMessages(t *testing.T) {
	hs := detailHarness(t, 100, 60)
	cmd := hs.hold(keyMsg("enter"))
	if hs.m.detail == nil || hs.m.detail.key != 1040 {
		t.Fatal("enter did not open the details of the selected session")
	}
	mustContain(t, plain(hs), "Loading the messages…")
	hs.run(cmd)
	if hs.portal.histCalls != 1 {
		t.Fatalf("%d history calls", hs.portal.histCalls)
	}
	s := plain(hs)
	mustContain(t, s, "Анна Петрова", "session 1040 · chat 3127 · Telegram · Sales",
		"Status         answered", "Pinned         no", "Started        17:00 · 1h ago", "Last activity  17:59 · now\n",
		"CRM            lead 12 · contact 7", "Operator       you",
		"Last messages, newest first", "17:30  you", "   Сейчас проверю.", "   Минуту.", "17:10  system", "Session started", "17:15  Анна Петрова\n    (no text)")
	// newest first
	if strings.Index(s, "17:59  Анна") > strings.Index(s, "17:30  you") {
		t.Error("messages are not newest first")
	}
	// sanitised: no escape sequence of the portal's reaches the screen
	if strings.Contains(hs.screen(), "pwned\x07") || strings.Contains(hs.screen(), "\x1b]0;") || strings.Contains(hs.screen(), "\x1b[31m") {
		t.Error("portal text reached the terminal unsanitised")
	}
	// wrapped by display width: no line wider than the screen, the long
	// Chinese text on several lines
	n := 0
	for _, l := range strings.Split(s, "\n") {
		if w := lipgloss.Width(l); w > 100 {
			t.Errorf("line %d cells wide: %q", w, l)
		}
		if strings.ContainsAny(l, "我想退货") {
			n++
		}
	}
	if n < 2 {
		t.Errorf("the long message takes %d lines, want it wrapped", n)
	}
}

func TestDetailsScrollAndClose(t *testing.T) {
	hs := detailHarness(t, 80, 14)
	hs.key("enter")
	top := plain(hs)
	mustContain(t, top, "Анна Петрова", "↓")
	hs.key("j", "j", "j")
	if hs.m.detail.scroll != 3 {
		t.Errorf("scroll %d after 3×j", hs.m.detail.scroll)
	}
	hs.key("pgdown", "pgdown", "pgdown", "pgdown")
	bottom := plain(hs)
	mustContain(t, bottom, "Session started", "↑")
	end := hs.m.detail.scroll
	hs.key("j")
	if hs.m.detail.scroll != end {
		t.Errorf("scrolled past the end: %d → %d", end, hs.m.detail.scroll)
	}
	hs.key("home")
	if hs.m.detail.scroll != 0 {
		t.Errorf("home: scroll %d", hs.m.detail.scroll)
	}
	if hs.selectedKey() != 1040 {
		t.Errorf("scrolling moved the selection to %d", hs.selectedKey())
	}
	hs.key("esc")
	if hs.m.detail != nil {
		t.Fatal("esc did not close the details")
	}
	hs.key("enter", "enter")
	if hs.m.detail != nil {
		t.Error("enter did not close the details")
	}
	if hs.m.hl.Len() != 0 || hs.m.status.kind != statusNone {
		t.Error("closing the details did something else")
	}
}

func TestDetailsDropStaleHistory(t *testing.T) {
	hs := detailHarness(t, 100, 40)
	first := hs.hold(keyMsg("enter")) // 1040's history, not answered yet
	hs.key("esc", "j", "enter")       // 1039 now
	if hs.m.detail.key != 1039 {
		t.Fatalf("details of %d", hs.m.detail.key)
	}
	for _, msg := range flatten(first) {
		if hm, ok := msg.(historyMsg); ok {
			hs.send(hm) // 1040's answer comes late
		}
	}
	if hs.m.detail.hist != nil && len(hs.m.detail.hist.Messages) > 0 {
		t.Error("the late answer for another session was shown")
	}
	mustNotContain(t, plain(hs), "Сейчас проверю")
}

func TestDetailsKeepASessionThatLeft(t *testing.T) {
	hs := detailHarness(t, 100, 40)
	hs.key("enter")
	hs.portal.set(func(f *fakePortal) { f.snap.Sessions[0].Status = api.StatusClose })
	hs.key("r")
	s := plain(hs)
	mustContain(t, s, "No longer in the list: closed, or passed to someone else.", "Анна Петрова")
}

func TestDetailsReloadWhenTheClientWrites(t *testing.T) {
	hs := detailHarness(t, 100, 40)
	hs.key("enter")
	hs.key("r") // nothing new: the list is read, the messages too (r asks for both)
	calls := hs.portal.histCalls
	hs.portal.set(func(f *fakePortal) {
		f.snap.Sessions[0].LastActivity = t0.Add(time.Second)
		f.snap.Sessions[0].LastMessage = "Алло?"
	})
	hs.fireRefresh()
	if hs.portal.histCalls != calls+1 {
		t.Errorf("history calls %d → %d, want one more after the client wrote", calls, hs.portal.histCalls)
	}
}

// fireRefresh delivers the armed timer that starts the next refresh.
func (hs *harness) fireRefresh() {
	hs.t.Helper()
	hs.clk.Add(10 * time.Second)
	seq, ok := hs.m.sched.Begin()
	if !ok {
		hs.t.Fatal("a refresh is under way")
	}
	hs.run(hs.m.fetch(seq))
}

func TestDetailsLoadFailureAndPinFromThePane(t *testing.T) {
	hs := detailHarness(t, 100, 40)
	hs.portal.set(func(f *fakePortal) {
		f.histErr = &api.Error{Code: "ACCESS_DENIED", Description: "Вы не можете открыть этот разговор"}
	})
	hs.key("enter")
	mustContain(t, plain(hs), "Could not load the messages: ACCESS_DENIED: Вы не можете открыть этот разговор.")
	hs.key("p") // pins the session in the pane
	if !pinnedNow(t, hs, 1040) || hs.m.detail == nil {
		t.Fatal("p in the details did not pin its session")
	}
	mustContain(t, plain(hs), "● pinned", "Pinned         yes")
	mustContain(t, hs.m.keyHelp(), "scroll", "close", "pin/unpin")
}

func TestDetailsRussian(t *testing.T) {
	hs := detailHarness(t, 100, 40, func(o *Options) { o.Lang = i18n.RU })
	hs.key("enter")
	s := strings.ReplaceAll(plain(hs), nbsp, " ")
	mustContain(t, s, "сессия 1040 · чат 3127", "Статус", "Закреплена", "нет", "Начата", "CRM", "лид 12 · контакт 7",
		"Последние сообщения, сначала новые", "17:30  вы", "17:10  система")
}

func TestDetailsDates(t *testing.T) {
	for _, c := range []struct {
		tx   *text
		at   time.Time
		want string
	}{
		{&english, t0.Add(-time.Hour), "17:00"},
		{&english, t0.Add(-30 * time.Hour), "Mar" + nbsp + "15 12:00"},
		{&russian, t0.Add(-30 * time.Hour), "15" + nbsp + "мар 12:00"},
		{&english, t0.AddDate(-1, 0, 0), "Mar" + nbsp + "16 2025 18:00"},
	} {
		if got := c.tx.at(c.at, t0); got != c.want {
			t.Errorf("%v: %q, want %q", c.at, got, c.want)
		}
	}
}

func TestDetailsDisabledWithoutSessions(t *testing.T) {
	hs := newHarness(t, 100, 40, nil).start()
	hs.key("enter")
	if hs.m.detail != nil {
		t.Fatal("details opened on nothing")
	}
	mustContain(t, plain(hs), "details: no session selected")
}
