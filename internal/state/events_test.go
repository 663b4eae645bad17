package state

import (
	"slices"
	"testing"
	"time"

	"github.com/linedesk/linedesk/internal/api"
)

func eventKeys(es []Event, kind EventKind) []int64 {
	var out []int64
	for _, e := range es {
		if e.Kind == kind {
			out = append(out, e.Row.Key)
		}
	}
	return out
}

func TestEventsArrivalsAndFirstUnread(t *testing.T) {
	read := func(id int64, ago time.Duration, unread int) api.Session {
		s := sess(id, ago, false)
		s.Unread = unread
		return s
	}
	old, _ := List{}.Apply(ptrs([]api.Session{read(1, time.Minute, 0), read(2, 2*time.Minute, 3), read(3, 3*time.Minute, 0), read(4, 4*time.Minute, 0)}))
	marked := read(4, 4*time.Minute, 0)
	marked.MarkedUnread = true
	cur, ch := old.Apply(ptrs([]api.Session{
		read(9, 0, 1),             // arrived
		read(1, 0, 2),             // had none, has two: the client wrote
		read(2, 0, 4),             // had unread already: no new event
		read(3, 3*time.Minute, 0), // unchanged
		marked,                    // marked unread by hand: not the client
	}))
	es := Events(old, cur, ch)
	if got := eventKeys(es, Arrived); !slices.Equal(got, []int64{9}) {
		t.Errorf("arrived %v, want [9]", got)
	}
	if got := eventKeys(es, ClientWrote); !slices.Equal(got, []int64{1}) {
		t.Errorf("client wrote %v, want [1]", got)
	}
	if len(es) != 2 {
		t.Errorf("%d events, want 2: %+v", len(es), es)
	}
	// nothing changed: nothing to say
	again, ch2 := cur.Apply(ptrs([]api.Session{read(9, 0, 1), read(1, 0, 2), read(2, 0, 4), read(3, 3*time.Minute, 0), marked}))
	if es := Events(cur, again, ch2); len(es) != 0 {
		t.Errorf("no change gave %d events", len(es))
	}
}

func TestThrottleOncePerSessionPerMinute(t *testing.T) {
	l, _ := List{}.Apply(ptrs([]api.Session{sess(1, 0, false), sess(2, 0, false)}))
	ev := func(keys ...int64) []Event {
		var out []Event
		for _, k := range keys {
			i, _ := l.Index(k)
			out = append(out, Event{Kind: Arrived, Row: l.At(i)})
		}
		return out
	}
	var th Throttle
	th, got := th.Allow(ev(1), t0)
	if len(got) != 1 {
		t.Fatalf("first: %d allowed", len(got))
	}
	th, got = th.Allow(ev(1, 2), t0.Add(59*time.Second))
	if len(got) != 1 || got[0].Row.Key != 2 {
		t.Fatalf("within the minute: %+v, want only 2", got)
	}
	th2, got := th.Allow(ev(1, 2), t0.Add(61*time.Second))
	if len(got) != 1 || got[0].Row.Key != 1 {
		t.Fatalf("after a minute: %+v, want 1 again (2 still throttled)", got)
	}
	// Allow returns a new throttle; the old one is unchanged
	if _, got := th.Allow(ev(1), t0.Add(61*time.Second)); len(got) != 1 {
		t.Error("the old throttle was changed")
	}
	if _, got := th2.Allow(ev(1), t0.Add(62*time.Second)); len(got) != 0 {
		t.Error("the new throttle forgot session 1")
	}
}

func TestTrailRecordsStatusChanges(t *testing.T) {
	st := func(id int64, s api.Status) api.Session {
		x := sess(id, time.Minute, false)
		x.Status = s
		return x
	}
	var tr Trail
	l1, ch := List{}.Apply(ptrs([]api.Session{st(1, api.StatusNew), st(2, api.StatusAnswer)}))
	tr = tr.Observe(List{}, l1, ch, t0)
	if len(tr.Of(1)) != 0 {
		t.Fatal("arrival recorded as a change")
	}
	l2, ch := l1.Apply(ptrs([]api.Session{st(1, api.StatusAnswer), st(2, api.StatusAnswer)}))
	tr2 := tr.Observe(l1, l2, ch, t0.Add(time.Minute))
	if got := tr2.Of(1); len(got) != 1 || got[0].From != api.StatusNew || got[0].To != api.StatusAnswer || !got[0].At.Equal(t0.Add(time.Minute)) {
		t.Errorf("trail of 1: %+v", got)
	}
	if len(tr.Of(1)) != 0 {
		t.Error("Observe changed the old trail")
	}
	// many changes keep the last few; a session that goes is forgotten
	l, trl := l2, tr2
	for i := range 20 {
		s := api.StatusClient
		if i%2 == 0 {
			s = api.StatusOperator
		}
		n, ch := l.Apply(ptrs([]api.Session{st(1, s), st(2, api.StatusAnswer)}))
		trl = trl.Observe(l, n, ch, t0.Add(time.Duration(i+2)*time.Minute))
		l = n
	}
	if got := trl.Of(1); len(got) != trailCap || !got[len(got)-1].At.Equal(t0.Add(21*time.Minute)) {
		t.Errorf("kept %d changes, last at %v", len(got), got[len(got)-1].At)
	}
	n, ch := l.Apply(ptrs([]api.Session{st(2, api.StatusAnswer)}))
	if trl = trl.Observe(l, n, ch, t0.Add(time.Hour)); len(trl.Of(1)) != 0 {
		t.Error("a session no longer listed kept its trail")
	}
}
