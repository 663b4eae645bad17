package ui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/linedesk/linedesk/internal/api"
	"github.com/linedesk/linedesk/internal/i18n"
	"github.com/linedesk/linedesk/internal/journal"
)

// tableTexts is every piece of text a table can produce: its strings,
// lists and maps, and what each of its functions returns for a few
// arguments (numbers that take each plural form; strings and names that
// carry no letters of their own).
func tableTexts(t *testing.T, tx *text) []string {
	t.Helper()
	var out []string
	v := reflect.ValueOf(*tx)
	for i := range v.NumField() {
		f := v.Field(i)
		if !v.Type().Field(i).IsExported() {
			continue
		}
		switch f.Kind() {
		case reflect.String:
			out = append(out, f.String())
		case reflect.Slice:
			for j := range f.Len() {
				out = append(out, f.Index(j).String())
			}
		case reflect.Map:
			for _, k := range f.MapKeys() {
				out = append(out, f.MapIndex(k).String())
			}
		case reflect.Func:
			for _, n := range []int{0, 1, 2, 5, 21, 1000} {
				args := make([]reflect.Value, f.Type().NumIn())
				for a := range args {
					switch p := f.Type().In(a); p.Kind() {
					case reflect.Int:
						args[a] = reflect.ValueOf(n + a)
					case reflect.Int64:
						args[a] = reflect.ValueOf(int64(n + a))
					case reflect.Bool:
						args[a] = reflect.ValueOf(n%2 == 0)
					case reflect.String:
						args[a] = reflect.ValueOf("·")
					case reflect.Slice:
						if p.Elem().Kind() == reflect.Int64 {
							args[a] = reflect.ValueOf(make([]int64, n%7+1))
						} else {
							args[a] = reflect.ValueOf([]string{"·", "·"})
						}
					default:
						t.Fatalf("text.%s: no sample for a %s argument", v.Type().Field(i).Name, p)
					}
				}
				for _, r := range f.Call(args) {
					if r.Kind() == reflect.Slice {
						for j := range r.Len() {
							out = append(out, r.Index(j).String())
						}
					} else {
						out = append(out, r.String())
					}
				}
			}
		}
	}
	return out
}

var latinWord = regexp.MustCompile(`[A-Za-z]{2,}`)

// dialogLink is a portal address on screen (Latin by nature).
var dialogLink = regexp.MustCompile(`https?://\S+`)

