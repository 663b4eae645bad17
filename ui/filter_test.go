package ui

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/linedesk/linedesk/internal/i18n"
	"github.com/linedesk/linedesk/internal/state"
)

// shownIDs are the session IDs the table shows, in order.
func shownIDs(hs *harness) []int64 {
	var out []int64
	for i := range hs.m.shown.Len() {
		out = append(out, hs.m.shown.At(i).SessionID)
	}
	return out
}

func typeText(hs *harness, s string) {
	for _, r := range s {
		hs.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func TestFilterAsYouType(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(40)).start()
	hs.key("/")
	if !hs.m.filtering {
		t.Fatal("/ did not start the filter")
	}
	typeText(hs, "смир") // Ольга Смирнова-Кузнецова, typed in Russian: letters, not keys
	want := []int64{1036, 1026, 1016, 1006}
	if got := shownIDs(hs); !slices.Equal(got, want) {
		t.Fatalf("shown %v, want %v", got, want)
	}
	s := plain(hs)
	mustContain(t, s, "/смир", "filter “смир”: 4 of 40", "1/4 of 40 · 10 pinned",
		"enter keep the filter  esc clear it  ↑↓ move  ctrl+c quit")
	if hs.m.View().Cursor == nil {
		t.Error("no cursor in the filter input")
	}
	hs.key("enter") // keep it
	if hs.m.filtering || hs.m.query.Filter != "смир" {
		t.Fatalf("enter: filtering %v, filter %q", hs.m.filtering, hs.m.query.Filter)
	}
	mustContain(t, plain(hs), "filter “смир”: 4 of 40")
	if hs.m.View().Cursor != nil {
		t.Error("cursor shown after the filter was kept")
	}
	hs.key("j")
	if hs.selectedKey() != 1026 {
		t.Errorf("j moved to %d, want 1026 within the filter", hs.selectedKey())
	}
	hs.key("esc") // clears the filter, the selection stays on its session
	if hs.m.query.Filtering() || hs.m.shown.Len() != 40 || hs.selectedKey() != 1026 {
		t.Errorf("esc: filter %q, %d shown, selected %d", hs.m.query.Filter, hs.m.shown.Len(), hs.selectedKey())
	}
	mustNotContain(t, plain(hs), "filter “")
}

func TestFilterFieldsAndEditing(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(40)).start()
	for _, c := range []struct {
		q    string
		want int
	}{
		{"1017", 1},          // session ID
		{"поддержка", 13},    // line
		{"whatsapp", 7},      // channel code
		{"live chat", 7},     // channel name, two words
		{"48213", 7},         // message text
		{"zzzz", 0},          // nothing
		{"john delivery", 1}, // every word must match: only 1019, John asking about the delivery
	} {
		hs.key("/")
		hs.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // textinput: delete to the start
		typeText(hs, c.q)
		if hs.m.shown.Len() != c.want {
			t.Errorf("%q: %d shown, want %d", c.q, hs.m.shown.Len(), c.want)
		}
		hs.key("esc")
	}
	hs.key("/")
	typeText(hs, "zzzz")
	mustContain(t, plain(hs), "No session matches the filter (40 sessions listed); esc clears it.", "0/0 of 40 · 10 pinned")
	hs.send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	hs.send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	hs.send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	hs.send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	if hs.m.query.Filter != "" || hs.m.shown.Len() != 40 {
		t.Errorf("after deleting: filter %q, %d shown", hs.m.query.Filter, hs.m.shown.Len())
	}
	hs.send(tea.PasteMsg{Content: "Ahmed"})
	if hs.m.shown.Len() != 4 {
		t.Errorf("paste: %d shown, want 4", hs.m.shown.Len())
	}
	hs.key("enter", "/") // editing again starts from the kept filter
	if hs.m.input.Value() != "Ahmed" {
		t.Errorf("the input holds %q", hs.m.input.Value())
	}
	hs.key("enter")
	hs.key("/")
	hs.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	hs.key("enter") // an empty filter is no filter
	if hs.m.query.Filtering() || hs.m.filtering {
		t.Error("an empty filter kept")
	}
}

