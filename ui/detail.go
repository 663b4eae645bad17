package ui

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/i18n"
	"github.com/linedesk/linedesk/internal/sanitize"
	"github.com/linedesk/linedesk/internal/state"
)

// detailPane is the closer look at one session (enter): what the list
// knows of it, the status changes seen while the dashboard ran, and its
// last messages, which a command loads. It takes the table's place; the
// movement keys scroll it, esc or enter close it.
type detailPane struct {
	key     int64
	scroll  int
	seq     uint64    // the history load this pane waits for
	asOf    time.Time // the session's last activity when the history was asked for
	loading bool
	hist    *api.History
	err     error

	// Filled in by the model before each Render.
	session api.Session
	listed  bool // false once the session left the list (closed)
	trail   []state.StatusChange
	me      int64
	now     time.Time
	spin    string
	tx      *text
	st      *styles
}

// historyMsg is the answer to one history load.
type historyMsg struct {
	seq  uint64
	key  int64
	hist api.History
	err  error
}

// detailMessages is how many of the last messages the pane shows.
const detailMessages = 50

// detailBodyLines is the most lines a message's text is wrapped to; the
// rest is cut with an ellipsis (a message of a megabyte must not make the
// pane a thousand screens long, or cost every frame 150 ms).
const detailBodyLines = 40

// wrapText cleans a message's text from the portal, keeping its line
// breaks, and wraps it to width, at most maxLines lines, the last one
// ending in an ellipsis when the text was longer. Only the part of s that
// can show is cleaned. Text with nothing to show gives no lines.
func wrapText(s string, width, maxLines int) []string {
	head, cut := sanitize.Head(s, maxLines*width*4+64)
	clean := sanitize.Text(head)
	if strings.TrimSpace(clean) == "" {
		return nil
	}
	var out []string
paras:
	for _, para := range strings.Split(clean, "\n") {
		for _, l := range strings.Split(ansi.Wrap(para, width, ""), "\n") {
			if len(out) == maxLines {
				cut = true
				break paras
			}
			out = append(out, l)
		}
	}
	if cut {
		last := len(out) - 1
		out[last] = ansi.Truncate(strings.TrimRight(out[last], " "), width-1, "") + sanitize.Ellipsis
	}
	return out
}

// openDetails opens the pane on the selected session and loads its
// messages.
func openDetails(m Model) (Model, tea.Cmd) {
	s, ok := m.selected()
	if !ok {
		return m, nil
	}
	was := m.spinning()
	m.detail = &detailPane{key: keyOf(s), session: s, listed: true}
	m, cmd := m.loadHistory()
	return m, tea.Batch(cmd, m.spinStart(was))
}

// loadHistory asks for the open pane's messages; an answer to an earlier
// request is dropped when it comes.
func (m Model) loadHistory() (Model, tea.Cmd) {
	if m.detail == nil {
		return m, nil
	}
	d := *m.detail
	s := d.session
	if cur, ok := m.list.Session(d.key); ok {
		s = cur
	}
	d.asOf = s.LastActivity
	m.histSeq++
	d.seq, d.loading = m.histSeq, true
	m.detail = &d
	p, ctx, seq, key := m.portal, m.ctx, m.histSeq, d.key
	return m, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, historyTimeout)
		defer cancel()
		h, err := p.History(ctx, s.SessionID, s.ChatID)
		return historyMsg{seq: seq, key: key, hist: h, err: err}
	}
}

func (m Model) onHistory(msg historyMsg) Model {
	if m.detail == nil || msg.seq != m.detail.seq || msg.key != m.detail.key {
		return m // for a pane since closed or another session
	}
	d := *m.detail
	d.loading = false
	if msg.err != nil {
		d.err = msg.err // the messages loaded before, if any, stay
	} else {
		h := msg.hist
		d.hist, d.err = &h, nil
	}
	m.detail = &d
	return m
}

// keepDetail follows the list into the open pane: it keeps the session's
// last known state when the session leaves the list, and loads the
// messages again when there was activity in the session.
func (m Model) keepDetail() (Model, tea.Cmd) {
	if m.detail == nil {
		return m, nil
	}
	d := *m.detail
	i, ok := m.list.Index(d.key)
	d.listed = ok
	if ok {
		d.session = *m.list.At(i).Session
	}
	m.detail = &d
	if ok && !m.list.At(i).LastActivity.Equal(d.asOf) && !d.loading {
		was := m.spinning()
		m, cmd := m.loadHistory()
		return m, tea.Batch(cmd, m.spinStart(was))
	}
	return m, nil
}

