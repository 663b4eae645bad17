package ui

import (
	"context"
	"os"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/i18n"
	"github.com/linedesk/linedesk/internal/journal"
	"github.com/linedesk/linedesk/internal/state"
)

// Portal is what the dashboard needs from the REST client (*api.Client
// satisfies it).
type Portal interface {
	Snapshot(ctx context.Context) (api.Snapshot, error)
	UnpinAll(ctx context.Context) ([]int64, error)
	PinAll(ctx context.Context) ([]int64, error)
	Pin(ctx context.Context, chatID int64, pin bool) error
	PinMany(ctx context.Context, chatIDs []int64, pin bool) ([]api.PinResult, error)
	History(ctx context.Context, sessionID, chatID int64) (api.History, error)
}

// Notify says how the dashboard tells an operator whose terminal is not
// in focus that a session arrived or a client wrote (from the
// configuration's notifications). The zero value tells nothing.
type Notify struct {
	Bell    bool // ring the terminal bell
	Desktop bool // a desktop notification (OSC 9, or OSC 777 where the terminal takes that)
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

	// Journal records every bulk action, undo and pin made here, and
	// holds the last bulk action that U can undo after a restart; nil =
	// nothing is recorded and U undoes only this run's actions.
	Journal *journal.Journal
	Notify  Notify
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
	unpinTimeout   = 120 * time.Second // one bulk action or undo, rate-limit waits included
	pinTimeout     = 60 * time.Second  // one pin
	historyTimeout = 60 * time.Second  // one session's messages
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

	me        api.User
	truncated bool       // the portal listed more than api.MaxListRows rows; the newest were read
	list      state.List // every current session, as the portal last said (bulk actions act on these)
	shown     state.List // list filtered and sorted: the table's rows, which the cursor moves over
	// closed are the last snapshot's sessions that are not current (the
	// list keeps only current ones): undo says of these that they closed.
	// The snapshot itself is not kept, so 10,000 sessions live once.
	closed map[int64]*api.Session
	query  state.Query // the filter and the sort
	cursor state.Cursor
	hl     state.Highlights
	sched  state.Scheduler
	conn   state.Conn
	trail  state.Trail // status changes seen, for the details
	tbl    *tableView
	// idDigits is the digit count of the largest session ID listed.
	idDigits int

	status   status
	result   *bulkResult // the last bulk result, re-checked against each refresh
	dialog   *dialog     // nil = closed
	helpOpen bool
	busy     bulkKind // the bulk action or undo under way
	quitting bool     // quit asked while something was under way
	exitNote string   // printed by Run after the screen is restored
	spin     spinner.Model

	helpScroll int             // the first line of the help shown
	filtering  bool            // the filter input has the keys
	input      textinput.Model // the filter as typed
	detail     *detailPane     // nil = closed
	histSeq    uint64          // number of the last history load; older answers are dropped

	pins      map[int64]pinOp // single pins under way, by key (copied on write)
	confirm   map[int64]bool  // pins the portal accepted, checked by the next refresh (copied on write)
	journal   *journal.Journal
	last      *journal.Last // the last bulk action of this portal and operator; nil = none known
	lastAsked bool          // the journal was asked for it
	plan      *journal.Plan // what undo would do now; nil when there is nothing to undo
	writing   int           // journal appends under way (quit waits for them)
	report    []string      // the last undo, session by session, for the help

	notify   Notify
	env      []string
	focused  bool // false once the terminal said it lost focus
	throttle state.Throttle
	// openURL starts a browser on url; nil when none can start here.
	openURL func(url string) error

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

// bulkKind is a bulk action: unpin-all, pin-all, or an undo of one.
type bulkKind int

const (
	bulkNone bulkKind = iota
	bulkUnpin
	bulkPin
	bulkUndo
)

// bulkResult is the last bulk action's outcome as the status line shows
// it: the sessions it changed.
type bulkResult struct {
	note string // the journal could not be written
	kind bulkKind
	ids  []int64
	undo *undoMsg // for bulkUndo
}

// pinOp is a single pin under way.
type pinOp struct {
	want bool // pin (true) or unpin
}

// Messages: each command returns one of these and Update applies it.
type (
	snapshotMsg struct {
		seq  uint64
		snap api.Snapshot
		err  error
	}
	bulkMsg struct {
		kind bulkKind // bulkUnpin or bulkPin
		ids  []int64
		err  error
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
		journal:      opts.Journal,
		notify:       opts.Notify,
		env:          env,
		focused:      true,
		openURL:      browserFor(env),
	}
	m.query = state.Query{Channel: func(c string) string { return channelName(tx, c) }}
	m.clock = now()
	st := newStyles(m.dark, m.noColor, m.colors)
	m.st = &st
	m.tbl = newTableView(m.st, tx, columnOrder(opts.Columns))
	m.input = newFilterInput(m.st)
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
	case tea.PasteMsg:
		m, cmd = m.onPaste(msg)
	case tea.FocusMsg:
		m.focused = true
	case tea.BlurMsg:
		m.focused = false
	case snapshotMsg:
		m, cmd = m.onSnapshot(msg)
	case bulkMsg:
		m, cmd = m.onBulk(msg)
	case pinMsg:
		m, cmd = m.onPin(msg)
	case undoMsg:
		m, cmd = m.onUndo(msg)
	case historyMsg:
		m = m.onHistory(msg)
	case journalMsg:
		m, cmd = m.onJournal(msg)
	case lastBulkMsg:
		m = m.onLastBulk(msg)
	case openMsg:
		m, cmd = m.onOpen(msg)
	case wakeMsg:
		m, cmd = m.onWake(msg)
	case spinner.TickMsg:
		if m.spinning() {
			m.spin, cmd = m.spin.Update(msg)
		}
	}
	if m.quitting && !m.inFlight() {
		if m.exitNote == "" {
			m.exitNote = m.status.text
		}
		return m, tea.Batch(cmd, tea.Quit)
	}
	m, arm := m.arm()
	return m, tea.Batch(cmd, arm)
}

