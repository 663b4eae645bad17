package portalsim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// Evolve advances the portal by one step of a working day: clients arrive
// and write, the owner accepts offers, answers, closes and pins, colleagues
// take offers, silent sessions close by themselves. Deterministic for a
// given rng state and clock.
func (p *Portal) Evolve(rng *rand.Rand) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e := &evolver{p: p, rng: rng, now: p.now().Truncate(time.Second)}
	e.step()
}

// Run calls Evolve every interval until ctx ends (for --demo and sim).
func (p *Portal) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = 5 * time.Second
	}
	rng := rand.New(rand.NewPCG(uint64(p.opts.Seed), 0x65766f6c7665))
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.Evolve(rng)
		}
	}
}

type evolver struct {
	p   *Portal
	rng *rand.Rand
	now time.Time
}

func (e *evolver) seeder() *seeder {
	var peers []int64
	for id, u := range e.p.w.users {
		if !u.connector && id != e.p.uid {
			peers = append(peers, id)
		}
	}
	sortIDs(peers)
	return &seeder{w: e.p.w, rng: e.rng, now: e.now, owner: e.p.uid, peers: peers, fresh: true}
}

// mine lists the owner's current sessions with a status in [lo, hi].
func (e *evolver) mine(lo, hi int) []*session {
	var out []*session
	for _, ch := range e.p.w.chats {
		s := ch.session
		if ch.kind == kindLines && s != nil && ch.owner == e.p.uid && s.operator == e.p.uid && s.status >= lo && s.status <= hi {
			out = append(out, s)
		}
	}
	// Map order is random; sort so that the rng alone decides.
	sortSessions(out)
	return out
}

func sortSessions(ss []*session) {
	ids := make([]int64, len(ss))
	byID := make(map[int64]*session, len(ss))
	for i, s := range ss {
		ids[i], byID[s.id] = s.id, s
	}
	sortIDs(ids)
	for i, id := range ids {
		ss[i] = byID[id]
	}
}

func (e *evolver) offers() []*chat {
	out := e.p.w.offers(e.p.uid)
	ss := make([]*session, len(out))
	for i, c := range out {
		ss[i] = c.session
	}
	sortSessions(ss)
	for i, s := range ss {
		out[i] = s.chat
	}
	return out
}

func (e *evolver) step() {
	p, rng := e.p, e.rng
	target := max(p.opts.Sessions, 4)
	current := len(e.mine(StatusAnswer, StatusWaitClient))
	offers := e.offers()

	// A client arrives: a queue offer, or a returning client routed straight
	// back to the operator who served them.
	if len(offers) < 25 && chance(rng, 0.35) {
		s := e.seeder()
		if closed := e.mine(StatusClose, 100); len(closed) > 0 && chance(rng, 0.25) {
			e.reopen(pick(rng, closed))
		} else {
			c := s.linesChat(s.ownerLine(), 0, StatusNew, false)
			c.session.created = e.now
		}
	}
	// The owner accepts an offer, or a colleague takes one.
	if len(offers) > 0 {
		switch r := rng.Float64(); {
		case r < 0.3 || current < target/2 && r < 0.6:
			e.accept(pick(rng, offers))
		case r < 0.4:
			e.takenByColleague(pick(rng, offers))
		}
	}
	// Clients write.
	if open := e.mine(StatusAnswer, StatusWaitClient); len(open) > 0 {
		for range 1 + rng.IntN(2) {
			if chance(rng, 0.7) {
				e.clientWrites(pick(rng, open))
			}
		}
	}
	// The owner answers someone who waits.
	if waiting := e.mine(StatusAnswer, StatusClientAfterOperator); len(waiting) > 0 && chance(rng, 0.45) {
		e.operatorReplies(pick(rng, waiting))
	}
	// Answered dialogs go to the closing mode, and some close.
	if answered := e.mine(StatusOperator, StatusOperator); len(answered) > 0 && chance(rng, 0.1) {
		s := pick(rng, answered)
		s.status, s.wait = StatusWaitClient, true
		p.w.touch()
	}
	closeP := 0.2
	if current > target+target/2 {
		closeP = 0.9
	}
	if done := e.mine(StatusOperator, StatusWaitClient); len(done) > 0 && chance(rng, closeP) {
		s := pick(rng, done)
		if !s.pause || chance(rng, 0.2) {
			e.close(s, pick(rng, []int{StatusClose, StatusClose, StatusClose, StatusSilentlyClose}))
		}
	}
	// The owner pins a dialog now and then.
	if open := e.mine(StatusAnswer, StatusWaitClient); len(open) > 0 && chance(rng, 0.08) {
		if s := pick(rng, open); !s.pause {
			p.setPause(s, true)
		}
	}
	e.autoClose()
}

