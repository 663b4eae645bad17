package ui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/sanitize"
	"github.com/linedesk/linedesk/internal/state"
)

// View draws the screen at the time of the last message: header, column
// titles, the visible rows, the status line and the key help, with the
// dialog on top. Its cost depends on the rows visible, not on the list.
func (m Model) View() tea.View {
	v := tea.NewView(m.screen())
	v.AltScreen = true
	v.ReportFocus = true // notifications go out only while the window is not in focus
	v.Cursor = m.filterCursor()
	if m.host != "" {
		v.WindowTitle = m.tx.WindowTitle(sanitize.Line(m.host))
	} else {
		v.WindowTitle = m.tx.AppName
	}
	if !m.noColor {
		// only when the operator set them: the terminal's own are the default
		v.ForegroundColor, v.BackgroundColor = m.colors.get("fg"), m.colors.get("bg")
	}
	return v
}

func (m Model) screen() string {
	if m.width == 0 || m.height == 0 {
		return ""
	}
	if m.tooSmall() {
		return m.tooSmallScreen()
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, m.header())
	lines = append(lines, m.body()...)
	lines = append(lines, m.statusLine(), m.keyHelp())
	s := strings.Join(lines, "\n")
	if m.dialog != nil {
		box := m.dialog.render(m.st, m.tx, m.width)
		x := max((m.width-lipgloss.Width(box))/2, 0)
		y := max((m.height-lipgloss.Height(box))/2, 0)
		s = lipgloss.NewCompositor(lipgloss.NewLayer(s), lipgloss.NewLayer(box).X(x).Y(y).Z(1)).Render()
	}
	return s
}

func (m Model) tooSmallScreen() string {
	w := max(m.width, 1)
	msg := lipgloss.NewStyle().Width(w).Align(lipgloss.Center).Render(
		m.tx.TooSmall(m.width, m.height, MinWidth, MinHeight) + "\n\n" + m.tx.TooSmallQuit(m.firstKeyOf(actQuit)))
	if m.busy != bulkNone || m.quitting {
		msg += "\n\n" + lipgloss.NewStyle().Width(w).Align(lipgloss.Center).Render(m.status.text)
	}
	return lipgloss.Place(w, max(m.height, 1), lipgloss.Center, lipgloss.Center, msg)
}

// header: app, host (profile), operator on the left; connection state and
// when the data was updated (failing: its age and the next try) on the
// right.
func (m Model) header() string {
	st := m.st
	left := " " + m.tx.AppName + "  "
	who := sanitize.Line(m.host)
	if m.profile != "" {
		who += " (" + sanitize.Line(m.profile) + ")"
	}
	if name := sanitize.Line(m.me.FullName()); name != "" {
		who += " · " + name
	}
	stateText, stateStyle := m.connText()
	timing := m.timingText()
	restOf := func(n int) string { // the first n timing parts
		if n == 0 {
			return " "
		}
		return " · " + strings.Join(timing[:n], " · ") + " "
	}
	rest := restOf(len(timing))
	view := m.viewText()
	if view != "" {
		view = "  " + view + "  "
	}

	// Give way from the left: operator and host first, then the reason.
	// The filter and sort, when set, come before the timing.
	avail := m.width - lipgloss.Width(left)
	if view != "" {
		stateText = sanitize.Truncate(stateText, max(avail, 0))
		view = sanitize.Truncate(view, max(avail-lipgloss.Width(stateText), 0))
		rest = sanitize.Truncate(rest, max(avail-lipgloss.Width(stateText)-lipgloss.Width(view), 0))
		whoW := max(avail-lipgloss.Width(stateText)-lipgloss.Width(view)-lipgloss.Width(rest)-1, 0)
		if whoW < min(lipgloss.Width(who), 8) {
			whoW = 0 // a stub of a name says nothing
		}
		who = sanitize.Truncate(who, whoW)
	} else {
		// Then the retry countdown and the like, whole: "retry in 6s" cut
		// to "retry i…" says nothing. The data's age stays.
		for n := len(timing) - 1; n >= 1 && lipgloss.Width(stateText)+lipgloss.Width(rest) > avail-1; n-- {
			rest = restOf(n)
		}
		right := lipgloss.Width(stateText) + lipgloss.Width(rest)
		who = sanitize.Truncate(who, min(lipgloss.Width(who), max(avail-right-1, 0)))
		if lipgloss.Width(stateText)+lipgloss.Width(rest) > avail-lipgloss.Width(who)-1 {
			restW := min(lipgloss.Width(rest), max(avail/2, 0))
			rest = sanitize.Truncate(rest, restW)
			stateText = sanitize.Truncate(stateText, max(avail-lipgloss.Width(who)-1-lipgloss.Width(rest), 0))
		}
	}
	gap := max(m.width-lipgloss.Width(left)-lipgloss.Width(who)-lipgloss.Width(view)-lipgloss.Width(stateText)-lipgloss.Width(rest), 0)
	if view != "" {
		view = st.headerView.Render(view)
	}
	return st.headerApp.Render(left) + st.header.Render(who+strings.Repeat(" ", gap)) + view +
		stateStyle.Render(stateText) + st.headerDim.Render(rest)
}

