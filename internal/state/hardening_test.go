package state

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/linedesk/linedesk/internal/api"
)

// FuzzScheduler drives the scheduler with any sequence of refreshes
// begun, answered (in or out of order, failed or not, long after or at
// once) and invalidated, as a shift on a flaky network would. Throughout:
// never two refreshes under way, an answer to a refresh begun before an
// invalidation or already answered is never applied, the wait between
// refreshes never exceeds MaxBackoff (nor falls below the interval), and a
// success brings the plain interval back.
func FuzzScheduler(f *testing.F) {
	f.Add([]byte{0, 1, 2, 0, 1, 3, 0, 2}, int64(10))
	f.Add([]byte{0, 0, 0, 1, 1, 1}, int64(3))
	f.Add([]byte{0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 1}, int64(60))
	f.Fuzz(func(t *testing.T, ops []byte, seconds int64) {
		interval := time.Duration(seconds%600) * time.Second
		s := NewScheduler(interval)
		now := time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC)
		type req struct {
			seq   uint64
			stale bool // begun before an invalidation
		}
		var pending []req // begun, not yet answered, oldest first
		answered := map[uint64]bool{}
		for i, op := range ops {
			now = now.Add(time.Duration(op>>2) * time.Second)
			switch op % 4 {
			case 0: // begin
				seq, ok := s.Begin()
				if ok {
					if len(pending) > 0 {
						t.Fatalf("op %d: refresh %d begun while %d is under way", i, seq, pending[0].seq)
					}
					pending = append(pending, req{seq: seq})
				} else if !s.InFlight() {
					t.Fatalf("op %d: Begin refused with nothing under way", i)
				}
			case 1, 2: // an answer to some pending refresh (not always the newest)
				if len(pending) == 0 {
					r := s.End(uint64(op), now, op%4 == 2) // an answer nobody asked for
					if r.Accepted {
						t.Fatalf("op %d: an unknown answer was accepted", i)
					}
					continue
				}
				k := int(op>>2) % len(pending)
				p := pending[k]
				pending = append(pending[:k], pending[k+1:]...)
				r := s.End(p.seq, now, op%4 == 2)
				if r.Accepted && (p.stale || answered[p.seq]) {
					t.Fatalf("op %d: stale or repeated answer %d accepted", i, p.seq)
				}
				answered[p.seq] = true
				if due, ok := s.Due(); ok && interval > 0 {
					wait := due.Sub(now)
					if wait > max(MaxBackoff, s.Interval()) || wait < s.Interval() {
						t.Fatalf("op %d: next refresh in %s (interval %s, %d failures)", i, wait, s.Interval(), s.Failures())
					}
					if s.Failures() == 0 && wait != s.Interval() {
						t.Fatalf("op %d: after a success the wait is %s, not the interval %s", i, wait, s.Interval())
					}
				}
			case 3: // invalidate: everything begun so far is stale
				s.Invalidate()
				for j := range pending {
					pending[j].stale = true
				}
			}
		}
	})
}

// TestListSurvivesHostileSnapshots: snapshots with duplicate sessions,
// missing IDs, closed and unknown statuses, huge and negative IDs, applied
// one after another, always give a list whose keys are unique, whose rows
// are current, whose order is newest first, and whose pinned count
// matches its rows; unchanged rows keep their revision.
func TestListSurvivesHostileSnapshots(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	base := time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC)
	var l List
	for round := range 300 {
		n := rng.IntN(60)
		sessions := make([]api.Session, n)
		for i := range sessions {
			s := api.Session{
				SessionID:    int64(rng.IntN(40)) - 5,
				ChatID:       int64(rng.IntN(40)),
				Status:       api.Status(rng.IntN(80)),
				StatusKnown:  rng.IntN(5) > 0,
				Pinned:       rng.IntN(3) == 0,
				LastActivity: base.Add(time.Duration(rng.IntN(1000)) * time.Second),
				Client:       "c",
			}
			if rng.IntN(50) == 0 {
				s.SessionID = 1<<62 + int64(i)
			}
			sessions[i] = s
		}
		old := l
		var ch Changes
		l, ch = l.Apply(ptrs(sessions))
		seen := map[int64]bool{}
		pinned := 0
		for i := range l.Len() {
			r := l.At(i)
			if seen[r.Key] {
				t.Fatalf("round %d: key %d twice", round, r.Key)
			}
			seen[r.Key] = true
			if !r.Current() {
				t.Fatalf("round %d: closed session %+v listed", round, r.Session)
			}
			if i > 0 && l.At(i-1).LastActivity.Before(r.LastActivity) {
				t.Fatalf("round %d: rows %d and %d out of order", round, i-1, i)
			}
			if r.Pinned {
				pinned++
			}
			if j, ok := old.Index(r.Key); ok && sameShown(old.At(j).Session, r.Session) && old.At(j).Rev != r.Rev {
				t.Fatalf("round %d: unchanged row %d got a new revision", round, r.Key)
			}
		}
		if pinned != l.Pinned() {
			t.Fatalf("round %d: %d pinned rows, Pinned() says %d", round, pinned, l.Pinned())
		}
		if len(ch.Added)+len(ch.Changed) > l.Len() || len(ch.Removed) > old.Len() {
			t.Fatalf("round %d: changes %+v for %d → %d rows", round, ch, old.Len(), l.Len())
		}
	}
}