// inFlight reports whether something the operator started is under way
// that quitting would lose: a bulk action, a pin, a journal write.
func (m Model) inFlight() bool { return m.busy != bulkNone || len(m.pins) > 0 || m.writing > 0 }

// spinning reports whether the spinner shows: something is under way.
func (m Model) spinning() bool {
	return m.busy != bulkNone || len(m.pins) > 0 || (m.detail != nil && m.detail.loading)
}

// spinStart is the spinner's tick when it was not spinning before (the
// spinner drops ticks of a chain it did not start last, so an extra one
// does no harm).
func (m Model) spinStart(was bool) tea.Cmd {
	if was || !m.spinning() {
		return nil
	}
	return m.spin.Tick
}

func (m Model) onResize(w, h int) Model {
	m.width, m.height = w, h
	m.tbl.resize(w, m.idWidth())
	m.cursor.SetHeight(m.shown, m.tableRows())
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
	m.input = styleFilterInput(m.input, m.st)
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
	var cmds []tea.Cmd
	if res.Accepted {
		if msg.err != nil {
			m.conn.Failed(msg.err)
		} else {
			var cmd tea.Cmd
			m, cmd = m.apply(msg.snap)
			cmds = append(cmds, cmd)
		}
	}
	if res.Again {
		var cmd tea.Cmd
		m, cmd = m.refresh()
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

// apply shows a new snapshot: the list (with the pins under way still
// shown as asked), the selection following its session, the last result
// re-checked against what is listed, the dialog and the undo plan worked
// out again. Sessions that arrived or got a first message notify.
func (m Model) apply(snap api.Snapshot) (Model, tea.Cmd) {
	first := !m.conn.HasData()
	old := m.list
	var ch state.Changes
	m.list, ch = m.list.Apply(snap.Sessions)
	for k, op := range m.pins {
		m.list = m.list.WithPinned([]int64{k}, op.want)
	}
	m.closed = closedOf(snap.Sessions)
	m.me, m.truncated = snap.Me, snap.Truncated
	m.conn.Succeeded(m.clock)
	m.trail = m.trail.Observe(old, m.list, ch, m.clock)
	m.idDigits = 0
	for i := range m.list.Len() {
		m.idDigits = max(m.idDigits, digits(m.list.At(i).SessionID))
	}
	m.tbl.resize(m.width, m.idWidth())
	m = m.reselect()
	m = m.checkPins()
	if m.result != nil && m.status.kind != statusNone {
		m.status = m.resultStatus(*m.result)
	}
	m = m.replan()
	if m.dialog != nil {
		m.dialog.fill(&m)
	}
	m, dcmd := m.keepDetail()
	cmds := []tea.Cmd{dcmd}
	if first {
		cmds = append(cmds, m.readLastBulk())
	} else {
		var cmd tea.Cmd
		m, cmd = m.notifyOf(state.Events(old, m.list, ch))
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

// reselect works out the rows shown from the list and the query, keeping
// the selection on its session (or the nearest one still shown).
func (m Model) reselect() Model {
	old := m.shown
	m.shown = m.list.Select(m.query)
	m.cursor.SetHeight(m.shown, m.tableRows())
	m.cursor.Follow(old, m.shown)
	return m
}

// setList replaces the list after an action changed it (no refresh) and
// keeps what depends on it in step.
func (m Model) setList(l state.List) Model {
	m.list = l
	m = m.reselect()
	m = m.replan()
	if m.dialog != nil {
		m.dialog.fill(&m)
	}
	return m
}

// selected is the session the selection or the open details are on.
func (m *Model) selected() (api.Session, bool) {
	if m.detail != nil {
		if s, ok := m.list.Session(m.detail.key); ok {
			return s, true
		}
		s := m.detail.session // as last listed
		return s, s.SessionID != 0 || s.ChatID != 0
	}
	_, key, ok := m.cursor.Selected()
	if !ok {
		return api.Session{}, false
	}
	return m.list.Session(key)
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
		page := max(m.tableRows()-2, 1)
		switch {
		case m.is(names, actHelp), slices.Contains(names, helpAlsoEsc):
			m.helpOpen = false
		case m.is(names, actQuit):
			return quit(m)
		case m.is(names, actUp):
			m = m.helpScrollBy(-1)
		case m.is(names, actDown):
			m = m.helpScrollBy(1)
		case m.is(names, actPageUp):
			m = m.helpScrollBy(-page)
		case m.is(names, actPageDown):
			m = m.helpScrollBy(page)
		case m.is(names, actTop):
			m = m.helpScrollBy(-1 << 30)
		case m.is(names, actBottom):
			m = m.helpScrollBy(1 << 30)
		}
		return m, nil
	}
	if m.filtering {
		return m.filterKey(k)
	}
	if m.detail != nil {
		if mm, cmd, done := m.detailKey(names); done {
			return mm, cmd
		}
	}
	if slices.Contains(names, filterAlsoEsc) && m.query.Filtering() {
		return m.clearFilter(), nil
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
	if m.inFlight() {
		m.quitting = true
		m.status = status{statusWarn, m.tx.QuitWhenDone}
		return m, nil
	}
	return m, tea.Quit
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
	// Online, the header shows the time of the last update, which changes
	// only with a refresh; while failing, the data's age and the countdown
	// to the next try tick.
	ticking := m.conn.Health != state.Online && !m.tooSmall()
	if t, ok := m.sched.Due(); ok {
		take(t)
		if ticking {
			take(m.clock.Add(untilCountdownChange(t.Sub(m.clock))))
		}
	}
	if t, ok := m.hl.Next(); ok && t.Before(untilCleared) {
		take(t)
	}
	if ticking && m.conn.HasData() {
		take(m.clock.Add(untilChange(m.clock.Sub(m.conn.LastGood), true)))
	}
	// While a refresh runs, the rows' ages (minutes apart) wait for it to
	// land and arm the next wake-up: a far timer armed now would be
	// superseded and linger (a tea.Tick is a goroutine until it fires).
	if m.conn.HasData() && !m.tooSmall() && !m.sched.InFlight() {
		off := m.cursor.Offset()
		for i := off; i < min(off+m.tableRows(), m.shown.Len()); i++ {
			take(m.clock.Add(untilChange(m.clock.Sub(m.shown.At(i).LastActivity), false)))
		}
	}
	return next, !next.IsZero()
}
