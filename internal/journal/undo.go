package journal

import (
	"regexp"
	"strings"
	"time"

	"github.com/linedesk/linedesk/internal/api"
)

// This file is the undo logic shared by the CLI and the dashboard. It does
// no IO: it reads entries and a snapshot and says what to do.

// Last is the most recent bulk action of one portal and operator, with the
// latest undo that names it.
type Last struct {
	Bulk Entry
	Undo *Entry // nil when it was never undone
}

// Undone reports whether an undo of the bulk action succeeded. An undo that
// failed or whose answer was lost may be tried again.
func (l Last) Undone() bool { return l.Undo != nil && l.Undo.Outcome == OK }

// Actor matches the entries of one portal (host) and operator; user 0 (not
// known) matches any operator, as does an entry that did not record one.
func Actor(portal string, user int64) func(Entry) bool {
	return func(e Entry) bool {
		return strings.EqualFold(e.Portal, portal) && (user == 0 || e.User == 0 || e.User == user)
	}
}

// LastBulk finds the newest pin_all or unpin_all entry that match accepts
// (nil: any) and the newest undo entry after it that points at it.
func (l Log) LastBulk(match func(Entry) bool) (Last, bool) {
	for i := len(l.Entries) - 1; i >= 0; i-- {
		e := l.Entries[i]
		if !e.Action.Bulk() || (match != nil && !match(e)) {
			continue
		}
		last := Last{Bulk: e}
		for k := len(l.Entries) - 1; k > i; k-- {
			if u := l.Entries[k]; u.Undoes == e.ID && e.ID != "" && u.Action == e.Action.Undo() {
				last.Undo = &u
				break
			}
		}
		return last, true
	}
	return Last{}, false
}

// LastBulk reads the whole journal and returns its LastBulk, with the
// lines that had to be skipped.
func (j *Journal) LastBulk(match func(Entry) bool) (Last, bool, []Damage, error) {
	log, err := j.Read(time.Time{})
	if err != nil {
		return Last{}, false, nil, err
	}
	last, ok := log.LastBulk(match)
	return last, ok, log.Damaged, nil
}

// Block says why undo cannot be offered, or CanUndo.
type Block int

// Reasons undo is not offered.
const (
	CanUndo            Block = iota
	NothingRecorded          // no bulk action of this portal and operator in the journal
	LastFailed               // the bulk action failed: nothing changed
	LastUnknown              // its answer was lost: which sessions it changed is not known
	LastChangedNothing       // the portal reported no session changed
	AlreadyUndone            // an undo of it succeeded
	NothingToRestore         // every session it changed is closed, gone or back in its old state
)

var blockNames = [...]string{
	CanUndo:            "can undo",
	NothingRecorded:    "no bulk action recorded",
	LastFailed:         "the last bulk action failed",
	LastUnknown:        "the last bulk action got no answer",
	LastChangedNothing: "the last bulk action changed nothing",
	AlreadyUndone:      "already undone",
	NothingToRestore:   "nothing left to restore",
}

func (b Block) String() string {
	if b >= 0 && int(b) < len(blockNames) {
		return blockNames[b]
	}
	return "unknown reason"
}

// CheckUndo says whether the last bulk action can be undone, judging from
// the journal alone (found is LastBulk's second result). The snapshot may
// still leave nothing to restore: see Plan.Block.
func CheckUndo(last Last, found bool) Block {
	switch {
	case !found:
		return NothingRecorded
	case last.Bulk.Outcome == Failed:
		return LastFailed
	case len(last.Bulk.Returned) == 0 && last.Bulk.Outcome == Unknown:
		return LastUnknown
	case len(last.Bulk.Returned) == 0:
		return LastChangedNothing
	case last.Undone():
		return AlreadyUndone
	}
	return CanUndo
}

// Target is one session to pin or unpin, with the chat it is pinned by.
type Target struct {
	SessionID int64
	ChatID    int64
}

// Plan is what an undo will do.
type Plan struct {
	Of      Entry    // the bulk entry being undone
	Action  Action   // undo_unpin_all or undo_pin_all
	Pin     bool     // the state the sessions are restored to
	Restore []Target // the sessions to pin (or unpin), in the bulk answer's order
	Skipped []Result // the others, each with its Reason
}

// PlanUndo works out an undo of bulk against a fresh list of sessions: the
// sessions to restore are exactly those the bulk action returned that are
// still listed, still open and not already in the state undo would give
// them. Each of the rest is a skipped result with its reason.
func PlanUndo(bulk Entry, sessions []*api.Session) Plan {
	byID := make(map[int64]*api.Session, len(sessions))
	for _, s := range sessions {
		if _, dup := byID[s.SessionID]; s.SessionID > 0 && !dup {
			byID[s.SessionID] = s
		}
	}
	return PlanUndoBy(bulk, func(id int64) (api.Session, bool) {
		if s, ok := byID[id]; ok {
			return *s, true
		}
		return api.Session{}, false
	})
}