// everyNewScreen shoots the screens of the everyday tools: details,
// filter, sort, pin one, pin all, undo, open and copy.
func everyNewScreen(t *testing.T, opt func(*Options), shot func(string, *harness)) {
	t.Helper()
	h := func(opts ...func(*Options)) *harness {
		return newHarness(t, 120, 40, russianFixture(30), append([]func(*Options){opt}, opts...)...).start()
	}
	hs := h()
	hs.portal.set(func(f *fakePortal) {
		f.snap.Sessions[0].CRM = []api.CRMBinding{{Type: "LEAD", ID: 5}, {Type: "OTHER", ID: 6}}
		f.hist = map[int64]api.History{1030: {Messages: []api.HistoryMessage{
			{AuthorID: 0, Date: t0.Add(-48 * time.Hour), Text: "Сессия начата"},
			{AuthorID: 5, Author: "Анна Петрова", Date: t0.Add(-time.Hour), Text: "Добрый день"},
			{AuthorID: 1, Date: t0.Add(-time.Minute), Text: "Здравствуйте"},
		}}}
	})
	hs.key("r")
	hold := hs.hold(keyMsg("enter"))
	shot("details loading", hs)
	hs.run(hold)
	shot("details", hs)
	hs.key("/")
	shot("filter refused in details", hs)
	hs.portal.set(func(f *fakePortal) { f.snap.Sessions[0].Status = api.StatusClose })
	hs.key("r")
	shot("details of a session that left", hs)
	hs.portal.set(func(f *fakePortal) { f.histErr = &api.Error{Code: "ACCESS_DENIED"} })
	hs.key("esc", "enter")
	shot("details load failed", hs)

	hs = h()
	hs.key("/")
	typeText(hs, "анна")
	shot("filter typing", hs)
	hs.key("enter", "s")
	shot("filter kept, sorted", hs)
	hs.key("u")
	shot("unpin dialog with a filter", hs)
	hs.key("esc", "P")
	shot("pin-all dialog with a filter", hs)
	hs.key("esc", "/")
	typeText(hs, "яяяя")
	shot("filter no match", hs)

	for name, err := range map[string]error{
		"pin refused, not the operator": &api.Error{},
		"pin refused":                   &api.Error{Code: "ACCESS_DENIED"},
		"pin not sent":                  fmt.Errorf("%w: %w", api.ErrUnreachable, syscall.ECONNREFUSED),
		"pin unknown":                   api.ErrOutcomeUnknown,
		"pin done":                      nil,
	} {
		hs := h()
		hs.portal.set(func(f *fakePortal) { f.pinErr = err })
		hs.key("p")
		shot(name, hs)
	}
	hs = h()
	hs.key("j", "p")
	shot("unpin done", hs)
	hs = h()
	hs.hold(keyMsg("p"))
	shot("pinning", hs)
	hs.key("p")
	shot("pin under way", hs)

	for name, err := range map[string]error{
		"pin-all refused":  &api.Error{Code: "ACCESS_DENIED"},
		"pin-all not sent": fmt.Errorf("%w: %w", api.ErrUnreachable, syscall.ECONNREFUSED),
		"pin-all unknown":  api.ErrOutcomeUnknown,
	} {
		hs := h()
		hs.portal.set(func(f *fakePortal) { f.pinAllErr = err })
		hs.key("P", "y")
		shot(name, hs)
		hs.key("U")
		shot(name+", undo disabled", hs)
	}
	hs = h()
	hs.portal.set(func(f *fakePortal) { f.pinAllIDs = []int64{1030, 1028} })
	hs.key("P", "y")
	shot("pin-all done", hs)
	hs.key("U")
	shot("undo pin-all dialog", hs)
	hs = h()
	hs.key("P", "y", "U")
	shot("pin-all changed nothing", hs)

	hs = h()
	pinned := pinnedIDs(ptrs(russianFixture(30)))
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = pinned })
	hs.key("U")
	shot("nothing to undo", hs)
	hs.key("u", "y")
	hs.portal.set(func(f *fakePortal) {
		f.snap.Sessions[1].Status = api.StatusClose
		f.snap.Sessions[5].Pinned = true
		f.snap.Sessions = append(f.snap.Sessions[:9], f.snap.Sessions[10:]...)
		f.pinMany = map[int64]error{chatOf(1017): &api.Error{}, chatOf(1013): api.ErrOutcomeUnknown, chatOf(1005): api.ErrNotExecuted}
	})
	hs.key("r", "U")
	shot("undo dialog", hs)
	hs.key("tab")
	shot("undo dialog on confirm", hs)
	hold = hs.hold(keyMsg("y"))
	shot("undoing", hs)
	hs.run(hold)
	shot("undone in part", hs)
	hs.send(tWin(400, 40))
	shot("undone in part, wide", hs)
	hs.send(tWin(120, 60))
	hs.key("?", "end")
	shot("help with the undo report", hs)
	hs.key("esc", "U")
	shot("undo again", hs)

	hs = h()
	hs.m.openURL = nil
	hs.key("o")
	shot("no browser", hs)
	hs.m.openURL = func(string) error { return errors.New("exec: not found") }
	hs.key("o")
	shot("browser failed", hs)
	hs.m.openURL = func(string) error { return nil }
	hs.key("o")
	shot("opened", hs)
	hs.key("c")
	shot("copied ID", hs)
	hs.key("C")
	shot("copied link", hs)

	dir := t.TempDir()
	if err := os.WriteFile(dir+"/file", []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	hs = h(func(o *Options) { o.Journal = journal.New(dir + "/file/journal.jsonl") })
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = []int64{1029} })
	hs.key("u", "y")
	shot("journal not written", hs)
	hs.key("p")
	shot("journal not written after a pin", hs)
}

