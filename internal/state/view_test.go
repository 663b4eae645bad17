package state

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linedesk/linedesk/internal/api"
)

// people is a small list with varied fields for filter and sort tests.
func people() List {
	mk := func(id int64, ago time.Duration, client, line, conn, msg string, st api.Status, unread int) api.Session {
		s := sess(id, ago, false)
		s.Client, s.LineName, s.Connector, s.LastMessage, s.Status, s.Unread = client, line, conn, msg, st, unread
		return s
	}
	l, _ := List{}.Apply(ptrs([]api.Session{
		mk(101, 1*time.Minute, "Анна Петрова", "Продажи", "telegrambot", "Где мой заказ №48213?", api.StatusClient, 2),
		mk(102, 2*time.Minute, "John Smith", "Support", "livechat", "Thanks, that solved it", api.StatusOperator, 0),
		mk(103, 3*time.Minute, "王小明", "Returns", "whatsappbyedna", "你好，我想退货", api.StatusNew, 0),
		mk(104, 4*time.Minute, "Maria José", "support", "telegrambot", "Can I change the address?", api.StatusClientAfterOperator, 5),
		mk(105, 5*time.Minute, "Dmitry", "", "avito", "ok", api.StatusAnswer, 0),
	}))
	return l
}

func TestSortOrders(t *testing.T) {
	l := people()
	for _, c := range []struct {
		s    Sort
		want []int64
	}{
		{ByActivity, []int64{101, 102, 103, 104, 105}},
		// waiting (offer 103, client 101, 104) longest first, then the rest by activity
		{ByWait, []int64{104, 103, 101, 102, 105}},
		{ByStatus, []int64{103, 105, 101, 104, 102}},
		// by line name, case ignored, no name last; equal names by activity
		{ByLine, []int64{103, 102, 104, 101, 105}},
		{ByUnread, []int64{104, 101, 102, 103, 105}},
	} {
		got := l.Sorted(c.s)
		if !slices.Equal(keys(got), c.want) {
			t.Errorf("sort %d: %v, want %v", c.s, keys(got), c.want)
		}
		if got.Len() != l.Len() || got.Pinned() != l.Pinned() {
			t.Errorf("sort %d changed the counts", c.s)
		}
		for i := range got.Len() {
			if j, ok := got.Index(got.At(i).Key); !ok || j != i {
				t.Errorf("sort %d: index of %d is %d, want %d", c.s, got.At(i).Key, j, i)
			}
		}
	}
	// a sorted list sorts back
	if back := l.Sorted(ByUnread).Sorted(ByActivity); !slices.Equal(keys(back), keys(l)) {
		t.Errorf("back to activity: %v", keys(back))
	}
}

func TestSortCycles(t *testing.T) {
	s := ByActivity
	seen := map[Sort]bool{}
	for range 5 {
		seen[s] = true
		s = s.Next()
	}
	if s != ByActivity || len(seen) != 5 {
		t.Errorf("five steps from ByActivity end at %d having seen %d orders", s, len(seen))
	}
	if Sort(9).Valid() || !ByUnread.Valid() {
		t.Error("Valid is wrong")
	}
}

func TestSortedKeepsRevisionsAndMarkedUnread(t *testing.T) {
	a, b := sess(1, time.Minute, false), sess(2, 2*time.Minute, false)
	b.MarkedUnread = true
	c := sess(3, 3*time.Minute, false)
	c.Unread = 1
	l, _ := List{}.Apply(ptrs([]api.Session{a, b, c}))
	s := l.Sorted(ByUnread)
	if !slices.Equal(keys(s), []int64{3, 2, 1}) {
		t.Errorf("unread order %v: one message, then the mark, then none", keys(s))
	}
	for i := range s.Len() {
		j, _ := l.Index(s.At(i).Key)
		if s.At(i).Rev != l.At(j).Rev {
			t.Errorf("row %d changed revision", s.At(i).Key)
		}
	}
}

