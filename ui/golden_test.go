package ui

import (
	"fmt"
	"syscall"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/i18n"
)

// configured is an operator's configuration as the CLI passes it.
func configured(o *Options) {
	o.Keys = map[string][]string{
		"down": {"n", "down"}, "up": {"e", "up"}, "refresh": {"ctrl+r"}, "unpin_all": {"U"},
		"help": {"f1"}, "pin_all": {"P"}, // pin_all: not on the dashboard yet
	}
	o.Columns = []string{"id", "unread", "client", "message", "age"}
	o.Theme = "light"
	o.Colors = map[string]string{"cursor_bg": "#ffd75f", "cursor_fg": "16", "unread": "160"}
}

// The goldens hold View().Content: what the model draws, with its ANSI
// styling, at a fixed clock, with the environment given in Options.Env (so
// NO_COLOR is pinned) and independent of the terminal's colour profile,
// which Bubble Tea applies later when it writes the frame. Refresh with
// `go test ./ui -update` and read the files (`cat` shows the colours).
func TestGolden(t *testing.T) {
	noColor := func(o *Options) { o.Env = []string{"NO_COLOR=1", "TERM=xterm-256color"} }
	profile := func(o *Options) { o.Profile = "work" }
	cases := []struct {
		name string
		w, h int
		opts []func(*Options)
		do   func(hs *harness)
	}{
		{name: "list_80x24", w: 80, h: 24, do: func(hs *harness) { hs.key("j", "j") }},
		{name: "list_120x40", w: 120, h: 40, opts: []func(*Options){profile}, do: func(hs *harness) { hs.key("j") }},
		{name: "list_60x15", w: 60, h: 15},
		{name: "too_small_40x8", w: 40, h: 8},
		{name: "dialog_80x24", w: 80, h: 24, do: func(hs *harness) { hs.key("u") }},
		{name: "dialog_confirm_focus_80x24", w: 80, h: 24, do: func(hs *harness) { hs.key("u", "tab") }},
		{name: "highlighted_120x40", w: 120, h: 40, do: func(hs *harness) {
			hs.portal.set(func(f *fakePortal) { f.unpinIDs = []int64{1039, 1035, 1031, 77} })
			hs.key("u", "y", "j")
		}},
		{name: "no_color_80x24", w: 80, h: 24, opts: []func(*Options){noColor}, do: func(hs *harness) {
			hs.portal.set(func(f *fakePortal) { f.unpinIDs = []int64{1039, 1035} })
			hs.key("u", "y")
		}},
		{name: "no_color_dialog_80x24", w: 80, h: 24, opts: []func(*Options){noColor}, do: func(hs *harness) { hs.key("u") }},
		{name: "light_background_80x24", w: 80, h: 24, do: func(hs *harness) {
			hs.send(tea.BackgroundColorMsg{Color: lightColor{}})
			hs.portal.set(func(f *fakePortal) { f.unpinIDs = []int64{1039} })
			hs.key("u", "y", "j")
		}},
		{name: "help_80x24", w: 80, h: 24, do: func(hs *harness) { hs.key("?") }},
		{name: "help_scrolled_80x24", w: 80, h: 24, do: func(hs *harness) { hs.key("?", "pgdown") }},
		{name: "details_80x24", w: 80, h: 24, do: openDetailsGolden},
		{name: "details_120x40", w: 120, h: 40, do: openDetailsGolden},
		{name: "details_scrolled_80x24", w: 80, h: 24, do: func(hs *harness) { openDetailsGolden(hs); hs.key("pgdown") }},
		{name: "details_loading_80x24", w: 80, h: 24, do: func(hs *harness) { hs.hold(keyMsg("enter")) }},
		{name: "filter_typing_80x24", w: 80, h: 24, do: func(hs *harness) {
			hs.key("/")
			typeText(hs, "smith")
		}},
		{name: "filter_sorted_120x40", w: 120, h: 40, do: filterSortedGolden},
		{name: "filter_no_match_80x24", w: 80, h: 24, do: func(hs *harness) {
			hs.key("/")
			typeText(hs, "zzz")
			hs.key("enter")
		}},
		{name: "pin_all_dialog_80x24", w: 80, h: 24, do: func(hs *harness) {
			hs.key("/")
			typeText(hs, "john")
			hs.key("enter", "P")
		}},
		{name: "undo_dialog_80x24", w: 80, h: 24, do: undoDialogGolden},
		{name: "undone_120x40", w: 120, h: 40, do: func(hs *harness) { undoDialogGolden(hs); hs.key("y") }},
		{name: "no_color_details_80x24", w: 80, h: 24, opts: []func(*Options){noColor}, do: openDetailsGolden},
		{name: "offline_80x24", w: 80, h: 24, do: func(hs *harness) {
			hs.portal.set(func(f *fakePortal) { f.snapErr = fmt.Errorf("%w: %w", api.ErrUnreachable, syscall.ECONNREFUSED) })
			hs.clk.Add(95e9)
			hs.key("r")
		}},
	}
	ru := func(o *Options) { o.Lang = i18n.RU }
	cases = append(cases, []struct {
		name string
		w, h int
		opts []func(*Options)
		do   func(hs *harness)
	}{
		{name: "ru_list_80x24", w: 80, h: 24, opts: []func(*Options){ru}, do: func(hs *harness) { hs.key("j", "j") }},
		{name: "ru_list_120x40", w: 120, h: 40, opts: []func(*Options){ru, profile}, do: func(hs *harness) { hs.key("j") }},
		{name: "ru_too_small_40x8", w: 40, h: 8, opts: []func(*Options){ru}},
		{name: "ru_dialog_80x24", w: 80, h: 24, opts: []func(*Options){ru}, do: func(hs *harness) { hs.key("u") }},
		{name: "ru_dialog_colleagues_80x24", w: 80, h: 24, opts: []func(*Options){ru}, do: func(hs *harness) {
			hs.portal.set(func(f *fakePortal) { f.snap.Sessions[1].OwnerID = 2 })
			hs.key("r", "u")
		}},
		{name: "ru_highlighted_120x40", w: 120, h: 40, opts: []func(*Options){ru}, do: func(hs *harness) {
			hs.portal.set(func(f *fakePortal) { f.unpinIDs = []int64{1039, 1035, 1031, 77} })
			hs.key("u", "y", "j")
		}},
		{name: "ru_no_color_80x24", w: 80, h: 24, opts: []func(*Options){ru, noColor}, do: func(hs *harness) {
			hs.portal.set(func(f *fakePortal) { f.unpinIDs = []int64{1039, 1035} })
			hs.key("u", "y")
		}},
		{name: "ru_help_80x24", w: 80, h: 24, opts: []func(*Options){ru}, do: func(hs *harness) { hs.key("?") }},
		{name: "ru_help_60x15", w: 60, h: 15, opts: []func(*Options){ru}, do: func(hs *harness) { hs.key("?") }},
		{name: "ru_offline_80x24", w: 80, h: 24, opts: []func(*Options){ru}, do: func(hs *harness) {
			hs.portal.set(func(f *fakePortal) { f.snapErr = fmt.Errorf("%w: %w", api.ErrUnreachable, syscall.ECONNREFUSED) })
			hs.clk.Add(95e9)
			hs.key("r")
		}},
		{name: "ru_details_80x24", w: 80, h: 24, opts: []func(*Options){ru}, do: openDetailsGolden},
		{name: "ru_filter_typing_80x24", w: 80, h: 24, opts: []func(*Options){ru}, do: func(hs *harness) {
			hs.key("/")
			typeText(hs, "анна")
		}},
		{name: "ru_filter_sorted_120x40", w: 120, h: 40, opts: []func(*Options){ru}, do: filterSortedGolden},
		{name: "ru_pin_all_dialog_80x24", w: 80, h: 24, opts: []func(*Options){ru}, do: func(hs *harness) {
			hs.key("/")
			typeText(hs, "john")
			hs.key("enter", "P")
		}},
		{name: "ru_undo_dialog_80x24", w: 80, h: 24, opts: []func(*Options){ru}, do: undoDialogGolden},
		// the operator's configuration: own keys, columns and colours
		{name: "configured_help_80x24", w: 80, h: 24, opts: []func(*Options){configured}, do: func(hs *harness) { hs.key("f1") }},
		{name: "configured_list_100x24", w: 100, h: 24, opts: []func(*Options){configured}, do: func(hs *harness) { hs.key("n") }},
	}...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.opts = append([]func(*Options){crm}, c.opts...)
			hs := newHarness(t, c.w, c.h, fixture(40), c.opts...).start()
			hs.clk.Add(4e9) // "updated 4s ago"
			hs.send(tWin(c.w, c.h))
			if c.do != nil {
				c.do(hs)
			}
			golden.RequireEqual(t, hs.screen())
		})
	}
}

// crm gives the first session of the golden fixture a CRM binding.
func crm(o *Options) {
	f := o.Portal.(*fakePortal)
	f.snap.Sessions[0].CRM = []api.CRMBinding{{Type: "DEAL", ID: 318}}
	f.snap.Sessions[0].CRMLinked = true
	f.hist = map[int64]api.History{1040: history1040()}
}

func openDetailsGolden(hs *harness) { hs.key("enter") }

func filterSortedGolden(hs *harness) {
	hs.key("/")
	typeText(hs, "поддержка")
	hs.key("enter", "s", "j")
}

// undoDialogGolden: unpin-all, then 1039 closes and 1035 goes, then U.
func undoDialogGolden(hs *harness) {
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = pinnedIDs(f.snap.Sessions) })
	hs.key("u", "y")
	hs.portal.set(func(f *fakePortal) {
		f.snap.Sessions[1].Status = api.StatusClose
		f.snap.Sessions = append(f.snap.Sessions[:5], f.snap.Sessions[6:]...)
	})
	hs.key("r", "U")
}
