package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"github.com/linedesk/linedesk/internal/api"
)

var t0 = time.Date(2026, 3, 16, 18, 0, 0, 0, time.UTC)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fakePortal answers from fields a test sets; it counts calls.
type fakePortal struct {
	mu         sync.Mutex
	snap       api.Snapshot
	snapErr    error
	unpinIDs   []int64
	unpinErr   error
	snapCalls  int
	unpinCalls int

	pinAllIDs   []int64
	pinAllErr   error
	pinAllCalls int
	pinErr      error           // Pin's answer
	pinCalls    []pinCall       // Pin and PinMany calls, in order
	pinMany     map[int64]error // PinMany's answer per chat (nil: done)
	pinManyErr  error
	hist        map[int64]api.History // History's answer by session ID
	histErr     error
	histCalls   int
}

type pinCall struct {
	chats []int64
	pin   bool
	many  bool
}

func (f *fakePortal) PinAll(context.Context) ([]int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pinAllCalls++
	if f.pinAllErr != nil {
		return nil, f.pinAllErr
	}
	for i := range f.snap.Sessions {
		for _, id := range f.pinAllIDs {
			if f.snap.Sessions[i].SessionID == id {
				f.snap.Sessions[i].Pinned = true
			}
		}
	}
	return append([]int64(nil), f.pinAllIDs...), nil
}

// setPinned marks the session of chat pinned or not; f.mu is held.
func (f *fakePortal) setPinned(chat int64, pin bool) {
	for i := range f.snap.Sessions {
		if f.snap.Sessions[i].ChatID == chat {
			f.snap.Sessions[i].Pinned = pin
		}
	}
}

func (f *fakePortal) Pin(_ context.Context, chat int64, pin bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pinCalls = append(f.pinCalls, pinCall{chats: []int64{chat}, pin: pin})
	if f.pinErr != nil {
		return f.pinErr
	}
	f.setPinned(chat, pin)
	return nil
}

func (f *fakePortal) PinMany(_ context.Context, chats []int64, pin bool) ([]api.PinResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pinCalls = append(f.pinCalls, pinCall{chats: append([]int64(nil), chats...), pin: pin, many: true})
	out := make([]api.PinResult, 0, len(chats))
	for _, c := range chats {
		r := api.PinResult{ChatID: c}
		switch err := f.pinMany[c]; {
		case f.pinManyErr != nil:
			r.Outcome, r.Err = api.PinUnknown, f.pinManyErr
		case err == nil:
			f.setPinned(c, pin)
		case errors.Is(err, api.ErrOutcomeUnknown):
			r.Outcome, r.Err = api.PinUnknown, err
		case errors.Is(err, api.ErrNotExecuted):
			r.Outcome, r.Err = api.PinNotSent, err
		default:
			r.Outcome, r.Err = api.PinRefused, err
		}
		out = append(out, r)
	}
	return out, f.pinManyErr
}

func (f *fakePortal) History(_ context.Context, sessionID, chatID int64) (api.History, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.histCalls++
	if f.histErr != nil {
		return api.History{}, f.histErr
	}
	h := f.hist[sessionID]
	h.SessionID, h.ChatID = sessionID, chatID
	return h, nil
}

func (f *fakePortal) Snapshot(context.Context) (api.Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.snapCalls++
	if f.snapErr != nil {
		return api.Snapshot{}, f.snapErr
	}
	s := f.snap
	// A copy of each session, as a client without sharing would read
	// them: a test changes the portal's sessions in place.
	s.Sessions = make([]*api.Session, len(f.snap.Sessions))
	for i, x := range f.snap.Sessions {
		c := *x
		s.Sessions[i] = &c
	}
	return s, nil
}

func (f *fakePortal) UnpinAll(context.Context) ([]int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.unpinCalls++
	if f.unpinErr != nil {
		return nil, f.unpinErr
	}
	// like the portal: what it unpins is no longer pinned
	for i := range f.snap.Sessions {
		for _, id := range f.unpinIDs {
			if f.snap.Sessions[i].SessionID == id {
				f.snap.Sessions[i].Pinned = false
			}
		}
	}
	return append([]int64(nil), f.unpinIDs...), nil
}

