package ui

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/linedesk/linedesk/internal/journal"
	"github.com/linedesk/linedesk/internal/state"
)

// Action names, as the configuration spells them (config.Actions).
const (
	actUp       = "up"
	actDown     = "down"
	actPageUp   = "page_up"
	actPageDown = "page_down"
	actTop      = "top"
	actBottom   = "bottom"
	actRefresh  = "refresh"
	actUnpinAll = "unpin_all"
	actPinAll   = "pin_all"
	actPin      = "pin"
	actUndo     = "undo"
	actFilter   = "filter"
	actSort     = "sort"
	actDetails  = "details"
	actOpen     = "open"
	actCopyID   = "copy_id"
	actCopyURL  = "copy_url"
	actClear    = "clear_highlight"
	actHelp     = "help"
	actQuit     = "quit"
	alwaysQuits = "ctrl+c" // bound to quit whatever the configuration says
	helpAlsoEsc = "esc"    // closes the help whatever the configuration says
	// esc also clears the filter and closes the details, whatever the
	// configuration says, before it does what it is bound to.
	filterAlsoEsc = "esc"
	keySeparator  = "/"
)

// action is one thing a key can do on the dashboard, with its default keys
// (the same as config.Default().Keys).
type action struct {
	name     string
	defaults []string
	desc     func(tx *text) string
	short    int                   // place in the one-line help: 0 = not there; as space runs out, the highest go first
	quiet    bool                  // a press while disabled says nothing
	disabled func(m *Model) string // "" = enabled
	run      func(m Model) (Model, tea.Cmd)
}

// actions in the order the help lists them, every action of the
// configuration (config.Actions).
var actions = []action{
	{name: actUp, defaults: []string{"up", "k"}, desc: func(tx *text) string { return tx.KeyUp }, short: 4,
		run: func(m Model) (Model, tea.Cmd) { m.cursor.Move(m.shown, -1); return m, nil }},
	{name: actDown, defaults: []string{"down", "j"}, desc: func(tx *text) string { return tx.KeyDown },
		run: func(m Model) (Model, tea.Cmd) { m.cursor.Move(m.shown, 1); return m, nil }},
	{name: actPageUp, defaults: []string{"pgup"}, desc: func(tx *text) string { return tx.KeyPageUp },
		run: func(m Model) (Model, tea.Cmd) { m.cursor.Page(m.shown, -1); return m, nil }},
	{name: actPageDown, defaults: []string{"pgdown"}, desc: func(tx *text) string { return tx.KeyPageDown },
		run: func(m Model) (Model, tea.Cmd) { m.cursor.Page(m.shown, 1); return m, nil }},
	{name: actTop, defaults: []string{"home", "g"}, desc: func(tx *text) string { return tx.KeyTop },
		run: func(m Model) (Model, tea.Cmd) { m.cursor.Home(m.shown); return m, nil }},
	{name: actBottom, defaults: []string{"end", "G"}, desc: func(tx *text) string { return tx.KeyBottom },
		run: func(m Model) (Model, tea.Cmd) { m.cursor.End(m.shown); return m, nil }},
	{name: actDetails, defaults: []string{"enter"}, desc: func(tx *text) string { return tx.KeyDetails }, short: 7,
		disabled: detailsDisabled, run: openDetails},
	{name: actFilter, defaults: []string{"/"}, desc: func(tx *text) string { return tx.KeyFilter }, short: 6,
		disabled: viewDisabled, run: startFilter},
	{name: actSort, defaults: []string{"s"}, desc: func(tx *text) string { return tx.KeySort }, short: 10,
		disabled: viewDisabled, run: cycleSort},
	{name: actPin, defaults: []string{"p"}, desc: func(tx *text) string { return tx.KeyPin }, short: 5,
		disabled: pinDisabled, run: pinOne},
	{name: actUnpinAll, defaults: []string{"u"}, desc: func(tx *text) string { return tx.KeyUnpin }, short: 3,
		disabled: unpinDisabled, run: openDialog(bulkUnpin)},
	{name: actPinAll, defaults: []string{"P"}, desc: func(tx *text) string { return tx.KeyPinAll },
		disabled: pinAllDisabled, run: openDialog(bulkPin)},
	{name: actUndo, defaults: []string{"U"}, desc: func(tx *text) string { return tx.KeyUndo }, short: 9,
		disabled: undoDisabled, run: openDialog(bulkUndo)},
	{name: actOpen, defaults: []string{"o"}, desc: func(tx *text) string { return tx.KeyOpen },
		disabled: chatDisabled, run: openInBrowser},
	{name: actCopyID, defaults: []string{"c"}, desc: func(tx *text) string { return tx.KeyCopyID },
		disabled: copyIDDisabled, run: copyID},
	{name: actCopyURL, defaults: []string{"C"}, desc: func(tx *text) string { return tx.KeyCopyURL },
		disabled: chatDisabled, run: copyURL},
	{name: actRefresh, defaults: []string{"r"}, desc: func(tx *text) string { return tx.KeyRefresh }, short: 8,
		disabled: refreshDisabled, run: refreshNow},
	{name: actClear, defaults: []string{"esc"}, desc: func(tx *text) string { return tx.KeyClear }, short: 11, quiet: true,
		disabled: clearDisabled, run: clearHighlights},
	{name: actHelp, defaults: []string{"?"}, desc: func(tx *text) string { return tx.KeyHelp }, short: 2,
		run: func(m Model) (Model, tea.Cmd) { m.helpOpen, m.helpScroll = !m.helpOpen, 0; return m, nil }},
	{name: actQuit, defaults: []string{"q", alwaysQuits}, desc: func(tx *text) string { return tx.KeyQuit }, short: 1,
		run: quit},
}

