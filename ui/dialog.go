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
	pinned, mine, listed int
	names                []string
	focusConfirm         bool
}

// fill takes the counts and the first few pinned clients from the list.
// Sessions whose responsible operator is someone else are counted apart:
// unpin-all acts on the caller's own sessions (PROTOCOL §10.3, inferred),
// so the dialog does not promise to unpin those.
func (d *dialog) fill(l state.List, me int64) {
	d.pinned, d.listed, d.mine = l.Pinned(), l.Len(), 0
	d.names = nil
	var others []string
	for _, r := range l.PinnedRows(-1) {
		name := sanitize.Line(r.Client)
		if name == "" {
			name = sanitize.Line(r.Title)
		}
		name = sanitize.Truncate(name, 24)
		if r.OwnerID == 0 || r.OwnerID == me {
			d.mine++
			if len(d.names) < dialogNames {
				d.names = append(d.names, name)
			}
		} else if len(others) < dialogNames {
			others = append(others, name)
		}
	}
	if d.mine == 0 {
		d.names = others
	}
}

// dialogKey handles a key while the dialog is open. Its keys are fixed
// (not rebindable), so that a confirmation always reads the same; the
// first of the press's names that means something here decides.
func (m Model) dialogKey(names []string) (Model, tea.Cmd) {
	d := *m.dialog
	for _, n := range names {
		switch n {
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
			m.dialog = &d
			return m, nil
		}
	}
	return m, nil
}

// render draws the dialog box, at most width cells wide.
func (d dialog) render(st *styles, tx *text, width int) string {
	inner := min(60, width-8)
	wrap := lipgloss.NewStyle().Width(inner)
	var b strings.Builder
	b.WriteString(st.dialogTitle.Render(tx.DialogTitle))
	b.WriteString("\n\n")
	body := tx.DialogPinned(d.pinned, d.mine, d.listed)
	if len(d.names) > 0 {
		more := d.mine - len(d.names)
		if d.mine == 0 {
			more = d.pinned - len(d.names)
		}
		body += " " + tx.DialogNames(d.names, more)
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