func (f *fakePortal) set(fn func(f *fakePortal)) { f.mu.Lock(); fn(f); f.mu.Unlock() }

var (
	clients = []string{
		"Анна Петрова", "John Smith", "王小明", "María José Núñez", "Ольга Смирнова-Кузнецова",
		"Ahmed 🙂 Karim", "Dmitry", "Светлана", "Lee Ji-eun", "Guest #4411",
	}
	connectors = []string{"telegrambot", "livechat", "whatsappbyedna", "vkgroup", "avito", "imessage"}
	lines      = []string{"Sales", "Поддержка", "Returns and exchanges"}
	statuses   = []api.Status{api.StatusOperator, api.StatusClient, api.StatusNew, api.StatusAnswer, api.StatusWaitClient, api.StatusClientAfterOperator}
	messages   = []string{
		"Здравствуйте! Подскажите, где мой заказ №48213?",
		"Thanks, that solved it",
		"你好，我想退货",
		"Can I change the delivery address to the office instead?",
		"👍",
		"Добрый день, оплата не проходит картой Мир, пишет ошибку 05",
	}
)

// fixture is n current sessions, deterministic, newest first, with IDs
// descending from 1000+n and every 4th one pinned.
func fixture(n int) []api.Session {
	out := make([]api.Session, n)
	for i := range out {
		id := int64(1000 + n - i)
		out[i] = api.Session{
			SessionID: id, ChatID: id*3 + 7, DialogID: fmt.Sprintf("chat%d", id*3+7),
			LineID: int64(i%3 + 1), LineName: lines[i%3], Connector: connectors[i%len(connectors)],
			Client: clients[i%len(clients)], Title: clients[i%len(clients)] + " - Telegram",
			Status: statuses[i%len(statuses)], StatusKnown: true, Pinned: i%4 == 1,
			Unread: (i * 7) % 5, LastMessage: messages[i%len(messages)], LastAuthorID: int64(i % 2),
			LastActivity: t0.Add(-time.Duration(i)*97*time.Second - 20*time.Second),
			Started:      t0.Add(-time.Duration(i+1) * time.Hour), OwnerID: 1,
		}
	}
	return out
}

// ptrs lists sessions the way a snapshot does.
func ptrs(ss []api.Session) []*api.Session {
	out := make([]*api.Session, len(ss))
	for i := range ss {
		out[i] = &ss[i]
	}
	return out
}

func snapshot(ss []api.Session) api.Snapshot {
	return api.Snapshot{Me: api.User{ID: 1, Name: "Мария", LastName: "Иванова"}, Sessions: ptrs(ss), Fetched: t0, Requests: 1}
}

// harness drives a Model directly: keys and messages in, commands run
// synchronously; timers are recorded instead of waited for.
type harness struct {
	t      testing.TB
	m      Model
	clk    *clock
	portal *fakePortal
	timers []timer // armed wake-ups, oldest first
}

type timer struct {
	d   time.Duration
	msg tea.Msg
}

func newHarness(t testing.TB, w, h int, sessions []api.Session, opt ...func(*Options)) *harness {
	t.Helper()
	hs := &harness{t: t, clk: &clock{t: t0}, portal: &fakePortal{snap: snapshot(sessions)}}
	o := Options{Portal: hs.portal, Host: "acme.bitrix24.ru", Refresh: 10 * time.Second, HighlightFor: DefaultHighlightFor, Env: []string{"TERM=xterm-256color"}, Now: hs.clk.Now}
	for _, f := range opt {
		f(&o)
	}
	hs.m = New(o)
	hs.m.after = func(d time.Duration, msg tea.Msg) tea.Cmd {
		return func() tea.Msg { return armed{timer{d, msg}} }
	}
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hs
}

// armed reports a timer the model set (see harness.m.after).
type armed struct{ timer }

// start runs Init: the first refresh is answered by the fake portal.
func (hs *harness) start() *harness {
	hs.run(hs.m.Init())
	return hs
}

