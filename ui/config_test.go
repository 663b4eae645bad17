package ui

import (
	"image/color"
	"regexp"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/linedesk/linedesk/internal/i18n"
)

// The configuration reaches the dashboard as Options.Keys, Columns, Theme
// and Colors; these tests check the dashboard obeys each.

func withKeys(keys map[string][]string) func(*Options) {
	return func(o *Options) { o.Keys = keys }
}

func TestKeysFromOptions(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(30), configured).start()
	hs.key("j", "u", "r", "?") // the default keys of rebound actions do nothing
	if hs.selectedKey() != 1030 || hs.m.dialog != nil || hs.portal.snapCalls != 1 || hs.m.helpOpen {
		t.Fatalf("a default key still acts: selected %d, dialog %v, refreshes %d, help %v",
			hs.selectedKey(), hs.m.dialog != nil, hs.portal.snapCalls, hs.m.helpOpen)
	}
	hs.key("n", "n", "e")
	if hs.selectedKey() != 1029 {
		t.Errorf("n n e selected %d, want 1029", hs.selectedKey())
	}
	hs.key("down") // a key kept from the default next to the operator's
	if hs.selectedKey() != 1028 {
		t.Errorf("down selected %d, want 1028", hs.selectedKey())
	}
	hs.key("ctrl+r")
	if hs.portal.snapCalls != 2 {
		t.Errorf("ctrl+r: %d refreshes, want 2", hs.portal.snapCalls)
	}
	hs.key("P") // pin_all, as configured
	if hs.m.dialog == nil || hs.m.dialog.kind != bulkPin {
		t.Fatal("P did not open the pin-all dialog")
	}
	hs.key("esc", "f1")
	if !hs.m.helpOpen {
		t.Fatal("f1 did not open the help")
	}
	s := plain(hs)
	mustContain(t, s, "e/↑        up", "n/↓        down", "U          unpin all", "ctrl+r     refresh",
		"f1         help", "q/ctrl+c   quit", "f1 or esc closes this help",
		"↑↓/en move", "U unpin all", "ctrl+r refresh", "f1 help")
	mustNotContain(t, s, " r refresh", " ? help")
	hs.key("f1")
	if hs.m.helpOpen {
		t.Error("f1 did not close the help")
	}
	hs.key("f1", "esc")
	if hs.m.helpOpen {
		t.Error("esc did not close the help")
	}
	hs.key("U")
	if hs.m.dialog == nil {
		t.Error("U did not open the dialog")
	}
}

func TestMissingActionsKeepDefaultKeys(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(30), withKeys(map[string][]string{"refresh": {"R"}})).start()
	hs.key("j", "G")
	if hs.selectedKey() != 1001 {
		t.Errorf("j G selected %d, want the last row", hs.selectedKey())
	}
	mustContain(t, plain(hs), "R refresh", "↑↓/kj move", "u unpin all")
}

func TestQuitKeys(t *testing.T) {
	keys := withKeys(map[string][]string{"quit": {"x"}})
	hs := newHarness(t, 120, 40, fixture(3), keys).start()
	if hasQuit(hs.key("q")) {
		t.Error("q still quits after quit was bound to x")
	}
	mustContain(t, plain(hs), "x quit")
	if !hasQuit(hs.key("x")) {
		t.Error("x does not quit")
	}
	// ctrl+c always quits, even bound to something else
	hs = newHarness(t, 120, 40, fixture(3), withKeys(map[string][]string{"quit": {"x"}, "refresh": {"ctrl+c"}})).start()
	if !hasQuit(hs.key("ctrl+c")) || hs.portal.snapCalls != 1 {
		t.Error("ctrl+c did not quit")
	}
	hs.key("?")
	mustContain(t, plain(hs), "x/ctrl+c   quit")
	mustNotContain(t, plain(hs), "refresh") // it has no key left
	// the too-small screen names the operator's key and obeys it
	hs = newHarness(t, 40, 8, fixture(3), keys).start()
	mustContain(t, plain(hs), "press x to quit")
	if hasQuit(hs.key("q")) || !hasQuit(hs.key("x")) {
		t.Error("the too-small screen does not quit on x alone")
	}
	// in the help, the quit key quits
	hs = newHarness(t, 120, 40, fixture(3), keys).start()
	hs.key("?")
	if !hasQuit(hs.key("x")) {
		t.Error("x does not quit from the help")
	}
}