// binding is one entry of the keymap: an action with the operator's keys.
// The key help line and the full help are both generated from the keymap,
// so they can never disagree with what the keys do.
type binding struct {
	key.Binding // the keys, and the help: the keys as shown, what they do
	*action
	short     int    // as action.short, except for the entry folded into another
	shortHelp string // the keys as the one-line help shows them
	shortDesc string
}

// newKeymap binds every action to the operator's keys (user, by action
// name; a missing or empty entry keeps the default keys). A key the
// operator bound explicitly is taken away from the defaults of other
// actions; if two actions still share a key the first in the help order
// keeps it. ctrl+c belongs to quit alone.
func newKeymap(tx *text, user map[string][]string) []binding {
	explicit := map[string]string{}
	for _, a := range actions {
		for _, k := range user[a.name] {
			if _, taken := explicit[k]; !taken {
				explicit[k] = a.name
			}
		}
	}
	used := map[string]bool{}
	out := make([]binding, 0, len(actions))
	for i := range actions {
		a := &actions[i]
		keys, own := user[a.name], true
		if len(keys) == 0 {
			keys, own = a.defaults, false
		}
		var mine []string
		for _, k := range keys {
			switch {
			case k == "" || used[k] || slices.Contains(mine, k):
			case k == alwaysQuits && a.name != actQuit:
			case !own && explicit[k] != "" && explicit[k] != a.name:
			default:
				mine = append(mine, k)
			}
		}
		if a.name == actQuit && !slices.Contains(mine, alwaysQuits) {
			mine = append(mine, alwaysQuits)
		}
		for _, k := range mine {
			used[k] = true
		}
		b := binding{
			Binding:   key.NewBinding(key.WithKeys(mine...), key.WithHelp(tx.keyLabels(mine, false), a.desc(tx))),
			action:    a,
			short:     a.short,
			shortHelp: tx.keyLabels(mine, true),
			shortDesc: a.desc(tx),
		}
		out = append(out, b)
	}
	// The one-line help folds up and down into one entry: "↑↓/kj move".
	up, down := find(out, actUp), find(out, actDown)
	up.shortHelp, up.shortDesc = tx.pairLabels(up.Keys(), down.Keys()), tx.KeyMove
	down.short = 0
	return out
}

func find(km []binding, name string) *binding {
	for i := range km {
		if km[i].name == name {
			return &km[i]
		}
	}
	panic("ui: no action " + name)
}

// keysOf is how a sentence names the first key of an action and the fixed
// keys that do the same: "? or esc".
func (m *Model) keysOf(name string, fixed ...string) string {
	labels := []string{m.firstKeyOf(name)}
	for _, k := range fixed {
		labels = append(labels, m.tx.keyLabel(k))
	}
	labels = slices.DeleteFunc(labels, func(l string) bool { return l == "" })
	return strings.Join(slices.Compact(labels), m.tx.Or)
}

// firstKeyOf is the first key of an action as a sentence shows it.
func (m *Model) firstKeyOf(name string) string {
	if ks := find(m.keys, name).Keys(); len(ks) > 0 {
		return m.tx.keyLabel(ks[0])
	}
	return ""
}