// detailKey: the movement keys scroll, esc and the details key close;
// any other key is done ("false") by the dashboard as usual.
func (m Model) detailKey(names []string) (Model, tea.Cmd, bool) {
	d := *m.detail
	page := max(m.tableRows(), 1)
	switch {
	case m.is(names, actDetails), slices.Contains(names, filterAlsoEsc):
		m.detail = nil
		return m, nil, true
	case m.is(names, actUp):
		d.scroll--
	case m.is(names, actDown):
		d.scroll++
	case m.is(names, actPageUp):
		d.scroll -= page
	case m.is(names, actPageDown):
		d.scroll += page
	case m.is(names, actTop):
		d.scroll = 0
	case m.is(names, actBottom):
		d.scroll = 1 << 30
	default:
		return m, nil, false
	}
	n := len(m.paneFor(d).lines(m.width))
	d.scroll = max(min(d.scroll, n-(m.tableRows()+1)), 0)
	m.detail = &d
	return m, nil, true
}

// paneFor is d filled in with what the model knows now.
func (m Model) paneFor(d detailPane) detailPane {
	if s, ok := m.list.Session(d.key); ok {
		d.session, d.listed = s, true
	}
	d.trail = m.trail.Of(d.key)
	d.me, d.now, d.tx, d.st = m.me.ID, m.clock, m.tx, m.st
	d.spin = m.spin.View()
	return d
}

// Render is the pane as exactly height lines of width cells, from its
// scroll position.
func (p detailPane) Render(width, height int) []string {
	all := p.lines(width)
	from := max(min(p.scroll, len(all)-height), 0)
	out := make([]string, 0, height)
	for i := from; i < len(all) && len(out) < height; i++ {
		out = append(out, ansiTruncate(all[i], width))
	}
	for len(out) < height {
		out = append(out, "")
	}
	if len(all) > height && height > 1 { // say there is more
		more := ""
		switch {
		case from > 0 && from+height < len(all):
			more = "↑↓"
		case from > 0:
			more = "↑"
		default:
			more = "↓"
		}
		last := ansi.Strip(out[height-1])
		if lipgloss.Width(last)+2 < width {
			out[height-1] += strings.Repeat(" ", width-lipgloss.Width(last)-2) + p.st.dim.Render(more)
		}
	}
	return out
}

// lines is the whole pane, one screen line each.
func (p detailPane) lines(width int) []string {
	tx, st, s := p.tx, p.st, p.session
	inner := max(width-2, 10)
	var out []string
	add := func(l string) { out = append(out, " "+l) }

	name := nameOf(&s, inner)
	head := st.dialogTitle.Render(name)
	if s.Pinned {
		head += "  " + st.pin.Render("● "+tx.DetPinnedMark)
	}
	add(head)
	var ids []string
	if s.SessionID > 0 {
		ids = append(ids, tx.DetSession(s.SessionID))
	}
	if s.ChatID > 0 {
		ids = append(ids, tx.DetChat(s.ChatID))
	}
	if s.Connector != "" {
		ids = append(ids, channelName(tx, s.Connector))
	}
	if s.LineName != "" {
		ids = append(ids, sanitize.Fit(s.LineName, inner))
	} else if s.LineID != 0 {
		ids = append(ids, "#"+strconv.FormatInt(s.LineID, 10))
	}
	add(st.dim.Render(sanitize.Truncate(strings.Join(ids, " · "), inner)))
	if !p.listed {
		add(st.statusWarn.Render(sanitize.Truncate(tx.DetNotListed, inner)))
	}
	out = append(out, "")

	type field struct{ label, value string }
	var fields []field
	status := ""
	if s.StatusKnown {
		var ok bool
		if status, ok = tx.StatusNames[int(s.Status)]; !ok {
			status = tx.OtherStatus(int(s.Status))
		}
	}
	fields = append(fields, field{tx.ColStatus, status})
	if len(p.trail) > 0 {
		var steps []string
		for i, c := range p.trail {
			if i == 0 {
				steps = append(steps, tx.statusName(c.From))
			}
			steps = append(steps, tx.statusName(c.To)+" "+tx.clockAt(c.At, p.now))
		}
		fields = append(fields, field{"", tx.DetSeen(strings.Join(steps, " → "))})
	}
	pinned := tx.DetNotPinned
	if s.Pinned {
		pinned = tx.DetPinned
	}
	fields = append(fields, field{tx.DetPinLabel, pinned})
	if !s.Started.IsZero() {
		fields = append(fields, field{tx.DetStarted, tx.at(s.Started, p.now) + " · " + tx.ago(p.now.Sub(s.Started))})
	}
	if !s.LastActivity.IsZero() {
		fields = append(fields, field{tx.DetLastActivity, tx.at(s.LastActivity, p.now) + " · " + tx.ago(p.now.Sub(s.LastActivity))})
	}
	unread := strconv.Itoa(s.Unread)
	if s.Unread == 0 && s.MarkedUnread {
		unread = tx.DetMarkedUnread
	}
	fields = append(fields, field{tx.ColUnread, unread})
	switch {
	case s.OwnerID == 0:
	case s.OwnerID == p.me:
		fields = append(fields, field{tx.DetOperator, tx.You})
	default:
		fields = append(fields, field{tx.DetOperator, tx.DetColleague(s.OwnerID)})
	}
	fields = append(fields, field{tx.DetCRM, p.crm()})

	labelW := 0
	for _, f := range fields {
		labelW = max(labelW, lipgloss.Width(f.label))
	}
	valueW := max(inner-labelW-2, 8)
	for _, f := range fields {
		// The values are the dashboard's own words and numbers.
		for i, w := range strings.Split(ansi.Wrap(f.value, valueW, ""), "\n") {
			label := ""
			if i == 0 {
				label = f.label
			}
			add(st.dim.Render(pad(label, labelW, false)) + "  " + w)
		}
	}
	out = append(out, "")
	add(st.colTitle.Render(tx.DetMessages))
	switch {
	case p.loading && p.hist == nil:
		add(p.spin + " " + st.dim.Render(tx.DetLoading))
	case p.err != nil && p.hist == nil:
		add(st.statusErr.Render(sanitize.Truncate(tx.DetLoadFailed(tx.reason(p.err)), inner)))
	case p.hist == nil || len(p.hist.Messages) == 0:
		add(st.dim.Render(tx.DetNoMessages))
	default:
		if p.loading {
			add(p.spin + " " + st.dim.Render(tx.DetLoading))
		} else if p.err != nil {
			add(st.statusErr.Render(sanitize.Truncate(tx.DetLoadFailed(tx.reason(p.err)), inner)))
		}
		msgs := p.hist.Messages
		if len(msgs) > detailMessages {
			msgs = msgs[len(msgs)-detailMessages:]
		}
		for i := len(msgs) - 1; i >= 0; i-- { // newest first
			msg := msgs[i]
			who := sanitize.Fit(msg.Author, inner)
			switch {
			case msg.AuthorID == 0:
				who = tx.System
			case msg.AuthorID == p.me:
				who = tx.You
			case who == "":
				who = "#" + strconv.FormatInt(msg.AuthorID, 10)
			}
			when := ""
			if !msg.Date.IsZero() {
				when = tx.at(msg.Date, p.now) + "  "
			}
			add(st.dim.Render(when) + st.helpKey.Render(sanitize.Truncate(who, max(inner-lipgloss.Width(when), 1))))
			body := wrapText(msg.Text, max(inner-3, 8), detailBodyLines)
			if len(body) == 0 {
				body = []string{st.dim.Render(tx.DetNoText)}
			}
			for _, l := range body {
				add("   " + l)
			}
		}
	}
	return out
}

