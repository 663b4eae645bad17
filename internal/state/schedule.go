package state

import "time"

// Refresh timing limits.
const (
	MinInterval = 3 * time.Second // shorter intervals are raised to this
	MaxBackoff  = 2 * time.Minute // the longest wait between failing refreshes
)

// Scheduler decides when the session list is read again. It never lets two
// refreshes overlap, numbers each refresh so that an answer that is no
// longer wanted is dropped, and doubles the wait while the portal fails, up
// to MaxBackoff, returning to the plain interval after a success. It has no
// timers: the caller asks Due and arms one.
type Scheduler struct {
	interval time.Duration
	seq      uint64 // last number handed out
	accept   uint64 // answers numbered below this are stale
	inFlight uint64 // number of the refresh under way; 0 = none
	again    bool   // a refresh was asked for while one was under way
	failures int
	due      time.Time
}

// NewScheduler returns a scheduler for the given interval: 0 or less turns
// automatic refresh off, anything in (0, MinInterval) is raised to it.
func NewScheduler(interval time.Duration) Scheduler {
	if interval > 0 && interval < MinInterval {
		interval = MinInterval
	}
	return Scheduler{interval: max(interval, 0)}
}

// Interval is the automatic refresh interval (0 = off).
func (s Scheduler) Interval() time.Duration { return s.interval }

// Begin starts a refresh and returns its number. When one is already under
// way it starts nothing (ok is false) and remembers to refresh again as
// soon as that one ends.
func (s *Scheduler) Begin() (seq uint64, ok bool) {
	if s.inFlight != 0 {
		s.again = true
		return 0, false
	}
	s.seq++
	s.inFlight = s.seq
	s.due = time.Time{}
	return s.seq, true
}

// Invalidate marks every refresh begun so far as stale (its answer predates
// a change the caller made, such as unpin-all) and asks for a new one.
func (s *Scheduler) Invalidate() {
	s.accept = s.seq + 1
	if s.inFlight != 0 {
		s.again = true
	}
}

// Result is what End decided about an answer.
type Result struct {
	Accepted bool // apply the answer (and its error, if any)
	Again    bool // begin another refresh now
}

// End records the answer to refresh seq that arrived at now (failed = the
// refresh returned an error). A stale answer, or one for a refresh that is
// not under way, is not accepted.
func (s *Scheduler) End(seq uint64, now time.Time, failed bool) Result {
	if seq == 0 || seq != s.inFlight {
		return Result{}
	}
	s.inFlight = 0
	again := s.again
	s.again = false
	if seq < s.accept {
		return Result{Again: true}
	}
	if failed {
		s.failures++
	} else {
		s.failures = 0
	}
	if s.interval > 0 && !again {
		s.due = now.Add(s.wait())
	}
	return Result{Accepted: true, Again: again}
}

// wait is the interval, doubled per consecutive failure, at most MaxBackoff
// (but never below the interval itself).
func (s Scheduler) wait() time.Duration {
	d := s.interval
	for i := 0; i < s.failures && d < MaxBackoff; i++ {
		d *= 2
	}
	if d > MaxBackoff {
		d = max(MaxBackoff, s.interval)
	}
	return d
}

// Due is when the next automatic refresh should begin; ok is false when
// none is planned (off, or one is under way).
func (s Scheduler) Due() (t time.Time, ok bool) {
	return s.due, !s.due.IsZero() && s.inFlight == 0
}

// IsDue reports whether an automatic refresh should begin now.
func (s Scheduler) IsDue(now time.Time) bool {
	t, ok := s.Due()
	return ok && !now.Before(t)
}

// InFlight reports whether a refresh is under way.
func (s Scheduler) InFlight() bool { return s.inFlight != 0 }

// Failures is the number of consecutive failed refreshes.
func (s Scheduler) Failures() int { return s.failures }
