package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/linedesk/linedesk/internal/state"
)

// binding is one entry of the keymap: the keys, what they do, whether the
// one-line help shows them, and why they do nothing right now. The key
// help line and the full help are both generated from keymap, so they can
// never disagree with what the keys do.
type binding struct {
	key.Binding
	short    int                   // place in the one-line help: 0 = not there; as space runs out, the highest go first
	quiet    bool                  // a press while disabled says nothing
	disabled func(m *Model) string // "" = enabled
	run      func(m Model, k tea.KeyPressMsg) (Model, tea.Cmd)
}

func newKeymap() []binding {
	b := func(desc, helpKey string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
	}
	return []binding{
		{Binding: b(tx.KeyMove, "↑↓/jk", "up", "k", "down", "j"), short: 4, run: moveKey},
		{Binding: b(tx.KeyPage, "pgup/pgdn", "pgup", "pgdown"), run: pageKey},
		{Binding: b(tx.KeyHomeEnd, "g/G", "g", "home", "G", "end"), run: homeEndKey},
		{Binding: b(tx.KeyUnpin, "u", "u"), short: 3, disabled: unpinDisabled, run: openDialog},
		{Binding: b(tx.KeyRefresh, "r", "r"), short: 5, disabled: refreshDisabled, run: refreshNow},
		{Binding: b(tx.KeyClear, "esc", "esc"), short: 6, quiet: true, disabled: clearDisabled, run: clearHighlights},
		{Binding: b(tx.KeyHelp, "?", "?"), short: 2, run: toggleHelp},
		{Binding: b(tx.KeyQuit, "q", "q", "ctrl+c"), short: 1, run: quit},
	}
}

func unpinDisabled(m *Model) string {
	switch {
	case m.unpinning:
		return tx.UnpinInProgress
	case !m.conn.HasData():
		return tx.NotLoaded
	case m.conn.Health == state.Offline:
		return tx.PortalOffline
	case m.list.Pinned() == 0:
		return tx.NothingPinned
	}
	return ""
}

func refreshDisabled(m *Model) string {
	if m.sched.InFlight() {
		return tx.AlreadyRefreshing
	}
	return ""
}

func clearDisabled(m *Model) string {
	if m.hl.Len() == 0 {
		return tx.NothingHighlighed
	}
	return ""
}

func keyMatches(k tea.KeyPressMsg, b *binding) bool { return key.Matches(k, b.Binding) }