// keyLabel is a key as the help shows it: arrows for the arrow keys, the
// space bar by its name in the language.
func (tx *text) keyLabel(k string) string {
	mods, base := "", k
	if i := strings.LastIndex(k, "+"); i > 0 && i < len(k)-1 {
		mods, base = k[:i+1], k[i+1:]
	}
	switch base {
	case "up":
		base = "↑"
	case "down":
		base = "↓"
	case "left":
		base = "←"
	case "right":
		base = "→"
	case "pgdown":
		base = "pgdn"
	case "space":
		base = tx.KeySpace
	}
	return mods + base
}

// keyLabels joins the labels of keys with "/". The one-line help leaves
// out keys with modifiers when a plain key does the same.
func (tx *text) keyLabels(keys []string, short bool) string {
	var plain, all []string
	for _, k := range keys {
		l := tx.keyLabel(k)
		all = append(all, l)
		if !strings.Contains(strings.TrimSuffix(k, "+"), "+") {
			plain = append(plain, l)
		}
	}
	if short && len(plain) > 0 {
		all = plain
	}
	return strings.Join(all, keySeparator)
}

// pairLabels shows two opposite actions in one entry, pairing their keys
// in order: up [up k] and down [down j] give "↑↓/kj".
func (tx *text) pairLabels(a, b []string) string {
	la := strings.Split(tx.keyLabels(a, true), keySeparator)
	lb := strings.Split(tx.keyLabels(b, true), keySeparator)
	var out, arrows []string
	for i := range max(len(la), len(lb)) {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		switch {
		case x == "" || y == "":
			out = append(out, x+y)
		case isArrow(x) && isArrow(y):
			arrows = append(arrows, x+y) // arrows first: "↑↓/kj"
		case utf8.RuneCountInString(x) == 1 && utf8.RuneCountInString(y) == 1:
			out = append(out, x+y)
		default:
			out = append(out, x+keySeparator+y)
		}
	}
	return strings.Join(append(arrows, out...), keySeparator)
}

func isArrow(label string) bool { return strings.Contains("↑↓←→", label) && label != "" }

// keyNames are the names a key press may be bound under, best first:
// Bubble Tea's string ("G", "ctrl+r") and its keystroke ("shift+g"). A
// letter outside ASCII also goes by the key in the same place on a US
// keyboard: from the terminal when it says (kitty protocol), else by the
// Russian ЙЦУКЕН layout, so that an operator who was just typing Russian
// to a client need not switch layouts. Latin layouts (AZERTY …) are taken
// as typed: there the letter on the key is the one meant.
func keyNames(k tea.KeyPressMsg) []string {
	names := []string{k.String()}
	add := func(s string) {
		if s != "" && !slices.Contains(names, s) {
			names = append(names, s)
		}
	}
	// Bubble Tea's keystroke names the key by its US place when the
	// terminal reports one; that is only wanted for non-Latin letters.
	typedKey := k.Key()
	typedKey.BaseCode = 0
	add(typedKey.Keystroke())
	if k.Code <= unicode.MaxASCII || !unicode.IsLetter(k.Code) {
		return names
	}
	if k.BaseCode != 0 && k.BaseCode <= unicode.MaxASCII {
		if k.Mod == tea.ModShift && unicode.IsLetter(k.BaseCode) {
			add(string(unicode.ToUpper(k.BaseCode)))
		} else {
			add(tea.Key{Code: k.BaseCode, Mod: k.Mod}.String())
		}
	}
	typed := k.Code
	if r, size := utf8.DecodeRuneInString(k.Text); size > 0 && size == len(k.Text) {
		typed = r
	}
	if us, ok := russianLayout[typed]; ok && k.Mod&^tea.ModShift == 0 {
		add(string(us))
	}
	return names
}

// russianLayout maps the letters of the Russian ЙЦУКЕН layout to the US
// key in the same place. Punctuation is left out: a "," may come from
// either layout, so it means only itself.
var russianLayout = func() map[rune]rune {
	ru := []rune("йцукенгшщзхъфывапролджэячсмитьбюё" + "ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ")
	us := []rune("qwertyuiop[]asdfghjkl;'zxcvbnm,.`" + "QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>~")
	m := make(map[rune]rune, len(ru))
	for i, r := range ru {
		m[r] = us[i]
	}
	return m
}()

