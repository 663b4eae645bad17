package portalsim

import (
	"slices"
	"time"
)

// Operating time (PROTOCOL §4.2): per method and per webhook/app, the sum of
// simulated execution time in ten one-minute buckets. A bucket starts at the
// first call counted in its minute and leaves the window ten minutes later.

const (
	bucketSpan = time.Minute
	windowSpan = 10 * time.Minute
)

type opBucket struct {
	start time.Time
	sum   float64
}

type opMeter struct{ buckets []opBucket }

func (p *Portal) meter(ident, method string) *opMeter {
	k := ident + "\x00" + method
	m, found := p.meters[k]
	if !found {
		m = &opMeter{}
		p.meters[k] = m
	}
	return m
}

// trim drops buckets that have left the window at now.
func (m *opMeter) trim(now time.Time) {
	m.buckets = slices.DeleteFunc(m.buckets, func(b opBucket) bool {
		return !now.Before(b.start.Add(windowSpan))
	})
}

func (m *opMeter) add(now time.Time, d float64) {
	if n := len(m.buckets); n > 0 && now.Before(m.buckets[n-1].start.Add(bucketSpan)) {
		m.buckets[n-1].sum += d
		return
	}
	m.buckets = append(m.buckets, opBucket{start: now, sum: d})
}

func (m *opMeter) total() float64 {
	var t float64
	for _, b := range m.buckets {
		t += b.sum
	}
	return t
}

// resetAt is when the oldest bucket leaves the window.
func (m *opMeter) resetAt() (time.Time, bool) {
	if len(m.buckets) == 0 {
		return time.Time{}, false
	}
	return m.buckets[0].start.Add(windowSpan), true
}

// Cost is the simulated execution time a method adds to its operating time,
// in seconds; exported so tests can compute how many calls reach a limit.
func Cost(method string) float64 {
	switch normMethod(method) {
	case "user.current":
		return 0
	case "im.recent.list", "im.recent.get":
		return 0.25
	case "imopenlines.session.mode.pinall", "imopenlines.session.mode.unpinall":
		return 0.5
	case "imopenlines.session.history.get", "imopenlines.dialog.get":
		return 0.12
	}
	return 0.05
}

// SetOperatingLimit changes the operating-time budget (< 0 or 0 = no limit).
func (p *Portal) SetOperatingLimit(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.opLimit = max(d.Seconds(), 0)
}
