package ui

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"

	"golang.org/x/time/rate"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/api/portalsim"
)

// Frame and keypress costs must not depend on how many sessions exist:
// compare the /100, /1000 and /10000 figures.
//
//	go test ./ui -run '^$' -bench . -benchmem

func benchModel(b *testing.B, n int) Model {
	hs := newHarness(b, 120, 40, fixture(n)).start()
	hs.m.View()
	return hs.m
}

func BenchmarkFrame(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := benchModel(b, n)
			b.ReportAllocs()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkKeypress is one j or k (Update) and the frame it causes (View),
// walking 50 rows down and back so that the window scrolls too.
func BenchmarkKeypress(b *testing.B) {
	down, up := keyMsg("j"), keyMsg("k")
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := benchModel(b, n)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				k := down
				if i/50%2 == 1 {
					k = up
				}
				i++
				mm, _ := m.Update(k)
				m = mm.(Model)
				_ = m.View()
			}
		})
	}
}

// BenchmarkRefresh10000 applies a refresh of 10,000 sessions (a tenth of
// them changed) to the model and draws the frame.
func BenchmarkRefresh10000(b *testing.B) {
	m := benchModel(b, 10000)
	a := snapshot(fixture(10000))
	c := snapshot(fixture(10000))
	for i := range c.Sessions {
		if i%10 == 0 {
			c.Sessions[i].Unread++
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		snap := a
		if i%2 == 1 {
			snap = c
		}
		i++
		seq, _ := m.sched.Begin()
		var mm tea.Model
		mm, _ = m.Update(snapshotMsg{seq: seq, snap: snap})
		m = mm.(Model)
		_ = m.View()
	}
}

// BenchmarkFilterKeystroke10000 is one key typed into the filter over
// 10,000 sessions (Update, which filters, and the frame it causes):
// typing "anna" and deleting it again, over and over.
func BenchmarkFilterKeystroke10000(b *testing.B) {
	m := benchModel(b, 10000)
	mm, _ := m.Update(keyMsg("/"))
	m = mm.(Model)
	typed := []tea.KeyPressMsg{keyMsg("a"), keyMsg("n"), keyMsg("n"), keyMsg("a")}
	back := tea.KeyPressMsg{Code: tea.KeyBackspace}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := back
		if i%8 < 4 {
			k = typed[i%4]
		}
		i++
		mm, _ := m.Update(k)
		m = mm.(Model)
		_ = m.View()
	}
}

// BenchmarkDetailsFrame is a frame of the details pane with 50 messages.
func BenchmarkDetailsFrame(b *testing.B) {
	hs := newHarness(b, 120, 40, fixture(10000))
	var msgs []api.HistoryMessage
	for i := range 50 {
		msgs = append(msgs, api.HistoryMessage{ID: int64(i), AuthorID: int64(i % 2), Author: "Анна", Date: t0, Text: strings.Repeat("Здравствуйте, где мой заказ? ", 5)})
	}
	hs.portal.set(func(f *fakePortal) { f.hist = map[int64]api.History{11000: {Messages: msgs}} })
	hs.start()
	hs.key("enter")
	m := hs.m
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// The same rows drawn by bubbles/v2's table, for comparison in the same
// run (go test ./ui -run '^$' -bench 'Frame|Keypress' -benchmem): its
// View and its j/k are the baseline the dashboard must not be slower than.
// Its rows are materialised as strings up front, outside the timing, which
// flatters it: the dashboard's figures include formatting its rows.

func bubblesTable(n int) table.Model {
	cols := []table.Column{{Title: "Pin", Width: 3}, {Title: "ID", Width: 5}, {Title: "Client", Width: 23}, {Title: "Channel", Width: 9},
		{Title: "Line", Width: 15}, {Title: "Status", Width: 12}, {Title: "Unread", Width: 6}, {Title: "Last", Width: 4}, {Title: "Last message", Width: 34}}
	rows := make([]table.Row, n)
	for i, s := range fixture(n) {
		pin := ""
		if s.Pinned {
			pin = " ●"
		}
		rows[i] = table.Row{pin, fmt.Sprint(s.SessionID), s.Client, s.Connector, s.LineName, s.Status.String(),
			fmt.Sprint(s.Unread), "3m", s.LastMessage}
	}
	return table.New(table.WithColumns(cols), table.WithRows(rows), table.WithFocused(true), table.WithHeight(36), table.WithWidth(120))
}

func BenchmarkBubblesFrame(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			t := bubblesTable(n)
			b.ReportAllocs()
			for b.Loop() {
				_ = t.View()
			}
		})
	}
}

func BenchmarkBubblesKeypress(b *testing.B) {
	down, up := keyMsg("j"), keyMsg("k")
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			t := bubblesTable(n)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				k := down
				if i/50%2 == 1 {
					k = up
				}
				i++
				t, _ = t.Update(k)
				_ = t.View()
			}
		})
	}
}

// BenchmarkFirstFrame is start-up to the first frame: New, the window
// size, Init's commands made (not run) and the first View, before any
// answer ("Loading sessions from …").
func BenchmarkFirstFrame(b *testing.B) {
	p := &fakePortal{snap: snapshot(fixture(40))}
	b.ReportAllocs()
	for b.Loop() {
		m := New(Options{Portal: p, Host: "acme.bitrix24.ru", Refresh: 10 * time.Second, Env: []string{"TERM=xterm-256color"}})
		mm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		_ = mm.(Model).Init()
		_ = mm.(Model).View()
	}
}

// BenchmarkFirstFrameWithData is start-up to the first frame with data
// from a simulated portal (40 sessions) on 127.0.0.1: a new client, New,
// Init's refresh over HTTP (user, lines and the list in one batch), the
// answer applied and the frame drawn.
func BenchmarkFirstFrameWithData(b *testing.B) {
	p := portalsim.New(portalsim.Options{Sessions: 40, Seed: 1, Rate: -1, OperatingLimit: -1})
	srv := httptest.NewServer(p)
	defer srv.Close()
	hook := p.WebhookURL(srv.URL)
	b.ReportAllocs()
	for b.Loop() {
		c, err := api.New(api.Options{WebhookURL: hook, Limiter: rate.NewLimiter(rate.Inf, 0)})
		if err != nil {
			b.Fatal(err)
		}
		m := New(Options{Portal: c, Host: c.Host(), Refresh: 10 * time.Second, Env: []string{"TERM=xterm-256color"}})
		mm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		mm, _ = mm.(Model).Update(mm.(Model).fetch(1)())
		if mm.(Model).list.Len() == 0 {
			b.Fatal("no sessions")
		}
		_ = mm.(Model).View()
	}
}
