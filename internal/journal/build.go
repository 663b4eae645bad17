package journal

import (
	"context"
	"errors"

	"github.com/linedesk/linedesk/internal/api"
)

// BulkEntry is the entry of a pin_all or unpin_all call that returned ids
// and err. Profile, Portal, User and Time are the caller's to fill in.
func BulkEntry(action Action, ids []int64, err error) Entry {
	if ids == nil {
		ids = []int64{}
	}
	return Entry{Action: action, Sent: []int64{}, Returned: ids, Outcome: OutcomeOf(err), Error: ErrorText(err)}
}

// PinEntry is the entry of a pin or unpin of targets that PinMany answered
// with results and callErr; skipped are the sessions not sent, each with
// its Reason. Profile, Portal, User and Time are the caller's to fill in.
func PinEntry(action Action, targets []Target, results []api.PinResult, callErr error, skipped []Result) Entry {
	res := append(PinResults(targets, results), skipped...)
	return Entry{
		Action:   action,
		Sent:     sessionIDs(targets),
		Returned: done(res),
		Results:  res,
		Outcome:  Overall(res),
		Error:    entryError(res, callErr),
	}
}

// OutcomeOf classifies a call's error: nil is ok; the portal's own error,
// or a request that never left, is failed (nothing changed); an ambiguous
// failure, or an answer that came but could not be read, is unknown.
func OutcomeOf(err error) Outcome {
	var apiErr *api.Error
	switch {
	case err == nil:
		return OK
	case errors.Is(err, api.ErrOutcomeUnknown):
		return Unknown
	case errors.As(err, &apiErr), errors.Is(err, api.ErrUnreachable),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return Failed
	}
	return Unknown
}
