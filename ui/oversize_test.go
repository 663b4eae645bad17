package ui

import (
	"runtime"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
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

	// Drawing a row with a name twice as long costs about twice as much.
	cost := func(n int) uint64 {
		r := d.m.shown.At(row)
		r.Client = strings.Repeat("Очень длинное имя \x1b[31mкрасное\x1b[0m \u202e", n/40)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_ = d.m.tbl.draw(r, lookCursor, "1m")
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	one, two := cost(1<<20), cost(2<<20)
	t.Logf("drawing the row allocates %d KB for a 1 MB name, %d KB for 2 MB", one>>10, two>>10)
	if two > 3*one {
		t.Errorf("drawing grows faster than the name: %d bytes for 1 MB, %d for 2 MB", one, two)
	}
}
