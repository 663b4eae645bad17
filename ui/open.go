package ui

import (
	"errors"
	"net"
	"net/url"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/cli/browser"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/sanitize"
)

// Opening the selected dialog in the portal's web UI (o) and copying its
// session ID (c) or address (C). Copies go through OSC 52, which the
// terminal (even over SSH) puts on the operator's clipboard; where no
// browser can start, o shows and copies the address instead.

// openMsg is the outcome of starting a browser.
type openMsg struct {
	url string
	err error
}

// errNoBrowser: nothing here could show a web page (an SSH session
// without a display, and no $BROWSER).
var errNoBrowser = errors.New("no browser can start here")

// browserWait is how long a browser's launcher is given to fail; one
// still running then has started.
const browserWait = 3 * time.Second

// dialogURL is the address of a session's dialog in the web messenger
// (PROTOCOL §7.12): https://HOST/online/?IM_DIALOG=chatN.
func dialogURL(host string, s api.Session) string {
	scheme := "https"
	if isLoopback(host) {
		scheme = "http" // the simulated portal of --demo
	}
	return scheme + "://" + host + "/online/?IM_DIALOG=" + url.QueryEscape("chat"+strconv.FormatInt(s.ChatID, 10))
}

func isLoopback(host string) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.Trim(h, "[]")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// browserFor is how a URL opens in a browser where the dashboard runs
// (env is its environment), or nil where none can: $BROWSER when set (a
// colon-separated list of commands, "%s" standing for the address), else
// the system's opener (github.com/cli/browser) when there is a display to
// show it on. Over SSH without a display, a browser would start on the
// wrong machine or take over this terminal, so none is tried.
func browserFor(env []string) func(string) error {
	get := func(name string) string {
		for _, kv := range env {
			if v, ok := strings.CutPrefix(kv, name+"="); ok {
				return v
			}
		}
		return ""
	}
	if b := get("BROWSER"); strings.TrimSpace(b) != "" {
		return func(u string) error { return runBrowserVar(b, u) }
	}
	ssh := get("SSH_CONNECTION") != "" || get("SSH_TTY") != "" || get("SSH_CLIENT") != ""
	display := get("DISPLAY") != "" || get("WAYLAND_DISPLAY") != ""
	switch runtime.GOOS {
	case "windows":
	case "darwin":
		if ssh && !display {
			return nil
		}
	default:
		if !display {
			return nil
		}
	}
	return func(u string) error {
		return within(browserWait, func() error { return browser.OpenURL(u) })
	}
}

// runBrowserVar runs the first command of $BROWSER that starts.
func runBrowserVar(list, u string) error {
	err := errNoBrowser
	for _, entry := range strings.Split(list, ":") {
		f := strings.Fields(entry)
		if len(f) == 0 {
			continue
		}
		args, placed := make([]string, 0, len(f)), false
		for _, a := range f[1:] {
			if strings.Contains(a, "%s") {
				a, placed = strings.ReplaceAll(a, "%s", u), true
			}
			args = append(args, a)
		}
		if !placed {
			args = append(args, u)
		}
		cmd := exec.Command(f[0], args...) // no stdin or stdout: it must not take over the terminal
		if err = cmd.Start(); err != nil {
			continue
		}
		if err = within(browserWait, cmd.Wait); err == nil {
			return nil
		}
	}
	return err
}

// within runs f and returns its error if it ends within d, else nil (it
// keeps running: a browser that stays open has started).
func within(d time.Duration, f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		return nil
	}
}

// openInBrowser opens the selected dialog, or, where no browser can
// start, shows and copies its address.
func openInBrowser(m Model) (Model, tea.Cmd) {
	s, ok := m.selected()
	if !ok {
		return m, nil
	}
	u := dialogURL(m.host, s)
	if m.openURL == nil {
		return m.onOpen(openMsg{url: u, err: errNoBrowser})
	}
	open := m.openURL
	m.status = status{statusInfo, m.tx.Opening(sanitize.Line(u))}
	return m, func() tea.Msg { return openMsg{url: u, err: open(u)} }
}

func (m Model) onOpen(msg openMsg) (Model, tea.Cmd) {
	u := sanitize.Line(msg.url)
	switch {
	case msg.err == nil:
		m.status = status{statusOK, m.tx.Opened(u)}
		return m, nil
	case errors.Is(msg.err, errNoBrowser):
		m.status = status{statusInfo, m.tx.NoBrowser(u)}
	default:
		m.status = status{statusWarn, m.tx.BrowserFailed(u)}
	}
	return m, tea.SetClipboard(msg.url)
}

// copyID puts the selected session's ID on the clipboard.
func copyID(m Model) (Model, tea.Cmd) {
	s, ok := m.selected()
	if !ok || s.SessionID <= 0 {
		return m, nil
	}
	id := strconv.FormatInt(s.SessionID, 10)
	m.status = status{statusOK, m.tx.CopiedID(id)}
	return m, tea.SetClipboard(id)
}

// copyURL puts the selected dialog's address on the clipboard.
func copyURL(m Model) (Model, tea.Cmd) {
	s, ok := m.selected()
	if !ok {
		return m, nil
	}
	u := dialogURL(m.host, s)
	m.status = status{statusOK, m.tx.CopiedURL(sanitize.Line(u))}
	return m, tea.SetClipboard(u)
}
