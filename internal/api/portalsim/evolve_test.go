package portalsim

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// checkInvariants reads the portal over HTTP and checks what the client
// relies on: each of the owner's current sessions has an entity_data_1 that
// agrees with lines.id and with PinnedSessionIDs, no closed session is
// pinned, offers are unowned and new.
func checkInvariants(t *testing.T, s *sim, step int) {
	t.Helper()
	items, _ := s.allRecent()
	pinned := s.p.PinnedSessionIDs()
	var listedPinned []int64
	for id, it := range items {
		c := obj_(t, it["chat"])
		f := ed1(t, it)
		ln := obj_(t, it["lines"])
		sid, status := num(t, ln["id"]), num(t, ln["status"])
		owner := num(t, c["owner"])
		if owner == 0 {
			if status >= 10 || f[3] == "Y" {
				t.Fatalf("step %d: offer %s with status %d, pin %s", step, id, status, f[3])
			}
			continue
		}
		if len(f) >= 6 && f[5] != itoa(sid) {
			t.Fatalf("step %d: %s entity_data_1 session %s, lines.id %d", step, id, f[5], sid)
		}
		if status >= 60 && f[3] == "Y" {
			t.Fatalf("step %d: closed session %d is pinned", step, sid)
		}
		if owner == s.p.UserID() && status < 60 {
			if len(f) != 10 {
				t.Fatalf("step %d: current session %d has %d entity_data_1 fields", step, sid, len(f))
			}
			if f[3] == "Y" {
				listedPinned = append(listedPinned, sid)
			}
		}
	}
	slices.Sort(listedPinned)
	if !slices.Equal(listedPinned, pinned) {
		t.Fatalf("step %d: the list shows pinned %v, the portal %v", step, listedPinned, pinned)
	}
	s.locked(func() {
		for _, ss := range s.p.w.sessions {
			if closedStatus(ss.status) && ss.pause {
				t.Fatalf("step %d: closed session %d keeps PAUSE", step, ss.id)
			}
			if ss.chat.session == ss && ss.chat.isOffer() && ss.operator != 0 {
				t.Fatalf("step %d: offer %d has an operator", step, ss.id)
			}
		}
	})
}

func TestEvolveInvariants(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		s := newSim(t, Options{Sessions: 30, Seed: int64(seed)})
		rng := rand.New(rand.NewPCG(seed, 99))
		start := s.p.Requests()
		var arrived, closed, wrote bool
		var firstSessions, firstMessages int
		s.locked(func() { firstSessions, firstMessages = len(s.p.w.sessions), s.countMessages() })
		for step := range 400 {
			s.clock.Advance(time.Duration(20+rng.IntN(60)) * time.Second)
			s.p.Evolve(rng)
			// Bulk actions interleave with life, as an operator would do.
			switch step % 97 {
			case 40:
				s.mustOK(s.call("imopenlines.session.mode.unpinAll", nil), "unpinAll")
			case 80:
				s.mustOK(s.call("imopenlines.session.mode.pinAll", nil), "pinAll")
			}
			if step%50 == 0 {
				checkInvariants(t, s, step)
			}
		}
		checkInvariants(t, s, 400)
		s.locked(func() {
			arrived = len(s.p.w.sessions) > firstSessions
			wrote = s.countMessages() > firstMessages
			for _, ss := range s.p.w.sessions {
				if ss.chat.owner == s.p.uid && closedStatus(ss.status) && !ss.closed.IsZero() && ss.closed.After(newClock().Now()) {
					closed = true
				}
			}
		})
		if !arrived || !closed || !wrote {
			t.Fatalf("seed %d: 400 steps of life: arrivals %v, closures %v, messages %v", seed, arrived, closed, wrote)
		}
		if s.p.Requests() == start {
			t.Fatal("no requests were made")
		}
	}
}

func (s *sim) countMessages() int {
	n := 0
	for _, c := range s.p.w.chats {
		n += len(c.messages)
	}
	return n
}

func TestEvolveDeterministic(t *testing.T) {
	run := func() []int64 {
		clock := newClock()
		p := New(Options{Sessions: 20, Seed: 5, Now: clock.Now})
		rng := rand.New(rand.NewPCG(7, 7))
		for range 100 {
			clock.Advance(30 * time.Second)
			p.Evolve(rng)
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		var ids []int64
		for id, ss := range p.w.sessions {
			ids = append(ids, id*100+int64(ss.status))
		}
		slices.Sort(ids)
		return ids
	}
	if a, b := run(), run(); !slices.Equal(a, b) {
		t.Fatal("the same seed and rng evolved differently")
	}
}

func TestEvolveClientWritesMoveToClient(t *testing.T) {
	s := newSim(t, Options{Sessions: 10, Seed: 1})
	c := findChat(t, s.p, "answered session", func(c *chat) bool { return s.p.ownCurrent(c) && c.session.status == StatusOperator })
	e := &evolver{p: s.p, rng: rand.New(rand.NewPCG(1, 1)), now: s.clock.Now().Add(time.Minute)}
	s.locked(func() {
		before := c.counter
		e.clientWrites(c.session)
		if c.session.status != StatusClientAfterOperator || c.counter != before+1 || c.lastMessage().author != c.client.id {
			t.Fatalf("after the client wrote: status %d counter %d author %d", c.session.status, c.counter, c.lastMessage().author)
		}
		e.operatorReplies(c.session)
		if c.session.status != StatusOperator || c.counter != 0 {
			t.Fatalf("after the reply: status %d counter %d", c.session.status, c.counter)
		}
		c.session.pause = true
		e.close(c.session, StatusClose)
		if c.session.pause || !strings.Contains(c.lastMessage().text, "завершён") {
			t.Fatal("closing kept the pin or posted nothing")
		}
	})
}

func TestRunStopsWithContext(t *testing.T) {
	p := New(Options{Sessions: 5})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		p.Run(ctx, time.Millisecond)
		close(done)
	}()
	cancel()
	<-done
}
