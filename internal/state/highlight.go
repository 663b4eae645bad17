package state

import "time"

// Highlights is a set of session keys, each shown highlighted until a time.
// The zero value is empty and ready to use; it is a value type (Set and
// Expire return a new set) so that models holding it stay comparable in
// tests.
type Highlights struct {
	until map[int64]time.Time
}

// Set returns the set with keys added (or extended) until the given time.
func (h Highlights) Set(keys []int64, until time.Time) Highlights {
	n := make(map[int64]time.Time, len(h.until)+len(keys))
	for k, t := range h.until {
		n[k] = t
	}
	for _, k := range keys {
		n[k] = until
	}
	return Highlights{until: n}
}

// Has reports whether a key is highlighted. Expiry is applied by Expire, so
// drawing never depends on the clock.
func (h Highlights) Has(key int64) bool {
	_, ok := h.until[key]
	return ok
}

// Len is how many keys are highlighted.
func (h Highlights) Len() int { return len(h.until) }

// Keys returns the highlighted keys in no particular order.
func (h Highlights) Keys() []int64 {
	out := make([]int64, 0, len(h.until))
	for k := range h.until {
		out = append(out, k)
	}
	return out
}

// Expire drops the keys whose time has come and returns the new set and
// the dropped keys.
func (h Highlights) Expire(now time.Time) (Highlights, []int64) {
	var gone []int64
	for k, t := range h.until {
		if !now.Before(t) {
			gone = append(gone, k)
		}
	}
	if len(gone) == 0 {
		return h, nil
	}
	n := make(map[int64]time.Time, len(h.until)-len(gone))
	for k, t := range h.until {
		if now.Before(t) {
			n[k] = t
		}
	}
	return Highlights{until: n}, gone
}

// Next is the earliest expiry; ok is false when nothing is highlighted.
func (h Highlights) Next() (t time.Time, ok bool) {
	for _, u := range h.until {
		if !ok || u.Before(t) {
			t, ok = u, true
		}
	}
	return t, ok
}