// crm is the CRM binding in words: "lead 12 · contact 7".
func (p detailPane) crm() string {
	tx := p.tx
	if len(p.session.CRM) == 0 {
		if p.session.CRMLinked {
			return tx.CRMLinkedUnknown
		}
		return tx.CRMNone
	}
	var parts []string
	for _, b := range p.session.CRM {
		kind, ok := tx.CRMTypes[strings.ToUpper(b.Type)]
		if !ok {
			kind = strings.ToLower(sanitize.Line(b.Type))
		}
		parts = append(parts, kind+" "+strconv.FormatInt(b.ID, 10))
	}
	return strings.Join(parts, " · ")
}

// ago is how long ago: "3h ago", or "now" under a minute.
func (tx *text) ago(d time.Duration) string {
	if c := tx.compact(d, false); c != tx.JustNow {
		return tx.UpdatedAgoShort(c)
	}
	return tx.JustNow
}

// statusName is a status in words.
func (tx *text) statusName(s api.Status) string {
	if n, ok := tx.StatusNames[int(s)]; ok {
		return n
	}
	return tx.OtherStatus(int(s))
}

// at is a moment as the pane shows it: the time of day, with the date
// when it is not today (in now's time zone).
func (tx *text) at(t, now time.Time) string {
	t = t.In(now.Location())
	y1, m1, d1 := t.Date()
	y2, m2, d2 := now.Date()
	if y1 == y2 && m1 == m2 && d1 == d2 {
		return t.Format("15:04")
	}
	if y1 == y2 {
		return tx.formatDate(t, false)
	}
	return tx.formatDate(t, true)
}

// clockAt is the time of day only, for the short status trail.
func (tx *text) clockAt(t, now time.Time) string { return t.In(now.Location()).Format("15:04") }

func (tx *text) formatDate(t time.Time, year bool) string {
	month := tx.Months[t.Month()-1]
	s := strconv.Itoa(t.Day()) + nbsp + month
	if tx.lang != i18n.RU {
		s = month + nbsp + strconv.Itoa(t.Day())
	}
	if year {
		s += " " + strconv.Itoa(t.Year())
	}
	return s + " " + t.Format("15:04")
}

// detailView is the open pane in the body's place: exactly n lines.
func (m Model) detailView(n int) []string {
	return m.paneFor(*m.detail).Render(m.width, n)
}
