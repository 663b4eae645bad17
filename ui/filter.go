package ui

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// The filter (/) narrows the table as the operator types; the sort (s)
// cycles the table's order. Both change only what is shown: the list,
// which bulk actions and the dialogs count, stays whole. The selection
// stays on its session, or moves to the nearest one still shown.

// filterLimit is the most characters the filter takes.
const filterLimit = 80

func newFilterInput(st *styles) textinput.Model {
	in := textinput.New()
	in.Prompt = "/"
	in.CharLimit = filterLimit
	in.SetVirtualCursor(false) // the terminal's own cursor: nothing blinks in the frames
	return styleFilterInput(in, st)
}

func styleFilterInput(in textinput.Model, st *styles) textinput.Model {
	s := in.Styles()
	for _, state := range []*textinput.StyleState{&s.Focused, &s.Blurred} {
		state.Prompt = st.filterPrompt
		state.Text = lipgloss.NewStyle()
		state.Placeholder = st.dim
	}
	in.SetStyles(s)
	return in
}

// startFilter gives the keys to the filter input, holding the filter
// there is to edit it.
func startFilter(m Model) (Model, tea.Cmd) {
	m.filtering = true
	m.input.SetValue(m.query.Filter)
	m.input.CursorEnd()
	m.input.Focus()
	return m, nil
}

// filterKey handles a key while the filter is typed: enter keeps the
// filter, esc clears it, the arrow and page keys move the selection, the
// rest edit the text (textinput's keys: ←/→, backspace, ctrl+w …).
func (m Model) filterKey(k tea.KeyPressMsg) (Model, tea.Cmd) {
	switch k.String() {
	case "esc":
		return m.clearFilter(), nil
	case "enter":
		m.filtering = false
		m.input.Blur()
		if !m.query.Filtering() {
			return m.clearFilter(), nil
		}
		return m, nil
	case "up":
		m.cursor.Move(m.shown, -1)
		return m, nil
	case "down":
		m.cursor.Move(m.shown, 1)
		return m, nil
	case "pgup":
		m.cursor.Page(m.shown, -1)
		return m, nil
	case "pgdown":
		m.cursor.Page(m.shown, 1)
		return m, nil
	}
	return m.editFilter(k)
}

func (m Model) onPaste(p tea.PasteMsg) (Model, tea.Cmd) {
	if !m.filtering {
		return m, nil
	}
	return m.editFilter(p)
}

// editFilter passes msg to the input and filters by what it then holds.
func (m Model) editFilter(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if v := m.input.Value(); v != m.query.Filter {
		m.query.Filter = v
		m = m.reselect()
	}
	return m, cmd
}

// clearFilter shows every session again and stops typing. The search
// text the filter built is dropped: 10,000 sessions need not carry it
// until the next filter.
func (m Model) clearFilter() Model {
	m.filtering = false
	m.input.Blur()
	m.input.SetValue("")
	m.list.DropSearch()
	if m.query.Filter == "" {
		return m
	}
	m.query.Filter = ""
	return m.reselect()
}

// cycleSort shows the table in the next order.
func cycleSort(m Model) (Model, tea.Cmd) {
	m.query.Sort = m.query.Sort.Next()
	return m.reselect(), nil
}

// filterCursor is where the terminal's cursor goes while the filter is
// typed: after the text before the input's cursor, on the status line.
func (m Model) filterCursor() *tea.Cursor {
	if !m.filtering || m.tooSmall() || m.dialog != nil || m.helpOpen {
		return nil
	}
	v := []rune(m.input.Value())
	pos := min(m.input.Position(), len(v))
	x := 1 + lipgloss.Width(m.input.Prompt) + lipgloss.Width(string(v[:pos]))
	if x >= m.width {
		return nil
	}
	return tea.NewCursor(x, m.height-2)
}