// A key the operator bound is taken from the default keys of another
// action; the texts that name a key follow.
func TestExplicitKeyBeatsAnotherActionsDefault(t *testing.T) {
	hs := newHarness(t, 120, 40, nil, withKeys(map[string][]string{"help": {"r"}})).start()
	hs.key("r")
	if !hs.m.helpOpen || hs.portal.snapCalls != 1 {
		t.Fatalf("r: help %v, refreshes %d; want the help and no refresh", hs.m.helpOpen, hs.portal.snapCalls)
	}
	mustContain(t, plain(hs), "r or esc closes this help")
	hs.key("esc")
	s := plain(hs)
	mustContain(t, s, "No open sessions. The list refreshes by itself.", "r help")
	mustNotContain(t, s, "to refresh now", "refresh  ")
	hs = newHarness(t, 120, 40, nil, withKeys(map[string][]string{"refresh": {"F"}})).start()
	mustContain(t, plain(hs), "press F to refresh now")
	hs = newHarness(t, 120, 40, nil, withKeys(map[string][]string{"help": {"h", "f1"}})).start()
	hs.key("h")
	mustContain(t, plain(hs), "h or esc closes this help")
	hs = newHarness(t, 120, 40, nil, withKeys(map[string][]string{"help": {"esc"}})).start()
	hs.key("esc")
	mustContain(t, plain(hs), " esc closes this help")
	mustNotContain(t, plain(hs), "esc or esc")
}

func TestDialogKeysStayFixed(t *testing.T) {
	keys := withKeys(map[string][]string{"quit": {"n"}, "down": {"y"}, "unpin_all": {"tab"}})
	hs := newHarness(t, 120, 40, fixture(30), keys).start()
	hs.key("tab")
	if hs.m.dialog == nil {
		t.Fatal("tab did not open the dialog")
	}
	if hasQuit(hs.key("n")) || hs.m.dialog != nil {
		t.Error("n in the dialog should cancel it, not quit")
	}
	hs.key("tab", "tab") // open, then move the focus to the confirm button
	if hs.m.dialog == nil || !hs.m.dialog.focusConfirm {
		t.Fatal("tab in the dialog does not switch the buttons")
	}
	hs.key("esc", "tab", "y")
	if hs.portal.unpinCalls != 1 {
		t.Errorf("y in the dialog made %d unpin-all calls, want 1", hs.portal.unpinCalls)
	}
}

// An operator who has been typing Russian presses the keys in place.
func TestRussianLayoutKeys(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(30)).start()
	hs.key("о", "о", "л") // j j k
	if hs.selectedKey() != 1029 {
		t.Errorf("о о л selected %d, want 1029", hs.selectedKey())
	}
	hs.key("П") // G
	if hs.selectedKey() != 1001 {
		t.Errorf("П selected %d, want the last row", hs.selectedKey())
	}
	hs.key("г") // u
	if hs.m.dialog == nil {
		t.Fatal("г did not open the dialog")
	}
	hs.key("т") // n
	if hs.m.dialog != nil {
		t.Fatal("т did not cancel the dialog")
	}
	hs.key("г", "н") // u y
	if hs.portal.unpinCalls != 1 {
		t.Errorf("г н made %d unpin-all calls, want 1", hs.portal.unpinCalls)
	}
	if !hasQuit(hs.key("й")) {
		t.Error("й did not quit")
	}
	// the terminal's report of the key's place (kitty protocol) works too
	hs = newHarness(t, 120, 40, fixture(30)).start()
	if !hasQuit(hs.send(tea.KeyPressMsg{Code: 'с', Mod: tea.ModCtrl, BaseCode: 'c'})) {
		t.Error("ctrl+с (Cyrillic es) did not quit")
	}
	hs = newHarness(t, 120, 40, fixture(30)).start()
	hs.send(tea.KeyPressMsg{Code: 'ъ', Text: "ъ", BaseCode: 'j'}) // a layout the table does not know
	if hs.selectedKey() != 1029 {
		t.Errorf("the base key j was not used: selected %d", hs.selectedKey())
	}
	// a Latin layout is taken as typed: AZERTY's a is not q
	hs = newHarness(t, 120, 40, fixture(30)).start()
	if hasQuit(hs.send(tea.KeyPressMsg{Code: 'a', Text: "a", BaseCode: 'q'})) {
		t.Error("a on AZERTY quit")
	}
	// a key bound as typed beats its translation
	hs = newHarness(t, 120, 40, fixture(30), withKeys(map[string][]string{"refresh": {"г"}})).start()
	hs.key("г")
	if hs.m.dialog != nil || hs.portal.snapCalls != 2 {
		t.Error("г bound to refresh was taken as u")
	}
}

