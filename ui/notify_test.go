package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/linedesk/linedesk/internal/i18n"
)

// raws are the raw sequences a command tree would write to the terminal.
func raws(msgs []tea.Msg) []string {
	var out []string
	for _, m := range msgs {
		if r, ok := m.(tea.RawMsg); ok {
			out = append(out, r.Msg.(string))
		}
	}
	return out
}

func notifyHarness(t *testing.T, opt ...func(*Options)) *harness {
	t.Helper()
	opts := append([]func(*Options){func(o *Options) { o.Notify = Notify{Bell: true, Desktop: true} }}, opt...)
	return newHarness(t, 120, 40, fixture(10), opts...).start()
}

// arrive adds a new session 2000 (client Zoë) to the portal and reads the
// list; it returns what the refresh wrote to the terminal.
func arrive(hs *harness, id int64, client string) []string {
	hs.portal.set(func(f *fakePortal) {
		s := fixture(1)[0]
		s.SessionID, s.ChatID, s.Client, s.Connector, s.LineName = id, id*3+7, client, "telegrambot", "Sales"
		s.Unread, s.LastActivity = 1, t0.Add(time.Second)
		f.snap.Sessions = append(f.snap.Sessions, &s)
	})
	return raws(hs.key("r"))
}

func TestNotifyOnlyWithoutFocus(t *testing.T) {
	hs := notifyHarness(t)
	if !hs.m.View().ReportFocus {
		t.Fatal("focus reporting is off")
	}
	if got := arrive(hs, 2000, "Zoë"); len(got) != 0 {
		t.Fatalf("notified while the window has the focus: %q", got)
	}
	hs.send(tea.BlurMsg{})
	got := arrive(hs, 2001, "Zoë")
	if len(got) != 1 || got[0] != "\x1b]9;New session: Zoë · Telegram · Sales\x07\x07" {
		t.Fatalf("notification %q, want OSC 9 then the bell", got)
	}
	hs.send(tea.FocusMsg{})
	if got := arrive(hs, 2002, "Zoë"); len(got) != 0 {
		t.Errorf("notified after the focus came back: %q", got)
	}
}

func TestNotifyWhenAClientWritesFirst(t *testing.T) {
	hs := notifyHarness(t)
	hs.send(tea.BlurMsg{})
	write := func(i, unread int, msg string) []string {
		hs.portal.set(func(f *fakePortal) { f.snap.Sessions[i].Unread, f.snap.Sessions[i].LastMessage = unread, msg })
		hs.clk.Add(time.Second)
		return raws(hs.key("r"))
	}
	// fixture(10)[0] (1010) has no unread message
	got := write(0, 1, "Есть кто?\x1b[2J")
	if len(got) != 1 || got[0] != "\x1b]9;Анна Петрова wrote: Есть кто?\x07\x07" {
		t.Fatalf("notification %q", got)
	}
	// another message into a session with unread messages already: nothing
	if got := write(0, 2, "Алло"); len(got) != 0 {
		t.Errorf("notified again for a session that had unread messages: %q", got)
	}
	// read, then written into again within the minute: nothing; after it: again
	write(0, 0, "")
	if got := write(0, 1, "Ещё вопрос"); len(got) != 0 {
		t.Errorf("the same session notified twice in a minute: %q", got)
	}
	write(0, 0, "")
	hs.clk.Add(time.Minute)
	if got := write(0, 1, "Ещё вопрос"); len(got) != 1 {
		t.Errorf("no notification a minute later: %q", got)
	}
}

func TestNotifyCountsManyEvents(t *testing.T) {
	hs := notifyHarness(t)
	hs.send(tea.BlurMsg{})
	hs.portal.set(func(f *fakePortal) {
		f.snap.Sessions[0].Unread = 3
		for _, id := range []int64{3000, 3001} {
			s := fixture(1)[0]
			s.SessionID, s.ChatID = id, id*3
			f.snap.Sessions = append(f.snap.Sessions, &s)
		}
	})
	got := raws(hs.key("r"))
	if len(got) != 1 || got[0] != "\x1b]9;linedesk: 2 new sessions, 1 client wrote\x07\x07" {
		t.Errorf("notification %q", got)
	}
}

func TestNotifySettings(t *testing.T) {
	for _, c := range []struct {
		name   string
		notify Notify
		env    []string
		want   string
	}{
		{"off", Notify{}, nil, ""},
		{"bell only", Notify{Bell: true}, nil, "\x07"},
		{"desktop only", Notify{Desktop: true}, nil, "\x1b]9;New session: Zoë · Telegram · Sales\x07"},
		{"GNOME Terminal", Notify{Desktop: true}, []string{"VTE_VERSION=7200"}, "\x1b]777;notify;New session;Zoë · Telegram · Sales\x07"},
		{"foot", Notify{Desktop: true}, []string{"TERM=foot"}, "\x1b]777;notify;New session;Zoë · Telegram · Sales\x07"},
	} {
		t.Run(c.name, func(t *testing.T) {
			hs := newHarness(t, 120, 40, fixture(5), func(o *Options) {
				o.Notify = c.notify
				if c.env != nil {
					o.Env = c.env
				}
			}).start()
			hs.send(tea.BlurMsg{})
			got := strings.Join(arrive(hs, 2000, "Zoë"), "")
			if got != c.want {
				t.Errorf("wrote %q, want %q", got, c.want)
			}
		})
	}
}

func TestNotificationTextIsSafe(t *testing.T) {
	hs := notifyHarness(t, func(o *Options) { o.Env = []string{"VTE_VERSION=7200"} })
	hs.send(tea.BlurMsg{})
	got := strings.Join(arrive(hs, 2000, "Evil;\x07\x1b]52;c;AAAA\x07 Name"), "")
	if strings.Count(got, "\x07") != 2 || strings.Count(got, "\x1b") != 1 || strings.Count(got, ";") != 3 {
		t.Errorf("the client's name broke out of the sequence: %q", got)
	}
}

func TestNotifyRussian(t *testing.T) {
	hs := notifyHarness(t, func(o *Options) { o.Lang = i18n.RU })
	hs.send(tea.BlurMsg{})
	got := arrive(hs, 2000, "Зоя")
	if len(got) != 1 || got[0] != "\x1b]9;Новая сессия: Зоя · Telegram · Sales\x07\x07" {
		t.Errorf("notification %q", got)
	}
	if s := russian.NotifyMany(5, 2); s != "5 новых сессий, 2 клиента написали" {
		t.Errorf("plural: %q", s)
	}
}

func TestNoNotificationOnTheFirstLoad(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(5), func(o *Options) { o.Notify = Notify{Bell: true, Desktop: true} })
	hs.send(tea.BlurMsg{})
	if got := raws(hs.run(hs.m.Init())); len(got) != 0 {
		t.Errorf("the first list notified: %q", got)
	}
}