func TestFilterMatchesEachField(t *testing.T) {
	l := people()
	channel := func(c string) string {
		return map[string]string{"telegrambot": "Telegram", "livechat": "Онлайн-чат"}[c]
	}
	for _, c := range []struct {
		q    string
		want []int64
	}{
		{"", []int64{101, 102, 103, 104, 105}},
		{"   ", []int64{101, 102, 103, 104, 105}},
		{"петр", []int64{101}},         // client, Cyrillic, case ignored
		{"ПЕТР", []int64{101}},         // upper case
		{"smth", []int64{102}},         // fuzzy: letters in order
		{"продаж", []int64{101}},       // line
		{"returns", []int64{103}},      // line
		{"avito", []int64{105}},        // channel code
		{"онлайн", []int64{102}},       // channel name in the language
		{"103", []int64{103}},          // session ID
		{"48213", []int64{101}},        // message text
		{"退货", []int64{103}},           // CJK
		{"support john", []int64{102}}, // every word must match, any field
		{"zzz", nil},
		{"dmitry nothing", nil},
	} {
		got := l.Filter(c.q, channel)
		if !slices.Equal(keys(got), c.want) {
			t.Errorf("filter %q: %v, want %v", c.q, keys(got), c.want)
		}
	}
}

func TestFilterKeepsOrderAndCountsPinned(t *testing.T) {
	ss := []api.Session{sess(1, time.Minute, true), sess(2, 2*time.Minute, false), sess(3, 3*time.Minute, true)}
	ss[0].Client, ss[1].Client, ss[2].Client = "Alpha", "Alps", "Beta"
	l, _ := List{}.Apply(ptrs(ss))
	f := l.Sorted(ByWait).Filter("al", nil)
	if !slices.Equal(keys(f), []int64{1, 2}) || f.Pinned() != 1 {
		t.Errorf("filter: %v with %d pinned, want [1 2] with 1", keys(f), f.Pinned())
	}
	if f.Has(3) || !f.Has(2) {
		t.Error("Has disagrees with the rows")
	}
	sel := l.Select(Query{Filter: "al", Sort: ByActivity})
	if !slices.Equal(keys(sel), []int64{1, 2}) {
		t.Errorf("Select: %v", keys(sel))
	}
}

func TestQueryActive(t *testing.T) {
	for _, c := range []struct {
		q              Query
		active, filter bool
	}{
		{Query{}, false, false},
		{Query{Filter: "  "}, false, false},
		{Query{Filter: "a"}, true, true},
		{Query{Sort: ByLine}, true, false},
	} {
		if c.q.Active() != c.active || c.q.Filtering() != c.filter {
			t.Errorf("%+v: Active %v Filtering %v", c.q, c.q.Active(), c.q.Filtering())
		}
	}
}

func TestWithPinned(t *testing.T) {
	l, _ := List{}.Apply(ptrs([]api.Session{sess(1, time.Minute, false), sess(2, 2*time.Minute, true)}))
	p := l.WithPinned([]int64{1, 2, 99}, true)
	if p.Pinned() != 2 || !p.At(0).Pinned || p.At(0).Rev == l.At(0).Rev || p.At(1).Rev != l.At(1).Rev {
		t.Errorf("pin: %d pinned, revisions %d→%d, %d→%d", p.Pinned(), l.At(0).Rev, p.At(0).Rev, l.At(1).Rev, p.At(1).Rev)
	}
	if l.Pinned() != 1 || l.At(0).Pinned {
		t.Error("WithPinned changed the original list")
	}
	u := p.WithPinned([]int64{2}, false)
	if u.Pinned() != 1 || u.At(1).Pinned {
		t.Errorf("unpin: %d pinned", u.Pinned())
	}
	// a sorted list keeps its order through WithPinned
	s := l.Sorted(ByUnread).WithPinned([]int64{1}, true)
	if s.order != ByUnread {
		t.Error("WithPinned lost the order")
	}
}

func TestSessionAndCount(t *testing.T) {
	l := people()
	if s, ok := l.Session(103); !ok || s.Client != "王小明" {
		t.Errorf("Session(103) = %v, %v", s.Client, ok)
	}
	if _, ok := l.Session(999); ok {
		t.Error("Session(999) found")
	}
	if n := l.Count(func(r Row) bool { return r.Unread > 0 }); n != 2 {
		t.Errorf("Count unread = %d, want 2", n)
	}
}

