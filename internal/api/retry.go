package api

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// readMethods are safe to repeat after an ambiguous failure (PROTOCOL §4.4).
var readMethods = map[string]bool{
	"user.current":                    true,
	"imopenlines.config.list.get":     true,
	"imopenlines.dialog.get":          true,
	"imopenlines.session.history.get": true,
	"imopenlines.config.path.get":     true,
}

// isRead reports whether method only reads (case-insensitive).
func isRead(method string) bool {
	m := strings.ToLower(method)
	return readMethods[m] || strings.HasPrefix(m, "im.recent.") && !strings.HasPrefix(m, "im.recent.pin") &&
		!strings.HasPrefix(m, "im.recent.unread") && !strings.HasPrefix(m, "im.recent.hide")
}

// serverFailure codes mean the portal broke while running the call: as
// ambiguous as a 5xx without a code.
var serverFailure = []*Error{
	{Code: "INTERNAL_SERVER_ERROR"}, {Code: "ERROR_UNEXPECTED_ANSWER"}, {Code: "ERROR_CORE"},
}

type tries struct {
	query, operation, ambiguous int
	refreshed                   bool
}

// do runs r with the retry rules of PROTOCOL §4.4.
func (c *Client) do(ctx context.Context, r *request) (*envelope, error) {
	var t tries
	for {
		env, gen, err := c.attempt(ctx, r)
		if err == nil {
			c.resets.note(r.method, env.Time)
			return env, nil
		}
		wait, retry, ferr := c.plan(ctx, r, err, gen, &t)
		if !retry {
			return nil, ferr
		}
		if wait > 0 {
			if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
				return nil, err // the caller cannot wait that long
			}
			if serr := c.sleep(ctx, wait); serr != nil {
				return nil, fmt.Errorf("%w; stopped waiting to retry: %w", err, serr)
			}
		}
	}
}

// plan decides what to do after a failed attempt: wait and retry, or give
// up with the error the caller should see.
func (c *Client) plan(ctx context.Context, r *request, err error, gen uint64, t *tries) (time.Duration, bool, error) {
	if ctx.Err() != nil {
		return 0, false, c.final(r, err)
	}
	var apiErr *Error
	var terr *transportError
	switch {
	case errors.Is(err, ErrQueryLimit) && t.query < queryLimitRetries:
		t.query++
		return backoff(queryLimitBase, queryLimitCap, t.query-1), true, nil
	case errors.Is(err, ErrOperationLimit) && t.operation < operationRetries:
		t.operation++
		return c.operationWait(r.method, t.operation-1), true, nil
	case errors.Is(err, ErrExpiredToken) && c.oauth != nil && !t.refreshed:
		t.refreshed = true
		if rerr := c.refresh(ctx, gen); rerr != nil {
			return 0, false, rerr
		}
		return 0, true, nil
	case errors.As(err, &terr) && (terr.notSent || (terr.ambiguous && r.read && !terr.final)) ||
		errors.As(err, &apiErr) && isServerFailure(apiErr) && r.read:
		if t.ambiguous < ambiguousRetries {
			t.ambiguous++
			return backoff(ambiguousBase, ambiguousCap, t.ambiguous-1), true, nil
		}
	}
	return 0, false, c.final(r, err)
}

// final wraps an ambiguous failure of a call that changes state in
// ErrOutcomeUnknown: it was not repeated and may have run.
func (c *Client) final(r *request, err error) error {
	if r.read {
		return err
	}
	var apiErr *Error
	var terr *transportError
	if errors.As(err, &terr) && terr.ambiguous || errors.As(err, &apiErr) && isServerFailure(apiErr) {
		return &outcomeError{err}
	}
	return err
}

func isServerFailure(e *Error) bool {
	for _, s := range serverFailure {
		if e.Is(s) {
			return true
		}
	}
	return false
}