// send applies msg and runs the commands it returned.
func (hs *harness) send(msg tea.Msg) []tea.Msg {
	hs.t.Helper()
	mm, cmd := hs.m.Update(msg)
	hs.m = mm.(Model)
	return hs.run(cmd)
}

// hold applies msg and returns its command without running it.
func (hs *harness) hold(msg tea.Msg) tea.Cmd {
	mm, cmd := hs.m.Update(msg)
	hs.m = mm.(Model)
	return cmd
}

// run executes a command tree; timers are recorded, spinner ticks and
// quits are returned, everything else is fed back into Update.
func (hs *harness) run(cmd tea.Cmd) []tea.Msg {
	hs.t.Helper()
	var out []tea.Msg
	for _, msg := range flatten(cmd) {
		switch msg := msg.(type) {
		case armed:
			hs.timers = append(hs.timers, msg.timer)
		case tea.QuitMsg:
			out = append(out, msg)
		case snapshotMsg, bulkMsg, pinMsg, undoMsg, historyMsg, journalMsg, lastBulkMsg, openMsg:
			out = append(out, msg)
			out = append(out, hs.send(msg)...)
		default:
			out = append(out, msg) // spinner ticks, background query
		}
	}
	return out
}

// flatten runs cmd and any batch it returns, collecting the messages.
func flatten(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, flatten(c)...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

func (hs *harness) key(keys ...string) []tea.Msg {
	hs.t.Helper()
	var out []tea.Msg
	for _, k := range keys {
		out = append(out, hs.send(keyMsg(k))...)
	}
	return out
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+r":
		return tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}
	case "f1":
		return tea.KeyPressMsg{Code: tea.KeyF1}
	}
	r := []rune(k)
	if len(r) != 1 {
		panic("unknown test key " + k)
	}
	if unicode.IsUpper(r[0]) {
		return tea.KeyPressMsg{Code: unicode.ToLower(r[0]), ShiftedCode: r[0], Text: k, Mod: tea.ModShift}
	}
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// fire delivers the newest armed timer after moving the clock to it.
func (hs *harness) fire() []tea.Msg {
	hs.t.Helper()
	if len(hs.timers) == 0 {
		hs.t.Fatal("no timer armed")
	}
	// The newest wake-up is the one the model waits for: a refresh answered
	// inside the same batch may have armed it before an older one came out
	// of the batch. Older wake-ups would fire and be ignored; drop them.
	i := len(hs.timers) - 1
	newest := -1
	for j, tm := range hs.timers {
		if w, ok := tm.msg.(wakeMsg); ok && (newest < 0 || w.gen > hs.timers[newest].msg.(wakeMsg).gen) {
			newest = j
		}
	}
	if newest >= 0 {
		tm := hs.timers[newest]
		kept := hs.timers[:0]
		for _, tm := range hs.timers {
			if _, ok := tm.msg.(wakeMsg); !ok {
				kept = append(kept, tm)
			}
		}
		hs.timers = kept
		hs.clk.Add(tm.d)
		return hs.send(tm.msg)
	}
	tm := hs.timers[i]
	hs.timers = hs.timers[:i]
	hs.clk.Add(tm.d)
	return hs.send(tm.msg)
}

func (hs *harness) screen() string { return hs.m.View().Content }

func (hs *harness) selectedKey() int64 {
	_, k, ok := hs.m.cursor.Selected()
	if !ok {
		return 0
	}
	return k
}

func hasQuit(msgs []tea.Msg) bool {
	for _, m := range msgs {
		if _, ok := m.(tea.QuitMsg); ok {
			return true
		}
	}
	return false
}

func countMsgs[T any](msgs []tea.Msg) int {
	n := 0
	for _, m := range msgs {
		if _, ok := m.(T); ok {
			n++
		}
	}
	return n
}

func tWin(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// errRefused is a refresh that found the portal refusing connections.
var errRefused = fmt.Errorf("%w: %w", api.ErrUnreachable, syscall.ECONNREFUSED)
