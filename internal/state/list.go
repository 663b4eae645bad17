package state

import (
	"cmp"
	"slices"

	"github.com/linedesk/linedesk/internal/api"
)

// Key identifies a row across refreshes: the session ID, or, for the rare
// item the portal sent without one, the negated chat ID (never a valid
// session ID, so the two cannot collide).
func Key(s api.Session) int64 {
	if s.SessionID != 0 {
		return s.SessionID
	}
	return -s.ChatID
}

// Row is one current session with a revision that changes whenever anything
// shown about it changes, so a renderer can cache the row's drawing.
//
// The session is shared, not copied: it is the snapshot's, which must not
// change afterwards, and a change the list makes itself (WithPinned)
// copies the one session it changes. So a list of 10,000 sessions, its
// filtered and sorted views and the snapshot it came from hold each
// session once.
type Row struct {
	*api.Session
	Key int64
	Rev uint64
}

// List is the ordered set of current sessions (status < 60), sorted by last
// activity, newest first, with ties broken by key, highest first. It is an
// immutable value: Apply, WithPinned, Sorted and Filter return a new List.
type List struct {
	rows    []Row
	index   map[int64]int
	pinned  int
	nextRev uint64
	order   Sort // the order of rows (Apply: ByActivity)
	search  *searchCache
}

// Changes says what a refresh changed, by key.
type Changes struct {
	Added, Removed, Changed []int64
}

// Empty reports whether nothing changed.
func (c Changes) Empty() bool {
	return len(c.Added) == 0 && len(c.Removed) == 0 && len(c.Changed) == 0
}

// Apply builds the list for a new snapshot's sessions: closed sessions are
// left out, duplicates (same key) keep the most recent, and each row keeps
// its revision when nothing about it changed. The rows share the sessions,
// which the caller must not change afterwards.
func (l List) Apply(sessions []*api.Session) (List, Changes) {
	rows := make([]Row, 0, len(sessions))
	for _, s := range sessions {
		if !s.Current() {
			continue
		}
		rows = append(rows, Row{Session: s, Key: Key(*s)})
	}
	slices.SortStableFunc(rows, compareRows)
	// Equal keys need not be adjacent after sorting by time: the first
	// (most recent) wins and later ones are skipped below.
	n := List{rows: rows[:0], index: make(map[int64]int, len(rows)), nextRev: l.nextRev, search: l.search}
	var ch Changes
	for _, r := range rows {
		if _, dup := n.index[r.Key]; dup {
			continue
		}
		if i, ok := l.index[r.Key]; ok {
			if old := l.rows[i]; sameShown(old.Session, r.Session) {
				r.Rev = old.Rev
			} else {
				n.nextRev++
				r.Rev = n.nextRev
				ch.Changed = append(ch.Changed, r.Key)
			}
		} else {
			n.nextRev++
			r.Rev = n.nextRev
			ch.Added = append(ch.Added, r.Key)
		}
		if r.Pinned {
			n.pinned++
		}
		n.index[r.Key] = len(n.rows)
		n.rows = append(n.rows, r)
	}
	for _, r := range l.rows {
		if _, ok := n.index[r.Key]; !ok {
			ch.Removed = append(ch.Removed, r.Key)
		}
	}
	if n.search == nil {
		n.search = &searchCache{}
	}
	n.search.keep(n)
	return n, ch
}

func compareRows(a, b Row) int {
	if c := b.LastActivity.Compare(a.LastActivity); c != 0 {
		return c
	}
	return cmp.Compare(b.Key, a.Key)
}

// sameShown reports whether two versions of a session look the same.
func sameShown(a, b *api.Session) bool {
	if a == b { // the client hands out an unchanged session again
		return true
	}
	return a.SessionID == b.SessionID && a.ChatID == b.ChatID &&
		a.DialogID == b.DialogID && a.LineID == b.LineID &&
		a.LineName == b.LineName && a.Connector == b.Connector &&
		a.Client == b.Client && a.Title == b.Title &&
		a.Status == b.Status && a.StatusKnown == b.StatusKnown &&
		a.Pinned == b.Pinned && a.Unread == b.Unread &&
		a.MarkedUnread == b.MarkedUnread && a.LastMessage == b.LastMessage &&
		a.LastAuthorID == b.LastAuthorID && a.LastActivity.Equal(b.LastActivity) &&
		a.Started.Equal(b.Started) && a.OwnerID == b.OwnerID &&
		a.CRMLinked == b.CRMLinked && slices.Equal(a.CRM, b.CRM)
}

// WithUnpinned returns the list with the given sessions marked not pinned
// (what the portal just reported), keeping the order.
func (l List) WithUnpinned(ids []int64) List { return l.WithPinned(ids, false) }

// WithPinned returns the list with the given sessions (by key) marked
// pinned or not, keeping the order; keys not listed are ignored. A row
// that changes gets a new revision.
func (l List) WithPinned(keys []int64, pinned bool) List {
	n := List{rows: slices.Clone(l.rows), index: l.index, pinned: l.pinned, nextRev: l.nextRev, order: l.order, search: l.search}
	for _, k := range keys {
		i, ok := l.index[k]
		if !ok || n.rows[i].Pinned == pinned {
			continue
		}
		n.nextRev++
		s := *n.rows[i].Session // copied: the snapshot's stays as the portal said
		s.Pinned = pinned
		n.rows[i].Session = &s
		n.rows[i].Rev = n.nextRev
		if pinned {
			n.pinned++
		} else {
			n.pinned--
		}
	}
	return n
}

// Len is the number of rows.
func (l List) Len() int { return len(l.rows) }

// At returns row i (0 ≤ i < Len).
func (l List) At(i int) Row { return l.rows[i] }

// Index returns the row index of a key.
func (l List) Index(key int64) (int, bool) {
	i, ok := l.index[key]
	return i, ok
}

// Has reports whether a key is listed.
func (l List) Has(key int64) bool {
	_, ok := l.index[key]
	return ok
}

// Pinned is the number of listed sessions that are pinned.
func (l List) Pinned() int { return l.pinned }

// PinnedRows returns up to max pinned rows in list order (max < 0: all).
func (l List) PinnedRows(max int) []Row {
	var out []Row
	for _, r := range l.rows {
		if max >= 0 && len(out) >= max {
			break
		}
		if r.Pinned {
			out = append(out, r)
		}
	}
	return out
}

// Split divides keys into those listed and those not, keeping their order.
func (l List) Split(keys []int64) (listed, missing []int64) {
	for _, k := range keys {
		if l.Has(k) {
			listed = append(listed, k)
		} else {
			missing = append(missing, k)
		}
	}
	return listed, missing
}