// words are the Latin words (two letters or more) in texts, lower-cased.
func words(texts ...string) map[string]bool {
	out := map[string]bool{}
	for _, s := range texts {
		for _, w := range latinWord.FindAllString(s, -1) {
			out[strings.ToLower(w)] = true
		}
	}
	return out
}

// latinInRussian are the only Latin words the Russian table may use:
// proper names, key names as printed on the keys, and abbreviations a
// Russian text writes in Latin letters.
var latinInRussian = []string{
	"linedesk", "id", "tls", "http", "esc", "tab", "enter", "crm",
	"telegram", "whatsapp", "olx", "facebook", "instagram", "viber", "imessage", "wechat",
}

// english words that must not appear on a Russian screen: every Latin word
// of the English table that the Russian table does not use itself.
func forbiddenInRussian(t *testing.T) map[string]bool {
	en := words(tableTexts(t, &english)...)
	for w := range words(tableTexts(t, &russian)...) {
		delete(en, w)
	}
	return en
}

// TestEveryTextIsFilledIn: no string, list or phrase of either table is
// missing (an empty one would leave a hole on screen, a nil one panic).
func TestEveryTextIsFilledIn(t *testing.T) {
	for _, tx := range []*text{&english, &russian} {
		v := reflect.ValueOf(*tx)
		for i := range v.NumField() {
			f, name := v.Field(i), v.Type().Field(i).Name
			if v.Type().Field(i).IsExported() && f.IsZero() {
				t.Errorf("%s table: %s is missing", tx.lang, name)
			}
			if f.Kind() == reflect.Slice && f.Len() != reflect.ValueOf(english).Field(i).Len() {
				t.Errorf("%s table: %s has %d entries, English %d", tx.lang, name, f.Len(), reflect.ValueOf(english).Field(i).Len())
			}
		}
	}
}

func TestRussianTableUsesOnlyProperLatinWords(t *testing.T) {
	for w := range words(tableTexts(t, &russian)...) {
		if !slices.Contains(latinInRussian, w) {
			t.Errorf("the Russian table has the Latin word %q", w)
		}
	}
	// the check below is only as good as this list
	forbidden := forbiddenInRussian(t)
	for _, w := range []string{"unpin", "sessions", "refresh", "pinned", "offline", "keys", "cancel", "terminal"} {
		if !forbidden[w] {
			t.Errorf("%q is not among the forbidden words", w)
		}
	}
}

// russianFixture is portal data with no Latin words in it, so that any
// Latin word on screen comes from linedesk.
func russianFixture(n int) []api.Session {
	ss := fixture(n)
	names := []string{"Анна Петрова", "Ольга Смирнова-Кузнецова", "Светлана", "Гость №4411", "Дмитрий"}
	lines := []string{"Продажи", "Поддержка", "Возвраты и обмен"}
	msgs := []string{"Здравствуйте! Подскажите, где мой заказ №48213?", "Спасибо, всё получилось", "👍"}
	conns := []string{"livechat", "email", "notifications", "yandex", "network", "avito", "vkgroup", "telegrambot", "olx"}
	for i := range ss {
		ss[i].Client = names[i%len(names)]
		ss[i].Title = names[i%len(names)]
		ss[i].LineName = lines[i%len(lines)]
		ss[i].LastMessage = msgs[i%len(msgs)]
		ss[i].Connector = conns[i%len(conns)]
		ss[i].LastActivity = t0.Add(-time.Duration(i*i) * 7 * time.Minute)
	}
	if n > 4 {
		ss[3].Status = 33 // a status the table does not name
		ss[4].Unread = 5000
	}
	return ss
}

