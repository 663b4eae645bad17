package ui

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/i18n"
	"github.com/linedesk/linedesk/internal/state"
)

// Portal is what the dashboard needs from the REST client (*api.Client
// satisfies it).
type Portal interface {
	Snapshot(ctx context.Context) (api.Snapshot, error)
	UnpinAll(ctx context.Context) ([]int64, error)
}

// Options configure the dashboard.
type Options struct {
	Portal       Portal
	Host         string        // portal host for the header
	Profile      string        // the active configuration profile, shown in the header; "" = none
	Refresh      time.Duration // auto-refresh interval; 0 = off; (0,3s) is raised to 3s
	HighlightFor time.Duration // how long highlights stay; 0 = until esc (as the configuration's highlight = 0); DefaultHighlightFor is the usual
	Env          []string      // environment (for NO_COLOR etc.); nil = os.Environ()
	Now          func() time.Time

	Lang    i18n.Lang           // i18n.EN or i18n.RU; "" = EN
	Keys    map[string][]string // action → keys, action names from config.Actions; nil or a missing action = the default keys
	Columns []string            // column names in order, from config.Columns names: pin id client channel line status unread age message; nil = default
	Theme   string              // "auto" | "dark" | "light"; "" = auto
	Colors  map[string]string   // colour overrides by role (config.ColorRoles names), "#ffd75f" or "214"
}

// Sizes below which the dashboard shows "terminal too small".
const (
	MinWidth  = 50
	MinHeight = 10
)

// DefaultHighlightFor is how long the rows unpin-all returned usually stay
// highlighted (the configuration's default).
const DefaultHighlightFor = 60 * time.Second

const (
	refreshTimeout = 90 * time.Second  // one refresh, retries included
	unpinTimeout   = 120 * time.Second // one unpin-all, rate-limit waits included
	dialogNames    = 3                 // clients the dialog names
)

// Model is the dashboard's one root model. Children (table, dialog, help)
// are plain values drawn by View; the dialog and the help get keys first.
type Model struct {
	portal       Portal
	ctx          context.Context
	host         string
	profile      string
	highlightFor time.Duration // 0 = until cleared
	now          func() time.Time
	tx           *text // the language
	noColor      bool
	dark         bool
	themeFixed   bool // Options.Theme forced dark or light: the terminal's background is not asked
	colors       palette
	st           *styles
	keys         []binding

	clock         time.Time // the time of the message being handled; View draws at this time
	width, height int

	me     api.User
	list   state.List
	cursor state.Cursor
	hl     state.Highlights
	sched  state.Scheduler
	conn   state.Conn
	tbl    *tableView
	// idDigits is the digit count of the largest session ID listed.
	idDigits int

	status    status
	result    *unpinResult // the last unpin-all result, re-checked against each refresh
	dialog    *dialog      // nil = closed
	helpOpen  bool
	unpinning bool
	quitting  bool   // quit asked while unpin-all runs
	exitNote  string // printed by Run after the screen is restored
	spin      spinner.Model

	wakeGen uint64
	wakeAt  time.Time // when the armed wake-up fires; zero = none armed
	// after delivers msg after d (tea.Tick; tests replace it to see the
	// timer without waiting for it).
	after func(d time.Duration, msg tea.Msg) tea.Cmd
}

func tick(d time.Duration, msg tea.Msg) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}

type statusKind int

const (
	statusNone statusKind = iota
	statusInfo
	statusOK
	statusWarn
	statusErr
)

type status struct {
	kind statusKind
	text string
}

type unpinResult struct {
	ids []int64
}

// Messages: each command returns one of these and Update applies it.
type (
	snapshotMsg struct {
		seq  uint64
		snap api.Snapshot
		err  error
	}
	unpinMsg struct {
		ids []int64
		err error
	}
	wakeMsg struct{ gen uint64 }
)

// New returns the dashboard for opts. It does no IO: Init starts the first
// refresh.
func New(opts Options) Model {
	env := opts.Env
	if env == nil {
		env = os.Environ()
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	hf := max(opts.HighlightFor, 0)
	tx := textFor(opts.Lang)
	theme := strings.ToLower(strings.TrimSpace(opts.Theme))
	m := Model{
		portal:       opts.Portal,
		ctx:          context.Background(),
		host:         opts.Host,
		profile:      opts.Profile,
		highlightFor: hf,
		now:          now,
		tx:           tx,
		noColor:      noColorSet(env),
		dark:         theme != "light", // dark until the terminal says otherwise
		themeFixed:   theme == "dark" || theme == "light",
		colors:       parsePalette(opts.Colors),
		keys:         newKeymap(tx, opts.Keys),
		sched:        state.NewScheduler(opts.Refresh),
		spin:         spinner.New(spinner.WithSpinner(spinner.Dot)),
		after:        tick,
	}
	m.clock = now()
	st := newStyles(m.dark, m.noColor, m.colors)
	m.st = &st
	m.tbl = newTableView(m.st, tx, columnOrder(opts.Columns))
	m.sched.Begin() // refresh 1, started by Init
	return m
}

// Init starts the first refresh and, unless the theme is fixed, asks the
// terminal for its background.
func (m Model) Init() tea.Cmd {
	if m.themeFixed || m.noColor {
		return m.fetch(1)
	}
	return tea.Batch(m.fetch(1), tea.RequestBackgroundColor)
}

// Update applies one message. Each kind has its own small function; the
// wake-up timer is re-armed after every change.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.clock = m.now()
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		m, cmd = m.onKey(msg)
	case tea.WindowSizeMsg:
		m = m.onResize(msg.Width, msg.Height)
	case tea.BackgroundColorMsg:
		m = m.onBackground(msg.IsDark())
	case snapshotMsg:
		m, cmd = m.onSnapshot(msg)
	case unpinMsg:
		m, cmd = m.onUnpin(msg)
	case wakeMsg:
		m, cmd = m.onWake(msg)
	case spinner.TickMsg:
		if m.unpinning {
			m.spin, cmd = m.spin.Update(msg)
		}
	}
	m, arm := m.arm()
	return m, tea.Batch(cmd, arm)
}

