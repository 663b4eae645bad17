package portalsim

import (
	"testing"
	"time"
)

func TestLeakyBucket(t *testing.T) {
	s := newSim(t, Options{Sessions: 3, Rate: 2, Burst: 5})
	for range 5 {
		s.mustOK(s.call("user.current", nil), "within the burst")
	}
	s.mustErr(s.call("user.current", nil), 503, "QUERY_LIMIT_EXCEEDED", "over the burst")
	// A batch of many commands is one request: still refused as one.
	s.mustErr(s.call("batch", map[string]any{"cmd": []string{"user.current", "user.current"}}), 503, "QUERY_LIMIT_EXCEEDED", "batch over the burst")
	s.clock.Advance(time.Second) // drains 2
	s.mustOK(s.call("batch", map[string]any{"cmd": []string{"user.current", "user.current", "user.current"}}), "batch after a second")
	s.mustOK(s.call("user.current", nil), "second drained slot")
	s.mustErr(s.call("user.current", nil), 503, "QUERY_LIMIT_EXCEEDED", "drained slots used")
	if s.p.Calls("user.current") != 5+1+2+3+1+1 {
		t.Fatalf("Calls = %d: refused calls count too", s.p.Calls("user.current"))
	}
}

func TestLeakyBucketDisabled(t *testing.T) {
	s := newSim(t, Options{Sessions: 3, Rate: -1})
	for range 120 {
		s.mustOK(s.call("user.current", nil), "no bucket")
	}
}

func TestOperatingLimit(t *testing.T) {
	s := newSim(t, Options{Sessions: 3, OperatingLimit: time.Second})
	first := s.clock.Now()
	const m = "im.recent.list"
	// Cost 0.25 s per call: after four calls the sum is 1.0 (not over), the
	// fifth pushes it to 1.25 and still completes, the sixth is refused.
	var lastOperating float64
	for i := range 5 {
		a := s.call(m, map[string]any{"LIMIT": 1})
		s.mustOK(a, "under the limit")
		tm := obj_(t, a.body["time"])
		op, _ := tm["operating"].(interface{ Float64() (float64, error) }).Float64()
		if op < lastOperating {
			t.Fatalf("operating went down: %v after %v", op, lastOperating)
		}
		lastOperating = op
		if num(t, tm["operating_reset_at"]) != first.Add(10*time.Minute).Unix() {
			t.Fatalf("call %d: operating_reset_at %v", i, tm["operating_reset_at"])
		}
		s.clock.Advance(20 * time.Second)
	}
	if lastOperating != 1.25 {
		t.Fatalf("operating after five calls = %v, want 1.25", lastOperating)
	}
	s.mustErr(s.call(m, nil), 429, "OPERATION_TIME_LIMIT", "over the limit")
	s.mustOK(s.call("user.current", nil), "other methods keep working")
	// Inside a batch the blocked method fails alone.
	res := obj_(t, s.mustOK(s.call("batch", map[string]any{"cmd": map[string]any{"a": "user.current", "b": m}}), "batch"))
	if e := obj_(t, obj_(t, res["result_error"])["b"]); e["error"] != "OPERATION_TIME_LIMIT" {
		t.Fatalf("batch: %v", res["result_error"])
	}
	// The first minute's bucket (three calls, 0.75 s) leaves the window ten
	// minutes after it started; the remaining 0.5 s is under the limit.
	s.clock.Advance(first.Add(10*time.Minute).Sub(s.clock.Now()) - time.Second)
	s.mustErr(s.call(m, nil), 429, "OPERATION_TIME_LIMIT", "one second early")
	s.clock.Advance(time.Second)
	s.mustOK(s.call(m, nil), "after operating_reset_at")
}

func TestOperatingPerWebhookAndMethod(t *testing.T) {
	s := newSim(t, Options{Sessions: 3})
	s.p.SetOperatingLimit(300 * time.Millisecond)
	// One unpinAll (0.5 s) passes the limit and completes; the next is blocked.
	s.mustOK(s.call("imopenlines.session.mode.unpinAll", nil), "unpinAll")
	s.mustErr(s.call("imopenlines.session.mode.unpinAll", nil), 429, "OPERATION_TIME_LIMIT", "blocked")
	s.mustOK(s.call("imopenlines.session.mode.pinAll", nil), "another method")
	s.p.SetOperatingLimit(0)
	s.mustOK(s.call("imopenlines.session.mode.unpinAll", nil), "limit off")
}

func TestOpMeterBuckets(t *testing.T) {
	var m opMeter
	t0 := time.Unix(1000, 0)
	m.add(t0, 1)
	m.add(t0.Add(59*time.Second), 1)  // same bucket
	m.add(t0.Add(60*time.Second), 1)  // a new bucket
	m.add(t0.Add(300*time.Second), 1) // another
	if len(m.buckets) != 3 || m.total() != 4 {
		t.Fatalf("buckets %v", m.buckets)
	}
	if at, _ := m.resetAt(); !at.Equal(t0.Add(10 * time.Minute)) {
		t.Fatalf("resetAt %v", at)
	}
	m.trim(t0.Add(10 * time.Minute))
	if m.total() != 2 {
		t.Fatalf("after the first bucket left: %v", m.total())
	}
	if at, _ := m.resetAt(); !at.Equal(t0.Add(11 * time.Minute)) {
		t.Fatalf("resetAt %v", at)
	}
	m.trim(t0.Add(time.Hour))
	if _, has := m.resetAt(); has || m.total() != 0 {
		t.Fatal("an empty meter has a reset time")
	}
}
