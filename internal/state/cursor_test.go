package state

import (
	"testing"
	"time"

	"github.com/linedesk/linedesk/internal/api"
)

func listOf(ids ...int64) List {
	ss := make([]api.Session, len(ids))
	for i, id := range ids {
		ss[i] = sess(id, time.Duration(i)*time.Minute, false) // given order = display order
	}
	l, _ := List{}.Apply(ptrs(ss))
	return l
}

func sel(t *testing.T, c Cursor) (int, int64) {
	t.Helper()
	i, k, ok := c.Selected()
	if !ok {
		t.Fatal("nothing selected")
	}
	return i, k
}

func TestCursorMovesAndStopsAtEnds(t *testing.T) {
	l := listOf(10, 20, 30, 40, 50, 60, 70)
	var c Cursor
	c.SetHeight(l, 3)
	c.Follow(List{}, l)
	if i, k := sel(t, c); i != 0 || k != 10 {
		t.Fatalf("first selection = %d/%d, want row 0 (10)", i, k)
	}
	c.Move(l, -1)
	if i, _ := sel(t, c); i != 0 {
		t.Errorf("up at top moved to %d", i)
	}
	c.Move(l, 4)
	if i, k := sel(t, c); i != 4 || k != 50 || c.Offset() != 2 {
		t.Errorf("after 4 down: row %d key %d offset %d, want 4/50/2", i, k, c.Offset())
	}
	c.Page(l, 1)
	if i, _ := sel(t, c); i != 6 || c.Offset() != 4 {
		t.Errorf("page down: row %d offset %d, want 6/4", i, c.Offset())
	}
	c.Page(l, -1)
	if i, _ := sel(t, c); i != 3 || c.Offset() != 1 {
		t.Errorf("page up: row %d offset %d, want 3/1 (window moved a page too)", i, c.Offset())
	}
	c.Home(l)
	if i, _ := sel(t, c); i != 0 || c.Offset() != 0 {
		t.Errorf("home: row %d offset %d", i, c.Offset())
	}
	c.End(l)
	if i, k := sel(t, c); i != 6 || k != 70 || c.Offset() != 4 {
		t.Errorf("end: row %d key %d offset %d", i, k, c.Offset())
	}
}

func TestCursorFollowsSessionAcrossRefresh(t *testing.T) {
	old := listOf(10, 20, 30, 40, 50)
	var c Cursor
	c.SetHeight(old, 10)
	c.Follow(List{}, old)
	c.Move(old, 2)                      // 30
	cur := listOf(5, 6, 10, 40, 30, 20) // 30 moved from row 2 to row 4
	c.Follow(old, cur)
	if i, k := sel(t, c); k != 30 || i != 4 {
		t.Errorf("after refresh: row %d key %d, want key 30 at row 4", i, k)
	}
}

func TestCursorFallsToNeighbourWhenSessionGoes(t *testing.T) {
	old := listOf(10, 20, 30, 40, 50)
	var c Cursor
	c.SetHeight(old, 10)
	c.Follow(List{}, old)
	c.Move(old, 2)            // 30
	cur := listOf(50, 10, 20) // 30 and 40 gone: the next one after 30 still listed is 50
	c.Follow(old, cur)
	if _, k := sel(t, c); k != 50 {
		t.Errorf("selected %d, want 50 (next after the vanished row)", k)
	}
	// the last row goes: fall back to the one before it
	old = cur
	c.End(old) // 20
	cur = listOf(50, 10)
	c.Follow(old, cur)
	if _, k := sel(t, c); k != 10 {
		t.Errorf("selected %d, want 10 (previous one)", k)
	}
	// everything replaced: same row number, clamped
	old = cur
	cur = listOf(1, 2, 3)
	c.Follow(old, cur)
	if i, k := sel(t, c); i != 1 || k != 2 {
		t.Errorf("selected row %d key %d, want row 1 (2)", i, k)
	}
	c.Follow(cur, List{})
	if _, _, ok := c.Selected(); ok {
		t.Error("empty list still has a selection")
	}
	c.Follow(List{}, cur)
	if i, _ := sel(t, c); i != 0 {
		t.Errorf("after empty: row %d, want 0", i)
	}
}

func TestCursorKeepsScreenRowOnRefresh(t *testing.T) {
	old := listOf(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
	var c Cursor
	c.SetHeight(old, 4)
	c.Follow(List{}, old)
	c.Move(old, 5) // key 6 at row 5, window 2..5, screen row 3
	cur := listOf(100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
	c.Follow(old, cur)
	if i, k := sel(t, c); k != 6 || i != 6 || c.Offset() != 3 {
		t.Errorf("row %d key %d offset %d, want 6/6/3", i, k, c.Offset())
	}
	// shrinking the window keeps the selection visible
	c.SetHeight(cur, 2)
	if i, _ := sel(t, c); i < c.Offset() || i >= c.Offset()+2 {
		t.Errorf("selection %d outside window at %d", i, c.Offset())
	}
}

func TestCursorWindowAtTopShowsArrivals(t *testing.T) {
	old := listOf(1, 2, 3, 4, 5, 6, 7, 8)
	var c Cursor
	c.SetHeight(old, 5)
	c.Follow(List{}, old)
	c.Move(old, 1) // key 2, window at the top
	cur := listOf(100, 101, 1, 2, 3, 4, 5, 6, 7, 8)
	c.Follow(old, cur)
	if i, k := sel(t, c); k != 2 || i != 3 || c.Offset() != 0 {
		t.Errorf("row %d key %d offset %d, want key 2 at row 3 with the window still at the top", i, k, c.Offset())
	}
	// pushed below the window: it scrolls just enough to keep it in view
	cur2 := listOf(200, 201, 202, 100, 101, 1, 2, 3, 4, 5, 6, 7, 8)
	c.Follow(cur, cur2)
	if i, k := sel(t, c); k != 2 || i != 6 || c.Offset() != 3 {
		t.Errorf("row %d key %d offset %d, want key 2 at row 6, offset 3 (same screen row)", i, k, c.Offset())
	}
}