// russianScreens renders every screen the dashboard has, in lang, with
// portal data free of Latin words. Portal error codes (Latin by nature)
// are cut out of the screens.
func everyScreen(t *testing.T, lang i18n.Lang) map[string]string {
	t.Helper()
	const host = "поддержка.рф"
	screens := map[string]string{}
	opt := func(o *Options) { o.Lang, o.Host = lang, host }
	noColor := func(o *Options) { o.Env = []string{"NO_COLOR=1"} }
	shot := func(name string, hs *harness) {
		s := ansi.Strip(hs.screen())
		s = strings.ReplaceAll(s, "QUERY_LIMIT_EXCEEDED", "")
		s = strings.ReplaceAll(s, "ACCESS_DENIED", "")
		s = dialogLink.ReplaceAllString(s, "")
		screens[name] = s + "\n" + hs.m.View().WindowTitle
	}
	for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 15}} {
		w, h := size[0], size[1]
		name := fmt.Sprintf("%dx%d ", w, h)
		hs := newHarness(t, w, h, russianFixture(40), opt)
		shot(name+"loading", hs)
		hs.start()
		shot(name+"list", hs)
		hs.key("?")
		shot(name+"help", hs)
		hs.key("esc", "u")
		shot(name+"dialog", hs)
		hs.key("tab")
		shot(name+"dialog on confirm", hs)
		hs.portal.set(func(f *fakePortal) { f.unpinIDs = append(pinnedIDs(f.snap.Sessions), 77) })
		hs.key("y", "j")
		shot(name+"highlighted", hs)
		hs.key("?")
		shot(name+"help with marks", hs)
		hs.key("esc", "u")
		shot(name+"disabled key", hs) // nothing pinned now

		nc := newHarness(t, w, h, russianFixture(40), opt, noColor).start()
		nc.key("u")
		shot(name+"no colour dialog", nc)
	}
	hs := newHarness(t, 120, 40, russianFixture(30), opt).start()
	hs.portal.set(func(f *fakePortal) { f.snap.Sessions[1].OwnerID = 2 })
	hs.key("r", "u")
	shot("colleagues' pins", hs)

	hs = newHarness(t, 120, 40, russianFixture(30), opt).start()
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = nil })
	hs.key("u", "y")
	shot("nothing was pinned", hs)

	for name, err := range map[string]error{
		"unpin refused":   &api.Error{HTTPStatus: 502},
		"unpin not sent":  fmt.Errorf("%w: %w", api.ErrUnreachable, syscall.ECONNREFUSED),
		"unpin unknown":   api.ErrOutcomeUnknown,
		"unpin odd error": errors.New("imopenlines.session.mode.unpinAll: unexpected result shape"),
	} {
		hs := newHarness(t, 120, 40, russianFixture(30), opt).start()
		hs.portal.set(func(f *fakePortal) { f.unpinErr = err })
		hs.key("u", "y")
		shot(name, hs)
	}

	hs = newHarness(t, 120, 40, russianFixture(30), opt).start()
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = []int64{1029} })
	hs.key("u")
	hs.hold(keyMsg("y")) // the call is under way
	hs.key("q")
	shot("quit held", hs)
	hs.send(tWin(40, 8))
	shot("too small while unpinning", hs)

	for name, err := range map[string]error{
		"offline":      fmt.Errorf("%w: %w", api.ErrUnreachable, syscall.ECONNREFUSED),
		"timed out":    fmt.Errorf("%w: %w", api.ErrUnreachable, context.DeadlineExceeded),
		"dropped":      fmt.Errorf("%w: %w", api.ErrUnreachable, syscall.ECONNRESET),
		"rate-limited": api.ErrQueryLimit,
		"portal error": api.ErrAccessDenied,
		"odd error":    errors.New("crm.timeline: unexpected result shape"),
	} {
		hs := newHarness(t, 120, 40, russianFixture(30), opt).start()
		hs.portal.set(func(f *fakePortal) { f.snapErr = err })
		hs.clk.Add(95 * time.Second)
		hs.key("r")
		shot(name, hs)
		hs = newHarness(t, 120, 40, russianFixture(30), opt)
		hs.portal.set(func(f *fakePortal) { f.snapErr = err })
		hs.start()
		shot("first load: "+name, hs)
	}

	everyNewScreen(t, opt, shot)

	hs = newHarness(t, 120, 40, nil, opt, func(o *Options) { o.Refresh = 0 }).start()
	shot("no sessions, auto-refresh off", hs)
	hs = newHarness(t, 40, 8, russianFixture(3), opt).start()
	shot("too small", hs)

	err := Run(context.Background(), Options{Lang: lang})
	screens["Run without a portal"] = err.Error()
	return screens
}

