package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/linedesk/linedesk/internal/sanitize"
	"github.com/linedesk/linedesk/internal/state"
)

// dialog is the unpin-all confirmation. The focus starts on Cancel.
type dialog struct {
	pinned, listed int
	names          []string
	focusConfirm   bool
}

// fill takes the counts and the first few pinned clients from the list.
func (d *dialog) fill(l state.List) {
	d.pinned, d.listed = l.Pinned(), l.Len()
	d.names = d.names[:0]
	for _, r := range l.PinnedRows(dialogNames) {
		name := sanitize.Line(r.Client)
		if name == "" {
			name = sanitize.Line(r.Title)
		}
		d.names = append(d.names, sanitize.Truncate(name, 24))
	}
}

func (m Model) dialogKey(k tea.KeyPressMsg) (Model, tea.Cmd) {
	d := *m.dialog
	switch k.String() {
	case "y", "Y":
		return m.confirm()
	case "n", "N", "esc", "q":
		m.dialog = nil
		return m, nil
	case "enter", "space":
		if d.focusConfirm {
			return m.confirm()
		}
		m.dialog = nil
		return m, nil
	case "tab", "shift+tab", "left", "right", "h", "l":
		d.focusConfirm = !d.focusConfirm
	}
	m.dialog = &d
	return m, nil
}

// render draws the dialog box, at most width cells wide.
func (d dialog) render(st *styles, width int) string {
	inner := min(60, width-8)
	wrap := lipgloss.NewStyle().Width(inner)
	var b strings.Builder
	b.WriteString(st.dialogTitle.Render(tx.DialogTitle))
	b.WriteString("\n\n")
	body := tx.DialogPinned(d.pinned, d.listed)
	if len(d.names) > 0 {
		body += " " + tx.DialogNames(d.names, d.pinned-len(d.names))
	}
	b.WriteString(wrap.Render(body))
	b.WriteString("\n\n")
	b.WriteString(wrap.Render(st.dim.Render(tx.DialogScope)))
	b.WriteString("\n\n")
	cancel, confirm := st.buttonFocus, st.buttonDanger
	cl, cr, ol, or := "›", "‹", " ", " "
	if d.focusConfirm {
		cancel, confirm = st.button, st.buttonFocus
		cl, cr, ol, or = " ", " ", "›", "‹"
	}
	if !st.noColor { // the colours show the focus; markers only without them
		cl, cr, ol, or = " ", " ", " ", " "
	}
	buttons := cl + cancel.Render(tx.Cancel) + cr + "   " + ol + confirm.Render(tx.Confirm) + or
	b.WriteString(lipgloss.PlaceHorizontal(inner, lipgloss.Right, buttons))
	b.WriteString("\n\n")
	b.WriteString(st.dim.Render(sanitize.Truncate(tx.DialogKeys, inner)))
	return st.dialog.Render(b.String())
}