// PlanUndoBy is PlanUndo with the sessions looked up by ID through find,
// for a caller that already keeps them indexed (the dashboard, which must
// not copy 10,000 sessions into a map on every refresh).
func PlanUndoBy(bulk Entry, find func(sessionID int64) (api.Session, bool)) Plan {
	p := Plan{Of: bulk, Action: bulk.Action.Undo(), Pin: bulk.Action == UnpinAll}
	seen := make(map[int64]bool, len(bulk.Returned))
	for _, id := range bulk.Returned {
		if id <= 0 || seen[id] {
			continue
		}
		seen[id] = true
		s, ok := find(id)
		skip := func(reason string) {
			p.Skipped = append(p.Skipped, Result{SessionID: id, ChatID: s.ChatID, Outcome: Skipped, Reason: reason})
		}
		switch {
		case !ok:
			skip(ReasonGone)
		case !s.Current():
			skip(ReasonClosed)
		case s.Pinned && p.Pin:
			skip(ReasonAlreadyPinned)
		case !s.Pinned && !p.Pin:
			skip(ReasonAlreadyUnpinned)
		case s.ChatID <= 0:
			skip(ReasonNoChat)
		default:
			p.Restore = append(p.Restore, Target{SessionID: id, ChatID: s.ChatID})
		}
	}
	return p
}

// Block is NothingToRestore when the plan restores nothing, else CanUndo.
func (p Plan) Block() Block {
	if len(p.Restore) == 0 {
		return NothingToRestore
	}
	return CanUndo
}

// ChatIDs are the chats to send to api.Client.PinMany.
func (p Plan) ChatIDs() []int64 { return chatIDs(p.Restore) }

// Entry is the journal entry of the undo after PinMany answered results
// and callErr (its error; nil when every batch was answered). Time and ID
// are left for Append.
func (p Plan) Entry(results []api.PinResult, callErr error) Entry {
	res := append(PinResults(p.Restore, results), p.Skipped...)
	e := Entry{
		Profile:  p.Of.Profile,
		Portal:   p.Of.Portal,
		User:     p.Of.User,
		Action:   p.Action,
		Sent:     sessionIDs(p.Restore),
		Returned: done(res),
		Results:  res,
		Outcome:  Overall(res),
		Undoes:   p.Of.ID,
	}
	e.Error = entryError(res, callErr)
	return e
}

// PinResults pairs PinMany's results with the sessions they were for. A
// target PinMany did not answer for counts as not sent.
func PinResults(targets []Target, results []api.PinResult) []Result {
	byChat := make(map[int64]api.PinResult, len(results))
	for _, r := range results {
		byChat[r.ChatID] = r
	}
	out := make([]Result, 0, len(targets))
	for _, t := range targets {
		r := Result{SessionID: t.SessionID, ChatID: t.ChatID}
		pr, ok := byChat[t.ChatID]
		switch {
		case !ok || pr.Outcome == api.PinNotSent:
			r.Outcome, r.Reason = Failed, ReasonNotSent
		case pr.Outcome == api.PinDone:
			r.Outcome = OK
		case pr.Outcome == api.PinRefused:
			r.Outcome, r.Reason = Failed, ReasonRefused
		default:
			r.Outcome, r.Reason = Unknown, ReasonNoAnswer
		}
		if ok && pr.Err != nil {
			r.Error = ErrorText(pr.Err)
		}
		out = append(out, r)
	}
	return out
}

// requestSuffix is the " (POST https://HOST/rest/1/***/method.json)" the
// client adds to its errors: useful in a log, noise in the journal.
var requestSuffix = regexp.MustCompile(`\s*\((GET|POST) [^)]*\)`)

// ErrorText is an error's text for the journal: one line, without the
// request URL (the client never puts a secret in it, but it is noise).
func ErrorText(err error) string {
	if err == nil {
		return ""
	}
	s := requestSuffix.ReplaceAllString(err.Error(), "")
	return strings.Join(strings.Fields(s), " ")
}

func entryError(res []Result, callErr error) string {
	if callErr != nil {
		return ErrorText(callErr)
	}
	for _, r := range res {
		if (r.Outcome == Failed || r.Outcome == Unknown) && r.Error != "" {
			return r.Error
		}
	}
	return ""
}

func chatIDs(ts []Target) []int64 {
	out := make([]int64, len(ts))
	for i, t := range ts {
		out[i] = t.ChatID
	}
	return out
}

func sessionIDs(ts []Target) []int64 {
	out := make([]int64, 0, len(ts))
	for _, t := range ts {
		if t.SessionID > 0 {
			out = append(out, t.SessionID)
		}
	}
	return out
}

// done are the session IDs of the ok results.
func done(res []Result) []int64 {
	out := []int64{}
	for _, r := range res {
		if r.Outcome == OK && r.SessionID > 0 {
			out = append(out, r.SessionID)
		}
	}
	return out
}