// viewText is the filter and the sort in force, and a list the portal
// made too long to read whole; "" when the table shows every session in
// its usual order.
func (m Model) viewText() string {
	var parts []string
	if m.truncated {
		parts = append(parts, m.tx.Truncated(api.MaxListRows))
	}
	if m.query.Filtering() {
		parts = append(parts, m.tx.FilterShown(sanitize.Line(strings.TrimSpace(m.query.Filter)), m.shown.Len(), m.list.Len()))
	}
	if m.query.Sort != state.ByActivity {
		parts = append(parts, m.tx.SortedBy(m.tx.SortNames[int(m.query.Sort)]))
	}
	return strings.Join(parts, " · ")
}

// connText is the connection state, with its reason when failing.
func (m Model) connText() (string, lipgloss.Style) {
	st, tx := m.st, m.tx
	switch m.conn.Health {
	case state.Online:
		return "● " + tx.Online, st.online
	case state.RateLimited:
		return "◐ " + tx.RateLimited + ": " + tx.reason(m.conn.Err), st.rateLimited
	case state.Offline:
		return "✕ " + tx.Offline + ": " + tx.reason(m.conn.Err), st.offline
	case state.Failing:
		return "✕ " + tx.Failing + ": " + tx.reason(m.conn.Err), st.offline
	}
	return tx.Connecting, st.refreshing
}

// timingText is, in parts, how old the data is and, while refreshes fail, when the
// next try comes. Online, it is the time of the last update, which changes
// only when a refresh lands: a text that changed every second ("updated 4s
// ago · next in 6s") redrew the screen every second all shift long.
func (m Model) timingText() []string {
	tx := m.tx
	online := m.conn.Health == state.Online
	var parts []string
	if m.conn.HasData() {
		if online {
			parts = append(parts, tx.UpdatedAt(m.conn.LastGood.In(m.clock.Location()).Format("15:04:05")))
		} else {
			parts = append(parts, tx.DataOld(tx.compact(m.clock.Sub(m.conn.LastGood), true)))
		}
	}
	switch due, ok := m.sched.Due(); {
	case m.sched.InFlight():
		if m.conn.Health != state.Connecting {
			parts = append(parts, tx.Refreshing)
		}
	case ok && !online:
		parts = append(parts, tx.RetryIn(tx.countdown(due.Sub(m.clock))))
	case !ok && m.sched.Interval() == 0:
		parts = append(parts, tx.AutoOff)
	}
	return parts
}

// body is the column titles and the table rows (or the help, or a message
// when there is nothing to list), exactly height-2 lines.
func (m Model) body() []string {
	n := m.tableRows()
	lines := make([]string, 0, n+1)
	if m.helpOpen {
		return m.helpView(n + 1)
	}
	if m.detail != nil {
		return m.detailView(n + 1)
	}
	lines = append(lines, m.tbl.header())
	switch {
	case m.shown.Len() > 0:
		off := m.cursor.Offset()
		sel, _, _ := m.cursor.Selected()
		for i := off; i < min(off+n, m.shown.Len()); i++ {
			r := m.shown.At(i)
			look := lookPlain
			if m.hl.Has(r.Key) {
				look = lookHot
			}
			if i == sel {
				look |= lookCursor
			}
			lines = append(lines, m.tbl.row(r, look, m.clock))
		}
	case !m.conn.HasData() && m.conn.Err != nil:
		lines = append(lines, m.centred(m.tx.FirstLoadErr(m.tx.reason(m.conn.Err)), m.st.statusErr))
	case !m.conn.HasData():
		lines = append(lines, m.centred(m.tx.LoadingFrom(sanitize.Line(m.host)), m.st.dim))
	case m.list.Len() > 0:
		lines = append(lines, m.centred(m.tx.NoMatch(m.list.Len()), m.st.dim))
	default:
		lines = append(lines, m.centred(m.tx.NoSessions(m.firstKeyOf(actRefresh)), m.st.dim))
	}
	for len(lines) < n+1 {
		lines = append(lines, "")
	}
	return lines
}

