package ui

import (
	"slices"
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

// colSpecs are the columns' shapes. The widths of the fixed columns are
// the English ones; specsFor fits them to the language's words, and the ID
// column's width to the data.
var colSpecs = map[colKind]colSpec{
	colGutter:  {kind: colGutter, min: 2, max: 2},
	colPin:     {kind: colPin, min: 3, max: 3, drop: 5},
	colID:      {kind: colID, min: 2, max: 2, right: true},
	colClient:  {kind: colClient, min: 12, max: 26, drop: 8},
	colChannel: {kind: colChannel, min: 9, max: 9, drop: 2},
	colLine:    {kind: colLine, min: 8, max: 20, drop: 1},
	colStatus:  {kind: colStatus, min: 12, max: 12, drop: 3},
	colUnread:  {kind: colUnread, min: 6, max: 6, right: true, drop: 4},
	colLast:    {kind: colLast, min: 4, max: 4, right: true, drop: 6},
	colMessage: {kind: colMessage, min: 20, drop: 7},
}

// defaultColumns is the order of the columns when Options.Columns does
// not say (the gutter always comes first and is not listed).
var defaultColumns = []colKind{colPin, colID, colClient, colChannel, colLine, colStatus, colUnread, colLast, colMessage}

// columnNames are the configuration's names for the columns (config.Columns).
var columnNames = map[string]colKind{
	"pin": colPin, "id": colID, "client": colClient, "channel": colChannel, "line": colLine,
	"status": colStatus, "unread": colUnread, "age": colLast, "message": colMessage,
}

// columnOrder turns the operator's column names into columns, in their
// order. An empty list or one with a name it does not know gives the
// default columns (the configuration has already said what was wrong); a
// column named twice is shown once.
func columnOrder(names []string) []colKind {
	var out []colKind
	for _, n := range names {
		k, ok := columnNames[strings.ToLower(strings.TrimSpace(n))]
		if !ok {
			return defaultColumns
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return defaultColumns
	}
	return out
}

// specsFor is the gutter and the columns in order, the fixed ones as wide
// as the widest word they show in tx (a title, a channel or status name,
// a duration), the ID column idWidth wide.
func specsFor(order []colKind, tx *text, idWidth int) []colSpec {
	out := make([]colSpec, 0, len(order)+1)
	out = append(out, colSpecs[colGutter])
	for _, k := range order {
		c := colSpecs[k]
		w := lipgloss.Width(colTitle(tx, k))
		switch k {
		case colID:
			w = max(w, idWidth)
		case colPin:
			w = max(w, c.min)
		case colChannel:
			for _, n := range tx.Channels {
				w = max(w, lipgloss.Width(n))
			}
		case colStatus:
			for _, n := range tx.StatusNames {
				w = max(w, lipgloss.Width(n))
			}
		case colUnread:
			w = max(w, lipgloss.Width(unreadCap))
		case colLast:
			for _, d := range []string{tx.JustNow, tx.Minutes(59), tx.Hours(23), tx.Days(99)} {
				w = max(w, lipgloss.Width(d))
			}
		default: // flexible columns keep their widths
			w = c.min
		}
		if c.max == c.min {
			c.min, c.max = w, w
		}
		out = append(out, c)
	}
	return out
}

type placed struct {
	kind  colKind
	width int
	right bool
}

// layout places the columns in width cells: columns are dropped by
// priority until the minimum widths fit, then the spare cells go to the
// flexible columns (client, line, then the message takes the rest).
func layout(width int, cols []colSpec) []placed {
	specs := slices.Clone(cols)
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
	spare := max(width-need(), 0)
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
			if specs[i].max == 0 {
				add = min(limit, spare)
			}
			if add > 0 {
				out[i].width += add
				spare -= add
			}
		}
	}
	grow(colClient, spare/3)
	grow(colLine, spare/3)
	grow(colMessage, spare)
	// no message column: the client, then the line take the rest (the
	// row is padded with blanks beyond their maximum)
	grow(colClient, spare)
	grow(colLine, spare)
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
	order          []colKind // the columns the operator chose, in order
	cols           []placed
	title          string
	cache          map[int64]cachedRow
	st             *styles
	tx             *text
	renders        int // rows drawn, for tests of the cache
}

func newTableView(st *styles, tx *text, order []colKind) *tableView {
	return &tableView{cache: map[int64]cachedRow{}, st: st, tx: tx, order: order, idWidth: 2}
}

// resize sets the width and the ID column width; a change redraws all.
func (t *tableView) resize(width, idWidth int) {
	if width == t.width && idWidth == t.idWidth && t.cols != nil {
		return
	}
	t.width, t.idWidth = width, idWidth
	t.cols = layout(width, specsFor(t.order, t.tx, idWidth))
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
		b.WriteString(pad(sanitize.Truncate(colTitle(t.tx, c.kind), c.width), c.width, c.right))
	}
	t.title = t.st.colTitle.Render(pad(b.String(), t.width, false))
	return t.title
}

func colTitle(tx *text, k colKind) string {
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
	last := t.tx.compact(now.Sub(r.LastActivity), false)
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
		text, cell := t.cell(r, c.kind, look, last, c.width)
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

// cell is the sanitised text of one cell of width w and, for plain rows, its
// own style. Text from the portal is cleaned only as far as the cell shows
// it (sanitize.Fit), so a hostile megabyte costs a row what a name does.
func (t *tableView) cell(r state.Row, k colKind, look rowLook, last string, w int) (string, *lipgloss.Style) {
	st, tx := t.st, t.tx
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
		name := sanitize.Fit(r.Client, w)
		if name == "" {
			name = sanitize.Fit(r.Title, w)
		}
		return name, nil
	case colChannel:
		return channelName(tx, r.Connector), &st.dimC
	case colLine:
		if r.LineName != "" {
			return sanitize.Fit(r.LineName, w), &st.dimC
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
			name = tx.OtherStatus(int(r.Status))
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
			return unreadCap, &st.unread
		case r.Unread > 0:
			return strconv.Itoa(r.Unread), &st.unread
		case r.MarkedUnread:
			return "•", &st.unread
		}
		return "", nil
	case colLast:
		return last, &st.dimC
	case colMessage:
		if r.LastMessage == "" && r.LastFile != "" {
			return tx.FileMessage(sanitize.Fit(r.LastFile, w)), &st.dimC
		}
		return sanitize.Fit(r.LastMessage, w), &st.message
	}
	return "", nil
}

// unreadCap stands for more unread messages than the column shows.
const unreadCap = "999+"

// channelName is the channel's name for people, or the portal's connector
// code, cleaned and cut to 40 cells, for one it does not know.
func channelName(tx *text, connector string) string {
	if n, ok := tx.Channels[connector]; ok {
		return n
	}
	return sanitize.Fit(connector, 40)
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
