package state

import (
	"testing"
	"time"
)

func TestHighlightsExpire(t *testing.T) {
	var h Highlights
	if _, ok := h.Next(); ok || h.Has(1) {
		t.Fatal("zero value not empty")
	}
	h = h.Set([]int64{1, 2}, t0.Add(time.Minute))
	h2 := h.Set([]int64{3}, t0.Add(2*time.Minute))
	if h.Has(3) {
		t.Error("Set changed the receiver")
	}
	if n, _ := h2.Next(); !n.Equal(t0.Add(time.Minute)) {
		t.Errorf("Next = %v, want t0+1m", n)
	}
	same, gone := h2.Expire(t0.Add(59 * time.Second))
	if len(gone) != 0 || same.Len() != 3 {
		t.Errorf("expired early: %v", gone)
	}
	h3, gone := h2.Expire(t0.Add(time.Minute))
	if len(gone) != 2 || h3.Has(1) || h3.Has(2) || !h3.Has(3) || !h2.Has(1) {
		t.Errorf("Expire at t0+1m: gone %v, left %v", gone, h3.Keys())
	}
	if n, ok := h3.Next(); !ok || !n.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("Next = %v %v", n, ok)
	}
}
