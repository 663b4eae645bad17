package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
)

// PinOutcome is what happened to one chat of PinMany.
type PinOutcome int

const (
	// PinDone: the portal answered true. As with Pin, that does not prove a
	// change (PROTOCOL §10.2 step 6); re-read the list to be sure.
	PinDone PinOutcome = iota
	// PinRefused: the portal answered an error for this chat (Err is its
	// *Error; the code may be empty, PROTOCOL §10.5) or answered false.
	// Nothing changed.
	PinRefused
	// PinUnknown: the batch carrying this chat failed ambiguously and was not
	// resent, or the portal left the command out of its answer; the change
	// may or may not have happened. Err wraps ErrOutcomeUnknown.
	PinUnknown
	// PinNotSent: the command never reached the portal: its batch could not
	// be sent (Err says why), or an earlier batch failed or the context
	// ended first (Err wraps ErrNotExecuted). Nothing changed.
	PinNotSent
)

var pinOutcomeNames = [...]string{PinDone: "ok", PinRefused: "refused", PinUnknown: "unknown", PinNotSent: "not sent"}

// String is "ok", "refused", "unknown" or "not sent".
func (o PinOutcome) String() string {
	if o >= 0 && int(o) < len(pinOutcomeNames) {
		return pinOutcomeNames[o]
	}
	return "PinOutcome(" + strconv.Itoa(int(o)) + ")"
}

// PinResult is the outcome of one chat of PinMany.
type PinResult struct {
	ChatID  int64
	Outcome PinOutcome
	Err     error // nil for PinDone
}

// PinMany pins (pin = true) or unpins many open-line dialogs of the current
// operator with imopenlines.session.mode.pin, MaxBatch chats per batch
// request, so 120 chats cost 3 requests. It returns one result per distinct
// chat ID, in the order first given. A chat the portal refuses (the empty
// error code when the caller is not the session's operator) is a PinRefused
// result, not an error.
//
// The error is non-nil only when a whole batch failed or ctx ended: then the
// results still say, per chat, what is known. A batch that failed
// ambiguously is never resent (its chats are PinUnknown), and the batches
// after a failed one are not sent (PinNotSent). Rate limits and an expired
// OAuth token, where nothing ran, are retried inside Batch as usual.
func (c *Client) PinMany(ctx context.Context, chatIDs []int64, pin bool) ([]PinResult, error) {
	ids := make([]int64, 0, len(chatIDs))
	seen := make(map[int64]bool, len(chatIDs))
	for _, id := range chatIDs {
		if id <= 0 {
			return nil, fmt.Errorf("%s: chat ID must be a positive number, got %d", MethodPin, id)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	activate := "N"
	if pin {
		activate = "Y"
	}
	results := make([]PinResult, len(ids))
	for i, id := range ids {
		results[i] = PinResult{ChatID: id, Outcome: PinNotSent,
			Err: fmt.Errorf("%s for chat %d: %w", MethodPin, id, ErrNotExecuted)}
	}
	for start := 0; start < len(ids); start += MaxBatch {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		chunk := ids[start:min(start+MaxBatch, len(ids))]
		cmds := make([]BatchCommand, len(chunk))
		for i, id := range chunk {
			cmds[i] = BatchCommand{
				Key:    "c" + strconv.FormatInt(id, 10),
				Method: MethodPin,
				Params: map[string]any{"CHAT_ID": id, "ACTIVATE": activate},
			}
		}
		res, err := c.Batch(ctx, cmds, false)
		if err != nil {
			outcome := batchFailure(err)
			for i := range chunk {
				results[start+i].Outcome, results[start+i].Err = outcome, err
			}
			return results, err
		}
		for i, cmd := range cmds {
			results[start+i] = pinResult(res, cmd.Key, chunk[i])
		}
	}
	return results, nil
}

// batchFailure says what a failed batch of writes did to its commands. The
// portal's own error for the whole call means none ran; a request that
// provably never left (refused connection, context ended first) changed
// nothing; anything else, such as an answer that came but cannot be read,
// may have run.
func batchFailure(err error) PinOutcome {
	var apiErr *Error
	switch {
	case errors.Is(err, ErrOutcomeUnknown):
		return PinUnknown
	case errors.As(err, &apiErr):
		return PinRefused
	case errors.Is(err, ErrUnreachable), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return PinNotSent
	}
	return PinUnknown
}

// pinResult reads one command's outcome from a batch answer.
func pinResult(res *BatchResult, key string, chatID int64) PinResult {
	r := PinResult{ChatID: chatID}
	if e, ok := res.Errors[key]; ok {
		r.Outcome, r.Err = PinRefused, e
		return r
	}
	raw, ok := res.Results[key]
	switch {
	case !ok:
		// halt is off, so every command should be in the answer; one that is
		// missing may have run.
		r.Outcome = PinUnknown
		r.Err = fmt.Errorf("%s for chat %d: the batch answer does not mention it: %w", MethodPin, chatID, ErrOutcomeUnknown)
	case string(bytes.TrimSpace(raw)) == "false":
		r.Outcome = PinRefused
		r.Err = fmt.Errorf("%s: the portal answered false for chat %d", MethodPin, chatID)
	}
	return r
}