func (m Model) onResize(w, h int) Model {
	m.width, m.height = w, h
	m.tbl.resize(w, m.idWidth())
	m.cursor.SetHeight(m.list, m.tableRows())
	return m
}

func (m Model) onBackground(dark bool) Model {
	if dark == m.dark || m.themeFixed {
		return m
	}
	m.dark = dark
	st := newStyles(dark, m.noColor, m.colors)
	m.st = &st
	m.tbl.restyle(m.st)
	return m
}

// idWidth is the ID column's width: the widest session ID listed.
func (m Model) idWidth() int { return max(2, m.idDigits) }

// tableRows is how many session rows fit: the screen minus the header,
// the column titles, the status line and the key help.
func (m Model) tableRows() int { return max(m.height-4, 1) }

func (m Model) tooSmall() bool { return m.width < MinWidth || m.height < MinHeight }

// fetch is the command for refresh seq.
func (m Model) fetch(seq uint64) tea.Cmd {
	p, ctx := m.portal, m.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
		defer cancel()
		snap, err := p.Snapshot(ctx)
		return snapshotMsg{seq: seq, snap: snap, err: err}
	}
}

// unpinAll is the command for the one unpin-all call.
func (m Model) unpinAll() tea.Cmd {
	p, ctx := m.portal, m.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, unpinTimeout)
		defer cancel()
		ids, err := p.UnpinAll(ctx)
		return unpinMsg{ids: ids, err: err}
	}
}

// refresh begins a refresh unless one is under way (then one follows it).
func (m Model) refresh() (Model, tea.Cmd) {
	seq, ok := m.sched.Begin()
	if !ok {
		return m, nil
	}
	return m, m.fetch(seq)
}

func (m Model) onSnapshot(msg snapshotMsg) (Model, tea.Cmd) {
	res := m.sched.End(msg.seq, m.clock, msg.err != nil)
	if res.Accepted {
		if msg.err != nil {
			m.conn.Failed(msg.err)
		} else {
			m = m.apply(msg.snap)
		}
	}
	if res.Again {
		return m.refresh()
	}
	return m, nil
}

// apply shows a new snapshot: the list, the selection following its
// session, the unpin-all result re-checked against what is listed.
func (m Model) apply(snap api.Snapshot) Model {
	old := m.list
	m.list, _ = m.list.Apply(snap.Sessions)
	m.me = snap.Me
	m.conn.Succeeded(m.clock)
	m.idDigits = 0
	for i := range m.list.Len() {
		m.idDigits = max(m.idDigits, digits(m.list.At(i).SessionID))
	}
	m.tbl.resize(m.width, m.idWidth())
	m.cursor.SetHeight(m.list, m.tableRows())
	m.cursor.Follow(old, m.list)
	if m.result != nil && m.status.kind != statusNone {
		m.status = m.resultStatus(m.result.ids)
	}
	if m.dialog != nil {
		m.dialog.fill(m.list, m.me.ID)
	}
	return m
}

// digits is the number of characters n takes in decimal.
func digits(n int64) int {
	d := 1
	if n < 0 {
		d++
		n = -n
	}
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}

func (m Model) onKey(k tea.KeyPressMsg) (Model, tea.Cmd) {
	names := keyNames(k)
	if slices.Contains(names, alwaysQuits) {
		return quit(m)
	}
	if m.tooSmall() {
		if m.is(names, actQuit) {
			return quit(m)
		}
		return m, nil
	}
	if m.dialog != nil {
		return m.dialogKey(names)
	}
	if m.helpOpen {
		switch {
		case m.is(names, actHelp), slices.Contains(names, helpAlsoEsc):
			m.helpOpen = false
		case m.is(names, actQuit):
			return quit(m)
		}
		return m, nil
	}
	b := m.lookup(names)
	if b == nil {
		return m, nil
	}
	if b.disabled != nil {
		if why := b.disabled(&m); why != "" {
			if !b.quiet {
				m.status = status{statusWarn, b.Help().Desc + ": " + why}
			}
			return m, nil
		}
	}
	return b.run(m)
}

