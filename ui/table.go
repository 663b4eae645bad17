package ui

import (
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/linedesk/linedesk/internal/sanitize"
	"github.com/linedesk/linedesk/internal/state"
)

// The session table is drawn here rather than with bubbles' table: only the
// rows in view are formatted, each row's drawing is cached by session key,
// and a row is drawn again only when its revision, its look (selected,
// highlighted) or its age text changed. A frame therefore costs the same
// with 10 sessions or 10,000.

type colKind int

const (
	colGutter colKind = iota // cursor and highlight markers
	colPin
	colID
	colClient
	colChannel
	colLine
	colStatus
	colUnread
	colLast
	colMessage
)

type colSpec struct {
	kind     colKind
	min, max int  // display cells; max 0 = takes what is left
	right    bool // right-aligned
	drop     int  // columns give way in this order as the terminal narrows (1 first); 0 never
}

// colSpecs in display order. The ID column's width is set from the data.
var colSpecs = []colSpec{
	{kind: colGutter, min: 2, max: 2},
	{kind: colPin, min: 3, max: 3, drop: 5},
	{kind: colID, min: 2, max: 2, right: true},
	{kind: colClient, min: 12, max: 26, drop: 8},
	{kind: colChannel, min: 9, max: 9, drop: 2},
	{kind: colLine, min: 8, max: 20, drop: 1},
	{kind: colStatus, min: 12, max: 12, drop: 3},
	{kind: colUnread, min: 6, max: 6, right: true, drop: 4},
	{kind: colLast, min: 4, max: 4, right: true, drop: 6},
	{kind: colMessage, min: 20, drop: 7},
}

type placed struct {
	kind  colKind
	width int
	right bool
}

// layout places the columns in width cells: columns are dropped by
// priority until the minimum widths fit, then the spare cells go to the
// flexible columns (client, line, then the message takes the rest).
func layout(width, idWidth int) []placed {
	specs := make([]colSpec, len(colSpecs))
	copy(specs, colSpecs)
	for i := range specs {
		if specs[i].kind == colID {
			specs[i].min, specs[i].max = idWidth, idWidth
		}
	}
	need := func() int {
		n := 0
		for i, s := range specs {
			if i > 0 && specs[i-1].kind != colGutter {
				n++ // one space between columns (the gutter carries its own)
			}
			n += s.min
		}
		return n
	}
	for need() > width {
		worst := -1
		for i, s := range specs {
			if s.drop > 0 && (worst < 0 || s.drop < specs[worst].drop) {
				worst = i
			}
		}
		if worst < 0 {
			break
		}
		specs = append(specs[:worst], specs[worst+1:]...)
	}
	spare := width - need()
	out := make([]placed, len(specs))
	for i, s := range specs {
		out[i] = placed{kind: s.kind, width: s.min, right: s.right}
	}
	// grow client and line up to their max, a third of the spare each at
	// most, then the message takes the rest.
	grow := func(k colKind, limit int) {
		for i := range out {
			if out[i].kind != k {
				continue
			}
			add := min(specs[i].max-out[i].width, limit, spare)
			if add > 0 {
				out[i].width += add
				spare -= add
			}
		}
	}
	grow(colClient, spare/3)
	grow(colLine, spare/3)
	for i := range out {
		if out[i].kind == colMessage {
			out[i].width += spare
			spare = 0
		}
	}
	if spare > 0 { // no message column: give the rest to the client
		grow(colClient, spare)
	}
	return out
}

type rowLook uint8

const (
	lookPlain rowLook = iota
	lookCursor
	lookHot
	lookHotCursor
)

type cachedRow struct {
	rev  uint64
	look rowLook
	last string
	out  string
}

// tableView draws the table. It is held by pointer so that the model's
// View (a value method) can fill the cache; the cache is only a cache.
type tableView struct {
	width, idWidth int
	cols           []placed
	title          string
	cache          map[int64]cachedRow
	st             *styles
	renders        int // rows drawn, for tests of the cache
}

func newTableView(st *styles) *tableView {
	return &tableView{cache: map[int64]cachedRow{}, st: st, idWidth: 2}
}

// resize sets the width and the ID column width; a change redraws all.
func (t *tableView) resize(width, idWidth int) {
	idWidth = max(idWidth, len(tx.ColID))
	if width == t.width && idWidth == t.idWidth && t.cols != nil {
		return
	}
	t.width, t.idWidth = width, idWidth
	t.cols = layout(width, idWidth)
	t.restyle(t.st)
}

// restyle drops every cached drawing (styles or layout changed).
func (t *tableView) restyle(st *styles) {
	t.st = st
	clear(t.cache)
	t.title = ""
}

func (t *tableView) has(k colKind) bool {
	for _, c := range t.cols {
		if c.kind == k {
			return true
		}
	}
	return false
}