func TestFilterKeysAreTypedNotRun(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(40)).start()
	hs.key("/")
	typeText(hs, "qupPrs?")
	if hs.m.dialog != nil || hs.m.helpOpen || hs.portal.snapCalls != 1 || len(hs.portal.pinCalls) != 0 || hs.m.query.Sort != state.ByActivity {
		t.Fatal("a key typed into the filter ran its action")
	}
	if hs.m.input.Value() != "qupPrs?" {
		t.Errorf("input %q", hs.m.input.Value())
	}
	// the arrows still move the selection while typing
	hs.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	typeText(hs, "smith")
	first := hs.selectedKey()
	hs.key("down")
	if hs.selectedKey() == first || !slices.Contains(shownIDs(hs), hs.selectedKey()) {
		t.Errorf("down while typing: %d → %d", first, hs.selectedKey())
	}
	if msgs := hs.key("ctrl+c"); !hasQuit(msgs) {
		t.Error("ctrl+c does not quit from the filter")
	}
}

func TestSortCyclesAndSelectionFollows(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(40)).start()
	hs.key("j", "j") // 1038
	names := []string{"wait time", "status", "line", "unread", ""}
	for i, name := range names {
		hs.key("s")
		if hs.m.query.Sort != state.Sort(i+1)%5 {
			t.Fatalf("sort %d after %d presses", hs.m.query.Sort, i+1)
		}
		if hs.selectedKey() != 1038 {
			t.Errorf("sort %q: selection moved to %d", name, hs.selectedKey())
		}
		if name != "" {
			mustContain(t, plain(hs), "sorted by "+name)
		} else {
			mustNotContain(t, plain(hs), "sorted by")
		}
	}
	hs.key("s") // wait time: waiting clients first, the longest waiting first
	ids := shownIDs(hs)
	first, _ := hs.m.list.Session(ids[0])
	if !first.Status.ClientWaiting() && !first.Status.Offer() {
		t.Errorf("wait order starts with status %v", first.Status)
	}
	// the sort and the filter work together, the counts stay the list's
	hs.key("/")
	typeText(hs, "john")
	hs.key("enter")
	mustContain(t, plain(hs), "filter “john”: 4 of 40 · sorted by wait time")
}

func TestBulkActionsIgnoreTheFilter(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(40)).start()
	hs.key("/")
	typeText(hs, "john") // 1039 (pinned), 1029, 1019, …
	hs.key("enter")
	shownPinned := 0
	for _, id := range shownIDs(hs) {
		if s, _ := hs.m.list.Session(id); s.Pinned {
			shownPinned++
		}
	}
	hs.key("u")
	d := hs.m.dialog
	if d.count != 10 || d.hidden != 10-shownPinned {
		t.Fatalf("dialog counts %d pinned, %d hidden; want 10 and %d", d.count, d.hidden, 10-shownPinned)
	}
	mustContain(t, dialogText(t, hs), "10 of the 40 sessions listed are pinned to you.", "hidden by the filter.")
	pinned := pinnedIDs(ptrs(fixture(40)))
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = pinned })
	hs.key("y")
	if hs.m.hl.Len() != len(pinned) || hs.m.list.Pinned() != 0 {
		t.Errorf("unpin-all with a filter: %d highlighted, %d still pinned", hs.m.hl.Len(), hs.m.list.Pinned())
	}
	hs.key("P")
	// 33 of the 40 are mine (7 are queue offers); 4 of mine are shown
	mustContain(t, dialogText(t, hs), "40 of the 40 sessions listed are not pinned, 33 of them yours", "29 of them are hidden by the filter.")
}

func TestFilterAndSortWaitWhileTheDetailsAreOpen(t *testing.T) {
	hs := newHarness(t, 120, 40, fixture(10)).start()
	hs.key("enter")
	hs.key("/")
	if hs.m.filtering {
		t.Fatal("the filter started over the details")
	}
	mustContain(t, plain(hs), "filter: close the details first")
	hs.key("s")
	if hs.m.query.Sort != state.ByActivity {
		t.Error("the sort changed under the details")
	}
}

func TestFilterRussian(t *testing.T) {
	hs := newHarness(t, 120, 40, russianFixture(40), func(o *Options) { o.Lang = i18n.RU }).start()
	hs.key("/")
	typeText(hs, "онлайн") // the channel's Russian name (livechat)
	hs.key("enter")
	s := plain(hs)
	mustContain(t, s, "фильтр «онлайн»: 5 из 40", "1/5 из 40 · закреплено:")
	hs.key("s")
	mustContain(t, plain(hs), "сортировка: время ожидания")
}

func TestHeaderGivesWayToTheFilter(t *testing.T) {
	hs := newHarness(t, 80, 24, fixture(40)).start()
	hs.key("/")
	typeText(hs, strings.Repeat("a", 60))
	for i, l := range strings.Split(plain(hs), "\n") {
		if w := len([]rune(l)); w > 80 {
			t.Errorf("line %d is %d cells: %q", i, w, l)
		}
	}
}
