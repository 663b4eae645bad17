package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/linedesk/linedesk/internal/sanitize"
	"github.com/linedesk/linedesk/internal/state"
)

// Notifications: when a session arrives, or a client writes into a
// session that had no unread messages, and the terminal window does not
// have the focus (it said so: View.ReportFocus), the bell rings and a
// desktop notification goes out as an escape sequence the terminal turns
// into one. Each session notifies at most once a minute.

// notifyOf sends the notification for events, if any may notify now.
func (m Model) notifyOf(events []state.Event) (Model, tea.Cmd) {
	if len(events) == 0 || m.focused || (!m.notify.Bell && !m.notify.Desktop) {
		return m, nil
	}
	var allowed []state.Event
	m.throttle, allowed = m.throttle.Allow(events, m.clock)
	if len(allowed) == 0 {
		return m, nil
	}
	var b strings.Builder
	if m.notify.Desktop {
		title, body := m.notification(allowed)
		b.WriteString(desktopNotification(m.env, title, body))
	}
	if m.notify.Bell {
		b.WriteByte(ansi.BEL)
	}
	return m, tea.Raw(b.String())
}

// notification is the title and text for events: the client and what
// they wrote when there is one event, counts when there are more.
func (m Model) notification(events []state.Event) (title, body string) {
	tx := m.tx
	if len(events) == 1 {
		e := events[0]
		name := nameOf(e.Row.Session, 40)
		if e.Kind == state.Arrived {
			return tx.NotifyArrivedTitle, joinNonEmpty(" · ", name, channelName(tx, e.Row.Connector), sanitize.Fit(e.Row.LineName, 60))
		}
		return tx.NotifyWroteTitle(name), sanitize.Fit(e.Row.LastMessage, 120)
	}
	var arrived, wrote int
	for _, e := range events {
		if e.Kind == state.Arrived {
			arrived++
		} else {
			wrote++
		}
	}
	return tx.AppName, tx.NotifyMany(arrived, wrote)
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// desktopNotification is the escape sequence for a notification in the
// terminal of env: OSC 777 ("notify;title;body") for the terminals that
// take it (VTE-based ones such as GNOME Terminal, foot, urxvt), else
// OSC 9 (iTerm2, kitty, WezTerm, Ghostty, Windows Terminal …), never
// both, as some terminals would show two. The text is made safe for the
// sequence: no controls, and no ";" inside OSC 777's fields.
func desktopNotification(env []string, title, body string) string {
	title, body = sanitize.Line(title), sanitize.Line(body)
	get := func(name string) string {
		for _, kv := range env {
			if v, ok := strings.CutPrefix(kv, name+"="); ok {
				return v
			}
		}
		return ""
	}
	term := get("TERM")
	if get("VTE_VERSION") != "" || strings.HasPrefix(term, "foot") || strings.HasPrefix(term, "rxvt") {
		semi := strings.NewReplacer(";", ",")
		return ansi.URxvtExt("notify", semi.Replace(title), semi.Replace(body))
	}
	if body == "" {
		return ansi.Notify(title)
	}
	return ansi.Notify(title + ": " + body)
}