func (m Model) centred(s string, st lipgloss.Style) string {
	s = sanitize.Truncate(s, m.width-2)
	return st.Render(lipgloss.PlaceHorizontal(m.width, lipgloss.Center, s))
}

// statusLine: the spinner and the last result or error on the left, the
// position in the list on the right.
func (m Model) statusLine() string {
	st := m.st
	right := ""
	switch {
	case m.shown.Len() > 0 && m.query.Filtering():
		sel, _, _ := m.cursor.Selected()
		right = m.tx.PositionOf(sel+1, m.shown.Len(), m.list.Len(), m.list.Pinned()) + " "
	case m.shown.Len() > 0:
		sel, _, _ := m.cursor.Selected()
		right = m.tx.Position(sel+1, m.list.Len(), m.list.Pinned()) + " "
	case m.list.Len() > 0:
		right = m.tx.PositionOf(0, 0, m.list.Len(), m.list.Pinned()) + " "
	}
	left := " "
	if m.spinning() {
		left += m.spin.View() + " "
	}
	if m.filtering {
		in := ansiTruncate(m.input.View(), max(m.width-lipgloss.Width(left)-lipgloss.Width(right)-1, 0))
		gap := max(m.width-lipgloss.Width(left)-lipgloss.Width(in)-lipgloss.Width(right), 0)
		return left + in + strings.Repeat(" ", gap) + st.dim.Render(right)
	}
	var style lipgloss.Style
	switch m.status.kind {
	case statusOK:
		style = st.statusOK
	case statusWarn:
		style = st.statusWarn
	case statusErr:
		style = st.statusErr
	default:
		style = st.statusInfo
	}
	textW := max(m.width-lipgloss.Width(left)-lipgloss.Width(right)-1, 0)
	text := sanitize.Truncate(m.status.text, textW)
	gap := max(m.width-lipgloss.Width(left)-lipgloss.Width(text)-lipgloss.Width(right), 0)
	return left + style.Render(text) + strings.Repeat(" ", gap) + st.dim.Render(right)
}

// keyHelp is the one-line help, generated from the keymap: disabled keys
// are drawn dimmed (and bracketed without colour); when the line is too
// narrow the least needed keys go first.
func (m Model) keyHelp() string {
	st := m.st
	type item struct {
		keys, desc string
		short      int
		plain      string
		off        bool
	}
	var items []item
	used := 1
	add := func(keys, desc string, short int, off bool) {
		if keys == "" {
			return // no key left for it
		}
		it := item{keys: keys, desc: desc, short: short, plain: keys + " " + desc, off: off}
		if it.off && st.noColor {
			it.plain = "(" + it.plain + ")"
		}
		items = append(items, it)
		used += lipgloss.Width(it.plain) + 2
	}
	off := func(k *binding) bool { return k.disabled != nil && k.disabled(&m) != "" }
	switch {
	case m.filtering:
		// what the keys do while the filter is typed
		add(m.tx.keyLabel("enter"), m.tx.KeyKeepFilter, 1, false)
		add(m.tx.keyLabel("esc"), m.tx.KeyClearFilter, 2, false)
		add(m.tx.keyLabel("up")+m.tx.keyLabel("down"), m.tx.KeyMove, 3, false)
		add(alwaysQuits, m.tx.KeyQuit, 4, false)
	case m.detail != nil:
		// the pane's own keys first, then what acts on its session
		up, down := find(m.keys, actUp), find(m.keys, actDown)
		add(m.tx.pairLabels(up.Keys(), down.Keys()), m.tx.KeyScroll, 2, false)
		add(m.tx.keyLabels(appendNew(find(m.keys, actDetails).Keys(), helpAlsoEsc), true), m.tx.KeyClose, 1, false)
		for i, name := range []string{actPin, actOpen, actCopyID, actCopyURL, actHelp, actQuit} {
			k := find(m.keys, name)
			add(k.shortHelp, k.shortDesc, 3+i, off(k))
		}
	default:
		for i := range m.keys {
			k := &m.keys[i]
			if k.short == 0 {
				continue
			}
			add(k.shortHelp, k.shortDesc, k.short, off(k))
		}
	}
	for used > m.width && len(items) > 0 {
		worst := 0
		for i, it := range items {
			if it.short > items[worst].short {
				worst = i
			}
		}
		used -= lipgloss.Width(items[worst].plain) + 2
		items = append(items[:worst], items[worst+1:]...)
	}
	var b strings.Builder
	b.WriteString(" ")
	for _, it := range items {
		if it.off {
			b.WriteString(st.helpOff.Render(it.plain))
		} else {
			b.WriteString(st.helpKey.Render(it.keys) + " " + st.helpDesc.Render(it.desc))
		}
		b.WriteString("  ")
	}
	return b.String()
}

