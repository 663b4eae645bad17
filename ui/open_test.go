package ui

import (
	"errors"
	"slices"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/i18n"
)

// clipboard is what a command tree would put on the clipboard ("" none).
func clipboard(t *testing.T, msgs []tea.Msg, want string) bool {
	t.Helper()
	for _, m := range msgs {
		if m == tea.SetClipboard(want)() {
			return true
		}
	}
	return false
}

func TestDialogURL(t *testing.T) {
	for _, c := range []struct{ host, want string }{
		{"acme.bitrix24.ru", "https://acme.bitrix24.ru/online/?IM_DIALOG=chat3127"},
		{"portal.example.com:8443", "https://portal.example.com:8443/online/?IM_DIALOG=chat3127"},
		{"127.0.0.1:40123", "http://127.0.0.1:40123/online/?IM_DIALOG=chat3127"},
		{"localhost", "http://localhost/online/?IM_DIALOG=chat3127"},
		{"[::1]:8080", "http://[::1]:8080/online/?IM_DIALOG=chat3127"},
	} {
		if got := dialogURL(c.host, api.Session{ChatID: 3127, DialogID: "chat3127\x1b"}); got != c.want {
			t.Errorf("%s: %q, want %q", c.host, got, c.want)
		}
	}
}

func TestBrowserFor(t *testing.T) {
	for _, c := range []struct {
		env  []string
		some bool
	}{
		{[]string{"SSH_CONNECTION=1.2.3.4 22 5.6.7.8 22"}, false}, // SSH, no display
		{[]string{}, false}, // a Linux console
		{[]string{"DISPLAY=:0"}, true},
		{[]string{"WAYLAND_DISPLAY=wayland-0"}, true},
		{[]string{"SSH_TTY=/dev/pts/1", "BROWSER=w3m"}, true}, // the operator said which
		{[]string{"BROWSER= "}, false},
	} {
		if got := browserFor(c.env) != nil; got != c.some {
			t.Errorf("%v: a browser %v, want %v", c.env, got, c.some)
		}
	}
}

func TestRunBrowserVar(t *testing.T) {
	if err := runBrowserVar("false:true", "https://example.test/"); err != nil {
		t.Errorf("the second command should have started: %v", err)
	}
	if err := runBrowserVar("false", "https://example.test/"); err == nil {
		t.Error("a browser that fails reported success")
	}
	if err := runBrowserVar("/nonexistent/browser", "https://example.test/"); err == nil {
		t.Error("a missing browser reported success")
	}
	if err := runBrowserVar("sh -c %s", "exit 3"); err == nil {
		t.Errorf("the %%s of $BROWSER was not replaced by the address")
	}
}

func TestOpenInBrowser(t *testing.T) {
	hs := newHarness(t, 140, 40, fixture(10)).start()
	var opened []string
	hs.m.openURL = func(u string) error { opened = append(opened, u); return nil }
	hs.key("o")
	want := "https://acme.bitrix24.ru/online/?IM_DIALOG=chat" + "3037" // 1010*3+7
	if !slices.Equal(opened, []string{want}) {
		t.Fatalf("opened %v, want %s", opened, want)
	}
	mustContain(t, plain(hs), "Opened in the browser: "+want)

	hs.m.openURL = func(string) error { return errors.New("exec: xdg-open: not found") }
	msgs := hs.key("o")
	if !clipboard(t, msgs, want) {
		t.Error("the link was not copied when the browser failed")
	}
	mustContain(t, plain(hs), "The browser did not start; the link is copied: "+want)

	hs.m.openURL = nil // SSH: no browser here
	msgs = hs.key("o")
	if !clipboard(t, msgs, want) {
		t.Error("the link was not copied where no browser can start")
	}
	mustContain(t, plain(hs), "No browser here; the link is copied: "+want)
}

func TestCopyIDAndURL(t *testing.T) {
	hs := newHarness(t, 140, 40, fixture(10)).start()
	hs.key("j")
	if !clipboard(t, hs.key("c"), "1009") {
		t.Error("c did not copy the session ID")
	}
	mustContain(t, plain(hs), "Copied session ID 1009.")
	if !clipboard(t, hs.key("C"), "https://acme.bitrix24.ru/online/?IM_DIALOG=chat3034") {
		t.Error("C did not copy the dialog link")
	}
	mustContain(t, plain(hs), "Copied https://acme.bitrix24.ru/online/?IM_DIALOG=chat3034")

	ss := fixture(2)
	ss[0].SessionID, ss[1].ChatID = 0, 0
	hs = newHarness(t, 140, 40, ss).start()
	if msgs := hs.key("c"); len(raws(msgs)) != 0 || clipboard(t, msgs, "0") {
		t.Error("copied a session ID the portal did not give")
	}
	mustContain(t, plain(hs), "copy session ID: the portal gave no ID for this session")
	hs.key("j", "o")
	mustContain(t, plain(hs), "open in browser: the portal gave no chat for this session")
}

func TestCopyRussian(t *testing.T) {
	hs := newHarness(t, 140, 40, fixture(3), func(o *Options) { o.Lang = i18n.RU }).start()
	hs.key("c")
	mustContain(t, plain(hs), "ID сессии 1003 скопирован.")
}
