package ui

import (
	"runtime"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/linedesk/linedesk/internal/api"
)

// TestHostileMegabyteName: a client whose name is a megabyte of text full
// of escape sequences, bidi overrides and control characters. The list
// draws it as one sanitised, cut row; the details pane wraps it inside the
// screen; no escape sequence of the name reaches the terminal; and the
// cost of drawing grows with the name's length, not its square.
func TestHostileMegabyteName(t *testing.T) {
	d := newDriven(t, driveOpts{sessions: 20, seed: 8, noInit: true})
	id := d.portal.SetLongName(1 << 20)
	d.run(d.m.Init())
	if !d.m.conn.HasData() {
		t.Fatalf("the list did not load: %v", d.m.conn.Err)
	}
	row := -1
	for i := range d.m.shown.Len() {
		if d.m.shown.At(i).SessionID == id {
			row = i
		}
	}
	if row < 0 || len(d.m.shown.At(row).Client) < 1<<20 {
		t.Fatalf("session %d with the long name is not listed", id)
	}
	d.key("g")
	for range row {
		d.key("j")
	}
	checkFrame := func(what string) string {
		t.Helper()
		frame := d.m.View().Content
		for i, line := range strings.Split(frame, "\n") {
			if w := lipgloss.Width(line); w > 120 {
				t.Fatalf("%s: line %d is %d cells wide", what, i, w)
			}
		}
		plain := ansi.Strip(frame)
		if strings.ContainsAny(plain, "\x1b\x07\u202e\u202c\t\r") || strings.Contains(plain, "]0;title") || strings.Contains(plain, "[31m") {
			t.Fatalf("%s: the name's control text reached the screen", what)
		}
		return plain
	}
	if s := checkFrame("list"); !strings.Contains(s, "Очень длинное имя крас…") {
		t.Fatalf("the row does not show the start of the name, cut:\n%s", s)
	}
	d.key("enter")
	checkFrame("details")
	for range 5 {
		d.key("pgdown")
		checkFrame("details, scrolled")
	}
	d.key("esc")

	// A row and the details pane clean only what they show: a megabyte name
	// costs them what a short one does, not 1.5 MB of allocations and 50 ms
	// a frame (what cleaning the whole name cost before).
	r := d.m.shown.At(row)
	own := *r.Session // the row's session is the model's: change a copy
	r.Session = &own
	allocs := func(f func()) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	for _, n := range []int{1 << 20, 2 << 20} {
		r.Client = strings.Repeat("Очень длинное имя \x1b[31mкрасное\x1b[0m \u202e", n/40)
		if a := allocs(func() { _ = d.m.tbl.draw(r, lookCursor, "1m") }); a > 32<<10 {
			t.Errorf("drawing a row with a %d-byte name allocates %d bytes", len(r.Client), a)
		}
		// The details pane, with a message as long as the name.
		p := d.m.paneFor(detailPane{key: keyOf(own)})
		p.session.Client = r.Client
		p.hist = &api.History{Messages: []api.HistoryMessage{{ID: 1, AuthorID: 9, Author: r.Client, Text: r.Client}}}
		var lines []string
		if a := allocs(func() { lines = p.lines(120) }); a > 256<<10 {
			t.Errorf("the details pane of a %d-byte name and message allocates %d bytes", len(r.Client), a)
		}
		shown := 0
		for _, l := range lines {
			if strings.Contains(l, "длинное") {
				shown++
			}
		}
		if shown < 3 || shown > 2+detailBodyLines {
			t.Errorf("the details pane shows the name and the message on %d lines, want 3…%d", shown, 2+detailBodyLines)
		}
		if !strings.HasSuffix(strings.TrimRight(lines[len(lines)-1], " "), "…") {
			t.Errorf("the cut message does not end in an ellipsis: %q", lines[len(lines)-1])
		}
	}
}