// TestRussianScreensHaveNoEnglish renders every screen in Russian and
// looks for any word of the English table on it.
func TestRussianScreensHaveNoEnglish(t *testing.T) {
	forbidden := forbiddenInRussian(t)
	screens := everyScreen(t, i18n.RU)
	for _, name := range slices.Sorted(maps.Keys(screens)) {
		s := screens[name]
		var found []string
		for w := range words(s) {
			if forbidden[w] {
				found = append(found, w)
			}
		}
		sort.Strings(found)
		if len(found) > 0 {
			t.Errorf("%s: English words %q on the Russian screen:\n%s", name, found, s)
		}
		if !strings.ContainsAny(s, "абвгдеёжзийклмнопрстуфхцчшщъыьэюя") {
			t.Errorf("%s: no Russian on the screen:\n%s", name, s)
		}
	}
	// and the check does find English on the English screens
	en := everyScreen(t, i18n.EN)
	for _, name := range []string{"120x40 list", "80x24 dialog", "120x40 help", "offline", "too small"} {
		if len(words(en[name])) == 0 || !hasAny(words(en[name]), forbidden) {
			t.Errorf("%s: the English screen shows no forbidden word:\n%s", name, en[name])
		}
	}
}

func pinnedIDs(ss []*api.Session) []int64 {
	var ids []int64
	for _, s := range ss {
		if s.Pinned {
			ids = append(ids, s.SessionID)
		}
	}
	return ids
}

func hasAny(ws, set map[string]bool) bool {
	for w := range ws {
		if set[w] {
			return true
		}
	}
	return false
}

func TestLanguageDefaultsToEnglish(t *testing.T) {
	for _, l := range []i18n.Lang{"", i18n.EN, "de"} {
		hs := newHarness(t, 120, 40, fixture(3), func(o *Options) { o.Lang = l }).start()
		mustContain(t, plain(hs), "● online", "Client", "1/3 · 1 pinned")
	}
}

