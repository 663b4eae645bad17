package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/journal"
	"github.com/linedesk/linedesk/internal/sanitize"
	"github.com/linedesk/linedesk/internal/state"
)

// dialog confirms a bulk action: unpin-all, pin-all or an undo. The focus
// starts on Cancel.
type dialog struct {
	kind bulkKind
	// unpin-all and pin-all: the sessions listed that the action changes
	// (pinned ones for unpin-all, unpinned ones for pin-all), how many of
	// those are the operator's own, how many the filter hides.
	count, mine, listed, hidden int
	names                       []string
	// undo: what it restores and what it cannot.
	when                  string // the time of the action undone
	undoPins              bool   // undo pins again (it undoes an unpin-all)
	restore               int
	closed, gone, already []int64
	focusConfirm          bool
}

// openDialog is the action that opens the dialog of kind.
func openDialog(kind bulkKind) func(m Model) (Model, tea.Cmd) {
	return func(m Model) (Model, tea.Cmd) {
		d := &dialog{kind: kind}
		d.fill(&m)
		m.dialog = d
		m.helpOpen = false
		return m, nil
	}
}

// fill takes the counts and the first few clients from the model.
// Sessions whose responsible operator is someone else, and queue offers
// that have none yet, are counted apart: unpin-all and pin-all act on the
// caller's own sessions (PROTOCOL §10.3, inferred), so the dialog does not
// promise to change those.
func (d *dialog) fill(m *Model) {
	if d.kind == bulkUndo {
		d.fillUndo(m)
		return
	}
	pin := d.kind == bulkPin
	l, me := m.list, m.me.ID
	d.count, d.listed, d.mine, d.hidden = 0, l.Len(), 0, 0
	d.names = nil
	var others []string
	for i := range l.Len() {
		r := l.At(i)
		if r.Pinned == pin {
			continue // already as the action leaves it
		}
		d.count++
		name := nameOf(r.Session, 24)
		// a queue offer has no operator yet: pin-all does not take it
		offer := pin && r.StatusKnown && r.Status.Offer()
		if (r.OwnerID == 0 || r.OwnerID == me) && !offer {
			d.mine++
			if !m.shown.Has(r.Key) {
				d.hidden++
			}
			if len(d.names) < dialogNames {
				d.names = append(d.names, name)
			}
		} else if len(others) < dialogNames {
			others = append(others, name)
		}
	}
	if d.mine == 0 {
		d.names = others
		d.hidden = d.count - m.shown.Count(func(r state.Row) bool { return r.Pinned != pin })
	}
}

func (d *dialog) fillUndo(m *Model) {
	d.restore, d.names = 0, nil
	d.closed, d.gone, d.already = nil, nil, nil
	if m.last != nil {
		d.when = m.tx.at(m.last.Bulk.Time, m.clock)
		d.undoPins = m.last.Bulk.Action == journal.UnpinAll
	}
	if m.plan == nil {
		return
	}
	d.restore = len(m.plan.Restore)
	for _, t := range m.plan.Restore {
		if len(d.names) >= dialogNames {
			break
		}
		if s, ok := m.list.Session(t.SessionID); ok {
			d.names = append(d.names, nameOf(&s, 24))
		}
	}
	for _, r := range m.plan.Skipped {
		switch r.Reason {
		case journal.ReasonClosed:
			d.closed = append(d.closed, r.SessionID)
		case journal.ReasonGone, journal.ReasonNoChat:
			d.gone = append(d.gone, r.SessionID)
		default:
			d.already = append(d.already, r.SessionID)
		}
	}
}

// nameOf is a session's client, sanitised and cut to width cells.
func nameOf(s *api.Session, width int) string {
	if name := sanitize.Fit(s.Client, width); name != "" {
		return name
	}
	return sanitize.Fit(s.Title, width)
}

// dialogKey handles a key while the dialog is open. Its keys are fixed
// (not rebindable), so that a confirmation always reads the same; the
// first of the press's names that means something here decides.
func (m Model) dialogKey(names []string) (Model, tea.Cmd) {
	d := *m.dialog
	for _, n := range names {
		switch n {
		case "y", "Y":
			return m.confirmDialog()
		case "n", "N", "esc", "q":
			m.dialog = nil
			return m, nil
		case "enter", "space":
			if d.focusConfirm {
				return m.confirmDialog()
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
	var title, body, scope, confirm string
	switch d.kind {
	case bulkUndo:
		title, confirm = tx.UndoTitle(d.when, d.undoPins), tx.ConfirmUndo(d.undoPins)
		body = tx.UndoWill(d.restore, d.names, d.restore-len(d.names), d.undoPins)
		var notes []string
		if len(d.closed)+len(d.gone) > 0 {
			notes = append(notes, tx.UndoCannot(d.closed, d.gone))
		}
		if len(d.already) > 0 {
			notes = append(notes, tx.UndoAlready(d.already, d.undoPins))
		}
		scope = strings.Join(notes, " ")
	default:
		pin := d.kind == bulkPin
		title, confirm = tx.DialogTitle, tx.Confirm
		body = tx.DialogPinned(d.count, d.mine, d.listed)
		scope = tx.DialogScope
		if pin {
			title, confirm = tx.PinAllTitle, tx.ConfirmPinAll
			body = tx.DialogUnpinned(d.count, d.mine, d.listed)
			scope = tx.PinAllScope
		}
		if len(d.names) > 0 {
			more := d.mine - len(d.names)
			if d.mine == 0 {
				more = d.count - len(d.names)
			}
			body += " " + tx.DialogNames(d.names, more)
		}
		if d.hidden > 0 {
			body += " " + tx.HiddenByFilter(d.hidden)
		}
	}
	var b strings.Builder
	b.WriteString(st.dialogTitle.Render(sanitize.Truncate(title, inner)))
	b.WriteString("\n\n")
	b.WriteString(wrap.Render(body))
	if scope != "" {
		b.WriteString("\n\n")
		b.WriteString(wrap.Render(st.dim.Render(scope)))
	}
	b.WriteString("\n\n")
	cancel, ok := st.buttonFocus, st.buttonDanger
	cl, cr, ol, or := "›", "‹", " ", " "
	if d.focusConfirm {
		cancel, ok = st.button, st.buttonFocus
		cl, cr, ol, or = " ", " ", "›", "‹"
	}
	if !st.noColor { // the colours show the focus; markers only without them
		cl, cr, ol, or = " ", " ", " ", " "
	}
	buttons := cl + cancel.Render(tx.Cancel) + cr + "   " + ol + ok.Render(confirm) + or
	b.WriteString(lipgloss.PlaceHorizontal(inner, lipgloss.Right, buttons))
	b.WriteString("\n\n")
	b.WriteString(st.dim.Render(sanitize.Truncate(tx.DialogKeys, inner)))
	return st.dialog.Render(b.String())
}