// FuzzFilter: any filter text returns a subset of the rows in the same
// order, with a consistent index and pinned count, and never panics.
func FuzzFilter(f *testing.F) {
	for _, s := range []string{"", "а", "петр", "1 2", "\x00", "\xff\xfe", "   x  ", "退", strings.Repeat("a", 300)} {
		f.Add(s)
	}
	l := people().WithPinned([]int64{101, 103}, true)
	f.Fuzz(func(t *testing.T, q string) {
		got := l.Filter(q, strings.ToUpper)
		prev := -1
		pinned := 0
		for i := range got.Len() {
			r := got.At(i)
			j, ok := l.Index(r.Key)
			if !ok || j <= prev {
				t.Fatalf("%q: row %d not in order or not in the list", q, r.Key)
			}
			prev = j
			if k, _ := got.Index(r.Key); k != i {
				t.Fatalf("%q: index of %d is %d, want %d", q, r.Key, k, i)
			}
			if r.Pinned {
				pinned++
			}
		}
		if pinned != got.Pinned() {
			t.Fatalf("%q: Pinned() %d, counted %d", q, got.Pinned(), pinned)
		}
	})
}

// bigList is n sessions with varied text, as a busy portal has.
func bigList(n int) List {
	names := []string{"Анна Петрова", "John Smith", "王小明", "María José Núñez", "Ольга Смирнова", "Guest #4411"}
	msgs := []string{"Здравствуйте! Подскажите, где мой заказ?", "Thanks, that solved it", "你好，我想退货", "Can I change the delivery address?"}
	ss := make([]api.Session, n)
	for i := range ss {
		ss[i] = sess(int64(10000+i), time.Duration(i)*time.Second, i%4 == 0)
		ss[i].Client = fmt.Sprintf("%s %d", names[i%len(names)], i)
		ss[i].LastMessage = msgs[i%len(msgs)]
		ss[i].LineName = []string{"Продажи", "Support", "Returns"}[i%3]
		ss[i].Connector = []string{"telegrambot", "livechat", "avito"}[i%3]
		ss[i].Unread = i % 7
	}
	l, _ := List{}.Apply(ptrs(ss))
	return l
}

// BenchmarkFilter10000 is one keystroke of the filter over 10,000
// sessions: the text typed so far, matched against every field.
func BenchmarkFilter10000(b *testing.B) {
	l := bigList(10000)
	for _, q := range []string{"а", "петр", "zzzz", "анна 12"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = l.Filter(q, nil)
			}
		})
	}
}

// BenchmarkSort10000 is one press of s over 10,000 sessions.
func BenchmarkSort10000(b *testing.B) {
	l := bigList(10000)
	b.ReportAllocs()
	for b.Loop() {
		_ = l.Sorted(ByWait)
	}
}

// TestSearchTextIsBuiltOnlyForAFilter: a list carries no search text until
// a filter looks at it; the texts are then kept per revision across
// keystrokes and refreshes, rebuilt for a row that changed, dropped for a
// row that left, and all dropped with DropSearch.
func TestSearchTextIsBuiltOnlyForAFilter(t *testing.T) {
	ss := []api.Session{sess(1, time.Minute, false), sess(2, 2*time.Minute, false), sess(3, 3*time.Minute, false)}
	ss[0].Client, ss[1].Client, ss[2].Client = "Alpha", "Beta", "Gamma"
	l, _ := List{}.Apply(ptrs(ss))
	if len(l.search.texts) != 0 {
		t.Fatalf("Apply built %d search texts", len(l.search.texts))
	}
	if f := l.Sorted(ByWait).Filter("a", nil); f.Len() != 3 {
		t.Fatalf("filter a: %v", keys(f))
	}
	if len(l.search.texts) != 3 {
		t.Fatalf("%d search texts after a filter, want 3", len(l.search.texts))
	}
	kept := l.search.texts[1].text
	if l.Filter("alp", nil); l.search.texts[1].text != kept {
		t.Error("a second keystroke built the text again")
	}
	changed := ss[1]
	changed.Client = "Delta"
	n, _ := l.Apply(ptrs([]api.Session{ss[0], changed}))
	if n.search != l.search || len(n.search.texts) != 1 || n.search.texts[1].text != kept {
		t.Errorf("after a refresh: %d texts kept, want only the unchanged row's", len(n.search.texts))
	}
	if f := n.Filter("delta", nil); !slices.Equal(keys(f), []int64{2}) {
		t.Errorf("the changed row is found by its old text: %v", keys(f))
	}
	n.DropSearch()
	if len(l.search.texts) != 0 {
		t.Error("DropSearch kept texts")
	}
}
