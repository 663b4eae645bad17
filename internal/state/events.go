package state

import (
	"time"

	"github.com/linedesk/linedesk/internal/api"
)

// EventKind is what happened to a session between two refreshes that the
// operator may want to be told about.
type EventKind int

// Kinds of events.
const (
	Arrived     EventKind = iota // a session that was not listed before
	ClientWrote                  // a session with no unread messages now has some
)

// Event is one session worth a notification.
type Event struct {
	Kind EventKind
	Row  Row
}

// Events compares two refreshes (ch is what cur's Apply reported) and
// returns, in cur's order, the sessions that arrived and those a client
// wrote into that had no unread messages before. A session marked unread
// by hand does not count: the mark is the operator's own.
func Events(old, cur List, ch Changes) []Event {
	interesting := make(map[int64]EventKind, len(ch.Added)+len(ch.Changed))
	for _, k := range ch.Added {
		interesting[k] = Arrived
	}
	for _, k := range ch.Changed {
		i, ok := old.Index(k)
		if !ok {
			continue
		}
		if j, ok := cur.Index(k); ok && old.At(i).Unread == 0 && cur.At(j).Unread > 0 {
			interesting[k] = ClientWrote
		}
	}
	if len(interesting) == 0 {
		return nil
	}
	out := make([]Event, 0, len(interesting))
	for _, r := range cur.rows {
		if kind, ok := interesting[r.Key]; ok {
			out = append(out, Event{Kind: kind, Row: r})
		}
	}
	return out
}

// NotifyEvery is how often one session may notify at most.
const NotifyEvery = time.Minute

// Throttle lets each session notify at most once per NotifyEvery. The zero
// value is ready; it is a value (Allow returns a new one).
type Throttle struct {
	last map[int64]time.Time
}

// Allow returns the events that may notify now and the throttle that
// remembers them. Entries older than NotifyEvery are forgotten.
func (t Throttle) Allow(events []Event, now time.Time) (Throttle, []Event) {
	n := make(map[int64]time.Time, len(t.last)+len(events))
	for k, at := range t.last {
		if now.Sub(at) < NotifyEvery {
			n[k] = at
		}
	}
	var out []Event
	for _, e := range events {
		if _, recent := n[e.Row.Key]; recent {
			continue
		}
		n[e.Row.Key] = now
		out = append(out, e)
	}
	return Throttle{last: n}, out
}

// StatusChange is a change of a session's status seen between two
// refreshes.
type StatusChange struct {
	At       time.Time // when the refresh that saw it arrived
	From, To api.Status
}

// trailCap is how many status changes a session keeps.
const trailCap = 8

// Trail is the status changes seen of each listed session while the
// dashboard runs (the portal keeps no status history it will give out).
// The zero value is empty; Observe returns a new Trail.
type Trail struct {
	changes map[int64][]StatusChange
}

// Observe records the status changes between old and cur (ch is cur's
// Apply result) at now and forgets the sessions no longer listed.
func (t Trail) Observe(old, cur List, ch Changes, now time.Time) Trail {
	var n map[int64][]StatusChange
	copied := false
	own := func() {
		if !copied {
			n = make(map[int64][]StatusChange, len(t.changes)+1)
			for k, v := range t.changes {
				n[k] = v
			}
			copied = true
		}
	}
	for _, k := range ch.Removed {
		if _, ok := t.changes[k]; ok {
			own()
			delete(n, k)
		}
	}
	for _, k := range ch.Changed {
		i, ok1 := old.Index(k)
		j, ok2 := cur.Index(k)
		if !ok1 || !ok2 {
			continue
		}
		a, b := old.At(i), cur.At(j)
		if !a.StatusKnown || !b.StatusKnown || a.Status == b.Status {
			continue
		}
		own()
		prev := n[k]
		if len(prev) >= trailCap {
			prev = prev[len(prev)-trailCap+1:]
		}
		n[k] = append(append([]StatusChange(nil), prev...), StatusChange{At: now, From: a.Status, To: b.Status})
	}
	if !copied {
		return t
	}
	return Trail{changes: n}
}

// Of is the status changes seen of a session, oldest first.
func (t Trail) Of(key int64) []StatusChange { return t.changes[key] }