// lookup is the binding for a key press: the first of its names that is
// bound decides, so a key bound as typed beats a layout translation.
func (m *Model) lookup(names []string) *binding {
	for _, n := range names {
		for i := range m.keys {
			if slices.Contains(m.keys[i].Keys(), n) {
				return &m.keys[i]
			}
		}
	}
	return nil
}

// is reports whether the key press with these names runs the named action.
func (m *Model) is(names []string, action string) bool {
	b := m.lookup(names)
	return b != nil && b.name == action
}

// portalDisabled is why nothing can be sent to the portal now, or "".
func portalDisabled(m *Model) string {
	switch {
	case m.busy == bulkUnpin:
		return m.tx.UnpinInProgress
	case m.busy == bulkPin:
		return m.tx.PinAllInProgress
	case m.busy == bulkUndo:
		return m.tx.UndoInProgress
	case !m.conn.HasData():
		return m.tx.NotLoaded
	case m.conn.Health == state.Offline:
		return m.tx.PortalOffline
	}
	return ""
}

func unpinDisabled(m *Model) string {
	if why := portalDisabled(m); why != "" {
		return why
	}
	if m.list.Pinned() == 0 {
		return m.tx.NothingPinned
	}
	return ""
}

func pinAllDisabled(m *Model) string {
	if why := portalDisabled(m); why != "" {
		return why
	}
	if m.list.Pinned() == m.list.Len() {
		return m.tx.AllPinned
	}
	return ""
}

func undoDisabled(m *Model) string {
	if why := portalDisabled(m); why != "" {
		return why
	}
	switch {
	case m.last == nil && m.journal != nil && !m.lastAsked:
		return m.tx.ReadingJournal
	case m.last == nil:
		return m.tx.NothingToUndo
	}
	switch journal.CheckUndo(*m.last, true) {
	case journal.LastFailed:
		return m.tx.UndoLastFailed(m.last.Bulk.Action.Pins())
	case journal.LastUnknown:
		return m.tx.UndoLastUnknown(m.last.Bulk.Action.Pins())
	case journal.LastChangedNothing:
		return m.tx.UndoChangedNothing(m.last.Bulk.Action.Pins())
	case journal.AlreadyUndone:
		return m.tx.AlreadyUndone
	}
	if m.plan == nil || len(m.plan.Restore) == 0 {
		return m.tx.NothingToRestore
	}
	return ""
}

// selectionDisabled is why there is no session to act on, or "".
func selectionDisabled(m *Model) string {
	if _, ok := m.selected(); !ok {
		return m.tx.NoSelection
	}
	return ""
}

func pinDisabled(m *Model) string {
	if why := portalDisabled(m); why != "" {
		return why
	}
	if why := selectionDisabled(m); why != "" {
		return why
	}
	s, _ := m.selected()
	switch {
	case hasKey(m.pins, keyOf(s)):
		return m.tx.PinUnderWay
	case s.ChatID <= 0:
		return m.tx.NoChat
	}
	return ""
}

func hasKey[V any](m map[int64]V, k int64) bool {
	_, ok := m[k]
	return ok
}

func detailsDisabled(m *Model) string { return selectionDisabled(m) }

// viewDisabled: the filter and the sort change the table, which the
// details hide.
func viewDisabled(m *Model) string {
	if m.detail != nil {
		return m.tx.CloseDetailsFirst
	}
	return ""
}

func chatDisabled(m *Model) string {
	if why := selectionDisabled(m); why != "" {
		return why
	}
	if s, _ := m.selected(); s.ChatID <= 0 {
		return m.tx.NoChat
	}
	return ""
}

func copyIDDisabled(m *Model) string {
	if why := selectionDisabled(m); why != "" {
		return why
	}
	if s, _ := m.selected(); s.SessionID <= 0 {
		return m.tx.NoSessionID
	}
	return ""
}

// refreshNow reads the list again, and the open details' messages.
func refreshNow(m Model) (Model, tea.Cmd) {
	m, cmd := m.refresh()
	if m.detail == nil {
		return m, cmd
	}
	was := m.spinning()
	m, hist := m.loadHistory()
	return m, tea.Batch(cmd, hist, m.spinStart(was))
}

func refreshDisabled(m *Model) string {
	if m.sched.InFlight() {
		return m.tx.AlreadyRefreshing
	}
	return ""
}

func clearDisabled(m *Model) string {
	if m.hl.Len() == 0 {
		return m.tx.NothingHighlighed
	}
	return ""
}