func clearHighlights(m Model) (Model, tea.Cmd) {
	m.hl = state.Highlights{}
	if m.result != nil {
		m.result = nil
		m.status = status{}
	}
	return m, nil
}

func quit(m Model) (Model, tea.Cmd) {
	if m.unpinning {
		m.quitting = true
		m.status = status{statusWarn, m.tx.QuitWhenDone}
		return m, nil
	}
	return m, tea.Quit
}

func openDialog(m Model) (Model, tea.Cmd) {
	d := &dialog{}
	d.fill(m.list, m.me.ID)
	m.dialog = d
	m.helpOpen = false
	return m, nil
}

// confirm runs the one unpin-all call.
func (m Model) confirm() (Model, tea.Cmd) {
	m.dialog = nil
	if m.unpinning {
		return m, nil
	}
	m.unpinning = true
	m.status = status{statusInfo, m.tx.Unpinning}
	return m, tea.Batch(m.unpinAll(), m.spin.Tick)
}

// highlightUntil is when highlights set now expire: never (as good as)
// when they stay until cleared, and then no timer is armed for them.
func (m Model) highlightUntil() time.Time {
	if m.highlightFor == 0 {
		return untilCleared
	}
	return m.clock.Add(m.highlightFor)
}

// untilCleared is the expiry of highlights that stay until esc.
var untilCleared = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

func (m Model) onUnpin(msg unpinMsg) (Model, tea.Cmd) {
	m.unpinning = false
	// Whatever happened, the list is read again, and an answer to a
	// refresh begun before this point is dropped as stale.
	m.sched.Invalidate()
	switch {
	case msg.err == nil:
		m.result = &unpinResult{ids: msg.ids}
		m.hl = m.hl.Set(msg.ids, m.highlightUntil())
		m.list = m.list.WithUnpinned(msg.ids)
		m.status = m.resultStatus(msg.ids)
	case errors.Is(msg.err, api.ErrOutcomeUnknown):
		m.result = nil
		m.status = status{statusWarn, m.tx.Unknown}
	default:
		m.result = nil
		var ae *api.Error
		if !errors.As(msg.err, &ae) && errors.Is(msg.err, api.ErrUnreachable) {
			m.status = status{statusErr, m.tx.UnpinNotSent(m.tx.reason(msg.err))}
		} else if ae == nil {
			// Not a portal answer and not a known failure to connect: the
			// call may have run.
			m.status = status{statusWarn, m.tx.Unknown}
		} else {
			m.status = status{statusErr, m.tx.UnpinFailed(m.tx.reason(msg.err))}
		}
	}
	if m.quitting {
		m.exitNote = m.status.text
		return m, tea.Quit
	}
	return m.refresh()
}

// resultStatus is the status line for an unpin-all result, naming the IDs
// the list does not show.
func (m Model) resultStatus(ids []int64) status {
	if len(ids) == 0 {
		return status{statusOK, m.tx.NothingWas}
	}
	s := m.tx.Unpinned(ids)
	if _, missing := m.list.Split(ids); len(missing) > 0 {
		s += " " + m.tx.NotListed(missing)
	}
	return status{statusOK, s}
}

func (m Model) onWake(msg wakeMsg) (Model, tea.Cmd) {
	if msg.gen != m.wakeGen {
		return m, nil // an older timer
	}
	m.wakeAt = time.Time{}
	var gone []int64
	m.hl, gone = m.hl.Expire(m.clock)
	if len(gone) > 0 && m.hl.Len() == 0 && m.result != nil {
		m.result = nil
		m.status = status{}
	}
	if m.sched.IsDue(m.clock) {
		return m.refresh()
	}
	return m, nil
}

// arm makes sure one timer wakes the model at the next moment something
// must happen: an automatic refresh, a highlight expiring, or the clock
// text on screen changing. A timer already armed for an earlier moment is
// kept (it re-arms when it fires), so no timers pile up while idle.
func (m Model) arm() (Model, tea.Cmd) {
	next, ok := m.nextWake()
	if !ok {
		return m, nil
	}
	if !m.wakeAt.IsZero() && !m.wakeAt.After(next) {
		return m, nil
	}
	m.wakeGen++
	m.wakeAt = next
	gen := m.wakeGen
	d := max(next.Sub(m.clock), time.Millisecond)
	return m, m.after(d, wakeMsg{gen: gen})
}

// nextWake is the earliest of the due refresh, the first highlight expiry
// and the next change of the clock text on screen.
func (m Model) nextWake() (time.Time, bool) {
	var next time.Time
	take := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	if t, ok := m.sched.Due(); ok {
		take(t)
		take(m.clock.Add(untilCountdownChange(t.Sub(m.clock))))
	}
	if t, ok := m.hl.Next(); ok && t.Before(untilCleared) {
		take(t)
	}
	if m.conn.HasData() && !m.tooSmall() {
		take(m.clock.Add(untilChange(m.clock.Sub(m.conn.LastGood), true)))
		off := m.cursor.Offset()
		for i := off; i < min(off+m.tableRows(), m.list.Len()); i++ {
			take(m.clock.Add(untilChange(m.clock.Sub(m.list.At(i).LastActivity), false)))
		}
	}
	return next, !next.IsZero()
}
