package state

import (
	"testing"
	"time"
)

func TestSchedulerInterval(t *testing.T) {
	for _, c := range []struct{ in, want time.Duration }{
		{0, 0}, {-time.Second, 0}, {time.Second, MinInterval}, {MinInterval, MinInterval}, {10 * time.Second, 10 * time.Second},
	} {
		if got := NewScheduler(c.in).Interval(); got != c.want {
			t.Errorf("NewScheduler(%v).Interval() = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestSchedulerNoOverlapAndPlansNext(t *testing.T) {
	s := NewScheduler(10 * time.Second)
	seq, ok := s.Begin()
	if !ok || !s.InFlight() {
		t.Fatal("first Begin refused")
	}
	if _, ok := s.Due(); ok {
		t.Error("a refresh is planned while one is under way")
	}
	if _, ok := s.Begin(); ok {
		t.Fatal("second Begin while one is under way was allowed")
	}
	r := s.End(seq, t0, false)
	if !r.Accepted || !r.Again {
		t.Fatalf("End = %+v, want accepted and again (asked during flight)", r)
	}
	seq, _ = s.Begin()
	r = s.End(seq, t0, false)
	if !r.Accepted || r.Again {
		t.Fatalf("End = %+v, want accepted only", r)
	}
	if due, ok := s.Due(); !ok || !due.Equal(t0.Add(10*time.Second)) {
		t.Errorf("Due = %v %v, want t0+10s", due, ok)
	}
	if s.IsDue(t0.Add(9*time.Second)) || !s.IsDue(t0.Add(10*time.Second)) {
		t.Error("IsDue wrong around the due time")
	}
}

func TestSchedulerDropsStaleAnswers(t *testing.T) {
	s := NewScheduler(10 * time.Second)
	seq, _ := s.Begin()
	s.Invalidate() // e.g. unpin-all finished while the refresh was under way
	r := s.End(seq, t0, false)
	if r.Accepted || !r.Again {
		t.Fatalf("stale answer: End = %+v, want dropped and again", r)
	}
	if r := s.End(seq, t0, false); r.Accepted || r.Again {
		t.Errorf("answer for a refresh not under way: %+v", r)
	}
	if r := s.End(0, t0, false); r.Accepted {
		t.Error("seq 0 accepted")
	}
	seq2, ok := s.Begin()
	if !ok || seq2 <= seq {
		t.Fatalf("Begin after stale = %d %v", seq2, ok)
	}
	if r := s.End(seq2, t0, false); !r.Accepted {
		t.Error("fresh answer dropped")
	}
	// Invalidate with nothing in flight: the next answer is still accepted
	s.Invalidate()
	seq3, _ := s.Begin()
	if r := s.End(seq3, t0, false); !r.Accepted {
		t.Error("answer to a refresh begun after Invalidate dropped")
	}
}

func TestSchedulerBacksOffAndRecovers(t *testing.T) {
	s := NewScheduler(10 * time.Second)
	var waits []time.Duration
	now := t0
	for range 6 {
		seq, _ := s.Begin()
		s.End(seq, now, true)
		due, _ := s.Due()
		waits = append(waits, due.Sub(now))
		now = due
	}
	want := []time.Duration{20 * time.Second, 40 * time.Second, 80 * time.Second, MaxBackoff, MaxBackoff, MaxBackoff}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits = %v, want %v", waits, want)
		}
	}
	if s.Failures() != 6 {
		t.Errorf("Failures = %d", s.Failures())
	}
	seq, _ := s.Begin()
	s.End(seq, now, false)
	if due, _ := s.Due(); due.Sub(now) != 10*time.Second || s.Failures() != 0 {
		t.Errorf("after success: wait %v failures %d, want 10s/0", due.Sub(now), s.Failures())
	}
}

func TestSchedulerOff(t *testing.T) {
	s := NewScheduler(0)
	seq, _ := s.Begin()
	s.End(seq, t0, true)
	if _, ok := s.Due(); ok {
		t.Error("auto refresh planned while off")
	}
	// a manual refresh still works
	if _, ok := s.Begin(); !ok {
		t.Error("manual refresh refused while off")
	}
}

func TestSchedulerLongIntervalNotShortenedByBackoffCap(t *testing.T) {
	s := NewScheduler(5 * time.Minute)
	seq, _ := s.Begin()
	s.End(seq, t0, true)
	if due, _ := s.Due(); due.Sub(t0) != 5*time.Minute {
		t.Errorf("wait = %v, want the interval (5m)", due.Sub(t0))
	}
}
