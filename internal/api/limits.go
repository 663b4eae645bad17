package api

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Plan selects the portal's request-rate limit (PROTOCOL §4.1).
type Plan int

// Portal plans: Enterprise portals drain 5 requests/s with a threshold of
// 250; every other plan 2 requests/s with 50.
const (
	PlanStandard Plan = iota
	PlanEnterprise
)

// String names the plan as the config file spells it.
func (p Plan) String() string {
	if p == PlanEnterprise {
		return "enterprise"
	}
	return "standard"
}

var shared struct {
	once     [2]sync.Once
	limiters [2]*rate.Limiter
}

// SharedLimiter is the one client-side leaky bucket for plan p in this
// process: the portal counts every request from us in one bucket, so every
// Client of the process must wait on the same limiter. Unknown plans get
// the standard one.
func SharedLimiter(p Plan) *rate.Limiter {
	if p != PlanEnterprise {
		p = PlanStandard
	}
	shared.once[p].Do(func() {
		if p == PlanEnterprise {
			shared.limiters[p] = rate.NewLimiter(5, 250)
		} else {
			shared.limiters[p] = rate.NewLimiter(2, 50)
		}
	})
	return shared.limiters[p]
}

// Retry budgets (PROTOCOL §4.4).
const (
	queryLimitRetries = 6 // 0.5 s, 1 s, 2 s, 4 s, 8 s, 16 s (each jittered)
	queryLimitBase    = 500 * time.Millisecond
	queryLimitCap     = 30 * time.Second

	operationRetries  = 3
	operationFallback = 30 * time.Second // when no operating_reset_at is known
	operationCap      = 60 * time.Second
	operationMargin   = time.Second

	ambiguousRetries = 2 // reads only: 0.5 s, 1 s (jittered)
	ambiguousBase    = 500 * time.Millisecond
	ambiguousCap     = 5 * time.Second
)

// backoff is capped exponential backoff with "equal jitter": attempt n waits
// between half and all of min(base·2ⁿ, limit).
func backoff(base, limit time.Duration, n int) time.Duration {
	d := limit
	if n < 30 {
		if e := base << n; e > 0 && e < limit {
			d = e
		}
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

// waitLimiter takes one token from the leaky bucket, sleeping through the
// Sleep hook when the bucket is full. The limiter runs on the real clock: it
// is shared by the whole process.
func (c *Client) waitLimiter(ctx context.Context) error {
	now := time.Now()
	r := c.limiter.ReserveN(now, 1)
	if !r.OK() {
		return errors.New("rate limiter has burst 0: no request can ever be sent")
	}
	d := r.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if err := c.sleep(ctx, d); err != nil {
		r.CancelAt(time.Now())
		return err
	}
	return nil
}

// resets remembers operating_reset_at per method (lower-cased), from the
// last successful answer that carried it.
type resets struct {
	mu sync.Mutex
	at map[string]time.Time
}

func (r *resets) note(method string, t Timing) {
	if t.OperatingResetAt.IsZero() {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.at == nil {
		r.at = make(map[string]time.Time)
	}
	r.at[strings.ToLower(method)] = t.OperatingResetAt
}

func (r *resets) get(method string) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.at[strings.ToLower(method)]
}

// operationWait is how long to stay away from a method blocked by
// OPERATION_TIME_LIMIT: until the last known operating_reset_at (plus a
// second), else a backoff of one-minute buckets.
func (c *Client) operationWait(method string, n int) time.Duration {
	if at := c.resets.get(method); !at.IsZero() {
		if d := at.Sub(c.now()) + operationMargin; d > 0 && n == 0 {
			return d
		}
	}
	return backoff(operationFallback, operationCap, n)
}

// realSleep waits d or until ctx ends.
func realSleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
