package state

import (
	"errors"
	"time"

	"github.com/linedesk/linedesk/internal/api"
)

// Health is how the last refresh went.
type Health int

// Health values.
const (
	Connecting  Health = iota // no answer yet
	Online                    // the last refresh succeeded
	RateLimited               // the portal asked us to slow down
	Offline                   // the portal could not be reached
	Failing                   // the portal answered with an error
)

// Conn is the connection state: how the last refresh went, why it failed,
// and when good data last arrived (shown as the data's age).
type Conn struct {
	Health   Health
	Err      error     // the last failure; nil when Online
	LastGood time.Time // when the last good snapshot arrived; zero = never
}

// Succeeded records a good snapshot at now.
func (c *Conn) Succeeded(now time.Time) {
	*c = Conn{Health: Online, LastGood: now}
}

// Failed records a failed refresh; the last good data's time is kept.
func (c *Conn) Failed(err error) {
	c.Health = Classify(err)
	c.Err = err
}

// HasData reports whether any good snapshot has arrived.
func (c Conn) HasData() bool { return !c.LastGood.IsZero() }

// Classify sorts a refresh error: rate and operating-time limits are
// RateLimited, other portal errors Failing, everything else (network,
// timeout, unreadable answer) Offline.
func Classify(err error) Health {
	switch {
	case err == nil:
		return Online
	case errors.Is(err, api.ErrQueryLimit), errors.Is(err, api.ErrOperationLimit),
		errors.Is(err, api.ErrOverload):
		return RateLimited
	case errors.Is(err, api.ErrUnreachable):
		return Offline
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		return Failing
	}
	return Offline
}
