package journal

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Action is what an entry records.
type Action string

// The actions the journal records.
const (
	UnpinAll     Action = "unpin_all"
	PinAll       Action = "pin_all"
	UndoUnpinAll Action = "undo_unpin_all"
	UndoPinAll   Action = "undo_pin_all"
	Pin          Action = "pin"
	Unpin        Action = "unpin"
)

// Bulk reports whether a is unpin_all or pin_all: the actions undo acts on.
func (a Action) Bulk() bool { return a == UnpinAll || a == PinAll }

// Undo is the action that undoes a bulk action ("" for any other).
func (a Action) Undo() Action {
	switch a {
	case UnpinAll:
		return UndoUnpinAll
	case PinAll:
		return UndoPinAll
	}
	return ""
}

// Pins reports whether a leaves sessions pinned.
func (a Action) Pins() bool { return a == PinAll || a == UndoUnpinAll || a == Pin }

// Outcome is how an action, or one session of it, ended.
type Outcome string

// Outcomes. An entry is ok, failed or unknown; a session of an undo or a
// pin may also be skipped (with a Reason).
const (
	OK      Outcome = "ok"      // done (for a single session: the portal said yes)
	Failed  Outcome = "failed"  // the portal refused or nothing was sent: nothing changed
	Unknown Outcome = "unknown" // the answer was lost: it may or may not have happened
	Skipped Outcome = "skipped" // not attempted, for the Reason given
)

// Reasons of a session's result.
const (
	ReasonClosed          = "closed"           // the session has ended (status ≥ 60)
	ReasonGone            = "gone"             // the session is no longer in the operator's list
	ReasonAlreadyPinned   = "already_pinned"   // nothing to do
	ReasonAlreadyUnpinned = "already_unpinned" // nothing to do
	ReasonNoChat          = "no_chat"          // the list gives no chat ID to pin it by
	ReasonRefused         = "refused"          // the portal answered an error (Error holds it)
	ReasonNotSent         = "not_sent"         // never reached the portal (Error says why)
	ReasonNoAnswer        = "no_answer"        // the answer was lost (Error says how)
)

// Entry is one line of the journal. It never holds the webhook code or a
// token: the portal is its host only.
type Entry struct {
	ID       string    `json:"id"`                // unique; undo entries point at it
	Time     time.Time `json:"time"`              // RFC 3339, with the writer's UTC offset
	Profile  string    `json:"profile,omitempty"` // config profile, "" when none
	Portal   string    `json:"portal"`            // host[:port]
	User     int64     `json:"user,omitempty"`    // the operator the webhook acts as, 0 = unknown
	Action   Action    `json:"action"`
	Sent     []int64   `json:"sent"`              // session IDs the request named ([] for pinAll/unpinAll, which take none)
	Returned []int64   `json:"returned"`          // session IDs the portal reported changed (bulk) or accepted (pin, undo)
	Results  []Result  `json:"results,omitempty"` // per session, for undo, pin and unpin
	Outcome  Outcome   `json:"outcome"`
	Error    string    `json:"error,omitempty"`  // why it failed or is unknown
	Undoes   string    `json:"undoes,omitempty"` // undo entries: the ID of the bulk entry they restore
}

// Result is what happened to one session of an undo, pin or unpin.
type Result struct {
	SessionID int64   `json:"session_id,omitempty"`
	ChatID    int64   `json:"chat_id,omitempty"`
	Outcome   Outcome `json:"outcome"`
	Reason    string  `json:"reason,omitempty"`
	Error     string  `json:"error,omitempty"`
}

// Count is how many results have each outcome.
func Count(results []Result) map[Outcome]int {
	n := make(map[Outcome]int, 4)
	for _, r := range results {
		n[r.Outcome]++
	}
	return n
}

// Overall is the outcome of an entry from its sessions' results: unknown if
// any is unknown, else failed if any failed, else ok (skipped sessions are
// not failures).
func Overall(results []Result) Outcome {
	n := Count(results)
	switch {
	case n[Unknown] > 0:
		return Unknown
	case n[Failed] > 0:
		return Failed
	}
	return OK
}

// newID is 16 random hex digits.
func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics rather than return an error)
	return hex.EncodeToString(b[:])
}