func TestColumnsFromOptions(t *testing.T) {
	header := func(hs *harness) string { return strings.Split(plain(hs), "\n")[1] }
	hs := newHarness(t, 120, 40, fixture(5), func(o *Options) { o.Columns = []string{"client", "id", "age"} }).start()
	h := header(hs)
	if f := strings.Fields(h); !slices.Equal(f, []string{"Client", "ID", "Last"}) {
		t.Errorf("header %q, want Client ID Last", h)
	}
	row := strings.Fields(strings.Split(plain(hs), "\n")[2])
	if len(row) < 4 || row[len(row)-2] != "1005" || row[len(row)-1] != "now" {
		t.Errorf("first row %q, want the client, then 1005 and now", row)
	}
	// no list, an unknown name or an empty list: the default columns
	all := []string{"Pin", "ID", "Client", "Channel", "Line", "Status", "Unread", "Last", "Last message"}
	for _, cols := range [][]string{nil, {}, {"client", "bogus"}} {
		hs := newHarness(t, 120, 40, fixture(5), func(o *Options) { o.Columns = cols }).start()
		mustContain(t, header(hs), all...)
	}
	// named twice, shown once; names in any case
	hs = newHarness(t, 120, 40, fixture(5), func(o *Options) { o.Columns = []string{"ID", "id", "Client"} }).start()
	if f := strings.Fields(header(hs)); !slices.Equal(f, []string{"ID", "Client"}) {
		t.Errorf("header %q, want ID Client", header(hs))
	}
	// narrowing still drops columns by priority, in the operator's order
	cols := []string{"message", "line", "id", "client", "channel"}
	hs = newHarness(t, 120, 40, fixture(5), func(o *Options) { o.Columns = cols }).start()
	if f := strings.Fields(header(hs)); !slices.Equal(f, []string{"Last", "message", "Line", "ID", "Client", "Channel"}) {
		t.Errorf("120: header %q", header(hs))
	}
	hs.send(tWin(50, 20))
	if f := strings.Fields(header(hs)); !slices.Equal(f, []string{"Last", "message", "ID", "Client", "Channel"}) {
		t.Errorf("50: header %q, want the line gone first", header(hs))
	}
}

func TestLayoutFillsTheWidthForAnyOrder(t *testing.T) {
	orders := [][]colKind{
		defaultColumns,
		{colMessage, colClient, colID},
		{colID, colLast, colMessage},
		{colUnread, colStatus, colMessage, colPin},
	}
	for _, tx := range []*text{&english, &russian} {
		for _, order := range orders {
			for w := MinWidth; w <= 200; w++ {
				cols := layout(w, specsFor(order, tx, 6))
				total := 0
				for i, c := range cols {
					if i > 1 {
						total++
					}
					total += c.width
				}
				if total != w {
					t.Fatalf("%s %v at %d: fills %d cells", tx.lang, order, w, total)
				}
			}
		}
	}
}

func TestThemeOption(t *testing.T) {
	requests := func(o ...func(*Options)) int {
		hs := newHarness(t, 120, 40, fixture(3), o...)
		n := 0
		for _, msg := range flatten(hs.m.Init()) {
			if _, ok := msg.(snapshotMsg); !ok {
				n++
			}
		}
		return n
	}
	theme := func(s string) func(*Options) { return func(o *Options) { o.Theme = s } }
	if requests() != 1 || requests(theme("auto")) != 1 {
		t.Error("auto does not ask the terminal for its background")
	}
	if requests(theme("light")) != 0 || requests(theme("dark")) != 0 {
		t.Error("a fixed theme asks the terminal for its background")
	}

	auto := newHarness(t, 120, 40, fixture(3)).start()
	darkScreen := auto.screen()
	auto.send(tea.BackgroundColorMsg{Color: lightColor{}})
	lightScreen := auto.screen()
	if darkScreen == lightScreen {
		t.Fatal("auto did not follow a light background")
	}

	light := newHarness(t, 120, 40, fixture(3), theme("light")).start()
	if light.screen() != lightScreen {
		t.Error("theme light does not draw the light palette from the start")
	}
	light.send(tea.BackgroundColorMsg{Color: color.Black})
	if light.screen() != lightScreen {
		t.Error("theme light gave way to a dark background")
	}
	dark := newHarness(t, 120, 40, fixture(3), theme("Dark")).start()
	dark.send(tea.BackgroundColorMsg{Color: lightColor{}})
	if dark.screen() != darkScreen {
		t.Error("theme dark gave way to a light background")
	}
}

var sgrColour = regexp.MustCompile(`\x1b\[[0-9;]*[34]8;[25];`)