// reopen starts a new session in a closed chat of the owner.
func (e *evolver) reopen(old *session) {
	w, ch := e.p.w, old.chat
	w.nextSession += 1 + int64(e.rng.IntN(2))
	s := &session{id: w.nextSession, chat: ch, operator: e.p.uid, status: StatusClient, created: e.now, autoClose: e.now.Add(autoCloseAfter)}
	ch.session = s
	ch.sessions = append(ch.sessions, s)
	ch.ed1Fields = 10
	w.sessions[s.id] = s
	w.addMessage(ch, 0, fmt.Sprintf(sysNewDialog, ch.connector), e.now)
	w.addMessage(ch, ch.client.id, clientLine(e.rng, ch.client.lang), e.now)
	ch.counter = 1
}

func (e *evolver) accept(ch *chat) {
	p, s := e.p, ch.session
	ch.owner, s.operator = p.uid, p.uid
	if !ch.isMember(p.uid) || len(ch.members) == 0 {
		ch.members = append(ch.members, p.uid)
	}
	ch.inRecent = true
	s.status, s.pause = StatusAnswer, false // accepting clears the pin
	s.autoClose = e.now.Add(autoCloseAfter)
	p.w.addMessage(ch, 0, fmt.Sprintf(sysAccepted, p.w.users[p.uid].name()), e.now)
}

func (e *evolver) takenByColleague(ch *chat) {
	var peers []int64
	for _, id := range ch.line.queue {
		if id != e.p.uid {
			peers = append(peers, id)
		}
	}
	if len(peers) == 0 {
		return
	}
	peer := pick(e.rng, peers)
	ch.owner, ch.session.operator, ch.session.status = peer, peer, StatusAnswer
	ch.members = []int64{peer}
	e.p.w.touch()
}

func (e *evolver) clientWrites(s *session) {
	ch := s.chat
	e.p.w.addMessage(ch, ch.client.id, clientLine(e.rng, ch.client.lang), e.now)
	ch.counter++
	switch s.status {
	case StatusOperator, StatusWaitClient:
		s.status = StatusClientAfterOperator
	case StatusAnswer:
		s.status = StatusClient
	}
	s.wait = false
	if !s.pause {
		s.autoClose = e.now.Add(autoCloseAfter)
	}
}

func (e *evolver) operatorReplies(s *session) {
	ch := s.chat
	m := e.p.w.addMessage(ch, e.p.uid, operatorLine(e.rng, ch.client.lang), e.now)
	m.uuid = fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", e.rng.Uint32(), e.rng.IntN(1<<16), e.rng.IntN(1<<12), e.rng.IntN(1<<12), e.rng.Int64N(1<<48))
	ch.counter, ch.marked = 0, false
	s.status, s.wait = StatusOperator, false
}

// close ends a session; closing always clears the pin (PROTOCOL §10.1).
func (e *evolver) close(s *session, status int) {
	s.status, s.pause, s.wait, s.closed = status, false, false, e.now
	ch := s.chat
	ch.counter = 0
	if status == StatusSilentlyClose {
		e.p.w.touch()
		return
	}
	e.p.w.addMessage(ch, 0, sysClosed, e.now)
}

// autoClose closes sessions whose auto-close date has passed.
func (e *evolver) autoClose() {
	var due []*session
	for _, ch := range e.p.w.chats {
		s := ch.session
		if ch.kind == kindLines && s != nil && s.operator != 0 && !closedStatus(s.status) &&
			!s.autoClose.IsZero() && s.autoClose.Before(e.now) {
			due = append(due, s)
		}
	}
	sortSessions(due)
	for _, s := range due {
		e.close(s, StatusClose)
	}
}
