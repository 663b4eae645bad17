package state

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sahilm/fuzzy"

	"github.com/linedesk/linedesk/internal/api"
)

// Sort is an order of the session table.
type Sort int

// The orders the operator cycles through, in that order.
const (
	ByActivity Sort = iota // last activity, newest first (the list's own order)
	ByWait                 // clients waiting for a reply first, the longest wait first
	ByStatus               // status: new offers, accepted, client waits, answered, closing
	ByLine                 // open line by name
	ByUnread               // most unread messages first
	sortCount
)

// Next is the order after s, wrapping round to ByActivity.
func (s Sort) Next() Sort { return (s + 1) % sortCount }

// Valid reports whether s is one of the orders above.
func (s Sort) Valid() bool { return s >= 0 && s < sortCount }

// Sorted returns the list in order s; rows keep their revisions. Within
// any order, ties go by last activity, newest first, then by key. A List
// from Apply is already in ByActivity order and is returned as it is.
func (l List) Sorted(s Sort) List {
	if !s.Valid() {
		s = ByActivity
	}
	if s == l.order {
		return l
	}
	rows := slices.Clone(l.rows)
	slices.SortStableFunc(rows, comparator(s))
	return l.derive(rows, s)
}

// derive is a list of rows taken from l (a subset, or l's rows reordered).
func (l List) derive(rows []Row, s Sort) List {
	n := List{rows: rows, index: make(map[int64]int, len(rows)), nextRev: l.nextRev, order: s, search: l.search}
	for i, r := range rows {
		n.index[r.Key] = i
		if r.Pinned {
			n.pinned++
		}
	}
	return n
}