func TestRussianPluralsAgree(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{
		{1, "Откреплена 1 сессия: "}, {2, "Откреплены 2 сессии: "}, {4, "Откреплены 4 сессии: "},
		{5, "Откреплено 5 сессий: "}, {11, "Откреплено 11 сессий: "}, {12, "Откреплено 12 сессий: "},
		{21, "Откреплена 21 сессия: "}, {22, "Откреплены 22 сессии: "}, {25, "Откреплено 25 сессий: "},
		{101, "Откреплена 101 сессия: "}, {111, "Откреплено 111 сессий: "},
	} {
		if got := russian.Unpinned(make([]int64, c.n)); !strings.HasPrefix(got, c.want) {
			t.Errorf("%d: %q, want it to start with %q", c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		listed int
		want   string
	}{
		{1, "В списке 1 сессия,"}, {3, "В списке 3 сессии,"}, {10, "В списке 10 сессий,"},
		{10000, "В списке 10\u00a0000 сессий,"},
	} {
		if got := russian.DialogPinned(1, 1, c.listed); !strings.HasPrefix(got, c.want) {
			t.Errorf("%d listed: %q, want it to start with %q", c.listed, got, c.want)
		}
	}
	// and on screen, after a real unpin-all
	hs := newHarness(t, 120, 40, fixture(30), func(o *Options) { o.Lang = i18n.RU }).start()
	hs.portal.set(func(f *fakePortal) { f.unpinIDs = []int64{1029, 1025, 1021, 1017, 1013} })
	hs.key("u", "y")
	mustContain(t, plain(hs), "Откреплено 5 сессий: 1029, 1025, 1021, 1017, 1013.")
	// English still counts its way
	if got := english.Unpinned(make([]int64, 1)); !strings.HasPrefix(got, "Unpinned 1 session: ") {
		t.Errorf("English: %q", got)
	}
	if got := english.DialogPinned(1, 1, 10000); got != "1 of the 10,000 sessions listed is pinned to you." {
		t.Errorf("English: %q", got)
	}
}

func TestRussianDurations(t *testing.T) {
	for _, c := range []struct {
		d           time.Duration
		withSeconds bool
		want        string
	}{
		{4 * time.Second, true, "4 с"}, {4 * time.Second, false, "сейчас"}, {2 * time.Minute, true, "2 мин"},
		{3*time.Hour + 5*time.Minute, false, "3 ч"}, {50 * time.Hour, false, "2 дн."},
	} {
		if got := strings.ReplaceAll(russian.compact(c.d, c.withSeconds), nbsp, " "); got != c.want {
			t.Errorf("%v: %q, want %q", c.d, got, c.want)
		}
	}
	if got := strings.ReplaceAll(russian.countdown(5500*time.Millisecond), nbsp, " "); got != "6 с" {
		t.Errorf("countdown: %q", got)
	}
	hs := newHarness(t, 120, 40, fixture(3), func(o *Options) { o.Lang = i18n.RU }).start()
	hs.clk.Add(4 * time.Second)
	hs.send(tWin(120, 40))
	s := strings.ReplaceAll(plain(hs), nbsp, " ")
	mustContain(t, s, "● в сети · обновлено в 18:00:00")
	// offline, the data's age and the countdown to the next try
	hs.portal.set(func(f *fakePortal) { f.snapErr = errRefused })
	hs.key("r")
	hs.clk.Add(4 * time.Second)
	hs.send(tWin(120, 40))
	mustContain(t, strings.ReplaceAll(plain(hs), nbsp, " "), "данные: 8 с назад", "повтор через ")
}

// TestRussianWordsFitTheirColumns: every channel, status and duration is
// shown whole, the column widths follow the language's words.
func TestRussianWordsFitTheirColumns(t *testing.T) {
	for _, tx := range []*text{&english, &russian} {
		var ss []api.Session
		conns := slices.Sorted(maps.Keys(tx.Channels))
		statuses := slices.Sorted(maps.Keys(tx.StatusNames))
		for i := range max(len(conns), len(statuses)) {
			s := fixture(1)[0]
			s.SessionID, s.ChatID = int64(100+i), int64(500+i)
			s.Connector = conns[i%len(conns)]
			s.Status = api.Status(statuses[i%len(statuses)])
			s.LastActivity = t0.Add(-[]time.Duration{59 * time.Minute, 23 * time.Hour, 99 * 24 * time.Hour, 0}[i%4])
			ss = append(ss, s)
		}
		hs := newHarness(t, 120, 40, ss, func(o *Options) { o.Lang = tx.lang }).start()
		s := plain(hs)
		for _, c := range conns {
			mustContain(t, s, tx.Channels[c]+" ")
		}
		for _, st := range statuses {
			mustContain(t, s, tx.StatusNames[st])
		}
		mustContain(t, s, tx.Minutes(59), tx.Hours(23), tx.Days(99), tx.JustNow, tx.ColUnread, tx.ColLast)
	}
}

func TestRussianReasons(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("%w: %w", api.ErrUnreachable, syscall.ECONNREFUSED), "отказ в соединении"},
		{&api.Error{}, "портал отказал, не назвав причину"},
		{&api.Error{Code: "ACCESS_DENIED", Description: "Доступ запрещён."}, "ACCESS_DENIED: Доступ запрещён"},
		{&api.Error{Code: "expired_token", Description: "The access token provided has expired."}, "срок действия токена доступа истёк (expired_token)"},
		{&api.Error{Code: "QUERY_LIMIT_EXCEEDED", Description: "Too many requests"}, "слишком много запросов (QUERY_LIMIT_EXCEEDED)"},
		{fmt.Errorf("batch: %w", api.ErrResponseTooLarge), "ответ портала слишком большой"},
		{errors.New("batch: unreadable result: invalid character"), "непредвиденная ошибка при обмене с порталом"},
	} {
		if got := russian.reason(c.err); got != c.want {
			t.Errorf("%v: %q, want %q", c.err, got, c.want)
		}
	}
	// English keeps the detail
	if got := english.reason(errors.New("batch: unreadable result")); got != "batch: unreadable result" {
		t.Errorf("English: %q", got)
	}
}