func TestColourOverrides(t *testing.T) {
	colors := func(c map[string]string) func(*Options) { return func(o *Options) { o.Colors = c } }
	plainHS := newHarness(t, 120, 40, fixture(5)).start()
	base := plainHS.screen()

	hs := newHarness(t, 120, 40, fixture(5), colors(map[string]string{"cursor_bg": "#ff0000", "pinned": "214", "header_bg": "#abc"})).start()
	s := hs.screen()
	lines := strings.Split(s, "\n")
	if !strings.Contains(lines[2], "48;2;255;0;0") {
		t.Errorf("cursor row not on #ff0000: %q", lines[2])
	}
	if !strings.Contains(lines[3], "38;5;214m ● ") || !strings.Contains(lines[3], "1004") {
		t.Errorf("pin mark of 1004 not in 214: %q", lines[3])
	}
	if !strings.Contains(lines[0], "48;2;170;187;204") {
		t.Errorf("header not on #abc: %q", lines[0])
	}
	if ansi.Strip(s) != ansi.Strip(base) {
		t.Error("colours changed the text")
	}
	v := hs.m.View()
	if v.ForegroundColor != nil || v.BackgroundColor != nil {
		t.Error("the terminal's colours were set without fg or bg")
	}

	// values the dashboard cannot read are ignored
	hs = newHarness(t, 120, 40, fixture(5), colors(map[string]string{"cursor_bg": "red", "pinned": "300", "fg": "#12", "bg": "-1"})).start()
	if hs.screen() != base {
		t.Error("unreadable colours changed the screen")
	}

	// fg and bg become the terminal's colours
	hs = newHarness(t, 120, 40, fixture(5), colors(map[string]string{"fg": "#eeeeee", "bg": "#101010"})).start()
	v = hs.m.View()
	if !sameColour(v.ForegroundColor, parseColor("#eeeeee")) || !sameColour(v.BackgroundColor, parseColor("#101010")) {
		t.Errorf("terminal colours %v %v", v.ForegroundColor, v.BackgroundColor)
	}

	// NO_COLOR wins over everything
	hs = newHarness(t, 120, 40, fixture(5), colors(map[string]string{"fg": "#eeeeee", "bg": "#101010", "cursor_bg": "#ff0000"}),
		func(o *Options) { o.Env = []string{"NO_COLOR=1"}; o.Theme = "light" }).start()
	v = hs.m.View()
	if sgrColour.MatchString(v.Content) || v.ForegroundColor != nil || v.BackgroundColor != nil {
		t.Errorf("colour with NO_COLOR:\n%q", v.Content)
	}
}

func sameColour(a, b color.Color) bool {
	if a == nil || b == nil {
		return a == b
	}
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

func TestParseColor(t *testing.T) {
	for _, c := range []struct {
		in   string
		want color.Color
	}{
		{"#ffd75f", color.RGBA{0xff, 0xd7, 0x5f, 0xff}},
		{"#FFD75F", color.RGBA{0xff, 0xd7, 0x5f, 0xff}},
		{" #abc ", color.RGBA{0xaa, 0xbb, 0xcc, 0xff}},
		{"214", ansi.IndexedColor(214)},
		{"0", ansi.BasicColor(0)},
		{"15", ansi.BasicColor(15)},
		{"255", ansi.IndexedColor(255)},
		{"256", nil}, {"-1", nil}, {"+5", nil}, {"#ffd75", nil}, {"#gggggg", nil}, {"red", nil}, {"", nil}, {"#", nil},
	} {
		if got := parseColor(c.in); !sameColour(got, c.want) {
			t.Errorf("parseColor(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

var validColour = regexp.MustCompile(`^(#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})|[0-9]+)$`)

func FuzzParseColor(f *testing.F) {
	for _, s := range []string{"#ffd75f", "#abc", "214", "0", "256", "-1", "#", "red", "0x10", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := parseColor(s)
		if c != nil && !validColour.MatchString(strings.TrimSpace(s)) {
			t.Errorf("%q read as %v", s, c)
		}
	})
}

func TestHeaderShowsProfile(t *testing.T) {
	for _, l := range []i18n.Lang{i18n.EN, i18n.RU} {
		hs := newHarness(t, 120, 40, fixture(3), func(o *Options) { o.Profile = "work"; o.Lang = l }).start()
		header := strings.Split(plain(hs), "\n")[0]
		mustContain(t, header, "acme.bitrix24.ru (work) · Мария Иванова")
		hs = newHarness(t, 120, 40, fixture(3), func(o *Options) { o.Lang = l }).start()
		mustNotContain(t, strings.Split(plain(hs), "\n")[0], "(")
	}
}