func comparator(s Sort) func(a, b Row) int {
	switch s {
	case ByWait:
		return func(a, b Row) int {
			wa, wb := waiting(a), waiting(b)
			switch {
			case wa && !wb:
				return -1
			case wb && !wa:
				return 1
			case wa && wb:
				// both wait: the one waiting since longest first
				if c := a.LastActivity.Compare(b.LastActivity); c != 0 {
					return c
				}
			}
			return compareRows(a, b)
		}
	case ByStatus:
		return func(a, b Row) int {
			if c := cmp.Compare(statusRank(a), statusRank(b)); c != 0 {
				return c
			}
			return compareRows(a, b)
		}
	case ByLine:
		return func(a, b Row) int {
			na, nb := strings.ToLower(a.LineName), strings.ToLower(b.LineName)
			switch {
			case na == "" && nb != "":
				return 1
			case nb == "" && na != "":
				return -1
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			if c := cmp.Compare(a.LineID, b.LineID); c != 0 {
				return c
			}
			return compareRows(a, b)
		}
	case ByUnread:
		return func(a, b Row) int {
			if c := cmp.Compare(unreadRank(b), unreadRank(a)); c != 0 {
				return c
			}
			return compareRows(a, b)
		}
	}
	return compareRows
}

// waiting reports whether the client waits for the operator: a queue
// offer not yet accepted, or a client who wrote last.
func waiting(r Row) bool {
	return r.StatusKnown && (r.Status.Offer() || r.Status.ClientWaiting())
}

// statusRank orders by status code; a session without a status goes last.
func statusRank(r Row) int {
	if !r.StatusKnown {
		return int(^uint(0) >> 1)
	}
	return int(r.Status)
}

// unreadRank is the unread count, a manual "unread" mark counting as a
// half message so that it sorts just below one real message.
func unreadRank(r Row) float64 {
	if r.Unread == 0 && r.MarkedUnread {
		return 0.5
	}
	return float64(r.Unread)
}

// Filter returns the rows of l that match text, keeping l's order. Text is
// split into words; a row matches when every word matches one of its
// fields, case ignored: the client, line, channel (its code and, through
// channel, its name) and session ID fuzzily (the letters in order, not
// necessarily together: "smth" finds "John Smith"), the last message as
// written (a word's letters scattered over a sentence match almost any
// sentence). Blank text returns l itself.
//
// The fuzzy matching is sahilm/fuzzy's. Its case folding is slow for
// non-Latin text, so a field is first checked quickly for the word's
// letters in order in its lower-cased text (built when a filter first
// looks at the row and kept while its revision stays; see DropSearch), and
// only fields that pass go to the matcher.
func (l List) Filter(text string, channel func(connector string) string) List {
	words := strings.Fields(strings.ToLower(text))
	if len(words) == 0 {
		return l
	}
	var names map[string]string // lower-cased channel names, by connector
	if channel != nil {
		names = map[string]string{}
	}
	// fields is a row's search text and its channel's name, in buf: no
	// allocation per row and keystroke.
	var buf [len(searchText{}.fields) + 1]string
	fields := func(r Row) []string {
		t := l.search.text(r)
		f := append(buf[:0], t.fields[:]...)
		if names != nil {
			n, ok := names[r.Connector]
			if !ok {
				if n = channel(r.Connector); n == r.Connector {
					n = ""
				}
				n = strings.ToLower(n)
				names[r.Connector] = n
			}
			f = append(f, n)
		}
		return f
	}
	var keep []int
	one := make(fuzzySource, 1)
	matches := func(f []string, w string) bool {
		for i, s := range f {
			if i == messageField {
				if strings.Contains(s, w) {
					return true
				}
				continue
			}
			if strings.Contains(s, w) {
				return true // as written: the matcher would agree, at a cost
			}
			if !inOrder(s, w) {
				continue
			}
			one[0] = s
			if len(fuzzy.FindFromNoSort(w, one)) > 0 {
				return true
			}
		}
		return false
	}
	for i, r := range l.rows {
		f := fields(r)
		ok := true
		for _, w := range words {
			if !matches(f, w) {
				ok = false
				break
			}
		}
		if ok {
			keep = append(keep, i)
		}
	}
	rows := make([]Row, len(keep))
	for j, i := range keep {
		rows[j] = l.rows[i]
	}
	return l.derive(rows, l.order)
}

// inOrder reports whether the runes of word appear in s in order.
func inOrder(s, word string) bool {
	for _, r := range word {
		i := strings.IndexRune(s, r)
		if i < 0 {
			return false
		}
		s = s[i+utf8.RuneLen(r):]
	}
	return true
}

type fuzzySource []string

func (s fuzzySource) String(i int) string { return s[i] }
func (s fuzzySource) Len() int            { return len(s) }

// searchCache keeps the search text of rows across filter keystrokes and
// refreshes: a list, the lists derived from it and the lists Applied on it
// share one. Only the goroutine that filters uses it (the dashboard's
// Update). It is empty until a filter is used, so 10,000 sessions do not
// carry a lower-cased copy of their text all shift for a filter that may
// never be typed.
type searchCache struct {
	texts map[int64]cachedText
}

type cachedText struct {
	rev  uint64
	text *searchText
}

// text is r's search text, built and kept if the cache has none for r's
// revision. A nil cache (a List{} never Applied) keeps nothing.
func (c *searchCache) text(r Row) *searchText {
	if c == nil {
		return newSearchText(r.Session)
	}
	if t, ok := c.texts[r.Key]; ok && t.rev == r.Rev {
		return t.text
	}
	if c.texts == nil {
		c.texts = map[int64]cachedText{}
	}
	t := newSearchText(r.Session)
	c.texts[r.Key] = cachedText{r.Rev, t}
	return t
}

// keep drops the texts of rows that left l or changed.
func (c *searchCache) keep(l List) {
	for k, t := range c.texts {
		if i, ok := l.index[k]; !ok || l.rows[i].Rev != t.rev {
			delete(c.texts, k)
		}
	}
}

// DropSearch forgets the search text the filter built (the filter was
// closed); the next filter builds it again. It affects every list that
// shares l's cache.
func (l List) DropSearch() {
	if l.search != nil {
		l.search.texts = nil
	}
}

// searchText is a session's filterable fields, lower-cased.
type searchText struct {
	fields [5]string // client, line, connector, session ID, last message
}

// messageField is the last message's place in searchText.fields.
const messageField = 4

func newSearchText(s *api.Session) *searchText {
	client := s.Client
	if client == "" {
		client = s.Title
	}
	line := s.LineName
	if line == "" && s.LineID != 0 {
		line = "#" + strconv.FormatInt(s.LineID, 10)
	}
	id := ""
	if s.SessionID != 0 {
		id = strconv.FormatInt(s.SessionID, 10)
	}
	return &searchText{fields: [5]string{
		strings.ToLower(client), strings.ToLower(line), strings.ToLower(s.Connector), id, strings.ToLower(s.LastMessage),
	}}
}

// Query is what the table shows of a list: a filter and an order.
type Query struct {
	Filter string
	Sort   Sort
	// Channel names a connector for the filter ("telegrambot" →
	// "Telegram"); nil matches the connector's code only.
	Channel func(connector string) string
}

// Active reports whether q shows anything but the whole list in its own
// order.
func (q Query) Active() bool { return q.Filtering() || q.Sort != ByActivity }

// Filtering reports whether q hides rows that do not match.
func (q Query) Filtering() bool { return strings.TrimSpace(q.Filter) != "" }

// Select is l sorted and then filtered by q.
func (l List) Select(q Query) List { return l.Sorted(q.Sort).Filter(q.Filter, q.Channel) }

// Count is how many rows satisfy f.
func (l List) Count(f func(Row) bool) int {
	n := 0
	for _, r := range l.rows {
		if f(r) {
			n++
		}
	}
	return n
}

// Session is the listed session with the given key.
func (l List) Session(key int64) (api.Session, bool) {
	i, ok := l.index[key]
	if !ok {
		return api.Session{}, false
	}
	return *l.rows[i].Session, true
}
