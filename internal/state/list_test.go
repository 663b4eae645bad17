package state

import (
	"slices"
	"testing"
	"time"

	"github.com/linedesk/linedesk/internal/api"
)

var t0 = time.Date(2026, 3, 16, 18, 0, 0, 0, time.UTC)

// sess builds a current session whose last activity is ago before t0.
func sess(id int64, ago time.Duration, pinned bool) api.Session {
	return api.Session{
		SessionID: id, ChatID: id * 10, StatusKnown: true, Status: api.StatusOperator,
		Client: "client", Pinned: pinned, LastActivity: t0.Add(-ago),
	}
}

func keys(l List) []int64 {
	var out []int64
	for i := range l.Len() {
		out = append(out, l.At(i).Key)
	}
	return out
}

func TestApplySortsNewestFirstAndDropsClosed(t *testing.T) {
	closed := sess(5, 0, true)
	closed.Status = api.StatusClose
	unknown := sess(6, time.Hour, false)
	unknown.StatusKnown, unknown.Status = false, api.StatusClose // no lines object: kept
	l, ch := List{}.Apply(ptrs([]api.Session{
		sess(1, 3*time.Minute, false), sess(2, time.Minute, true), closed,
		sess(3, time.Minute, false), sess(4, 2*time.Minute, true), unknown,
	}))
	if got, want := keys(l), []int64{3, 2, 4, 1, 6}; !slices.Equal(got, want) {
		t.Fatalf("order = %v, want %v (newest first, ties by ID desc, closed dropped)", got, want)
	}
	if l.Pinned() != 2 {
		t.Errorf("Pinned() = %d, want 2 (the closed pinned one is not listed)", l.Pinned())
	}
	if len(ch.Added) != 5 || len(ch.Removed) != 0 || len(ch.Changed) != 0 {
		t.Errorf("changes = %+v, want 5 added", ch)
	}
	if l.Has(5) {
		t.Error("closed session 5 listed")
	}
}

func TestApplyKeepsRevisionOfUnchangedRows(t *testing.T) {
	l1, _ := List{}.Apply(ptrs([]api.Session{sess(1, time.Minute, false), sess(2, 2*time.Minute, false), sess(3, 3*time.Minute, false)}))
	revs := map[int64]uint64{}
	for i := range l1.Len() {
		revs[l1.At(i).Key] = l1.At(i).Rev
	}
	changed := sess(2, 2*time.Minute, false)
	changed.Unread = 4
	l2, ch := l1.Apply(ptrs([]api.Session{sess(1, time.Minute, false), changed, sess(4, 0, false)}))
	if !slices.Equal(ch.Added, []int64{4}) || !slices.Equal(ch.Removed, []int64{3}) || !slices.Equal(ch.Changed, []int64{2}) {
		t.Fatalf("changes = %+v, want added [4], removed [3], changed [2]", ch)
	}
	i1, _ := l2.Index(1)
	i2, _ := l2.Index(2)
	if l2.At(i1).Rev != revs[1] {
		t.Error("unchanged row 1 got a new revision")
	}
	if l2.At(i2).Rev == revs[2] {
		t.Error("changed row 2 kept its revision")
	}
	l3, ch := l2.Apply(ptrs([]api.Session{sess(1, time.Minute, false), changed, sess(4, 0, false)}))
	if !ch.Empty() {
		t.Errorf("same data again: changes = %+v, want none", ch)
	}
	if l3.At(0).Rev != l2.At(0).Rev {
		t.Error("revision changed without a change")
	}
}

func TestApplyDropsDuplicateKeysKeepingNewest(t *testing.T) {
	old := sess(7, time.Hour, false)
	old.Client = "old"
	fresh := sess(7, time.Minute, true)
	fresh.Client = "fresh"
	l, _ := List{}.Apply(ptrs([]api.Session{old, sess(8, 30*time.Minute, false), fresh}))
	if l.Len() != 2 {
		t.Fatalf("Len = %d, want 2", l.Len())
	}
	i, _ := l.Index(7)
	if l.At(i).Client != "fresh" || l.Pinned() != 1 {
		t.Errorf("kept %q (pinned %d), want the newest copy", l.At(i).Client, l.Pinned())
	}
}

func TestKeyWithoutSessionID(t *testing.T) {
	s := api.Session{ChatID: 42}
	if Key(s) != -42 {
		t.Errorf("Key = %d, want -42", Key(s))
	}
	s.SessionID = 9
	if Key(s) != 9 {
		t.Errorf("Key = %d, want 9", Key(s))
	}
}

func TestWithUnpinned(t *testing.T) {
	snap := []api.Session{sess(1, time.Minute, true), sess(2, 2*time.Minute, true), sess(3, 3*time.Minute, false)}
	l, _ := List{}.Apply(ptrs(snap))
	rev := l.At(1).Rev
	n := l.WithUnpinned([]int64{2, 3, 99})
	if !snap[1].Pinned {
		t.Error("unpinning in the list changed the snapshot it was built from")
	}
	if l.At(0).Session != &snap[0] || n.At(0).Session != &snap[0] {
		t.Error("an unchanged row does not share its session with the snapshot")
	}
	if n.Pinned() != 1 || l.Pinned() != 2 {
		t.Fatalf("pinned after = %d (before %d), want 1 (2)", n.Pinned(), l.Pinned())
	}
	if n.At(1).Pinned || !l.At(1).Pinned {
		t.Error("row 2 not unpinned in the new list, or the old list was changed")
	}
	if n.At(1).Rev == rev {
		t.Error("unpinned row kept its revision")
	}
	if n.At(2).Rev != l.At(2).Rev {
		t.Error("row 3 was not pinned and must keep its revision")
	}
	// a following Apply continues the revision sequence
	m, _ := n.Apply(ptrs([]api.Session{sess(1, time.Minute, false)}))
	if m.At(0).Rev <= n.At(1).Rev {
		t.Error("revisions went backwards")
	}
}

func TestPinnedRowsAndSplit(t *testing.T) {
	l, _ := List{}.Apply(ptrs([]api.Session{sess(1, time.Minute, true), sess(2, 2*time.Minute, false), sess(3, 3*time.Minute, true), sess(4, 4*time.Minute, true)}))
	got := l.PinnedRows(2)
	if len(got) != 2 || got[0].Key != 1 || got[1].Key != 3 {
		t.Errorf("PinnedRows(2) = %v", got)
	}
	if len(l.PinnedRows(-1)) != 3 {
		t.Error("PinnedRows(-1) should return all 3")
	}
	listed, missing := l.Split([]int64{3, 77, 1, 78})
	if !slices.Equal(listed, []int64{3, 1}) || !slices.Equal(missing, []int64{77, 78}) {
		t.Errorf("Split = %v, %v", listed, missing)
	}
}

func BenchmarkApply10000(b *testing.B) {
	ss := make([]api.Session, 10000)
	for i := range ss {
		ss[i] = sess(int64(i+1), time.Duration(i)*time.Second, i%7 == 0)
		ss[i].LastMessage = "hello there, how are you"
	}
	prev, _ := List{}.Apply(ptrs(ss))
	b.ReportAllocs()
	for b.Loop() {
		_, _ = prev.Apply(ptrs(ss))
	}
}

// ptrs lists sessions the way a snapshot does.
func ptrs(ss []api.Session) []*api.Session {
	out := make([]*api.Session, len(ss))
	for i := range ss {
		out[i] = &ss[i]
	}
	return out
}
