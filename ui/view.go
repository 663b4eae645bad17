package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/linedesk/linedesk/internal/sanitize"
	"github.com/linedesk/linedesk/internal/state"
)

// View draws the screen at the time of the last message: header, column
// titles, the visible rows, the status line and the key help, with the
// dialog on top. Its cost depends on the rows visible, not on the list.
func (m Model) View() tea.View {
	v := tea.NewView(m.screen())
	v.AltScreen = true
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
	if m.unpinning || m.quitting {
		msg += "\n\n" + lipgloss.NewStyle().Width(w).Align(lipgloss.Center).Render(m.status.text)
	}
	return lipgloss.Place(w, max(m.height, 1), lipgloss.Center, lipgloss.Center, msg)
}

// header: app, host (profile), operator on the left; connection state,
// data age and the next refresh on the right.
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
	rest := m.timingText()
	if rest != "" {
		rest = " · " + rest
	}
	rest += " "

	// Give way from the left: operator and host first, then the reason.
	avail := m.width - lipgloss.Width(left)
	right := lipgloss.Width(stateText) + lipgloss.Width(rest)
	whoW := min(lipgloss.Width(who), max(avail-right-1, 0))
	who = sanitize.Truncate(who, whoW)
	if lipgloss.Width(stateText)+lipgloss.Width(rest) > avail-lipgloss.Width(who)-1 {
		restW := min(lipgloss.Width(rest), max(avail/2, 0))
		rest = sanitize.Truncate(rest, restW)
		stateText = sanitize.Truncate(stateText, max(avail-lipgloss.Width(who)-1-lipgloss.Width(rest), 0))
	}
	gap := max(m.width-lipgloss.Width(left)-lipgloss.Width(who)-lipgloss.Width(stateText)-lipgloss.Width(rest), 0)
	return st.headerApp.Render(left) + st.header.Render(who+strings.Repeat(" ", gap)) +
		stateStyle.Render(stateText) + st.headerDim.Render(rest)
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

// timingText is how old the data is and when the next refresh comes.
func (m Model) timingText() string {
	tx := m.tx
	var parts []string
	if m.conn.HasData() {
		age := tx.compact(m.clock.Sub(m.conn.LastGood), true)
		if m.conn.Health == state.Online {
			parts = append(parts, tx.UpdatedAgo(age))
		} else {
			parts = append(parts, tx.DataOld(age))
		}
	}
	switch due, ok := m.sched.Due(); {
	case m.sched.InFlight():
		if m.conn.Health != state.Connecting {
			parts = append(parts, tx.Refreshing)
		}
	case ok && m.conn.Health == state.Online:
		parts = append(parts, tx.NextIn(tx.countdown(due.Sub(m.clock))))
	case ok:
		parts = append(parts, tx.RetryIn(tx.countdown(due.Sub(m.clock))))
	case m.sched.Interval() == 0:
		parts = append(parts, tx.AutoOff)
	}
	return strings.Join(parts, " · ")
}

// body is the column titles and the table rows (or the help, or a message
// when there is nothing to list), exactly height-2 lines.
func (m Model) body() []string {
	n := m.tableRows()
	lines := make([]string, 0, n+1)
	if m.helpOpen {
		return m.helpView(n + 1)
	}
	lines = append(lines, m.tbl.header())
	switch {
	case m.list.Len() > 0:
		off := m.cursor.Offset()
		sel, _, _ := m.cursor.Selected()
		for i := off; i < min(off+n, m.list.Len()); i++ {
			r := m.list.At(i)
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
	if m.list.Len() > 0 {
		sel, _, _ := m.cursor.Selected()
		right = m.tx.Position(sel+1, m.list.Len(), m.list.Pinned()) + " "
	}
	left := " "
	if m.unpinning {
		left += m.spin.View() + " "
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
		k     *binding
		plain string
		off   bool
	}
	var items []item
	used := 1
	for i := range m.keys {
		k := &m.keys[i]
		if k.short == 0 {
			continue
		}
		if k.shortHelp == "" {
			continue // no key left for it
		}
		it := item{k: k, plain: k.shortHelp + " " + k.shortDesc, off: k.disabled != nil && k.disabled(&m) != ""}
		if it.off && st.noColor {
			it.plain = "(" + it.plain + ")"
		}
		items = append(items, it)
		used += lipgloss.Width(it.plain) + 2
	}
	for used > m.width && len(items) > 0 {
		worst := 0
		for i, it := range items {
			if it.k.short > items[worst].k.short {
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
			b.WriteString(st.helpKey.Render(it.k.shortHelp) + " " + st.helpDesc.Render(it.k.shortDesc))
		}
		b.WriteString("  ")
	}
	return b.String()
}

// helpView is the full help: every binding with why it is disabled now,
// and what the markers mean. Exactly n lines.
func (m Model) helpView(n int) []string {
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
	closing := []string{"", " " + st.dim.Render(tx.HelpClose(m.keysOf(actHelp, helpAlsoEsc)))}
	legend := tx.Legend(m.firstKeyOf(actClear), tx.ColLast)
	// On a short screen the legend goes first, then keys; how to close
	// the help always shows.
	if len(lines)+1+len(legend)+len(closing) <= n {
		lines = append(lines, "")
		for _, l := range legend {
			lines = append(lines, "   "+l)
		}
	}
	if len(lines)+len(closing) > n {
		lines = lines[:max(n-len(closing), 0)]
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