// header is the column titles line.
func (t *tableView) header() string {
	if t.title != "" {
		return t.title
	}
	var b strings.Builder
	for i, c := range t.cols {
		if i > 0 && t.cols[i-1].kind != colGutter {
			b.WriteByte(' ')
		}
		b.WriteString(pad(sanitize.Truncate(colTitle(c.kind), c.width), c.width, c.right))
	}
	t.title = t.st.colTitle.Render(pad(b.String(), t.width, false))
	return t.title
}

func colTitle(k colKind) string {
	switch k {
	case colPin:
		return tx.ColPin
	case colID:
		return tx.ColID
	case colClient:
		return tx.ColClient
	case colChannel:
		return tx.ColChannel
	case colLine:
		return tx.ColLine
	case colStatus:
		return tx.ColStatus
	case colUnread:
		return tx.ColUnread
	case colLast:
		return tx.ColLast
	case colMessage:
		return tx.ColMessage
	}
	return ""
}

// row returns the drawing of one row, from the cache when nothing shown
// about it changed.
func (t *tableView) row(r state.Row, look rowLook, now time.Time) string {
	last := compact(now.Sub(r.LastActivity), false)
	if c, ok := t.cache[r.Key]; ok && c.rev == r.Rev && c.look == look && c.last == last {
		return c.out
	}
	if len(t.cache) > 4096 { // rows scrolled past long ago
		clear(t.cache)
	}
	out := t.draw(r, look, last)
	t.cache[r.Key] = cachedRow{rev: r.Rev, look: look, last: last, out: out}
	t.renders++
	return out
}

func (t *tableView) draw(r state.Row, look rowLook, last string) string {
	st := t.st
	var base paint
	switch look {
	case lookCursor:
		base = st.cursor
	case lookHot:
		base = st.hot
	case lookHotCursor:
		base = st.hotCursor
	default:
		base = st.row.Render
	}
	var b strings.Builder
	used := 0
	for i, c := range t.cols {
		if i > 0 && t.cols[i-1].kind != colGutter {
			b.WriteByte(' ')
			used++
		}
		text, cell := t.cell(r, c.kind, look, last)
		s := pad(sanitize.Truncate(text, c.width), c.width, c.right)
		used += c.width
		if look == lookPlain && cell != nil {
			b.WriteString(cell.Render(s))
		} else {
			b.WriteString(s)
		}
	}
	if used < t.width {
		b.WriteString(strings.Repeat(" ", t.width-used))
	}
	if look == lookPlain {
		return b.String()
	}
	return base(b.String())
}

// cell is the sanitised text of one cell and, for plain rows, its own style.
func (t *tableView) cell(r state.Row, k colKind, look rowLook, last string) (string, *lipgloss.Style) {
	st := t.st
	switch k {
	case colGutter:
		g := []rune("  ")
		if look == lookCursor || look == lookHotCursor {
			g[0] = '›'
		}
		if look == lookHot || look == lookHotCursor {
			g[1] = '★'
		}
		return string(g), nil
	case colPin:
		if r.Pinned {
			return " ●", &st.pin
		}
		return "", nil
	case colID:
		if r.SessionID == 0 {
			return "—", &st.dimC
		}
		return strconv.FormatInt(r.SessionID, 10), nil
	case colClient:
		name := sanitize.Line(r.Client)
		if name == "" {
			name = sanitize.Line(r.Title)
		}
		return name, nil
	case colChannel:
		return channelName(r.Connector), &st.dimC
	case colLine:
		if r.LineName != "" {
			return sanitize.Line(r.LineName), &st.dimC
		}
		if r.LineID != 0 {
			return "#" + strconv.FormatInt(r.LineID, 10), &st.dimC
		}
		return "", nil
	case colStatus:
		if !r.StatusKnown {
			return "", nil
		}
		name, ok := tx.StatusNames[int(r.Status)]
		if !ok {
			name = r.Status.String()
		}
		switch {
		case r.Status.Offer():
			return name, &st.newOffer
		case r.Status.ClientWaiting():
			return name, &st.attention
		}
		return name, nil
	case colUnread:
		switch {
		case r.Unread > 999:
			return "999+", &st.unread
		case r.Unread > 0:
			return strconv.Itoa(r.Unread), &st.unread
		case r.MarkedUnread:
			return "•", &st.unread
		}
		return "", nil
	case colLast:
		return last, &st.dimC
	case colMessage:
		return sanitize.Line(r.LastMessage), &st.message
	}
	return "", nil
}

func channelName(connector string) string {
	if n, ok := tx.Channels[connector]; ok {
		return n
	}
	return sanitize.Line(connector)
}

// pad fills s (already no wider than w) with spaces to w display cells.
func pad(s string, w int, right bool) string {
	n := w - lipgloss.Width(s)
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}