// appendNew is keys with k added at the end unless it is there already.
func appendNew(keys []string, k string) []string {
	if slices.Contains(keys, k) {
		return keys
	}
	return append(slices.Clone(keys), k)
}

// helpView is the full help: every binding with why it is disabled now,
// what the markers mean and, after an undo, what happened to each
// session. It scrolls (helpScroll) when it does not fit; how to close it
// always shows. Exactly n lines.
func (m Model) helpView(n int) []string {
	content := m.helpContent()
	st, tx := m.st, m.tx
	closing := []string{"", " " + st.dim.Render(tx.HelpClose(m.keysOf(actHelp, helpAlsoEsc)))}
	room := max(n-len(closing), 0)
	from := max(min(m.helpScroll, len(content)-room), 0)
	lines := make([]string, 0, n)
	for i := from; i < len(content) && len(lines) < room; i++ {
		lines = append(lines, content[i])
	}
	for len(lines) < room {
		lines = append(lines, "")
	}
	if len(content) > room {
		arrows := "↓"
		switch {
		case from > 0 && from+room < len(content):
			arrows = "↑↓"
		case from > 0:
			arrows = "↑"
		}
		closing[1] += st.dim.Render(" · " + tx.HelpScroll(arrows))
	}
	lines = append(lines, closing...)
	for i, l := range lines {
		lines[i] = ansiTruncate(l, m.width)
	}
	for len(lines) < n {
		lines = append(lines, "")
	}
	return lines[:n]
}

// helpContent is the help's scrolling part.
func (m Model) helpContent() []string {
	st, tx := m.st, m.tx
	lines := []string{" " + st.dialogTitle.Render(tx.HelpTitle), ""}
	keyW := 0
	for _, k := range m.keys {
		keyW = max(keyW, lipgloss.Width(k.Help().Key))
	}
	for i := range m.keys {
		k := &m.keys[i]
		h := k.Help()
		if len(k.Keys()) == 0 {
			continue // every key it had went to another action
		}
		line := "   " + st.helpKey.Render(pad(h.Key, keyW, false)) + "   " + h.Desc
		if k.disabled != nil {
			if why := k.disabled(&m); why != "" {
				line += "  " + st.helpOff.Render("("+tx.DisabledBecause+why+")")
			}
		}
		lines = append(lines, line)
	}
	lines = append(lines, "")
	for _, l := range tx.Legend(m.firstKeyOf(actClear), tx.ColLast) {
		lines = append(lines, "   "+l)
	}
	if len(m.report) > 0 {
		lines = append(lines, "", " "+st.colTitle.Render(tx.LastUndo))
		for _, l := range m.report {
			lines = append(lines, "   "+l)
		}
	}
	return lines
}

// helpScrollBy moves the help by delta lines, within its length.
func (m Model) helpScrollBy(delta int) Model {
	n := m.tableRows() + 1 - 2
	m.helpScroll = max(min(m.helpScroll+delta, len(m.helpContent())-n), 0)
	return m
}
